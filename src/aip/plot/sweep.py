"""Sweep curves: one output against one input over the cases of a sweep (or any table)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from aip.errors import DataError
from aip.plot.palette import color_for, style


def sweep_figure(frame: pd.DataFrame, x: str, y: str, group: str | None = None) -> go.Figure:
    """``y`` against ``x`` for every case, one line per value of ``group``.

    Parameters
    ----------
    frame : DataFrame
        One row per case, e.g. :func:`aip.sweep.read_results` (columns named by dotted
        scenario or result paths, such as ``economics.fuel_prices_usd_per_mmbtu.gas`` and
        ``objective_usd_per_year``).
    x, y : str
        Columns to plot; axis titles are the column names (which carry their units).
    group : str, optional
        Column whose values split the cases into lines.

    Raises
    ------
    DataError
        A column is missing or has no numeric value.

    Examples
    --------
    >>> frame = pd.DataFrame({"gas": [2.0, 4.0, 6.0], "lcoe_usd_per_mwh": [40.0, 52.0, 64.0]})
    >>> [float(v) for v in sweep_figure(frame, "gas", "lcoe_usd_per_mwh").data[0].y]
    [40.0, 52.0, 64.0]
    """
    for column in (x, y, *([group] if group else [])):
        if column not in frame.columns:
            shown = ", ".join(map(str, frame.columns[:12]))
            raise DataError(f"sweep figure: no column {column!r}; columns: {shown}")
    data = frame.copy()
    data[x] = pd.to_numeric(data[x], errors="coerce")
    data[y] = pd.to_numeric(data[y], errors="coerce")
    data = data.dropna(subset=[x, y])
    if data.empty:
        raise DataError(f"sweep figure: no case has numeric {x!r} and {y!r}")
    fig = go.Figure()
    groups = data.groupby(group, sort=True) if group else [("all cases", data)]
    for name, part in groups:
        part = part.sort_values(x)
        fig.add_trace(
            go.Scatter(
                x=part[x].to_numpy(),
                y=part[y].to_numpy(),
                mode="lines+markers",
                name=str(name),
                marker={"color": color_for(str(name))},
            )
        )
    return style(fig, f"{y} against {x} over {len(data)} cases", x, y)
