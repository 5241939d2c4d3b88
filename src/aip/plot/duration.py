"""Load duration curve with the supply that serves each hour."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from aip.plot.dispatch import supply_series
from aip.plot.palette import color_for, style
from aip.plot.view import PlanView


def duration_order(view: PlanView) -> tuple[np.ndarray, np.ndarray]:
    """Snapshot order by falling facility load, and the hours elapsed at each [h].

    Notes
    -----
    With snapshot weights ``w`` (hours each snapshot stands for) the x position
    of the k-th highest snapshot is ``sum_{j<=k} w_j``, so the curve ends at
    the modelled hours (8760 for a full year).
    """
    load = view.column("facility_load_mw")
    order = np.argsort(-load, kind="stable")
    return order, np.cumsum(view.weights()[order])


def load_duration(view: PlanView) -> go.Figure:
    """Facility load sorted from highest to lowest hour, with supply stacked beneath.

    The supply of each hour is stacked in the same hour order, so the areas show
    which sources serve the peak and which the base.
    """
    order, hours = duration_order(view)
    fig = go.Figure()
    for key, name, values in supply_series(view):
        sorted_values = values[order]
        if not np.any(np.abs(sorted_values) > 1e-9):
            continue
        fig.add_trace(
            go.Scatter(
                x=hours,
                y=sorted_values,
                name=name,
                mode="lines",
                line={"width": 0, "shape": "hv"},
                fillcolor=color_for(key),
                stackgroup="supply" if sorted_values.min() >= 0 else "sink",
                meta=key,
                hovertemplate=f"{name}: %{{y:,.1f}} MW<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=hours,
            y=view.column("facility_load_mw")[order],
            name=view.label("load"),
            mode="lines",
            line={"color": color_for("load"), "width": 2, "shape": "hv"},
            hovertemplate="%{x:,.0f} h at or above %{y:,.1f} MW<extra></extra>",
        )
    )
    return style(
        fig,
        f"{view.name}: load duration curve and the supply serving each hour",
        "Hours of the year at or above this load [h]",
        "Power [MW]",
    )
