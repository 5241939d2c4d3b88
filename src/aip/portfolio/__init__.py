"""Consortium portfolio: plan candidate campuses, choose with a MILP, split among partners.

Pipeline: portfolio file -> :func:`expand_options` (sites x size tiers x power strategies)
-> :func:`plan_options` (core model + finance, in parallel) -> :func:`choose` (HiGHS MILP
under budgets, caps and minimums) -> :func:`allocate` and :func:`partner_returns`.
See docs/portfolio.md.
"""

from aip.portfolio.milp import Selection, choose
from aip.portfolio.options import COLUMNS, OptionSpec, expand_options, plan_options
from aip.portfolio.partners import allocate, partner_returns
from aip.portfolio.run import PortfolioResult, run_portfolio, select

__all__ = [
    "COLUMNS",
    "OptionSpec",
    "PortfolioResult",
    "Selection",
    "allocate",
    "choose",
    "expand_options",
    "partner_returns",
    "plan_options",
    "run_portfolio",
    "select",
]
