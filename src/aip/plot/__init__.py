"""Figures of plan results (Plotly), shared by the HTML report and the web app.

Every figure function takes a :class:`PlanView` (from :func:`from_result` or
:func:`aip.report.load_plan_dir`) and returns a ``plotly.graph_objects.Figure``;
one colour per technology everywhere (:mod:`aip.plot.palette`), units on every
axis. :func:`write_png` renders a figure to PNG with matplotlib (no browser).
"""

from aip.plot.capacity import capacity_mix
from aip.plot.costs import cost_waterfall
from aip.plot.dispatch import dispatch_week
from aip.plot.duration import load_duration
from aip.plot.emissions import emissions_by_source, permit_view
from aip.plot.figures import PLAN_FIGURES, plan_figures
from aip.plot.palette import color_for
from aip.plot.static import write_png
from aip.plot.view import PlanView, from_result

__all__ = [
    "PLAN_FIGURES",
    "PlanView",
    "capacity_mix",
    "color_for",
    "cost_waterfall",
    "dispatch_week",
    "emissions_by_source",
    "from_result",
    "load_duration",
    "permit_view",
    "plan_figures",
    "write_png",
]
