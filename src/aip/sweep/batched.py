"""Plan a group of sweep cases with the batch first-order solver (``batch:`` in a sweep).

Cases are prepared and built one by one (:func:`prepare_group`); those whose constraint
matrices are equal (a sweep over prices, say) are solved together (:func:`solve_group`) by
:func:`aip.optimize.batch.solve_batch`, on a GPU where there is one. Each case then
ends as :func:`aip.optimize.run.optimize` ends (:func:`aip.optimize.run.finish`), so
its row has the same columns as a HiGHS-solved case. A case the batch leaves unsolved
(iteration or time limit, which is also how infeasible ones end) is solved again by
HiGHS, so the batch changes what a sweep finds only within its tolerance (``batch.tol``:
where the optimum is not unique, capacities may differ more), not whether a case is
solved; so is every case of a group whose batch solve fails (device out of memory, say).

The ``warm_start`` column records ``batch`` or ``batch_fallback`` (HiGHS after PDHG),
``batch.iterations`` the case's PDHG iterations, and ``batch.error`` the reason where the
group's batch solve raised.

With ``batch.warm_start`` each case of a group starts from the solution of the case,
among those the previous group with the same matrix solved, nearest in the sweep's
parameters, and a queued case from the case that finished in its column.

A sweep runs its groups through :class:`GroupPipeline`: while the device solves one
group, a CPU thread reads out the group before and prepares the group after, so a GPU
waits less for the CPU.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import numpy as np
import scipy.sparse as sp

from aip.errors import InfeasibleError
from aip.optimize.batch import (
    BatchProblem,
    BatchResult,
    same_matrix,
    solve_batch,
    stack_problems,
)
from aip.optimize.build import build_model
from aip.optimize.contingency import searches
from aip.optimize.feasibility import check_firm_capacity
from aip.optimize.inputs import ModelInputs
from aip.optimize.problem import LinearProblem, matrix_fingerprint
from aip.optimize.run import finish, search_levels
from aip.optimize.solve import SolveOutcome, TerminationStatus, solve_problem
from aip.optimize.variables import Variables
from aip.results.plan import PlanResult
from aip.schema.sweep import BatchSolve
from aip.sweep.cases import Case
from aip.sweep.worker import (
    CaseOutcome,
    PreparedCase,
    failed_outcome,
    finished_outcome,
    plan_prepared,
    prepare_case,
)

#: Relative KKT error below which a batch solution's duals may rule N+k levels out
#: (:mod:`aip.optimize.contingency`); looser ones were seen to be wrong enough to drop the
#: best level (at 1e-2, a firm-capacity dual of 0 where HiGHS had 45,801 USD/MW-yr).
TRUSTED_KKT_ERROR = 1e-5


@dataclass(frozen=True)
class _Solved:
    """A solved case a later group may start from: its parameters and solution."""

    params: dict[str, Any]
    x: np.ndarray
    y: np.ndarray


#: Per matrix, solved cases of the last group (at most :data:`STARTS_PER_MATRIX`).
_STARTS: OrderedDict[str, list[_Solved]] = OrderedDict()
_STARTS_LOCK = threading.Lock()
#: Matrices whose solutions are kept, and solutions kept per matrix (a full-year campus
#: LP's solution is about 1.5 MB).
STARTS_KEPT, STARTS_PER_MATRIX = 4, 16


def _batch_outcome(result: BatchResult | None, j: int, seconds: float) -> SolveOutcome:
    """Problem ``j`` of a batch result as a solve outcome (an error if the batch failed)."""
    if result is None:
        nothing = np.zeros(0)
        return SolveOutcome(TerminationStatus.ERROR, nothing, nothing, np.nan, seconds, 0, 0)
    return SolveOutcome(
        status=result.status[j],
        x=result.x[j],
        row_dual=result.row_dual[j],
        objective=float(result.objective[j]),
        seconds=seconds,
        simplex_iterations=0,
        ipm_iterations=0,
        solver=f"pdhg-{result.backend}",
    )


class SweepEndingError(Exception):
    """A group's preparation stopped because the sweep is ending."""


