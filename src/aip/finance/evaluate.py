"""Finance metrics of a plan: IRRs, NPVs, payback, breakeven LCOE and $/GPU-hour.

Notes
-----
Breakeven price ``p*`` of a case: the price per unit sold (MWh or GPU-hour, base-year
dollars) at which the after-tax equity NPV at the cost of equity is zero, the method of
the off-grid AI campus study [1]_. Taxes are linear and the debt is fixed at its size at
``p*``, so ``NPV_E(p*) = sum_c NPV_c + p* B = 0`` with ``B`` the present value of the
after-tax units sold; each component's share of ``p*`` is ``-NPV_c / B`` and the shares
add up to ``p*`` exactly (debt flows are shared by initial capex).

With no tax, no debt, no construction lead (``draw_schedule: [1.0]``), no inflation and
the discount rate equal to the plan's WACC, ``p*`` of the power plant equals the plan's
annuity LCOE ``(sum_k capex_k CRF_k + opex) / MWh served``: the residual-value rule in
:mod:`aip.finance.cashflow` makes every asset cost exactly its annuity each year.

References
----------
.. [1] D. Baranko, P. Campbell, Z. Hausfather, J. McWalter, N. Ransohoff, "Fast,
   scalable, clean, and cheap enough: how off-grid solar microgrids can power the AI
   race", Dec 2024 (LCOE as the PPA price that sets after-tax equity NPV to zero).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aip.finance.capital import (
    Drivers,
    build_case,
    it_capex_usd_per_gpu,
    it_nameplate_mw,
)
from aip.finance.cashflow import COMPONENTS, CashFlows, FinanceCase, capex_schedule, cash_flows
from aip.finance.metrics import breakeven, irr, npv, payback_years
from aip.results.plan import PlanResult
from aip.schema import Scenario
from aip.schema.finance import Finance


@dataclass(frozen=True)
class CaseMetrics:
    """Headline metrics of one case at one price."""

    project_irr: float | None
    equity_irr: float | None
    npv_usd: float
    equity_npv_usd: float
    payback_years: float | None
    debt_usd: float


@dataclass(frozen=True)
class FinanceResult:
    """Finance view of a plan (money in the case's reporting dollars)."""

    revenue: str
    price: float
    metrics: CaseMetrics
    lcoe_usd_per_mwh: float
    all_in_cost_usd_per_gpu_hour: float
    all_in_breakdown_usd_per_gpu_hour: dict[str, float]
    capital_usd: dict[str, float]
    capex_by_year_usd: dict[str, list[float]]
    flows: CashFlows
    tornado: list[dict[str, Any]] = field(default_factory=list)
    facts: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """JSON-ready ``finance`` section of ``aip plan --json``."""
        m = self.metrics
        table = self.flows.table
        return {
            "revenue": self.revenue,
            "price_usd": self.price,
            "project_irr": m.project_irr,
            "equity_irr": m.equity_irr,
            "npv_usd": m.npv_usd,
            "equity_npv_usd": m.equity_npv_usd,
            "payback_years": m.payback_years,
            "debt_usd": m.debt_usd,
            "lcoe_usd_per_mwh": self.lcoe_usd_per_mwh,
            "all_in_cost_usd_per_gpu_hour": self.all_in_cost_usd_per_gpu_hour,
            "all_in_breakdown_usd_per_gpu_hour": dict(self.all_in_breakdown_usd_per_gpu_hour),
            "capital_usd": dict(self.capital_usd),
            "capex_by_year_usd": {
                "year": [int(y) for y in table["year"]],
                **self.capex_by_year_usd,
            },
            **self.facts,
            "cash_flows_usd": {col: [float(v) for v in table[col]] for col in table.columns},
            "tornado": list(self.tornado),
        }


def case_metrics(case: FinanceCase, price: float) -> CaseMetrics:
    """IRRs, NPVs (project at the discount rate, equity at the cost of equity), payback."""
    flows = cash_flows(case, price)
    t = flows.table
    return CaseMetrics(
        project_irr=irr(t["project"].to_numpy()),
        equity_irr=irr(t["equity"].to_numpy()),
        npv_usd=npv(case.discount(case.discount_rate), t["project"].to_numpy()),
        equity_npv_usd=npv(case.discount(case.cost_of_equity), t["equity"].to_numpy()),
        payback_years=payback_years(t["project"].to_numpy(), start=flows.cod_index - 1),
        debt_usd=flows.debt_usd,
    )


def breakeven_price(case: FinanceCase, guess: float, what: str) -> tuple[float, dict[str, float]]:
    """Price setting equity NPV to zero, and its split by component [USD per unit]."""
    rate = case.discount(case.cost_of_equity)

    def equity_npv(price: float) -> float:
        return npv(rate, cash_flows(case, price).table["equity"].to_numpy())

    price = breakeven(equity_npv, guess, what)
    flows = cash_flows(case, price)
    unit = npv(rate, flows.revenue_equity_per_unit)
    split = {
        c: -npv(rate, flows.component_equity[c]) / unit if unit else float("nan")
        for c in COMPONENTS
    }
    return price, split


def finance_plan(
    result: PlanResult, scenario: Scenario, fin: Finance | None = None
) -> FinanceResult:
    """The finance view of a plan, its breakeven prices and a sensitivity tornado.

    Parameters
    ----------
    result : PlanResult
        The solved plan.
    scenario : Scenario
        The scenario that produced it (GPUs, catalogue overrides, WACC).
    fin : Finance, optional
        Finance inputs; default ``scenario.finance`` or the section defaults.

    Examples
    --------
    >>> import aip
    >>> s = aip.load_scenario("examples/loudoun-grid.yaml")
    >>> f = finance_plan(aip.plan(s), s)
    >>> f.lcoe_usd_per_mwh > 0 and f.all_in_cost_usd_per_gpu_hour > 0
    True
    """
    from aip.finance.sensitivity import tornado

    fin = fin or getattr(scenario, "finance", None) or Finance()
    campus = build_case(result, scenario, fin, "campus")
    power = build_case(result, scenario, fin, "power")
    lcoe, _ = breakeven_price(power, max(result.lcoe_usd_per_mwh, 1.0), "LCOE [USD/MWh]")
    all_in, split = breakeven_price(campus, 2.0, "GPU-hour price [USD]")
    if fin.revenue == "power_sale":
        headline, price = power, float(fin.power_price_usd_per_mwh or 0.0)
    else:
        headline = campus
        price = (
            fin.gpu_hour_price_usd
            if fin.gpu_hour_price_usd is not None
            else scenario.compute.gpu_hour_value_usd
        )
    capital = {a.name: a.capex_usd for a in campus.assets}
    capital["total"] = sum(capital.values())
    schedule = capex_schedule(campus)
    it_mw = it_nameplate_mw(scenario)
    facts = {
        "it_nameplate_mw": it_mw,
        "it_capex_usd_per_gpu": it_capex_usd_per_gpu(scenario, fin),
        "capex_usd_per_mw_it": capital["total"] / it_mw if it_mw > 0 else float("nan"),
        "capex_usd_per_mw_facility_peak": capital["total"] / result.load.facility_mw_peak
        if result.load.facility_mw_peak > 0
        else float("nan"),
    }
    return FinanceResult(
        revenue=fin.revenue,
        price=price,
        metrics=case_metrics(headline, price),
        lcoe_usd_per_mwh=lcoe,
        all_in_cost_usd_per_gpu_hour=all_in,
        all_in_breakdown_usd_per_gpu_hour=split,
        capital_usd=capital,
        capex_by_year_usd={
            str(name): [float(v) for v in schedule[name]] for name in schedule.columns
        },
        flows=cash_flows(headline, price),
        tornado=tornado(result, scenario, fin, price, Drivers),
        facts=facts,
    )
