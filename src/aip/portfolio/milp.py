"""Choose and phase options under budgets and limits: a binary MILP solved with HiGHS.

Notes
-----
Binary ``x[o, y]`` = 1 when option ``o`` starts in decision year ``start_year + y``.
With ``E`` equity, ``D`` debt, ``K`` initial capex of an option [USD]:

- one start per site ``s``: ``sum_{o in s, y} x <= 1`` (``= 1`` when the site is required)
- equity: ``sum E x <= min(capital.equity_usd, sum of partner commitments)``
- leverage: ``sum (D - L K) x <= 0`` with ``L = capital.max_leverage``; debt cap ``sum D x``
- equity per decision year ``y``: ``sum_o E x[o, y] <= capital.equity_per_year_usd``
- CO2, NOx: ``sum e x <= cap`` [t/yr]
- site share: ``sum_{o in s} K x - m sum K x <= 0`` with ``m = limits.max_site_share``
- region ``r`` (members ``M``): ``min <= sum_{M} E x <= max`` and
  ``sum_{M} E x - f sum E x`` >= 0 (``f = min_share``) or <= 0 (``f = max_share``)

Objective: maximise ``sum_k w_k T_k(x) / S_k`` over the terms ``k``: ``npv`` (equity NPV
discounted ``(1 + r)^-y`` for a later start), ``gpu_hours`` (GPU-hours/yr times the
years online within the horizon) and ``it_mw_online`` (IT MW online by 1 Jan of
``online_by``); ``S_k`` is the sum over sites of the best attainable ``|T_k|``, so a
weight means the same whatever the unit. An option online in year ``start + y + C``
(``C`` construction years) counts from then on.

No feasible selection: the rows (except choose-one) get elastic slacks, the MILP
minimises their scaled sum, and every row that still needs slack is named in the
:class:`~aip.errors.InfeasibleError`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import pandas as pd
import scipy.sparse as sp

from aip.errors import InfeasibleError, SolverError
from aip.optimize.solve import new_highs
from aip.schema.portfolio import Portfolio

TERMS = ("npv", "gpu_hours", "it_mw_online")


@dataclass(frozen=True)
class Row:
    """One named constraint ``lower <= sum coef x <= upper``."""

    name: str
    coef: dict[int, float]
    lower: float
    upper: float
    unit: str = "USD"


@dataclass(frozen=True)
class Selection:
    """The MILP's answer: chosen (option row, decision-year offset) pairs and its quality."""

    chosen: list[tuple[int, int]]
    objective: float
    mip_gap: float
    status: str
    terms: dict[str, float]
    seconds: float
    rows: list[Row] = field(default_factory=list)


def eligible(table: pd.DataFrame, portfolio: Portfolio) -> list[int]:
    """Row positions of options that planned and pass ``limits.min_equity_irr``."""
    floor = portfolio.limits.min_equity_irr
    out = []
    records: list[dict[Any, Any]] = table.to_dict("records")
    for i, row in enumerate(records):
        if isinstance(row["error"], str) and row["error"]:
            continue
        irr = row["equity_irr"]
        if floor is not None and (irr is None or not math.isfinite(irr) or irr < floor):
            continue
        out.append(i)
    return out


def term_values(table: pd.DataFrame, portfolio: Portfolio, i: int, y: int) -> dict[str, float]:
    """Objective terms of option row ``i`` started ``y`` years after start_year."""
    row = table.iloc[i]
    online = portfolio.start_year + y + int(row["construction_years"])
    years_on = max(0, portfolio.start_year + portfolio.horizon_years - online)
    by = portfolio.objective.online_by
    return {
        "npv": float(row["equity_npv_usd"]) / (1.0 + portfolio.discount_rate) ** y,
        "gpu_hours": float(row["gpu_hours_per_year"]) * years_on,
        "it_mw_online": float(row["p_it_mw"]) if by is not None and online <= by else 0.0,
    }


def _in_region(row: pd.Series, countries: list[str], states: list[str]) -> bool:
    state = row["us_state"]
    return str(row["country"]).upper() in {c.upper() for c in countries} or (
        isinstance(state, str) and state.upper() in {s.upper() for s in states}
    )


