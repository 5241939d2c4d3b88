"""Reliability of solved plans: fleet mapping, the availability target ladder, the JSON section.

Small hand-built LPs (48 hours) keep these fast; tolerances are 4 Monte Carlo standard
errors (see test_montecarlo.py).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import aip
from aip.optimize.examples import generator, no_grid, storage
from aip.optimize.inputs import ModelInputs
from aip.optimize.run import optimize
from aip.reliability import assess_plan, cost_of_nines, nines, plan_fleet
from aip.results.plan import PlanResult
from aip.schema import Scenario
from aip.schema.reliability import Reliability

N = 48
Q = 0.03  # catalogue forced outage rate of gas_aero


def _inputs(n_minus: int, with_extras: bool = False) -> ModelInputs:
    gens = [generator("gas_aero", capital_cost_usd_per_mw_year=1000.0, unit_size_mw=50.0)]
    stores = []
    if with_extras:
        cf = np.where(np.arange(N) % 24 < 12, 0.5, 0.0)
        gens.append(generator("pv", carrier="solar", capacity_credit=0.0, cf=cf, p_nom_min=20.0))
        stores.append(storage("battery", p_nom_min=10.0, duration_min_h=2.0, efficiency_charge=0.9))
    return ModelInputs(
        name="small",
        timestamps=[f"2025-01-{1 + h // 24:02d}T{h % 24:02d}:00" for h in range(N)],
        weights=np.ones(N),
        load_mw=np.full(N, 100.0),
        generators=gens,
        storage=stores,
        grid=no_grid(N),
        unserved_cost_usd_per_mwh=10_000.0,
        n_minus=n_minus,
    )


def _scenario(**reliability: object) -> Scenario:
    return Scenario.model_validate(
        {
            "name": "small",
            "site": {"station": "memphis"},
            "compute": {"accelerator": "h100", "count": 1000},
            "constraints": {"n_minus": 0},
            "reliability": reliability,
        }
    )


def _fake_plan(scenario: Scenario) -> PlanResult:
    """The small LP with the scenario's n_minus (stands in for aip.plan)."""
    return optimize(_inputs(scenario.constraints.n_minus))


def test_fleet_from_plan_keeps_capacities() -> None:
    result = optimize(_inputs(1, with_extras=True))
    fleet = plan_fleet(result, Reliability())
    (gas,) = fleet.groups
    assert (gas.name, gas.n_units, gas.unit_mw) == ("gas_aero", 3, pytest.approx(50.0))
    assert (gas.forced_outage_rate, gas.mttr_h) == (Q, 31.0)
    assert fleet.fixed_supply_mw.max() == pytest.approx(result.p_nom_mw["pv"] * 0.5)
    assert fleet.storage is not None and fleet.storage.efficiency_charge == pytest.approx(0.9)
    overridden = plan_fleet(
        result, Reliability(forced_outage_rates={"gas_aero": 0.1}, mttr_h={"gas_aero": 5})
    )
    assert (overridden.groups[0].forced_outage_rate, overridden.groups[0].mttr_h) == (0.1, 5.0)


def test_n_plus_one_plan_matches_the_binomial() -> None:
    result = optimize(_inputs(1))
    res = assess_plan(result, Reliability(samples=4000, seed=3))
    lost = 3 * Q**2 * (1 - Q) + Q**3  # two of three 50 MW units down
    assert abs(res.availability - (1 - lost)) <= 4 * res.availability_se


def test_target_ladder_prices_each_nine() -> None:
    scenario = _scenario(samples=4000, seed=1, target_availability=0.999)
    assert scenario.reliability is not None
    out = cost_of_nines(scenario, scenario.reliability, _fake_plan)
    table = out["table"]
    assert out["met"] and out["chosen_step"] == 2
    assert [r["n_minus"] for r in table] == [0, 1, 2]
    # 2, 3, 4 units of 50 MW at 1000 USD/MW/yr
    assert [r["cost_usd_per_year"] for r in table] == pytest.approx([1e5, 1.5e5, 2e5])
    assert table[1]["delta_cost_usd_per_year"] == pytest.approx(5e4)
    expected = [(1 - Q) ** 2, 1 - 3 * Q**2 * (1 - Q) - Q**3, 1 - 4 * Q**3 * (1 - Q) - Q**4]
    for row, a in zip(table, expected, strict=True):
        assert abs(row["availability"] - a) <= 4 * row["availability_se"] + 1e-12
    gained = table[1]["nines"] - table[0]["nines"]
    assert table[1]["cost_per_nine_usd_per_year"] == pytest.approx(5e4 / gained)


def test_unreachable_target_stops_at_max_plans() -> None:
    scenario = _scenario(samples=50, target_availability=0.999999999, max_plans=2)
    assert scenario.reliability is not None
    out = cost_of_nines(scenario, scenario.reliability, _fake_plan)
    assert not out["met"] and out["chosen_step"] is None and len(out["table"]) == 2


def test_nines() -> None:
    assert nines(0.99) == pytest.approx(2.0)
    assert math.isinf(nines(1.0))


def test_plan_json_has_a_reliability_section() -> None:
    scenario = aip.load_scenario("examples/loudoun-grid.yaml")
    options = Reliability(samples=40, grid_outage_rate=0.01, grid_mttr_h=4.0)
    result = aip.plan(scenario.model_copy(update={"reliability": options}))
    section = result.summary()["reliability"]
    for key in ("availability", "expected_unserved_mwh", "loss_of_load_hours"):
        assert key in section and f"{key}_se" in section
    # a grid-only campus is out exactly when the grid is: availability ~ 1 - 0.01
    assert abs(section["availability"] - 0.99) <= 4 * section["availability_se"]
    assert section["units"] == [
        {
            "technology": "grid",
            "n_units": 1,
            "unit_mw": 150.0,
            "forced_outage_rate": 0.01,
            "mttr_h": 4.0,
        }
    ]
    assert "target" not in section
    assert dataclasses.is_dataclass(result)


def test_the_summary_says_where_the_availability_target_is_met() -> None:
    """The printed plan is step 0; when a stricter re-plan meets the target, the summary
    says which and what it costs (it printed only step 0's availability)."""
    from aip.results.summary_table import section_lines

    def row(step: int, n: int, a: float, cost: float) -> dict[str, float]:
        return {"step": step, "n_minus": n, "reserve_margin": 0.0, "availability": a,
                "cost_usd_per_year": cost}  # fmt: skip

    rows = [row(0, 1, 0.985, 100e6), row(1, 2, 0.9995, 100.5e6), row(2, 3, 0.99992, 101.25e6)]
    base = {"availability": 0.985, "expected_unserved_mwh": 1.0}
    met = {"target": 0.9999, "metric": "time", "met": True, "chosen_step": 2, "table": rows}
    lines = section_lines({"reliability": {**base, "target": met}})
    assert "not met by this plan; met by re-planning with N+3" in lines[1]
    assert "+1.25 M USD/yr" in lines[1] and "0.99992" in lines[1]
    first = {**met, "chosen_step": 0, "table": rows[:1], "target": 0.98}
    assert section_lines({"reliability": {**base, "target": first}})[1].endswith("met by this plan")
    missed = {**met, "met": False, "chosen_step": None, "target": 0.99999}
    assert (
        "not met in 3 plans (best 0.99992)"
        in section_lines({"reliability": {**base, "target": missed}})[1]
    )
