"""Annual project cash flows: capital, revenue, opex, tax, credits, debt.

A :class:`FinanceCase` holds everything in base-year (real) dollars; :func:`cash_flows`
escalates with inflation to nominal dollars (tax depreciation and debt are nominal),
works out taxes and debt, and reports in real or nominal dollars.

Timeline: construction years are indices ``0 .. C-1`` (``C`` = longest build), operating
years ``1 .. N`` are indices ``C .. C+N-1``; flows are end-of-year.

Notes
-----
- Replacement: an asset of life ``L`` is re-bought at the end of operating years
  ``L, 2L, ...`` before the horizon, at the same real cost.
- Residual value at the end of year ``N`` of a vintage of cost ``K``, life ``L`` and
  age ``a``: ``K CRF(r, L) AF(r, L - a)`` (the value of its remaining capital annuities
  at the real discount rate ``r``), so a horizon shorter than a life does not bias the
  result; with ``r`` equal to the plan's WACC this makes the breakeven price equal the
  plan's annuity LCOE (see docs/finance.md). Its gain over the tax basis is taxed.
- Taxes are linear: a tax loss is used at once against other income (an owner with
  tax appetite), so breakeven prices and the cost breakdown add up exactly.
- Debt: drawn pro rata with initial capex, interest during construction paid (and
  deducted) as it accrues, then a level (mortgage) payment over the tenor; a balance
  left at the horizon is repaid then. DSCR sizing uses the unlevered cash flow available
  for debt service (revenue - opex - tax, replacement capex excluded: refreshes are
  assumed financed outside this loan).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from aip.finance.metrics import annuity_factor, level_payment
from aip.optimize.inputs import capital_recovery_factor

FloatArray = NDArray[np.float64]
COMPONENTS = ("it_hardware", "facility", "power")


@dataclass(frozen=True)
class Asset:
    """One capital item: overnight cost [USD, base year], life and tax treatment."""

    name: str
    component: str
    capex_usd: float
    life_years: float
    spend: tuple[float, ...]  # share per construction year, the last just before operation
    depreciation: tuple[float, ...]  # share of tax basis per tax year from service
    itc_fraction: float = 0.0


@dataclass(frozen=True)
class Opex:
    """A recurring operating cost [USD/yr, base year]."""

    name: str
    component: str
    usd_per_year: float


@dataclass(frozen=True)
class DebtTerms:
    """Term-debt sizing and terms (rate nominal)."""

    sizing: str = "none"
    leverage: float = 0.0
    dscr: float = 1.3
    rate: float = 0.07
    tenor_years: int = 15


@dataclass(frozen=True)
class FinanceCase:
    """All inputs of one cash-flow model (real, base-year dollars)."""

    assets: tuple[Asset, ...]
    opex: tuple[Opex, ...]
    units_per_year: float  # GPU-hours or MWh sold per year
    years: int
    discount_rate: float
    cost_of_equity: float
    tax_rate: float = 0.0
    inflation: float = 0.0
    dollars: str = "real"
    ptc_usd_per_year: float = 0.0
    ptc_years: int = 10
    debt: DebtTerms = field(default_factory=DebtTerms)

    @property
    def construction_years(self) -> int:
        return max([len(a.spend) for a in self.assets] + [1])

    def discount(self, rate: float) -> float:
        """Rate in the reporting dollars (a real rate made nominal if asked)."""
        if self.dollars == "nominal":
            return (1.0 + rate) * (1.0 + self.inflation) - 1.0
        return rate


@dataclass(frozen=True)
class CashFlows:
    """Result of :func:`cash_flows`, in the case's reporting dollars."""

    table: pd.DataFrame
    component_equity: dict[str, FloatArray]
    revenue_equity_per_unit: FloatArray
    debt_usd: float  # sum of nominal draws
    cod_index: int  # index of the first operating year


