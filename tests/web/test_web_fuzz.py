"""Schemathesis against the OpenAPI schema: no generated request may get a 5xx."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aip.web import WebSettings, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis
    from fastapi.testclient import TestClient
    from schemathesis.checks import not_a_server_error

# Bounded: enough to reach every operation with valid and invalid inputs in a few seconds.
MAX_EXAMPLES = 120


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_no_server_errors_on_generated_requests(tmp_path: Path) -> None:
    app = create_app(WebSettings(db=tmp_path / "jobs.db", max_workers=1, max_queue=2))
    with TestClient(app):
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [r.ok() for r in schema.get_all_operations()]
        assert len(operations) >= 10
        strategy = st.one_of([op.as_strategy() for op in operations])

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=[not_a_server_error])

        check()
