"""Figures of the analysis sections: time to power, finance, reliability, the CFE curve.

Fast tests use the 48-hour small plan with real sections computed on it (finance,
reliability with a stand-in planner) or a hand-written schedule; the Colossus example
(time to power, ~20 s) is solved once for the module and marked slow.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from small_plan import small_inputs

import aip
from aip.emissions.cfe import cfe_cost_curve
from aip.errors import DataError
from aip.finance import finance_plan
from aip.optimize.examples import generator, no_grid
from aip.optimize.inputs import ModelInputs
from aip.optimize.run import optimize
from aip.plot import PlanView, from_result, plan_figures, write_png
from aip.plot.cfe import cfe_cost_figure
from aip.plot.finance import cash_terms, finance_cash_flows, finance_tornado, power_share
from aip.plot.reliability import nines_of, reliability_chart
from aip.plot.schedule import schedule_gantt, served_gpus
from aip.plot.static import to_matplotlib
from aip.reliability.section import reliability_section
from aip.report import load_plan_dir, write_report
from aip.results.export import write_plan
from aip.results.plan import PlanResult
from aip.schema import parse_scenario

ROOT = Path(__file__).parents[2]
SECTION_FIGURES = {"schedule", "cashflows", "tornado", "reliability"}
# Figures carry the section's floats, scaled to millions: only rounding differs.
REL = 1e-9

SMALL_SCENARIO: dict[str, Any] = {
    "name": "small",
    "site": {"station": "memphis"},
    "compute": {"accelerator": "h100", "count": 1000},
    "constraints": {"n_minus": 0},
}


def _with(view: PlanView, name: str, content: dict[str, Any]) -> PlanView:
    return dataclasses.replace(view, summary={**view.summary, name: content})


def _bars(fig: go.Figure) -> list[go.Bar]:
    return [t for t in fig.data if t.type == "bar"]


# --- absent sections -----------------------------------------------------------------


def test_section_figures_absent_without_sections(small_view: PlanView) -> None:
    assert SECTION_FIGURES.isdisjoint(plan_figures(small_view))
    for function in (schedule_gantt, finance_cash_flows, finance_tornado, reliability_chart):
        assert function(small_view) is None
    # an empty section (e.g. reliability of a scenario without one) draws nothing either
    assert reliability_chart(_with(small_view, "reliability", {})) is None


# --- time to power (hand-written section) -----------------------------------------------

SCHEDULE: dict[str, Any] = {
    "first_power_date": "2025-04-01",
    "full_power_date": "2025-07-01",
    "periods": [
        {
            "period_start": "2025-01-01", "period_end": "2025-04-01", "hours": 2160.0,
            "gpus": 0.0, "p_nom_mw": {"gas_aero": 0.0, "bridge_ct": 0.0, "grid": 10.0},
            "load_mwh": 0.0, "served_mwh": 0.0, "unserved_mwh": 0.0,
        },
        {
            "period_start": "2025-04-01", "period_end": "2025-07-01", "hours": 2184.0,
            "gpus": 1000.0, "p_nom_mw": {"gas_aero": 0.0, "bridge_ct": 40.0, "grid": 10.0},
            "load_mwh": 2184.0 * 100.0, "served_mwh": 2184.0 * 75.0, "unserved_mwh": 2184.0 * 25,
        },
        {
            "period_start": "2025-07-01", "period_end": "2025-10-01", "hours": 2208.0,
            "gpus": 1000.0, "p_nom_mw": {"gas_aero": 60.0, "bridge_ct": 30.0, "grid": 10.0},
            "load_mwh": 2208.0 * 100.0, "served_mwh": 2208.0 * 100.0, "unserved_mwh": 0.0,
        },
    ],
}  # fmt: skip


def test_schedule_bars_are_the_section_numbers(small_view: PlanView) -> None:
    fig = schedule_gantt(_with(small_view, "schedule", SCHEDULE))
    assert fig is not None and fig.layout.barmode == "stack"
    bars = {t.meta: t for t in _bars(fig)}
    assert list(bars["gas_aero"].y) == [0.0, 0.0, 60.0]
    assert list(bars["bridge_ct"].y) == [0.0, 40.0, 30.0]
    assert list(bars["grid"].y) == [10.0, 10.0, 10.0]
    # bridges (keys the plan lacks) are hatched and named as leased; owned plant is not
    assert bars["bridge_ct"].marker.pattern.shape == "/"
    assert "leased" in bars["bridge_ct"].name and bars["gas_aero"].marker.pattern.shape == ""
    # each bar spans its period: 90, 91, 92 days in milliseconds, starting at its start
    assert list(bars["grid"].x) == ["2025-01-01", "2025-04-01", "2025-07-01"]
    assert list(bars["grid"].width) == [d * 86_400_000.0 for d in (90, 91, 92)]
    # compute: 75 % served in the second quarter -> 750 served, 250 idle GPUs
    assert list(bars["served"].y) == [0.0, 750.0, 1000.0]
    assert list(bars["unserved"].y) == [0.0, 250.0, 0.0]
    load = next(t for t in fig.data if t.meta == "load")
    assert list(load.y) == [0.0, 100.0, 100.0, 100.0] and load.line.shape == "hv"
    dates = {t.meta: t.x[0] for t in fig.data if t.type == "scatter" and t.meta != "load"}
    assert dates == {"first_power": "2025-04-01", "full_power": "2025-07-01"}


def test_served_gpus_split() -> None:
    assert served_gpus({"gpus": 200.0, "load_mwh": 10.0, "served_mwh": 4.0}) == (80.0, 120.0)
    assert served_gpus({"gpus": 0.0, "load_mwh": 0.0, "served_mwh": 0.0}) == (0.0, 0.0)


def test_schedule_without_full_power_date_draws_only_first(small_view: PlanView) -> None:
    fig = schedule_gantt(_with(small_view, "schedule", {**SCHEDULE, "full_power_date": None}))
    assert fig is not None
    assert {t.meta for t in fig.data if t.type == "scatter"} == {"load", "first_power"}


# --- finance (real section on the small plan) -------------------------------------------


@pytest.fixture(scope="module")
def finance_view(small_result: PlanResult) -> PlanView:
    scenario = parse_scenario(
        {
            **SMALL_SCENARIO,
            "finance": {"years": 10, "debt": {"sizing": "leverage", "leverage": 0.5}},
        }
    )
    section = finance_plan(small_result, scenario, scenario.finance).summary()
    return from_result(small_result.with_section("finance", section))


def test_cash_flow_bars_add_up_to_equity_each_year(finance_view: PlanView) -> None:
    fig = finance_cash_flows(finance_view)
    assert fig is not None and fig.layout.barmode == "relative"
    flows = finance_view.summary["finance"]["cash_flows_usd"]
    total = np.sum([np.asarray(t.y, dtype=float) for t in _bars(fig)], axis=0)
    equity = np.asarray(flows["equity"]) / 1e6
    np.testing.assert_allclose(total, equity, rtol=REL, atol=1e-9 * np.abs(equity).max())
    line = next(t for t in fig.data if t.meta == "cumulative_equity")
    assert line.y[-1] == pytest.approx(sum(flows["equity"]) / 1e6, rel=REL)
    bars = {t.meta: t for t in _bars(fig)}
    assert sum(bars["capex"].y) == pytest.approx(-sum(flows["capex"]) / 1e6, rel=REL)
    assert {"revenue", "capex", "power", "debt_service", "tax"} <= set(bars)


def test_power_opex_is_the_plans_operating_cost(finance_view: PlanView) -> None:
    flows = finance_view.summary["finance"]["cash_flows_usd"]
    costs = finance_view.summary["cost_usd_per_year"]
    plan_opex = sum(v for k, v in costs.items() if k not in {"capex", "unserved", "total"})
    power = -cash_terms(finance_view, flows)["power"]
    operating = np.asarray(flows["year"]) >= 1
    # real dollars, no inflation: every operating year carries exactly the plan's opex
    np.testing.assert_allclose(power[operating], plan_opex, rtol=1e-9)
    assert 0.0 < power_share(finance_view, flows) < 1.0  # the facility O&M is the rest


def test_tornado_bars_end_at_the_case_npvs(finance_view: PlanView) -> None:
    fig = finance_tornado(finance_view)
    assert fig is not None
    section = finance_view.summary["finance"]
    base = section["npv_usd"] / 1e6
    by_driver = {r["driver"]: r for r in section["tornado"]}
    for trace, case in zip(_bars(fig), ("low", "high"), strict=True):
        assert trace.base == pytest.approx(base, rel=REL)
        for driver, x in zip(trace.meta, trace.x, strict=True):
            assert base + x == pytest.approx(by_driver[driver][f"npv_{case}_usd"] / 1e6, rel=REL)
    swings = [abs(h - lo) for lo, h in zip(_bars(fig)[0].x, _bars(fig)[1].x, strict=True)]
    assert swings == sorted(swings, reverse=True)  # widest swing on top


# --- reliability (real section, stand-in planner) ----------------------------------------


def _gas_inputs(n_minus: int) -> ModelInputs:
    n = 48
    return ModelInputs(
        name="small",
        timestamps=[f"2025-01-{1 + h // 24:02d}T{h % 24:02d}:00" for h in range(n)],
        weights=np.ones(n),
        load_mw=np.full(n, 100.0),
        generators=[generator("gas_aero", capital_cost_usd_per_mw_year=1000.0, unit_size_mw=50.0)],
        storage=[],
        grid=no_grid(n),
        unserved_cost_usd_per_mwh=10_000.0,
        n_minus=n_minus,
    )


@pytest.fixture(scope="module")
def reliability_view() -> PlanView:
    scenario = parse_scenario(
        {**SMALL_SCENARIO, "reliability": {"samples": 200, "target_availability": 0.999}}
    )
    result = optimize(_gas_inputs(0))
    section = reliability_section(
        result, scenario, lambda s: optimize(_gas_inputs(s.constraints.n_minus))
    )
    return from_result(result.with_section("reliability", section))


def test_reliability_bars_are_the_ladder(reliability_view: PlanView) -> None:
    fig = reliability_chart(reliability_view)
    assert fig is not None
    table = reliability_view.summary["reliability"]["target"]["table"]
    assert len(table) >= 2  # N-0 misses 0.999 with 2 x 50 MW units at q = 0.03
    nines, cost = _bars(fig)
    assert list(nines.x)[:2] == ["N-0", "N-1"]
    exact = [nines_of(r["availability"]) for r in table]
    finite = [v for v in exact if math.isfinite(v)]
    for value, y in zip(exact, nines.y, strict=True):
        # a plan that never failed in the samples (A = 1) is drawn one nine above the rest
        assert y == pytest.approx(value if math.isfinite(value) else max(finite) + 1, rel=REL)
    np.testing.assert_allclose(cost.y, [r["cost_usd_per_year"] / 1e6 for r in table], rtol=REL)
    # red where the target is missed, green where met; the target line at 3 nines
    assert nines.marker.color[0] != nines.marker.color[-1]
    assert fig.layout.shapes[0].y0 == pytest.approx(3.0)


def test_reliability_without_target_shows_the_plan(small_view: PlanView) -> None:
    fig = reliability_chart(_with(small_view, "reliability", {"availability": 0.99}))
    assert fig is not None and len(fig.data) == 1
    assert fig.data[0].y[0] == pytest.approx(2.0)
    assert nines_of(1.0) == math.inf


# --- the 24/7 CFE cost curve ---------------------------------------------------------------


def test_cfe_curve_figure_matches_the_table() -> None:
    frame = cfe_cost_curve(small_inputs(), shares=[0.0, 0.2, 0.4])
    fig = cfe_cost_figure(frame, name="small")
    ok = frame[frame["status"] == "optimal"]
    line = fig.data[0]
    np.testing.assert_allclose(line.x, ok["cfe_share"])
    np.testing.assert_allclose(line.y, ok["objective_usd_per_year"] / 1e6, rtol=REL)
    for bar in _bars(fig):
        np.testing.assert_allclose(bar.y, ok[f"p_nom_mw_{bar.meta}"], rtol=REL)
    assert fig.layout.barmode == "stack" and fig.layout.title.text.startswith("small:")


def test_cfe_curve_drops_infeasible_shares_and_checks_columns() -> None:
    frame = pd.DataFrame(
        {
            "cfe_share": [0.0, 0.5, 1.0],
            "objective_usd_per_year": [1e8, 1.2e8, np.nan],
            "status": ["optimal", "optimal", "infeasible"],
            "p_nom_mw_pv": [0.0, 100.0, np.nan],
        }
    )
    fig = cfe_cost_figure(frame)
    assert list(fig.data[0].x) == [0.0, 0.5]
    assert list(fig.data[0].text) == ["+0.000", "+0.200"]
    with pytest.raises(DataError, match="objective_usd_per_year"):
        cfe_cost_figure(frame.drop(columns="objective_usd_per_year"))
    with pytest.raises(DataError, match="no feasible"):
        cfe_cost_figure(frame.iloc[2:])


# --- files, static export ------------------------------------------------------------------


def test_sections_survive_the_plan_folder(
    finance_view: PlanView, small_result: PlanResult, tmp_path: Path
) -> None:
    result = small_result.with_section("finance", finance_view.summary["finance"])
    result = result.with_section("schedule", SCHEDULE)
    write_plan(result, tmp_path / "plan")
    view = load_plan_dir(tmp_path / "plan")
    names = set(plan_figures(view))
    assert {"schedule", "cashflows", "tornado"} <= names and "reliability" not in names
    live = finance_cash_flows(finance_view)
    saved = finance_cash_flows(view)
    assert live is not None and saved is not None
    for a, b in zip(live.data, saved.data, strict=True):
        np.testing.assert_allclose(a.y, b.y, rtol=1e-12)


def test_static_export_of_section_figures(
    finance_view: PlanView, reliability_view: PlanView, small_view: PlanView, tmp_path: Path
) -> None:
    figures = {
        "schedule": schedule_gantt(_with(small_view, "schedule", SCHEDULE)),
        "cashflows": finance_cash_flows(finance_view),
        "tornado": finance_tornado(finance_view),
        "reliability": reliability_chart(reliability_view),
    }
    for name, fig in figures.items():
        assert fig is not None
        path = write_png(fig, tmp_path / f"{name}.png")
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the two schedule panels share the time axis: stacked in rows, not side by side
    schedule = figures["schedule"]
    assert schedule is not None
    axes = to_matplotlib(schedule).axes
    assert len(axes) == 2 and axes[0].get_position().y0 > axes[1].get_position().y0
    # relative bars: positive and negative stacks apart, so each year's column spans
    # exactly its inflows above zero and its outflows below
    cash = figures["cashflows"]
    assert cash is not None
    patches = to_matplotlib(cash).axes[0].patches
    lowest = min(min(p.get_y(), p.get_y() + p.get_height()) for p in patches)
    outflows = sum(np.minimum(np.asarray(t.y, dtype=float), 0.0) for t in _bars(cash))
    assert lowest == pytest.approx(float(np.min(outflows)), rel=1e-9)


# --- Colossus: the real time-to-power plan ------------------------------------------------


@pytest.fixture(scope="module")
def colossus() -> PlanResult:
    return aip.plan(ROOT / "examples" / "colossus-memphis.yaml")


@pytest.mark.slow
def test_colossus_gantt_matches_the_schedule(colossus: PlanResult, tmp_path: Path) -> None:
    view = from_result(colossus)
    section = colossus.sections["schedule"]
    fig = schedule_gantt(view)
    assert fig is not None
    bars = {t.meta: t for t in _bars(fig)}
    periods = section["periods"]
    # the leased turbines are the bridge; their bars are the leased MW of each period
    np.testing.assert_allclose(bars["mobile_gas"].y, [p["leased_mw"] for p in periods])
    assert bars["mobile_gas"].marker.pattern.shape == "/"
    np.testing.assert_allclose(bars["grid"].y, [p["p_nom_mw"]["grid"] for p in periods])
    gpus = np.sum([bars[k].y for k in ("served", "unserved") if k in bars], axis=0)
    np.testing.assert_allclose(gpus, [p["gpus"] for p in periods], rtol=1e-12)
    assert max(gpus) == pytest.approx(200_000)
    dates = {t.meta: t.x[0] for t in fig.data if t.type == "scatter" and t.meta != "load"}
    assert dates == {"first_power": "2024-09-02", "full_power": "2025-02-01"}
    assert dates["first_power"] == section["first_power_date"]
    written = write_report(colossus, tmp_path / "report.html", png_dir=tmp_path / "png")
    page = written["report"].read_text(encoding="utf-8")
    assert 'id="fig-schedule"' in page and "Time to power (staged plan)" in page
    assert 'id="fig-cashflows"' not in page  # no finance section in this example
    assert written["png_schedule"].stat().st_size > 10_000
