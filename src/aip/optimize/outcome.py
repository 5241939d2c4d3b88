"""What a solver returned, in one shape for HiGHS and Clarabel (the linopy convention)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray


class TerminationStatus(StrEnum):
    """How the solver ended (the linopy convention)."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    TIME_LIMIT = "time_limit"
    ITERATION_LIMIT = "iteration_limit"
    ERROR = "error"


@dataclass(frozen=True)
class SolveOutcome:
    """What the solver returned: status, primal values, row duals, objective and statistics."""

    status: TerminationStatus
    x: NDArray[np.float64]
    row_dual: NDArray[np.float64]
    objective: float
    seconds: float
    simplex_iterations: int
    ipm_iterations: int
    solver: str = "highs"
