"""Explain infeasible plans in the owner's words: which requirement, and what to relax."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from aip.errors import InfeasibleError
from aip.optimize.inputs import ModelInputs
from aip.optimize.problem import LinearProblem
from aip.optimize.solve import TerminationStatus, new_highs, pass_problem, run

#: Requirement families that can make a plan infeasible, with the fix to suggest.
_RELAXABLE = {
    "firm_capacity": (
        "firm capacity",
        "allow more dispatchable capacity (raise p_nom_max or add a gas/nuclear technology), "
        "raise grid.import_limit_mw, or lower constraints.reserve_margin / constraints.n_minus",
    ),
    "co2_cap": (
        "the CO2 cap (constraints.co2_cap_t_per_year)",
        "raise the cap or allow clean technologies (pv, wind, battery, nuclear)",
    ),
    "nox_cap": (
        "the NOx cap (constraints.nox_cap_t_per_year, the air permit)",
        "raise the cap, allow NOx controls (technologies.<key>.emission_controls: [scr]) "
        "or allow clean technologies",
    ),
    "cfe_share": (
        "the 24/7 carbon-free share (constraints.min_cfe_share)",
        "lower the share or allow more clean capacity and storage",
    ),
    "clean_share": (
        "the clean-energy share (constraints.min_clean_share)",
        "lower the share, allow more clean capacity or set grid.clean_fraction",
    ),
    "unserved_limit": (
        "the unserved-energy limit (constraints.max_unserved_fraction)",
        "allow more capacity or raise the limit",
    ),
}


def check_firm_capacity(inputs: ModelInputs) -> None:
    """Raise before solving when the firm requirement cannot be met by any plan."""
    if not inputs.firm_capacity:
        return
    grid = inputs.grid
    # credit 0 x unlimited capacity would be nan and pass every test
    best = sum(g.capacity_credit * g.p_nom_max for g in inputs.generators if g.capacity_credit)
    best += sum(s.capacity_credit * s.p_nom_max for s in inputs.storage if s.capacity_credit)
    best += grid.firm_fraction * grid.import_limit_mw if grid.enabled else 0.0
    need = inputs.firm_requirement_mw
    if best + 1e-6 < need:
        shown = "unlimited" if not np.isfinite(best) else f"{best:,.1f} MW"
        raise InfeasibleError(
            f"firm capacity: the plan needs {need:,.1f} MW (peak {inputs.peak_load_mw:,.1f} MW "
            f"x (1 + reserve margin {inputs.reserve_margin:g}) + N+{inputs.n_minus} contingency "
            f"{inputs.contingency_mw:,.1f} MW) but at most {shown} of firm capacity can be "
            f"built; fix: {_RELAXABLE['firm_capacity'][1]}, or set "
            "constraints.firm_capacity: false to price outages instead"
        )


def explain_infeasibility(
    lp: LinearProblem, time_limit_s: float, inputs: ModelInputs | None = None
) -> InfeasibleError:
    """Find which requirement family makes ``lp`` infeasible, and by how much.

    Each relaxable family is dropped in turn (its rows made free) and the LP
    re-solved; the first family whose removal restores feasibility is named, with the
    smallest relaxation of it that makes the plan feasible (an elastic LP that
    minimises a slack on that requirement).
    """
    present = [name for name in _RELAXABLE if name in lp.rows]
    for name in present:
        h = new_highs(time_limit_s)
        pass_problem(h, lp)
        for row in lp.rows[name].ravel():
            h.changeRowBounds(int(row), -np.inf, np.inf)
        if run(h).status == TerminationStatus.OPTIMAL:
            what, fix = _RELAXABLE[name]
            amount = smallest_relaxation(lp, name, time_limit_s)
            by = _describe(name, amount, inputs) if amount is not None else ""
            return InfeasibleError(f"no feasible plan meets {what}{by}; fix: {fix}")
    if len(present) > 1:
        return InfeasibleError(
            "no feasible plan meets the requirements together ("
            + ", ".join(_RELAXABLE[n][0] for n in present)
            + "); fix: relax one or more of them"
        )
    return InfeasibleError(
        "no feasible plan: the capacity limits (p_nom_min/p_nom_max, storage durations, "
        "must-run minimums) contradict each other; fix: check p_nom_min against p_nom_max and "
        "the must-run minimums against the load"
    )


def smallest_relaxation(lp: LinearProblem, name: str, time_limit_s: float) -> float | None:
    """The least slack on the single-row requirement ``name`` that makes ``lp`` feasible.

    Elastic LP: ``min s`` subject to the model with ``a x - s <= u`` (caps) or
    ``a x + s >= l`` (minimums) on that row; costs are ignored, so the answer is the
    distance to feasibility in the row's own unit.
    """
    rows = lp.rows[name]
    if rows.size != 1:
        return None
    row = int(rows[0])
    sign = -1.0 if np.isfinite(lp.row_upper[row]) else 1.0
    slack = sp.csc_matrix(([sign], ([row], [0])), shape=(lp.n_rows, 1))
    elastic = LinearProblem()
    elastic.add_variables("x", lp.n_cols, lower=lp.lower, upper=lp.upper)
    elastic.add_variables("slack", 1, cost=1.0)
    elastic.add_matrix_rows("model", sp.hstack([lp.matrix(), slack]), lp.row_lower, lp.row_upper)
    h = new_highs(time_limit_s)
    pass_problem(h, elastic)
    outcome = run(h)
    if outcome.status != TerminationStatus.OPTIMAL:
        return None
    return float(outcome.x[-1])


def _describe(name: str, amount: float, inputs: ModelInputs | None) -> str:
    energy = float(inputs.weights @ inputs.load_mw) if inputs is not None else 0.0
    if name in ("co2_cap", "nox_cap"):
        return f": the cap is {amount:,.1f} t/yr too low"
    if name == "firm_capacity":
        return f": {amount:,.1f} MW of firm capacity short"
    if name in ("clean_share", "cfe_share") and inputs is not None and energy > 0:
        target = inputs.min_clean_share if name == "clean_share" else inputs.min_cfe_share
        if target is not None:
            reachable = max(0.0, target - amount / energy)
            return f": the highest reachable share is {reachable:.4f} (target {target:.4f})"
        return f": the highest reachable share is {amount / energy:.4f} lower"
    if name == "unserved_limit" and energy > 0:
        return f": the limit must rise by {amount / energy:.4f} of the facility energy"
    return ""
