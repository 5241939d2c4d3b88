"""Load duration curve with the supply that serves each hour."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from aip.plot.dispatch import supply_stack
from aip.plot.palette import style
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
    fig = supply_stack(view, hours, order, "%{x:,.0f} h at or above %{y:,.1f} MW<extra></extra>")
    return style(
        fig,
        f"{view.name}: load duration curve and the supply serving each hour",
        "Hours of the year at or above this load [h]",
        "Power [MW]",
    )