@dataclass
class PreparedGroup:
    """Cases of one group made ready for the batch solve by :func:`prepare_group`."""

    cases: list[Case]
    hourly: bool
    #: cases already ended: failed ones, and calibrated ones (solved by HiGHS)
    outcomes: dict[int, CaseOutcome]
    #: per case: prepared inputs, model, build seconds, seconds spent on it so far
    built: dict[int, tuple[PreparedCase, LinearProblem, Variables, float, float]]
    #: case positions by constraint matrix
    members: dict[str, list[int]]
    #: the constraint matrices, by name
    matrices: dict[str, sp.csr_matrix] = field(default_factory=dict)
    #: per matrix, its cases stacked for the batch solver, or why they could not be
    stacked: dict[str, BatchProblem | Exception] = field(default_factory=dict)


@dataclass
class SolvedGroup:
    """A prepared group after :func:`solve_group`: per case, its batch result (``None``
    where the batch solve of its matrix failed), its row in it, its share of the
    batch's seconds and the failure's reason."""

    prepared: PreparedGroup
    solved: dict[int, tuple[BatchResult | None, int, float, str | None]]


def prepare_group(
    cases: list[Case],
    hourly: bool = False,
    warm_start: bool = True,
    stop: threading.Event | None = None,
) -> PreparedGroup:
    """Parse, prepare and build each case (the CPU's part), grouped by constraint matrix;
    then :func:`solve_group` (the device's part) and :func:`read_out`.

    Calibrated screening cases are planned here, by HiGHS one by one (calibration
    re-solves with new targets after each full-year check); ``warm_start`` is the
    sweep's, for them. Never raises for a bad case: it becomes a ``failed`` row, as in
    :func:`aip.sweep.worker.plan_case`. Raises :class:`SweepEndingError` between cases once
    ``stop`` is set.
    """
    group = PreparedGroup(cases, hourly, {}, {}, defaultdict(list))
    for i, case in enumerate(cases):
        if stop is not None and stop.is_set():
            raise SweepEndingError("the sweep is ending")
        if case.scenario is None:
            group.outcomes[i] = CaseOutcome(case.case_id, case.index, "failed", case.error, 0.0)
            continue
        t0 = time.perf_counter()
        try:
            prepared = prepare_case(case)
            if prepared.calibration is not None or not _firm_check_passes(prepared.inputs):
                group.outcomes[i] = plan_prepared(case, prepared, t0, warm_start, hourly)
                continue
            t1 = time.perf_counter()
            lp, variables = build_model(prepared.inputs)
            t2 = time.perf_counter()
            group.built[i] = (prepared, lp, variables, t2 - t1, t2 - t0)
            group.members[_matrix_of(group, lp)].append(i)
        except Exception as exc:
            group.outcomes[i] = failed_outcome(case, exc, t0)
    for key, members in group.members.items():
        try:
            lps = [group.built[i][1] for i in members]
            group.stacked[key] = stack_problems(lps, matrix=group.matrices[key])
        except Exception as exc:  # the batch solve of these cases fails with it
            group.stacked[key] = exc
    return group


def _matrix_of(group: PreparedGroup, lp: LinearProblem) -> str:
    """The name of ``lp``'s constraint matrix in ``group``: that of the group's last
    matrix where equal (compared entry by entry, a fraction of a millisecond: the common
    case, a sweep over prices), else its fingerprint (a few milliseconds)."""
    a = lp.matrix("csr")
    if group.matrices:
        last = next(reversed(group.matrices))
        if same_matrix(a, group.matrices[last]):
            return last
    key = fingerprint = matrix_fingerprint(a)
    collisions = 0  # a (128-bit) hash collision keeps its matrices apart
    while key in group.matrices and not same_matrix(a, group.matrices[key]):
        collisions += 1
        key = f"{fingerprint}#{collisions}"
    if key in group.matrices:
        group.matrices[key] = group.matrices.pop(key)  # the last matched, tried first
    else:
        group.matrices[key] = a
    return key


