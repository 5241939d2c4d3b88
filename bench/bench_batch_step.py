"""Batch PDHG: milliseconds per iteration and per sparse product, by backend and format.

Where :mod:`bench_batch` times whole solves (iterations times cost per iteration),
this times the cost per iteration alone, for a ``--batch``-wide block of a ``--hours``
window of ``--example``: the solver from its all-zero start stopped after 64 and after
``64 (chunks + 1)`` steps (the difference, over ``64 chunks``, is one step without the
set-up; the median of ``--repeat`` such pairs), and ``A @ X`` / ``A' @ Y`` on their own
(median of 10). Run::

    .venv/bin/python bench/bench_batch_step.py --hours 8760 --batch 64 --backend numpy
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from bench_batch import make_batch

from aip.optimize import batch_pdhg
from aip.optimize.batch import BatchProblem, get_backend


def _median_seconds(fn: Callable[[], Any], sync: Callable[[Any], Any], repeat: int = 10) -> float:
    sync(fn())  # warm-up (compiles on JAX)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        sync(fn())
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def measure(backend: str, batch: BatchProblem, chunks: int, repeat: int) -> dict[str, Any]:
    name, _, fmt = backend.partition("/")  # e.g. jax/ell, jax/bcsr
    bk = get_backend(name, fmt or "auto")
    a = batch.a
    a_dev, at_dev = bk.sparse(a), bk.sparse(sp.csr_matrix(a.T))
    rng = np.random.default_rng(0)
    x = bk.to_device(rng.normal(size=(a.shape[1], batch.size)))
    y = bk.to_device(rng.normal(size=(a.shape[0], batch.size)))
    matmul = bk.jit(lambda m, v: m @ v, ())
    # wait for the device by fetching one number, not the whole block
    sync = lambda v: bk.to_host(v[:1, :1])  # noqa: E731

    def run(iterations: int) -> float:
        start = time.perf_counter()
        batch_pdhg.pdhg(
            bk, a, batch.cost, batch.lower, batch.upper, batch.row_lower, batch.row_upper,
            tol=1e-12, max_iter=iterations, check_every=64,
        )  # fmt: skip
        return time.perf_counter() - start

    long = 64 * (chunks + 1)
    first = run(long)  # compiles (JAX)
    # each run pays the scaling and the transfers (about a second on a full year), so one
    # long-minus-short pair is noise: the median of several pairs
    per_iteration = [(run(long) - run(64)) / (64 * chunks) for _ in range(repeat)]
    return {
        "backend": backend,
        "rows": a.shape[0],
        "cols": a.shape[1],
        "batch": batch.size,
        "ax_ms": 1e3 * _median_seconds(lambda: matmul(a_dev, x), sync),
        "aty_ms": 1e3 * _median_seconds(lambda: matmul(at_dev, y), sync),
        "first_run_s": first,
        "ms_per_iteration": 1e3 * float(np.median(per_iteration)),
        "ms_per_iteration_runs": [1e3 * t for t in per_iteration],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--example", default="cfe-abilene")
    parser.add_argument("--hours", type=int, default=8760)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--backend", default="numpy", help="comma-separated, e.g. jax/ell")
    parser.add_argument("--chunks", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="long/short pairs (median)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    batch, _ = make_batch(args.example, args.hours, args.batch, 4000)
    report = []
    for backend in args.backend.split(","):
        try:
            measured = measure(backend, batch, args.chunks, args.repeat)
            report.append({"hours": args.hours, **measured})
        except Exception as exc:  # one broken backend must not lose the others' numbers
            report.append({"backend": backend, "error": f"{type(exc).__name__}: {exc}"})
        print(json.dumps(report[-1]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
