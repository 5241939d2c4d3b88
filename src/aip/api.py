"""The public Python API: scenario in, plan out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from aip.demand.campus import campus_profiles, gpu_count
from aip.emissions.permits import permit_view
from aip.finance.evaluate import finance_plan
from aip.optimize.aggregate import aggregate_inputs
from aip.optimize.calibrate import CalibrationSettings, calibrate_screening
from aip.optimize.full_year_check import check_or_reason
from aip.optimize.inputs import ModelInputs
from aip.optimize.prepare import prepare_inputs
from aip.optimize.run import optimize
from aip.reliability.section import reliability_section
from aip.report.context import scenario_info
from aip.results.plan import PlanResult
from aip.schedule import plan_schedule
from aip.schema import Scenario, load_scenario, parse_scenario
from aip.site import resolve_site


def _as_scenario(scenario: Scenario | str | Path | dict[str, object]) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, str | Path):
        return load_scenario(scenario)
    return parse_scenario(scenario)


def hourly_profiles(scenario: Scenario | str | Path | dict[str, object]) -> pd.DataFrame:
    """Hourly site and load profiles of a scenario (no optimisation).

    Examples
    --------
    >>> import aip
    >>> table = aip.hourly_profiles("examples/colossus-memphis.yaml")
    >>> len(table), bool(table["pue"].min() >= 1.0)
    (8760, True)
    """
    s = _as_scenario(scenario)
    return campus_profiles(s, resolve_site(s.site))


def model_inputs(scenario: Scenario | str | Path | dict[str, object]) -> ModelInputs:
    """The resolved numbers of the campus model, without solving it.

    With ``solver.typical_days`` these are the typical-day numbers that
    :func:`plan` solves.
    """
    s = _as_scenario(scenario)
    site = resolve_site(s.site)
    inputs = prepare_inputs(s, site, campus_profiles(s, site))
    if s.solver.typical_days is not None:
        inputs, _, _ = aggregate_inputs(inputs, s.solver.typical_days)
    return inputs


def plan(scenario: Scenario | str | Path | dict[str, object]) -> PlanResult:
    """Plan the cheapest power supply for a campus.

    Parameters
    ----------
    scenario : Scenario, path or mapping
        A validated scenario, a YAML/JSON file, or a mapping of its fields.

    Returns
    -------
    PlanResult

    Raises
    ------
    ScenarioError, DataError
        Invalid input, with the field and the fix in one line.
    InfeasibleError
        No plan meets the requirements; the message says what to relax.

    Examples
    --------
    >>> import aip
    >>> result = aip.plan("examples/loudoun-grid.yaml")
    >>> result.status.value
    'optimal'
    """
    s = _as_scenario(scenario)
    site = resolve_site(s.site)
    table = campus_profiles(s, site)
    inputs = prepare_inputs(s, site, table)
    site_frame: pd.DataFrame | None = table.drop(columns=["facility_load_mw"])
    solved = inputs
    aggregation = None
    if s.solver.typical_days is not None:
        solved, site_frame, aggregation = aggregate_inputs(
            inputs, s.solver.typical_days, site_frame
        )
    gpus = gpu_count(s)

    def solve(model: ModelInputs) -> PlanResult:
        return optimize(model, site_frame=site_frame, gpus=gpus)

    calibration = None
    if aggregation is not None and s.solver.calibrate_targets:
        settings = CalibrationSettings(
            aggregation.key, s.solver.calibration_checks, s.solver.calibration_reuse_within
        )
        result, calibration = calibrate_screening(inputs, solved, solve, settings)
    else:
        result = solve(solved)
    if aggregation is not None:
        section = aggregation.summary()
        if calibration is not None:
            section["calibration"] = calibration.summary()
        if s.solver.check_full_year:  # its summary only: the hourly table is not reported
            known = calibration.known_check if calibration is not None else None
            check = check_or_reason(inputs, result, known)
            section["full_year_check"] = (
                {"error": check} if isinstance(check, str) else check.summary()
            )
        result = result.with_section("time_aggregation", section)
    result = result.with_section(
        "permits", permit_view(result, s.permits, s.constraints.nox_cap_t_per_year)
    )
    result = result.with_section("scenario_info", scenario_info(s, site))
    if s.timeline is not None:
        result = result.with_section("schedule", plan_schedule(s, inputs, gpu_count(s)).to_dict())
    if s.finance is not None:
        result = result.with_section("finance", finance_plan(result, s, s.finance).summary())
    if s.reliability is not None:
        result = result.with_section("reliability", reliability_section(result, s, plan))
    return result
