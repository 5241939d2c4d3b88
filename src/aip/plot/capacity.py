"""Capacity mix: what the plan builds (and already has)."""

from __future__ import annotations

import plotly.graph_objects as go

from aip.plot.palette import color_for, style
from aip.plot.view import PlanView

# Capacities below this are solver noise, not a build decision [MW].
_MIN_MW = 1e-6


def capacity_mix(view: PlanView) -> go.Figure:
    """Horizontal bars of total capacity per technology, plus the peak grid import.

    Bars show total capacity (existing + new) [MW] for every technology with
    capacity; storage bars carry their energy capacity [MWh] as text. The grid bar
    is the highest hourly import [MW], which is what the connection must carry.

    Examples
    --------
    >>> import aip
    >>> from aip.plot import capacity_mix, from_result
    >>> fig = capacity_mix(from_result(aip.plan("examples/loudoun-grid.yaml")))
    >>> fig.data[0].orientation
    'h'
    """
    p_nom: dict[str, float] = view.summary.get("p_nom_mw", {})
    e_nom: dict[str, float] = view.summary.get("e_nom_mwh", {})
    keys = [k for k, v in p_nom.items() if v > _MIN_MW]
    values = [float(p_nom[k]) for k in keys]
    texts = [
        f"{p_nom[k]:,.0f} MW / {e_nom[k]:,.0f} MWh" if k in e_nom else f"{p_nom[k]:,.0f} MW"
        for k in keys
    ]
    grid_peak = float(view.column("grid_import_mw").max()) if len(view.hourly) else 0.0
    if grid_peak > _MIN_MW:
        keys.append("grid")
        values.append(grid_peak)
        texts.append(f"{grid_peak:,.0f} MW peak import")
    fig = go.Figure(
        go.Bar(
            x=values,
            y=[view.label(k) for k in keys],
            orientation="h",
            marker_color=[color_for(k) for k in keys],
            text=texts,
            textposition="auto",
            meta=keys,
            hovertemplate="%{y}: %{x:,.1f} MW<extra></extra>",
            name="capacity",
            showlegend=False,
        )
    )
    fig.update_yaxes(autorange="reversed")
    return style(
        fig,
        f"{view.name}: capacity by technology (storage: power / energy)",
        "Capacity [MW]",
        "Technology",
    )
