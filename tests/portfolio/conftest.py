"""Synthetic option tables: hand-checkable MILP cases without planning."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from aip.portfolio.options import COLUMNS


def option(site: str, name: str, **values: Any) -> dict[str, Any]:
    """One option row with defaults: $1B capex, 60 % debt, 100 MW, no emissions."""
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    capex = values.pop("capex_usd", 1e9)
    debt = values.pop("debt_usd", 0.6 * capex)
    row.update(
        key=f"{site}/{name}",
        site=site,
        size=name,
        strategy="s",
        country=values.pop("country", "USA"),
        us_state=values.pop("us_state", None),
        gpus=1000,
        p_it_mw=100.0,
        facility_mw_peak=130.0,
        capex_usd=capex,
        debt_usd=debt,
        equity_usd=capex - debt,
        npv_usd=0.0,
        equity_npv_usd=0.0,
        project_irr=0.1,
        equity_irr=0.12,
        construction_years=1,
        gpu_hours_per_year=1000 * 8760.0,
        co2_t_per_year=0.0,
        nox_t_per_year=0.0,
        lcoe_usd_per_mwh=50.0,
        all_in_cost_usd_per_gpu_hour=2.0,
        power_mix={"grid": 100.0},
        equity_flows=[
            -(capex - debt),
            0.3 * (capex - debt),
            0.3 * (capex - debt),
            0.3 * (capex - debt),
            0.3 * (capex - debt),
        ],
        error=None,
    )
    row.update(values)
    return row


@pytest.fixture
def opt() -> Any:
    return option


@pytest.fixture
def make_table() -> Any:
    def make(rows: list[dict[str, Any]]) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=list(COLUMNS))

    return make
