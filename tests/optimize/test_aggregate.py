"""Typical days: block-cyclic storage by hand, the reduction on bundled examples and its
accuracy on the bench's CO2-capped case."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import aip
from aip.optimize import aggregate as aggregate_module
from aip.optimize import optimize
from aip.optimize.aggregate import aggregate_inputs
from aip.optimize.examples import generator, no_grid, storage
from aip.optimize.inputs import ModelInputs


def _two_typical_days(weights: list[float]) -> ModelInputs:
    """Two 2-hour 'days'; PV shines in the first hour of day A only. Each snapshot lasts
    1 h but stands for ``weights`` days."""
    return ModelInputs(
        name="blocks",
        timestamps=["a0", "a1", "b0", "b1"],
        weights=np.array(weights),
        load_mw=np.full(4, 10.0),
        generators=[
            generator(
                "pv",
                capital_cost_usd_per_mw_year=1.0,
                capacity_credit=0.0,
                cf=np.array([1.0, 0.0, 0.0, 0.0]),
            ),
            generator("gas_aero", fuel_cost_usd_per_mwh=100.0),
        ],
        storage=[storage("battery", capital_cost_usd_per_mwh_year=1.0)],
        grid=no_grid(4),
        unserved_cost_usd_per_mwh=1e5,
        firm_capacity=False,
        period_hours=2,
        snapshot_hours=np.ones(4),
    )


def test_storage_is_cyclic_within_each_typical_day() -> None:
    """Day A (300 days): PV 20 MW charges 10 MWh in hour 0 for hour 1. Day B (65 days):
    no sun and storage cannot carry day A's energy over, so gas serves 20 MWh a day.
    Cost = PV 20 + battery 10 MWh + gas 100 x 20 x 65 = 130,030."""
    r = optimize(_two_typical_days([300.0, 300.0, 65.0, 65.0]))
    assert r.p_nom_mw["pv"] == pytest.approx(20.0)
    assert r.e_nom_mwh["battery"] == pytest.approx(10.0)
    assert r.energy_mwh["gas_aero"] == pytest.approx(20.0 * 65)
    assert r.objective_usd_per_year == pytest.approx(20 + 10 + 100 * 20 * 65)


def test_colossus_screening_matches_full_year() -> None:
    """Gas-and-grid campus without storage in the optimum: the typical-day plan has the
    full plan's cost (relative error below 1e-3) and keeps the peak load."""
    inputs = aip.model_inputs("examples/colossus-memphis.yaml")
    reduced, _, info = aggregate_inputs(inputs, 12)
    assert reduced.weights.sum() == pytest.approx(8760.0)
    assert reduced.peak_load_mw == pytest.approx(inputs.peak_load_mw)
    assert info.typical_days >= 12
    full = optimize(inputs).objective_usd_per_year
    screen = optimize(reduced).objective_usd_per_year
    assert screen == pytest.approx(full, rel=1e-3)


def test_typical_days_through_the_api() -> None:
    result = aip.plan(
        {
            "name": "screen",
            "site": {"station": "phoenix"},
            "compute": {"accelerator": "h100", "count": 5000},
            "grid": {"import_limit_mw": 5},
            "technologies": {"pv": {}, "battery": {}, "gas_aero": {}},
            "constraints": {"n_minus": 0},
            "solver": {"typical_days": 6},
        }
    )
    section = result.sections["time_aggregation"]
    assert section["typical_days"] >= 6
    assert sum(section["days_represented"]) == pytest.approx(365.0)
    assert len(result.hourly) == 24 * section["typical_days"]
    assert {"it_load_mw", "pue", "duration_h"} <= set(result.hourly.columns)
    assert result.load.facility_energy_mwh == pytest.approx(
        float(result.hourly["facility_load_mw"] @ result.hourly["weight_h"])
    )


