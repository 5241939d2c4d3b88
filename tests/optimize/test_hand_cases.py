"""Hand-solvable cases of the campus LP: each optimum is worked out in the docstring."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from aip.errors import InfeasibleError
from aip.optimize import optimize
from aip.optimize import run as run_module
from aip.optimize.examples import generator, no_grid, storage, two_hour_example
from aip.optimize.inputs import GridInputs, ModelInputs, capital_recovery_factor

ZERO = {"co2": 0.0, "nox": 0.0, "so2": 0.0, "pm25": 0.0}


@pytest.fixture(autouse=True, params=["simplex", "barrier"])
def method(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every hand case is solved both ways: HiGHS simplex, and the barrier path."""
    real = run_module.solve_problem

    def forced(lp, time_limit_s, threads, _method):  # type: ignore[no-untyped-def]
        return real(lp, time_limit_s, threads, request.param)

    monkeypatch.setattr(run_module, "solve_problem", forced)
    return str(request.param)


def model(load: list[float], generators: list, **kw: object) -> ModelInputs:
    n = len(load)
    values: dict[str, object] = {
        "name": "hand",
        "timestamps": [f"h{i}" for i in range(n)],
        "weights": np.ones(n),
        "load_mw": np.array(load, float),
        "generators": generators,
        "storage": [],
        "grid": no_grid(n),
        "unserved_cost_usd_per_mwh": 1e4,
    }
    values.update(kw)
    return ModelInputs(**values)  # type: ignore[arg-type]


def test_crf_matches_annuity_formula() -> None:
    # 0.08 / (1 - 1.08**-20) = 0.1018522...
    assert capital_recovery_factor(0.08, 20) == pytest.approx(0.10185220882315059, rel=1e-12)
    assert capital_recovery_factor(0.0, 10) == pytest.approx(0.1)


def test_two_hour_pv_versus_gas() -> None:
    r = optimize(two_hour_example())
    assert r.objective_usd_per_year == pytest.approx(106_000.0, rel=1e-9)
    assert r.p_nom_mw == pytest.approx({"pv": 100.0, "gas_aero": 100.0})
    assert r.energy_mwh["pv"] == pytest.approx(100.0)
    assert r.energy_mwh["gas_aero"] == pytest.approx(100.0)
    assert r.cost_usd_per_year["total"] == pytest.approx(r.objective_usd_per_year, rel=1e-9)


def test_battery_shifts_solar_with_losses() -> None:
    """PV (10 $/MW) charges a battery (1 $/MW, 2 $/MWh, 0.9 each way) for the night hour.

    Hour 2 needs 100 MWh out, so 100/0.9 = 111.11 MWh stored and 100/0.81 = 123.457 MWh
    charged in hour 1; PV = 100 + 123.457 MW; battery power = max(123.457, 100).
    Cost = 10*223.457 + 1*123.457 + 2*111.111 = 2580.247.
    """
    inputs = model(
        [100.0, 100.0],
        [
            generator(
                "pv",
                capital_cost_usd_per_mw_year=10.0,
                capacity_credit=0.0,
                clean=True,
                cf=np.array([1.0, 0.0]),
            )
        ],
        storage=[
            storage(
                "battery",
                capital_cost_usd_per_mw_year=1.0,
                capital_cost_usd_per_mwh_year=2.0,
                efficiency_charge=0.9,
                efficiency_discharge=0.9,
            )
        ],
        firm_capacity=False,
    )
    r = optimize(inputs)
    charged = 100.0 / 0.81
    assert r.p_nom_mw["pv"] == pytest.approx(100.0 + charged, rel=1e-7)
    assert r.p_nom_mw["battery"] == pytest.approx(charged, rel=1e-7)
    assert r.e_nom_mwh["battery"] == pytest.approx(100.0 / 0.9, rel=1e-7)
    assert r.objective_usd_per_year == pytest.approx(
        10 * (100 + charged) + charged + 2 * 100 / 0.9, rel=1e-7
    )
    assert r.clean_share == pytest.approx(1.0)


