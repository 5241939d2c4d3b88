"""Suite-wide test settings: the real browser the `browser` tests drive; JAX's
compilation cache in a temporary folder, not the user's aip cache."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

# set before any test imports JAX, which reads it once
os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", tempfile.mkdtemp(prefix="aip-test-jax-"))

#: Debian's chromium (Playwright cannot download its own browsers here; `make test`
#: installs the package when it is missing).
CHROMIUM = Path("/usr/bin/chromium")
#: Headless flags that keep Chromium off the network and quiet.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config: Any, items: list[pytest.Item]) -> None:
    """Skip `browser` tests, with the reason, only where no chromium is installed."""
    if CHROMIUM.is_file():
        return
    skip = pytest.mark.skip(reason="needs /usr/bin/chromium (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def chromium_launch() -> dict[str, Any]:
    """Keyword arguments for Playwright's ``chromium.launch``."""
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}
