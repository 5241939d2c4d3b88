"""Run a sweep on a process pool or a Dask cluster, streaming results into the store.

Both engines are driven through one code path: a :class:`concurrent.futures.Executor`
(``ProcessPoolExecutor`` locally, ``distributed.Client.get_executor()`` on Dask).
The parent keeps a bounded window of chunks in flight, records finished chunks
in batched transactions, and never stops for a failed case.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from aip.errors import ScenarioError
from aip.optimize.batch import get_backend
from aip.schema.sweep import SweepSpec, load_sweep, parse_sweep
from aip.sweep.batched import GroupPipeline, forget_starts
from aip.sweep.cases import Case, column_types, expand_cases
from aip.sweep.store import ResultStore
from aip.sweep.worker import CaseOutcome, plan_chunk

Engine = Literal["local", "dask"]

#: Commit at least this often [s] so a kill loses little finished work.
_FLUSH_SECONDS = 2.0


@dataclass(frozen=True)
class SweepSummary:
    """What a sweep run did."""

    name: str
    db: str
    engine: str
    workers: int
    cases: int
    skipped: int
    ok: int
    failed: int
    not_run: int
    seconds: float
    warm_modes: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[int, str, str]] = field(default_factory=list)
    """(case_index, case_id, reason) of each failure in this run."""

    @property
    def cases_per_minute(self) -> float:
        done = self.ok + self.failed
        return 60.0 * done / self.seconds if self.seconds > 0 else 0.0

    def failure_reasons(self) -> dict[str, int]:
        """Failures grouped by reason, most frequent first."""
        return dict(Counter(reason for _, _, reason in self.failures).most_common())

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "db": self.db,
            "engine": self.engine,
            "workers": self.workers,
            "cases": self.cases,
            "skipped": self.skipped,
            "ok": self.ok,
            "failed": self.failed,
            "not_run": self.not_run,
            "seconds": self.seconds,
            "cases_per_minute": self.cases_per_minute,
            "warm_modes": dict(self.warm_modes),
            "failure_reasons": self.failure_reasons(),
        }


@contextlib.contextmanager
def open_executor(
    engine: Engine, workers: int | None, scheduler: str | None
) -> Iterator[tuple[Executor, int]]:
    """An executor for ``engine`` and its number of parallel slots."""
    if engine == "local":
        n = workers or os.cpu_count() or 1
        # forkserver: workers must not inherit the parent's DuckDB handle or threads
        # (fork), and should not each re-import aip from scratch (spawn, ~1.5 s each)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["aip.sweep.worker"])
        with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool:
            yield pool, n
        return
    if engine != "dask":
        raise ScenarioError.for_field("--engine", engine, "'local' or 'dask'", "pick one")
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ScenarioError(
            "--engine dask needs the dask extra; fix: pip install 'aip[dask]'"
        ) from None
    with contextlib.ExitStack() as stack:
        if scheduler:
            try:
                client = stack.enter_context(Client(scheduler))
            except (OSError, ValueError, TypeError) as exc:  # no scheduler there, bad address
                raise ScenarioError.for_field(
                    "--scheduler",
                    scheduler,
                    f"the address of a running Dask scheduler, e.g. tcp://host:8786 ({exc})",
                    "start one there, or leave --scheduler out for a local cluster",
                ) from None
        else:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    dashboard_address=None,
                )
            )
            client = stack.enter_context(Client(cluster))
        n = workers or sum(client.nthreads().values()) or 1
        yield client.get_executor(pure=False), n


def _chunks(cases: list[Case], size: int) -> Iterator[list[Case]]:
    for start in range(0, len(cases), size):
        yield cases[start : start + size]


def _progress(console: Console, enabled: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TextColumn("failed {task.fields[failed]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        disable=not enabled,
        transient=False,
    )


def run_sweep(
    sweep: str | Path | SweepSpec | dict[str, Any],
    db: str | Path | None = None,
    *,
    engine: Engine = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    retry_failed: bool = False,
    progress: bool = True,
    folder: str | Path | None = None,
    console: Console | None = None,
    flush_seconds: float = _FLUSH_SECONDS,
) -> SweepSummary:
    """Run every case of a sweep not already in the store.

    Parameters
    ----------
    sweep : path, SweepSpec or mapping
        The sweep file (see docs/sweep.md) or its content.
    db : path, optional
        DuckDB results file; default ``<sweep name>.duckdb`` in the working folder.
    engine : {"local", "dask"}
        ``local``: a process pool on this machine; ``dask``: a Dask cluster at
        ``scheduler`` (``tcp://host:8786``), or a ``LocalCluster`` when none is given.
    workers : int, optional
        Parallel workers; default the CPU count (local) or the cluster's threads.
    retry_failed : bool
        Re-run cases recorded as failed (they are skipped otherwise).
    folder : path, optional
        Folder a relative ``base`` is read from when ``sweep`` is not a file.
    flush_seconds : float
        Commit finished cases at least this often [s]; a kill loses at most the
        cases in flight plus those finished since the last commit.

    Returns
    -------
    SweepSummary

    Examples
    --------
    >>> summary = run_sweep("examples/sweep-gas-price.yaml", workers=2)  # doctest: +SKIP
    >>> summary.failed  # doctest: +SKIP
    0
    """
    if isinstance(sweep, str | Path):
        spec, base_folder = load_sweep(sweep)
    else:
        spec, base_folder = parse_sweep(sweep), Path(folder or ".")
    if spec.batch is not None:
        if engine != "local":
            raise ScenarioError.for_field(
                "engine",
                engine,
                "local when the sweep has `batch:`",
                "the batch solver runs in this process",
            )
        get_backend(spec.batch.backend)  # a missing array library fails here, not per group
    cases = expand_cases(spec, base_folder)
    db_path = Path(db) if db is not None else Path(f"{spec.name}.duckdb")
    store = ResultStore(db_path, column_types(spec, cases))
    try:
        done = store.finished(include_failed=not retry_failed)
        todo = [c for c in cases if c.case_id not in done]
        label = "batch" if spec.batch is not None else engine
        if not todo:
            store.log_run(spec.name, label, 0, len(cases), len(cases))
            return _drive(spec, cases, todo, store, None, 1, label, False, console, flush_seconds)
        if spec.batch is not None:
            store.log_run(spec.name, "batch", 1, len(cases), len(cases) - len(todo))
            return _drive(
                spec, cases, todo, store, None, 1, "batch", progress, console, flush_seconds
            )
        with open_executor(engine, workers, scheduler) as (executor, slots):
            store.log_run(spec.name, engine, slots, len(cases), len(cases) - len(todo))
            return _drive(
                spec, cases, todo, store, executor, slots, engine, progress, console, flush_seconds
            )
    finally:
        store.close()


def _drive(
    spec: SweepSpec,
    cases: list[Case],
    todo: list[Case],
    store: ResultStore,
    executor: Executor | None,
    slots: int,
    engine: str,
    show: bool,
    console: Console | None,
    flush_seconds: float,
) -> SweepSummary:
    dispatch: Callable[[list[Case]], Future[list[CaseOutcome]]] | None
    pipeline: GroupPipeline | None = None
    if spec.batch is not None:
        forget_starts()  # a sweep starts from its own solutions only, not an earlier sweep's
        groups = list(_chunks(todo, spec.batch.group_size))
        pipeline = GroupPipeline(groups, spec.batch, spec.hourly, spec.warm_start)
        # two groups in flight: one read out on the CPU while the next is solved
        dispatch, window, chunks = pipeline.submit, 2, iter(groups)
    else:
        size = spec.chunk_size or max(1, min(16, math.ceil(len(todo) / (8 * slots))))
        window = 2 * slots
        work = partial(plan_chunk, warm_start=spec.warm_start, hourly=spec.hourly)
        dispatch = None if executor is None else partial(executor.submit, work)
        chunks = _chunks(todo, size)
    pending: dict[Future[list[CaseOutcome]], list[Case]] = {}
    buffer: list[tuple[Case, CaseOutcome]] = []
    failures: list[tuple[int, str, str]] = []
    modes: Counter[str] = Counter()
    ok = failed = 0
    broken = False
    start = last_flush = time.perf_counter()

    def submit_more() -> None:
        nonlocal broken
        while dispatch is not None and not broken and len(pending) < window:
            chunk = next(chunks, None)
            if chunk is None:
                return
            try:
                pending[dispatch(chunk)] = chunk
            except (BrokenProcessPool, RuntimeError):
                broken = True

    bar = _progress(console or Console(stderr=True), show)
    with bar:
        task = bar.add_task(spec.name, total=len(todo), rate="", failed=0)
        try:
            submit_more()
            while pending:
                finished, _ = wait(pending, timeout=1.0, return_when=FIRST_COMPLETED)
                for future in finished:
                    chunk = pending.pop(future)
                    try:
                        outcomes = future.result()
                    except Exception as exc:  # a dead worker loses its chunk, not the sweep
                        broken = broken or isinstance(exc, BrokenProcessPool)
                        reason = f"worker lost: {type(exc).__name__}: {exc}".strip()
                        outcomes = [
                            CaseOutcome(c.case_id, c.index, "failed", reason, 0.0) for c in chunk
                        ]
                    for case, outcome in zip(chunk, outcomes, strict=True):
                        buffer.append((case, outcome))
                        if outcome.status == "ok":
                            ok += 1
                            modes[str(outcome.outputs.get("warm_start", "cold"))] += 1
                        else:
                            failed += 1
                            failures.append((case.index, case.case_id, outcome.error or ""))
                    elapsed = time.perf_counter() - start
                    bar.update(
                        task,
                        advance=len(chunk),
                        rate=f"{60.0 * (ok + failed) / max(elapsed, 1e-9):,.1f} cases/min",
                        failed=failed,
                    )
                now = time.perf_counter()
                if buffer and (not pending or now - last_flush >= flush_seconds):
                    store.write(spec.name, buffer)
                    buffer, last_flush = [], now
                submit_more()
        finally:
            try:
                if pipeline is not None:
                    pipeline.close()
            finally:
                # groups read out while the sweep was ending (Ctrl-C, an error) keep their
                # rows, also when closing was interrupted
                for future, chunk in pending.items():
                    if future.done() and not future.cancelled() and not future.exception():
                        buffer.extend(zip(chunk, future.result(), strict=True))
                    future.cancel()
                store.write(spec.name, buffer)
    return SweepSummary(
        name=spec.name,
        db=str(store.path),
        engine=engine,
        workers=slots,
        cases=len(cases),
        skipped=len(cases) - len(todo),
        ok=ok,
        failed=failed,
        not_run=len(todo) - ok - failed,
        seconds=time.perf_counter() - start,
        warm_modes=dict(modes),
        failures=failures,
    )
