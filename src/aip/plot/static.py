"""Static PNG export of the figures with matplotlib, for slides.

Plotly's own exporter (kaleido) drives a Chrome it downloads on first use, which
is not allowed offline, so this module redraws a Plotly figure's data with
matplotlib instead. It understands the trace kinds our figures use (bars,
horizontal bars, waterfalls, stacked step areas, lines, horizontal reference
lines, one row of subplots); the PNG therefore shows the same numbers, colours,
titles and axis units as the interactive figure.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from aip.errors import AipError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _axis_index(ref: str | None) -> int:
    """'x' -> 0, 'x2' -> 1, ... (subplot position of a trace)."""
    digits = (ref or "x")[1:]
    return int(digits) - 1 if digits else 0


def _values(seq: Any) -> list[Any]:
    return [] if seq is None else list(seq)


def _colors(marker_color: Any, n: int) -> list[Any]:
    if isinstance(marker_color, list | tuple | np.ndarray):
        return list(marker_color)
    return [marker_color or "#4e79a7"] * n


def _title(obj: Any) -> str:
    text = getattr(getattr(obj, "title", None), "text", None)
    return str(text) if text else ""


def _xvalues(seq: Any) -> np.ndarray:
    """Trace x values; ISO dates (time-to-power periods) become datetimes."""
    values = _values(seq)
    if values and isinstance(values[0], str) and _ISO_DATE.match(values[0]):
        return np.asarray(pd.to_datetime(values, format="ISO8601"))
    return np.asarray(values)


def _hatch(t: Any) -> str | None:
    """Plotly's bar pattern shape as a matplotlib hatch (leased bridges are hatched)."""
    shape = getattr(getattr(t.marker, "pattern", None), "shape", None)
    return shape if isinstance(shape, str) and shape else None


def _draw_placed_bars(ax: Axes, t: Any, stacks: dict[Any, list[float]]) -> None:
    """Bars with an explicit offset and width (e.g. a period on a date axis)."""
    x = _xvalues(t.x)
    vals = np.asarray(_values(t.y), dtype=float)
    width = np.broadcast_to(np.asarray(0.8 if t.width is None else t.width, dtype=float), x.shape)
    offset = float(t.offset)
    if np.issubdtype(x.dtype, np.datetime64):
        width = width / 86_400_000.0  # Plotly: milliseconds; matplotlib dates: days
        x = x + np.timedelta64(int(offset), "ms")
    else:
        x = x.astype(float) + offset
    bottoms = [stacks[str(c)][0 if v >= 0 else 1] for c, v in zip(x, vals, strict=True)]
    ax.bar(
        x, vals, width=width, bottom=bottoms, align="edge", color=_colors(t.marker.color, len(x)),
        hatch=_hatch(t), edgecolor="white", linewidth=0.5, label=t.name,
    )  # fmt: skip
    for c, v in zip(x, vals, strict=True):
        stacks[str(c)][0 if v >= 0 else 1] += v


