"""The terminal summary: warnings where a plan's per-unit costs mislead, and shares."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from rich.console import Console

from aip.optimize.examples import two_hour_example
from aip.optimize.run import optimize
from aip.results.summary_table import print_summary


def _printed(**changes: object) -> str:
    console = Console(record=True, width=200)
    print_summary(optimize(dataclasses.replace(two_hour_example(), **changes)), console)
    return console.export_text()


def test_a_plan_that_serves_the_load_has_no_warning() -> None:
    assert "warning" not in _printed()


def test_unserved_energy_cheaper_than_supply_is_pointed_out() -> None:
    text = _printed(unserved_cost_usd_per_mwh=0.0)
    assert "warning: 100.0% of the facility's energy is not served" in text
    assert "unserved_cost_usd_per_mwh" in text


def test_no_load_gives_na_costs_and_a_warning() -> None:
    text = _printed(load_mw=np.zeros(2))
    assert "LCOE n/a USD/MWh" in text and "the campus draws no energy" in text


def test_storage_has_no_share_of_the_energy() -> None:
    """Discharge is energy a source already made: the sources' shares add up to 100 %."""
    from aip.optimize.examples import storage

    cheap_battery = storage(
        "battery", capital_cost_usd_per_mw_year=1.0, capital_cost_usd_per_mwh_year=1.0
    )
    text = _printed(storage=[cheap_battery])
    rows = [line for line in text.splitlines() if line.startswith(("│ pv", "│ gas", "│ battery"))]
    shares = {row.split("│")[1].strip(): row.split("│")[-2].strip() for row in rows}
    assert shares.get("battery") == ""
    assert sum(float(v.rstrip("%")) for k, v in shares.items() if k != "battery") == pytest.approx(
        100.0, abs=0.2
    )
