"""Batch sweeps: PDHG iterations per group, from zero and warm-started.

A real sweep (:func:`aip.sweep.run_sweep` with a ``batch:`` section) over ``--cases`` gas
prices of a full-year example, in groups of ``--group-size``, two ways:

* ``cold``: ``batch.warm_start: false``, every case from zero;
* ``warm``: the default, each case of a later group from the nearest case the group
  before solved.

Iteration counts are the same on every backend (docs/benchmarks.md, "Batch first-order
backend"), so this runs on a CPU and prices a GPU's time with its measured cost per
iteration: a group's batch runs until its slowest case converges, so the sum over groups
of the slowest case's iterations is what a sweep's batch time follows. Run::

    .venv/bin/python bench/bench_sweep_batch.py --backend jax --json out.json

End to end, as a user runs it (``--highs-cases K``): the batch sweep's plans per hour
(wall time of :func:`aip.sweep.run_sweep`, preparing, solving, reading out and storing
every case; the last of ``--runs``, so JAX's compilation is paid before, by an earlier
run or by a shorter sweep of ``--compile-cases`` prices) against the same
sweep without ``batch:`` (HiGHS, ``--highs-workers`` processes, 0 = one per CPU; also the
last of ``--runs``; each run starts its process pool, whose workers each read the
weather once: give each worker several cases) over ``K`` of the prices spread over the
range. On the GPU machine:
``bench/gpu_batch.sh sweep``. Each batch run also records when each group was prepared,
solved and read out (``timeline``, seconds from the sweep's start) and the solves' share
of the wall time, so a ratio under the goal says where the time went; the report gives
the largest relative objective difference from HiGHS over the prices both solved.

Commit 6a5f8af also had the groups interleaved (every k-th case; mode ``interleaved``
there) against groups in grid order: no gain, so sweeps keep grid order.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from aip.sweep import batched, read_results, run_sweep
from aip.sweep.batched import forget_starts

ROOT = Path(__file__).parents[1]
PRICE = "economics.fuel_prices_usd_per_mmbtu.gas"


def sweep_spec(example: str, prices: list[float], group_size: int, backend: str, warm: bool) -> Any:
    return {
        "name": f"bench-batch-{'warm' if warm else 'cold'}",
        "base": str(ROOT / "examples" / f"{example}.yaml"),
        "grid": {PRICE: prices},
        "batch": {"backend": backend, "group_size": group_size, "warm_start": warm},
    }


def run_mode(spec: dict[str, Any]) -> dict[str, Any]:
    forget_starts()
    groups: list[list[float]] = []
    stages = ("prepare_group", "solve_group", "read_out")
    timeline: dict[str, list[list[float]]] = {name: [] for name in stages}
    real = {name: getattr(batched, name) for name in stages}
    origin = time.perf_counter()

    def timed(name: str) -> Any:
        def stage(*args: Any, **kwargs: Any) -> Any:
            if name == "prepare_group":
                groups.append([c.params[PRICE] for c in args[0]])
            start = time.perf_counter() - origin
            try:
                return real[name](*args, **kwargs)
            finally:
                timeline[name].append([round(start, 3), round(time.perf_counter() - origin, 3)])

        return stage

    # patched before run_sweep builds its pipeline, which binds prepare_group then and
    # looks the other two up when it calls them
    for name in stages:
        setattr(batched, name, timed(name))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            origin = start = time.perf_counter()
            summary = run_sweep(spec, Path(tmp) / "s.duckdb", progress=False)
            seconds = time.perf_counter() - start
            rows = read_results(Path(tmp) / "s.duckdb")
    finally:
        for name, function in real.items():
            setattr(batched, name, function)
    iterations = dict(zip(rows[PRICE], rows["batch.iterations"], strict=True))
    # a case whose group's batch solve failed has no iterations (HiGHS solved it): 0
    per_group = [[int(np.nan_to_num(iterations[p])) for p in g] for g in groups]
    solving = sum(end - begin for begin, end in timeline["solve_group"])
    return {
        "mode": spec["name"].removeprefix("bench-batch-"),
        "ok": summary.ok,
        "solved_by": summary.warm_modes,
        "seconds": seconds,
        "groups": groups,
        "iterations": per_group,
        "slowest_per_group": [max(g) for g in per_group],
        "sum_of_slowest": sum(max(g) for g in per_group),
        "total_iterations": sum(sum(g) for g in per_group),
        "plans_per_hour": 3600.0 * summary.ok / seconds,
        # [start, end] seconds from the sweep's start, per group: where the wall time goes
        # (the device's share is what a faster CPU side cannot win back)
        "timeline": timeline,
        "solve_share_of_wall": solving / seconds,
        "objectives": dict(zip(rows[PRICE], rows["objective_usd_per_year"], strict=True)),
    }


def run_highs(example: str, prices: list[float], workers: int) -> dict[str, Any]:
    """The same sweep without ``batch:``: HiGHS case by case on ``workers`` processes."""
    spec = {
        "name": "bench-highs",
        "base": str(ROOT / "examples" / f"{example}.yaml"),
        "grid": {PRICE: prices},
    }
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        summary = run_sweep(spec, Path(tmp) / "h.duckdb", workers=workers or None, progress=False)
        seconds = time.perf_counter() - start
        rows = read_results(Path(tmp) / "h.duckdb")
    return {
        "mode": "highs",
        "workers": summary.workers,
        "ok": summary.ok,
        "solved_by": summary.warm_modes,
        "seconds": seconds,
        "plans_per_hour": 3600.0 * summary.ok / seconds,
        "objectives": dict(zip(rows[PRICE], rows["objective_usd_per_year"], strict=True)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--example", default="cfe-abilene")
    parser.add_argument("--cases", type=int, default=8)
    parser.add_argument("--group-size", type=int, default=4)
    parser.add_argument("--low", type=float, default=1.75, help="lowest gas price, USD/MMBtu")
    parser.add_argument("--high", type=float, default=8.75)
    parser.add_argument("--backend", default="jax")
    parser.add_argument("--modes", default="cold,warm", help="'': HiGHS only")
    parser.add_argument("--runs", type=int, default=1, help="per mode; the last is reported")
    parser.add_argument(
        "--compile-cases",
        type=int,
        default=0,
        help="first, per mode, an untimed sweep over this many prices of the same range "
        "(JAX compiles there), so that a long sweep need not run twice",
    )
    parser.add_argument("--highs-cases", type=int, default=0, help="0: no HiGHS sweep")
    parser.add_argument("--highs-workers", type=int, default=0, help="0: one per CPU")
    parser.add_argument("--runs-highs", type=int, default=None, help="default: --runs")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    prices = [round(float(p), 4) for p in np.linspace(args.low, args.high, args.cases)]
    report: dict[str, Any] = {
        "example": args.example,
        "prices": prices,
        "group_size": args.group_size,
        "backend": args.backend,
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs",
        "date": time.strftime("%Y-%m-%d"),
        "runs": [],
    }

    def record(result: dict[str, Any]) -> None:
        report["runs"].append(result)
        print(json.dumps({k: v for k, v in result.items() if k != "objectives"}), flush=True)
        if args.json:  # after each run, so a stopped benchmark keeps what it measured
            args.json.write_text(json.dumps(report, indent=2) + "\n")

    if args.highs_cases:
        picks = np.unique(np.linspace(0, len(prices) - 1, args.highs_cases).round().astype(int))
        # the last run's pool starts from a warm forkserver
        for run in range(args.runs if args.runs_highs is None else args.runs_highs):
            record(
                {
                    **run_highs(args.example, [prices[i] for i in picks], args.highs_workers),
                    "run": run + 1,
                }
            )
    for mode in filter(None, args.modes.split(",")):
        warm = mode != "cold"
        if args.compile_cases:
            few = [round(float(p), 4) for p in np.linspace(args.low, args.high, args.compile_cases)]
            spec = sweep_spec(args.example, few, args.group_size, args.backend, warm)
            record({**run_mode(spec), "run": "compile"})
        spec = sweep_spec(args.example, prices, args.group_size, args.backend, warm)
        for run in range(args.runs):
            record({**run_mode(spec), "run": run + 1})
    highs = [r for r in report["runs"] if r["mode"] == "highs"]
    if highs:
        last = {
            r["mode"]: r for r in report["runs"] if r["mode"] != "highs" and r["run"] != "compile"
        }
        report["ratio_plans_per_hour"] = {
            mode: r["plans_per_hour"] / highs[-1]["plans_per_hour"] for mode, r in last.items()
        }
        exact = highs[-1]["objectives"]
        report["max_rel_objective_diff"], report["objectives_compared"] = {}, {}
        for mode, r in last.items():
            both = [p for p in exact if np.isfinite([exact[p], r["objectives"][p]]).all()]
            report["objectives_compared"][mode] = f"{len(both)} of {len(exact)}"
            report["max_rel_objective_diff"][mode] = max(
                (abs(r["objectives"][p] - exact[p]) / max(abs(exact[p]), 1.0) for p in both),
                default=float("nan"),
            )
        keys = ("ratio_plans_per_hour", "max_rel_objective_diff", "objectives_compared")
        print(json.dumps({k: report[k] for k in keys}), flush=True)
        if args.json:
            args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