def test_typical_days_keep_each_series_annual_energy_and_duration_curve() -> None:
    """Distribution representatives: weighted sums of load and capacity factors equal the
    full year's, and each series' weighted duration curve stays close to the year's."""
    inputs = aip.model_inputs("examples/cfe-abilene.yaml")
    reduced, _, info = aggregate_inputs(inputs, 10)
    assert sum(info.days_represented) == pytest.approx(365.0)
    full_cf = {g.key: g.cf for g in inputs.generators if g.cf is not None}
    assert full_cf, "the example has renewables"
    for g in reduced.generators:
        if g.cf is None:
            continue
        assert float(reduced.weights @ g.cf) == pytest.approx(full_cf[g.key].sum(), rel=1e-3)
        # the weighted share of hours above half output, as in the year (within 2 points)
        above = float(reduced.weights @ (g.cf > 0.5)) / 8760
        assert above == pytest.approx(float(np.mean(full_cf[g.key] > 0.5)), abs=0.02)
    assert float(reduced.weights @ reduced.load_mw) == pytest.approx(inputs.load_mw.sum(), rel=1e-6)


def test_same_series_are_clustered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sweep over prices clusters once; different series are clustered afresh."""
    import tsam

    inputs = aip.model_inputs("examples/stargate-abilene.yaml")
    calls = []
    real = tsam.aggregate

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(tsam, "aggregate", counting)
    monkeypatch.setattr(aggregate_module, "_CLUSTERINGS", type(aggregate_module._CLUSTERINGS)())
    first, _, _ = aggregate_inputs(inputs, 5)
    cheap_fuel = [dataclasses.replace(g, fuel_cost_usd_per_mwh=1.0) for g in inputs.generators]
    cheaper = dataclasses.replace(inputs, generators=cheap_fuel)
    second, _, _ = aggregate_inputs(cheaper, 5)
    assert len(calls) == 1
    np.testing.assert_array_equal(first.load_mw, second.load_mw)
    # the cached days are not shared with the models built from them
    second.grid.price_usd_per_mwh[:] = -1.0
    third, _, _ = aggregate_inputs(inputs, 5)
    assert third.grid.price_usd_per_mwh.min() >= 0
    aggregate_inputs(dataclasses.replace(inputs, load_mw=inputs.load_mw * 1.1), 5)
    assert len(calls) == 2
    six, _, _ = aggregate_inputs(inputs, 6)  # another number of days: clustered afresh
    assert len(calls) == 3 and six.n_snapshots > first.n_snapshots


@pytest.mark.slow
def test_screening_cost_of_the_co2_capped_bench_case_is_within_one_percent() -> None:
    """The bench's hard case (annual CO2 cap, PV, wind, gas, 4-hour battery). With medoid
    days its error was -4.4 % at 8 days and +5.7 % at 24; distribution days stay within
    0.75 % from 8 to 48 days (docs/benchmarks.md). 1 % is the issue's screening goal."""
    inputs = aip.model_inputs(Path(__file__).parents[2] / "bench" / "cases" / "hard.yaml")
    full = optimize(inputs).objective_usd_per_year
    for days in (8, 24):
        screen = optimize(aggregate_inputs(inputs, days)[0]).objective_usd_per_year
        assert screen == pytest.approx(full, rel=0.01), days


def test_typical_hours_add_up_facility_equals_it_times_pue() -> None:
    """Loudoun's IT load varies by the hour; each series of a typical day is its own
    duration curve, so without deriving the PUE the table was off by 7 % of the peak."""
    scenario = aip.load_scenario("examples/loudoun-grid.yaml")
    data = scenario.model_dump(exclude_unset=True)
    data["solver"] = {"typical_days": 8}
    hourly = aip.plan(aip.parse_scenario(data)).hourly
    assert hourly["it_load_mw"].max() > 1.2 * hourly["it_load_mw"].min()
    assert hourly["facility_load_mw"].to_numpy() == pytest.approx(
        (hourly["it_load_mw"] * hourly["pue"]).to_numpy() + scenario.facility.auxiliary_mw,
        rel=1e-9,
    )
