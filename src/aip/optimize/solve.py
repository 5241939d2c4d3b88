"""Solve a :class:`LinearProblem`: HiGHS's algorithms, or the barrier path.

The barrier path (``method: barrier``, and ``auto`` on full-year LPs) solves with
Clarabel's interior point (:mod:`aip.optimize.barrier`), then finds a vertex
solution with HiGHS: the capacity columns (``lp.linking``) are fixed at the interior
optimum and the dispatch that remains is re-solved by simplex, which takes under a
second because, with capacities fixed, most rows become bounds. The result is an
optimal basic solution (clean zeros, no simultaneous charge and discharge from an
analytic centre) at a fraction of the simplex's time on the whole LP. Anything but a
checked optimum hands the problem to HiGHS's simplex, so the verdict (infeasible,
unbounded) is always HiGHS's.

Why not a library crossover: HiGHS's ``Highs.crossover`` (IPX) accepts an external point
only if it is exactly complementary, which an interior point is not, and a basis guessed
from the interior point cost more repair pivots than the simplex saved (measured,
docs/benchmarks.md). Fixing the few capacity columns uses what the campus LP's structure
gives for free.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import time
from collections.abc import Iterator

import highspy
import numpy as np

from aip.optimize.barrier import solve_barrier
from aip.optimize.outcome import SolveOutcome, TerminationStatus
from aip.optimize.problem import LinearProblem

__all__ = [
    "BARRIER_MIN_ROWS",
    "SolveOutcome",
    "TerminationStatus",
    "new_highs",
    "pass_problem",
    "resolve_method",
    "run",
    "solve_problem",
]


_STATUS = {
    highspy.HighsModelStatus.kOptimal: TerminationStatus.OPTIMAL,
    highspy.HighsModelStatus.kModelEmpty: TerminationStatus.OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: TerminationStatus.INFEASIBLE,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: TerminationStatus.INFEASIBLE,
    highspy.HighsModelStatus.kUnbounded: TerminationStatus.UNBOUNDED,
    highspy.HighsModelStatus.kTimeLimit: TerminationStatus.TIME_LIMIT,
    highspy.HighsModelStatus.kIterationLimit: TerminationStatus.ITERATION_LIMIT,
}

#: With ``auto``, LPs with at least this many rows (a full year of hours: ~9 rows per
#: hour) take the barrier path; smaller ones (typical-day screens, staged plans, tests)
#: solve faster by simplex, which also gives a vertex directly. docs/benchmarks.md.
BARRIER_MIN_ROWS = 20_000

#: The vertex found with capacities fixed is accepted when its cost is within this
#: relative distance of the interior optimum (snapping capacities moves it ~1e-8).
POLISH_TOLERANCE = 1e-6


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Silence C-level stdout (HiGHS prints a banner when constructed).

    ``aip plan --json`` promises that stdout holds only JSON, so the banner must
    not reach fd 1.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def new_highs(
    time_limit_s: float = 600.0, threads: int = 1, method: str = "choose"
) -> highspy.Highs:
    """A quiet HiGHS instance with aip's options (``method``: HiGHS's ``solver`` option)."""
    with _quiet_stdout():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("threads", int(threads))
    h.setOptionValue("solver", method)
    return h


def pass_problem(h: highspy.Highs, lp: LinearProblem) -> None:
    """Load ``lp`` into ``h`` (column-wise sparse matrix)."""
    a = lp.matrix()
    model = highspy.HighsLp()
    model.num_col_ = lp.n_cols
    model.num_row_ = lp.n_rows
    model.col_cost_ = lp.cost
    model.col_lower_ = lp.lower
    model.col_upper_ = lp.upper
    model.row_lower_ = lp.row_lower
    model.row_upper_ = lp.row_upper
    model.offset_ = lp.constant
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = a.indptr.astype(np.int32)
    model.a_matrix_.index_ = a.indices.astype(np.int32)
    model.a_matrix_.value_ = a.data
    h.passModel(model)


def run(h: highspy.Highs) -> SolveOutcome:
    """Run HiGHS on the loaded model and collect the outcome."""
    start = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - start
    model_status = h.getModelStatus()
    status = _STATUS.get(model_status, TerminationStatus.ERROR)
    info = h.getInfo()
    solution = h.getSolution()
    has_values = status == TerminationStatus.OPTIMAL
    x = np.asarray(solution.col_value, float) if has_values else np.zeros(0)
    duals = np.asarray(solution.row_dual, float) if has_values else np.zeros(0)
    return SolveOutcome(
        status=status,
        x=x,
        row_dual=duals,
        objective=float(info.objective_function_value) if has_values else float("nan"),
        seconds=seconds,
        simplex_iterations=int(info.simplex_iteration_count),
        ipm_iterations=int(info.ipm_iteration_count),
    )


def resolve_method(lp: LinearProblem, method: str) -> str:
    """The algorithm ``method`` stands for on ``lp``: ``barrier`` or a HiGHS method.

    Examples
    --------
    >>> from aip.optimize.problem import LinearProblem
    >>> resolve_method(LinearProblem(n_rows=100), "auto")
    'choose'
    >>> resolve_method(LinearProblem(n_rows=100), "barrier")
    'barrier'
    """
    if method == "auto":
        large = lp.n_rows >= BARRIER_MIN_ROWS and lp.linking.size > 0
        return "barrier" if large else "choose"
    return method


def solve_problem(
    lp: LinearProblem, time_limit_s: float = 600.0, threads: int = 1, method: str = "auto"
) -> SolveOutcome:
    """Solve ``lp`` with ``method`` (see :func:`resolve_method`) and return the outcome.

    Examples
    --------
    >>> from aip.optimize.build import build_model
    >>> from aip.optimize.examples import two_hour_example
    >>> lp, _ = build_model(two_hour_example())
    >>> [round(solve_problem(lp, method=m).objective) for m in ("simplex", "barrier")]
    [106000, 106000]
    """
    resolved = resolve_method(lp, method)
    if resolved == "barrier":
        return _barrier_then_vertex(lp, time_limit_s, threads)
    h = new_highs(time_limit_s, threads, resolved)
    pass_problem(h, lp)
    return run(h)


def _barrier_then_vertex(lp: LinearProblem, time_limit_s: float, threads: int) -> SolveOutcome:
    interior = solve_barrier(lp, time_limit_s)
    if interior.status == TerminationStatus.TIME_LIMIT:
        return interior
    remaining = max(time_limit_s - interior.seconds, 1.0)
    if interior.status == TerminationStatus.OPTIMAL:
        vertex = polish_vertex(lp, interior, remaining, threads)
        if vertex is not None:
            return vertex
    h = new_highs(remaining, threads, "choose")
    pass_problem(h, lp)
    fallback = run(h)
    return dataclasses.replace(
        fallback,
        seconds=fallback.seconds + interior.seconds,
        ipm_iterations=interior.ipm_iterations,
        solver=f"highs (after clarabel: {interior.status.value})",
    )


def polish_vertex(
    lp: LinearProblem, interior: SolveOutcome, time_limit_s: float = 600.0, threads: int = 1
) -> SolveOutcome | None:
    """A vertex solution from an interior optimum: fix ``lp.linking``, re-solve by simplex.

    Capacities within ``tol`` = 1e-6 (relative to the largest) of a bound are snapped to
    it, so that a plan builds exactly nothing rather than 1e-8 MW. If that leaves a row of
    capacities alone (firm capacity, duration bounds) short by more than HiGHS's 1e-7
    feasibility tolerance, the re-solve is repeated with the other capacities free to grow
    by up to ``tol`` to make up for it. Returns ``None``
    when neither re-solve is optimal within :data:`POLISH_TOLERANCE` of the interior
    optimum; the caller then solves the whole LP by simplex.
    """
    cols = lp.linking
    lower, upper = lp.lower[cols], lp.upper[cols]
    values = interior.x[cols]
    tol = 1e-6 * max(1.0, float(np.abs(values).max(initial=0.0)))
    snapped = np.where(values - lower <= tol, lower, values)
    snapped = np.where(upper - snapped <= tol, upper, snapped)
    # second try: what was snapped stays snapped, the rest may grow by up to tol to make
    # up for it (a vertex of this box is as clean, and within tol of the interior point)
    inside = snapped == values
    grown = np.where(inside, np.minimum(values + tol, upper), snapped)
    spent = 0.0
    tries = [(snapped, snapped)] + ([(snapped, grown)] if np.any(~inside) else [])
    h = new_highs(time_limit_s, threads, "simplex")
    pass_problem(h, lp)
    for low, high in tries:
        if cols.size:
            h.changeColsBounds(cols.size, cols.astype(np.int32), low, high)
        vertex = run(h)
        spent += vertex.seconds
        scale = max(1.0, abs(interior.objective))
        if (
            vertex.status == TerminationStatus.OPTIMAL
            and vertex.objective - interior.objective <= POLISH_TOLERANCE * scale
        ):
            return SolveOutcome(
                status=TerminationStatus.OPTIMAL,
                x=vertex.x,
                # duals of the whole LP (the fixed-capacity LP's would price capacity as sunk)
                row_dual=interior.row_dual,
                objective=vertex.objective,
                seconds=interior.seconds + spent,
                simplex_iterations=vertex.simplex_iterations,
                ipm_iterations=interior.ipm_iterations,
                solver="clarabel+highs",
            )
        if spent >= time_limit_s:
            break
    return None
