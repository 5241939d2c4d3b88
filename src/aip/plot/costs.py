"""Cost breakdown: the annual cost built up category by category."""

from __future__ import annotations

import plotly.graph_objects as go

from aip.plot.palette import style
from aip.plot.view import PlanView

# Display order and names of the cost categories of aip.results.accounting.cost_breakdown.
CATEGORIES: dict[str, str] = {
    "capex": "Capital (annuity)",
    "fixed_om": "Fixed O&M",
    "fuel": "Fuel",
    "variable_om": "Variable O&M",
    "ppa": "PPA energy",
    "grid": "Grid energy and demand",
    "carbon": "Carbon price",
    "unserved": "Unserved compute",
}

# Costs are drawn in millions for legibility; the axis title says so.
SCALE = 1e6


def cost_waterfall(view: PlanView) -> go.Figure:
    """Waterfall of the annual cost by category, ending at the total [million USD/yr].

    Categories that are zero are left out; the final bar is the plan's total,
    which equals the objective of the optimisation.
    """
    costs: dict[str, float] = view.summary.get("cost_usd_per_year", {})
    keys = [k for k in CATEGORIES if abs(float(costs.get(k, 0.0))) > 0.0]
    keys += [k for k in costs if k not in CATEGORIES and k != "total" and costs[k] != 0.0]
    values = [float(costs[k]) / SCALE for k in keys]
    total = float(costs.get("total", sum(float(costs[k]) for k in keys))) / SCALE
    fig = go.Figure(
        go.Waterfall(
            x=[CATEGORIES.get(k, k) for k in keys] + ["Total"],
            y=[*values, total],
            measure=["relative"] * len(keys) + ["total"],
            text=[f"{v:,.1f}" for v in [*values, total]],
            textposition="outside",
            connector={"line": {"color": "#888888", "width": 1}},
            increasing={"marker": {"color": "#4e79a7"}},
            decreasing={"marker": {"color": "#59a14f"}},
            totals={"marker": {"color": "#333333"}},
            meta=[*keys, "total"],
            name="cost",
            showlegend=False,
            hovertemplate="%{x}: %{y:,.2f} million USD/yr<extra></extra>",
        )
    )
    lcoe = view.summary.get("lcoe_usd_per_mwh")
    subtitle = f" (LCOE {lcoe:,.1f} USD/MWh)" if isinstance(lcoe, int | float) else ""
    return style(
        fig,
        f"{view.name}: annual cost by category{subtitle}",
        "Cost category",
        "Cost [million USD/yr]",
    )
