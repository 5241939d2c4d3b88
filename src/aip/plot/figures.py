"""The list of figures a plan gets, in report order.

Each entry is ``(name, title, function)``; a function takes a
:class:`~aip.plot.view.PlanView` and returns a Plotly figure, or ``None`` when the
plan lacks the data (e.g. no ``permits`` section). A later subject (schedule
Gantt, reliability, finance, sweeps, portfolio) adds one module with such a
function and one line here; the report and the PNG export pick it up.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go

from aip.plot.capacity import capacity_mix
from aip.plot.costs import cost_waterfall
from aip.plot.dispatch import dispatch_week
from aip.plot.duration import load_duration
from aip.plot.emissions import emissions_by_source, permit_view
from aip.plot.finance import finance_cash_flows, finance_tornado
from aip.plot.reliability import reliability_chart
from aip.plot.schedule import schedule_gantt
from aip.plot.view import PlanView

FigureFunction = Callable[[PlanView], go.Figure | None]

PLAN_FIGURES: list[tuple[str, str, FigureFunction]] = [
    ("capacity", "Capacity mix", capacity_mix),
    ("dispatch", "Hourly dispatch (one week)", dispatch_week),
    ("duration", "Load duration curve", load_duration),
    ("costs", "Cost breakdown", cost_waterfall),
    ("emissions", "Emissions by source", emissions_by_source),
    ("permits", "Air permit", permit_view),
    ("schedule", "Time to power (staged plan)", schedule_gantt),
    ("cashflows", "Annual cash flows", finance_cash_flows),
    ("tornado", "Sensitivity of project NPV", finance_tornado),
    ("reliability", "Availability and the cost of nines", reliability_chart),
]


def plan_figures(view: PlanView) -> dict[str, go.Figure]:
    """Every figure the plan has data for, by name, in report order.

    Examples
    --------
    >>> import aip
    >>> from aip.plot import from_result, plan_figures
    >>> list(plan_figures(from_result(aip.plan("examples/loudoun-grid.yaml"))))[:3]
    ['capacity', 'dispatch', 'duration']
    """
    out: dict[str, go.Figure] = {}
    for name, _, function in PLAN_FIGURES:
        fig = function(view)
        if fig is not None:
            out[name] = fig
    return out
