"""Construction draws follow the time-to-power timeline when no draw schedule is given."""

from __future__ import annotations

import pytest

from aip.finance.capital import timeline_draws
from aip.schema import parse_scenario


def scenario(tranches: list[dict]) -> object:
    return parse_scenario(
        {
            "name": "draws",
            "site": {"station": "memphis"},
            "compute": {"accelerator": "h100", "count": sum(t["count"] for t in tranches)},
            "timeline": {"decision_date": "2024-03-01", "compute_tranches": tranches},
        }
    )


def test_gpus_paid_in_their_tranche_year_building_evenly() -> None:
    """Decision 2024; 100k GPUs in 2024, 50k in 2025, 50k in 2026: IT 0.5/0.25/0.25,
    facility evenly over 2024-2026."""
    draws = timeline_draws(
        scenario(
            [
                {"date": "2024-09-01", "count": 100_000},
                {"date": "2025-06-01", "count": 50_000},
                {"date": "2026-01-15", "count": 50_000},
            ]
        )
    )
    assert draws is not None
    facility, it = draws
    assert facility == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert it == pytest.approx((0.5, 0.25, 0.25))


def test_no_timeline_no_draws() -> None:
    s = parse_scenario(
        {
            "name": "x",
            "site": {"station": "memphis"},
            "compute": {"accelerator": "h100", "count": 1},
        }
    )
    assert timeline_draws(s) is None
