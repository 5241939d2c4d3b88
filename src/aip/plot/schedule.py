"""Time to power: the staged plan as bars over time (a Gantt-like view).

Draws the ``schedule`` section that :func:`aip.plan` attaches when a scenario has a
``timeline`` (docs/time-to-power.md): per period, capacity by source with leased bridge
capacity hatched and the grid import limit on top; below, the installed accelerators
split into served and idle compute; dashed lines at the first-power and full-power dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aip.plot.palette import color_for, style
from aip.plot.view import PlanView

# Capacities and GPU counts below these are solver noise, not a decision [MW], [-].
_MIN_MW = 1e-6
_MIN_GPUS = 1e-3

_MS_PER_DAY = 86_400_000.0  # Plotly sizes bars on date axes in milliseconds
_SERVED_COLOR = "#1f4e79"  # not the grid green: a GPU is not a source


def _period_days(row: dict[str, Any]) -> float:
    start = dt.date.fromisoformat(str(row["period_start"]))
    end = dt.date.fromisoformat(str(row["period_end"]))
    return float((end - start).days)


def _label(view: PlanView, key: str) -> str:
    """Display name; a bridge key the catalogue lacks reads as words (mobile_gas -> Mobile gas)."""
    label = view.label(key)
    return label.replace("_", " ").capitalize() if label == key else label


def source_kinds(view: PlanView, periods: list[dict[str, Any]]) -> dict[str, str]:
    """Each capacity key of the periods as ``owned``, ``storage``, ``bridge`` or ``grid``.

    Keys the single-year plan does not know (not a generator or storage of the plan)
    are the timeline's leased bridges (``timeline.bridge``).
    """
    kinds: dict[str, str] = {}
    for row in periods:
        for key in row.get("p_nom_mw", {}):
            if key == "grid":
                kinds[key] = "grid"
            elif key in view.storage:
                kinds[key] = "storage"
            elif key in view.generators:
                kinds[key] = "owned"
            else:
                kinds[key] = "bridge"
    return kinds


def served_gpus(row: dict[str, Any]) -> tuple[float, float]:
    """Installed accelerators of a period split into served and idle [-].

    Notes
    -----
    ``served = gpus * served_mwh / load_mwh`` and ``idle = gpus - served``: the
    period's time-averaged installed GPUs times its served share of energy (the
    load is proportional to installed GPUs within a period).
    """
    gpus = float(row.get("gpus", 0.0))
    load = float(row.get("load_mwh", 0.0))
    share = float(row.get("served_mwh", 0.0)) / load if load > 0 else 1.0
    served = gpus * min(max(share, 0.0), 1.0)
    return served, gpus - served


def schedule_gantt(view: PlanView) -> go.Figure | None:
    """Capacity, GPUs and the power dates of the staged plan over time.

    Top: stacked bars per period [MW] of owned capacity per technology, storage power,
    leased bridge capacity (hatched) and the grid import limit (the grid steps), each
    bar spanning its period. Bottom: installed accelerators per period, served vs idle
    for lack of power [GPUs, time-averaged] (the GPU tranches). Dashed lines mark
    ``first_power_date`` and ``full_power_date``. None without a ``schedule`` section.

    Examples
    --------
    >>> import aip
    >>> from aip.plot import from_result
    >>> from aip.plot.schedule import schedule_gantt
    >>> fig = schedule_gantt(from_result(aip.plan("examples/colossus-memphis.yaml")))
    >>> fig.layout.barmode
    'stack'
    """
    section = view.section("schedule")
    periods = section.get("periods") if section else None
    if not section or not isinstance(periods, list) or not periods:
        return None
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    starts = [str(row["period_start"]) for row in periods]
    widths = [_period_days(row) * _MS_PER_DAY for row in periods]
    kinds = source_kinds(view, periods)
    order = {"owned": 0, "storage": 1, "bridge": 2, "grid": 3}
    for key in sorted(kinds, key=lambda k: order[kinds[k]]):
        values = [float(row.get("p_nom_mw", {}).get(key, 0.0)) for row in periods]
        if max(values) <= _MIN_MW:
            continue
        kind = kinds[key]
        name = {
            "bridge": f"{_label(view, key)} (leased bridge)",
            "grid": "Grid import limit",
            "storage": f"{view.label(key)} (power)",
        }.get(kind, _label(view, key))
        fig.add_trace(
            go.Bar(
                x=starts,
                y=values,
                width=widths,
                offset=0,
                name=name,
                meta=key,
                marker={
                    "color": color_for(key),
                    "pattern": {"shape": "/" if kind == "bridge" else ""},
                    "line": {"width": 0.5, "color": "#ffffff"},
                },
                hovertemplate=f"{name}<br>%{{x}}: %{{y:,.1f}} MW<extra></extra>",
            ),
            row=1,
            col=1,
        )
    ends = [str(row["period_end"]) for row in periods]
    mean_load = [
        float(row.get("load_mwh", 0.0)) / float(row["hours"]) if row.get("hours") else 0.0
        for row in periods
    ]
    fig.add_trace(
        go.Scatter(
            x=[*starts, ends[-1]],
            y=[*mean_load, mean_load[-1]],
            mode="lines",
            line={"shape": "hv", "color": color_for("load"), "width": 2},
            name="Facility load (period mean)",
            meta="load",
            hovertemplate="Mean load from %{x}: %{y:,.1f} MW<extra></extra>",
        ),
        row=1,
        col=1,
    )
    split = [served_gpus(row) for row in periods]
    for i, (name, color) in enumerate(
        [("Compute served", _SERVED_COLOR), ("Compute idle (no power)", color_for("unserved"))]
    ):
        values = [s[i] for s in split]
        if i == 1 and max(values) <= _MIN_GPUS:
            continue
        fig.add_trace(
            go.Bar(
                x=starts,
                y=values,
                width=widths,
                offset=0,
                name=name,
                meta="served" if i == 0 else "unserved",
                marker={"color": color, "line": {"width": 0.5, "color": "#ffffff"}},
                hovertemplate=f"{name}<br>%{{x}}: %{{y:,.0f}} GPUs<extra></extra>",
            ),
            row=2,
            col=1,
        )
    _mark_dates(fig, section, periods)
    fig.update_layout(barmode="stack", bargap=0.0)
    style(fig, f"{view.name}: time to power, capacity and compute by period", "", "")
    fig.update_layout(height=620)
    fig.update_xaxes(title_text="Period start [date]", row=2, col=1)
    fig.update_yaxes(title_text="Capacity [MW]", row=1, col=1)
    fig.update_yaxes(title_text="Installed GPUs [-]", row=2, col=1)
    return fig


def _mark_dates(fig: go.Figure, section: dict[str, Any], periods: list[dict[str, Any]]) -> None:
    """Dashed vertical lines at the first- and full-power dates, one per panel."""
    top_mw = max(
        (sum(float(v) for v in row.get("p_nom_mw", {}).values()) for row in periods), default=0.0
    )
    top_gpus = max((float(row.get("gpus", 0.0)) for row in periods), default=0.0)
    dates = [
        ("First power", section.get("first_power_date"), "#333333"),
        ("Full power", section.get("full_power_date"), "#000000"),
    ]
    for label, date, color in dates:
        if not date:
            continue
        name = f"{label} {date}"
        for row, top in ((1, top_mw), (2, top_gpus)):
            fig.add_trace(
                go.Scatter(
                    x=[date, date],
                    y=[0.0, top * 1.05],
                    mode="lines",
                    name=name,
                    meta=label.lower().replace(" ", "_"),
                    legendgroup=name,
                    showlegend=row == 1,
                    line={"color": color, "dash": "dash" if label == "First power" else "dot"},
                    hovertemplate=f"{name}<extra></extra>",
                ),
                row=row,
                col=1,
            )