def _draw_bars(ax: Axes, traces: list[Any], barmode: str | None) -> None:
    grouped = [t for t in traces if t.type == "bar"]
    width = 0.8 / max(len(grouped), 1) if barmode == "group" else 0.8
    stacks: dict[str, float] = defaultdict(float)
    # relative mode stacks positive and negative values apart, as Plotly does
    signed: dict[Any, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for i, t in enumerate(grouped):
        horizontal = t.orientation == "h"
        if t.offset is not None and not horizontal:
            _draw_placed_bars(ax, t, signed)
            continue
        cats = [str(c) for c in _values(t.y if horizontal else t.x)]
        vals = np.asarray(_values(t.x if horizontal else t.y), dtype=float)
        colors = _colors(t.marker.color, len(vals))
        label = t.name if t.showlegend is not False else None
        if horizontal:
            left = float(t.base) if isinstance(t.base, int | float) else 0.0
            ax.barh(cats, vals, left=left, color=colors, label=label)
            if i == 0 or barmode != "overlay":
                ax.invert_yaxis()
            continue
        if barmode == "group":
            pos = np.arange(len(cats)) + (i - (len(grouped) - 1) / 2) * width
            ax.bar(pos, vals, width=width, color=colors, label=label)
            ax.set_xticks(np.arange(len(cats)), cats)
        elif barmode == "relative":
            bottoms = [signed[c][0 if v >= 0 else 1] for c, v in zip(cats, vals, strict=True)]
            ax.bar(cats, vals, width=width, bottom=bottoms, color=colors, label=label)
            for c, v in zip(cats, vals, strict=True):
                signed[c][0 if v >= 0 else 1] += v
        else:
            bottoms = [stacks[c] for c in cats]
            ax.bar(cats, vals, width=width, bottom=bottoms, color=colors, label=label)
            for c, v in zip(cats, vals, strict=True):
                stacks[c] += v


def _draw_waterfall(ax: Axes, t: Any) -> None:
    cats = [str(c) for c in _values(t.x)]
    level = 0.0
    for cat, value, measure in zip(cats, _values(t.y), _values(t.measure), strict=True):
        if measure == "total":
            ax.bar(cat, value, color=t.totals.marker.color)
            level = float(value)
        else:
            color = (t.increasing if value >= 0 else t.decreasing).marker.color
            ax.bar(cat, value, bottom=level, color=color)
            level += float(value)
    ax.tick_params(axis="x", labelrotation=30)


def _draw_scatter(ax: Axes, traces: list[Any]) -> None:
    stacks: dict[str, np.ndarray] = {}
    for t in traces:
        if t.type != "scatter":
            continue
        x = _xvalues(t.x)
        y = np.asarray(_values(t.y), dtype=float)
        dash = {"dash": "--", "dot": ":"}.get(str(t.line.dash), "-")
        step = t.line.shape == "hv"
        if t.stackgroup:
            base = stacks.get(t.stackgroup, np.zeros_like(y))
            top = base + y
            ax.fill_between(
                x,
                base,
                top,
                step="post" if step else None,
                color=t.fillcolor,
                label=t.name,
                linewidth=0,
            )
            stacks[t.stackgroup] = top
        elif step:
            ax.step(x, y, where="post", color=t.line.color, label=t.name, linewidth=1.5)
        else:
            label = t.name if t.showlegend is not False else f"_{t.name}"
            ax.plot(x, y, color=t.line.color, label=label, linewidth=1.5, linestyle=dash)


def to_matplotlib(fig: go.Figure) -> Figure:
    """Redraw a Plotly figure of :mod:`aip.plot` as a matplotlib figure."""
    layout = fig.layout
    n_axes = max([_axis_index(getattr(t, "xaxis", None)) for t in fig.data] + [0]) + 1
    # subplots that share one x domain are stacked in rows (time to power), else columns
    stacked = n_axes > 1 and tuple(layout.xaxis.domain or ()) == tuple(
        layout[f"xaxis{n_axes}"].domain or ()
    )
    if stacked:
        out = Figure(figsize=(9.0, 2.6 + 2.6 * n_axes), layout="constrained")
        axes = out.subplots(n_axes, 1, squeeze=False, sharex=True)[:, 0]
    else:
        out = Figure(figsize=(max(8.0, 3.2 * n_axes), 4.8), layout="constrained")
        axes = out.subplots(1, n_axes, squeeze=False)[0]
    for k, ax in enumerate(axes):
        traces = [t for t in fig.data if _axis_index(getattr(t, "xaxis", None)) == k]
        _draw_bars(ax, traces, layout.barmode)
        for t in traces:
            if t.type == "waterfall":
                _draw_waterfall(ax, t)
        _draw_scatter(ax, traces)
        suffix = "" if k == 0 else str(k + 1)
        ax.set_xlabel(_title(layout[f"xaxis{suffix}"]))
        ax.set_ylabel(_title(layout[f"yaxis{suffix}"]))
        ax.grid(alpha=0.3)
        if not any(t.type == "bar" and t.orientation == "h" for t in traces):
            ax.axhline(0.0, color="#888888", linewidth=0.6)
    if n_axes > 1:
        for ax, note in zip(axes, layout.annotations, strict=False):
            ax.set_title(note.text, fontsize=10)
    for shape in layout.shapes:
        if shape.type == "line" and shape.y0 == shape.y1 and shape.y0 is not None:
            axes[0].axhline(float(shape.y0), color="#555555", linestyle="--", linewidth=1)
        elif shape.type == "line" and shape.x0 == shape.x1 and shape.x0 is not None:
            axes[0].axvline(float(shape.x0), color="#555555", linestyle="--", linewidth=1)
    if n_axes == 1:
        for note in layout.annotations:
            if isinstance(note.y, int | float):
                axes[0].annotate(
                    note.text,
                    (0.01, float(note.y)),
                    xycoords=("axes fraction", "data"),
                    fontsize=8,
                    va="bottom",
                )
    out.suptitle(_title(layout), x=0.01, ha="left", fontsize=12)
    handles, labels = [], []
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            if lab not in labels and not lab.startswith("_"):
                handles.append(h)
                labels.append(lab)
    if handles:
        out.legend(
            handles,
            labels,
            loc="outside lower center",
            ncols=min(len(labels), 5),
            fontsize=8,
            frameon=False,
        )
    return out


def write_png(fig: go.Figure, path: str | Path, dpi: int = 150) -> Path:
    """Write a figure to a PNG file with matplotlib (offline, no browser).

    Parameters
    ----------
    fig : plotly Figure
        A figure made by :mod:`aip.plot`.
    path : str or Path
        File to write; its folder is created.
    dpi : int
        Resolution [dots per inch].
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        to_matplotlib(fig).savefig(target, dpi=dpi)
    except OSError as exc:
        raise AipError(f"cannot write PNG {target}: {exc.strerror or exc}") from None
    return target