def test_duration_bounds_bind() -> None:
    """Same as above with duration >= 4 h: E = 4 P, P = E/4 = 123.457/... -> E sets P."""
    inputs = model(
        [100.0, 100.0],
        [
            generator(
                "pv",
                capital_cost_usd_per_mw_year=10.0,
                capacity_credit=0.0,
                cf=np.array([1.0, 0.0]),
            )
        ],
        storage=[
            storage(
                "battery",
                capital_cost_usd_per_mw_year=1.0,
                capital_cost_usd_per_mwh_year=2.0,
                duration_min_h=4.0,
            )
        ],
        firm_capacity=False,
    )
    r = optimize(inputs)
    # lossless: charge 100 in hour 1; power >= 100 MW so energy >= 400 MWh
    assert r.p_nom_mw["battery"] == pytest.approx(100.0)
    assert r.e_nom_mwh["battery"] == pytest.approx(400.0)
    assert r.objective_usd_per_year == pytest.approx(10 * 200 + 100 + 800)


def test_grid_limit_and_gas_top_up() -> None:
    """Grid at 20 $/MWh up to 60 MW; gas 1000 $/MW/yr + 50 $/MWh covers the rest.

    Load (50, 100): grid 50 + 60, gas 40 MW running 40 MWh.
    Cost = 20*110 + 1000*40 + 50*40 = 44,200.
    """
    grid = dataclasses.replace(
        no_grid(2), enabled=True, import_limit_mw=60.0, price_usd_per_mwh=np.full(2, 20.0)
    )
    inputs = model(
        [50.0, 100.0],
        [generator("gas_aero", capital_cost_usd_per_mw_year=1000.0, fuel_cost_usd_per_mwh=50.0)],
        grid=grid,
    )
    r = optimize(inputs)
    assert r.objective_usd_per_year == pytest.approx(44_200.0)
    assert r.p_nom_mw["gas_aero"] == pytest.approx(40.0)
    assert r.energy_mwh["grid"] == pytest.approx(110.0)


def test_demand_charge_shaves_the_peak() -> None:
    """With a demand charge of 10 $/kW-month (120,000 $/MW/yr) gas at 1000 $/MW/yr
    covers everything above the cheapest import level: the peak import falls to 0
    if gas capacity is already needed for the 100 MW hour. Gas 100 MW, all hours:
    cost = 1000*100 + 50*150 = 107,500 < any plan paying 120,000 $/MW of import peak.
    """
    grid = dataclasses.replace(
        no_grid(2),
        enabled=True,
        import_limit_mw=60.0,
        price_usd_per_mwh=np.full(2, 20.0),
        demand_charge_usd_per_kw_month=10.0,
        firm_fraction=0.0,
    )
    inputs = model(
        [50.0, 100.0],
        [generator("gas_aero", capital_cost_usd_per_mw_year=1000.0, fuel_cost_usd_per_mwh=50.0)],
        grid=grid,
    )
    r = optimize(inputs)
    assert r.energy_mwh["grid"] == pytest.approx(0.0, abs=1e-6)
    assert r.objective_usd_per_year == pytest.approx(107_500.0)


def test_n_plus_one_adds_the_largest_unit() -> None:
    """Firm capacity = peak 100 MW + one 20 MW unit (N+1) = 120 MW of gas."""
    inputs = model(
        [100.0],
        [generator("gas_aero", capital_cost_usd_per_mw_year=1.0, unit_size_mw=20.0)],
        n_minus=1,
        reserve_margin=0.1,
    )
    r = optimize(inputs)
    assert inputs.firm_requirement_mw == pytest.approx(130.0)
    assert r.p_nom_mw["gas_aero"] == pytest.approx(130.0)
    assert r.shadow_prices["firm_capacity"] == pytest.approx(1.0)


def test_must_run_spills_surplus() -> None:
    """Nuclear at 1.0 minimum output sized for the 100 MW hour spills 50 MW in the other."""
    inputs = model(
        [100.0, 50.0],
        [
            generator(
                "nuclear",
                carrier="uranium",
                capital_cost_usd_per_mw_year=10.0,
                min_stable_pu=1.0,
                clean=True,
            )
        ],
    )
    r = optimize(inputs)
    assert r.p_nom_mw["nuclear"] == pytest.approx(100.0)
    assert r.hourly["spill_mw"].tolist() == pytest.approx([0.0, 50.0])
    # the spilled 50 MWh is subtracted from the clean energy: (200 - 50) / 150 = 1
    assert r.clean_share == pytest.approx(1.0)


