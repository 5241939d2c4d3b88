"""Reliability: availability of the plan and the cost of each extra nine.

Reads the ``reliability`` section that :func:`aip.plan` attaches when a scenario has a
``reliability`` section (docs/reliability.md, :mod:`aip.reliability`).
"""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aip.plot.palette import style
from aip.plot.view import PlanView

_MET, _SHORT, _COST = "#59a14f", "#d62728", "#7f7f7f"


def nines_of(availability: float) -> float:
    """Number of nines ``-log10(1 - A)`` [-] (inf at A = 1)."""
    return math.inf if availability >= 1.0 else -math.log10(1.0 - availability)


def _plan_label(row: dict[str, Any]) -> str:
    label = f"N-{int(row.get('n_minus', 0))}"
    margin = float(row.get("reserve_margin", 0.0) or 0.0)
    return label + (f", margin {margin:.2f}" if margin > 0 else "")


def reliability_rows(section: dict[str, Any]) -> tuple[list[dict[str, Any]], str, float | None]:
    """The plans to draw, the availability key compared, and the target [-].

    With a target: every row of ``target.table`` (one per re-plan); otherwise the plan
    itself as one row from the section's own numbers.
    """
    target = section.get("target")
    if isinstance(target, dict) and target.get("table"):
        key = "availability" if target.get("metric", "time") == "time" else "energy_availability"
        goal = target.get("target")
        return list(target["table"]), key, float(goal) if goal is not None else None
    row = {"step": 0, "availability": section["availability"], "n_minus": None}
    row["energy_availability"] = section.get("energy_availability", section["availability"])
    return [row], "availability", None


def reliability_chart(view: PlanView) -> go.Figure | None:
    """Availability in nines per plan, with the target; the supply cost per plan.

    Left: nines ``-log10(1 - A)`` of each plan of the cost-of-nines ladder (or of the
    plan alone without a target) [-], green when the target is met; dashed line at the
    target. Right, with a target: annual supply cost of each plan [million USD/yr],
    labelled with the cost per extra nine. None without a ``reliability`` section.
    """
    section = view.section("reliability")
    if section is None or not isinstance(section.get("availability"), int | float):
        return None
    rows, key, goal = reliability_rows(section)
    labels = [_plan_label(r) if r.get("n_minus") is not None else "this plan" for r in rows]
    values = [nines_of(float(r[key])) for r in rows]
    # Perfect availability has infinite nines: draw it at the largest finite bar + 1.
    finite = [v for v in values if math.isfinite(v)]
    cap = (max(finite) if finite else 0.0) + 1.0
    drawn = [v if math.isfinite(v) else cap for v in values]
    colors = [_MET if goal is None or float(r[key]) >= goal else _SHORT for r in rows]
    with_cost = goal is not None and all("cost_usd_per_year" in r for r in rows)
    fig = make_subplots(
        rows=1,
        cols=2 if with_cost else 1,
        subplot_titles=(
            ["Availability [nines]", "Annual supply cost [million USD/yr]"] if with_cost else None
        ),
    )
    texts = [f"A = {float(r[key]):.6f}" for r in rows]
    fig.add_trace(
        go.Bar(
            x=labels,
            y=drawn,
            marker_color=colors,
            text=texts,
            textposition="auto",
            name="Availability",
            meta=key,
            showlegend=False,
            hovertemplate="%{x}: %{y:.2f} nines (%{text})<extra></extra>",
        ),
        row=1,
        col=1,
    )
    if goal is not None:
        fig.add_hline(
            y=nines_of(goal),
            line={"color": "#333333", "dash": "dash", "width": 1},
            row=1,
            col=1,
        )
    if with_cost:
        cost_text = [
            "base"
            if r.get("cost_per_nine_usd_per_year") is None
            else f"{float(r['cost_per_nine_usd_per_year']) / 1e6:,.2f} M USD/yr per nine"
            for r in rows
        ]
        fig.add_trace(
            go.Bar(
                x=labels,
                y=[float(r["cost_usd_per_year"]) / 1e6 for r in rows],
                marker_color=_COST,
                text=cost_text,
                textposition="auto",
                name="Annual supply cost",
                meta="cost_usd_per_year",
                showlegend=False,
                hovertemplate="%{x}: %{y:,.2f} M USD/yr<extra></extra>",
            ),
            row=1,
            col=2,
        )
    target_text = f" against a target of {goal}" if goal is not None else ""
    style(fig, f"{view.name}: availability under outages{target_text}", "Plan", "Nines [-]")
    if with_cost:
        fig.update_yaxes(title_text="Cost [million USD/yr]", row=1, col=2)
    return fig
