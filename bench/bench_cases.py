"""Benchmark suite of issue 12: aip versus PyPSA, solver variants and time aggregation.

For each case (the three classes in ``bench/cases``: easy = gas wins, hard = CO2 cap,
cfe = 24/7 carbon-free target; plus the example scenarios) this runs, each solve in its own
process (``bench/bench_child.py``) so that its peak memory is its own:

1. aip end to end at full hourly resolution with its default ``solver.method: auto`` (the
   barrier path on full-year LPs: Clarabel, then a vertex by HiGHS simplex with capacities
   fixed): prepare the model from the YAML (weather, profiles, catalogue), build, solve,
   extract; the first run writes the plan's
   ``inputs.json`` + ``hourly.csv`` for PyPSA;
2. PyPSA on the same inputs, rebuilt from those files by ``tests/crosscheck/pypsa_model.py``
   (plus the 24/7 rows, ``bench_child.add_cfe_rows``): read, build, solve, extract;
   interleaved with 1 (aip, PyPSA, aip, PyPSA...); PyPSA with HiGHS's default options;
3. aip with ``solver.method: choose`` (HiGHS decides, as PyPSA does: aip's default before
   the barrier path) on the cases named in ``METHOD_CASES``;
4. aip with ``solver.typical_days`` in ``--typical-days``: speed-up over 1 and the relative
   error of the total annual cost.

Reported: medians over runs of wall time per stage, process CPU time of the whole solve
(the steady metric on a shared machine), peak resident memory (``VmHWM``), the ratio PyPSA /
aip, and objective agreement. A JSON with every run goes to
``bench/results/<date>-cases.json``.

Usage::

    .venv/bin/python bench/bench_cases.py --repeat 3 --repeat-slow 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench_plan import machine, versions

ROOT = Path(__file__).resolve().parents[1]
CHILD = Path(__file__).resolve().parent / "bench_child.py"
#: case name -> (scenario file, slow: repeated ``--repeat-slow`` times instead of ``--repeat``)
CASES: dict[str, tuple[Path, bool]] = {
    "easy": (ROOT / "bench" / "cases" / "easy.yaml", False),
    "hard": (ROOT / "bench" / "cases" / "hard.yaml", True),
    "cfe": (ROOT / "bench" / "cases" / "cfe.yaml", True),
    "colossus-memphis": (ROOT / "examples" / "colossus-memphis.yaml", False),
    "stargate-abilene": (ROOT / "examples" / "stargate-abilene.yaml", False),
    "loudoun-grid": (ROOT / "examples" / "loudoun-grid.yaml", False),
    "cfe-abilene": (ROOT / "examples" / "cfe-abilene.yaml", True),
}
METHOD_CASES = tuple(CASES)
#: Same optimum required (relative) before a timing is called comparable (issue 12 goal).
OBJECTIVE_RTOL = 1e-4
#: Issue 12 screening goal: this speed-up at no more than SCREEN_ERROR relative cost error.
SCREEN_SPEEDUP, SCREEN_ERROR = 20.0, 0.01


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one solve in a fresh interpreter and return its measurements."""
    proc = subprocess.run(
        [sys.executable, str(CHILD), json.dumps(spec)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH "):
            out: dict[str, Any] = json.loads(line[len("BENCH ") :])
            return out
    raise RuntimeError(f"{spec}: child failed (rc {proc.returncode}): {proc.stderr[-2000:]}")


def medians(runs: list[dict[str, Any]]) -> dict[str, float]:
    keys = [k for k, v in runs[0].items() if isinstance(v, int | float)]
    return {k: float(statistics.median(r[k] for r in runs)) for k in keys}


def methods_available() -> list[str]:
    """``solver.method`` values to compare with the default, if the schema has the field."""
    from aip.schema.scenario import SolverOptions

    field = SolverOptions.model_fields.get("method")
    if field is None:
        return []
    return ["choose"]


def bench_case(name: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    path, slow = CASES[name]
    repeat = args.repeat_slow if slow else args.repeat
    folder = work / name
    aip_runs: list[dict[str, Any]] = []
    pypsa_runs: list[dict[str, Any]] = []
    for i in range(repeat):
        spec: dict[str, Any] = {"tool": "aip", "scenario": str(path)}
        if i == 0:
            spec["write"] = str(folder)
        print(f"  {name}: aip full run {i + 1}/{repeat}", flush=True)
        aip_runs.append(child(spec))
        if not args.no_pypsa:
            print(f"  {name}: PyPSA run {i + 1}/{repeat}", flush=True)
            pypsa_runs.append(child({"tool": "pypsa", "folder": str(folder)}))
    a = medians(aip_runs)
    row: dict[str, Any] = {"case": name, "repeat": repeat, "aip": {"runs": aip_runs, "median": a}}
    if pypsa_runs:
        p = medians(pypsa_runs)
        gap = abs(p["objective"] - a["objective"]) / abs(a["objective"])
        row["pypsa"] = {"runs": pypsa_runs, "median": p}
        row["objective_rel_gap"] = gap
        row["objective_agrees"] = gap <= OBJECTIVE_RTOL
        row["ratio_cpu"] = p["cpu_total"] / a["cpu_total"]
        row["ratio_wall"] = p["total"] / a["total"]
        row["ratio_solve_wall"] = p["solve"] / a["solve"]
        row["ratio_peak_rss"] = p["peak_rss_mib"] / a["peak_rss_mib"]
    row["methods"] = {}
    if name in METHOD_CASES:
        for method in methods_available():
            print(f"  {name}: aip method={method}", flush=True)
            runs = [
                child({"tool": "aip", "scenario": str(path), "solver": {"method": method}})
                for _ in range(repeat)
            ]
            m = medians(runs)
            m["objective_rel_gap"] = abs(m["objective"] - a["objective"]) / abs(a["objective"])
            row["methods"][method] = {"runs": runs, "median": m}
    row["aggregation"] = {}
    for k in args.typical_days:
        print(f"  {name}: aip typical_days={k}", flush=True)
        runs = [
            child({"tool": "aip", "scenario": str(path), "solver": {"typical_days": k}})
            for _ in range(args.repeat)
        ]
        m = medians(runs)
        error = (m["objective"] - a["objective"]) / abs(a["objective"])
        speedup = a["cpu_total"] / m["cpu_total"]
        row["aggregation"][str(k)] = {
            "runs": runs,
            "median": m,
            "cost_rel_error": error,
            "speedup_cpu": speedup,
            "speedup_solve": (a["build"] + a["solve"]) / (m["build"] + m["solve"]),
            "goal_met": speedup >= SCREEN_SPEEDUP and abs(error) <= SCREEN_ERROR,
        }
    return row


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def tables(rows: list[dict[str, Any]]) -> str:
    """Markdown tables: aip vs PyPSA, solver methods, time aggregation."""
    out = [
        "aip vs PyPSA (medians; seconds, MiB; ratio = PyPSA / aip)",
        "",
        _row(
            [
                "case",
                "runs",
                "aip prepare",
                "aip build",
                "aip solve",
                "aip total",
                "aip CPU",
                "aip peak MiB",
                "PyPSA build",
                "PyPSA solve",
                "PyPSA total",
                "PyPSA CPU",
                "PyPSA peak MiB",
                "ratio CPU",
                "ratio wall",
                "ratio peak mem",
                "objective gap",
            ]
        ),
        "|" + "---|" * 17,
    ]
    for r in rows:
        a = r["aip"]["median"]
        cells = [r["case"], str(r["repeat"])]
        cells += [f"{a[k]:.3f}" for k in ("prepare", "build", "solve", "total", "cpu_total")]
        cells.append(f"{a['peak_rss_mib']:.0f}")
        if "pypsa" in r:
            p = r["pypsa"]["median"]
            cells += [f"{p[k]:.3f}" for k in ("build", "solve", "total", "cpu_total")]
            cells.append(f"{p['peak_rss_mib']:.0f}")
            cells += [f"{r[k]:.2f}x" for k in ("ratio_cpu", "ratio_wall", "ratio_peak_rss")]
            cells.append(f"{r['objective_rel_gap']:.1e}")
        else:
            cells += ["-"] * 9
        out.append(_row(cells))
    method_rows = [(r["case"], k, v) for r in rows for k, v in r["methods"].items()]
    if method_rows:
        out += ["", "aip solver methods (medians)", ""]
        header = ["case", "method", "solve s", "CPU s", "default faster by (CPU)", "objective gap"]
        out += [_row(header)]
        out.append("|" + "---|" * 6)
        for case, method, v in method_rows:
            m = v["median"]
            base = next(r for r in rows if r["case"] == case)["aip"]["median"]
            out.append(
                _row(
                    [
                        case,
                        method,
                        f"{m['solve']:.3f}",
                        f"{m['cpu_total']:.3f}",
                        f"{m['cpu_total'] / base['cpu_total']:.2f}x",
                        f"{m['objective_rel_gap']:.1e}",
                    ]
                )
            )
    out += ["", "Time aggregation (typical days) vs full resolution, aip (medians)", ""]
    out.append(
        _row(
            [
                "case",
                "typical days",
                "snapshots",
                "aggregate s",
                "build+solve s",
                "CPU s",
                "speed-up CPU",
                "speed-up build+solve",
                "cost error",
                ">= 20x and <= 1 %",
            ]
        )
    )
    out.append("|" + "---|" * 10)
    for r in rows:
        for k, v in r["aggregation"].items():
            m = v["median"]
            out.append(
                _row(
                    [
                        r["case"],
                        k,
                        f"{m['snapshots']:.0f}",
                        f"{m['aggregate']:.3f}",
                        f"{m['build'] + m['solve']:.3f}",
                        f"{m['cpu_total']:.3f}",
                        f"{v['speedup_cpu']:.1f}x",
                        f"{v['speedup_solve']:.0f}x",
                        f"{100 * v['cost_rel_error']:+.2f} %",
                        "yes" if v["goal_met"] else "no",
                    ]
                )
            )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool, small cases")
    parser.add_argument("--repeat-slow", type=int, default=2, help="runs per tool, slow cases")
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=list(CASES))
    parser.add_argument("--typical-days", nargs="*", type=int, default=[8, 16, 32])
    parser.add_argument("--no-pypsa", action="store_true", help="aip only")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.repeat_slow < 1:
        parser.error("--repeat and --repeat-slow must be >= 1")

    started = dt.datetime.now()
    load_before = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory(prefix="aip-bench-") as tmp:
        for name in args.cases:
            print(f"benchmarking {name} ...", flush=True)
            rows.append(bench_case(name, args, Path(tmp)))
    text = tables(rows)
    print(text)
    document = {
        "date": started.date().isoformat(),
        "started": started.isoformat(timespec="seconds"),
        "minutes": (dt.datetime.now() - started).total_seconds() / 60,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine(),
        # other work on the machine stretches wall times; CPU times are the steadier measure
        "load_average_1_5_15_min": {"before": load_before, "after": os.getloadavg()},
        "versions": {**versions(), **_more_versions()},
        "results": rows,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"{document['date']}-cases.json"
    target.write_text(json.dumps(document, indent=2), encoding="utf-8")
    (args.out / f"{document['date']}-cases.md").write_text(text + "\n", encoding="utf-8")
    print(f"wrote {target}")
    return 0


def _more_versions() -> dict[str, str]:
    from importlib.metadata import version

    return {"tsam": version("tsam"), "clarabel": version("clarabel")}


if __name__ == "__main__":
    raise SystemExit(main())
