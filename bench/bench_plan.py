"""Benchmark aip's campus LP against the same problem built and solved by PyPSA.

For each example scenario, in one process and interleaved (aip, PyPSA, aip, PyPSA, ...):

- aip: ``aip.optimize.optimize(inputs)`` on ``inputs = aip.model_inputs(path)`` (prepared
  once, not timed in the ratio); build and solve times come from ``result.solve``
  (``build_seconds``: assembling the sparse matrix; ``seconds``: HiGHS ``run``), ``total``
  is the wall time of the whole ``optimize`` call (build, hand-over, solve, extract).
- PyPSA: ``tests/crosscheck/pypsa_model.solve_files`` on the plan's exported files
  (``inputs.json`` + ``hourly.csv``): read, build (network + linopy model + extra rows),
  solve (linopy ``solve``: hand-over to HiGHS and solving), extract (``assign_solution``).

Both use HiGHS with the same thread count and default options. Wall times are reported per
stage, and the process CPU time of each whole call beside them: on a shared machine other
work stretches wall times, while CPU time (single-threaded HiGHS) stays close to the work
done. The table shows medians of
``--repeat`` runs and the ratio PyPSA / aip; a JSON with every run lands in
``bench/results/<date>.json``.

Usage::

    .venv/bin/python bench/bench_plan.py --repeat 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "crosscheck"))

import pypsa_model  # noqa: E402

import aip  # noqa: E402
from aip.optimize import optimize  # noqa: E402
from aip.results.export import write_plan  # noqa: E402

EXAMPLES = ("colossus-memphis", "stargate-abilene", "loudoun-grid")
#: Objective agreement required before a timing counts (see tests/crosscheck).
OBJECTIVE_RTOL = 1e-5


def machine() -> dict[str, Any]:
    """CPU model, logical cores and RAM of this machine (Linux /proc files)."""
    cpu = platform.processor() or "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_gib = float("nan")
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gib = int(line.split()[1]) / 1024**2
                break
    return {
        "cpu": cpu,
        "logical_cores": os.cpu_count(),
        "ram_gib": round(ram_gib, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def versions() -> dict[str, str]:
    return {p: version(p) for p in ("aip", "highspy", "pypsa", "linopy", "numpy", "xarray")}


def run_aip(inputs: Any) -> dict[str, float]:
    cpu, start = time.process_time(), time.perf_counter()
    result = optimize(inputs)
    total = time.perf_counter() - start
    return {
        "build": result.solve.build_seconds,
        "solve": result.solve.seconds,
        "total": total,
        "cpu_total": time.process_time() - cpu,
        "objective": result.objective_usd_per_year,
    }


def run_pypsa(folder: Path, threads: int, io_api: str | None) -> dict[str, float]:
    cpu, start = time.process_time(), time.perf_counter()
    out = pypsa_model.solve_files(folder, threads=threads, io_api=io_api)
    total = time.perf_counter() - start
    return {
        "cpu_total": time.process_time() - cpu,
        "read": out.read_seconds,
        "build": out.build_seconds,
        "solve": out.solve_seconds,
        "extract": out.extract_seconds,
        "total": total,
        "objective": out.objective_usd_per_year,
    }


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def bench_example(name: str, repeat: int, io_api: str | None, work: Path) -> dict[str, Any]:
    """Time ``repeat`` interleaved runs of aip and PyPSA on one example."""
    path = ROOT / "examples" / f"{name}.yaml"
    start = time.perf_counter()
    inputs = aip.model_inputs(path)
    prepare = time.perf_counter() - start
    folder = work / name
    write_plan(optimize(inputs), folder)  # the files PyPSA rebuilds the problem from
    aip_runs, pypsa_runs = [], []
    for _ in range(repeat):
        aip_runs.append(run_aip(inputs))
        pypsa_runs.append(run_pypsa(folder, inputs.threads, io_api))
    a, p = medians(aip_runs), medians(pypsa_runs)
    gap = abs(p["objective"] - a["objective"]) / max(abs(a["objective"]), 1.0)
    if gap > OBJECTIVE_RTOL:
        raise RuntimeError(f"{name}: objectives differ by {gap:.2e} relative; not comparable")
    return {
        "example": name,
        "n_snapshots": inputs.n_snapshots,
        "threads": inputs.threads,
        "aip_prepare_seconds": prepare,
        "objective_rel_gap": gap,
        "aip": {"runs": aip_runs, "median": a},
        "pypsa": {"runs": pypsa_runs, "median": p},
        "ratio_build_solve": (p["build"] + p["solve"]) / (a["build"] + a["solve"]),
        "ratio_solve": p["solve"] / a["solve"],
        "ratio_total": p["total"] / a["total"],
        "ratio_cpu_total": p["cpu_total"] / a["cpu_total"],
    }


def table(rows: list[dict[str, Any]]) -> str:
    """A Markdown table of medians [s] and ratios (PyPSA / aip).

    Stage times are wall clock; ``CPU`` is the process CPU time of the whole call
    (``time.process_time``), which other load on the machine disturbs much less.
    """
    head = (
        "| example | aip build | aip solve | aip total | aip CPU | PyPSA read | PyPSA build | "
        "PyPSA solve | PyPSA extract | PyPSA total | PyPSA CPU | ratio build+solve | "
        "ratio solve | ratio total | ratio CPU |"
    )
    lines = [head, "|" + "---|" * 15]
    for r in rows:
        a, p = r["aip"]["median"], r["pypsa"]["median"]
        cells = [
            r["example"],
            *(f"{a[k]:.3f}" for k in ("build", "solve", "total", "cpu_total")),
            *(f"{p[k]:.3f}" for k in ("read", "build", "solve", "extract", "total", "cpu_total")),
            *(
                f"{r[k]:.2f}x"
                for k in ("ratio_build_solve", "ratio_solve", "ratio_total", "ratio_cpu_total")
            ),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool (median)")
    parser.add_argument("--examples", nargs="+", default=list(EXAMPLES), choices=EXAMPLES)
    parser.add_argument(
        "--io-api",
        default=None,
        choices=["lp", "direct"],
        help="how linopy hands the model to HiGHS (default: linopy's default, an LP file)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be >= 1")
    for name in ("pypsa", "linopy"):
        logging.getLogger(name).setLevel(logging.WARNING)

    load_before = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory(prefix="aip-bench-") as tmp:
        for name in args.examples:
            print(f"benchmarking {name} ({args.repeat} runs each) ...", flush=True)
            rows.append(bench_example(name, args.repeat, args.io_api, Path(tmp)))
    print(table(rows))

    today = dt.date.today().isoformat()
    document = {
        "date": today,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "repeat": args.repeat,
        "io_api": args.io_api or "linopy default (lp)",
        "machine": machine(),
        # other work on the machine inflates wall times; CPU times are the steadier measure
        "load_average_1_5_15_min": {"before": load_before, "after": os.getloadavg()},
        "versions": versions(),
        "results": rows,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"{today}.json"
    target.write_text(json.dumps(document, indent=2), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
