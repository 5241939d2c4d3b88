"""Sweep throughput (cases/min), scaling with workers, and the warm-start speed-up.

Run: ``.venv/bin/python bench/bench_sweep.py`` (about 3 minutes on 2 cores). Prints a
Markdown table for docs/benchmarks.md. Two workloads:

* ``colossus`` — examples/colossus-memphis.yaml (61k variables) at eight gas prices:
  solve-dominated; HiGHS simplex cold and warm-started (``solver.method: simplex``) against
  the default ``auto`` (the barrier path, cold);
* ``loudoun`` — examples/loudoun-grid.yaml (grid only, ~0.03 s solve) at sixteen GPU
  counts: dominated by preparing profiles and results, the per-case overhead floor.
"""

from __future__ import annotations

import os
import platform
import tempfile
from pathlib import Path
from typing import Any

from aip.sweep import read_results, run_sweep

ROOT = Path(__file__).parents[1]


def colossus(warm: bool, method: str = "auto") -> dict[str, Any]:
    """``method: auto`` takes the barrier path on this full-year LP; ``simplex`` warm-starts."""
    return {
        "name": f"bench-colossus-{'warm' if warm else 'cold'}-{method}",
        "base": str(ROOT / "examples" / "colossus-memphis.yaml"),
        "grid": {
            "economics.fuel_prices_usd_per_mmbtu.gas": [2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 8.0],
            "solver.method": [method],
        },
        "warm_start": warm,
    }


def loudoun() -> dict[str, Any]:
    return {
        "name": "bench-loudoun",
        "base": str(ROOT / "examples" / "loudoun-grid.yaml"),
        "grid": {"compute.count": list(range(10_000, 90_000, 5_000))},
    }


def main() -> None:
    runs = [
        ("colossus", colossus(False, "simplex"), 1),
        ("colossus", colossus(True, "simplex"), 1),
        ("colossus", colossus(True), 1),
        ("colossus", colossus(False, "simplex"), 2),
        ("colossus", colossus(True, "simplex"), 2),
        ("colossus", colossus(True), 2),
        ("loudoun", loudoun(), 1),
        ("loudoun", loudoun(), 2),
        ("loudoun", loudoun(), 4),
    ]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs")
    print(
        "| workload | method | warm start | workers | cases | LPs | seconds | cases/min "
        "| solves (each case's last LP) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for i, (label, spec, workers) in enumerate(runs):
            summary = run_sweep(spec, Path(tmp) / f"{i}.duckdb", workers=workers, progress=False)
            assert summary.failed == 0, summary.failure_reasons()
            modes = ", ".join(f"{k} {v}" for k, v in sorted(summary.warm_modes.items()))
            # N+k searches solve more than one LP per case (aip.optimize.contingency)
            lps = int(read_results(Path(tmp) / f"{i}.duckdb")["lps_solved"].sum())
            print(
                f"| {label} | {spec['grid'].get('solver.method', ['auto'])[0]} | "
                f"{spec.get('warm_start', True)} | {workers} | {summary.ok} | {lps} | "
                f"{summary.seconds:.1f} | {summary.cases_per_minute:.1f} | {modes} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
