"""Jobs and their results in one SQLite file (stdlib ``sqlite3``, WAL, atomic transactions).

A job's whole life is rows in this file: its validated scenario, its status and
timestamps, and on success the plan's files (``summary.json``, ``hourly.csv``,
``inputs.json``, ``figures.json``) zlib-compressed. A job finishes in one
transaction (files and status together), so a crash leaves either a finished job
with all its files or an unfinished one, never half a result. When a server
starts, jobs still ``queued`` or ``running`` belong to a server that died:
:meth:`JobStore.recover` marks them ``interrupted``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from aip.errors import DataError


class JobStatus(StrEnum):
    """Where a job is in its life."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    error TEXT,
    error_field TEXT,
    scenario TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_created ON jobs (created_at);
CREATE TABLE IF NOT EXISTS files (
    job_id TEXT NOT NULL REFERENCES jobs (id),
    name TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (job_id, name)
);
"""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class JobRecord:
    """One job as stored (no result files)."""

    id: str
    name: str
    status: JobStatus
    created_at: str
    started_at: str | None
    finished_at: str | None
    error: str | None
    error_field: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view of the job for the API."""
        return {
            "id": self.id,
            "name": self.name,
            "status": str(self.status),
            "created_at": self.created_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "error": self.error,
            "field": self.error_field,
        }


_COLUMNS = "id, name, status, created_at, started_at, finished_at, error, error_field"


def _record(row: tuple[Any, ...]) -> JobRecord:
    return JobRecord(
        id=row[0],
        name=row[1],
        status=JobStatus(row[2]),
        created_at=row[3],
        started_at=row[4],
        finished_at=row[5],
        error=row[6],
        error_field=row[7],
    )


class JobStore:
    """Thread-safe access to the jobs database (one short connection per call).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> store = JobStore(pathlib.Path(tempfile.mkdtemp()) / "jobs.db")
    >>> job = store.create("demo", "{}")
    >>> store.get(job.id).status.value
    'queued'
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as conn:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise DataError(f"--db {self.path}: cannot open the jobs database ({exc})") from None

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # One connection per call: sqlite3 connections must not cross threads, and WAL
        # lets readers run while a worker commits a result.
        conn = sqlite3.connect(self.path, timeout=30.0)
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            with conn:  # one transaction: commit on success, roll back on error
                yield conn
        finally:
            conn.close()

    def create(self, name: str, scenario_json: str) -> JobRecord:
        """Insert a new ``queued`` job and return it."""
        job_id = uuid.uuid4().hex
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO jobs (id, name, status, created_at, scenario) VALUES (?, ?, ?, ?, ?)",
                (job_id, name, str(JobStatus.QUEUED), _now(), scenario_json),
            )
        job = self.get(job_id)
        assert job is not None
        return job

    def get(self, job_id: str) -> JobRecord | None:
        """The job, or None when there is none with this id."""
        with self._connect() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return None if row is None else _record(row)

    def list(self, limit: int = 100, offset: int = 0) -> list[JobRecord]:
        """Jobs, newest first."""
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM jobs ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()
        return [_record(r) for r in rows]

    def scenario(self, job_id: str) -> str | None:
        """The stored (validated) scenario JSON of a job."""
        with self._connect() as conn:
            row = conn.execute("SELECT scenario FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return None if row is None else str(row[0])

    def mark_running(self, job_id: str) -> bool:
        """Move a queued job to ``running``; False when it is no longer queued."""
        with self._connect() as conn:
            cur = conn.execute(
                "UPDATE jobs SET status = ?, started_at = ? WHERE id = ? AND status = ?",
                (str(JobStatus.RUNNING), _now(), job_id, str(JobStatus.QUEUED)),
            )
        return cur.rowcount == 1

    def finish(
        self,
        job_id: str,
        status: JobStatus,
        files: dict[str, bytes] | None = None,
        error: str | None = None,
        error_field: str | None = None,
    ) -> bool:
        """Store the outcome of an unfinished job and its files in one transaction.

        Returns False (and stores nothing) when the job already finished, e.g. it
        was marked ``interrupted`` by a shutdown while its process was ending.
        """
        with self._connect() as conn:
            cur = conn.execute(
                "UPDATE jobs SET status = ?, finished_at = ?, error = ?, error_field = ? "
                "WHERE id = ? AND status IN (?, ?)",
                (str(status), _now(), error, error_field, job_id, *map(str, UNFINISHED)),
            )
            if cur.rowcount != 1:
                return False
            for name, data in (files or {}).items():
                conn.execute(
                    "INSERT OR REPLACE INTO files (job_id, name, data) VALUES (?, ?, ?)",
                    (job_id, name, zlib.compress(data, 6)),
                )
        return True

    def file(self, job_id: str, name: str) -> bytes | None:
        """One stored result file of a job, decompressed."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT data FROM files WHERE job_id = ? AND name = ?", (job_id, name)
            ).fetchone()
        return None if row is None else zlib.decompress(row[0])

    def count_unfinished(self) -> int:
        """Jobs queued or running."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT COUNT(*) FROM jobs WHERE status IN (?, ?)", tuple(map(str, UNFINISHED))
            ).fetchone()
        return int(row[0])

    def recover(self, reason: str = "the server stopped before the job finished") -> int:
        """Mark every queued or running job ``interrupted``; return how many."""
        with self._connect() as conn:
            cur = conn.execute(
                "UPDATE jobs SET status = ?, finished_at = ?, error = ? WHERE status IN (?, ?)",
                (str(JobStatus.INTERRUPTED), _now(), reason, *map(str, UNFINISHED)),
            )
        return int(cur.rowcount)