def solve_group(group: PreparedGroup, settings: BatchSolve) -> SolvedGroup:
    """Solve a prepared group's cases with the batch PDHG, those with one matrix together
    (each from the nearest case the previous group with that matrix solved). No HiGHS
    here: the cases it leaves unsolved go to HiGHS in :func:`read_out`."""
    cases = group.cases
    solved: dict[int, tuple[BatchResult | None, int, float, str | None]] = {}
    for key, members in group.members.items():
        t0 = time.perf_counter()
        batch_error: str | None = None
        try:
            stacked = group.stacked[key]
            if isinstance(stacked, Exception):
                raise stacked
            start, start_index = None, None
            if settings.warm_start:
                with _STARTS_LOCK:
                    kept = list(_STARTS.get(key, []))
                if kept:
                    nearest = _nearest([cases[i].params for i in members], kept)
                    # only the solutions this group starts from go to the solver
                    used, start_index = np.unique(nearest, return_inverse=True)
                    start = (
                        np.stack([kept[u].x for u in used]),
                        np.stack([kept[u].y for u in used]),
                    )
            result: BatchResult | None = solve_batch(
                stacked,
                tol=settings.tol,
                max_iter=settings.max_iter,
                backend=settings.backend,
                time_limit_s=settings.time_limit_s,
                block=settings.block,
                start=start,
                start_index=start_index,
                warm_refill=settings.warm_start,
            )
            if settings.warm_start and result is not None:
                _keep_starts(key, [cases[i].params for i in members], result)
        except Exception as exc:  # the group goes to HiGHS case by case, as unsolved ones do
            result = None
            batch_error = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
        share = (time.perf_counter() - t0) / len(members)
        for j, i in enumerate(members):
            solved[i] = (result, j, share, batch_error)
    return SolvedGroup(group, solved)


def read_out(group: SolvedGroup) -> list[CaseOutcome]:
    """Each case's row, in the group's order: the batch's solution read out as
    :func:`aip.optimize.run.optimize` would, or HiGHS's where PDHG left the case unsolved."""
    prepared = group.prepared
    cases, outcomes = prepared.cases, dict(prepared.outcomes)
    for i, (result, j, share, batch_error) in group.solved.items():
        case_inputs, lp, variables, build_seconds, spent = prepared.built[i]
        # the case's own clock: its preparation, its share of the batch, its readout
        case_start = time.perf_counter() - spent - share
        outcome = _batch_outcome(result, j, share)
        mode = "batch"
        try:
            if outcome.status != TerminationStatus.OPTIMAL:
                inputs = case_inputs.inputs
                outcome = solve_problem(lp, inputs.time_limit_s, inputs.threads, inputs.method)
                mode = "batch_fallback"
            exact = mode == "batch_fallback" or (
                result is not None and float(result.kkt_error[j]) <= TRUSTED_KKT_ERROR
            )
            plan = _finish_case(case_inputs, lp, variables, outcome, build_seconds, exact)
        except Exception as exc:
            outcomes[i] = failed_outcome(cases[i], exc, case_start)
            continue
        outcomes[i] = finished_outcome(
            cases[i], case_inputs, plan, mode, prepared.hourly, case_start
        )
        if result is not None:
            outcomes[i].outputs["batch.iterations"] = int(result.iterations[j])
        if batch_error is not None:  # why this case went to HiGHS
            outcomes[i].outputs["batch.error"] = batch_error
    return [outcomes[i] for i in range(len(cases))]


def _firm_check_passes(inputs: ModelInputs) -> bool:
    """Raise the firm-capacity pre-check's error, except where N+k is searched: there a
    failing top level (the largest allowed unit) may still leave a smaller level with a
    plan, so the case goes to HiGHS, which searches the levels (False)."""
    try:
        check_firm_capacity(inputs)
    except InfeasibleError:
        if not searches(inputs):
            raise
        return False
    return True


def _finish_case(
    prepared: PreparedCase,
    lp: LinearProblem,
    variables: Variables,
    outcome: SolveOutcome,
    build_seconds: float,
    exact: bool,
) -> PlanResult:
    """The case's plan from its batch solution, as :func:`aip.optimize.run.optimize` would
    give it: where N+k applies, the batch solved the top level and HiGHS the ones below.
    ``exact``: the solution's duals may rule levels out (tight enough, or HiGHS's)."""
    inputs = prepared.inputs
    finished = partial(
        finish,
        inputs,
        lp,
        variables,
        outcome,
        build_seconds=build_seconds,
        site_frame=prepared.site_frame,
        gpus=prepared.gpus,
    )
    if not searches(inputs):
        return finished()
    top: PlanResult | InfeasibleError
    try:
        top = finished(explain=False)
    except InfeasibleError as exc:
        top = exc
    if isinstance(top, PlanResult) and not exact:
        top = replace(top, shadow_prices={})
    return search_levels(inputs, site_frame=prepared.site_frame, gpus=prepared.gpus, top=top)


