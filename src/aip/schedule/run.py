"""Time-to-power plans: resolve the timeline, solve the staged LP, report.

Entry points: :func:`plan_schedule` (used by :func:`aip.plan` when a scenario has
a ``timeline``) and :func:`reduction_check` (error of the representative days
against the full-year single-year plan).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np

from aip.errors import InfeasibleError, ScenarioError, SolverError
from aip.optimize.inputs import ModelInputs
from aip.optimize.run import optimize
from aip.optimize.solve import TerminationStatus, solve_problem
from aip.schedule.model import ScheduleInputs, build_schedule_model
from aip.schedule.periods import build_periods, period_bounds, step_average
from aip.schedule.result import ScheduleResult, period_rows, power_dates
from aip.schedule.timing import (
    MAX_HORIZON_YEARS,
    Bridge,
    add_years,
    bridges,
    compute_steps,
    grid_steps,
    in_service_dates,
)
from aip.schema import Scenario
from aip.schema.schedule import Timeline


def _timeline(scenario: Scenario) -> Timeline:
    timeline = getattr(scenario, "timeline", None)
    if timeline is None:
        raise ScenarioError.for_field(
            "timeline", None, "a timeline section", "add timeline: {decision_date: ...}"
        )
    return timeline


def horizon_end(
    timeline: Timeline,
    events: list[dt.date],
) -> dt.date:
    """End of the plan: the user's, else one period after the last event (capped)."""
    if timeline.horizon_end is not None:
        return timeline.horizon_end
    cap = add_years(timeline.decision_date, MAX_HORIZON_YEARS)
    last = max([timeline.decision_date, *events])
    after = period_bounds(last, add_years(last, 1.0), timeline.period_months)[0][1]
    return min(after, cap)


def earliest_full_power(
    peak_mw: float,
    inputs: ModelInputs,
    available: dict[str, dt.date],
    brs: list[Bridge],
    grid: list[tuple[dt.date, float]],
) -> dt.date | None:
    """First date when dispatchable capacity, bridges and the grid can cover ``peak_mw``.

    A necessary condition only (PV, wind and storage are not counted, as they
    cannot hold the peak alone); None when the allowed capacity never suffices.
    """
    events: list[tuple[dt.date, float, str]] = []
    for g in inputs.generators:
        if g.cf is None:
            key = getattr(g, "group_key", g.key)
            events.append((available.get(key, dt.date.min), g.p_nom_max, key))
    events += [(b.available_from, b.p_nom_max, b.key) for b in brs]
    dates = sorted({d for d, _, _ in events} | {d for d, _ in grid})
    for d in dates:
        firm = sum(mw for when, mw, _ in events if when <= d)
        firm += max([mw for when, mw in grid if when <= d], default=0.0)
        if firm >= peak_mw:
            return d
    return None


def _allowed_keys(inputs: ModelInputs) -> list[str]:
    """Technologies the plan may build (generator variants count as their technology)."""
    keys = [getattr(g, "group_key", g.key) for g in inputs.generators if g.p_nom_max > 0]
    return keys + [s.key for s in inputs.storage if s.p_nom_max > 0]


def schedule_inputs(
    scenario: Scenario, inputs: ModelInputs, *, no_delay: bool = False
) -> tuple[ScheduleInputs, tuple[dt.date, dt.date]]:
    """Resolve a scenario's timeline into the staged model's numbers.

    Returns the inputs and the dates of the first and last compute deliveries. With
    ``no_delay`` every lead time and queue is zero and the grid stands at its final
    limit from the decision date (the reference for the cost of delay).
    """
    tl = _timeline(scenario)
    compute = compute_steps(tl, scenario)
    grid = grid_steps(tl, scenario)
    available = in_service_dates(tl, scenario)
    brs = bridges(tl, scenario, inputs)
    allowed_dates = [available[k] for k in _allowed_keys(inputs) if k in available]
    events = [d for d, _ in compute] + [d for d, _ in grid] + allowed_dates
    events += [b.available_from for b in brs if b.p_nom_max > 0]
    end = horizon_end(tl, events)
    target = tl.target_full_power_date
    if target is not None and not no_delay:
        earliest = earliest_full_power(inputs.peak_load_mw, inputs, available, brs, grid)
        if earliest is None or earliest > target:
            shown = earliest.isoformat() if earliest else "never (not enough allowed capacity)"
            raise ScenarioError.for_field(
                "timeline.target_full_power_date",
                target.isoformat(),
                f"on or after the earliest feasible date {shown}, when dispatchable "
                f"capacity, bridges and the grid first reach the peak load "
                f"{inputs.peak_load_mw:.1f} MW",
                "move the target, shorten lead times (timeline.lead_time_years) or allow a "
                "bridge (timeline.bridge)",
            )
    if no_delay:
        final = grid[-1][1] if grid else 0.0
        grid = [(tl.decision_date, final)] if grid else []
        available = {k: tl.decision_date for k in available}
        brs = [dataclasses.replace(b, available_from=tl.decision_date) for b in brs]
    periods = build_periods(tl.decision_date, end, tl.period_months, tl.representative_days, inputs)
    si = ScheduleInputs(
        inputs=inputs,
        periods=periods,
        gpu_share=np.array([step_average(compute, p.start, p.end) for p in periods]),
        grid_limit_mw=np.array([step_average(grid, p.start, p.end) for p in periods]),
        available_from=available,
        bridges=brs,
        serve_all_from=None if no_delay else target,
    )
    return si, (compute[0][0], compute[-1][0])


