"""The full-year check of a screening plan: its capacities, dispatched over 8760 hours.

A plan screened on typical days (``solver.typical_days``) chose capacities from a
reduced year. Dispatching exactly those capacities over the full hourly year (the
capacity columns fixed, the dispatch solved by HiGHS simplex: the same LP as the
barrier path's vertex step, under a few seconds) answers what screening cannot:

* the plan's **full-year cost**, an upper bound on the full-resolution optimum (the
  fixed capacities are one feasible choice of the full LP whenever the targets hold);
* whether the plan **meets its targets** over the full year. When it does not (a 24/7
  CFE share that typical days made look easier, say), the targets become elastic: the
  dispatch serves the load as well as it would without targets, comes as close to the
  targets as the capacities then allow, and is the cheapest such dispatch. The check
  names each target missed, the value reached, and the cost of the plan as built.

See ``docs/model.md`` ("Screening on typical days").
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray

from aip.errors import SolverError
from aip.optimize.build import build_model
from aip.optimize.extract import extract_result
from aip.optimize.inputs import ModelInputs
from aip.optimize.problem import LinearProblem
from aip.optimize.solve import SolveOutcome, TerminationStatus, solve_problem
from aip.optimize.variables import Variables
from aip.results.plan import PlanResult

#: Target rows (one each) made elastic when the screened capacities cannot meet them.
TARGET_FAMILIES = ("co2_cap", "nox_cap", "clean_share", "cfe_share", "unserved_limit")
#: Price of a shortfall on a target, in plan-costs per unit of relative shortfall [-].
SHORTFALL_PRICE = 100.0
#: A reached share or cap counts as met within this (relative) margin [-].
MET_TOLERANCE = 1e-6


@dataclass(frozen=True)
class FullYearCheck:
    """A screening plan's capacities dispatched over the full year.

    ``cost_usd_per_year`` is the full-year cost of the plan as built;
    ``difference`` = (full-year cost - screening cost) / screening cost [-];
    ``targets_missed`` maps each target the plan misses to its target and the value
    reached; ``result`` is the full-year plan itself (its ``unserved_mwh`` shows load the
    screened capacities cannot serve in some hour, priced at the value of lost load).
    """

    cost_usd_per_year: float
    screening_cost_usd_per_year: float
    targets_missed: dict[str, dict[str, float]]
    seconds: float
    result: PlanResult = field(repr=False)

    @property
    def difference(self) -> float:
        return self.cost_usd_per_year / self.screening_cost_usd_per_year - 1.0

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
        The dispatch ended neither optimal nor infeasible (time limit, numerical
        trouble).

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
    lp, v = build_model(inputs)
    lower, upper = _fixed_bounds(lp, v, inputs, screened)
    limit, threads = inputs.time_limit_s, inputs.threads
    outcome = solve_problem(_variant(lp, lower, upper, lp.cost), limit, threads, "simplex")
    elastic = outcome.status == TerminationStatus.INFEASIBLE
    if elastic:
        upper = _serve_load_first(lp, v, lower, upper, limit, threads)
        scale = screened.objective_usd_per_year
        outcome = _closest_to_targets(lp, lower, upper, scale, limit, threads)
    if outcome.status != TerminationStatus.OPTIMAL:
        raise SolverError(
            f"full-year check: the dispatch of the screened capacities ended "
            f"{outcome.status.value!r} even with elastic targets; fix: plan at full "
            "resolution (remove solver.typical_days)"
        )
    result = extract_result(
        inputs,
        lp,
        v,
        outcome,
        build_seconds=0.0,
        site_frame=site_frame,
        gpus=gpus,
    )
    return FullYearCheck(
        cost_usd_per_year=outcome.objective,
        screening_cost_usd_per_year=screened.objective_usd_per_year,
        targets_missed=_missed(inputs, result) if elastic else {},
        seconds=time.perf_counter() - start,
        result=result,
    )


def _fixed_bounds(
    lp: LinearProblem, v: Variables, inputs: ModelInputs, screened: PlanResult
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Column bounds with every built-capacity column at the screening plan's value."""
    lower, upper = lp.lower, lp.upper
    new_p = [screened.p_nom_mw[g.key] - g.p_nom_existing for g in inputs.generators]
    new_sp = [screened.p_nom_mw[s.key] - s.p_nom_existing for s in inputs.storage]
    new_se = [screened.e_nom_mwh[s.key] - s.e_nom_existing for s in inputs.storage]
    for cols, values in ((v.p_nom, new_p), (v.storage_p_nom, new_sp), (v.storage_e_nom, new_se)):
        if cols.size:
            fixed = np.clip(np.asarray(values, float), lower[cols], upper[cols])
            lower[cols] = upper[cols] = fixed
    return lower, upper


