"""Background plan jobs: a bounded queue, a few worker threads, one process per job.

Why processes: HiGHS (through ``highspy``) releases the GIL while it solves, but
the weather, profile and result code around it is Python and would contend for
it, and a thread cannot be killed. A process per job isolates crashes and
memory, and lets the server enforce a wall-clock limit (the scenario's solver
limit, capped by the server, plus a grace period for preparation) by killing it.
Processes come from a ``forkserver`` that has already imported aip, so a job
starts in milliseconds instead of re-importing pandas and pvlib.

Admission: at most ``max_workers`` jobs run and ``max_queue`` wait; beyond that
:meth:`JobManager.submit` raises :class:`QueueFullError` (HTTP 429).
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from pathlib import Path

from aip.errors import AipError
from aip.schema import Scenario
from aip.web.settings import WebSettings
from aip.web.store import JobRecord, JobStatus, JobStore
from aip.web.worker import RESULT_FILES, run_job

log = logging.getLogger("aip.web")

Target = Callable[[Scenario, str], None]


class QueueFullError(AipError, RuntimeError):
    """Too many jobs queued or running; try again later (HTTP 429)."""


def _context() -> multiprocessing.context.ForkServerContext:
    ctx = multiprocessing.get_context("forkserver")
    # Preloading aip in the fork server makes each job's process start warm.
    ctx.set_forkserver_preload(["aip.web.worker", "aip.plot.figures", "aip.report.load"])
    return ctx


class JobManager:
    """Queue, run and record plan jobs.

    Parameters
    ----------
    store : JobStore
        Where jobs and results are persisted.
    settings : WebSettings
        Concurrency, queue length and time limits.
    target : callable, optional
        Function run in the job's process as ``target(scenario, out_dir)``; must be
        importable by name (default :func:`aip.web.worker.run_job`).
    """

    def __init__(self, store: JobStore, settings: WebSettings, target: Target = run_job) -> None:
        self.store = store
        self.settings = settings
        self.target = target
        self._queue: queue.Queue[tuple[str, Scenario] | None] = queue.Queue()
        self._lock = threading.Lock()
        self._pending = 0  # queued + running in this server
        self._processes: dict[str, BaseProcess] = {}
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._ctx = _context()

    def start(self) -> None:
        """Mark jobs of a previous, dead server ``interrupted`` and start the workers."""
        recovered = self.store.recover()
        if recovered:
            log.warning("marked %d unfinished job(s) of a previous server interrupted", recovered)
        for i in range(self.settings.max_workers):
            thread = threading.Thread(target=self._work, name=f"aip-job-{i}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def submit(self, scenario: Scenario, scenario_json: str) -> JobRecord:
        """Queue a validated scenario; raise :class:`QueueFullError` when full."""
        if self._stopping.is_set():
            raise QueueFullError("the server is shutting down; retry on the next server")
        capacity = self.settings.max_workers + self.settings.max_queue
        with self._lock:
            if self._pending >= capacity:
                raise QueueFullError(
                    f"{self._pending} jobs are queued or running (limit {capacity}); "
                    "retry when one has finished"
                )
            self._pending += 1
        try:
            job = self.store.create(scenario.name, scenario_json)
        except BaseException:
            with self._lock:
                self._pending -= 1
            raise
        self._queue.put((job.id, scenario))
        return job

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Stop taking jobs, kill running ones and mark every unfinished job interrupted."""
        self._stopping.set()
        with self._lock:
            processes = list(self._processes.values())
        # Mark first, then kill: a result that lands in between is refused by the store.
        self.store.recover("the server shut down before the job finished")
        for process in processes:
            if process.is_alive():
                process.kill()
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout_s)
        self._threads.clear()

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            job_id, scenario = item
            try:
                if not self._stopping.is_set() and self.store.mark_running(job_id):
                    self._run(job_id, scenario)
            except Exception:  # a worker thread must survive any one job
                log.exception("job %s: unexpected error in the job runner", job_id)
                self._record_failure(job_id, "internal error running the job; see server log")
            finally:
                with self._lock:
                    self._pending -= 1

    def _record_failure(self, job_id: str, message: str, field: str | None = None) -> None:
        try:
            self.store.finish(job_id, JobStatus.FAILED, error=message, error_field=field)
        except Exception:
            log.exception("job %s: could not record its failure", job_id)

    def _run(self, job_id: str, scenario: Scenario) -> None:
        wall_s = scenario.solver.time_limit_s + self.settings.prepare_grace_s
        folder = Path(tempfile.mkdtemp(prefix=f"aip-job-{job_id[:8]}-"))
        try:
            process = self._ctx.Process(
                target=self.target, args=(scenario, str(folder)), name=f"aip-job-{job_id[:8]}"
            )
            if self._stopping.is_set():
                return
            process.start()
            with self._lock:
                self._processes[job_id] = process
                stopping = self._stopping.is_set()
            if stopping:  # shutdown() copied the process list before we registered
                process.kill()
            process.join(wall_s)
            timed_out = process.is_alive()
            if timed_out:
                process.kill()
                process.join()
            with self._lock:
                self._processes.pop(job_id, None)
            if self._stopping.is_set():
                return  # already marked interrupted by shutdown()
            self._collect(job_id, folder, process.exitcode, timed_out, wall_s)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _collect(
        self, job_id: str, folder: Path, exitcode: int | None, timed_out: bool, wall_s: float
    ) -> None:
        if timed_out:
            self._record_failure(
                job_id,
                f"the job ran longer than {wall_s:g} s and was stopped; lower "
                "solver.time_limit_s or simplify the scenario",
                "solver.time_limit_s",
            )
            return
        error_file = folder / "error.json"
        if error_file.is_file():
            error = json.loads(error_file.read_text(encoding="utf-8"))
            self._record_failure(job_id, str(error.get("error")), error.get("field"))
            return
        files = {
            name: (folder / name).read_bytes() for name in RESULT_FILES if (folder / name).is_file()
        }
        if exitcode != 0 or "summary.json" not in files:
            self._record_failure(
                job_id, f"the planning process ended unexpectedly (exit code {exitcode})"
            )
            return
        self.store.finish(job_id, JobStatus.SUCCEEDED, files=files)
