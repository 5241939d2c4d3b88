"""Self-contained HTML report of a plan (figures, key numbers, sources).

``write_report(source, path)`` takes a :class:`~aip.results.plan.PlanResult` or a
plan output folder; ``load_plan_dir(folder)`` rebuilds the figures' view from
the files ``aip plan --out`` writes. Plotly is imported only when a report is
made, so ``aip.report.context`` (used by every plan) stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aip.report.html import render_report, write_report
    from aip.report.load import load_plan_dir

__all__ = ["load_plan_dir", "render_report", "write_report"]


def __getattr__(name: str) -> Any:
    if name in ("render_report", "write_report"):
        from aip.report import html

        return getattr(html, name)
    if name == "load_plan_dir":
        from aip.report.load import load_plan_dir

        return load_plan_dir
    raise AttributeError(f"module 'aip.report' has no attribute {name!r}")
