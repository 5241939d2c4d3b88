"""Small sweeps on the grid-only Loudoun scenario (about 0.4 s per case)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parents[2]


def loudoun_sweep(name: str, counts: list[int], **extra: Any) -> dict[str, Any]:
    """A sweep over the GPU count at a flat $60/MWh grid price."""
    return {
        "name": name,
        "base": str(ROOT / "examples" / "loudoun-grid.yaml"),
        "grid": {
            "compute.count": counts,
            "grid.price": [{"kind": "flat", "usd_per_mwh": 60.0}],
        },
        **extra,
    }


@pytest.fixture
def make_sweep() -> Any:
    """The :func:`loudoun_sweep` factory."""
    return loudoun_sweep


@pytest.fixture
def sweep_spec() -> dict[str, Any]:
    return loudoun_sweep("loudoun-count", [30000, 40000, 50000])