def build_rows(table: pd.DataFrame, portfolio: Portfolio, cols: list[tuple[int, int]]) -> list[Row]:
    """Every constraint of the selection MILP over the columns ``cols``."""
    cap, lim = portfolio.capital, portfolio.limits
    E = {j: float(table.iloc[i]["equity_usd"]) for j, (i, _) in enumerate(cols)}
    D = {j: float(table.iloc[i]["debt_usd"]) for j, (i, _) in enumerate(cols)}
    K = {j: float(table.iloc[i]["capex_usd"]) for j, (i, _) in enumerate(cols)}
    rows: list[Row] = []
    for c in portfolio.candidates:
        coef = {j: 1.0 for j, (i, _) in enumerate(cols) if table.iloc[i]["site"] == c.site}
        rows.append(Row(f"site {c.site}", coef, 1.0 if c.required else 0.0, 1.0, "site"))
    budget = cap.equity_usd
    if portfolio.partners:
        budget = min(budget, sum(p.equity_usd for p in portfolio.partners))
    rows.append(Row("capital.equity_usd", E, -math.inf, budget))
    rows.append(
        Row("capital.max_leverage", {j: D[j] - cap.max_leverage * K[j] for j in D}, -math.inf, 0)
    )
    if cap.max_debt_usd is not None:
        rows.append(Row("capital.max_debt_usd", D, -math.inf, cap.max_debt_usd))
    if cap.equity_per_year_usd is not None:
        for y in range(portfolio.phasing.years):
            coef = {j: E[j] for j, (_, yy) in enumerate(cols) if yy == y}
            name = f"capital.equity_per_year_usd ({portfolio.start_year + y})"
            rows.append(Row(name, coef, -math.inf, cap.equity_per_year_usd))
    for name, column, limit in (
        ("limits.co2_t_per_year", "co2_t_per_year", lim.co2_t_per_year),
        ("limits.nox_t_per_year", "nox_t_per_year", lim.nox_t_per_year),
    ):
        if limit is not None:
            coef = {j: float(table.iloc[i][column]) for j, (i, _) in enumerate(cols)}
            rows.append(Row(name, coef, -math.inf, limit, "t/yr"))
    if lim.max_site_share < 1.0:
        for c in portfolio.candidates:
            coef = {
                j: K[j] * ((table.iloc[i]["site"] == c.site) - lim.max_site_share)
                for j, (i, _) in enumerate(cols)
            }
            rows.append(Row(f"limits.max_site_share ({c.site})", coef, -math.inf, 0.0))
    for name, r in portfolio.regions.items():
        member = {
            j: float(_in_region(table.iloc[i], r.countries, r.us_states))
            for j, (i, _) in enumerate(cols)
        }
        inside = {j: E[j] * member[j] for j in E}
        upper = math.inf if r.max_equity_usd is None else r.max_equity_usd
        if r.min_equity_usd > 0 or math.isfinite(upper):
            rows.append(Row(f"regions.{name} equity", inside, r.min_equity_usd, upper))
        if r.min_share > 0:
            coef = {j: E[j] * (member[j] - r.min_share) for j in E}
            rows.append(Row(f"regions.{name}.min_share", coef, 0.0, math.inf))
        if r.max_share < 1:
            coef = {j: E[j] * (member[j] - r.max_share) for j in E}
            rows.append(Row(f"regions.{name}.max_share", coef, -math.inf, 0.0))
    return rows


def solve_highs(
    n: int, cost: np.ndarray, rows: list[Row], n_int: int, portfolio: Portfolio
) -> tuple[highspy.Highs, float]:
    """Maximise ``cost x`` over ``n`` columns (the first ``n_int`` binary) subject to rows."""
    h = new_highs(portfolio.time_limit_s)
    h.setOptionValue("mip_rel_gap", float(portfolio.mip_gap))
    data, ri, ci = [], [], []
    for r, row in enumerate(rows):
        for j, v in row.coef.items():
            if v != 0.0:
                data.append(v)
                ri.append(r)
                ci.append(j)
    a = sp.csc_matrix((data, (ri, ci)), shape=(len(rows), n))
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = n, len(rows)
    model.col_cost_ = np.asarray(cost, dtype=float)
    model.col_lower_ = np.zeros(n)
    model.col_upper_ = np.array([1.0] * n_int + [highspy.kHighsInf] * (n - n_int))
    model.row_lower_ = np.array([max(r.lower, -highspy.kHighsInf) for r in rows])
    model.row_upper_ = np.array([min(r.upper, highspy.kHighsInf) for r in rows])
    model.sense_ = highspy.ObjSense.kMaximize
    model.integrality_ = [highspy.HighsVarType.kInteger] * n_int + [
        highspy.HighsVarType.kContinuous
    ] * (n - n_int)
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = a.indptr.astype(np.int32)
    model.a_matrix_.index_ = a.indices.astype(np.int32)
    model.a_matrix_.value_ = a.data
    h.passModel(model)
    t0 = time.perf_counter()
    h.run()
    return h, time.perf_counter() - t0


