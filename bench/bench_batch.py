"""Batch first-order LP backend: LPs per hour, batch PDHG versus HiGHS.

The batch is ``--batch`` fuel-price variations (0.5x..2.5x) of an example campus cut to a
``--hours`` window (:func:`aip.optimize.batch.window_inputs`): one constraint matrix, costs
differ. The cost vector is affine in the fuel price, so two models are built (at 0.5x and
2.5x) and the others interpolated between them: exact, and it keeps a full-year batch's
set-up to seconds.

The "HiGHS" columns are aip's default solve (``solver.method: auto``, one thread per LP:
HiGHS simplex on short windows, the Clarabel + HiGHS barrier path on full years) over
``--highs-sample`` of the problems, in ``--highs-workers`` processes at once (0: one per
CPU, the machine's full throughput). The batch PDHG solves all of them together on
``--backend``. Both are timed solve-only; objectives are compared on the HiGHS sample.

CPU run (the numbers in docs/benchmarks.md)::

    .venv/bin/python bench/bench_batch.py --hours 48 --batch 16
    .venv/bin/python bench/bench_batch.py --hours 168 --batch 16

GPU machine: ``bench/gpu_batch.sh`` (one short prepared run of this script).

``--runs R`` solves the batch R times: the first includes JAX's compilation, the median
of the others does not (later runs reuse the compiled functions).

``--warm-start previous``: each run after the first starts from the last problem's
solution of the run before (with ``--runs 2`` the timed run is the warm one).
``--warm-start neighbours``: the first run solves the even problems from zero, the later
(timed) runs the odd ones, each from its lower neighbour's solution, as a sweep's group
starts from the nearest solved case of the group before. ``--warm-refill``: queued
problems (``--block``) start from the problem that converged in their column.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

import aip
from aip.optimize.batch import (
    BatchProblem,
    BatchResult,
    get_backend,
    solve_batch,
    stack_problems,
    window_inputs,
)
from aip.optimize.build import build_model
from aip.optimize.inputs import ModelInputs
from aip.optimize.problem import LinearProblem
from aip.optimize.solve import TerminationStatus, solve_problem

ROOT = Path(__file__).parents[1]
FACTORS = (0.5, 2.5)


def _with_fuel_factor(inputs: ModelInputs, factor: float) -> ModelInputs:
    return dataclasses.replace(
        inputs,
        generators=[
            dataclasses.replace(g, fuel_cost_usd_per_mwh=g.fuel_cost_usd_per_mwh * factor)
            for g in inputs.generators
        ],
    )


def make_batch(
    example: str, hours: int, size: int, start: int
) -> tuple[BatchProblem, list[LinearProblem]]:
    """The stacked batch, and the two built end models (for building HiGHS problems)."""
    base = aip.model_inputs(ROOT / "examples" / f"{example}.yaml")
    if hours < base.n_snapshots:
        base = window_inputs(base, start, hours)
    ends = [build_model(_with_fuel_factor(base, f))[0] for f in FACTORS]
    two = stack_problems(ends)  # also checks that the matrix does not depend on the price
    t = np.linspace(0.0, 1.0, size)[:, None]
    rows = lambda v: np.repeat(v[:1], size, axis=0)  # noqa: E731
    batch = BatchProblem(
        a=two.a,
        cost=two.cost[0] + t * (two.cost[1] - two.cost[0]),
        lower=rows(two.lower),
        upper=rows(two.upper),
        row_lower=rows(two.row_lower),
        row_upper=rows(two.row_upper),
        constant=two.constant[0] + t[:, 0] * (two.constant[1] - two.constant[0]),
    )
    return batch, ends


def _take(batch: BatchProblem, idx: np.ndarray) -> BatchProblem:
    """Problems ``idx`` of ``batch``."""
    return BatchProblem(
        a=batch.a,
        cost=batch.cost[idx],
        lower=batch.lower[idx],
        upper=batch.upper[idx],
        row_lower=batch.row_lower[idx],
        row_upper=batch.row_upper[idx],
        constant=batch.constant[idx],
    )


def problem(batch: BatchProblem, ends: list[LinearProblem], i: int) -> LinearProblem:
    """Problem ``i`` of the batch as a LinearProblem (the first end model, its costs)."""
    return dataclasses.replace(ends[0], constant=float(batch.constant[i]), _cost=[batch.cost[i]])


def _solve_one(lp: LinearProblem) -> tuple[float, str]:
    out = solve_problem(lp, threads=1)
    return out.objective, out.status.value


def time_highs(lps: list[LinearProblem], workers: int) -> tuple[float, list[float]]:
    """Seconds to solve ``lps`` with ``workers`` processes (1: in this process), objectives."""
    start = time.perf_counter()
    if workers == 1:
        results = [_solve_one(lp) for lp in lps]
    else:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_solve_one, lps))
    seconds = time.perf_counter() - start
    bad = [s for _, s in results if s != TerminationStatus.OPTIMAL.value]
    if bad:
        raise SystemExit(f"HiGHS did not solve every reference problem: {bad}")
    return seconds, [o for o, _ in results]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--example", default="cfe-abilene")
    parser.add_argument("--hours", type=int, default=48)
    parser.add_argument("--start", type=int, default=4000)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument(
        "--backend",
        default="numpy",
        help="one or more, comma-separated; jax/ell or jax/bcsr picks JAX's matrix format",
    )
    parser.add_argument("--tol", type=float, default=1e-6)
    parser.add_argument("--max-iter", type=int, default=200_000)
    parser.add_argument("--time-limit", type=float, default=None, help="seconds per batch run")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--block", type=int, default=None, help="problems on the device at once")
    parser.add_argument("--highs-sample", type=int, default=0, help="0: all")
    parser.add_argument("--highs-workers", type=int, default=1, help="0: one per CPU")
    parser.add_argument(
        "--warm-start",
        choices=["none", "previous", "neighbours"],
        default="none",
        help="previous: each run after the first starts from the last problem's solution "
        "in the run before; neighbours: the first "
        "run solves the even problems from zero, the later (timed) runs the odd ones, each "
        "from its lower neighbour's solution (as a sweep's next group starts from the "
        "nearest case of the group before)",
    )
    parser.add_argument(
        "--warm-refill",
        action="store_true",
        help="with --block: a queued problem starts from the one that finished in its column",
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    if args.warm_start == "neighbours" and args.runs < 2:
        parser.error("--warm-start neighbours needs --runs 2 or more (run 1 solves the starts)")

    t0 = time.perf_counter()
    batch, ends = make_batch(args.example, args.hours, args.batch, args.start)
    setup_s = time.perf_counter() - t0
    print(f"set-up {setup_s:.1f} s: {batch.size} LPs of {batch.a.shape}", flush=True)
    workers = args.highs_workers or os.cpu_count() or 1
    k = args.highs_sample or batch.size
    # the sample is spread over the price range
    sample = np.unique(np.linspace(0, batch.size - 1, k).round().astype(int))
    highs_s, ref = time_highs([problem(batch, ends, int(i)) for i in sample], workers)
    print(f"HiGHS: {len(sample)} LPs on {workers} processes in {highs_s:.1f} s", flush=True)
    highs_rate = 3600.0 * len(sample) / highs_s
    common = {
        "example": args.example,
        "hours": args.hours,
        "batch": batch.size,
        "rows": int(batch.a.shape[0]),
        "cols": int(batch.a.shape[1]),
        "nnz": int(batch.a.nnz),
        "tol": args.tol,
        "setup_seconds": setup_s,
        "highs_workers": workers,
        "highs_seconds": highs_s,
        "highs_problems_timed": len(sample),
        "highs_lps_per_hour": highs_rate,
        "machine": f"{platform.machine()} {platform.processor() or ''} {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
    }
    common["warm_start"] = args.warm_start
    common["warm_refill"] = args.warm_refill
    report = []
    for backend in args.backend.split(","):
        try:
            name, _, jax_sparse = backend.partition("/")  # e.g. jax/ell, jax/bcsr
            chosen = get_backend(name, jax_sparse or "auto")
            runs: list[BatchResult] = []
            start = None
            timed = np.arange(batch.size)  # the problems of the timed (later) runs
            for _ in range(args.runs):
                part = batch
                if args.warm_start == "previous" and runs:
                    start = (runs[-1].x[-1], runs[-1].row_dual[-1])
                if args.warm_start == "neighbours":
                    timed = np.arange(1, batch.size, 2)
                    part = _take(batch, np.arange(0, batch.size, 2) if not runs else timed)
                    if runs:  # odd problem i from even problem i - 1: row (i - 1) / 2
                        start = (runs[0].x[(timed - 1) // 2], runs[0].row_dual[(timed - 1) // 2])
                runs.append(
                    solve_batch(
                        part,
                        tol=args.tol,
                        max_iter=args.max_iter,
                        backend=chosen,
                        time_limit_s=args.time_limit,
                        block=args.block,
                        start=start,
                        warm_refill=args.warm_refill,
                    )
                )
        except Exception as exc:  # one broken backend must not lose the others' numbers
            report.append({**common, "backend": backend, "error": f"{type(exc).__name__}: {exc}"})
            print(json.dumps(report[-1], indent=2), flush=True)
            continue
        result = runs[-1]
        later = [r.seconds for r in runs[1:]]
        batch_s = float(np.median(later)) if later else result.seconds
        position = {int(i): j for j, i in enumerate(timed)}
        rel = [
            abs(result.objective[position[int(i)]] - o) / abs(o)
            for i, o in zip(sample, ref, strict=True)
            if int(i) in position
        ]
        batch_rate = 3600.0 * len(result.status) / batch_s
        report.append(
            {
                **common,
                "backend": backend,
                "runs": args.runs,
                "block": args.block or batch.size,
                "batch_seconds_first_run": runs[0].seconds,
                "batch_seconds": batch_s,
                "batch_lps_per_hour": batch_rate,
                "speedup": batch_rate / highs_rate,
                "optimal": sum(s == TerminationStatus.OPTIMAL for s in result.status),
                "iterations_median": float(np.median(result.iterations)),
                "iterations_first_run_median": float(np.median(runs[0].iterations)),
                "iterations_total": int(result.iterations.sum()),
                "iterations": result.iterations.tolist(),
                "iterations_first_run": runs[0].iterations.tolist(),
                "optimal_first_run": sum(s == TerminationStatus.OPTIMAL for s in runs[0].status),
                "iterations_max": int(result.iterations.max()),
                "max_rel_objective_diff": max(rel) if rel else None,
            }
        )
        print(json.dumps(report[-1], indent=2), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
