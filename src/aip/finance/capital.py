"""From a plan and its scenario to the capital and operating items of a finance case.

- Power assets: new capacity of the plan (``p_nom - p_nom_existing``, storage energy
  too) at the overnight cost the plan annualised, recovered exactly as
  ``annual capital cost / CRF(wacc, life)`` so finance and plan agree to the dollar;
  the life comes from the catalogue with the scenario's override.
- Facility: ``facility_capex_usd_per_mw_it`` x IT nameplate (all GPUs at full power plus
  the IT overhead), with O&M as a fraction of that capex.
- IT hardware: ``it_capex_usd_per_gpu`` x GPUs, refreshed every ``it_refresh_years``.
- Power opex: every category of the plan's annual cost breakdown except capital
  (``capex``) and the penalty on unserved load; fuel is split into gas and other fuel so
  the gas-price sensitivity can scale the gas part (instead of re-solving the plan).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from aip.data import get_accelerator, load_catalog
from aip.demand.campus import gpu_count
from aip.errors import ScenarioError
from aip.finance.cashflow import Asset, DebtTerms, FinanceCase, Opex
from aip.finance.tax import macrs, macrs_class, straight_line
from aip.optimize.inputs import capital_recovery_factor
from aip.results.plan import PlanResult
from aip.schema import Scenario
from aip.schema.finance import Finance

#: NVIDIA: about $35B of its hardware per GW (FACTS.md section 6), read per MW of IT.
IT_CAPEX_USD_PER_MW_IT = 35e6
_CLEAN_CARRIERS = {"solar", "wind", "uranium", "electricity"}
_PTC_CARRIERS = {"solar", "wind", "uranium"}
_NOT_OPEX = {"capex", "unserved", "total"}


@dataclass(frozen=True)
class Drivers:
    """Multipliers the sensitivity analysis applies to a case (1 = as planned)."""

    capex: float = 1.0
    gas_price: float = 1.0
    sold_fraction: float = 1.0
    discount_rate_delta: float = 0.0


def it_nameplate_mw(scenario: Scenario) -> float:
    """IT power with every GPU at full power plus IT overhead [MW].

    Examples
    --------
    >>> import aip
    >>> s = aip.load_scenario("examples/stargate-abilene.yaml")
    >>> round(it_nameplate_mw(s), 1)
    733.3
    """
    acc = get_accelerator(scenario.compute.accelerator)
    watts = gpu_count(scenario) * acc.it_power_w_per_gpu
    return watts * (1.0 + scenario.compute.it_overhead_fraction) / 1e6


def it_capex_usd_per_gpu(scenario: Scenario, fin: Finance) -> float:
    """Accelerator system cost per GPU [USD]: the scenario's, else $35M per MW of IT."""
    if fin.it_capex_usd_per_gpu is not None:
        return fin.it_capex_usd_per_gpu
    acc = get_accelerator(scenario.compute.accelerator)
    kw_per_gpu = acc.it_power_w_per_gpu * (1.0 + scenario.compute.it_overhead_fraction) / 1e3
    return IT_CAPEX_USD_PER_MW_IT * kw_per_gpu / 1e3


def _even(years: float) -> tuple[float, ...]:
    n = max(1, math.ceil(years - 1e-9))
    return tuple(1.0 / n for _ in range(n))


def power_assets(result: PlanResult, scenario: Scenario, fin: Finance) -> list[Asset]:
    """New power capacity of the plan as capital items (zero-cost ones dropped)."""
    catalog = load_catalog(scenario.catalog)
    wacc = scenario.economics.wacc
    out: list[Asset] = []
    items = [
        (g.key, g.carrier, [(g.capital_cost_usd_per_mw_year, result.p_nom_mw.get(g.key, 0.0)
                             - g.p_nom_existing)])
        for g in result.inputs.generators
    ] + [
        (s.key, "electricity", [
            (s.capital_cost_usd_per_mw_year, result.p_nom_mw.get(s.key, 0.0) - s.p_nom_existing),
            (s.capital_cost_usd_per_mwh_year, result.e_nom_mwh.get(s.key, 0.0) - s.e_nom_existing),
        ])
        for s in result.inputs.storage
    ]  # fmt: skip
    for key, carrier, parts in items:
        options = scenario.technologies.get(key)
        tech = catalog.get(key)
        life = (options.lifetime_years if options else None) or (
            tech.lifetime_years if tech else 25.0
        )
        crf = capital_recovery_factor(wacc, life)
        capex = sum(annual / crf * max(0.0, new) for annual, new in parts)
        if capex <= 0:
            continue
        itc = fin.itc_fraction if fin.tax_credit != "none" and carrier in _CLEAN_CARRIERS else 0.0
        if fin.tax_credit == "ptc" and carrier in _PTC_CARRIERS:
            itc = 0.0
        spend = _even(tech.lead_time_years if tech else 1.0)
        out.append(
            Asset(
                name=key,
                component="power",
                capex_usd=capex,
                life_years=life,
                spend=tuple(fin.draw_schedule) if fin.draw_schedule else spend,
                depreciation=macrs(macrs_class(carrier, key, dict(fin.macrs_years))),
                itc_fraction=itc,
            )
        )
    return out


