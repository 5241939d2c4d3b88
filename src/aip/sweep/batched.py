"""Plan a group of sweep cases with the batch first-order solver (``batch:`` in a sweep).

Cases are prepared and built one by one; those whose constraint matrices are equal
(a sweep over prices, say) are solved together by
:func:`aip.optimize.batch.solve_batch`, on a GPU where there is one. Each case then
ends as :func:`aip.optimize.run.optimize` ends (:func:`aip.optimize.run.finish`), so
its row has the same columns as a HiGHS-solved case. A case the batch leaves unsolved
(iteration or time limit, which is also how infeasible ones end) is solved again by
HiGHS, so the batch changes what a sweep finds only within its tolerance (``batch.tol``:
where the optimum is not unique, capacities may differ more), not whether a case is
solved; so is every case of a group whose batch solve fails (device out of memory, say).

The ``warm_start`` column records ``batch`` or ``batch_fallback`` (HiGHS after PDHG), and
``batch.error`` the reason where the group's batch solve raised.

With ``batch.warm_start`` each case of a group starts from the solution of the case,
among those earlier groups with the same matrix solved, nearest in the sweep's
parameters, and a queued case from the case that finished in its column. The sweep
interleaves its groups (:func:`aip.sweep.engine.run_sweep`), so a later group's cases
lie between cases already solved; solutions are kept up to :data:`STARTS_BYTES`.
The ``batch.iterations`` column records each case's PDHG iterations.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict, defaultdict, deque
from dataclasses import dataclass
from typing import Any

import numpy as np

from aip.optimize.batch import BatchResult, solve_batch, stack_problems
from aip.optimize.build import build_model
from aip.optimize.feasibility import check_firm_capacity
from aip.optimize.problem import LinearProblem
from aip.optimize.run import finish
from aip.optimize.solve import SolveOutcome, TerminationStatus, solve_problem
from aip.optimize.variables import Variables
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


@dataclass(frozen=True)
class _Solved:
    """A solved case a later group may start from: its parameters and solution."""

    params: dict[str, Any]
    x: np.ndarray
    y: np.ndarray


#: Per matrix (least recently solved first), solved cases of earlier groups, oldest first.
_STARTS: OrderedDict[str, deque[_Solved]] = OrderedDict()
_STARTS_LOCK = threading.Lock()
#: Bytes of kept solutions, all matrices together: a full-year campus LP's solution is
#: about 1.5 MB, so 512 MiB keeps about 350, several 64- or 128-case groups' worth (a
#: later group's nearest case is then one step away in an interleaved sweep).
STARTS_BYTES = 512 * 2**20


def _matrix_key(lp: LinearProblem) -> str:
    a = lp.matrix().tocsr()
    a.sort_indices()
    digest = hashlib.sha256()
    for part in (a.indptr, a.indices, a.data):
        digest.update(part.tobytes())
    return f"{a.shape}:{digest.hexdigest()}"


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


def plan_batched(
    cases: list[Case], settings: BatchSolve, hourly: bool = False, warm_start: bool = True
) -> list[CaseOutcome]:
    """Plan ``cases`` (in order), solving those with equal matrices together.

    ``warm_start`` is the sweep's, for the cases solved by HiGHS one by one (calibrated
    screening).

    Never raises for a bad case: it becomes a ``failed`` row, as in
    :func:`aip.sweep.worker.plan_case`.
    """
    outcomes: dict[int, CaseOutcome] = {}
    # per case: prepared inputs, model, build seconds, seconds spent on it so far
    built: dict[int, tuple[PreparedCase, LinearProblem, Variables, float, float]] = {}
    groups: dict[str, list[int]] = defaultdict(list)
    for i, case in enumerate(cases):
        if case.scenario is None:
            outcomes[i] = CaseOutcome(case.case_id, case.index, "failed", case.error, 0.0)
            continue
        t0 = time.perf_counter()
        try:
            prepared = prepare_case(case)
            if prepared.calibration is not None:
                # calibration re-solves with new targets after each full-year check: one
                # case at a time, on HiGHS
                outcomes[i] = plan_prepared(case, prepared, t0, warm_start, hourly)
                continue
            check_firm_capacity(prepared.inputs)
            t1 = time.perf_counter()
            lp, variables = build_model(prepared.inputs)
            t2 = time.perf_counter()
            built[i] = (prepared, lp, variables, t2 - t1, t2 - t0)
            groups[_matrix_key(lp)].append(i)
        except Exception as exc:
            outcomes[i] = failed_outcome(case, exc, t0)
    for key, members in groups.items():
        lps = [built[i][1] for i in members]
        t0 = time.perf_counter()
        batch_error: str | None = None
        try:
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
                stack_problems(lps),
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
            prepared, lp, variables, build_seconds, spent = built[i]
            # the case's own clock: its preparation, its share of the batch, its finish
            case_start = time.perf_counter() - spent - share
            outcome = _batch_outcome(result, j, share)
            mode = "batch"
            try:
                if outcome.status != TerminationStatus.OPTIMAL:
                    inputs = prepared.inputs
                    outcome = solve_problem(lp, inputs.time_limit_s, inputs.threads, inputs.method)
                    mode = "batch_fallback"
                plan = finish(
                    prepared.inputs,
                    lp,
                    variables,
                    outcome,
                    build_seconds=build_seconds,
                    site_frame=prepared.site_frame,
                    gpus=prepared.gpus,
                )
            except Exception as exc:
                outcomes[i] = failed_outcome(cases[i], exc, case_start)
                continue
            outcomes[i] = finished_outcome(cases[i], prepared, plan, mode, hourly, case_start)
            if result is not None:
                outcomes[i].outputs["batch.iterations"] = int(result.iterations[j])
            if batch_error is not None:  # why this case went to HiGHS
                outcomes[i].outputs["batch.error"] = batch_error
    return [outcomes[i] for i in range(len(cases))]


def _keep_starts(key: str, params: list[dict[str, Any]], result: BatchResult) -> None:
    """Keep the solved cases of ``result`` for later groups, dropping the oldest (of the
    least recently solved matrix first) beyond :data:`STARTS_BYTES`."""
    solved = [
        _Solved(params[j], result.x[j].copy(), result.row_dual[j].copy())
        for j, s in enumerate(result.status)
        if s == TerminationStatus.OPTIMAL
    ]
    if not solved:
        return
    with _STARTS_LOCK:
        pool = _STARTS.setdefault(key, deque())
        pool.extend(solved)
        _STARTS.move_to_end(key)
        total = sum(c.x.nbytes + c.y.nbytes for p in _STARTS.values() for c in p)
        while total > STARTS_BYTES:
            oldest_key = next(iter(_STARTS))
            dropped = _STARTS[oldest_key].popleft()
            total -= dropped.x.nbytes + dropped.y.nbytes
            if not _STARTS[oldest_key]:
                del _STARTS[oldest_key]


def _nearest(params: list[dict[str, Any]], kept: list[_Solved]) -> np.ndarray:
    """Per case, the kept case nearest in the sweep's parameters (its index): numbers by
    their difference over the largest magnitude seen, anything else equal or not."""
    names = sorted({k for p in params for k in p} | {k for c in kept for k in c.params})
    distance = np.zeros((len(params), len(kept)))
    for name in names:
        mine = [p.get(name) for p in params]
        theirs = [c.params.get(name) for c in kept]
        a = np.array([v if _number(v) else np.nan for v in mine], dtype=float)
        b = np.array([v if _number(v) else np.nan for v in theirs], dtype=float)
        magnitudes = np.abs(np.concatenate([a, b]))
        scale = float(np.nanmax(magnitudes)) if np.isfinite(magnitudes).any() else 1.0
        numeric = np.abs(a[:, None] - b[None, :]) / (scale or 1.0)
        both = np.isfinite(a)[:, None] & np.isfinite(b)[None, :]
        if both.all():  # a varied number: no Python loop over the pairs
            distance += numeric
            continue
        unequal = np.array([[float(u != v) for v in theirs] for u in mine]).reshape(both.shape)
        distance += np.where(both, numeric, unequal)
    return np.argmin(distance, axis=1)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def forget_starts() -> None:
    """Drop the kept starts (the next groups start from zero)."""
    with _STARTS_LOCK:
        _STARTS.clear()


__all__ = ["forget_starts", "plan_batched"]
