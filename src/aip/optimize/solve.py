"""Solve a :class:`LinearProblem` with HiGHS (through ``highspy``)."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

import highspy
import numpy as np
from numpy.typing import NDArray

from aip.optimize.problem import LinearProblem


class TerminationStatus(StrEnum):
    """How the solver ended (the linopy convention)."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    TIME_LIMIT = "time_limit"
    ITERATION_LIMIT = "iteration_limit"
    ERROR = "error"


_STATUS = {
    highspy.HighsModelStatus.kOptimal: TerminationStatus.OPTIMAL,
    highspy.HighsModelStatus.kModelEmpty: TerminationStatus.OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: TerminationStatus.INFEASIBLE,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: TerminationStatus.INFEASIBLE,
    highspy.HighsModelStatus.kUnbounded: TerminationStatus.UNBOUNDED,
    highspy.HighsModelStatus.kTimeLimit: TerminationStatus.TIME_LIMIT,
    highspy.HighsModelStatus.kIterationLimit: TerminationStatus.ITERATION_LIMIT,
}


@dataclass(frozen=True)
class SolveOutcome:
    """What HiGHS returned: status, primal values, row duals, objective and statistics."""

    status: TerminationStatus
    x: NDArray[np.float64]
    row_dual: NDArray[np.float64]
    objective: float
    seconds: float
    simplex_iterations: int
    ipm_iterations: int
    solver: str = "highs"


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


def solve_problem(
    lp: LinearProblem, time_limit_s: float = 600.0, threads: int = 1, method: str = "choose"
) -> SolveOutcome:
    """Build a HiGHS instance for ``lp``, solve it and return the outcome."""
    h = new_highs(time_limit_s, threads, method)
    pass_problem(h, lp)
    return run(h)
