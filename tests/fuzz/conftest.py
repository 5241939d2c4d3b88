"""Shared pieces of the fuzz corpus: case counting, one-line error checks, cached sites.

Every fuzz test counts the generated cases it ran in :data:`CASES`; the count is
printed in pytest's terminal summary (``pytest tests/fuzz``). Under ``-n`` (xdist)
the workers' summaries are not shown; each test still asserts its own minimum count.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import aip.api
from aip.errors import AipError
from aip.site import resolve_site

_REPRODUCIBLE = settings(
    derandomize=True,  # seed from the test's source: CI runs the same corpus every time
    deadline=None,  # wall-clock deadlines flake on shared CI machines; counts bound the time
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)


def fuzz(n: int) -> settings:
    """Reproducible hypothesis settings running ``n`` generated cases (plus explicit ones)."""
    return settings(_REPRODUCIBLE, max_examples=n)


CASES: Counter[str] = Counter()
"""Generated cases run per fuzz test (test name -> count)."""


def count(name: str) -> None:
    """Record one generated case of fuzz test ``name``."""
    CASES[name] += 1


def assert_one_line(err: AipError) -> str:
    """The error's message, checked to be one non-empty line without a traceback."""
    message = str(err)
    assert message.strip(), f"empty message from {type(err).__name__}"
    assert "\n" not in message and "\r" not in message, f"multi-line message: {message!r}"
    assert "Traceback" not in message
    return message


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if CASES:
        total = sum(CASES.values())
        terminalreporter.write_sep("-", f"fuzz corpus: {total} generated cases")
        for name, n in sorted(CASES.items()):
            terminalreporter.write_line(f"  {name}: {n}")


@pytest.fixture
def cached_sites(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Resolve each distinct site once: fuzzing model_inputs should not re-read EPW files."""
    cached = functools.lru_cache(maxsize=None)(resolve_site)
    monkeypatch.setattr(aip.api, "resolve_site", cached)
    yield
    cached.cache_clear()
