"""One timed solve in a fresh process, for ``bench/bench_cases.py``.

The parent starts this script once per run, so every run pays its own imports and its
peak memory is its own: ``VmHWM`` (the resident-set high-water mark) read from
``/proc/self/status`` at the end, beside ``VmRSS`` right after the imports (the
interpreter plus numpy/highspy, or plus pypsa/linopy/xarray). It prints one JSON line.

Usage (the parent builds the spec)::

    .venv/bin/python bench/bench_child.py '{"tool": "aip", "scenario": "bench/cases/easy.yaml"}'

Spec keys: ``tool`` (``aip`` or ``pypsa``); for aip ``scenario`` (a YAML path),
optional ``solver`` (overrides merged into the scenario's ``solver`` section, e.g.
``{"typical_days": 16}`` or ``{"method": "ipm"}``) and ``write`` (a folder: after the
timing, write the plan's ``inputs.json`` + ``hourly.csv`` there for PyPSA; they carry the
24/7 target and the hourly clean share of imports too); for pypsa
``folder`` (such a plan folder) and ``threads``.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def memory_kib() -> dict[str, int]:
    """``VmRSS`` and ``VmHWM`` of this process [KiB] (Linux; zeros elsewhere)."""
    out = {"VmRSS": 0, "VmHWM": 0}
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            key = line.split(":", 1)[0]
            if key in out:
                out[key] = int(line.split()[1])
    return out


def run_aip(spec: dict[str, Any]) -> dict[str, Any]:
    import yaml

    import aip
    from aip.optimize import optimize
    from aip.optimize.aggregate import aggregate_inputs

    base_kib = memory_kib()["VmRSS"]
    doc = yaml.safe_load(Path(spec["scenario"]).read_text(encoding="utf-8"))
    solver = {**doc.get("solver", {}), **spec.get("solver", {})}
    typical_days = solver.pop("typical_days", None)
    doc["solver"] = solver
    cpu, start = time.process_time(), time.perf_counter()
    inputs = aip.model_inputs(doc)
    prepared = time.perf_counter()
    solved_inputs = inputs
    if typical_days is not None:
        solved_inputs, _, _ = aggregate_inputs(inputs, int(typical_days))
    aggregated = time.perf_counter()
    result = optimize(solved_inputs)
    end = time.perf_counter()
    cpu_total = time.process_time() - cpu
    peak_kib = memory_kib()["VmHWM"]
    if spec.get("write"):
        from aip.results.export import write_plan

        write_plan(result, Path(spec["write"]))
    return {
        "prepare": prepared - start,
        "aggregate": aggregated - prepared,
        "build": result.solve.build_seconds,
        "solve": result.solve.seconds,
        "optimize": end - aggregated,
        "total": end - start,
        "cpu_total": cpu_total,
        "objective": result.objective_usd_per_year,
        "snapshots": solved_inputs.n_snapshots,
        "simplex_iterations": result.solve.simplex_iterations,
        "ipm_iterations": result.solve.ipm_iterations,
        "rss_after_imports_mib": base_kib / 1024,
        "peak_rss_mib": peak_kib / 1024,
    }


def add_cfe_rows(n: Any, doc: dict[str, Any], hourly: Any) -> None:
    """aip's 24/7 CFE rows (``aip.optimize.constraints.add_cfe_share``) on PyPSA's model.

    ``y_t <= sum_clean p_gt + sum_s (eta_d q_dis,t - q_ch,t) + phi_t i_t - x_t``, ``y_t <= L_t``,
    ``sum_t w_t y_t >= s sum_t w_t L_t``, with ``q`` the link flows at their input bus
    (so ``eta_d q_dis`` and ``q_ch`` are the campus-side discharge and charge).
    """
    import numpy as np
    import xarray as xr

    m = n.model
    sns = n.snapshots
    load = hourly[doc["load_column"]].to_numpy(dtype=float)
    w = hourly[doc["weights_column"]].to_numpy(dtype=float)
    phi = hourly[doc["grid"]["cfe_fraction_column"]].to_numpy(dtype=float)
    clean = {g["key"] for g in doc["generators"] if g["clean"]}
    clean |= {f"{k}:existing" for k in clean}
    names = list(n.generators.index)
    gcoef = np.zeros((len(sns), len(names)))
    for j, name in enumerate(names):
        if name in clean:
            gcoef[:, j] = 1.0
        elif name == "grid":
            gcoef[:, j] = phi
        elif name == "spill":
            gcoef[:, j] = 1.0  # p_spill = -x_t: spilled surplus is subtracted, as in aip
    gen = xr.DataArray(gcoef, coords={"snapshot": sns, "name": names}, dims=("snapshot", "name"))
    y = m.add_variables(
        lower=-np.inf, upper=xr.DataArray(load, coords={"snapshot": sns}), name="cfe"
    )
    lhs = y - (m["Generator-p"] * gen).sum("name")
    if doc["storage"]:
        links = list(n.links.index)
        eta = {f"{s['key']}:discharge": s["efficiency_discharge"] for s in doc["storage"]}
        lcoef = [1.0 if k.endswith(":charge") else -eta[k] for k in links]
        link = xr.DataArray(lcoef, coords={"name": links}, dims="name")
        lhs = lhs + (m["Link-p"] * link).sum("name")
    m.add_constraints(lhs <= 0, name="cfe_supply")
    wt = xr.DataArray(w, coords={"snapshot": sns})
    share = doc["constraints"]["min_cfe_share"]
    m.add_constraints((y * wt).sum() >= share * float(w @ load), name="cfe_share")


def run_pypsa(spec: dict[str, Any]) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "tests" / "crosscheck"))
    import pypsa_model

    for name in ("pypsa", "linopy"):
        logging.getLogger(name).setLevel(logging.WARNING)
    base_kib = memory_kib()["VmRSS"]
    folder = Path(spec["folder"])
    cpu, start = time.process_time(), time.perf_counter()
    doc, hourly = pypsa_model.read_plan_files(folder)
    read = time.perf_counter()
    n, extra, constant = pypsa_model.build_network(doc, hourly)
    m = n.optimize.create_model(include_objective_constant=False)
    extra(n, n.snapshots)
    if doc["constraints"]["min_cfe_share"] is not None:
        add_cfe_rows(n, doc, hourly)
    built = time.perf_counter()
    # HiGHS defaults, as aip's; linopy's default hand-over (an LP file)
    status, condition = m.solve(
        solver_name="highs", progress=False, threads=spec.get("threads", 1), output_flag=False
    )
    solved = time.perf_counter()
    if status != "ok" or condition != "optimal":
        raise RuntimeError(f"PyPSA/HiGHS ended with {status}/{condition}")
    n.optimize.assign_solution()
    end = time.perf_counter()
    return {
        "read": read - start,
        "build": built - read,
        "solve": solved - built,
        "extract": end - solved,
        "total": end - start,
        "cpu_total": time.process_time() - cpu,
        "objective": float(m.objective.value) + constant,
        "rows": int(m.ncons),
        "columns": int(m.nvars),
        "rss_after_imports_mib": base_kib / 1024,
        "peak_rss_mib": memory_kib()["VmHWM"] / 1024,
    }


def main() -> int:
    spec = json.loads(sys.argv[1])
    out = run_aip(spec) if spec["tool"] == "aip" else run_pypsa(spec)
    print("BENCH " + json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
