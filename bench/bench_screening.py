"""Screening (typical days) against full resolution, plan by plan in a sweep.

Screening is for studies of many plans, so it is timed where it is used: a sweep over gas
prices on one site, one worker, run once at full hourly resolution (the default solver,
``auto``) and once per number of typical days. A case's seconds are the sweep's own
per-case timing: scenario checks, profiles, clustering where asked, build, solve and
results. The weather file is read once per process and the clustering once per site and
number of days (the first screening case pays tsam's import and the clustering: the
median of five is not moved by that one case, the sweep wall time includes it). Cost
error per case is (screening objective - full objective) / full objective.

A third sweep per number of days adds ``solver.check_full_year``: each screened plan's
capacities dispatched over the full year, its cost against the full optimum and the
targets it misses there.

Run: ``.venv/bin/python bench/bench_screening.py`` (about 6 minutes on 2 cores); writes
``bench/results/<date>-screening.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import statistics
import tempfile
from pathlib import Path
from typing import Any

import yaml

from aip.optimize.calibrate import MINIMA
from aip.optimize.full_year_check import TARGETS
from aip.sweep import read_results, run_sweep

ROOT = Path(__file__).resolve().parents[1]
CASES = {
    "easy": ROOT / "bench" / "cases" / "easy.yaml",
    "hard": ROOT / "bench" / "cases" / "hard.yaml",
    "cfe": ROOT / "bench" / "cases" / "cfe.yaml",
    "cfe-abilene": ROOT / "examples" / "cfe-abilene.yaml",
}
TARGET_NAMES = {target for target, _ in TARGETS.values()}
GAS = "economics.fuel_prices_usd_per_mmbtu.gas"
GAS_PRICES = [2.5, 3.5, 4.5, 6.0, 8.0]  # USD/MMBtu


def sweep(
    case: Path,
    typical_days: int | None,
    db: Path,
    check: bool = False,
    calibrate: bool = False,
    grid: tuple[str, list[float]] = (GAS, GAS_PRICES),
) -> dict[str, Any]:
    base = yaml.safe_load(case.read_text(encoding="utf-8"))
    base.setdefault("solver", {}).pop("typical_days", None)
    if typical_days is not None:
        base["solver"]["typical_days"] = typical_days
        base["solver"]["check_full_year"] = check
        base["solver"]["calibrate_targets"] = calibrate
    spec = {
        "name": f"screen-{case.stem}-{typical_days}",
        "base": base,
        "grid": {grid[0]: grid[1]},
    }
    summary = run_sweep(spec, db, workers=1, progress=False)
    if summary.failed:
        raise SystemExit(f"{case.stem}: {summary.failure_reasons()}")
    table = read_results(db).sort_values("case_index")
    out = {
        "sweep_seconds": summary.seconds,
        "case_seconds": [float(s) for s in table["seconds"]],
        "objectives": [float(v) for v in table["objective_usd_per_year"]],
        "snapshots": int(table["snapshots"].iloc[0]),
    }
    if calibrate:
        out["calibration_checks"] = [int(v) for v in table["calibration.checks"]]
        out["calibration_reused"] = [bool(v) for v in table["calibration.reused"]]
    if check:
        out["check_costs"] = [float(v) for v in table["full_year_check.cost_usd_per_year"]]
        out["targets_missed"] = [str(v) for v in table["full_year_check.targets_missed"]]
        out["targets_reached"] = {
            c.split(".", 1)[1]: [float(v) for v in table[c]]
            for c in table.columns
            if c.startswith("full_year_check.") and c.split(".", 1)[1] in TARGET_NAMES
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", nargs="*", default=list(CASES))
    parser.add_argument("--typical-days", nargs="*", type=int, default=[8, 16, 32])
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--grid",
        default=f"{GAS}=" + ",".join(map(str, GAS_PRICES)),
        help="the swept field and its values, KEY=V1,V2,... (default: five gas prices)",
    )
    parser.add_argument(
        "--calibrated-only",
        action="store_true",
        help="only the full and the calibrated sweeps (plain and checked screening left out)",
    )
    args = parser.parse_args()
    key, _, values = args.grid.partition("=")
    grid = (key, [float(v) for v in values.split(",")])
    date = dt.date.today().isoformat()
    out_path = args.json or ROOT / "bench" / "results" / f"{date}-screening.json"
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.cases:
            print(f"{name}: full resolution", flush=True)
            full = sweep(CASES[name], None, Path(tmp) / f"{name}-full.duckdb", grid=grid)
            for days in args.typical_days:
                run: dict[str, Any] = {"case": name, "typical_days": days, "full": full}
                db = Path(tmp) / f"{name}-{days}"
                if not args.calibrated_only:
                    print(f"{name}: {days} typical days", flush=True)
                    run["screening"] = sweep(CASES[name], days, db.with_suffix(".p"), grid=grid)
                    run["errors"] = _errors(run["screening"], full)
                    print(f"{name}: {days} typical days, full-year check", flush=True)
                    run["checked"] = sweep(
                        CASES[name], days, db.with_suffix(".c"), check=True, grid=grid
                    )
                print(f"{name}: {days} typical days, calibrated (and checked)", flush=True)
                # in a fresh worker each: the first case of each calibrates
                run["calibrated"] = sweep(
                    CASES[name], days, db.with_suffix(".k"), calibrate=True, grid=grid
                )
                run["calibrated_errors"] = _errors(run["calibrated"], full)
                run["calibrated_checked"] = sweep(
                    CASES[name], days, db.with_suffix(".kc"), True, True, grid
                )
                runs.append(run)
    record = {
        "date": date,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}",
        "command": "bench/bench_screening.py "
        f"--cases {' '.join(args.cases)} --typical-days {' '.join(map(str, args.typical_days))} "
        f"--grid {args.grid}" + (" --calibrated-only" if args.calibrated_only else ""),
        "grid": {grid[0]: grid[1]},
        "runs": runs,
    }
    out_path.write_text(json.dumps(record, indent=1), encoding="utf-8")
    print(table(record))


def _missed(checked: dict[str, Any]) -> str:
    """The targets missed over the full year, each with its worst value reached."""
    reached = checked.get("targets_reached", {})
    names = sorted({n for names in checked["targets_missed"] for n in names.split(",") if n})
    parts = []
    for name in names:
        worst = (min if name in MINIMA else max)(reached[name]) if name in reached else None
        parts.append(name if worst is None else f"{name} {worst:.6g}")
    return ", ".join(parts) or "none"


def _errors(screen: dict[str, Any], full: dict[str, Any]) -> list[float]:
    pairs = zip(screen["objectives"], full["objectives"], strict=True)
    return [(s - f) / f for s, f in pairs]


def table(record: dict[str, Any]) -> str:
    lines = [] if "screening" not in record["runs"][0] else _plain_tables(record)
    lines += [
        "",
        "Calibrated screening (`solver.calibrate_targets`): one worker, the first case "
        "calibrates, the others reuse where their mix stays within 10 %",
        "",
        "| case | typical days | full s/case | calibrated s/case (median) | first case s "
        "| checks per case | speed-up sweep | cost error (min / max) "
        "| with check: cost vs full (min / max) | targets missed (worst value reached) "
        "| cases for 20x |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in record["runs"]:
        full, cal, checked = run["full"], run["calibrated"], run["calibrated_checked"]
        per_full = statistics.median(full["case_seconds"])
        per_case = statistics.median(cal["case_seconds"])
        first = cal["case_seconds"][0]
        gaps = [
            (c - f) / f for c, f in zip(checked["check_costs"], full["objectives"], strict=True)
        ]
        missed = _missed(checked)
        # plans per sweep at which calibrated screening is 20x the full year, per case:
        # n t_full >= 20 (first + (n - 1) t_case)
        room = per_full - 20 * per_case
        needed = max(1, math.ceil(20 * (first - per_case) / room)) if room > 0 else "never"
        errors = run["calibrated_errors"]
        lines.append(
            f"| {run['case']} | {run['typical_days']} | {per_full:.2f} | {per_case:.3f} "
            f"| {first:.2f} | {' '.join(map(str, cal['calibration_checks']))} "
            f"| {full['sweep_seconds'] / cal['sweep_seconds']:.0f}x "
            f"| {100 * min(errors):+.2f} % / {100 * max(errors):+.2f} % "
            f"| {100 * min(gaps):+.2f} % / {100 * max(gaps):+.2f} % "
            f"| {missed} | {needed} |"
        )
    return "\n".join(lines)


def _plain_tables(record: dict[str, Any]) -> list[str]:
    lines = [
        "| case | typical days | snapshots | full s/case | screening s/case | speed-up per case "
        "| full sweep s | screening sweep s | speed-up sweep | cost error (min / max) "
        "| >= 20x and <= 1 % |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in record["runs"]:
        full, screen = run["full"], run["screening"]
        per_full = statistics.median(full["case_seconds"])
        per_screen = statistics.median(screen["case_seconds"])
        speed = per_full / per_screen
        worst = max(abs(e) for e in run["errors"])
        met = "yes" if speed >= 20 and worst <= 0.01 else "no"
        lines.append(
            f"| {run['case']} | {run['typical_days']} | {screen['snapshots']} | {per_full:.2f} "
            f"| {per_screen:.3f} | {speed:.0f}x | {full['sweep_seconds']:.1f} "
            f"| {screen['sweep_seconds']:.1f} "
            f"| {full['sweep_seconds'] / screen['sweep_seconds']:.0f}x "
            f"| {100 * min(run['errors']):+.2f} % / {100 * max(run['errors']):+.2f} % | {met} |"
        )
    lines += [
        "",
        "Full-year check (`solver.check_full_year`): the screened capacities dispatched over "
        "8760 h",
        "",
        "| case | typical days | screening + check s/case | check cost vs full (min / max) "
        "| targets missed (worst value reached) |",
        "|---|---|---|---|---|",
    ]
    for run in record["runs"]:
        checked, full = run["checked"], run["full"]
        pairs = zip(checked["check_costs"], full["objectives"], strict=True)
        gaps = [(c - f) / f for c, f in pairs]
        missed = _missed(checked)
        lines.append(
            f"| {run['case']} | {run['typical_days']} "
            f"| {statistics.median(checked['case_seconds']):.2f} "
            f"| {100 * min(gaps):+.2f} % / {100 * max(gaps):+.2f} % | {missed} |"
        )
    return lines


if __name__ == "__main__":
    main()
