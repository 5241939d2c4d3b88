"""Jobs survive a restart: finished results stay, unfinished jobs become `interrupted`."""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import Any

from aip.web import WebSettings, create_app
from aip.web.store import JobStatus, JobStore

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

YAML = {"Content-Type": "application/yaml"}


def test_finished_result_survives_restart(
    settings: WebSettings, loudoun_yaml: str, wait_for: Any
) -> None:
    with TestClient(create_app(settings)) as first:
        job_id = first.post("/api/plans", content=loudoun_yaml, headers=YAML).json()["id"]
        assert wait_for(first, job_id)["status"] == "succeeded"
        before = first.get(f"/api/plans/{job_id}/result").json()
    # A new app on the same database is a restarted server.
    with TestClient(create_app(settings)) as second:
        assert second.get(f"/api/plans/{job_id}").json()["status"] == "succeeded"
        assert second.get(f"/api/plans/{job_id}/result").json() == before
        assert second.get(f"/api/plans/{job_id}/hourly.csv").status_code == 200


def test_running_job_at_shutdown_becomes_interrupted(
    settings: WebSettings, loudoun_yaml: str
) -> None:
    with TestClient(create_app(settings)) as first:
        running = first.post("/api/plans", content=loudoun_yaml, headers=YAML).json()["id"]
        queued = first.post("/api/plans", content=loudoun_yaml, headers=YAML).json()["id"]
        deadline = time.monotonic() + 10
        while first.get(f"/api/plans/{running}").json()["status"] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.01)
    with TestClient(create_app(settings)) as second:
        for job_id in (running, queued):
            job = second.get(f"/api/plans/{job_id}").json()
            assert job["status"] == "interrupted" and "shut down" in job["error"]
            assert second.get(f"/api/plans/{job_id}/result").status_code == 409


def test_jobs_of_a_dead_server_are_interrupted(tmp_path: Path) -> None:
    store = JobStore(tmp_path / "jobs.db")
    job = store.create("crashed", "{}")
    assert store.mark_running(job.id)
    # The server died without shutting down: the next one marks the job.
    settings = WebSettings(db=tmp_path / "jobs.db")
    with TestClient(create_app(settings)) as c:
        assert c.get(f"/api/plans/{job.id}").json()["status"] == "interrupted"
    # A late result from the dead job's process is refused.
    assert not store.finish(job.id, JobStatus.SUCCEEDED, files={"summary.json": b"{}"})
    assert store.file(job.id, "summary.json") is None
