"""A batch sweep's CPU work per case: :func:`aip.sweep.batched.prepare_group` (parse,
profiles, model, grouping by matrix and stacking the group's LPs for the device) on
full-year cases, the median over ``--groups`` groups of ``--group-size`` gas prices.

A first group of one case is prepared and not timed: it reads the weather and computes
the site's PV output, which later cases reuse (as every group of a sweep after its first
does). On the GPU machine this work runs on one CPU thread while the device solves
(docs/sweep.md), so it must stay well under the group's solve time. Run::

    .venv/bin/python bench/bench_sweep_prepare.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

from aip.optimize.build import build_model
from aip.schema.sweep import SweepSpec
from aip.sweep.batched import prepare_group
from aip.sweep.cases import expand_cases

ROOT = Path(__file__).parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--example", default="cfe-abilene")
    parser.add_argument("--group-size", type=int, default=16)
    parser.add_argument("--groups", type=int, default=9)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    prices = [round(2.0 + 0.01 * i, 4) for i in range(1 + args.group_size)]
    spec = SweepSpec.model_validate(
        {
            "name": "bench-prepare",
            "base": str(ROOT / "examples" / f"{args.example}.yaml"),
            "grid": {"economics.fuel_prices_usd_per_mmbtu.gas": prices},
            "batch": {"backend": "numpy"},
        }
    )
    cases = expand_cases(spec)
    prepare_group(cases[:1])
    per_case_ms = []
    for _ in range(args.groups):
        start = time.perf_counter()
        group = prepare_group(cases[1:])
        per_case_ms.append(1e3 * (time.perf_counter() - start) / args.group_size)
        assert len(group.stacked) == 1 and not group.outcomes, "one matrix, no failures"
    # the parts that grew with the model: building it, and assembling its matrix
    prepared, lp = group.built[0][0], group.built[0][1]
    build_ms, matrix_ms = [], []
    for _ in range(args.groups):
        start = time.perf_counter()
        build_model(prepared.inputs)
        build_ms.append(1e3 * (time.perf_counter() - start))
        start = time.perf_counter()
        lp.matrix("csr")
        matrix_ms.append(1e3 * (time.perf_counter() - start))
    report = {
        "example": args.example,
        "group_size": args.group_size,
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs",
        "date": time.strftime("%Y-%m-%d"),
        "prepare_ms_per_case": per_case_ms,
        "median_ms_per_case": statistics.median(per_case_ms),
        "median_build_model_ms": statistics.median(build_ms),
        "median_matrix_csr_ms": statistics.median(matrix_ms),
        "matrix": {"shape": list(lp.matrix("csr").shape), "nnz": int(lp.matrix("csr").nnz)},
    }
    print(json.dumps({k: v for k, v in report.items() if k != "prepare_ms_per_case"}))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