def timeline_draws(scenario: Scenario) -> tuple[tuple[float, ...], tuple[float, ...]] | None:
    """Facility and IT spend shares per year from the scenario's ``timeline``.

    GPUs are paid in the calendar year their tranche arrives; the building is paid evenly
    from the decision year to the last tranche's year. Shares run up to the year before
    full operation, as every ``Asset.spend``. None without a timeline or tranches.
    """
    timeline = scenario.timeline
    if timeline is None or not timeline.compute_tranches:
        return None
    first = timeline.decision_date.year
    last = max(t.date.year for t in timeline.compute_tranches)
    years = last - first + 1
    total = sum(t.count for t in timeline.compute_tranches)
    it = [0.0] * years
    for tranche in timeline.compute_tranches:
        it[tranche.date.year - first] += tranche.count / total
    while len(it) > 1 and it[0] == 0.0:
        it.pop(0)
    return _even(years), tuple(it)


def campus_assets(scenario: Scenario, fin: Finance) -> list[Asset]:
    """Facility and IT hardware as capital items.

    Spend follows ``finance.draw_schedule`` when given, else the time-to-power
    ``timeline`` (:func:`timeline_draws`), else the facility build years and a single IT
    purchase.
    """
    schedule = tuple(fin.draw_schedule) if fin.draw_schedule else None
    draws = None if schedule else timeline_draws(scenario)
    facility_spend = schedule or (draws[0] if draws else _even(fin.facility_build_years))
    it_spend = schedule or (draws[1] if draws else (1.0,))
    return [
        Asset(
            name="facility",
            component="facility",
            capex_usd=fin.facility_capex_usd_per_mw_it * it_nameplate_mw(scenario),
            life_years=fin.facility_life_years,
            spend=facility_spend,
            depreciation=straight_line(fin.facility_tax_life_years),
        ),
        Asset(
            name="it_hardware",
            component="it_hardware",
            capex_usd=it_capex_usd_per_gpu(scenario, fin) * gpu_count(scenario),
            life_years=fin.it_refresh_years,
            spend=it_spend,
            depreciation=straight_line(fin.it_tax_life_years),
        ),
    ]


def power_opex(result: PlanResult, gas_price_factor: float = 1.0) -> list[Opex]:
    """The plan's annual operating costs [USD/yr], gas fuel scaled by ``gas_price_factor``."""
    costs = result.cost_usd_per_year
    gas_fuel = sum(
        g.fuel_cost_usd_per_mwh * result.energy_mwh.get(g.key, 0.0)
        for g in result.inputs.generators
        if g.carrier == "gas"
    )
    out = []
    for name, value in costs.items():
        if name in _NOT_OPEX:
            continue
        if name == "fuel":
            out.append(Opex("fuel_gas", "power", gas_fuel * gas_price_factor))
            out.append(Opex("fuel_other", "power", max(0.0, value - gas_fuel)))
        else:
            out.append(Opex(name, "power", float(value)))
    return out


def served_fraction(result: PlanResult) -> float:
    """Share of the facility energy the plan serves [-]."""
    total = result.load.facility_energy_mwh
    return 1.0 - result.unserved_mwh / total if total > 0 else 0.0


def build_case(
    result: PlanResult,
    scenario: Scenario,
    fin: Finance,
    scope: str,
    drivers: Drivers | None = None,
) -> FinanceCase:
    """The finance case of the whole ``campus`` (sells GPU-hours) or the ``power`` plant
    alone (sells MWh served), with sensitivity ``drivers`` applied."""
    d = drivers or Drivers()
    assets = power_assets(result, scenario, fin)
    opex = power_opex(result, d.gas_price)
    hours = float(result.inputs.weights.sum())
    ptc_mwh = sum(
        result.energy_mwh.get(g.key, 0.0)
        for g in result.inputs.generators
        if g.carrier in _PTC_CARRIERS
    )
    if scope == "campus":
        campus = campus_assets(scenario, fin)
        assets += campus
        opex.append(Opex("facility_om", "facility", fin.facility_om_fraction * campus[0].capex_usd))
        sold = min(1.0, fin.gpu_hours_sold_fraction * d.sold_fraction)
        units = gpu_count(scenario) * hours * sold * served_fraction(result)
    else:
        units = result.load.facility_energy_mwh - result.unserved_mwh
    if units <= 0:
        raise ScenarioError.for_field(
            "finance", scope, "a plan that serves some load", "check compute.count and the plan"
        )
    rate = fin.discount_rate if fin.discount_rate is not None else scenario.economics.wacc
    equity = fin.cost_of_equity if fin.cost_of_equity is not None else rate
    return FinanceCase(
        assets=tuple(
            Asset(
                a.name,
                a.component,
                a.capex_usd * d.capex,
                a.life_years,
                a.spend,
                a.depreciation,
                a.itc_fraction,
            )
            for a in assets
        ),
        opex=tuple(opex),
        units_per_year=units,
        years=fin.years,
        discount_rate=max(0.0, rate + d.discount_rate_delta),
        cost_of_equity=max(0.0, equity + d.discount_rate_delta),
        tax_rate=fin.tax_rate,
        inflation=fin.inflation,
        dollars=fin.dollars,
        ptc_usd_per_year=(fin.ptc_usd_per_mwh or 0.0) * ptc_mwh if fin.tax_credit == "ptc" else 0.0,
        ptc_years=fin.ptc_years,
        debt=DebtTerms(
            sizing=fin.debt.sizing,
            leverage=fin.debt.leverage,
            dscr=fin.debt.dscr,
            rate=fin.debt.rate,
            tenor_years=fin.debt.tenor_years,
        ),
    )