class GroupPipeline:
    """A batch sweep's groups as a pipeline: the device solves one group (in the calling
    thread) while one CPU thread reads out the group before and prepares the group after.

    All CPU work (parsing, profiles, models, HiGHS for calibrated and unsolved cases,
    readout) runs on that one thread, in order, so HiGHS never runs on two threads at
    once (its output redirect is process-wide). Call :meth:`submit` with the groups in
    their order, keep at most two submitted groups unread (the sweep does), and
    :meth:`close` at the end.
    """

    def __init__(
        self, groups: list[list[Case]], settings: BatchSolve, hourly: bool, warm_start: bool
    ) -> None:
        self._groups, self._settings = groups, settings
        self._stop = threading.Event()
        self._prepare = partial(prepare_group, hourly=hourly, warm_start=warm_start)
        self._next = 0
        self._ahead: Future[PreparedGroup] | None = None
        self._cpu = ThreadPoolExecutor(1, thread_name_prefix="aip-cpu")

    def submit(self, cases: list[Case]) -> Future[list[CaseOutcome]]:
        """Solve the next group (``cases``) here, then queue its readout on the CPU thread
        (after the next group's preparation, which starts now); the rows' future."""
        if self._next >= len(self._groups) or cases is not self._groups[self._next]:
            raise RuntimeError("GroupPipeline.submit takes the groups in their order")
        ahead, self._ahead = self._ahead, None
        self._next += 1
        try:
            try:
                if ahead is None:
                    ahead = self._cpu.submit(self._prepare, cases, stop=self._stop)
                prepared = ahead.result()
            finally:
                if self._next < len(self._groups) and not self._stop.is_set():
                    nxt = self._groups[self._next]
                    self._ahead = self._cpu.submit(self._prepare, nxt, stop=self._stop)
            solved = solve_group(prepared, self._settings)
        except Exception as exc:  # this group's rows fail; later groups go on
            lost: Future[list[CaseOutcome]] = Future()
            lost.set_exception(exc)
            return lost
        return self._cpu.submit(read_out, solved)

    def close(self) -> None:
        """End the CPU thread: a preparation stops at its next case; readouts, whose
        solutions are computed, finish (a few seconds per group)."""
        self._stop.set()
        self._cpu.shutdown(wait=True)


def _keep_starts(key: str, params: list[dict[str, Any]], result: BatchResult) -> None:
    """Keep solved cases of ``result`` (spread over the group) for the next group."""
    solved = [j for j, s in enumerate(result.status) if s == TerminationStatus.OPTIMAL]
    if not solved:
        return
    picks = np.unique(np.linspace(0, len(solved) - 1, STARTS_PER_MATRIX).round().astype(int))
    kept = [
        _Solved(params[solved[p]], result.x[solved[p]].copy(), result.row_dual[solved[p]].copy())
        for p in picks
    ]
    with _STARTS_LOCK:
        _STARTS[key] = kept
        _STARTS.move_to_end(key)
        while len(_STARTS) > STARTS_KEPT:
            _STARTS.popitem(last=False)


def _nearest(params: list[dict[str, Any]], kept: list[_Solved]) -> np.ndarray:
    """Per case, the kept case nearest in the sweep's parameters (its index): numbers by
    their difference over the largest magnitude seen, anything else equal or not."""
    names = sorted({k for p in params for k in p} | {k for c in kept for k in c.params})
    scale = {
        k: max(
            (abs(p[k]) for p in [*params, *(c.params for c in kept)] if _number(p.get(k))),
            default=1.0,
        )
        or 1.0
        for k in names
    }

    def distance(a: dict[str, Any], b: dict[str, Any]) -> float:
        total = 0.0
        for k in names:
            u, v = a.get(k), b.get(k)
            if (
                isinstance(u, int | float)
                and isinstance(v, int | float)
                and _number(u)
                and _number(v)
            ):
                total += abs(float(u) - float(v)) / scale[k]
            elif u != v:
                total += 1.0
        return total

    return np.array([int(np.argmin([distance(p, c.params) for c in kept])) for p in params])


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def forget_starts() -> None:
    """Drop the kept starts (the next groups start from zero)."""
    with _STARTS_LOCK:
        _STARTS.clear()


__all__ = [
    "GroupPipeline",
    "PreparedGroup",
    "SolvedGroup",
    "SweepEndingError",
    "forget_starts",
    "prepare_group",
    "read_out",
    "solve_group",
]