def _explain(n: int, rows: list[Row], portfolio: Portfolio) -> str:
    """Name the rows that cannot all hold: elastic slacks, minimised (phase one)."""
    elastic: list[Row] = []
    slacks: list[tuple[str, str, int, str, float]] = []  # name, side, column, unit, scale
    cost = [0.0] * n
    for row in rows:
        # rows scaled to O(1) so that unit slack costs are comparable and well above
        # HiGHS's tolerances; reported slack is scaled back to the row's unit
        scale = max([abs(v) for v in row.coef.values()] + [abs(row.lower), 1.0])
        scale = scale if math.isfinite(scale) else 1.0
        coef = {j: v / scale for j, v in row.coef.items()}
        if math.isfinite(row.lower):
            slacks.append((row.name, "short of its minimum", len(cost), row.unit, scale))
            coef[len(cost)] = 1.0  # lifts the row up to its lower bound
            cost.append(-1.0)
        if math.isfinite(row.upper):
            slacks.append((row.name, "over its cap", len(cost), row.unit, scale))
            coef[len(cost)] = -1.0  # brings the row down to its upper bound
            cost.append(-1.0)
        elastic.append(Row(row.name, coef, row.lower / scale, row.upper / scale, row.unit))
    h, _ = solve_highs(len(cost), np.array(cost), elastic, n, portfolio)
    x = np.asarray(h.getSolution().col_value)
    parts = [
        f"{name} ({side} by {x[k] * scale:,.4g} {unit})"
        for name, side, k, unit, scale in slacks
        if k < len(x) and x[k] > 1e-7
    ]
    found = "; ".join(parts) if parts else "the constraints together"
    return (
        f"portfolio {portfolio.name!r}: no selection meets every constraint: {found}; "
        "relax these minimums or caps, raise capital, or add candidates"
    )


def choose(table: pd.DataFrame, portfolio: Portfolio) -> Selection:
    """Pick at most one option (and start year) per site under the portfolio's constraints.

    Parameters
    ----------
    table : pandas.DataFrame
        Option table (see :data:`aip.portfolio.options.COLUMNS`; a synthetic table with
        the same columns works, no planning needed).
    portfolio : Portfolio

    Returns
    -------
    Selection

    Raises
    ------
    InfeasibleError
        No selection meets the constraints; the message names the ones that conflict.
    SolverError
        HiGHS stopped without a feasible selection (time limit).
    """
    ok = eligible(table, portfolio)
    for c in portfolio.candidates:
        if c.required and not any(table.iloc[i]["site"] == c.site for i in ok):
            raise InfeasibleError(
                f"site {c.site!r} is required but none of its options is eligible (failed "
                "plan or below limits.min_equity_irr); fix its scenario or drop required"
            )
    cols = [(i, y) for i in ok for y in range(portfolio.phasing.years)]
    if not cols:
        short = [n for n, r in portfolio.regions.items() if r.min_equity_usd > 0]
        if short:
            raise InfeasibleError(
                f"portfolio {portfolio.name!r}: no eligible option, so regions "
                f"{', '.join(short)} cannot reach min_equity_usd; fix the candidates' plans"
            )
        return Selection([], 0.0, 0.0, "no eligible option", dict.fromkeys(TERMS, 0.0), 0.0)
    values = [term_values(table, portfolio, i, y) for i, y in cols]
    cost = np.zeros(len(cols))
    for k in TERMS:
        w = portfolio.objective.weights.get(k, 0.0)  # type: ignore[call-overload]
        if w <= 0:
            continue
        best: dict[str, float] = {}
        for (i, _), v in zip(cols, values, strict=True):
            site = table.iloc[i]["site"]
            best[site] = max(best.get(site, 0.0), abs(v[k]))
        scale = sum(best.values()) or 1.0
        cost += w * np.array([v[k] for v in values]) / scale
    rows = build_rows(table, portfolio, cols)
    h, seconds = solve_highs(len(cols), cost, rows, len(cols), portfolio)
    status = h.getModelStatus()
    if status in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        raise InfeasibleError(_explain(len(cols), rows, portfolio))
    info = h.getInfo()
    if info.primal_solution_status != 2:  # 2 = feasible point found
        raise SolverError(
            f"HiGHS stopped ({h.modelStatusToString(status)}) without a feasible selection; "
            "raise time_limit_s"
        )
    x = np.asarray(h.getSolution().col_value)
    chosen = [cols[j] for j in range(len(cols)) if x[j] > 0.5]
    terms = {k: sum(values[j][k] for j in range(len(cols)) if x[j] > 0.5) for k in TERMS}
    gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else 0.0
    return Selection(
        chosen=chosen,
        objective=float(info.objective_function_value),
        mip_gap=gap,
        status=h.modelStatusToString(status),
        terms=terms,
        seconds=seconds,
        rows=rows,
    )
