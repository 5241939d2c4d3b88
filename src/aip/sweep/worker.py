"""What a worker does with a chunk of cases: plan each one and return summary rows.

Workers never write to the results store; they return plain data that the
parent process records. Any failure of a case (invalid input, infeasible,
solver trouble, even a bug) becomes a ``failed`` row with its reason, so one bad
case never stops a sweep.
"""

from __future__ import annotations

import math
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from aip.demand.campus import campus_profiles, gpu_count
from aip.optimize.aggregate import aggregate_inputs
from aip.optimize.calibrate import Calibration, CalibrationSettings, calibrate_screening
from aip.optimize.full_year_check import check_or_reason
from aip.optimize.inputs import ModelInputs
from aip.optimize.prepare import prepare_inputs
from aip.results.plan import PlanResult
from aip.schema import parse_scenario
from aip.site import resolve_site
from aip.sweep.cases import Case
from aip.sweep.warm import thread_solver


@dataclass(frozen=True)
class CaseOutcome:
    """One solved (or failed) case, ready to store."""

    case_id: str
    index: int
    status: str  # "ok" or "failed"
    error: str | None
    seconds: float
    outputs: dict[str, Any] = field(default_factory=dict)
    hourly: pd.DataFrame | None = None


def summary_columns(result: PlanResult) -> dict[str, Any]:
    """Flat summary outputs of a plan, named like the JSON summary (``p_nom_mw.pv``).

    Examples
    --------
    >>> from aip.optimize import optimize
    >>> from aip.optimize.examples import two_hour_example
    >>> cols = summary_columns(optimize(two_hour_example()))
    >>> cols["p_nom_mw.pv"], round(cols["objective_usd_per_year"])
    (100.0, 106000)
    """
    out: dict[str, Any] = {
        "objective_usd_per_year": result.objective_usd_per_year,
        "lcoe_usd_per_mwh": _finite(result.lcoe_usd_per_mwh),
        "power_cost_usd_per_gpu_hour": _finite(result.power_cost_usd_per_gpu_hour),
        "clean_share": result.clean_share,
        "unserved_mwh": result.unserved_mwh,
        "facility_mw_peak": result.load.facility_mw_peak,
        "facility_energy_mwh": result.load.facility_energy_mwh,
    }
    groups = {
        "p_nom_mw": result.p_nom_mw,
        "e_nom_mwh": result.e_nom_mwh,
        "energy_mwh": result.energy_mwh,
        "cost_usd_per_year": result.cost_usd_per_year,
        "emissions_t_per_year": result.emissions_t_per_year,
    }
    for group, values in groups.items():
        out.update({f"{group}.{key}": float(value) for key, value in values.items()})
    # the N+k loss the plan holds (the largest unit it builds) and the LPs that took
    out["contingency_mw"] = result.inputs.contingency_mw
    out["lps_solved"] = result.sections.get("contingency", {}).get("lps_solved", 1)
    out["snapshots"] = result.inputs.n_snapshots  # 8760, or 24 x typical days when screening
    out["solve_seconds"] = result.solve.seconds
    out["simplex_iterations"] = result.solve.simplex_iterations
    return out


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


#: One case at a time per process: HiGHS's stdout redirect (a process-wide dup2) is not
#: thread-safe, so threads of one Dask worker take turns; parallelism comes from processes.
_PIPELINE_LOCK = threading.Lock()


def plan_case(case: Case, *, warm_start: bool = True, hourly: bool = False) -> CaseOutcome:
    """Plan one case; never raises for a bad case."""
    if case.scenario is None:
        return CaseOutcome(case.case_id, case.index, "failed", case.error, 0.0)
    with _PIPELINE_LOCK:
        return _plan_case(case, warm_start, hourly)


@dataclass(frozen=True)
class PreparedCase:
    """A case's model inputs, ready to build and solve."""

    full: ModelInputs  # every hour of the year
    inputs: ModelInputs  # what is solved: ``full`` or its typical days
    site_frame: pd.DataFrame | None
    gpus: int
    check_full_year: bool
    calibration: CalibrationSettings | None = None  # calibrate the screening's targets

    def solve(
        self, solve: Callable[[ModelInputs], PlanResult]
    ) -> tuple[PlanResult, Calibration | None]:
        """Plan ``inputs`` with ``solve``, calibrating the targets where asked."""
        if self.calibration is None:
            return solve(self.inputs), None
        return calibrate_screening(self.full, self.inputs, solve, self.calibration)