def test_spilled_grid_power_buys_no_cfe_credit() -> None:
    """24/7 CFE of 0.75 on one 100 MW hour; grid at 10 $/MWh and 50 % clean, up to 200 MW.

    A must-run nuclear option (1000 $/MW) puts a spill column in the model. Importing
    150 MW and spilling 50 would score 0.5 x 150 = 75 MW of "clean" supply for 1,500 $,
    unless spill counts against the score (it does): then ``n + 0.5 g - x >= 75`` with
    ``n + g - x = 100`` gives ``n >= 50``: nuclear 50 MW, grid 50 MW, cost 50,500 $.
    """
    grid = dataclasses.replace(
        no_grid(1),
        enabled=True,
        import_limit_mw=200.0,
        price_usd_per_mwh=np.full(1, 10.0),
        clean_fraction=0.5,
    )
    inputs = model(
        [100.0],
        [
            generator(
                "nuclear",
                carrier="uranium",
                capital_cost_usd_per_mw_year=1000.0,
                min_stable_pu=1.0,
                clean=True,
            )
        ],
        grid=grid,
        min_cfe_share=0.75,
        firm_capacity=False,
    )
    r = optimize(inputs)
    assert r.objective_usd_per_year == pytest.approx(50_500.0)
    assert r.p_nom_mw["nuclear"] == pytest.approx(50.0)
    assert r.hourly["spill_mw"].tolist() == pytest.approx([0.0], abs=1e-6)


def _dirty_and_clean(**kw: object) -> ModelInputs:
    return model(
        [100.0, 100.0],
        [
            generator(
                "coal",
                carrier="coal",
                fuel_cost_usd_per_mwh=10.0,
                emissions_t_per_mwh={**ZERO, "co2": 1.0},
            ),
            generator("nuclear_ppa", carrier="uranium", ppa_usd_per_mwh=50.0, clean=True),
        ],
        firm_capacity=False,
        **kw,
    )


def test_co2_cap_binds_with_its_price() -> None:
    """Cap 100 t: coal 100 MWh, PPA 100 MWh; cost 10*100 + 50*100 = 6,000; the cap is
    worth 50 - 10 = 40 $/t at the margin."""
    r = optimize(_dirty_and_clean(co2_cap_t_per_year=100.0))
    assert r.objective_usd_per_year == pytest.approx(6_000.0)
    assert r.emissions_t_per_year["co2"] == pytest.approx(100.0)
    assert abs(r.shadow_prices["co2_cap"]) == pytest.approx(40.0)
    assert r.cost_usd_per_year["ppa"] == pytest.approx(5_000.0)


def test_clean_share() -> None:
    """75 % clean of 200 MWh: PPA 150 MWh, coal 50 MWh: 10*50 + 50*150 = 8,000."""
    r = optimize(_dirty_and_clean(min_clean_share=0.75))
    assert r.objective_usd_per_year == pytest.approx(8_000.0)
    assert r.clean_share == pytest.approx(0.75)


def test_unserved_when_capacity_costs_more_than_lost_compute() -> None:
    """Gas at 1e6 $/MW/yr vs 100 $/MWh of lost compute for one 100 MWh hour: serve nothing."""
    inputs = model(
        [100.0],
        [generator("gas_aero", capital_cost_usd_per_mw_year=1e6)],
        unserved_cost_usd_per_mwh=100.0,
        firm_capacity=False,
    )
    r = optimize(inputs)
    assert r.unserved_mwh == pytest.approx(100.0)
    assert r.objective_usd_per_year == pytest.approx(10_000.0)
    assert r.cost_usd_per_year["unserved"] == pytest.approx(10_000.0)


def test_existing_capacity_pays_only_fixed_om() -> None:
    inputs = model(
        [80.0],
        [
            generator(
                "gas_aero",
                capital_cost_usd_per_mw_year=1000.0,
                fixed_om_usd_per_mw_year=5.0,
                p_nom_existing=100.0,
                p_nom_min=100.0,
            )
        ],
    )
    r = optimize(inputs)
    assert r.p_nom_mw["gas_aero"] == pytest.approx(100.0)
    assert r.objective_usd_per_year == pytest.approx(500.0)
    assert r.cost_usd_per_year["fixed_om"] == pytest.approx(500.0)


