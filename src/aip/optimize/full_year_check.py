"""The full-year check of a screening plan: its capacities, dispatched over 8760 hours.

A plan screened on typical days (``solver.typical_days``) chose capacities from a
reduced year. Dispatching exactly those capacities over the full hourly year (the
capacity columns fixed, the dispatch solved by HiGHS simplex: the same kind of LP as
the barrier path's vertex step) answers what screening cannot:

* the plan's **full-year cost**, an upper bound on the full-resolution optimum when its
  targets hold (the fixed capacities are then one feasible choice of the full LP);
* whether the plan **meets its targets** over the full year, operated as an operator
  would: first the plan is dispatched without its targets, and no hour may then shed
  more load (or pause more compute) than it did there, so a cap is never "met" by
  cutting load; then each target (CO2 and NOx caps, clean and 24/7 CFE shares,
  unserved limit) gets a priced shortfall column, so the dispatch comes as close to
  the targets as the capacities allow and is the cheapest such dispatch. A target is
  missed when its shortfall is not zero; the value reached is read from the target's
  own row, so it counts exactly what the constraint counts.

See ``docs/model.md`` ("Screening on typical days").
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from aip.errors import SolverError, one_line
from aip.optimize.build import build_model
from aip.optimize.contingency import at_level
from aip.optimize.extract import extract_result
from aip.optimize.inputs import ModelInputs
from aip.optimize.problem import LinearProblem
from aip.optimize.solve import SolveOutcome, TerminationStatus, new_highs, pass_problem, run
from aip.optimize.variables import Variables
from aip.results.plan import PlanResult

#: Target row families (one row each) -> (the scenario's target, in ModelInputs; whether
#: the row is in MWh and the target a share of the facility energy).
TARGETS: dict[str, tuple[str, bool]] = {
    "co2_cap": ("co2_cap_t_per_year", False),
    "nox_cap": ("nox_cap_t_per_year", False),
    "clean_share": ("min_clean_share", True),
    "cfe_share": ("min_cfe_share", True),
    "unserved_limit": ("max_unserved_fraction", True),
}
#: Price of a shortfall, in plan-costs per unit of shortfall relative to the row's scale
#: (its target, or its value without targets if larger) [-]: missing 1 % of a target
#: costs as much as the whole plan, more than re-dispatch can save.
SHORTFALL_PRICE = 100.0
#: Cap on that price [USD per t or MWh]: far above any abatement cost or value of lost
#: load, and inside the cost range HiGHS handles (1e9 and beyond made it fail).
MAX_SHORTFALL_PRICE = 1e7
#: A shortfall below this share of the row's scale counts as met [-].
MET_TOLERANCE = 1e-6


@dataclass(frozen=True)
class FullYearCheck:
    """A screening plan's capacities dispatched over the full year.

    ``cost_usd_per_year`` is the full-year cost of the plan as built;
    ``difference`` = (full-year cost - screening cost) / |screening cost| [-] (NaN when
    the screening cost is zero); ``targets_reached`` maps every target of the plan (named
    as in the scenario) to the value reached, and ``targets_missed`` each target the plan
    misses to the target and the value reached; ``result`` is the
    full-year plan itself (its ``unserved_mwh``: load the screened capacities cannot
    serve in some hour, priced at the value of lost load; no shadow prices, which
    would price the fixed capacities as sunk).
    """

    cost_usd_per_year: float
    screening_cost_usd_per_year: float
    targets_missed: dict[str, dict[str, float]]
    seconds: float
    result: PlanResult = field(repr=False)
    targets_reached: dict[str, float] = field(default_factory=dict)

    @property
    def difference(self) -> float:
        screening = self.screening_cost_usd_per_year
        if screening == 0:
            return math.nan
        return (self.cost_usd_per_year - screening) / abs(screening)

    @property
    def targets_met(self) -> bool:
        return not self.targets_missed

    def summary(self) -> dict[str, Any]:
        return {
            "cost_usd_per_year": self.cost_usd_per_year,
            "screening_cost_usd_per_year": self.screening_cost_usd_per_year,
            "difference": self.difference,
            "targets_met": self.targets_met,
            "targets_missed": self.targets_missed,
            "targets_reached": self.targets_reached,
            "unserved_mwh": self.result.unserved_mwh,
            "seconds": self.seconds,
        }


def check_full_year(
    inputs: ModelInputs,
    screened: PlanResult,
    *,
    site_frame: pd.DataFrame | None = None,
    gpus: int = 0,
) -> FullYearCheck:
    """Dispatch the capacities of ``screened`` over the full-year model ``inputs``.

    Parameters
    ----------
    inputs : ModelInputs
        The full hourly model the screening plan was reduced from.
    screened : PlanResult
        The plan solved on typical days.
    site_frame, gpus
        As for :func:`aip.optimize.optimize` (hourly site columns, GPU count).

    Raises
    ------
    SolverError
        A dispatch did not end optimal (time limit, numerical trouble); the time
        limit is ``inputs.time_limit_s`` for the whole check.

    Examples
    --------
    >>> import aip
    >>> from aip.optimize import optimize
    >>> from aip.optimize.aggregate import aggregate_inputs
    >>> full = aip.model_inputs("examples/colossus-memphis.yaml")
    >>> screened = optimize(aggregate_inputs(full, 8)[0])
    >>> check = check_full_year(full, screened)
    >>> check.targets_met, abs(check.difference) < 1e-3
    (True, True)
    """
    start = time.perf_counter()
    deadline = start + inputs.time_limit_s
    level = screened.inputs.contingency_level
    if level is not None and inputs.contingency_level is None:
        # the N+k contingency the screened plan holds (aip.optimize.contingency)
        inputs = at_level(inputs, *level) or inputs
    lp, v = build_model(inputs)
    # one HiGHS model, changed in place (bounds, then shortfall columns), as the vertex
    # step and the infeasibility explainer do
    h = new_highs(inputs.time_limit_s, inputs.threads, "simplex")
    pass_problem(h, lp)
    _fix_capacities(h, lp, v, inputs, screened)
    rows = {name: int(lp.rows[name][0]) for name in TARGETS if name in lp.rows}
    for row in rows.values():
        h.changeRowBounds(row, -np.inf, np.inf)
    outcome = _run(h, deadline, "without")
    missed: dict[str, dict[str, float]] = {}
    reached: dict[str, float] = {}
    if rows:
        _shed_no_more(h, lp, v, outcome.x)
        outcome, reached, missed = _closest_to_targets(h, lp, rows, inputs, screened, deadline)
    result = extract_result(
        inputs, lp, v, outcome, build_seconds=0.0, site_frame=site_frame, gpus=gpus
    )
    return FullYearCheck(
        cost_usd_per_year=outcome.objective,
        screening_cost_usd_per_year=screened.objective_usd_per_year,
        targets_missed=missed,
        seconds=time.perf_counter() - start,
        targets_reached=reached,
        result=dataclasses.replace(result, shadow_prices={}),
    )


def check_or_reason(
    inputs: ModelInputs, screened: PlanResult, known: FullYearCheck | str | None = None
) -> FullYearCheck | str:
    """``known`` (a check already made of ``screened``, or why it failed), else
    :func:`check_full_year`; a failure as its one-line reason, so the screened plan stands."""
    if known is not None:
        return known
    try:
        return check_full_year(inputs, screened)
    except Exception as exc:  # the screening plan stands; the caller reports why
        return one_line(exc)


def _run(h: highspy.Highs, deadline: float, targets: str) -> SolveOutcome:
    h.setOptionValue("time_limit", max(deadline - time.perf_counter(), 1.0))
    outcome = run(h)
    if outcome.status != TerminationStatus.OPTIMAL:
        raise SolverError(
            f"full-year check: the dispatch of the screened capacities {targets} targets ended "
            f"{outcome.status.value!r}; fix: raise solver.time_limit_s, or plan at full "
            "resolution (remove solver.typical_days)"
        )
    return outcome


def _fix_capacities(
    h: highspy.Highs, lp: LinearProblem, v: Variables, inputs: ModelInputs, screened: PlanResult
) -> None:
    """Bound every built-capacity column at the screening plan's value."""
    new_p = [screened.p_nom_mw[g.key] - g.p_nom_existing for g in inputs.generators]
    new_sp = [screened.p_nom_mw[s.key] - s.p_nom_existing for s in inputs.storage]
    new_se = [screened.e_nom_mwh[s.key] - s.e_nom_existing for s in inputs.storage]
    lower, upper = lp.lower, lp.upper
    for cols, values in ((v.p_nom, new_p), (v.storage_p_nom, new_sp), (v.storage_e_nom, new_se)):
        if cols.size:
            fixed = np.clip(np.asarray(values, float), lower[cols], upper[cols])
            h.changeColsBounds(cols.size, cols.astype(np.int32), fixed, fixed)


