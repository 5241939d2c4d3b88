"""Finance on a real (small) plan: identity with the plan's LCOE, consistency, API, errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

import aip
from aip.errors import ScenarioError
from aip.finance import build_case, finance_plan
from aip.finance.cashflow import capex_schedule
from aip.optimize.inputs import capital_recovery_factor
from aip.results.export import to_json
from aip.schema import parse_scenario
from aip.schema.finance import Finance

SCENARIO: dict[str, Any] = {
    "name": "finance-small",
    "site": {"station": "abilene"},
    "compute": {"accelerator": "h100", "count": 20000},
    "facility": {"pue": 1.2},
    "grid": {"enabled": False},
    # PV and a battery forced in so lives differ (30, 30, 15 years) and storage counts.
    "technologies": {"gas_frame": {}, "pv": {"p_nom_min": 30}, "battery": {"p_nom_min": 5}},
    "constraints": {"n_minus": 0},
    "economics": {"wacc": 0.07},
}
# The identity conditions: no tax, no debt, capex at year 0, no inflation, rate = WACC.
IDENTITY = {"tax_rate": 0.0, "draw_schedule": [1.0], "years": 20}


@pytest.fixture(scope="module")
def planned() -> tuple[aip.Scenario, aip.PlanResult]:
    scenario = parse_scenario({**SCENARIO, "finance": {"years": 20}})
    return scenario, aip.plan(scenario)


def test_breakeven_lcoe_equals_plan_lcoe(planned: tuple[Any, Any]) -> None:
    scenario, result = planned
    f = finance_plan(result, scenario, Finance.model_validate(IDENTITY))
    # Both are (sum of annuities + opex) / MWh served; only float rounding differs.
    assert f.lcoe_usd_per_mwh == pytest.approx(result.lcoe_usd_per_mwh, rel=1e-9)


def test_power_case_matches_plan_costs(planned: tuple[Any, Any]) -> None:
    scenario, result = planned
    case = build_case(result, scenario, Finance.model_validate(IDENTITY), "power")
    annual = 0.0
    for a in case.assets:
        annual += a.capex_usd * capital_recovery_factor(0.07, a.life_years)
    assert annual == pytest.approx(result.cost_usd_per_year["capex"], rel=1e-12)
    costs = result.cost_usd_per_year
    opex = costs["total"] - costs["capex"] - costs["unserved"]
    assert sum(o.usd_per_year for o in case.opex) == pytest.approx(opex, rel=1e-12)
    # the 15-year battery is re-bought once in 20 years, at the end of year 15
    schedule = capex_schedule(case)
    assert schedule.loc[15, "battery"] == pytest.approx(schedule.loc[0, "battery"])


def test_plan_json_has_finance_section(planned: tuple[Any, Any]) -> None:
    _, result = planned
    section = json.loads(to_json(result.summary()))["finance"]
    for key in (
        "project_irr",
        "equity_irr",
        "npv_usd",
        "lcoe_usd_per_mwh",
        "all_in_cost_usd_per_gpu_hour",
        "payback_years",
    ):
        assert key in section
    split = section["all_in_breakdown_usd_per_gpu_hour"]
    assert sum(split.values()) == pytest.approx(section["all_in_cost_usd_per_gpu_hour"])
    # IT nameplate: 20,000 H100 x 1,275 W x 1.1 overhead = 28.05 MW.
    assert section["it_nameplate_mw"] == pytest.approx(28.05, rel=1e-9)


def test_tornado_directions(planned: tuple[Any, Any]) -> None:
    scenario, result = planned
    rows = {r["driver"]: r for r in finance_plan(result, scenario).tornado}
    assert set(rows) == {"capex", "gas_price", "price", "wacc", "utilisation"}
    assert rows["capex"]["npv_high_usd"] < rows["capex"]["npv_low_usd"]
    assert rows["gas_price"]["npv_high_usd"] < rows["gas_price"]["npv_low_usd"]
    assert rows["price"]["npv_high_usd"] > rows["price"]["npv_low_usd"]
    assert rows["utilisation"]["npv_high_usd"] > rows["utilisation"]["npv_low_usd"]


def test_debt_raises_equity_irr_when_project_beats_rate(planned: tuple[Any, Any]) -> None:
    scenario, result = planned
    base = {"gpu_hour_price_usd": 3.0, "tax_rate": 0.21}
    unlevered = finance_plan(result, scenario, Finance.model_validate(base)).metrics
    levered = finance_plan(
        result,
        scenario,
        Finance.model_validate({**base, "debt": {"sizing": "leverage", "rate": 0.05}}),
    ).metrics
    assert unlevered.project_irr is not None and unlevered.project_irr > 0.05
    assert (levered.equity_irr or 0) > (unlevered.equity_irr or 0)
    assert levered.project_irr == pytest.approx(unlevered.project_irr, rel=1e-12)


@pytest.mark.parametrize(
    ("finance", "field"),
    [
        ({"revenue": "power_sale"}, "power_price_usd_per_mwh"),
        ({"tax_credit": "ptc"}, "ptc_usd_per_mwh"),
        ({"draw_schedule": [0.5, 0.4]}, "draw_schedule"),
        ({"leverage": 0.6}, "finance.leverage"),
        ({"debt": {"sizing": "half"}}, "finance.debt.sizing"),
        ({"tax_rate": 21}, "finance.tax_rate"),
    ],
)
def test_bad_finance_inputs_name_the_field(finance: dict[str, Any], field: str) -> None:
    with pytest.raises(ScenarioError, match=field):
        parse_scenario({**SCENARIO, "finance": finance})
