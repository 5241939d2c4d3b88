"""One figure as a self-contained HTML page (plotly.js inline: works offline, no CDN)."""

from __future__ import annotations

import html as _html
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from aip.io.atomic import write_atomic


def figure_page(figure: go.Figure, title: str) -> str:
    """HTML of one figure with plotly.js embedded."""
    body = pio.to_html(
        figure, include_plotlyjs=True, full_html=False, config={"displaylogo": False}
    )
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_html.escape(title)}</title></head><body>{body}</body></html>"
    )


def write_figure_page(figure: go.Figure, path: str | Path, title: str) -> Path:
    """Write :func:`figure_page` atomically; returns the path."""
    return write_atomic(Path(path), figure_page(figure, title))
