"""The cost of 24/7 carbon-free energy: annual cost and capacity mix against the share.

Takes the table of :func:`aip.emissions.cfe.cfe_cost_curve` (one plan per share), not a
plan view: the curve is a sweep of plans.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aip.errors import DataError
from aip.plot.palette import LABELS, color_for, style

REQUIRED = ("cfe_share", "objective_usd_per_year")
_PREFIX = "p_nom_mw_"
_MIN_MW = 1e-6  # capacities below this are solver noise [MW]


def cfe_cost_figure(
    frame: pd.DataFrame, name: str = "", labels: Mapping[str, str] | None = None
) -> go.Figure:
    """Annual cost and capacity per technology at each 24/7 CFE share.

    Left: annual cost of the campus [million USD/yr] against the CFE share [-], with the
    increase over the first share as text. Right: capacity per technology [MW] stacked
    per share. Infeasible shares (status not ``optimal``) are left out.

    Parameters
    ----------
    frame : DataFrame
        From :func:`aip.emissions.cfe.cfe_cost_curve`: ``cfe_share``,
        ``objective_usd_per_year``, optional ``cost_increase``, ``status`` and
        ``p_nom_mw_<tech>``.
    name : str
        Scenario name for the title.
    labels : mapping, optional
        Display name per technology key (e.g. ``PlanView.labels``); default the key.

    Raises
    ------
    DataError
        A required column is missing or no share has a plan.

    Examples
    --------
    >>> frame = pd.DataFrame({"cfe_share": [0.0, 0.9], "objective_usd_per_year": [1e8, 1.5e8],
    ...                       "p_nom_mw_pv": [0.0, 200.0]})
    >>> [round(y) for y in cfe_cost_figure(frame).data[0].y]
    [100, 150]
    """
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise DataError(
            f"CFE curve table lacks column(s) {', '.join(missing)}; "
            "make it with aip.emissions.cfe.cfe_cost_curve"
        )
    rows = frame
    if "status" in frame.columns:
        rows = frame[frame["status"].astype(str) == "optimal"]
    rows = rows.dropna(subset=list(REQUIRED)).sort_values("cfe_share")
    if rows.empty:
        raise DataError("CFE curve table has no feasible share; relax the shares or the limits")
    shares = rows["cfe_share"].to_numpy(dtype=float)
    cost = rows["objective_usd_per_year"].to_numpy(dtype=float) / 1e6
    increase = (
        rows["cost_increase"].to_numpy(dtype=float)
        if "cost_increase" in rows.columns
        else cost / cost[0] - 1.0
    )
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=["Annual cost [million USD/yr]", "Capacity by technology [MW]"],
    )
    fig.add_trace(
        go.Scatter(
            x=shares,
            y=cost,
            mode="lines+markers",
            name="Annual cost",
            meta="objective_usd_per_year",
            text=[f"+{v:.3f}" for v in increase],
            line={"color": "#111111", "width": 2},
            showlegend=False,
            hovertemplate="CFE %{x:.2f}: %{y:,.1f} M USD/yr (increase %{text})<extra></extra>",
        ),
        row=1,
        col=1,
    )
    categories = [f"{s:.2f}" for s in shares]
    for column in [c for c in rows.columns if c.startswith(_PREFIX)]:
        key = column[len(_PREFIX) :]
        label = (labels or {}).get(key, LABELS.get(key, key))
        values = rows[column].fillna(0.0).to_numpy(dtype=float)
        if values.max() <= _MIN_MW:
            continue
        fig.add_trace(
            go.Bar(
                x=categories,
                y=values,
                name=label,
                meta=key,
                marker_color=color_for(key),
                hovertemplate=f"{label}, CFE %{{x}}: %{{y:,.1f}} MW<extra></extra>",
            ),
            row=1,
            col=2,
        )
    fig.update_layout(barmode="stack")
    title = f"{name}: " if name else ""
    style(fig, f"{title}cost and capacity against the 24/7 CFE share", "24/7 CFE share [-]", "")
    fig.update_yaxes(title_text="Cost [million USD/yr]", row=1, col=1)
    fig.update_yaxes(title_text="Capacity [MW]", row=1, col=2)
    return fig
