"""Figures of a portfolio (Plotly): sites on a map, equity allocation, build timeline.

Each function takes the JSON-ready portfolio summary (``PortfolioResult.to_dict()``)
and returns a ``plotly.graph_objects.Figure``, in the house style of
:mod:`aip.plot.palette`.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from aip.plot.palette import FONT_FAMILY, style

_CHOSEN, _OTHER = "#4e79a7", "#bab0ac"


def site_map(summary: dict[str, Any]) -> go.Figure:
    """Candidate sites on a map; selected ones sized by IT MW [MW]."""
    chosen = {s["site"]: s for s in summary["selected"]}
    seen: dict[str, dict[str, Any]] = {}
    for o in summary["options"]:
        if o.get("latitude") is not None and o["site"] not in seen:
            seen[o["site"]] = o
    fig = go.Figure()
    for label, picked, color in (("selected", True, _CHOSEN), ("not selected", False, _OTHER)):
        sites = [s for s in seen if (s in chosen) == picked]
        fig.add_trace(
            go.Scattergeo(
                lat=[seen[s]["latitude"] for s in sites],
                lon=[seen[s]["longitude"] for s in sites],
                text=[
                    f"{s}: {chosen[s]['p_it_mw']:.0f} MW IT, {chosen[s]['strategy']}"
                    if picked
                    else s
                    for s in sites
                ],
                marker={
                    "size": [8 + (chosen[s]["p_it_mw"] ** 0.5 if picked else 0) for s in sites],
                    "color": color,
                    "line": {"width": 0.5, "color": "#333333"},
                },
                name=label,
                mode="markers",
            )
        )
    fig.update_geos(scope="north america", showland=True, landcolor="#f2f2f2", showcountries=True)
    fig.update_layout(
        title={"text": "Candidate campuses (marker area ~ IT MW of the selected option)", "x": 0},
        font={"family": FONT_FAMILY, "size": 12},
        height=430,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )
    return fig


def allocation(summary: dict[str, Any]) -> go.Figure:
    """Equity by selected site and partner [USD bn], with the debt beside it."""
    sites = [s["site"] for s in summary["selected"]]
    keys = [s["key"] for s in summary["selected"]]
    fig = go.Figure()
    flows = {p["name"]: p for p in summary["partners"]}
    shares = summary.get("allocation_usd", {})
    for name in flows:
        values = [shares.get(k, {}).get(name, 0.0) / 1e9 for k in keys]
        fig.add_trace(go.Bar(x=sites, y=values, name=f"equity: {name}"))
    fig.add_trace(
        go.Bar(
            x=sites,
            y=[s["debt_usd"] / 1e9 for s in summary["selected"]],
            name="debt",
            marker_color="#bab0ac",
        )
    )
    fig.update_layout(barmode="stack")
    return style(fig, "Capital by selected campus: partners' equity and debt", "Site", "[USD bn]")


def timeline(summary: dict[str, Any]) -> go.Figure:
    """Construction (decision to online) and operation of each selected campus [year]."""
    fig = go.Figure()
    for s in summary["selected"]:
        build = s["online_year"] - s["decision_year"]
        fig.add_trace(
            go.Bar(
                y=[s["site"]],
                x=[build],
                base=[s["decision_year"]],
                orientation="h",
                marker_color="#f28e2b",
                name="construction",
                showlegend=s is summary["selected"][0],
            )
        )
    end = max([s["online_year"] for s in summary["selected"]], default=0) + 3
    for s in summary["selected"]:
        fig.add_trace(
            go.Bar(
                y=[s["site"]],
                x=[end - s["online_year"]],
                base=[s["online_year"]],
                orientation="h",
                marker_color="#59a14f",
                name=f"online ({s['p_it_mw']:.0f} MW IT)",
                showlegend=False,
            )
        )
    fig.update_layout(barmode="overlay")
    return style(fig, "Build timeline: construction (orange), online (green)", "Year", "Site")


#: (name, heading, function) of every portfolio figure, in report order.
PORTFOLIO_FIGURES = (
    ("site_map", "Sites", site_map),
    ("allocation", "Capital allocation", allocation),
    ("timeline", "Timeline", timeline),
)


def portfolio_figures(summary: dict[str, Any]) -> dict[str, go.Figure]:
    """Every portfolio figure by name."""
    return {name: function(summary) for name, _, function in PORTFOLIO_FIGURES}