def solve_schedule(si: ScheduleInputs) -> tuple[float, Any, Any]:
    """Build and solve the staged LP; returns ``(objective, variables, outcome)``."""
    lp, v = build_schedule_model(si)
    outcome = solve_problem(lp, si.inputs.time_limit_s, si.inputs.threads)
    if outcome.status == TerminationStatus.INFEASIBLE:
        raise InfeasibleError(
            "the staged plan is infeasible: timeline.target_full_power_date cannot be met on "
            "the representative days; fix: move the target later or allow more capacity"
        )
    if outcome.status != TerminationStatus.OPTIMAL:
        raise SolverError(
            f"HiGHS ended the staged plan with status {outcome.status.value!r}; "
            "fix: raise solver.time_limit_s or use fewer timeline.representative_days"
        )
    return outcome.objective, v, outcome


def plan_schedule(scenario: Scenario, inputs: ModelInputs, gpus: int) -> ScheduleResult:
    """The time-to-power plan of a scenario with a ``timeline``.

    Parameters
    ----------
    inputs : ModelInputs
        The single-year model's numbers at full build (:func:`aip.model_inputs`).
    gpus : int
        GPUs at full build (for GPU-hours).

    Examples
    --------
    >>> import aip
    >>> s = aip.load_scenario("examples/colossus-memphis.yaml")
    >>> r = plan_schedule(s, aip.model_inputs(s), 200_000)
    >>> r.first_power_date.isoformat()
    '2024-09-02'
    """
    si, (first_delivery, last_delivery) = schedule_inputs(scenario, inputs)
    objective, v, outcome = solve_schedule(si)
    ideal, _, _ = solve_schedule(schedule_inputs(scenario, inputs, no_delay=True)[0])
    mean_mw = float(inputs.load_mw.mean()) if inputs.load_mw.size else 0.0
    per_mwh = gpus / mean_mw if mean_mw > 0 else 0.0
    rows = period_rows(si, v, outcome, gpus, per_mwh)
    first, full = power_dates(si, rows, first_delivery, last_delivery)
    notes = []
    if full is None:
        notes.append(
            f"full power is not reached by the end of the plan ({si.periods[-1].end}); "
            "extend timeline.horizon_end or allow faster supply"
        )
    unserved_mwh = sum(r["unserved_mwh"] for r in rows)
    lease = sum(
        p.months * b.lease_usd_per_mw_month * r["p_nom_mw"][b.key]
        for p, r in zip(si.periods, rows, strict=True)
        for b in si.bridges
    )
    return ScheduleResult(
        periods=rows,
        first_power_date=first,
        full_power_date=full,
        cost_of_delay_usd=max(0.0, objective - ideal),
        objective_usd=objective,
        no_delay_objective_usd=ideal,
        idle_compute_usd=unserved_mwh * inputs.unserved_cost_usd_per_mwh,
        unserved_gpu_hours=unserved_mwh * per_mwh,
        lease_usd=lease,
        notes=notes,
        reduction_check=reduction_check(
            inputs, float(si.grid_limit_mw[-1]), si.periods[0].hours_index.size // 24
        )
        if _timeline(scenario).report_reduction_error
        else None,
    )


def reduction_check(
    inputs: ModelInputs, grid_limit_mw: float, representative_days: int = 2
) -> dict[str, float]:
    """Error of representative days against the full year, at full build.

    Solves the same steady state twice: aip's single-year hourly plan (firm
    capacity, CO2 and clean-share targets off, as in the staged model) and the
    staged model over one year of four quarters, all compute installed, the grid
    at ``grid_limit_mw`` and new capacity built in the first quarter only.

    Returns
    -------
    dict
        ``full_year_cost_usd``, ``representative_cost_usd`` [USD/yr] and their
        ``relative_error`` [-] (representative / full - 1).
    """
    grid = dataclasses.replace(inputs.grid, import_limit_mw=grid_limit_mw, enabled=True)
    targets = ("co2_cap_t_per_year", "nox_cap_t_per_year", "min_clean_share", "min_cfe_share")
    off: dict[str, Any] = {name: None for name in targets if hasattr(inputs, name)}
    steady = dataclasses.replace(
        inputs, grid=grid, firm_capacity=False, max_unserved_fraction=1.0, **off
    )
    full = optimize(steady).objective_usd_per_year
    start = dt.date(2001, 1, 1)  # a 365-day year: the four quarters hold 8760 hours
    periods = build_periods(start, dt.date(2002, 1, 1), 3, representative_days, steady)
    si = ScheduleInputs(
        inputs=steady,
        periods=periods,
        gpu_share=np.ones(len(periods)),
        grid_limit_mw=np.full(len(periods), grid_limit_mw),
        available_from={},
        bridges=[],
        build_until=periods[1].start,
    )
    reduced, _, _ = solve_schedule(si)
    return {
        "full_year_cost_usd": full,
        "representative_cost_usd": reduced,
        "relative_error": reduced / full - 1.0 if full else 0.0,
        "representative_days_per_quarter": float(representative_days),
    }