def _shed_no_more(
    h: highspy.Highs, lp: LinearProblem, v: Variables, x: NDArray[np.float64]
) -> None:
    """Keep each hour's unserved load and paused compute at most at ``x``'s.

    No extra room: any would be spent, at the value of lost load, to shave a priced
    shortfall (``x`` is feasible for every row but the targets, which are elastic).
    """
    lower, upper = lp.lower, lp.upper
    for cols in (v.unserved.ravel(), v.curtail.ravel()):
        if cols.size:
            held = np.clip(x[cols], lower[cols], upper[cols])
            h.changeColsBounds(cols.size, cols.astype(np.int32), lower[cols], held)


def _closest_to_targets(
    h: highspy.Highs,
    lp: LinearProblem,
    rows: dict[str, int],
    inputs: ModelInputs,
    screened: PlanResult,
    deadline: float,
) -> tuple[SolveOutcome, dict[str, float], dict[str, dict[str, float]]]:
    """The cheapest dispatch among those closest to the targets; the values reached and
    the targets missed.

    The target rows get their bounds back and a shortfall column each (``a x - s <= u``
    on a cap, ``a x + s >= l`` on a minimum) priced at :data:`SHORTFALL_PRICE`
    plan-costs per unit of shortfall relative to the row's scale, at most
    :data:`MAX_SHORTFALL_PRICE`. One solve: two lexicographic ones (least shortfall at
    zero cost, then cost) took 30x longer. The returned objective is the model's cost
    alone.
    """
    idx = np.array(list(rows.values()), dtype=np.int64)
    activity = np.asarray(h.getSolution().row_value, float)[idx]  # without targets
    row_lower, row_upper = lp.row_lower[idx], lp.row_upper[idx]
    is_cap = np.isfinite(row_upper)
    bound = np.where(is_cap, row_upper, row_lower)
    scale = np.maximum.reduce([np.abs(bound), np.abs(activity), np.ones(idx.size)])
    price = np.minimum(
        SHORTFALL_PRICE * max(abs(screened.objective_usd_per_year), 1.0) / scale,
        MAX_SHORTFALL_PRICE,
    )
    sign = np.where(is_cap, -1.0, 1.0)
    for row, lo, up in zip(idx, row_lower, row_upper, strict=True):
        h.changeRowBounds(int(row), float(lo), float(up))
    k = idx.size
    h.addCols(
        k, price, np.zeros(k), np.full(k, np.inf), k,
        np.arange(k, dtype=np.int32), idx.astype(np.int32), sign,
    )  # fmt: skip
    # cold, with presolve: restarting from the targets-free basis took 1.5-3x longer
    # where the targets bind (bench hard and cfe at 16 days: 2.0 and 4.0 s against 1.0
    # and 1.2 s), though it saved 0.4 s where they nearly hold (cfe-abilene)
    h.clearSolver()
    elastic = _run(h, deadline, "with")
    x, shortfall = elastic.x[: lp.n_cols], elastic.x[lp.n_cols :]
    outcome = dataclasses.replace(elastic, x=x, objective=float(lp.cost @ x) + lp.constant)
    # the target's own quantity: the row's value less its shortfall column
    reached_rows = np.asarray(h.getSolution().row_value, float)[idx] - sign * shortfall
    energy = float(inputs.weights @ inputs.load_mw)
    reached: dict[str, float] = {}
    missed: dict[str, dict[str, float]] = {}
    for j, name in enumerate(rows):
        target_name, is_share = TARGETS[name]
        value = reached_rows[j] / energy if is_share and energy > 0 else reached_rows[j]
        reached[target_name] = float(value)
        if shortfall[j] > MET_TOLERANCE * scale[j]:
            missed[target_name] = {
                "target": float(getattr(inputs, target_name)),
                "reached": float(value),
            }
    return outcome, reached, missed
