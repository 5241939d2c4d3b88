"""Build, solve and extract one campus model: the optimiser's single entry point."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

import pandas as pd

from aip.errors import InfeasibleError, SolverError
from aip.optimize.build import build_model
from aip.optimize.contingency import search_contingency, searches
from aip.optimize.extract import extract_result
from aip.optimize.feasibility import check_firm_capacity, explain_infeasibility
from aip.optimize.inputs import ModelInputs
from aip.optimize.problem import LinearProblem
from aip.optimize.solve import SolveOutcome, TerminationStatus, solve_problem
from aip.optimize.variables import Variables
from aip.results.plan import PlanResult

Solve = Callable[[LinearProblem, ModelInputs], SolveOutcome]


def _cold_solve(lp: LinearProblem, inputs: ModelInputs) -> SolveOutcome:
    return solve_problem(lp, inputs.time_limit_s, inputs.threads, inputs.method)


def optimize(
    inputs: ModelInputs,
    *,
    site_frame: pd.DataFrame | None = None,
    gpus: int = 0,
    solve: Solve = _cold_solve,
) -> PlanResult:
    """Solve the campus model for ``inputs``.

    ``solve`` hands the built LP to the solver; the default is a fresh (cold) solve, and
    :class:`aip.sweep.warm.WarmSolver` passes one that reuses a previous basis. Where
    N+k firm capacity applies, the contingency is the largest unit the plan builds:
    :mod:`aip.optimize.contingency` solves one LP per level it cannot rule out.

    Raises
    ------
    InfeasibleError
        No plan meets the requirements; the message names the requirement and
        what to relax.
    SolverError
        The solver stopped at a time or iteration limit, or failed numerically.

    Examples
    --------
    >>> from aip.optimize.examples import two_hour_example
    >>> result = optimize(two_hour_example())
    >>> round(result.objective_usd_per_year), result.p_nom_mw
    (106000, {'pv': 100.0, 'gas_aero': 100.0})
    """
    if not searches(inputs):
        return optimize_level(inputs, site_frame=site_frame, gpus=gpus, solve=solve)
    return search_levels(inputs, site_frame=site_frame, gpus=gpus, solve=solve)


def search_levels(
    inputs: ModelInputs,
    *,
    site_frame: pd.DataFrame | None = None,
    gpus: int = 0,
    solve: Solve = _cold_solve,
    top: PlanResult | InfeasibleError | None = None,
) -> PlanResult:
    """:func:`aip.optimize.contingency.search_contingency` with each level planned by
    :func:`optimize_level`; ``top``: the top level, already solved (a batch sweep's).

    Raises
    ------
    InfeasibleError
        No level has a plan; the message says why the top level (the largest allowed
        unit) has none.
    """
    at = partial(optimize_level, site_frame=site_frame, gpus=gpus, solve=solve, explain=False)
    try:
        return search_contingency(inputs, at, top)
    except InfeasibleError:  # re-solved only to explain it
        return optimize_level(inputs, site_frame=site_frame, gpus=gpus, solve=solve)


def optimize_level(
    inputs: ModelInputs,
    *,
    site_frame: pd.DataFrame | None = None,
    gpus: int = 0,
    solve: Solve = _cold_solve,
    explain: bool = True,
) -> PlanResult:
    """One LP: :func:`optimize` at the contingency level ``inputs`` hold, no search.

    ``explain=False`` raises a bare :class:`InfeasibleError`, without the re-solves that
    find which requirement to relax.
    """
    check_firm_capacity(inputs)
    start = time.perf_counter()
    lp, variables = build_model(inputs)
    build_seconds = time.perf_counter() - start
    outcome = solve(lp, inputs)
    return finish(
        inputs,
        lp,
        variables,
        outcome,
        build_seconds=build_seconds,
        site_frame=site_frame,
        gpus=gpus,
        explain=explain,
    )


def finish(
    inputs: ModelInputs,
    lp: LinearProblem,
    variables: Variables,
    outcome: SolveOutcome,
    *,
    build_seconds: float = 0.0,
    site_frame: pd.DataFrame | None = None,
    gpus: int = 0,
    explain: bool = True,
) -> PlanResult:
    """The plan from a solved model, or the error that says why there is none.

    :func:`optimize` ends here, and so does the batch solve of a sweep
    (:mod:`aip.sweep.batched`), which builds and solves many models at once.
    """
    if outcome.status == TerminationStatus.INFEASIBLE:
        if not explain:
            raise InfeasibleError("no feasible plan at this contingency level")
        raise explain_infeasibility(lp, inputs.time_limit_s, inputs)
    if outcome.status == TerminationStatus.TIME_LIMIT:
        raise SolverError(
            f"the solver hit the time limit of {inputs.time_limit_s:g} s before an optimal plan; "
            "fix: raise solver.time_limit_s or shorten the problem"
        )
    if outcome.status != TerminationStatus.OPTIMAL:
        raise SolverError(
            f"the solver ({outcome.solver}) ended with status {outcome.status.value!r} without "
            "an optimal plan; "
            "fix: check for extreme costs or capacities (values beyond 1e9) in the scenario"
        )
    return extract_result(
        inputs,
        lp,
        variables,
        outcome,
        build_seconds=build_seconds,
        site_frame=site_frame,
        gpus=gpus,
    )
