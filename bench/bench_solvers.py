"""Solver survey on one full-year campus LP: why the barrier path exists.

Builds a case's LP once (``bench/cases/<case>.yaml``) and times, each in a fresh process,
solve only (the LP is read from an MPS file): HiGHS dual simplex (``choose``), HiGHS IPX
with and without crossover, HiGHS PDLP, HiGHS HiPO (only when the ``highspy-extras``
package that provides its BLAS/METIS is installed), Clarabel alone, and aip's barrier
path (Clarabel, then the vertex step). Objective gaps are relative to the simplex.

Usage::

    .venv/bin/python bench/bench_solvers.py --case hard --json bench/results/solvers-hard.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

HIGHS_VARIANTS: dict[str, dict[str, Any]] = {
    "highs simplex (choose)": {},
    "highs ipx + crossover": {"solver": "ipx"},
    "highs ipx, no crossover": {"solver": "ipx", "run_crossover": "off"},
    "highs pdlp": {"solver": "pdlp"},
    "highs hipo + crossover": {"solver": "hipo"},
}


def _child(kind: str, mps: str, options: dict[str, Any], pickled: str) -> dict[str, Any]:
    """Solve in this process (called through ``--child``)."""
    import highspy

    if kind == "highs":
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.readModel(mps)
        h.setOptionValue("threads", 1)
        for key, value in options.items():
            if h.setOptionValue(key, value) != highspy.HighsStatus.kOk:
                return {"skipped": f"option {key}={value} not available"}
        cpu, start = time.process_time(), time.perf_counter()
        h.run()
        info = h.getInfo()
        return {
            "seconds": time.perf_counter() - start,
            "cpu": time.process_time() - cpu,
            "status": str(h.getModelStatus()).split(".")[-1],
            "objective": float(info.objective_function_value),
            "iterations": int(info.simplex_iteration_count + info.ipm_iteration_count)
            + int(info.pdlp_iteration_count),
        }
    import pickle

    from aip.optimize.barrier import solve_barrier
    from aip.optimize.solve import solve_problem

    lp = pickle.loads(Path(pickled).read_bytes())
    cpu, start = time.process_time(), time.perf_counter()
    outcome = solve_barrier(lp) if kind == "clarabel" else solve_problem(lp, method="barrier")
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "status": outcome.status.value,
        "objective": outcome.objective,
        "iterations": outcome.ipm_iterations + outcome.simplex_iterations,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--case", default="hard", choices=["easy", "hard", "cfe"])
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, mps, options, pickled = args.child
        print("BENCH " + json.dumps(_child(kind, mps, json.loads(options), pickled)))
        return 0

    import pickle

    import aip
    from aip.optimize.build import build_model
    from aip.optimize.solve import new_highs, pass_problem

    lp, _ = build_model(aip.model_inputs(ROOT / "bench" / "cases" / f"{args.case}.yaml"))
    rows: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="aip-solvers-") as tmp:
        mps, pickled = str(Path(tmp) / "lp.mps"), str(Path(tmp) / "lp.pickle")
        h = new_highs()
        pass_problem(h, lp)
        h.writeModel(mps)
        Path(pickled).write_bytes(pickle.dumps(lp))
        runs = [("highs", name, opts) for name, opts in HIGHS_VARIANTS.items()]
        runs += [("clarabel", "clarabel alone", {}), ("barrier", "aip barrier path", {})]
        for kind, name, options in runs:
            print(f"  {name} ...", flush=True)
            proc = subprocess.run(
                [sys.executable, __file__, "--child", kind, mps, json.dumps(options), pickled],
                capture_output=True,
                text=True,
                check=False,
            )
            line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH ")), None)
            rows[name] = (
                json.loads(line[6:]) if line else {"skipped": f"failed: {proc.stderr[-300:]}"}
            )
    base = rows["highs simplex (choose)"]
    print(f"{args.case}: {lp.n_rows} rows, {lp.n_cols} columns")
    print("| solver | status | iterations | solve s | CPU s | vs simplex (CPU) | objective gap |")
    print("|---|---|---|---|---|---|---|")
    for name, r in rows.items():
        if "skipped" in r:
            print(f"| {name} | {r['skipped']} | | | | | |")
            continue
        gap = abs(r["objective"] - base["objective"]) / abs(base["objective"])
        print(
            f"| {name} | {r['status']} | {r['iterations']:,} | {r['seconds']:.2f} | "
            f"{r['cpu']:.2f} | {base['cpu'] / r['cpu']:.2f}x | {gap:.1e} |"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        document = {"case": args.case, "rows": lp.n_rows, "columns": lp.n_cols, "runs": rows}
        args.json.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
