"""One colour and one display name per supply source, used by every figure.

A technology keeps its colour in every figure and report (capacity mix, dispatch,
duration curve, emissions), so a reader learns the palette once. Colours follow
the conventions of energy-system plots (gas greys and oranges, nuclear purple,
solar yellow, wind blue, storage teal, unserved red); the exact hex values are
our choice (assumption: legibility on white and for common colour-vision
deficiencies, checked by eye, not by a tool).
"""

from __future__ import annotations

import hashlib

import plotly.graph_objects as go

# Catalogue keys (see `aip catalog technologies`) plus the non-technology sources.
COLORS: dict[str, str] = {
    "gas_aero": "#f28e2b",
    "gas_frame": "#e15759",
    "gas_cc": "#b07aa1",
    "gas_recip": "#9c755f",
    "nuclear": "#6a3d9a",
    "nuclear_smr": "#8e6cbf",
    "nuclear_ppa": "#4b2a7b",
    "coal": "#3b3b3b",
    "pv": "#f1c232",
    "wind": "#4e79a7",
    "battery": "#17becf",
    "diesel": "#7f7f7f",
    "grid": "#59a14f",
    "unserved": "#d62728",
    "curtailed": "#ff9896",
    "spill": "#bab0ac",
    "load": "#111111",
}

# Display names for sources that are not catalogue technologies.
LABELS: dict[str, str] = {
    "grid": "Grid import",
    "unserved": "Unserved load",
    "curtailed": "Paused compute",
    "spill": "Spilled surplus",
    "load": "Facility load",
}

# Fallback colours for keys the palette does not know (user technologies): a stable
# pick from a qualitative set, so the same unknown key gets the same colour everywhere.
_FALLBACK = ("#76b7b2", "#edc948", "#ff9da7", "#86bcb6", "#d37295", "#a0cbe8", "#8cd17d")

FONT_FAMILY = "Helvetica, Arial, sans-serif"  # system fonts only: the report works offline


def color_for(key: str) -> str:
    """The colour of a source key (technology key, ``grid``, ``unserved``, ...).

    Examples
    --------
    >>> color_for("pv")
    '#f1c232'
    >>> color_for("my_turbine") == color_for("my_turbine")
    True
    """
    if key in COLORS:
        return COLORS[key]
    base = key.split("+", 1)[0]  # NOx-control variants (gas_aero+scr) keep their family's colour
    if base in COLORS:
        return COLORS[base]
    digest = hashlib.sha1(key.encode("utf-8")).digest()
    return _FALLBACK[digest[0] % len(_FALLBACK)]


def style(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    """Apply the house style: a title that says what is shown, units on both axes.

    Parameters
    ----------
    title : str
        What the figure shows, in words.
    x_title, y_title : str
        Axis titles with units in brackets, e.g. ``"Power [MW]"``.
    """
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        template="plotly_white",
        font={"family": FONT_FAMILY, "size": 12, "color": "#222222"},
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0.0},
        margin={"l": 70, "r": 20, "t": 60, "b": 90},
        height=430,
    )
    fig.update_xaxes(title_text=x_title, showline=True, linecolor="#888888")
    fig.update_yaxes(title_text=y_title, showline=True, linecolor="#888888", zeroline=True)
    return fig
