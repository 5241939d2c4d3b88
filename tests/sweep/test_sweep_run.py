"""Running sweeps: local and Dask engines, the store, resume after SIGKILL, the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
import yaml

from aip.errors import DataError
from aip.sweep import read_results, run_sweep

ROOT = Path(__file__).parents[2]

#: Columns that depend on the run (timing, which worker, warm or cold) rather than the case.
RUN_DEPENDENT = {"seconds", "solve_seconds", "simplex_iterations", "warm_start", "worker"}


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    keep = [c for c in frame.columns if c not in RUN_DEPENDENT and c != "hourly_file"]
    return frame[keep].sort_values("case_id").reset_index(drop=True)


def test_local_sweep_records_failures_and_resumes(tmp_path: Path, make_sweep: Any) -> None:
    # -5 GPUs is invalid: a failed row with the reason, and the other cases still run
    spec = make_sweep("loudoun-local", [-5, 30000, 40000], hourly=True)
    db = tmp_path / "r.duckdb"
    summary = run_sweep(spec, db, workers=1, progress=False)
    assert (summary.cases, summary.ok, summary.failed, summary.not_run) == (3, 2, 1, 0)
    assert "compute.count" in next(iter(summary.failure_reasons()))

    table = read_results(db)
    assert list(table["case_index"]) == [0, 1, 2]
    assert list(table["status"]) == ["failed", "ok", "ok"]
    ok = table[table["status"] == "ok"]
    # grid-only at a flat 60 USD/MWh: LCOE is the price, cost is price x energy
    assert ok["lcoe_usd_per_mwh"].to_numpy() == pytest.approx([60.0, 60.0], rel=1e-9)
    assert ok["objective_usd_per_year"].to_numpy() == pytest.approx(
        60.0 * ok["facility_energy_mwh"].to_numpy(), rel=1e-9
    )
    # energy scales with the GPU count (same PUE hours, same utilisation)
    ratio = ok["facility_energy_mwh"].iloc[1] / ok["facility_energy_mwh"].iloc[0]
    assert ratio == pytest.approx(40000 / 30000, rel=0.02)
    path = str(ok["hourly_file"].iloc[0])
    hourly = duckdb.sql(f"SELECT * FROM read_parquet('{path}')").df()
    assert len(hourly) == 8760 and "grid_import_mw" in hourly

    again = run_sweep(spec, db, workers=1, progress=False)
    assert (again.skipped, again.ok, again.failed) == (3, 0, 0)
    assert len(read_results(db)) == 3  # nothing recorded twice


def test_read_results_sql_and_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not found"):
        read_results(tmp_path / "none.duckdb")
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    with pytest.raises(DataError, match="query failed"):
        read_results(db, "SELECT * FROM cases")


@pytest.mark.slow
def test_dask_local_cluster_and_kill_resume_give_the_same_table(
    tmp_path: Path, make_sweep: Any
) -> None:
    distributed = pytest.importorskip("distributed")
    # 16 cases: the kill comes after 3, with ~13 (over a second of work) still to go
    counts = list(range(20000, 60000, 2500))
    spec = make_sweep("loudoun-kill", counts, hourly=True, chunk_size=1)

    # reference: an uninterrupted run on a Dask LocalCluster (threads, in this process)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        reference = run_sweep(
            spec,
            tmp_path / "ref.duckdb",
            engine="dask",
            scheduler=cluster.scheduler_address,
            progress=False,
        )
    assert (reference.ok, reference.failed, reference.workers) == (len(counts), 0, 2)

    # the same sweep in a subprocess, committing every chunk, killed with SIGKILL mid-run
    sweep_file = tmp_path / "kill.yaml"
    sweep_file.write_text(yaml.safe_dump(spec))
    db = tmp_path / "kill.duckdb"
    code = (
        "from aip.sweep import run_sweep; "
        f"run_sweep({str(sweep_file)!r}, {str(db)!r}, workers=1, flush_seconds=0, progress=False)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    hourly = tmp_path / "kill_hourly"
    deadline = time.monotonic() + 120
    while len(list(hourly.glob("*.parquet"))) < 3 and proc.poll() is None:
        assert time.monotonic() < deadline, "the sweep never wrote a case"
        time.sleep(0.05)
    time.sleep(0.1)  # the row commits right after its Parquet file
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    partial = read_results(db)
    assert 0 < len(partial) < len(counts), "kill the sweep mid-run"

    resumed = run_sweep(sweep_file, db, workers=1, progress=False)
    assert resumed.skipped == len(partial)
    assert resumed.ok == len(counts) - len(partial)
    final, ref = comparable(read_results(db)), comparable(read_results(tmp_path / "ref.duckdb"))
    assert list(final.columns) == list(ref.columns)
    numeric = final.select_dtypes("number").columns
    # same LP, solved warm or cold: objectives agree to the solver's tolerance (1e-7 rel.)
    pd.testing.assert_frame_equal(final[numeric], ref[numeric], rtol=1e-6)
    text = [c for c in final.columns if c not in numeric]
    pd.testing.assert_frame_equal(final[text], ref[text])


def test_cli_sweep_and_results(tmp_path: Path, make_sweep: Any) -> None:
    from typer.testing import CliRunner

    from aip.cli import app

    sweep_file = tmp_path / "s.yaml"
    sweep_file.write_text(yaml.safe_dump(make_sweep("loudoun-cli", [30000])))
    db = tmp_path / "cli.duckdb"
    runner = CliRunner()
    run = runner.invoke(
        app, ["sweep", str(sweep_file), "--db", str(db), "--workers", "1", "--json"]
    )
    assert run.exit_code == 0, run.output
    assert json.loads(run.stdout)["ok"] == 1
    query = 'SELECT "compute.count", lcoe_usd_per_mwh FROM cases'
    shown = runner.invoke(app, ["results", str(db), "--sql", query, "--json"])
    assert json.loads(shown.stdout) == [
        {"compute.count": 30000, "lcoe_usd_per_mwh": pytest.approx(60.0)}
    ]
    table = runner.invoke(app, ["results", str(db)])
    assert table.exit_code == 0 and "loudoun" not in table.stdout and "60" in table.stdout
    bad = runner.invoke(app, ["results", str(db), "--sql", "SELEC nonsense"])
    assert isinstance(bad.exception, DataError) and "query failed" in str(bad.exception)
    engine = runner.invoke(app, ["sweep", str(sweep_file), "--engine", "spark"])
    assert engine.exception is not None and "--engine" in str(engine.exception)


def test_screening_sweep_solves_typical_days_like_plan(tmp_path: Path) -> None:
    """``solver.typical_days`` in a sweep's base means typical days for every case, the
    same reduced model (and so the same optimum) that :func:`aip.plan` solves; with
    ``check_full_year`` the full-year cost of each screened plan is a column too."""
    import aip

    base = yaml.safe_load((ROOT / "examples" / "stargate-abilene.yaml").read_text())
    base["solver"] = {"typical_days": 6, "check_full_year": True}
    prices = [3.0, 6.0]
    spec = {
        "name": "screen",
        "base": base,
        "grid": {"economics.fuel_prices_usd_per_mmbtu.gas": prices},
    }
    summary = run_sweep(spec, tmp_path / "s.duckdb", workers=1, progress=False)
    assert summary.ok == 2, summary.failure_reasons()
    table = read_results(tmp_path / "s.duckdb").sort_values("case_index")
    days = aip.plan(base).sections["time_aggregation"]["typical_days"]
    assert list(table["snapshots"]) == [24 * days] * 2
    assert list(table["full_year_check.targets_missed"]) == ["", ""]
    for price, (_, row) in zip(prices, table.iterrows(), strict=True):
        doc = yaml.safe_load(yaml.safe_dump(base))
        doc.setdefault("economics", {}).setdefault("fuel_prices_usd_per_mmbtu", {})["gas"] = price
        plan = aip.plan(doc)
        assert row["objective_usd_per_year"] == pytest.approx(plan.objective_usd_per_year, rel=1e-7)
        check = plan.sections["time_aggregation"]["full_year_check"]
        assert row["full_year_check.cost_usd_per_year"] == pytest.approx(
            check["cost_usd_per_year"], rel=1e-7
        )


def test_a_failed_full_year_check_keeps_the_screened_case(
    monkeypatch: pytest.MonkeyPatch, make_sweep: Any
) -> None:
    """In the worker itself (a pool would not see the patch): the case stays ok with its
    screening outputs, and the reason the check is missing is a column."""
    from aip.errors import SolverError
    from aip.optimize import full_year_check
    from aip.schema.sweep import parse_sweep
    from aip.sweep import worker
    from aip.sweep.cases import expand_cases

    def stopped(*args: object, **kwargs: object) -> None:
        raise SolverError("full-year check: the dispatch ended\n'time_limit'")

    monkeypatch.setattr(full_year_check, "check_full_year", stopped)
    spec = make_sweep("check-fails", [30000])
    spec["grid"]["solver.typical_days"] = [4]
    spec["grid"]["solver.check_full_year"] = [True]
    (case,) = expand_cases(parse_sweep(spec))
    outcome = worker.plan_case(case)
    assert outcome.status == "ok", outcome.error
    assert outcome.outputs["snapshots"] < 8760
    assert outcome.outputs["full_year_check.error"] == (
        "full-year check: the dispatch ended 'time_limit'"
    )
    assert "full_year_check.cost_usd_per_year" not in outcome.outputs


def test_an_interrupted_write_leaves_the_store_writable(tmp_path: Path) -> None:
    """Ctrl-C inside a write rolls its transaction back, so the sweep's last write (in its
    ``finally``) still stores the rows."""
    from aip.sweep.cases import Case
    from aip.sweep.store import ResultStore
    from aip.sweep.worker import CaseOutcome

    store = ResultStore(tmp_path / "s.duckdb", {})
    rows = [(Case(0, "c0", {}, None, "bad"), CaseOutcome("c0", 0, "failed", "bad", 0.0))]
    real = store._add_columns

    def interrupted(new: dict[str, str]) -> None:
        raise KeyboardInterrupt

    store._add_columns = interrupted  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        store.write("s", rows)
    store._add_columns = real  # type: ignore[method-assign]
    store.write("s", rows)
    assert store.finished(include_failed=True) == {"c0"}
    store.close()
