"""Batch first-order LP backend: LPs per hour, batch PDHG versus HiGHS one by one.

The batch is ``--batch`` fuel-price variations (0.5x..2.5x) of an example campus cut to a
``--hours`` window (:func:`aip.optimize.batch.window_inputs`): one constraint matrix, costs
differ. aip's default solve (``solver.method: auto``, one thread: HiGHS simplex on the short
windows, the Clarabel + HiGHS barrier path on full years) solves them one after another
(the "HiGHS" columns); the batch PDHG
solves them together on ``--backend``. Both are timed solve-only (the LPs are built
beforehand); objectives are compared per problem.

CPU run (the numbers in docs/benchmarks.md)::

    .venv/bin/python bench/bench_batch.py --hours 48 --batch 16
    .venv/bin/python bench/bench_batch.py --hours 168 --batch 16

GPU machine (with ``pip install cupy-cuda12x``, or JAX with CUDA)::

    .venv/bin/python bench/bench_batch.py --hours 8760 --batch 64 --backend cupy \\
        --highs-sample 4 --json bench/results/batch-gpu.json

``--highs-sample k`` times HiGHS on the first ``k`` problems only and extrapolates the
rate (a full year takes seconds to minutes per HiGHS solve); objectives are compared
on those ``k``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

import aip
from aip.optimize.batch import solve_batch, stack_problems, window_inputs
from aip.optimize.build import build_model
from aip.optimize.solve import TerminationStatus, solve_problem

ROOT = Path(__file__).parents[1]


def make_batch(example: str, hours: int, size: int, start: int) -> list:  # type: ignore[type-arg]
    base = aip.model_inputs(ROOT / "examples" / f"{example}.yaml")
    if hours < base.n_snapshots:
        base = window_inputs(base, start, hours)
    factors = np.linspace(0.5, 2.5, size)
    return [
        build_model(
            dataclasses.replace(
                base,
                generators=[
                    dataclasses.replace(g, fuel_cost_usd_per_mwh=g.fuel_cost_usd_per_mwh * f)
                    for g in base.generators
                ],
            )
        )[0]
        for f in factors
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--example", default="cfe-abilene")
    parser.add_argument("--hours", type=int, default=48)
    parser.add_argument("--start", type=int, default=4000)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--backend", default="numpy")
    parser.add_argument("--tol", type=float, default=1e-6)
    parser.add_argument("--max-iter", type=int, default=200_000)
    parser.add_argument("--highs-sample", type=int, default=0, help="0: all")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    lps = make_batch(args.example, args.hours, args.batch, args.start)
    batch = stack_problems(lps)
    sample = lps[: args.highs_sample] if args.highs_sample else lps
    t0 = time.perf_counter()
    ref = [solve_problem(lp, threads=1) for lp in sample]
    highs_s = time.perf_counter() - t0
    result = solve_batch(batch, tol=args.tol, max_iter=args.max_iter, backend=args.backend)
    optimal = [s == TerminationStatus.OPTIMAL for s in result.status]
    rel = [
        abs(r.objective - o) / abs(r.objective) for r, o in zip(ref, result.objective, strict=False)
    ]
    highs_rate = 3600.0 * len(sample) / highs_s
    batch_rate = 3600.0 * len(lps) / result.seconds
    report = {
        "example": args.example,
        "hours": args.hours,
        "batch": len(lps),
        "rows": lps[0].n_rows,
        "cols": lps[0].n_cols,
        "nnz": int(batch.a.nnz),
        "backend": result.backend,
        "tol": args.tol,
        "highs_seconds": highs_s,
        "highs_problems_timed": len(sample),
        "batch_seconds": result.seconds,
        "highs_lps_per_hour": highs_rate,
        "batch_lps_per_hour": batch_rate,
        "speedup": batch_rate / highs_rate,
        "optimal": int(sum(optimal)),
        "iterations_median": float(np.median(result.iterations)),
        "iterations_max": int(result.iterations.max()),
        "max_rel_objective_diff": max(rel) if rel else None,
        "machine": f"{platform.machine()} {platform.processor() or ''} {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
