"""Batch sweeps: PDHG iterations per group, from zero and warm, by how groups are formed.

A real sweep (:func:`aip.sweep.run_sweep` with a ``batch:`` section) over ``--cases`` gas
prices of a full-year example, in groups of ``--group-size``, three ways:

* ``cold``: ``batch.warm_start: false``, every case from zero;
* ``contiguous``: warm starts, groups cut in grid order (the sweep's grouping before
  interleaving): every case of a later group is nearest the end of the group before;
* ``interleaved``: warm starts, the sweep's grouping (every k-th case), so a later
  group's cases lie between solved ones.

Iteration counts are the same on every backend (docs/benchmarks.md, "Batch first-order
backend"), so this runs on a CPU and prices a GPU's time with its measured cost per
iteration: a group's batch runs until its slowest case converges, so the sum over groups
of the slowest case's iterations is what a sweep's batch time follows. Run::

    .venv/bin/python bench/bench_sweep_batch.py --backend jax --json out.json
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

from aip.sweep import engine, read_results, run_sweep
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


def run_mode(mode: str, spec: dict[str, Any]) -> dict[str, Any]:
    forget_starts()
    interleaved = engine._interleaved
    if mode == "contiguous":  # the grouping sweeps used before interleaving
        engine._interleaved = engine._chunks  # type: ignore[assignment]
    groups: list[list[float]] = []
    real = engine.plan_batched

    def spy(cases: list[Any], **kwargs: Any) -> Any:
        groups.append([c.params[PRICE] for c in cases])
        return real(cases, **kwargs)

    engine.plan_batched = spy  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            summary = run_sweep(spec, Path(tmp) / "s.duckdb", progress=False)
            seconds = time.perf_counter() - start
            rows = read_results(Path(tmp) / "s.duckdb")
    finally:
        engine._interleaved, engine.plan_batched = interleaved, real  # type: ignore[assignment]
    iterations = dict(zip(rows[PRICE], rows["batch.iterations"], strict=True))
    per_group = [[int(iterations[p]) for p in g] for g in groups]
    return {
        "mode": mode,
        "ok": summary.ok,
        "solved_by": summary.warm_modes,
        "seconds": seconds,
        "groups": groups,
        "iterations": per_group,
        "slowest_per_group": [max(g) for g in per_group],
        "sum_of_slowest": sum(max(g) for g in per_group),
        "total_iterations": sum(sum(g) for g in per_group),
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
    parser.add_argument("--modes", default="cold,contiguous,interleaved")
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
    for mode in args.modes.split(","):
        spec = sweep_spec(args.example, prices, args.group_size, args.backend, mode != "cold")
        result = run_mode(mode, spec)
        report["runs"].append(result)
        print(json.dumps({k: v for k, v in result.items() if k != "objectives"}), flush=True)
        if args.json:  # after each mode, so a stopped run keeps what it measured
            args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
