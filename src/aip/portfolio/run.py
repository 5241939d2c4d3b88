"""Run a portfolio: expand and plan options, choose with the MILP, split among partners.

Examples
--------
>>> from aip.portfolio import run_portfolio
>>> result = run_portfolio("examples/aip-portfolio.yaml", workers=2)  # doctest: +SKIP
>>> sorted(result.to_dict())[:3]  # doctest: +SKIP
['budgets', 'cash_flows_usd', 'mip_gap']
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from aip.portfolio.milp import Selection, choose
from aip.portfolio.options import expand_options, plan_options
from aip.portfolio.partners import allocate, partner_returns
from aip.schema.portfolio import Portfolio, load_portfolio, parse_portfolio

_SELECTED = [
    "site",
    "key",
    "size",
    "strategy",
    "country",
    "us_state",
    "latitude",
    "longitude",
    "gpus",
    "p_it_mw",
    "facility_mw_peak",
    "capex_usd",
    "equity_usd",
    "debt_usd",
    "decision_year",
    "online_year",
    "npv_usd",
    "equity_npv_usd",
    "project_irr",
    "equity_irr",
    "gpu_hours_per_year",
    "co2_t_per_year",
    "nox_t_per_year",
    "lcoe_usd_per_mwh",
    "power_mix",
]


def _clean(value: Any) -> Any:
    """JSON-safe: NaN/inf -> None, numpy scalars -> Python."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True)
class PortfolioResult:
    """Everything a portfolio run produced."""

    portfolio: Portfolio
    options: pd.DataFrame  # every option planned (aip.portfolio.options.COLUMNS)
    selection: Selection
    selected: pd.DataFrame  # the chosen options, with decision and online years
    allocation: pd.DataFrame  # equity [USD]: option key x partner
    partners: list[dict[str, Any]]
    cash_flows: pd.DataFrame  # equity flows by calendar year [USD], per partner + total

    def totals(self) -> dict[str, float]:
        """Sums over the selected options (money [USD], power [MW], emissions [t/yr])."""
        s = self.selected
        capex = float(s["capex_usd"].sum())
        debt = float(s["debt_usd"].sum())
        return {
            "equity_usd": float(s["equity_usd"].sum()),
            "debt_usd": debt,
            "capex_usd": capex,
            "leverage": debt / capex if capex > 0 else 0.0,
            "p_it_mw": float(s["p_it_mw"].sum()),
            "gpus": float(s["gpus"].sum()),
            "gpu_hours_per_year": float(s["gpu_hours_per_year"].sum()),
            "equity_npv_usd": float(s["equity_npv_usd"].sum()),
            "co2_t_per_year": float(s["co2_t_per_year"].sum()),
            "nox_t_per_year": float(s["nox_t_per_year"].sum()),
        }

    def budgets(self) -> list[dict[str, Any]]:
        """Each constraint of the MILP: its value at the selection and its bounds."""
        chosen = set(self.selection.chosen)
        cols = [c for c in _columns(self)]
        out = []
        for row in self.selection.rows:
            value = sum(v for j, v in row.coef.items() if cols[j] in chosen)
            out.append(
                {
                    "constraint": row.name,
                    "value": value,
                    "lower": row.lower if math.isfinite(row.lower) else None,
                    "upper": row.upper if math.isfinite(row.upper) else None,
                    "unit": row.unit,
                }
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready result of ``aip portfolio --json``."""
        p, sel = self.portfolio, self.selection
        cash = self.cash_flows
        return _clean(
            {
                "name": p.name,
                "status": sel.status,
                "mip_gap": sel.mip_gap,
                "objective": sel.objective,
                "objective_terms": sel.terms,
                "solve_seconds": sel.seconds,
                "selected": [
                    {c: row[c] for c in _SELECTED} for row in self.selected.to_dict("records")
                ],
                "totals": self.totals(),
                "capital": p.capital.model_dump(),
                "budgets": self.budgets(),
                "partners": self.partners,
                "allocation_usd": {
                    str(k): {str(n): float(v) for n, v in row.items()}
                    for k, row in self.allocation.to_dict("index").items()
                },
                "cash_flows_usd": {
                    "year": [int(y) for y in cash.index],
                    **{str(c): [float(v) for v in cash[c]] for c in cash.columns},
                },
                "options": [
                    {k: v for k, v in row.items() if k != "equity_flows"}
                    for row in self.options.to_dict("records")
                ],
            }
        )


def _columns(result: PortfolioResult) -> list[tuple[int, int]]:
    """The MILP's columns in order (eligible option rows x decision years)."""
    from aip.portfolio.milp import eligible

    years = range(result.portfolio.phasing.years)
    return [(i, y) for i in eligible(result.options, result.portfolio) for y in years]


def select(options: pd.DataFrame, portfolio: Portfolio) -> PortfolioResult:
    """Choose options from an option table and split them among partners (no planning)."""
    selection = choose(options, portfolio)
    picked = []
    for i, y in sorted(selection.chosen):
        row = options.iloc[i].to_dict()
        row["decision_year"] = portfolio.start_year + y
        row["online_year"] = portfolio.start_year + y + int(row["construction_years"])
        picked.append(row)
    selected = pd.DataFrame(picked, columns=[*options.columns, "decision_year", "online_year"])
    allocation = allocate(selected, portfolio)
    partners, cash = partner_returns(selected, allocation, portfolio)
    return PortfolioResult(portfolio, options, selection, selected, allocation, partners, cash)


def run_portfolio(
    source: Portfolio | str | Path | dict[str, Any],
    workers: int | None = None,
    folder: Path | None = None,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[dict[str, Any]], None] | None = None,
) -> PortfolioResult:
    """Plan every option of a portfolio, choose with the MILP, and report partner returns.

    Parameters
    ----------
    source : Portfolio, path or mapping
        A portfolio file (YAML) or its contents.
    workers : int, optional
        Worker processes for planning; default the CPU count.
    folder : Path, optional
        Where relative scenario paths point; default the file's folder (or cwd).
    on_start, on_done : callable, optional
        Progress hooks: the number of options, then each finished option row.

    Raises
    ------
    ScenarioError
        Invalid portfolio or option scenario (one line naming it).
    InfeasibleError
        No selection meets the budgets and limits; the message names them.
    """
    if isinstance(source, str | Path):
        portfolio, base = load_portfolio(source)
    else:
        portfolio, base = parse_portfolio(source), Path()
    specs = expand_options(portfolio, folder or base)
    if on_start is not None:
        on_start(len(specs))
    options = plan_options(specs, workers=workers, on_done=on_done)
    return select(options, portfolio)
