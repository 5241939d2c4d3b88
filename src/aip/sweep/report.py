"""Human and JSON output of sweeps for the command line (``aip sweep``, ``aip results``)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table

from aip.errors import InfeasibleError, ScenarioError
from aip.sweep.engine import SweepSummary, run_sweep
from aip.sweep.store import read_results

#: Columns shown by ``aip results`` without --sql (the rest are in --json).
_SHOWN = (
    "case_index",
    "status",
    "objective_usd_per_year",
    "lcoe_usd_per_mwh",
    "power_cost_usd_per_gpu_hour",
    "seconds",
    "error",
)


def run_sweep_cli(
    sweep_file: Path,
    db: Path | None,
    engine: str,
    scheduler: str | None,
    workers: int | None,
    retry_failed: bool,
) -> SweepSummary:
    """Validate the CLI options and run the sweep with a progress bar on stderr."""
    if engine not in ("local", "dask"):
        raise ScenarioError.for_field("--engine", engine, "'local' or 'dask'", "pick one")
    if workers is not None and workers < 1:
        raise ScenarioError.for_field("--workers", workers, "an integer >= 1")
    if scheduler and engine != "dask":
        raise ScenarioError.for_field("--scheduler", scheduler, "used with --engine dask")
    return run_sweep(
        sweep_file,
        db,
        engine="dask" if engine == "dask" else "local",
        workers=workers,
        scheduler=scheduler,
        retry_failed=retry_failed,
        console=Console(stderr=True),
    )


def check_something_solved(summary: SweepSummary) -> None:
    """Raise :class:`InfeasibleError` (exit 3) when a run solved no case: its rows are
    stored and its reasons printed, and the run still planned nothing. A resumed run
    with nothing new to do passes."""
    if summary.failed and not summary.ok and not summary.skipped:
        raise InfeasibleError(
            f"no case of the sweep was solved ({summary.failed} failed, reasons above and "
            "in the results' `error` column); fix the grid or the base scenario"
        )


def print_sweep_summary(summary: SweepSummary, out: Console, json_output: bool) -> None:
    """The end-of-sweep summary: counts, throughput, failures grouped by reason."""
    if json_output:
        sys.stdout.write(json.dumps(summary.to_dict(), indent=2) + "\n")
        return
    where = (
        "in this process, batch solver"
        if summary.engine == "batch"
        else f"on {summary.workers} {summary.engine} workers"
    )
    out.print(
        f"sweep {summary.name}: {summary.cases} cases, {summary.skipped} already done, "
        f"{summary.ok} ok, {summary.failed} failed, {summary.not_run} not run; "
        f"{summary.seconds:,.1f} s ({summary.cases_per_minute:,.1f} cases/min {where}); "
        f"store {summary.db}"
    )
    if summary.warm_modes:
        modes = ", ".join(f"{k} {v}" for k, v in sorted(summary.warm_modes.items()))
        out.print(f"solves: {modes}")
    reasons = summary.failure_reasons()
    if reasons:
        table = Table(title="Failures by reason")
        table.add_column("cases", justify="right")
        table.add_column("reason")
        for reason, count in list(reasons.items())[:20]:
            table.add_row(str(count), reason)
        out.print(table)
    if summary.not_run:
        out.print("some cases did not run; run the same command again to resume")


#: Wider query results are printed as CSV instead of a table.
_MAX_TABLE_COLUMNS = 10


def print_results(db: Path, sql: str | None, out: Console, json_output: bool) -> None:
    """Print a query of the store as a table or as JSON records."""
    frame = read_results(db, sql)
    if json_output:
        records = [_jsonable(r) for r in frame.to_dict(orient="records")]
        sys.stdout.write(json.dumps(records, indent=2, default=str) + "\n")
        return
    columns = list(frame.columns) if sql else [c for c in _SHOWN if c in frame.columns]
    if len(columns) > _MAX_TABLE_COLUMNS:
        # a terminal table of dozens of columns is unreadable: CSV can be piped or opened
        sys.stdout.write(frame.head(200)[columns].to_csv(index=False))
        if len(frame) > 200:
            out.print(f"... {len(frame) - 200} more rows; use --sql or --json")
        return
    table = Table(title=f"{db} ({len(frame)} rows)")
    for column in columns:
        table.add_column(str(column))
    for _, row in frame.head(200).iterrows():
        table.add_row(*[_cell(row[c]) for c in columns])
    out.print(table)
    if len(frame) > 200:
        out.print(f"... {len(frame) - 200} more rows; use --sql or --json")


def _jsonable(record: dict[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        if (
            (isinstance(value, float) and not math.isfinite(value))
            or value is pd.NA
            or value is None
        ):
            out[str(key)] = None
        elif hasattr(value, "item"):
            out[str(key)] = value.item()
        else:
            out[str(key)] = value
    return out


def _cell(value: object) -> str:
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:,.4g}"
    return str(value)
