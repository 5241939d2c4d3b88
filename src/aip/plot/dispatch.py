"""Hourly dispatch stack: how every source serves the load in one week."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from aip.errors import ScenarioError
from aip.plot.palette import color_for, style
from aip.plot.view import PlanView

WEEK_H = 168


def default_week_start(view: PlanView) -> int:
    """First snapshot of the week worth looking at.

    The week around the worst unserved hour if any load goes unserved, else the
    week around the peak facility load: the hours that size the supply.
    """
    n = len(view.hourly)
    unserved = view.column("unserved_mw")
    anchor = (
        int(np.argmax(unserved))
        if unserved.size and unserved.max() > 0
        else int(np.argmax(view.column("facility_load_mw")))
        if n
        else 0
    )
    return int(min(max(anchor - WEEK_H // 2, 0), max(n - WEEK_H, 0)))


def time_axis(view: PlanView) -> pd.Index:
    """Local wall-clock timestamps for plotting (UTC offsets dropped: plotly has none)."""
    index = view.hourly.index.astype(str)
    parsed = pd.to_datetime(pd.Series(index.str[:19]), errors="coerce", format="ISO8601")
    if parsed.isna().any():
        return pd.RangeIndex(len(index), name="snapshot")
    return pd.DatetimeIndex(parsed)


def supply_series(view: PlanView) -> list[tuple[str, str, np.ndarray]]:
    """The terms of the energy balance as ``(key, name, MW array)``.

    Positive terms supply the load; storage charge and spilled surplus are
    negative, so at every hour the terms sum to the facility load.
    """
    terms: list[tuple[str, str, np.ndarray]] = []
    for key in view.generators:
        terms.append((key, view.label(key), view.column(f"p_{key}_mw")))
    for key in view.storage:
        terms.append((key, f"{view.label(key)} discharge", view.column(f"discharge_{key}_mw")))
    terms.append(("grid", view.label("grid"), view.column("grid_import_mw")))
    terms.append(("unserved", view.label("unserved"), view.column("unserved_mw")))
    if "curtail_mw" in view.hourly:
        terms.append(("curtailed", view.label("curtailed"), view.column("curtail_mw")))
    for key in view.storage:
        terms.append((key, f"{view.label(key)} charge", -view.column(f"charge_{key}_mw")))
    terms.append(("spill", view.label("spill"), -view.column("spill_mw")))
    return terms


def supply_stack(view: PlanView, x: object, take: slice | np.ndarray, load_hover: str) -> go.Figure:
    """Stacked supply terms and the facility load line at snapshots ``take``.

    Shared by the dispatch week (a time window) and the load duration curve (hours
    sorted by load): sources stack above zero, storage charge and spill below.
    """
    fig = go.Figure()
    for key, name, values in supply_series(view):
        part = values[take]
        if not np.any(np.abs(part) > 1e-9):
            continue
        fig.add_trace(
            go.Scatter(
                x=x,
                y=part,
                name=name,
                mode="lines",
                line={"width": 0, "shape": "hv"},
                fillcolor=color_for(key),
                stackgroup="supply" if part.min() >= 0 else "sink",
                meta=key,
                hovertemplate=f"{name}: %{{y:,.1f}} MW<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=view.column("facility_load_mw")[take],
            name=view.label("load"),
            mode="lines",
            line={"color": color_for("load"), "width": 2, "shape": "hv"},
            hovertemplate=load_hover,
        )
    )
    return fig


def _when(x: pd.Index, start: int) -> str:
    if isinstance(x, pd.DatetimeIndex) and len(x):
        return x[0].strftime("%d %b %H:%M")
    return f"snapshot {start}"


def dispatch_week(view: PlanView, start: int | None = None) -> go.Figure:
    """Stacked hourly dispatch of one week with the facility load as a line.

    Parameters
    ----------
    view : PlanView
    start : int, optional
        Index of the first snapshot shown; by default :func:`default_week_start`.

    Notes
    -----
    Each hour ``sum_g p_g + sum_s (d_s - c_s) + i + u - x = L``: supply above
    zero, storage charge ``c`` and spill ``x`` below, so the top of the positive
    stack less the negative stack equals the load line. Sources with no output
    in the week are left out.
    """
    n = len(view.hourly)
    if start is None:
        start = default_week_start(view)
    if not 0 <= start < max(n, 1):
        raise ScenarioError.for_field(
            "start", start, f"a snapshot index in [0, {n - 1}]", "pick an hour of the year"
        )
    window = slice(start, min(start + WEEK_H, n))
    x = time_axis(view)[window]
    fig = supply_stack(view, x, window, "load: %{y:,.1f} MW<extra></extra>")
    return style(
        fig,
        f"{view.name}: hourly dispatch, week from {_when(x, start)}",
        "Local time" if isinstance(x, pd.DatetimeIndex) else "Snapshot [-]",
        "Power [MW] (charge and spill below zero)",
    )
