"""Figure data: every trace adds up to the plan's energies, costs and emissions."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from aip.errors import ScenarioError
from aip.plot import (
    PlanView,
    capacity_mix,
    color_for,
    cost_waterfall,
    dispatch_week,
    emissions_by_source,
    load_duration,
    permit_view,
    plan_figures,
)
from aip.plot.palette import COLORS
from aip.results.plan import PlanResult

# Figures carry the solver's floats unchanged; only summation order differs.
REL = 1e-9


def _stacked(fig: go.Figure) -> list[go.Scatter]:
    return [t for t in fig.data if t.type == "scatter" and t.stackgroup]


def test_dispatch_terms_sum_to_load_every_hour(small_view: PlanView) -> None:
    fig = dispatch_week(small_view, start=0)
    load = next(t for t in fig.data if t.name == "Facility load")
    total = np.sum([np.asarray(t.y, dtype=float) for t in _stacked(fig)], axis=0)
    # energy balance: sum p + discharge - charge + grid + unserved - spill = load
    np.testing.assert_allclose(total, np.asarray(load.y, dtype=float), rtol=1e-7, atol=1e-6)


def test_dispatch_shows_storage_unserved_and_spill(small_view: PlanView) -> None:
    names = {t.name for t in dispatch_week(small_view, start=0).data}
    assert {"Battery charge", "Battery discharge", "Unserved load"} <= names
    # spilling and curtailing zero-cost PV cost the same, so whether the LP spills is a tie:
    # the spill trace is drawn exactly when the plan spills
    spills = bool(small_view.column("spill_mw").any())
    assert ("Spilled surplus" in names) == spills
    charge = next(t for t in dispatch_week(small_view, start=0).data if t.name == "Battery charge")
    assert max(charge.y) <= 0.0 < -min(charge.y)  # charging is drawn below zero


def test_dispatch_week_default_and_bad_start(small_view: PlanView) -> None:
    # fewer than 168 snapshots: the only week starts at 0
    assert len(dispatch_week(small_view).data[0].x) == 48
    with pytest.raises(ScenarioError, match="start"):
        dispatch_week(small_view, start=48)


def test_duration_curve_energy_matches_plan(small_view: PlanView, small_result: PlanResult) -> None:
    fig = load_duration(small_view)
    load = next(t for t in fig.data if t.name == "Facility load")
    assert load.x[-1] == pytest.approx(48.0)  # ends at the modelled hours
    assert list(load.y) == sorted(load.y, reverse=True)
    for key in ("pv", "gas_aero", "grid", "unserved"):
        trace = next(t for t in _stacked(fig) if t.meta == key)
        # weights are 1 h, so the sum of MW is MWh
        assert sum(trace.y) == pytest.approx(small_result.energy_mwh[key], rel=REL)


def test_capacity_bars_are_plan_capacities(small_view: PlanView, small_result: PlanResult) -> None:
    bar = capacity_mix(small_view).data[0]
    by_key = dict(zip(bar.meta, bar.x, strict=True))
    for key in ("pv", "gas_aero", "battery"):
        assert by_key[key] == pytest.approx(small_result.p_nom_mw[key], rel=REL)
    assert by_key["grid"] == pytest.approx(20.0)  # peak import hits the 20 MW limit
    assert list(bar.marker.color) == [color_for(k) for k in bar.meta]


def test_cost_waterfall_adds_up_to_total(small_view: PlanView, small_result: PlanResult) -> None:
    trace = cost_waterfall(small_view).data[0]
    values = dict(zip(trace.meta, trace.y, strict=True))
    total = values.pop("total")
    assert total == pytest.approx(small_result.cost_usd_per_year["total"] / 1e6, rel=REL)
    assert sum(values.values()) == pytest.approx(total, rel=REL)
    # hand check: capex 200 MW PV x 50 + 60 MW gas x 500 + 120 MWh x 5 = 40,600 USD/yr
    assert values["capex"] == pytest.approx(0.0406, rel=1e-6)
    assert "ppa" not in values  # zero categories are left out


def test_emissions_bars_sum_to_plan_totals(small_view: PlanView, small_result: PlanResult) -> None:
    fig = emissions_by_source(small_view)
    for pollutant, name in (("co2", "CO2"), ("nox", "NOx"), ("so2", "SO2"), ("pm25", "PM2.5")):
        total = sum(t.y[0] for t in fig.data if t.x[0] == name)
        assert total == pytest.approx(small_result.emissions_t_per_year[pollutant], rel=REL)
    gas_co2 = next(t for t in fig.data if t.meta == "gas_aero" and t.x[0] == "CO2").y[0]
    # hand check: 0.45 t/MWh x gas energy
    assert gas_co2 == pytest.approx(0.45 * small_result.energy_mwh["gas_aero"], rel=REL)


def test_one_colour_per_source_across_figures(small_view: PlanView) -> None:
    seen: dict[str, set[str]] = {}
    for fig in plan_figures(small_view).values():
        for t in fig.data:
            if t.type == "scatter" and t.stackgroup:
                seen.setdefault(str(t.meta), set()).add(t.fillcolor)
            elif t.type == "bar" and isinstance(t.meta, str) and t.meta in COLORS:
                seen.setdefault(t.meta, set()).add(t.marker.color)
    assert {"pv", "gas_aero", "battery", "grid"} <= set(seen)
    for key, colours in seen.items():
        assert colours == {color_for(key)}, key


def test_every_axis_has_units_and_every_figure_a_title(small_view: PlanView) -> None:
    for name, fig in plan_figures(small_view).items():
        assert small_view.name in fig.layout.title.text, name
        titles = [fig.layout.xaxis.title.text, fig.layout.yaxis.title.text]
        assert all(titles), (name, titles)
        # the value axis carries units; the other may be categories (technology, pollutant)
        assert any("[" in t and "]" in t for t in titles), (name, titles)


def test_colour_fallback_is_stable() -> None:
    assert color_for("custom_tech") == color_for("custom_tech")
    assert color_for("custom_tech").startswith("#")


def test_permit_view_absent_without_section(small_view: PlanView) -> None:
    assert permit_view(small_view) is None
    assert "permits" not in plan_figures(small_view)


@pytest.mark.parametrize(
    "section",
    [
        {  # the nested form written by aip.emissions.permits
            "potential_t_per_year": {"co2": 9e5, "nox": 300.0, "so2": 5.0},
            "expected_t_per_year": {"co2": 6e5, "nox": 120.0, "so2": 2.0},
            "thresholds_t_per_year": {"major_source": 100.0, "psd": 250.0},
            "nox_cap_t_per_year": 87.0,
            "major_source": True,
        },
        {  # flat keys only
            "nox_potential_t_per_year": 300.0,
            "nox_expected_t_per_year": 120.0,
            "so2_potential_t_per_year": 5.0,
            "so2_expected_t_per_year": 2.0,
            "nox_cap_t_per_year": 87.0,
            "major_source": True,
        },
    ],
)
def test_permit_view_bars_and_thresholds(small_view: PlanView, section: dict[str, object]) -> None:
    view = PlanView(
        summary={**small_view.summary, "permits": section},
        hourly=small_view.hourly,
        generators=small_view.generators,
        storage=small_view.storage,
        labels=small_view.labels,
        emissions_by_source=small_view.emissions_by_source,
    )
    fig = permit_view(view)
    assert fig is not None
    potential = next(t for t in fig.data if t.meta == "potential")
    expected = next(t for t in fig.data if t.meta == "expected")
    assert list(potential.x) == ["NOx", "SO2"]  # CO2 has no permit threshold here
    assert list(potential.y) == [300.0, 5.0]
    assert list(expected.y) == [120.0, 2.0]
    lines = sorted(s.y0 for s in fig.layout.shapes)
    assert lines == [87.0, 100.0, 250.0]
    assert "major source: yes" in fig.layout.title.text
