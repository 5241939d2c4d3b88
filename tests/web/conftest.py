"""Shared fixtures of the web tests: settings on a temporary database, an in-process client."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aip.web import WebSettings, create_app

with warnings.catch_warnings():
    # Starlette 1.x warns that its httpx-based TestClient is deprecated in favour of a
    # fork; the client still works and is what FastAPI documents, so ignore it here only.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
LOUDOUN = ROOT / "examples" / "loudoun-grid.yaml"


def wait_for(client: TestClient, job_id: str, timeout_s: float = 60.0) -> dict[str, Any]:
    """Poll a job until it is no longer queued or running."""
    deadline = time.monotonic() + timeout_s
    while True:
        job = client.get(f"/api/plans/{job_id}").json()
        if job["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return job
        time.sleep(0.1)


@pytest.fixture(name="wait_for")
def wait_for_fixture() -> Any:
    return wait_for


@pytest.fixture
def settings(tmp_path: Path) -> WebSettings:
    return WebSettings(db=tmp_path / "jobs.db", max_workers=1, max_queue=4)


@pytest.fixture
def client(settings: WebSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def loudoun_yaml() -> str:
    return LOUDOUN.read_text(encoding="utf-8")
