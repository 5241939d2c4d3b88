"""Project finance and compute economics: cash flows, debt, tax, IRR/NPV, LCOE, $/GPU-hour.

Examples
--------
>>> from aip.finance import npv, irr, annuity_factor
>>> round(npv(0.1, [-100.0, 121.0]), 9), round(irr([-100.0, 110.0]), 9)
(10.0, 0.1)
"""

from aip.finance.capital import Drivers, build_case, it_capex_usd_per_gpu, it_nameplate_mw
from aip.finance.cashflow import Asset, CashFlows, DebtTerms, FinanceCase, Opex, cash_flows
from aip.finance.evaluate import (
    CaseMetrics,
    FinanceResult,
    breakeven_price,
    case_metrics,
    finance_plan,
)
from aip.finance.metrics import annuity_factor, irr, level_payment, npv, payback_years
from aip.finance.sensitivity import tornado
from aip.finance.tax import macrs, straight_line

__all__ = [
    "Asset",
    "CaseMetrics",
    "CashFlows",
    "DebtTerms",
    "Drivers",
    "FinanceCase",
    "FinanceResult",
    "Opex",
    "annuity_factor",
    "breakeven_price",
    "build_case",
    "case_metrics",
    "cash_flows",
    "finance_plan",
    "irr",
    "it_capex_usd_per_gpu",
    "it_nameplate_mw",
    "level_payment",
    "macrs",
    "npv",
    "payback_years",
    "straight_line",
    "tornado",
]
