"""The selection MILP on synthetic option tables (no planning): hand-known answers."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from aip.errors import InfeasibleError
from aip.portfolio import allocate, choose, select
from aip.schema.portfolio import Portfolio


def portfolio(**extra: Any) -> Portfolio:
    sites = extra.pop("sites", "abc")
    data = {
        "name": "t",
        "capital": {"equity_usd": 1.2e9},
        "candidates": [{"site": s, "scenario": "x.yaml"} for s in sites],
    }
    data.update(extra)
    return Portfolio.model_validate(data)


def three_sites(make_table: Any, option: Any) -> Any:
    # equity = 0.4 x capex (60 % debt)
    return make_table(
        [
            option("a", "small", capex_usd=1e9, equity_npv_usd=10.0),
            option("a", "big", capex_usd=2e9, equity_npv_usd=25.0),
            option("b", "one", capex_usd=1e9, equity_npv_usd=12.0, country="CAN"),
            option("c", "one", capex_usd=1.5e9, equity_npv_usd=14.0),
        ]
    )


def test_hand_known_best_selection(make_table: Any, opt: Any) -> None:
    # equity budget 1.2e9: a/big (0.8) + b (0.4) = 1.2 -> NPV 37, the best of the
    # feasible sets (c + b 26, a/small + c 24, a/small + b 22 ...)
    table = three_sites(make_table, opt)
    sel = choose(table, portfolio())
    assert sorted(table.iloc[i]["key"] for i, _ in sel.chosen) == ["a/big", "b/one"]
    assert sel.terms["npv"] == pytest.approx(37.0)
    assert sel.mip_gap == pytest.approx(0.0, abs=1e-4)


def test_brute_force_agrees_and_budgets_hold(make_table: Any, opt: Any) -> None:
    option = opt
    rng = np.random.default_rng(7)
    for _ in range(15):
        rows = [
            option(
                s,
                str(k),
                capex_usd=float(rng.uniform(0.5e9, 3e9)),
                equity_npv_usd=float(rng.uniform(-5, 30)),
                co2_t_per_year=float(rng.uniform(0, 1e6)),
                country="CAN" if s == "d" else "USA",
            )
            for s in "abcd"
            for k in range(2)
        ]
        table = make_table(rows)
        p = portfolio(
            sites="abcd",
            capital={"equity_usd": 2.0e9, "max_leverage": 0.7},
            limits={"co2_t_per_year": 1.5e6, "max_site_share": 0.6},
            regions={"usa": {"countries": ["USA"], "min_share": 0.5}},
        )
        result = select(table, p)
        sel = result.selected
        assert sel["equity_usd"].sum() <= 2.0e9 * (1 + 1e-9)
        assert sel["co2_t_per_year"].sum() <= 1.5e6 * (1 + 1e-9)
        assert sel["debt_usd"].sum() <= 0.7 * sel["capex_usd"].sum() + 1e-3
        total = sel["capex_usd"].sum()
        for _, group in sel.groupby("site"):
            assert group["capex_usd"].sum() <= 0.6 * total + 1e-3
        eq = sel["equity_usd"].sum()
        assert sel.loc[sel["country"] == "USA", "equity_usd"].sum() >= 0.5 * eq - 1e-3
        # brute force over every choice of at most one option per site
        best = 0.0
        for pick in itertools.product([None, 0, 1], repeat=4):
            idx = [2 * s + k for s, k in enumerate(pick) if k is not None]
            t = table.iloc[idx]
            e, k = t["equity_usd"].sum(), t["capex_usd"].sum()
            ok = e <= 2e9 and t["co2_t_per_year"].sum() <= 1.5e6
            ok = ok and all(t[t["site"] == s]["capex_usd"].sum() <= 0.6 * k for s in "abcd")
            ok = ok and t.loc[t["country"] == "USA", "equity_usd"].sum() >= 0.5 * e
            if ok:
                best = max(best, t["equity_npv_usd"].sum())
        assert result.selection.terms["npv"] == pytest.approx(best, rel=1e-3, abs=1e-6)


def test_infeasible_minimum_is_named(make_table: Any, opt: Any) -> None:
    p = portfolio(regions={"canada": {"countries": ["CAN"], "min_equity_usd": 1e9}})
    with pytest.raises(InfeasibleError, match=r"regions\.canada equity.*short.*6e\+08"):
        choose(three_sites(make_table, opt), p)


def test_required_site_without_budget_is_named(make_table: Any, opt: Any) -> None:
    p = portfolio(
        capital={"equity_usd": 1e8},
        candidates=[
            {"site": "a", "scenario": "x.yaml", "required": True},
            {"site": "b", "scenario": "x.yaml"},
            {"site": "c", "scenario": "x.yaml"},
        ],
    )
    with pytest.raises(InfeasibleError, match=r"capital\.equity_usd|site a"):
        choose(three_sites(make_table, opt), p)


def test_failed_options_are_not_eligible(make_table: Any, opt: Any) -> None:
    table = three_sites(make_table, opt)
    table.loc[1, "error"] = "no feasible plan"
    sel = choose(table, portfolio())
    assert 1 not in [i for i, _ in sel.chosen]


def test_phasing_respects_yearly_equity_and_delays(make_table: Any, opt: Any) -> None:
    option = opt
    # both sites pay; yearly cap fits one -> one starts a year later, discounted
    table = make_table(
        [option("a", "x", equity_npv_usd=10.0), option("b", "x", equity_npv_usd=8.0)]
    )
    p = portfolio(
        sites="ab",
        capital={"equity_usd": 1e10, "equity_per_year_usd": 0.5e9},
        phasing={"years": 2},
        discount_rate=0.1,
    )
    result = select(table, p)
    years = dict(zip(result.selected["site"], result.selected["decision_year"], strict=True))
    assert years == {"a": 2026, "b": 2027}
    assert result.selection.terms["npv"] == pytest.approx(10.0 + 8.0 / 1.1)
    assert list(result.selected["online_year"]) == [2027, 2028]


def test_online_by_objective_prefers_fast_builds(make_table: Any, opt: Any) -> None:
    option = opt
    table = make_table(
        [
            option("a", "slow", construction_years=4, equity_npv_usd=20.0),
            option("a", "fast", construction_years=1, equity_npv_usd=5.0),
        ]
    )
    p = portfolio(sites="a", objective={"weights": {"it_mw_online": 1.0}, "online_by": 2028})
    assert [table.iloc[i]["size"] for i, _ in choose(table, p).chosen] == ["fast"]


def test_partner_shares_pro_rata_and_preference(make_table: Any, opt: Any) -> None:
    table = three_sites(make_table, opt).iloc[[1, 2]]
    partners = [
        {"name": "A", "equity_usd": 1e9, "countries": ["CAN"]},
        {"name": "B", "equity_usd": 1e9},
    ]
    pro = allocate(table, portfolio(partners=partners))
    assert pro.loc["a/big"].tolist() == pytest.approx([4e8, 4e8])
    pref = allocate(table, portfolio(partners=partners, allocation="preference"))
    # A puts all it can into Canada (0.4e9); each partner still deploys 0.6e9 in total
    assert pref.loc["b/one", "A"] == pytest.approx(4e8)
    assert pref.sum().tolist() == pytest.approx([6e8, 6e8])
    assert pref.sum(axis=1).tolist() == pytest.approx([8e8, 4e8])


def test_partner_irr_equals_option_irr_pro_rata(make_table: Any, opt: Any) -> None:
    # flows -E, 0.3E x 4: IRR solves sum 0.3/(1+r)^t = 1 over 4 years -> 7.71 %
    table = three_sites(make_table, opt)
    p = portfolio(
        partners=[
            {"name": "A", "equity_usd": 2e9, "return_target": 0.05},
            {"name": "B", "equity_usd": 1e9, "return_target": 0.2},
        ]
    )
    result = select(table, p)
    irrs = {x["name"]: x["irr"] for x in result.partners}
    assert irrs["A"] == pytest.approx(0.0771384729, rel=1e-6) == irrs["B"]
    assert [x["meets_target"] for x in result.partners] == [True, False]
    d = result.to_dict()
    assert d["totals"]["equity_usd"] == pytest.approx(1.2e9)
    assert {"site", "p_it_mw", "capex_usd", "equity_usd", "debt_usd"} <= set(d["selected"][0])