def test_infeasible_co2_cap_is_explained() -> None:
    inputs = model(
        [100.0],
        [generator("coal", emissions_t_per_mwh={**ZERO, "co2": 1.0})],
        co2_cap_t_per_year=10.0,
        max_unserved_fraction=0.0,
        firm_capacity=False,
    )
    with pytest.raises(InfeasibleError, match="CO2 cap"):
        optimize(inputs)


def test_firm_shortfall_is_explained_before_solving() -> None:
    inputs = model([100.0], [generator("gas_aero", p_nom_max=50.0)])
    with pytest.raises(InfeasibleError, match=r"needs 100\.0 MW .* at most 50\.0 MW"):
        optimize(inputs)


def test_weights_scale_energy_and_costs() -> None:
    """One snapshot standing for 8760 h equals 8760 identical hourly snapshots."""
    gen = [generator("gas_aero", capital_cost_usd_per_mw_year=100.0, fuel_cost_usd_per_mwh=3.0)]
    one = optimize(model([10.0], gen, weights=np.array([8760.0])))
    assert one.objective_usd_per_year == pytest.approx(100 * 10 + 3 * 10 * 8760)
    assert one.energy_mwh["gas_aero"] == pytest.approx(87_600.0)


def test_grid_emissions_and_carbon_price() -> None:
    grid = GridInputs(
        enabled=True,
        import_limit_mw=100.0,
        price_usd_per_mwh=np.array([30.0, 30.0]),
        demand_charge_usd_per_kw_month=0.0,
        emissions_t_per_mwh={**{k: np.zeros(2) for k in ZERO}, "co2": np.array([0.5, 1.0])},
        carbon_price_usd_per_t=20.0,
        clean_fraction=0.0,
        firm_fraction=1.0,
    )
    r = optimize(model([10.0, 10.0], [], grid=grid))
    assert r.emissions_t_per_year["co2"] == pytest.approx(15.0)
    assert r.cost_usd_per_year["carbon"] == pytest.approx(300.0)
    assert r.cost_usd_per_year["grid"] == pytest.approx(600.0)
    assert r.objective_usd_per_year == pytest.approx(900.0)


def test_flexible_compute_lowers_firm_capacity() -> None:
    """Load (100, 50) MW; 20 % may pause, up to 20 % of the 150 MWh. Firm need falls to
    80 MW; hour 0 pauses 20 MWh at 20 $/MWh: 80*1000 + 10*(80 + 50) + 20*20 = 81,700
    (rigid: 100*1000 + 10*150 = 101,500)."""
    gas = [generator("gas_aero", capital_cost_usd_per_mw_year=1000.0, fuel_cost_usd_per_mwh=10.0)]
    rigid = optimize(model([100.0, 50.0], gas))
    assert rigid.objective_usd_per_year == pytest.approx(101_500.0)
    flexible = model(
        [100.0, 50.0],
        gas,
        curtailable_fraction=0.2,
        max_curtailed_energy_fraction=0.2,
        curtailment_cost_usd_per_mwh=20.0,
    )
    r = optimize(flexible)
    assert flexible.firm_requirement_mw == pytest.approx(80.0)
    assert r.objective_usd_per_year == pytest.approx(81_700.0)
    assert r.energy_mwh["curtailed"] == pytest.approx(20.0)
    assert r.cost_usd_per_year["curtailment"] == pytest.approx(400.0)
    assert r.hourly["curtail_mw"].tolist() == pytest.approx([20.0, 0.0])


def test_infeasibility_reports_the_smallest_relaxation() -> None:
    """Coal emits 1 t/MWh; PV (at most 100 MW, cf 0.5 then 0) can serve 50 of the 200 MWh,
    so coal must make 150 MWh: a 10 t cap is 140 t too low."""
    inputs = model(
        [100.0, 100.0],
        [
            generator("coal", emissions_t_per_mwh={**ZERO, "co2": 1.0}),
            generator(
                "pv", capacity_credit=0.0, clean=True, cf=np.array([0.5, 0.0]), p_nom_max=100.0
            ),
        ],
        co2_cap_t_per_year=10.0,
        max_unserved_fraction=0.0,
        firm_capacity=False,
    )
    with pytest.raises(InfeasibleError, match=r"CO2 cap .*: the cap is 140\.0 t/yr too low"):
        optimize(inputs)
