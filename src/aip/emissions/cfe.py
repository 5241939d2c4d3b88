"""The cost of a 24/7 carbon-free target: re-plan the campus over a range of CFE shares."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from aip.errors import InfeasibleError, ScenarioError
from aip.optimize.inputs import ModelInputs
from aip.optimize.run import optimize

DEFAULT_SHARES = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 1.0)


def cfe_cost_curve(
    inputs: ModelInputs,
    shares: Sequence[float] = DEFAULT_SHARES,
    progress: Callable[[float], None] | None = None,
) -> pd.DataFrame:
    """Annual cost and mix of the campus at each 24/7 CFE share.

    Parameters
    ----------
    inputs : ModelInputs
        The campus model (``aip.model_inputs(scenario)``); its own ``min_cfe_share`` is
        replaced by each share in turn.
    shares : sequence of float
        Targets in [0, 1], solved in the given order.
    progress : callable, optional
        Called with each share before it is solved.

    Returns
    -------
    DataFrame
        One row per share: ``cfe_share``, ``objective_usd_per_year``,
        ``cost_increase`` (relative to the first share), ``lcoe_usd_per_mwh``,
        ``co2_t_per_year``, ``status`` and ``p_nom_mw_<tech>`` / ``e_nom_mwh_<storage>``.
        Shares that no plan can meet have status ``infeasible`` and empty numbers.

    Notes
    -----
    The published result this reproduces in shape (Riepin & Brown, "On the means,
    costs, and system-level impacts of 24/7 carbon-free energy procurement", Energy
    Strategy Reviews 54, 2024): cost rises slowly up to ~90 % and steeply for the last
    few percent, because the last hours need long-duration storage or firm clean power.
    """
    rows = []
    for share in shares:
        if not 0.0 <= share <= 1.0:
            raise ScenarioError.for_field("shares", share, "fractions in [0, 1]")
        if progress is not None:
            progress(share)
        try:
            r = optimize(dataclasses.replace(inputs, min_cfe_share=float(share)))
        except InfeasibleError as exc:
            rows.append({"cfe_share": share, "status": "infeasible", "reason": str(exc)})
            continue
        row: dict[str, object] = {
            "cfe_share": share,
            "status": "optimal",
            "objective_usd_per_year": r.objective_usd_per_year,
            "lcoe_usd_per_mwh": r.lcoe_usd_per_mwh,
            "co2_t_per_year": r.emissions_t_per_year["co2"],
            "achieved_cfe_share": r.cfe_share,
        }
        row.update({f"p_nom_mw_{k}": v for k, v in r.p_nom_mw.items()})
        row.update({f"e_nom_mwh_{k}": v for k, v in r.e_nom_mwh.items()})
        rows.append(row)
    frame = pd.DataFrame(rows)
    if "objective_usd_per_year" in frame:
        base = frame["objective_usd_per_year"].dropna()
        if len(base):
            frame["cost_increase"] = frame["objective_usd_per_year"] / base.iloc[0] - 1.0
    return frame


def write_curve(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write the curve as CSV atomically (temporary file, then rename)."""
    from aip.io.atomic import write_atomic

    return write_atomic(Path(path), frame.to_csv(index=False, float_format="%.10g"))
