"""Explain infeasible plans in the owner's words: which requirement, and what to relax."""

from __future__ import annotations

import numpy as np

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
    best = sum(g.capacity_credit * g.p_nom_max for g in inputs.generators)
    best += sum(s.capacity_credit * s.p_nom_max for s in inputs.storage)
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


def explain_infeasibility(lp: LinearProblem, time_limit_s: float) -> InfeasibleError:
    """Find which requirement family makes ``lp`` infeasible.

    Each relaxable family is dropped in turn (its rows made free) and the LP
    re-solved; the first family whose removal restores feasibility is named.
    """
    present = [name for name in _RELAXABLE if name in lp.rows]
    for name in present:
        h = new_highs(time_limit_s)
        pass_problem(h, lp)
        for row in lp.rows[name].ravel():
            h.changeRowBounds(int(row), -np.inf, np.inf)
        if run(h).status == TerminationStatus.OPTIMAL:
            what, fix = _RELAXABLE[name]
            return InfeasibleError(f"no feasible plan meets {what}; fix: {fix}")
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