def prepare_case(case: Case) -> PreparedCase:
    """Parse the case's scenario and prepare its model inputs (raises on bad input)."""
    assert case.scenario is not None
    scenario = parse_scenario(case.scenario, source=f"case {case.index}")
    site = resolve_site(scenario.site)  # the weather file is read once per process
    table = campus_profiles(scenario, site)
    full = prepare_inputs(scenario, site, table)
    inputs = full
    site_frame: pd.DataFrame | None = table.drop(columns=["facility_load_mw"])
    calibration = None
    options = scenario.solver
    if options.typical_days is not None:
        inputs, site_frame, info = aggregate_inputs(full, options.typical_days, site_frame)
        if options.calibrate_targets:
            calibration = CalibrationSettings(
                info.key, options.calibration_checks, options.calibration_reuse_within
            )
    return PreparedCase(
        full, inputs, site_frame, gpu_count(scenario), options.check_full_year, calibration
    )


def failed_outcome(case: Case, exc: BaseException, start: float) -> CaseOutcome:
    """A failed case is data, not a crash of the sweep: its row says why."""
    reason = " ".join(str(exc).split()) or type(exc).__name__
    if not isinstance(exc, ValueError | RuntimeError | LookupError):
        reason = f"{type(exc).__name__}: {reason}"
    return CaseOutcome(case.case_id, case.index, "failed", reason, time.perf_counter() - start)


def finished_outcome(
    case: Case,
    prepared: PreparedCase,
    result: PlanResult,
    mode: str,
    hourly: bool,
    start: float,
    calibration: Calibration | None = None,
) -> CaseOutcome:
    """The stored row of a planned case (with its calibration and full-year check, if
    asked for).

    ``mode`` says how it was solved (the ``warm_start`` column).
    """
    outputs = summary_columns(result)
    if calibration is not None:
        outputs.update(calibration_columns(calibration))
    if prepared.check_full_year:
        known = calibration.known_check if calibration is not None else None
        check = check_or_reason(prepared.full, result, known)
        if isinstance(check, str):  # the screening plan stands; the row says why
            outputs["full_year_check.error"] = check
        else:
            outputs["full_year_check.cost_usd_per_year"] = check.cost_usd_per_year
            outputs["full_year_check.difference"] = check.difference
            # names of the targets the screened plan misses over 8760 h ("" when it meets all)
            outputs["full_year_check.targets_missed"] = ",".join(sorted(check.targets_missed))
            # each target's value over the full year (``full_year_check.min_cfe_share``...)
            outputs.update({f"full_year_check.{k}": v for k, v in check.targets_reached.items()})
    outputs["warm_start"] = mode
    outputs["worker"] = f"{socket.gethostname()}:{os.getpid()}"
    frame = result.hourly.reset_index() if hourly else None
    return CaseOutcome(
        case.case_id, case.index, "ok", None, time.perf_counter() - start, outputs, frame
    )


def calibration_columns(calibration: Calibration) -> dict[str, Any]:
    """A calibration's sweep columns (``calibration.checks``, ``calibration.min_cfe_share``...)."""
    out: dict[str, Any] = {
        "calibration.checks": calibration.checks,
        "calibration.reused": calibration.reused,
        "calibration.converged": calibration.converged,
    }
    # the target each typical-day model was solved with
    out.update({f"calibration.{k}": v for k, v in calibration.screened_at.items()})
    if calibration.note:
        out["calibration.note"] = calibration.note
    return out


def _plan_case(case: Case, warm_start: bool, hourly: bool) -> CaseOutcome:
    start = time.perf_counter()
    try:
        prepared = prepare_case(case)
    except Exception as exc:
        return failed_outcome(case, exc, start)
    return plan_prepared(case, prepared, start, warm_start, hourly)


def plan_prepared(
    case: Case, prepared: PreparedCase, start: float, warm_start: bool, hourly: bool
) -> CaseOutcome:
    """Plan a prepared case with this thread's (warm-starting) HiGHS solver."""
    solver = thread_solver(warm_start)
    try:
        result, calibration = prepared.solve(
            lambda model: solver.optimize(model, site_frame=prepared.site_frame, gpus=prepared.gpus)
        )
    except Exception as exc:
        return failed_outcome(case, exc, start)
    return finished_outcome(case, prepared, result, solver.last_mode, hourly, start, calibration)


def plan_chunk(
    cases: list[Case], warm_start: bool = True, hourly: bool = False
) -> list[CaseOutcome]:
    """Plan cases in order on one worker, so neighbours warm-start from each other."""
    return [plan_case(c, warm_start=warm_start, hourly=hourly) for c in cases]
