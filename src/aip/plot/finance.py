"""Project finance: annual cash flows to equity and the sensitivity tornado.

Both figures read the ``finance`` section that :func:`aip.plan` attaches when a scenario
has a ``finance`` section (docs/finance.md, :mod:`aip.finance`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from aip.plot.palette import color_for, style
from aip.plot.view import PlanView

# Plan cost categories that are not operating costs of the power plant: the same set
# the finance model leaves out of power opex (aip.finance.capital.power_opex).
_NOT_POWER_OPEX = {"capex", "unserved", "total"}

# Inflows above zero, outflows below, in stacking order; colours chosen to read as
# money in (greens, blue) and money out (greys, oranges, purple, red).
CASH_TERMS: list[tuple[str, str, str]] = [
    ("revenue", "Revenue", "#59a14f"),
    ("debt_draw", "Debt drawn", "#4e79a7"),
    ("residual", "Residual value", "#8cd17d"),
    ("capex", "Capital spending", "#7f7f7f"),
    ("power", "Power opex", color_for("gas_aero")),
    ("other_opex", "Other opex", "#edc948"),
    ("debt_service", "Debt service", "#b07aa1"),
    ("tax", "Tax (after credits)", "#e15759"),
]

DRIVER_NAMES = {
    "price": "Price (x0.8 / x1.2)",
    "capex": "Capital cost (x0.8 / x1.2)",
    "utilisation": "GPU-hours sold (x0.8 / x1.2)",
    "wacc": "Discount rate (-0.02 / +0.02)",
    "gas_price": "Gas price (x0.8 / x1.2)",
}


def _series(flows: dict[str, Any], key: str, n: int) -> np.ndarray:
    values = flows.get(key)
    return np.asarray(values, dtype=float) if values is not None else np.zeros(n)


def power_share(view: PlanView, flows: dict[str, Any]) -> float:
    """Share of the cash-flow ``opex`` that is the plan's power opex [-].

    Notes
    -----
    Power opex ``P`` is the plan's annual cost less capital and the unserved penalty
    (what :func:`aip.finance.capital.power_opex` books); the rest of ``opex`` is the
    facility's O&M ``F``. Both escalate alike, so the share ``P / (P + F)`` holds in
    every year. ``P + F`` is the first operating year's opex divided by its escalation
    ``r^c`` (``r`` = the revenue's growth from year 1 to 2, 1 in real dollars; ``c``
    construction rows).
    """
    costs = view.summary.get("cost_usd_per_year", {})
    power = sum(float(v) for k, v in costs.items() if k not in _NOT_POWER_OPEX)
    years = _series(flows, "year", 0)
    opex = _series(flows, "opex", len(years))
    revenue = _series(flows, "revenue", len(years))
    operating = np.flatnonzero(years >= 1)
    if power <= 0 or operating.size == 0:
        return 0.0
    first = int(operating[0])
    growth = 1.0
    if operating.size > 1 and revenue[first] > 0:
        growth = float(revenue[first + 1] / revenue[first])
    base = float(opex[first]) / growth**first
    return min(1.0, power / base) if base > 0 else 0.0


def cash_terms(view: PlanView, flows: dict[str, Any]) -> dict[str, np.ndarray]:
    """Signed annual cash terms to equity [USD/yr]: inflows positive, outflows negative.

    Notes
    -----
    They add up to the equity flow of each year:
    ``equity = revenue + debt_draw + residual - capex - opex - (interest + principal) - tax``,
    with ``tax`` the levered tax after credits (the cash-flow table's own column) and
    ``opex`` split into power and other by :func:`power_share`.
    """
    n = len(_series(flows, "year", 0))
    opex = _series(flows, "opex", n)
    share = power_share(view, flows)
    return {
        "revenue": _series(flows, "revenue", n),
        "debt_draw": _series(flows, "debt_draw", n),
        "residual": _series(flows, "residual", n),
        "capex": -_series(flows, "capex", n),
        "power": -opex * share,
        "other_opex": -opex * (1.0 - share),
        "debt_service": -(_series(flows, "interest", n) + _series(flows, "principal", n)),
        "tax": -_series(flows, "tax", n),
    }


def finance_cash_flows(view: PlanView) -> go.Figure | None:
    """Annual cash flows to equity as signed stacked bars, with cumulative equity.

    Bars per year [million USD]: revenue, debt drawn and residual value above zero;
    capital spending, power opex, other opex, debt service and tax below. The line is
    the cumulative equity cash flow [million USD]. Year 1 is the first operating
    year; years up to 0 are construction. None without a ``finance`` section.

    Examples
    --------
    >>> import aip
    >>> from aip.plot import from_result
    >>> from aip.plot.finance import finance_cash_flows
    >>> fig = finance_cash_flows(from_result(aip.plan("examples/stargate-abilene.yaml")))
    >>> fig.data[-1].name
    'Cumulative equity cash flow'
    """
    section = view.section("finance")
    flows = section.get("cash_flows_usd") if section else None
    if not isinstance(flows, dict) or not flows.get("year"):
        return None
    years = [int(y) for y in flows["year"]]
    fig = go.Figure()
    terms = cash_terms(view, flows)
    for key, name, color in CASH_TERMS:
        values = terms[key] / 1e6
        if not np.any(np.abs(values) > 1e-9):
            continue
        fig.add_trace(
            go.Bar(
                x=years,
                y=values,
                offset=-0.4,  # explicit, so the static export places bars on numeric years
                width=0.8,
                name=name,
                meta=key,
                marker_color=color,
                hovertemplate=f"{name}, year %{{x}}: %{{y:,.1f}} M USD<extra></extra>",
            )
        )
    cumulative = np.cumsum(_series(flows, "equity", len(years))) / 1e6
    fig.add_trace(
        go.Scatter(
            x=years,
            y=cumulative,
            mode="lines+markers",
            name="Cumulative equity cash flow",
            meta="cumulative_equity",
            line={"color": "#111111", "width": 2},
            hovertemplate="Cumulative equity to year %{x}: %{y:,.1f} M USD<extra></extra>",
        )
    )
    fig.update_layout(barmode="relative")
    return style(
        fig,
        f"{view.name}: annual cash flows to equity and cumulative equity cash flow",
        "Year (1 = first operating year) [-]",
        "Cash flow [million USD]",
    )


def finance_tornado(view: PlanView) -> go.Figure | None:
    """Project NPV with one driver moved at a time to its low and high case.

    Horizontal bars from the base NPV to each case's NPV [million USD], widest swing
    on top; the vertical line is the base NPV. None without a ``finance`` section
    with a tornado.
    """
    section = view.section("finance")
    rows = section.get("tornado") if section else None
    base = section.get("npv_usd") if section else None
    if not isinstance(rows, list) or not rows or not isinstance(base, int | float):
        return None
    rows = sorted(rows, key=lambda r: -abs(float(r["npv_high_usd"]) - float(r["npv_low_usd"])))
    labels = [DRIVER_NAMES.get(str(r["driver"]), str(r["driver"])) for r in rows]
    fig = go.Figure()
    for case, name, color in (("low", "Low case", "#4e79a7"), ("high", "High case", "#f28e2b")):
        ends = [float(r[f"npv_{case}_usd"]) for r in rows]
        fig.add_trace(
            go.Bar(
                x=[(e - float(base)) / 1e6 for e in ends],
                y=labels,
                base=float(base) / 1e6,
                orientation="h",
                name=name,
                meta=[str(r["driver"]) for r in rows],
                marker_color=color,
                customdata=[e / 1e6 for e in ends],
                hovertemplate=f"{name}: NPV %{{customdata:,.0f}} M USD<extra>%{{y}}</extra>",
            )
        )
    fig.add_vline(x=float(base) / 1e6, line={"color": "#333333", "dash": "dash", "width": 1})
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(autorange="reversed")
    return style(
        fig,
        f"{view.name}: project NPV sensitivity (base {float(base) / 1e6:,.0f} M USD)",
        "Project NPV [million USD]",
        "Driver (low / high case)",
    )
