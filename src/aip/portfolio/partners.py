"""Partners' shares of the selected options, their cash flows and IRRs.

Notes
-----
``pro_rata``: partner ``p`` funds the share ``C_p / sum C`` (commitments) of every
selected option's equity ``E_o``.

``preference``: a transport LP. ``a[p, o] >= 0`` [USD] with ``sum_p a[p, o] = E_o`` and
``sum_o a[p, o] = u C_p`` where ``u = sum E / sum C`` (every partner deploys the same
share of its commitment, as pro rata), maximising ``sum pref[p, o] a[p, o]`` where
``pref`` is 1 when the option's country is one of the partner's preferred countries.

A partner's cash flow in calendar year ``t`` is ``sum_o (a[p, o] / E_o) f_o(t)`` with
``f_o`` the option's equity cash flow (finance, years from its decision year); its IRR
comes from :func:`aip.finance.irr` (numpy-financial).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from aip.finance import irr, npv
from aip.portfolio.milp import Row, solve_highs
from aip.schema.portfolio import Partner, Portfolio


def partners_of(portfolio: Portfolio) -> list[Partner]:
    """The portfolio's partners, or one ``consortium`` partner holding all the equity."""
    if portfolio.partners:
        return list(portfolio.partners)
    return [Partner(name="consortium", equity_usd=portfolio.capital.equity_usd)]


def allocate(selected: pd.DataFrame, portfolio: Portfolio) -> pd.DataFrame:
    """Equity each partner puts into each selected option [USD].

    Returns
    -------
    pandas.DataFrame
        Index: option keys of ``selected``; columns: partner names.

    Examples
    --------
    >>> from aip.schema.portfolio import Portfolio
    >>> p = Portfolio.model_validate({"name": "x", "capital": {"equity_usd": 10.0},
    ...     "candidates": [{"site": "a", "scenario": "a.yaml"}],
    ...     "partners": [{"name": "A", "equity_usd": 6.0}, {"name": "B", "equity_usd": 4.0}]})
    >>> sel = pd.DataFrame({"key": ["a/x"], "equity_usd": [5.0], "country": ["USA"]})
    >>> allocate(sel, p).loc["a/x"].tolist()
    [3.0, 2.0]
    """
    people = partners_of(portfolio)
    names = [p.name for p in people]
    keys = list(selected["key"])
    equity = selected["equity_usd"].to_numpy(dtype=float)
    commit = np.array([p.equity_usd for p in people], dtype=float)
    if not keys:
        return pd.DataFrame(columns=names, dtype=float)
    if commit.sum() <= 0:
        return pd.DataFrame(0.0, index=keys, columns=names)
    shares = commit / commit.sum()
    if portfolio.allocation == "pro_rata" or not any(p.countries for p in people):
        return pd.DataFrame(np.outer(equity, shares), index=keys, columns=names)
    n_p, n_o = len(people), len(keys)
    col = lambda p, o: p * n_o + o  # noqa: E731 - one index per (partner, option)
    countries = [str(c).upper() for c in selected["country"]]
    cost = np.zeros(n_p * n_o)
    for p, partner in enumerate(people):
        liked = {c.upper() for c in partner.countries}
        for o in range(n_o):
            cost[col(p, o)] = 1.0 if countries[o] in liked else 0.0
    rows = [
        Row(f"option {keys[o]}", {col(p, o): 1.0 for p in range(n_p)}, equity[o], equity[o])
        for o in range(n_o)
    ]
    total = equity.sum()
    rows += [
        Row(f"partner {names[p]}", {col(p, o): 1.0 for o in range(n_o)}, t, t)
        for p, t in enumerate(shares * total)
    ]
    h, _ = solve_highs(n_p * n_o, cost, rows, 0, portfolio)
    x = np.asarray(h.getSolution().col_value).reshape(n_p, n_o)
    return pd.DataFrame(x.T, index=keys, columns=names)


def calendar_flows(selected: pd.DataFrame, portfolio: Portfolio) -> pd.DataFrame:
    """Equity cash flow of each selected option by calendar year [USD].

    Index: calendar years; columns: option keys. Flow ``k`` of an option decided in
    year ``d`` falls in year ``d + k`` (its first construction year is ``d``).
    """
    series: dict[str, pd.Series] = {}
    records: list[dict[Any, Any]] = selected.to_dict("records")
    for row in records:
        flows = [float(v) for v in row["equity_flows"]]
        years = [int(row["decision_year"]) + k for k in range(len(flows))]
        series[str(row["key"])] = pd.Series(flows, index=years, dtype=float)
    if not series:
        return pd.DataFrame(index=pd.Index([], name="year", dtype=int))
    table = pd.DataFrame(series).fillna(0.0).sort_index()
    table.index.name = "year"
    return table


def partner_returns(
    selected: pd.DataFrame, allocation: pd.DataFrame, portfolio: Portfolio
) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    """Each partner's equity, share, IRR, NPV and target check; and its yearly flows.

    Returns
    -------
    (list of dict, pandas.DataFrame)
        Partner summaries, and cash flows by calendar year [USD] (one column per
        partner plus ``total``).
    """
    flows = calendar_flows(selected, portfolio)
    equity: dict[str, float] = {
        str(k): float(v) for k, v in zip(selected["key"], selected["equity_usd"], strict=True)
    }
    by_partner = pd.DataFrame(index=flows.index)
    share_of: dict[Any, dict[Any, Any]] = allocation.to_dict("index")
    out = []
    for partner in partners_of(portfolio):
        name = partner.name
        cash = pd.Series(0.0, index=flows.index)
        for key in flows.columns:
            if equity[key] > 0:
                cash += flows[key] * float(share_of[key][name]) / equity[key]
        by_partner[name] = cash
        put_in = float(allocation[name].sum()) if len(allocation) else 0.0
        rate = irr(cash.to_numpy()) if len(cash) else None
        by_country: dict[str, float] = {}
        shares: dict[Any, dict[Any, Any]] = allocation.to_dict("index")
        for key, country in zip(selected["key"], selected["country"], strict=True):
            amount = float(shares[str(key)][name])
            by_country[str(country)] = by_country.get(str(country), 0.0) + amount
        out.append(
            {
                "name": name,
                "commitment_usd": partner.equity_usd,
                "equity_usd": put_in,
                "share_of_commitment": put_in / partner.equity_usd if partner.equity_usd else 0.0,
                "irr": rate,
                "npv_usd": npv(portfolio.discount_rate, cash.to_numpy()) if len(cash) else 0.0,
                "return_target": partner.return_target,
                "meets_target": None
                if partner.return_target is None
                else bool(
                    rate is not None and math.isfinite(rate) and rate >= partner.return_target
                ),
                "by_country_usd": by_country,
            }
        )
    by_partner["total"] = by_partner.sum(axis=1) if len(by_partner.columns) else 0.0
    return out, by_partner