def _asset_flows(
    a: Asset, c: int, n: int, esc: FloatArray, r: float, tax: float
) -> dict[str, FloatArray]:
    """Nominal capex, depreciation, ITC, residual and terminal tax of one asset."""
    length = c + n
    out = {k: np.zeros(length) for k in ("capex", "depreciation", "itc", "residual", "gain")}
    life = max(1, round(a.life_years))
    # vintages: (first service index, nominal cost)
    vintages: list[tuple[int, float]] = []
    start = c - len(a.spend)
    for j, share in enumerate(a.spend):
        out["capex"][start + j] += a.capex_usd * share * esc[start + j]
    vintages.append(
        (c, float(sum(a.capex_usd * s * esc[start + j] for j, s in enumerate(a.spend))))
    )
    k = 1
    while k * life < n:
        buy = c + k * life - 1
        cost = a.capex_usd * esc[buy]
        out["capex"][buy] += cost
        vintages.append((buy + 1, cost))
        k += 1
    end = length - 1
    for service, cost in vintages:
        basis = cost * (1.0 - 0.5 * a.itc_fraction)
        out["itc"][service] += cost * a.itc_fraction
        depreciated = 0.0
        for y, share in enumerate(a.depreciation):
            if service + y > end:
                break
            out["depreciation"][service + y] += basis * share
            depreciated += basis * share
    last_service, last_cost = vintages[-1]
    age = end - last_service + 1
    if age < life:
        value = a.capex_usd * capital_recovery_factor(r, life) * annuity_factor(r, life - age)
        out["residual"][end] = value * esc[end]
        remaining_basis = (
            last_cost * (1.0 - 0.5 * a.itc_fraction) * max(0.0, 1.0 - sum(a.depreciation[:age]))
        )
        out["gain"][end] = tax * (out["residual"][end] - remaining_basis)
    return out


def _debt(
    case: FinanceCase, initial_capex: FloatArray, cfads: FloatArray, c: int
) -> tuple[float, dict[str, FloatArray]]:
    """Debt amount and its nominal draw, interest and principal per year."""
    length = len(cfads)
    terms = case.debt
    total_initial = float(initial_capex.sum())
    n = length - c
    tenor = min(terms.tenor_years, n)
    cap = terms.leverage * total_initial
    if terms.sizing == "leverage":
        amount = cap
    elif terms.sizing == "dscr":
        payment = float(cfads[c : c + tenor].min()) / terms.dscr
        amount = min(cap, payment * annuity_factor(terms.rate, tenor)) if payment > 0 else 0.0
    else:
        amount = 0.0
    flows = {k: np.zeros(length) for k in ("draw", "interest", "principal")}
    if amount <= 0 or total_initial <= 0:
        return 0.0, flows
    flows["draw"] = initial_capex * (amount / total_initial)
    balance = 0.0
    for i in range(c):
        flows["interest"][i] = terms.rate * balance
        balance += flows["draw"][i]
    payment = level_payment(balance, terms.rate, terms.tenor_years)
    for i in range(c, length):
        if balance <= 1e-9:
            break
        interest = terms.rate * balance
        principal = min(balance, payment - interest)
        if i == length - 1:
            principal = balance  # balloon at the horizon
        flows["interest"][i], flows["principal"][i] = interest, principal
        balance -= principal
    return amount, flows


