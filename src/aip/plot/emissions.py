"""Emissions by source and the air-permit view."""

from __future__ import annotations

import re
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aip.plot.palette import color_for, style
from aip.plot.view import PlanView

POLLUTANT_NAMES = {"co2": "CO2", "nox": "NOx", "so2": "SO2", "pm25": "PM2.5"}

# Clean Air Act thresholds drawn for reference when the permit section gives none:
# Title V major source 100 t/yr (42 U.S.C. 7602(j)), PSD major source 250 t/yr for
# sources outside the 28 listed categories (40 CFR 52.21(b)(1)). Short tons in the
# law; drawn as tonnes (10 % apart), which is close enough for a reference line.
REFERENCE_THRESHOLDS_T = {"Title V major source": 100.0, "PSD major source": 250.0}
_THRESHOLD_NAMES = {"major_source": "Title V major source", "psd": "PSD major source"}


def emissions_by_source(view: PlanView) -> go.Figure:
    """Annual emissions per source, one panel per pollutant [t/yr].

    Sources are the on-site technologies and grid imports (AVERT marginal rates);
    sources with no emissions are left out. Each panel's bars sum to the plan's
    total for that pollutant.
    """
    by_source = view.emissions_by_source
    pollutants = [p for p in POLLUTANT_NAMES if any(p in v for v in by_source.values())]
    fig = make_subplots(
        rows=1,
        cols=max(len(pollutants), 1),
        subplot_titles=[f"{POLLUTANT_NAMES[p]} [t/yr]" for p in pollutants],
    )
    shown: set[str] = set()
    for col, pollutant in enumerate(pollutants, start=1):
        for key, rates in by_source.items():
            value = float(rates.get(pollutant, 0.0))
            if value == 0.0:
                continue
            fig.add_trace(
                go.Bar(
                    x=[POLLUTANT_NAMES[pollutant]],
                    y=[value],
                    name=view.label(key),
                    legendgroup=key,
                    showlegend=key not in shown,
                    marker_color=color_for(key),
                    meta=key,
                    hovertemplate=f"{view.label(key)}: %{{y:,.1f}} t/yr<extra></extra>",
                ),
                row=1,
                col=col,
            )
            shown.add(key)
    fig.update_layout(barmode="stack")
    return style(
        fig,
        f"{view.name}: annual emissions by source (on-site and grid imports)",
        "Pollutant",
        "Emissions [t/yr]",
    )


def permit_amounts(permits: dict[str, Any]) -> tuple[dict[str, float], dict[str, float]]:
    """Potential and expected emissions per pollutant [t/yr] from a ``permits`` section.

    Reads the ``potential_t_per_year`` / ``expected_t_per_year`` mappings, or
    flat ``<p>_potential_t_per_year`` / ``<p>_expected_t_per_year`` keys.
    CO2 is left out: the permit thresholds are for criteria pollutants.
    """
    potential: dict[str, float] = {}
    expected: dict[str, float] = {}
    nested_p, nested_e = permits.get("potential_t_per_year"), permits.get("expected_t_per_year")
    if isinstance(nested_p, dict) and isinstance(nested_e, dict):
        for p, v in nested_p.items():
            if isinstance(v, int | float) and isinstance(nested_e.get(p), int | float):
                potential[p], expected[p] = float(v), float(nested_e[p])
    for key, v in permits.items():
        match = re.fullmatch(r"(\w+?)_potential_t_per_year", key)
        other = permits.get(f"{match[1]}_expected_t_per_year") if match else None
        if match and isinstance(v, int | float) and isinstance(other, int | float):
            potential.setdefault(match[1], float(v))
            expected.setdefault(match[1], float(other))
    potential.pop("co2", None)
    expected.pop("co2", None)
    return potential, expected


def permit_thresholds(permits: dict[str, Any]) -> dict[str, float]:
    """Reference lines [t/yr]: the section's thresholds and NOx cap, else the CAA ones."""
    given = permits.get("thresholds_t_per_year")
    lines = {
        _THRESHOLD_NAMES.get(k, f"{k.replace('_', ' ')} threshold"): float(v)
        for k, v in (given.items() if isinstance(given, dict) else [])
        if isinstance(v, int | float)
    } or dict(REFERENCE_THRESHOLDS_T)
    cap = permits.get("nox_cap_t_per_year")
    if isinstance(cap, int | float):
        lines["NOx permit cap"] = float(cap)
    return lines


def permit_view(view: PlanView) -> go.Figure | None:
    """Potential to emit and expected emissions per pollutant against permit thresholds.

    Reads the ``permits`` section (see :func:`permit_amounts`); returns ``None``
    when the plan has none. Dashed lines mark the section's thresholds (Title V
    major source, PSD) and the NOx permit cap if set.
    """
    permits = view.summary.get("permits")
    if not isinstance(permits, dict):
        return None
    potential, expected = permit_amounts(permits)
    if not potential:
        return None
    pollutants = list(potential)
    names = [POLLUTANT_NAMES.get(p, p) for p in pollutants]
    fig = go.Figure()
    for kind, color, amounts, label in (
        ("potential", "#e15759", potential, "Potential to emit (all units, all hours)"),
        ("expected", "#4e79a7", expected, "Expected (this dispatch)"),
    ):
        fig.add_trace(
            go.Bar(
                x=names,
                y=[amounts[p] for p in pollutants],
                name=label,
                marker_color=color,
                meta=kind,
                hovertemplate="%{x}: %{y:,.1f} t/yr<extra></extra>",
            )
        )
    for label, value in permit_thresholds(permits).items():
        fig.add_hline(
            y=value,
            line={"dash": "dash", "color": "#555555", "width": 1},
            annotation_text=f"{label} {value:,.0f} t/yr",
            annotation_position="top left",
        )
    verdict = permits.get("major_source")
    suffix = "" if verdict is None else f" (major source: {'yes' if verdict else 'no'})"
    fig.update_layout(barmode="group")
    return style(
        fig,
        f"{view.name}: air permit, on-site potential and expected emissions{suffix}",
        "Pollutant",
        "Emissions [t/yr]",
    )
