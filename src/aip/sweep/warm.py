"""Warm-started solves: cases that share the LP structure re-solve from the last basis.

Within one worker, consecutive cases of a sweep usually differ only in costs
(fuel price, capex) or bounds (load, limits); the constraint matrix is then
identical and the previous optimal basis is a few pivots from the new optimum.

Two levels, chosen per case:

1. **same matrix** (same shape, pattern and coefficients): keep the HiGHS
   instance and change only costs, column bounds, row bounds and the objective
   offset; HiGHS restarts from its current basis (primal simplex after cost
   changes, dual simplex after bound changes).
2. **same shape** (e.g. another site's capacity factors): load the new model
   and hand HiGHS the previous basis with ``setBasis``.

Anything else solves cold. A warm solve that does not end optimal is repeated
cold, so warm starts can change speed but never the answer's status.

Warm starts need a simplex basis, so they apply only where the scenario's
``solver.method`` resolves to a HiGHS method; an LP that takes the barrier path
(``auto`` on a full year) is solved by it cold, because that is faster than a
warm simplex there (colossus-memphis sweep: 2x the cases per minute,
docs/benchmarks.md, "Sweeps").
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd

from aip.optimize.inputs import ModelInputs
from aip.optimize.problem import LinearProblem, matrix_fingerprint
from aip.optimize.run import optimize
from aip.optimize.solve import (
    SolveOutcome,
    TerminationStatus,
    new_highs,
    pass_problem,
    resolve_method,
    run,
    solve_problem,
)
from aip.results.plan import PlanResult

#: HiGHS instances kept per thread; each holds one model (tens of MB for a year).
_MAX_CACHED = 2


@dataclass
class _Entry:
    highs: highspy.Highs
    fingerprint: str


class WarmSolver:
    """Solve campus models, re-using the basis of the last model of the same shape.

    Not thread-safe: use one per thread (:func:`thread_solver`).

    Examples
    --------
    >>> from aip.optimize.examples import two_hour_example
    >>> solver = WarmSolver()
    >>> first = solver.optimize(two_hour_example())
    >>> again = solver.optimize(two_hour_example())
    >>> solver.last_mode, again.objective_usd_per_year == first.objective_usd_per_year
    ('same_matrix', True)
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._cache: OrderedDict[tuple[int, int], _Entry] = OrderedDict()
        self.last_mode = "cold"

    def optimize(
        self, inputs: ModelInputs, *, site_frame: pd.DataFrame | None = None, gpus: int = 0
    ) -> PlanResult:
        """Like :func:`aip.optimize.optimize`, warm-started when possible."""
        return optimize(inputs, site_frame=site_frame, gpus=gpus, solve=self._solve)

    def _solve(self, lp: LinearProblem, inputs: ModelInputs) -> SolveOutcome:
        barrier = resolve_method(lp, inputs.method) == "barrier"
        if barrier or not self.enabled:
            self.last_mode = "barrier" if barrier else "cold"
            return solve_problem(lp, inputs.time_limit_s, inputs.threads, inputs.method)
        key = (lp.n_rows, lp.n_cols)
        fingerprint = matrix_fingerprint(lp.matrix())
        entry = self._cache.get(key)
        if entry is None:
            self.last_mode = "cold"
            h = new_highs(inputs.time_limit_s, inputs.threads)
            pass_problem(h, lp)
        elif entry.fingerprint == fingerprint:
            self.last_mode = "same_matrix"
            h = entry.highs
            _set_options(h, inputs)
            _change_numbers(h, lp)
        else:
            self.last_mode = "same_shape"
            h = entry.highs
            basis = h.getBasis()
            _set_options(h, inputs)
            pass_problem(h, lp)
            if basis.valid:
                h.setBasis(basis)
        outcome = run(h)
        if self.last_mode != "cold" and outcome.status != TerminationStatus.OPTIMAL:
            # a stale basis must never change the verdict: confirm from scratch
            self.last_mode = "cold"
            h = new_highs(inputs.time_limit_s, inputs.threads)
            pass_problem(h, lp)
            cold = run(h)
            outcome = dataclasses.replace(cold, seconds=cold.seconds + outcome.seconds)
        if outcome.status == TerminationStatus.OPTIMAL:
            self._cache[key] = _Entry(h, fingerprint)
            self._cache.move_to_end(key)
            while len(self._cache) > _MAX_CACHED:
                self._cache.popitem(last=False)
        else:
            self._cache.pop(key, None)
        return outcome


def _set_options(h: highspy.Highs, inputs: ModelInputs) -> None:
    h.setOptionValue("time_limit", float(inputs.time_limit_s))
    h.setOptionValue("threads", int(inputs.threads))


def _change_numbers(h: highspy.Highs, lp: LinearProblem) -> None:
    """Replace costs, bounds and the objective offset of the loaded model."""
    cols = np.arange(lp.n_cols, dtype=np.int32)
    rows = np.arange(lp.n_rows, dtype=np.int32)
    h.changeColsCost(lp.n_cols, cols, lp.cost)
    h.changeColsBounds(lp.n_cols, cols, lp.lower, lp.upper)
    # present in highspy, missing from its type stubs
    h.changeRowsBounds(lp.n_rows, rows, lp.row_lower, lp.row_upper)  # type: ignore[attr-defined]
    h.changeObjectiveOffset(lp.constant)


_local = threading.local()


def thread_solver(enabled: bool = True) -> WarmSolver:
    """This thread's :class:`WarmSolver` (workers keep it between tasks).

    One per thread because Dask may run several tasks in one process at once.
    """
    solver: WarmSolver | None = getattr(_local, "solver", None)
    if solver is None:
        solver = _local.solver = WarmSolver(enabled)
    solver.enabled = enabled
    return solver