def cash_flows(case: FinanceCase, price: float) -> CashFlows:
    """Annual cash flows of ``case`` when each unit sells at ``price`` [USD, base year].

    Returns
    -------
    CashFlows
        ``table`` has one row per year (``year`` 1 = first operating year) and columns
        capex, revenue, opex, depreciation, tax, itc, ptc, residual, project (unlevered
        after-tax flow), debt_draw, interest, principal, equity [USD].

    Examples
    --------
    >>> case = FinanceCase(assets=(Asset("plant", "power", 100.0, 1.0, (1.0,), (1.0,)),),
    ...                    opex=(), units_per_year=1.0, years=1, discount_rate=0.1,
    ...                    cost_of_equity=0.1)
    >>> cash_flows(case, 110.0).table["project"].round(6).tolist()
    [-100.0, 110.0]
    """
    c, n, tax = case.construction_years, case.years, case.tax_rate
    length = c + n
    esc = (1.0 + case.inflation) ** np.arange(length, dtype=float)
    ops = np.zeros(length)
    ops[c:] = 1.0
    r = case.discount_rate
    sums = {k: np.zeros(length) for k in ("capex", "depreciation", "itc", "residual", "gain")}
    per_comp: dict[str, dict[str, FloatArray]] = {
        comp: {k: np.zeros(length) for k in (*sums, "opex", "initial", "ptc")}
        for comp in COMPONENTS
    }
    for a in case.assets:
        flows = _asset_flows(a, c, n, esc, r, tax)
        start = c - len(a.spend)
        initial = np.zeros(length)
        for j, share in enumerate(a.spend):
            initial[start + j] = a.capex_usd * share * esc[start + j]
        per_comp[a.component]["initial"] += initial
        for k, v in flows.items():
            sums[k] += v
            per_comp[a.component][k] += v
    for o in case.opex:
        per_comp[o.component]["opex"] += o.usd_per_year * esc * ops
    ptc = np.zeros(length)
    ptc[c : c + case.ptc_years] = case.ptc_usd_per_year * esc[c : c + case.ptc_years]
    per_comp["power"]["ptc"] += ptc
    opex = np.sum([p["opex"] for p in per_comp.values()], axis=0)
    revenue = price * case.units_per_year * esc * ops
    taxable = revenue - opex - sums["depreciation"]
    tax_unlevered = tax * taxable - sums["itc"] - ptc + sums["gain"]
    project = revenue - opex - sums["capex"] + sums["residual"] - tax_unlevered
    cfads = (revenue - opex - tax_unlevered) * ops
    initial_capex = np.sum([p["initial"] for p in per_comp.values()], axis=0)
    amount, debt = _debt(case, initial_capex, cfads, c)
    debt_net = debt["draw"] - debt["interest"] - debt["principal"] + tax * debt["interest"]
    equity = project + debt_net
    deflate = esc if case.dollars == "real" else np.ones(length)
    table = pd.DataFrame(
        {
            "year": np.arange(length) - c + 1,
            "capex": sums["capex"],
            "revenue": revenue,
            "opex": opex,
            "depreciation": sums["depreciation"],
            "tax": tax_unlevered - tax * debt["interest"],
            "itc": sums["itc"],
            "ptc": ptc,
            "residual": sums["residual"],
            "project": project,
            "debt_draw": debt["draw"],
            "interest": debt["interest"],
            "principal": debt["principal"],
            "equity": equity,
        }
    )
    money = [col for col in table.columns if col != "year"]
    table[money] = table[money].div(deflate, axis=0)
    total_initial = float(initial_capex.sum())
    component_equity = {}
    for comp, p in per_comp.items():
        share = float(p["initial"].sum()) / total_initial if total_initial > 0 else 0.0
        comp_tax = -tax * (p["opex"] + p["depreciation"]) - p["itc"] - p["ptc"] + p["gain"]
        flow = -p["capex"] + p["residual"] - p["opex"] - comp_tax + share * debt_net
        component_equity[comp] = flow / deflate
    unit = case.units_per_year * esc * ops * (1.0 - tax) / deflate
    return CashFlows(table, component_equity, unit, amount, c)


def capex_schedule(case: FinanceCase) -> pd.DataFrame:
    """Capital spent per asset (columns) and year (index, 1 = first operating year) [USD].

    Initial build by the draw schedule and later replacements, in reporting dollars.
    """
    c, n = case.construction_years, case.years
    esc = (1.0 + case.inflation) ** np.arange(c + n, dtype=float)
    deflate = esc if case.dollars == "real" else np.ones(c + n)
    frame = pd.DataFrame(
        {a.name: _asset_flows(a, c, n, esc, case.discount_rate, 0.0)["capex"] / deflate
         for a in case.assets},
        index=pd.Index(np.arange(c + n) - c + 1, name="year"),
    )  # fmt: skip
    return frame