def _variant(
    lp: LinearProblem,
    lower: NDArray[np.float64],
    upper: NDArray[np.float64],
    cost: NDArray[np.float64] | float,
    slack: sp.csc_matrix | None = None,
    slack_cost: NDArray[np.float64] | float = 0.0,
    slack_upper: NDArray[np.float64] | float = np.inf,
    free_rows: NDArray[np.int64] | None = None,
) -> LinearProblem:
    """``lp`` with other column bounds and costs, optional slack columns after it, and
    ``free_rows`` without bounds."""
    out = LinearProblem()
    out.add_variables("x", lp.n_cols, lower=lower, upper=upper, cost=cost)
    matrix = lp.matrix()
    if slack is not None:
        out.add_variables("slack", slack.shape[1], upper=slack_upper, cost=slack_cost)
        matrix = sp.hstack([matrix, slack]).tocsr()
    row_lower, row_upper = lp.row_lower, lp.row_upper
    if free_rows is not None:
        row_lower[free_rows], row_upper[free_rows] = -np.inf, np.inf
    out.add_matrix_rows("model", matrix, row_lower, row_upper)
    out.constant = lp.constant
    return out


def _target_rows(lp: LinearProblem) -> NDArray[np.int64]:
    return np.array([int(lp.rows[n][0]) for n in TARGET_FAMILIES if n in lp.rows], dtype=np.int64)


def _serve_load_first(
    lp: LinearProblem,
    v: Variables,
    lower: NDArray[np.float64],
    upper: NDArray[np.float64],
    time_limit_s: float,
    threads: int,
) -> NDArray[np.float64]:
    """Column upper bounds that keep each hour's unserved load at its level without targets.

    A shortfall on a target is priced far above the value of lost load, so without this
    the dispatch would drop load to move a battery's energy towards a 24/7 target; an
    operator serves the load first.
    """
    waived = solve_problem(
        _variant(lp, lower, upper, lp.cost, free_rows=_target_rows(lp)),
        time_limit_s,
        threads,
        "simplex",
    )
    if waived.status != TerminationStatus.OPTIMAL:
        return upper
    served = upper.copy()
    cols = v.unserved.ravel()
    room = 1e-6 * max(1.0, float(np.max(upper[cols], initial=0.0)))
    served[cols] = np.minimum(upper[cols], waived.x[cols] + room)
    return served


def _closest_to_targets(
    lp: LinearProblem,
    lower: NDArray[np.float64],
    upper: NDArray[np.float64],
    scale_usd: float,
    time_limit_s: float,
    threads: int,
) -> SolveOutcome:
    """The dispatch that comes closest to the targets, and the cheapest among those.

    Each target gets a shortfall column (``a x - s <= u`` on a cap, ``a x + s >= l`` on
    a minimum) priced at :data:`SHORTFALL_PRICE` plan-costs per unit of shortfall
    relative to its target: missing 1 % of a target costs as much as the whole plan,
    more than any re-dispatch can save, so the least shortfall comes first and cost
    second (one solve instead of two lexicographic ones, which took 30x longer).
    The returned objective is the model's cost alone.
    """
    rows = _target_rows(lp)
    row_lower, row_upper = lp.row_lower[rows], lp.row_upper[rows]
    is_cap = np.isfinite(row_upper)
    bound = np.maximum(np.abs(np.where(is_cap, row_upper, row_lower)), 1e-9)
    slack = sp.csc_matrix(
        (np.where(is_cap, -1.0, 1.0), (rows, np.arange(rows.size))), shape=(lp.n_rows, rows.size)
    )
    price = SHORTFALL_PRICE * max(abs(scale_usd), 1.0) / bound
    outcome = solve_problem(
        _variant(lp, lower, upper, lp.cost, slack, price), time_limit_s, threads, "simplex"
    )
    if outcome.status != TerminationStatus.OPTIMAL:
        return outcome
    x = outcome.x[: lp.n_cols]
    return dataclasses.replace(outcome, x=x, objective=float(lp.cost @ x) + lp.constant)


def _missed(inputs: ModelInputs, result: PlanResult) -> dict[str, dict[str, float]]:
    """Targets of ``inputs`` the full-year dispatch does not reach."""
    reached = {
        "co2_cap_t_per_year": result.emissions_t_per_year.get("co2", 0.0),
        "nox_cap_t_per_year": result.emissions_t_per_year.get("nox", 0.0),
        "min_clean_share": result.clean_share,
        "min_cfe_share": result.cfe_share,
        "max_unserved_fraction": result.unserved_mwh / max(result.load.facility_energy_mwh, 1e-9),
    }
    missed: dict[str, dict[str, float]] = {}
    for name, value in reached.items():
        target = getattr(inputs, name)
        if target is None:
            continue
        is_cap = name.startswith(("co2", "nox", "max"))
        margin = MET_TOLERANCE * max(abs(float(target)), 1.0)
        if (value > target + margin) if is_cap else (value < target - margin):
            missed[name] = {"target": float(target), "reached": float(value)}
    return missed
