"""Time-to-power plans: hand cases, bridge-or-wait, monotone lead times, clear errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import aip
from aip.errors import ScenarioError, UnknownNameError
from aip.optimize.examples import generator
from aip.optimize.inputs import GridInputs, ModelInputs
from aip.schedule import plan_schedule, reduction_check
from aip.schedule.periods import period_bounds, representative_hours, step_average
from aip.schema import parse_scenario

ROOT = Path(__file__).parents[2]
HOURS = 8760
LOAD_MW = 100.0
GPUS = 75_000  # about 1.33 kW of facility power per GPU


def _inputs(value_usd_per_gpu_hour: float = 2.0, grid_price: float = 50.0) -> ModelInputs:
    """Flat 100 MW campus; gas_aero costs 100 USD/MWh to run and 200k USD/MW-yr to own."""
    zeros = {p: np.zeros(HOURS) for p in ("co2", "nox", "so2", "pm25")}
    gas = generator(
        "gas_aero",
        capital_cost_usd_per_mw_year=150_000.0,
        fixed_om_usd_per_mw_year=50_000.0,
        fuel_cost_usd_per_mwh=100.0,
    )
    grid = GridInputs(
        enabled=True,
        import_limit_mw=LOAD_MW,
        price_usd_per_mwh=np.full(HOURS, grid_price),
        demand_charge_usd_per_kw_month=0.0,
        emissions_t_per_mwh=zeros,
        carbon_price_usd_per_t=0.0,
        clean_fraction=0.0,
        firm_fraction=1.0,
    )
    return ModelInputs(
        name="tiny",
        timestamps=[str(i) for i in range(HOURS)],
        weights=np.ones(HOURS),
        load_mw=np.full(HOURS, LOAD_MW),
        generators=[gas],
        storage=[],
        grid=grid,
        # the aip default: GPU-hours lost per facility MWh times their value
        unserved_cost_usd_per_mwh=value_usd_per_gpu_hour * GPUS / LOAD_MW,
    )


def _scenario(**timeline: Any) -> aip.Scenario:
    base: dict[str, Any] = {
        "decision_date": "2025-01-01",
        "grid_queue_years": 1.0,
        "horizon_end": "2026-07-01",
        "bridge": {"mobile_gas": {"base": "gas_aero", "lease_usd_per_kw_month": 30.0}},
    }
    base.update(timeline)
    return parse_scenario(
        {
            "name": "tiny",
            "site": {"station": "memphis"},
            "compute": {"accelerator": "h100", "count": GPUS},
            "technologies": {"gas_aero": {}},
            "grid": {"import_limit_mw": LOAD_MW},
            "timeline": base,
        }
    )


def test_one_period_on_the_grid_costs_price_times_energy() -> None:
    # one quarter (90 days = 2160 h) with the grid there from day one: 100 MW x 2160 h x 50
    s = _scenario(grid_queue_years=0.0, horizon_end="2025-04-01", bridge={})
    r = plan_schedule(s, _inputs(), GPUS)
    assert len(r.periods) == 1
    assert r.objective_usd == pytest.approx(100 * 2160 * 50, rel=1e-9)
    assert r.periods[0]["served_mwh"] == pytest.approx(216_000, rel=1e-9)
    assert r.cost_of_delay_usd == pytest.approx(0.0, abs=1e-3)
    assert r.first_power_date == r.full_power_date == dt.date(2025, 1, 1)


def test_tranche_halfway_through_a_period_halves_its_load() -> None:
    tranches = [{"date": "2025-01-01", "count": 1}, {"date": "2025-02-15", "count": GPUS - 1}]
    s = _scenario(
        grid_queue_years=0.0, horizon_end="2025-04-01", bridge={}, compute_tranches=tranches
    )
    r = plan_schedule(s, _inputs(), GPUS)
    # 1 GPU for 45 of 90 days, all of them for the other 45: load is (1/GPUS + 1) / 2 of full
    share = (1.0 / GPUS + 1.0) / 2.0
    assert r.periods[0]["load_mwh"] == pytest.approx(216_000 * share, rel=1e-9)
    assert r.full_power_date == dt.date(2025, 2, 15)


def test_bridge_at_a_high_gpu_hour_value_wait_at_a_low_one() -> None:
    s = _scenario()
    high = plan_schedule(s, _inputs(value_usd_per_gpu_hour=2.0), GPUS)
    low = plan_schedule(s, _inputs(value_usd_per_gpu_hour=0.1), GPUS)
    # $2/GPU-h is 1500 USD/MWh of idle compute: leasing (30 USD/kW-month = 41 USD/MWh at full
    # load) plus fuel (100 USD/MWh) is far cheaper, so the campus bridges from month 4 (the
    # lead time) until the grid arrives after a year.
    assert high.lease_usd > 0
    assert high.first_power_date == dt.date(2025, 7, 1)  # first period after the 4-month lead
    assert high.periods[2]["leased_mw"] == pytest.approx(LOAD_MW, rel=1e-6)
    assert high.periods[-1]["leased_mw"] == pytest.approx(0.0, abs=1e-6)  # released
    # $0.05/GPU-h is 37.5 USD/MWh: cheaper to leave the GPUs idle than to burn 100 USD/MWh gas
    assert low.lease_usd == pytest.approx(0.0, abs=1e-6)
    assert low.first_power_date == dt.date(2026, 1, 1)  # the grid, after its one-year queue
    assert low.unserved_gpu_hours > high.unserved_gpu_hours
    # owned gas (2-year EIA lead) is never available inside this plan
    assert all(p["p_nom_mw"]["gas_aero"] == 0.0 for p in high.periods)


@pytest.mark.parametrize("which", ["bridge", "grid"])
def test_results_move_monotonically_with_lead_times(which: str) -> None:
    objectives, firsts, unserved = [], [], []
    for lead in (0.1, 0.3, 0.6, 0.9):
        if which == "bridge":
            bridge = {"base": "gas_aero", "lease_usd_per_kw_month": 30.0, "lead_time_years": lead}
            s = _scenario(bridge={"mobile_gas": bridge})
        else:
            s = _scenario(grid_queue_years=lead, bridge={})
        r = plan_schedule(s, _inputs(), GPUS)
        objectives.append(r.objective_usd)
        firsts.append(r.first_power_date)
        unserved.append(r.unserved_gpu_hours)
    # a longer lead can only remove options: cost, first power and idle compute never improve
    # (1e-9 relative: HiGHS's optimality tolerance on objectives of ~1e8 USD)
    assert all(b >= a * (1 - 1e-9) for a, b in itertools.pairwise(objectives))
    assert firsts == sorted(firsts)
    assert all(b >= a - 1e-6 for a, b in itertools.pairwise(unserved))
    assert objectives[-1] > objectives[0]


def test_capacity_carries_forward_once_built() -> None:
    # owned gas available at once and cheaper than leasing: built once, kept to the end
    s = _scenario(in_service_dates={"gas_aero": "2025-01-01"}, grid_queue_years=5.0, bridge={})
    r = plan_schedule(s, _inputs(), GPUS)
    caps = [p["p_nom_mw"]["gas_aero"] for p in r.periods]
    assert caps[0] == pytest.approx(LOAD_MW, rel=1e-6)
    assert np.all(np.diff(caps) >= -1e-9)


def test_cost_of_delay_is_the_gap_to_a_plan_without_lead_times() -> None:
    r = plan_schedule(_scenario(), _inputs(), GPUS)
    assert r.cost_of_delay_usd == pytest.approx(r.objective_usd - r.no_delay_objective_usd)
    assert r.cost_of_delay_usd > 0


@pytest.mark.parametrize(
    ("timeline", "match"),
    [
        ({"compute_tranches": [{"date": "2024-06-01", "count": GPUS}]}, "before decision_date"),
        (
            {
                "compute_tranches": [
                    {"date": "2025-06-01", "count": 10},
                    {"date": "2025-03-01", "count": GPUS - 10},
                ]
            },
            "increasing date order",
        ),
        ({"grid_steps": [{"date": "2020-01-01", "import_limit_mw": 5}]}, "before decision_date"),
        ({"in_service_dates": {"gas_aero": "2024-01-01"}}, "p_nom_existing"),
    ],
)
def test_bad_dates_are_one_line_scenario_errors(timeline: dict[str, Any], match: str) -> None:
    with pytest.raises(ScenarioError, match=match):
        _scenario(**timeline)


def test_tranches_must_add_up_to_the_full_build() -> None:
    s = _scenario(compute_tranches=[{"date": "2025-02-01", "count": 10}])
    with pytest.raises(ScenarioError, match=r"sum to compute\.count"):
        plan_schedule(s, _inputs(), GPUS)


def test_impossible_target_names_the_earliest_feasible_date() -> None:
    # the 4-month lease is the first supply: 2025-01-01 + round(0.333 y x 365.25) = 122 days
    s = _scenario(target_full_power_date="2025-03-01")
    with pytest.raises(ScenarioError, match="earliest feasible date 2025-05-03"):
        plan_schedule(s, _inputs(), GPUS)


def test_feasible_target_forces_service() -> None:
    s = _scenario(target_full_power_date="2025-07-01")
    r = plan_schedule(s, _inputs(value_usd_per_gpu_hour=0.1), GPUS)
    assert all(p["unserved_mwh"] == pytest.approx(0.0, abs=1e-6) for p in r.periods[2:])


def test_unknown_names_are_reported() -> None:
    with pytest.raises(UnknownNameError, match=r"timeline\.lead_time_years\.nuclear"):
        plan_schedule(_scenario(lead_time_years={"nuclear": 3.0}), _inputs(), GPUS)
    s = _scenario(grid_queue_years=None, grid_queue_region="mars")
    with pytest.raises(UnknownNameError, match="us_median"):
        plan_schedule(s, _inputs(), GPUS)


def test_default_queue_is_lbnl_55_months() -> None:
    r = plan_schedule(_scenario(grid_queue_years=None, bridge={}), _inputs(), GPUS)
    # 55 months = 4.583 y -> 2029-08-01; the plan (to mid-2026) never sees the grid
    assert r.first_power_date is None
    assert r.periods[-1]["p_nom_mw"]["grid"] == 0.0


def test_reduction_check_against_the_full_year() -> None:
    inputs = _inputs()
    pv_cf = np.clip(np.sin(np.arange(HOURS) / 24.0 * 2 * np.pi - np.pi / 2), 0, None)
    pv = generator("pv", capital_cost_usd_per_mw_year=60_000.0, cf=pv_cf, carrier="solar")
    check = reduction_check(dataclasses.replace(inputs, generators=[*inputs.generators, pv]), 60.0)
    # every day has the same shape, so representative days are exact up to solver tolerance
    assert check["relative_error"] == pytest.approx(0.0, abs=1e-6)


def test_period_helpers() -> None:
    bounds = period_bounds(dt.date(2024, 11, 30), dt.date(2025, 3, 1), 3)
    assert bounds[0] == (dt.date(2024, 11, 30), dt.date(2025, 2, 28))
    steps = [(dt.date(2024, 1, 11), 10.0)]
    assert step_average(steps, dt.date(2024, 1, 1), dt.date(2024, 1, 21)) == pytest.approx(5.0)
    features = np.zeros((365, 24))
    features[40] = 1.0  # an outlier day is never the medoid of its chunk
    idx = representative_hours(dt.date(2001, 2, 1), dt.date(2001, 3, 1), 1, features)
    assert 40 * 24 not in idx and len(idx) == 24


@pytest.mark.slow
def test_colossus_example_bridges_then_releases() -> None:
    s = aip.load_scenario(ROOT / "examples" / "colossus-memphis.yaml")
    r = plan_schedule(s, aip.model_inputs(s), 200_000).to_dict()
    assert {"period_start", "p_nom_mw", "served_mwh", "unserved_gpu_hours"} <= set(r["periods"][0])
    assert r["first_power_date"] == "2024-09-02"
    leased = [p["p_nom_mw"]["mobile_gas"] for p in r["periods"]]
    assert max(leased) > 50.0 and leased[-1] == pytest.approx(0.0, abs=1e-6)
    assert r["cost_of_delay_usd"] > 0


def test_a_bridge_on_a_nox_control_variant_leases_the_variant() -> None:
    """``base: gas_aero+scr`` (the name the plan gives a turbine with SCR) was an internal
    error; its default lease recovers the turbine's overnight cost plus the SCR's."""
    from aip.api import model_inputs
    from aip.data import load_catalog
    from aip.emissions.controls import apply_control
    from aip.schedule.timing import bridges

    catalog = load_catalog("eia-aeo2026")
    scr = apply_control(catalog["gas_aero"], "scr", "test")
    assert scr.capex_usd_per_kw > catalog["gas_aero"].capex_usd_per_kw
    leases = {}
    for base in ("gas_aero", "gas_aero+scr"):
        s = parse_scenario(
            {
                "name": "tiny",
                "site": {"station": "memphis"},
                "compute": {"accelerator": "h100", "count": GPUS},
                "technologies": {"gas_aero": {"emission_controls": ["dln", "scr"]}},
                "grid": {"import_limit_mw": LOAD_MW},
                "timeline": {"decision_date": "2025-01-01", "bridge": {"b": {"base": base}}},
            }
        )
        (bridge,) = bridges(s.timeline, s, model_inputs(s))  # type: ignore[arg-type]
        leases[base] = bridge.lease_usd_per_mw_month
        assert bridge.generator.key == base
    assert leases["gas_aero+scr"] > leases["gas_aero"]
