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
import os
import platform
import statistics
import tempfile
from pathlib import Path
from typing import Any

import yaml

from aip.sweep import read_results, run_sweep

ROOT = Path(__file__).resolve().parents[1]
CASES = {
    "easy": ROOT / "bench" / "cases" / "easy.yaml",
    "hard": ROOT / "bench" / "cases" / "hard.yaml",
    "cfe": ROOT / "bench" / "cases" / "cfe.yaml",
    "cfe-abilene": ROOT / "examples" / "cfe-abilene.yaml",
}
GAS_PRICES = [2.5, 3.5, 4.5, 6.0, 8.0]  # USD/MMBtu


def sweep(case: Path, typical_days: int | None, db: Path, check: bool = False) -> dict[str, Any]:
    base = yaml.safe_load(case.read_text(encoding="utf-8"))
    base.setdefault("solver", {}).pop("typical_days", None)
    if typical_days is not None:
        base["solver"]["typical_days"] = typical_days
        base["solver"]["check_full_year"] = check
    spec = {
        "name": f"screen-{case.stem}-{typical_days}",
        "base": base,
        "grid": {"economics.fuel_prices_usd_per_mmbtu.gas": GAS_PRICES},
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
    if check:
        out["check_costs"] = [float(v) for v in table["full_year_check.cost_usd_per_year"]]
        out["targets_missed"] = [str(v) for v in table["full_year_check.targets_missed"]]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", nargs="*", default=list(CASES))
    parser.add_argument("--typical-days", nargs="*", type=int, default=[8, 16, 32])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    date = dt.date.today().isoformat()
    out_path = args.json or ROOT / "bench" / "results" / f"{date}-screening.json"
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.cases:
            print(f"{name}: full resolution", flush=True)
            full = sweep(CASES[name], None, Path(tmp) / f"{name}-full.duckdb")
            for days in args.typical_days:
                print(f"{name}: {days} typical days", flush=True)
                screen = sweep(CASES[name], days, Path(tmp) / f"{name}-{days}.duckdb")
                pairs = zip(screen["objectives"], full["objectives"], strict=True)
                errors = [(s - f) / f for s, f in pairs]
                print(f"{name}: {days} typical days, full-year check", flush=True)
                checked = sweep(CASES[name], days, Path(tmp) / f"{name}-{days}-c.duckdb", True)
                runs.append(
                    {
                        "case": name,
                        "typical_days": days,
                        "full": full,
                        "screening": screen,
                        "errors": errors,
                        "checked": checked,
                    }
                )
    record = {
        "date": date,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}",
        "command": "bench/bench_screening.py "
        f"--cases {' '.join(args.cases)} --typical-days {' '.join(map(str, args.typical_days))}",
        "gas_prices_usd_per_mmbtu": GAS_PRICES,
        "runs": runs,
    }
    out_path.write_text(json.dumps(record, indent=1), encoding="utf-8")
    print(table(record))


def table(record: dict[str, Any]) -> str:
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
        "| targets missed |",
        "|---|---|---|---|---|",
    ]
    for run in record["runs"]:
        checked, full = run["checked"], run["full"]
        pairs = zip(checked["check_costs"], full["objectives"], strict=True)
        gaps = [(c - f) / f for c, f in pairs]
        missed = sorted({m for m in checked["targets_missed"] if m}) or ["none"]
        lines.append(
            f"| {run['case']} | {run['typical_days']} "
            f"| {statistics.median(checked['case_seconds']):.2f} "
            f"| {100 * min(gaps):+.2f} % / {100 * max(gaps):+.2f} % | {', '.join(missed)} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
