"""Sweeps with ``batch:``: cases with one constraint matrix solved together by the batch
PDHG (numpy here; the same code runs JAX or cupy on a GPU), each row as HiGHS gives it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from aip.errors import ScenarioError
from aip.sweep import read_results, run_sweep

ROOT = Path(__file__).parents[2]


def _spec(name: str, batch: dict[str, Any] | None = None) -> dict[str, Any]:
    """cfe-abilene on 2 typical days (48-hour LPs) at two gas prices and two 24/7 CFE
    shares: one constraint matrix, four cost and bound variants. ``batch``: the sweep's
    ``batch:`` section (numpy backend), or ``None`` for HiGHS case by case."""
    base = yaml.safe_load((ROOT / "examples" / "cfe-abilene.yaml").read_text())
    base["solver"] = {"typical_days": 2}
    spec: dict[str, Any] = {
        "name": name,
        "base": base,
        "grid": {
            "economics.fuel_prices_usd_per_mmbtu.gas": [3.0, 6.0],
            "constraints.min_cfe_share": [0.5, 0.9],
        },
    }
    if batch is not None:
        spec["batch"] = {"backend": "numpy", **batch}
    return spec


@pytest.fixture(autouse=True)
def _no_kept_starts() -> Any:
    """Batch sweeps in this process keep solutions as the next group's start: each test
    starts without them."""
    from aip.sweep.batched import forget_starts

    forget_starts()
    yield
    forget_starts()


def _table(db: Path) -> Any:
    return read_results(db).sort_values("case_index").reset_index(drop=True)


def test_batch_sweep_matches_highs_case_by_case(tmp_path: Path) -> None:
    """PDHG stops at a relative KKT error of 1e-6, so costs agree with HiGHS to ~1e-6;
    1e-4 is the bar the batch solver is held to everywhere (tests/optimize/test_batch.py)."""
    highs = run_sweep(_spec("ref"), tmp_path / "ref.duckdb", workers=1, progress=False)
    summary = run_sweep(_spec("pdhg", {}), tmp_path / "pdhg.duckdb", progress=False)
    assert highs.engine == "local" and "batch" not in highs.warm_modes
    assert highs.ok == summary.ok == 4, summary.failure_reasons()
    assert summary.engine == "batch" and summary.warm_modes == {"batch": 4}
    ref, got = _table(tmp_path / "ref.duckdb"), _table(tmp_path / "pdhg.duckdb")
    for column in ("objective_usd_per_year", "lcoe_usd_per_mwh", "power_cost_usd_per_gpu_hour"):
        assert list(got[column]) == pytest.approx(list(ref[column]), rel=1e-4), column
    # the CFE share binds: a dearer target costs more, at either gas price
    assert (
        got.groupby("economics.fuel_prices_usd_per_mmbtu.gas")["objective_usd_per_year"]
        .apply(lambda v: v.is_monotonic_increasing)
        .all()
    )


def test_a_group_with_two_matrices_is_solved_as_two_batches(tmp_path: Path) -> None:
    """The battery's duration limit is a coefficient of the matrix: one group of four
    cases holds two matrices, stacked apart, each batch as HiGHS solves its cases."""
    from aip.schema.sweep import SweepSpec
    from aip.sweep.batched import prepare_group
    from aip.sweep.cases import expand_cases

    spec = _spec("two", {"group_size": 4})
    spec["grid"] = {
        "economics.fuel_prices_usd_per_mmbtu.gas": [3.0, 6.0],
        "technologies.battery.duration_max_h": [8.0, 24.0],
    }
    group = prepare_group(expand_cases(SweepSpec.model_validate(spec)))
    assert sorted(map(len, group.members.values())) == [2, 2] and not group.outcomes
    a, b = (group.stacked[key] for key in group.members)
    assert not isinstance(a, Exception) and not isinstance(b, Exception)
    assert a.a.shape == b.a.shape and (a.a != b.a).nnz > 0
    for key, members in group.members.items():  # the key names the matrix its cases share
        durations = {group.cases[i].params["technologies.battery.duration_max_h"] for i in members}
        assert len(durations) == 1 and group.matrices[key] is group.stacked[key].a  # type: ignore[union-attr]
    highs = run_sweep(_spec("ref") | {"grid": spec["grid"]}, tmp_path / "r.duckdb", progress=False)
    summary = run_sweep(spec, tmp_path / "b.duckdb", progress=False)
    assert highs.ok == summary.ok == 4 and summary.warm_modes == {"batch": 4}
    ref, got = _table(tmp_path / "r.duckdb"), _table(tmp_path / "b.duckdb")
    assert list(got["objective_usd_per_year"]) == pytest.approx(
        list(ref["objective_usd_per_year"]), rel=1e-4
    )


def test_unsolved_cases_fall_back_to_highs(tmp_path: Path) -> None:
    """64 PDHG iterations solve nothing; each case is then solved by HiGHS (cold, where
    the reference sweep warm-starts: both stop at HiGHS's 1e-7 tolerances)."""
    highs = run_sweep(_spec("ref"), tmp_path / "ref.duckdb", workers=1, progress=False)
    summary = run_sweep(_spec("short", {"max_iter": 64}), tmp_path / "short.duckdb", progress=False)
    assert highs.ok == summary.ok == 4 and summary.warm_modes == {"batch_fallback": 4}
    ref, got = _table(tmp_path / "ref.duckdb"), _table(tmp_path / "short.duckdb")
    assert list(got["objective_usd_per_year"]) == pytest.approx(
        list(ref["objective_usd_per_year"]), rel=1e-6
    )


def test_bad_cases_fail_alone_and_groups_are_cut(tmp_path: Path) -> None:
    """A case whose scenario is invalid is a failed row; the others are solved in groups
    of ``group_size`` (here 2)."""
    spec = _spec("bad", {"group_size": 2})
    spec["grid"]["compute.count"] = [50000, -1]
    summary = run_sweep(spec, tmp_path / "bad.duckdb", progress=False)
    assert (summary.ok, summary.failed) == (4, 4) and summary.warm_modes == {"batch": 4}
    assert all("compute.count" in reason for reason in summary.failure_reasons())


def test_batch_needs_the_local_engine_and_a_known_backend(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="engine"):
        run_sweep(_spec("dask", {}), tmp_path / "d.duckdb", engine="dask", progress=False)
    bad = _spec("tpu", {})
    bad["batch"]["backend"] = "tpu"
    with pytest.raises(ScenarioError, match=r"batch\.backend"):
        run_sweep(bad, tmp_path / "t.duckdb", progress=False)


def test_cli_batch_sweep(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from aip.cli import app

    sweep_file = tmp_path / "s.yaml"
    sweep_file.write_text(yaml.safe_dump(_spec("cli", {})))
    run = CliRunner().invoke(
        app, ["sweep", str(sweep_file), "--db", str(tmp_path / "c.duckdb"), "--json"]
    )
    assert run.exit_code == 0, run.output
    assert json.loads(run.stdout)["ok"] == 4
    again = CliRunner().invoke(app, ["sweep", str(sweep_file), "--db", str(tmp_path / "c.duckdb")])
    assert again.exit_code == 0 and "4 already done" in again.output
    assert "in this process, batch solver" in again.output


@pytest.mark.parametrize("step", ["solve_batch", "stack_problems"])
def test_a_failed_batch_solve_sends_its_group_to_highs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """A batch solve that raises (a device out of memory, say), or stacking the group's
    LPs for it (on the CPU thread, while preparing), loses no case."""
    from aip.sweep import batched

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("out of device memory")

    monkeypatch.setattr(batched, step, broken)
    summary = run_sweep(_spec("broken", {}), tmp_path / "b.duckdb", progress=False)
    assert summary.ok == 4 and summary.warm_modes == {"batch_fallback": 4}
    reasons = set(_table(tmp_path / "b.duckdb")["batch.error"])
    assert reasons == {"RuntimeError: out of device memory"}


def test_a_missing_array_library_fails_before_any_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "cupy", None)  # absent, also where it is installed
    with pytest.raises(ScenarioError, match="pip install cupy"):
        run_sweep(_spec("cupy", {"backend": "cupy"}), tmp_path / "c.duckdb", progress=False)
    assert not (tmp_path / "c.duckdb").exists()


@pytest.mark.slow
def test_calibrated_screening_sweeps_calibrate_once_and_skip_the_batch(tmp_path: Path) -> None:
    """``solver.calibrate_targets`` in a sweep: the first case of each CFE share checks the
    full year and tightens its share, the next gas price reuses that tightening with no
    check (its mix barely moves); ``check_full_year`` adds the share each plan reaches.
    Calibration re-solves after each check, so with ``batch:`` these cases go to HiGHS one
    by one, with the same rows."""
    from aip.optimize.calibrate import forget_calibrations

    forget_calibrations()
    spec = _spec("calibrated")
    spec["base"]["solver"] = {"typical_days": 2, "calibrate_targets": True}
    spec["base"]["solver"]["check_full_year"] = True
    spec["grid"]["constraints.min_cfe_share"] = [0.9]
    highs = run_sweep(spec, tmp_path / "h.duckdb", workers=1, progress=False)
    assert highs.ok == 2, highs.failure_reasons()
    rows = _table(tmp_path / "h.duckdb")
    assert list(rows["calibration.reused"]) == [False, True]
    assert rows["calibration.checks"].iloc[0] >= 1 and rows["calibration.checks"].iloc[1] == 0
    assert (rows["calibration.min_cfe_share"] > 0.9).all()
    assert rows["calibration.min_cfe_share"].nunique() == 1
    # each calibrated plan measured over the year: the share it reaches there, a column
    assert (rows["full_year_check.min_cfe_share"] > 0.85).all()

    forget_calibrations()  # the batch sweep runs in this process: calibrate afresh
    batched = run_sweep(
        {**spec, "batch": {"backend": "numpy"}}, tmp_path / "b.duckdb", progress=False
    )
    assert batched.ok == 2 and "batch" not in batched.warm_modes
    again = _table(tmp_path / "b.duckdb")
    for column in ("objective_usd_per_year", "calibration.min_cfe_share"):
        assert list(again[column]) == pytest.approx(list(rows[column]), rel=1e-7)


@pytest.mark.parametrize("warm", [True, False])
def test_groups_start_from_the_previous_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warm: bool
) -> None:
    """With ``batch.warm_start`` (the default) each case of the second group (gas at 6) starts
    from the first group's case nearest in the sweep's parameters (gas at 3, the same CFE
    share), and queued cases refill warm; without, both start from zero. Either way every
    row matches HiGHS."""
    from aip.optimize import batch as batch_module
    from aip.sweep import batched

    batched.forget_starts()
    calls: list[dict[str, Any]] = []
    real = batch_module.solve_batch

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(batched, "solve_batch", spy)
    spec = _spec(f"warm-{warm}", {"group_size": 2, "block": 1, "warm_start": warm})
    summary = run_sweep(spec, tmp_path / "w.duckdb", progress=False)
    highs = run_sweep(_spec("ref"), tmp_path / "ref.duckdb", workers=1, progress=False)
    assert highs.ok == 4
    assert summary.ok == 4 and summary.warm_modes == {"batch": 4}
    assert [c["start"] is not None for c in calls] == [False, warm]
    assert all(c["warm_refill"] is warm for c in calls)
    if warm:  # per case, the first group's case at the same CFE share (nearest)
        assert calls[1]["start"][0].shape[0] == 2 and list(calls[1]["start_index"]) == [0, 1]
    got, ref = _table(tmp_path / "w.duckdb"), _table(tmp_path / "ref.duckdb")
    assert list(got["objective_usd_per_year"]) == pytest.approx(
        list(ref["objective_usd_per_year"]), rel=1e-4
    )
    batched.forget_starts()


def test_a_group_gets_only_the_starts_it_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Gas at 4 and 5 are both nearest the first group's case at 3: that one solution goes
    to the solver, once, for both. Each row records its PDHG iterations."""
    from aip.optimize import batch as batch_module
    from aip.sweep import batched

    starts: list[Any] = []
    real = batch_module.solve_batch

    def spy(*args: Any, **kwargs: Any) -> Any:
        starts.append((kwargs["start"], kwargs["start_index"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(batched, "solve_batch", spy)
    spec = _spec("used", {"group_size": 2})
    spec["grid"] = {
        "economics.fuel_prices_usd_per_mmbtu.gas": [2.0, 3.0, 4.0, 5.0],
        "constraints.min_cfe_share": [0.9],
    }
    summary = run_sweep(spec, tmp_path / "u.duckdb", progress=False)
    assert summary.ok == 4 and summary.warm_modes == {"batch": 4}
    kept = batched._STARTS[next(iter(batched._STARTS))]  # the second group's cases now
    assert starts[0] == (None, None)
    (x, y), index = starts[1]
    assert x.shape[0] == y.shape[0] == 1 and list(index) == [0, 0]
    rows = _table(tmp_path / "u.duckdb")
    assert (rows["batch.iterations"] > 0).all()
    assert kept[0].params["economics.fuel_prices_usd_per_mmbtu.gas"] == 4.0


def test_the_nearest_kept_case_is_the_start() -> None:
    """Numbers count by their difference over the largest magnitude seen; anything else
    (text, booleans) by being equal or not."""
    from aip.sweep.batched import _nearest, _Solved

    kept = [
        _Solved({"gas": 3.0, "site": "a"}, np.array([1.0]), np.array([10.0])),
        _Solved({"gas": 5.5, "site": "b"}, np.array([2.0]), np.array([20.0])),
        _Solved({"gas": 6.0, "site": "a", "flag": True}, np.array([3.0]), np.array([30.0])),
    ]
    index = _nearest(
        [{"gas": 6.0, "site": "a"}, {"gas": 5.0, "site": "b"}, {"gas": 4.0, "site": "a"}], kept
    )
    # 6.0/a: 3.0/a is 0.5 away, 5.5/b 1.08, 6.0/a/flag 1 (flag missing): the first
    assert index.tolist() == [0, 1, 0]
    nan = _nearest([{"gas": float("nan"), "site": "b"}], kept)  # NaN counts as unequal
    assert nan.tolist() == [1]


def test_a_sweep_starts_from_its_own_solutions_only(tmp_path: Path) -> None:
    """Kept starts are dropped when a sweep begins, so the same batch sweep twice in one
    process gives the same rows to the last bit."""
    spec = _spec("again", {"group_size": 2})
    first = run_sweep(spec, tmp_path / "a.duckdb", progress=False)
    second = run_sweep(spec, tmp_path / "b.duckdb", progress=False)
    assert first.ok == second.ok == 4
    a, b = _table(tmp_path / "a.duckdb"), _table(tmp_path / "b.duckdb")
    for column in ("objective_usd_per_year", "p_nom_mw.battery", "energy_mwh.pv"):
        assert list(a[column]) == list(b[column]), column


def test_cpu_work_overlaps_the_solves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While group k is solved, the CPU thread reads out group k - 1 and prepares group
    k + 1: each of those waits here for group k's solve to begin (a pipeline that ran
    them one after another would time out); all on one thread, never the sweep's own.
    The rows are those of HiGHS."""
    import threading

    from aip.sweep import batched

    order: dict[str, int] = {}  # first case id -> group
    solving = [threading.Event() for _ in range(4)]
    preparing = [threading.Event() for _ in range(4)]
    read = [threading.Event() for _ in range(4)]
    overlapped: list[tuple[str, bool]] = []
    threads: set[str] = set()
    real_prepare, real_solve, real_read = (
        batched.prepare_group,
        batched.solve_group,
        batched.read_out,
    )

    def prepare(cases: list[Any], **kwargs: Any) -> Any:
        k = order.setdefault(cases[0].case_id, len(order))
        threads.add(threading.current_thread().name)
        preparing[k].set()
        if k >= 1:
            overlapped.append((f"prepare {k} during solve {k - 1}", solving[k - 1].wait(20)))
        return real_prepare(cases, **kwargs)

    def solve(group: Any, settings: Any) -> Any:
        k = order[group.cases[0].case_id]
        solving[k].set()
        if k >= 1:
            overlapped.append((f"solve {k} sees readout {k - 1}", read[k - 1].wait(20)))
        if k + 1 < 4:
            overlapped.append((f"solve {k} sees prepare {k + 1}", preparing[k + 1].wait(20)))
        return real_solve(group, settings)

    def read_out(group: Any) -> Any:
        k = order[group.prepared.cases[0].case_id]
        threads.add(threading.current_thread().name)
        if k + 1 < 4:
            overlapped.append((f"readout {k} during solve {k + 1}", solving[k + 1].wait(20)))
        rows = real_read(group)
        read[k].set()
        return rows

    monkeypatch.setattr(batched, "prepare_group", prepare)
    monkeypatch.setattr(batched, "solve_group", solve)
    monkeypatch.setattr(batched, "read_out", read_out)
    summary = run_sweep(_spec("ahead", {"group_size": 1}), tmp_path / "p.duckdb", progress=False)
    assert summary.ok == 4 and summary.warm_modes == {"batch": 4}
    assert len(overlapped) == 12 and all(ok for _, ok in overlapped), overlapped
    assert len(threads) == 1 and threading.current_thread().name not in threads
    highs = run_sweep(_spec("ref"), tmp_path / "ref.duckdb", workers=1, progress=False)
    assert highs.ok == 4
    assert list(_table(tmp_path / "p.duckdb")["objective_usd_per_year"]) == pytest.approx(
        list(_table(tmp_path / "ref.duckdb")["objective_usd_per_year"]), rel=1e-4
    )


def test_ctrl_c_keeps_the_rows_already_solved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interrupt during the third group's solve ends the sweep with the first two
    groups' rows stored (the second is still being read out then); a rerun does the
    rest."""
    from aip.sweep import batched

    real = batched.solve_group
    solves: list[int] = []

    def interrupted(group: Any, settings: Any) -> Any:
        solves.append(len(group.cases))
        if len(solves) == 3:
            raise KeyboardInterrupt
        return real(group, settings)

    monkeypatch.setattr(batched, "solve_group", interrupted)
    spec = _spec("ctrl-c", {"group_size": 1})
    with pytest.raises(KeyboardInterrupt):
        run_sweep(spec, tmp_path / "c.duckdb", progress=False)
    assert len(_table(tmp_path / "c.duckdb")) == 2
    monkeypatch.setattr(batched, "solve_group", real)
    again = run_sweep(spec, tmp_path / "c.duckdb", progress=False)
    assert (again.skipped, again.ok) == (2, 2)


@pytest.mark.parametrize("stage", ["prepare_group", "solve_group"])
def test_a_group_whose_stage_raises_loses_only_its_cases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    """An error outside any one case (here: memory, while the second group is prepared
    on the CPU thread or solved) fails that group's rows with the reason; the groups
    after it are prepared and solved."""
    from aip.sweep import batched

    real = getattr(batched, stage)
    calls = []

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise MemoryError("no room for the group")
        return real(*args, **kwargs)

    monkeypatch.setattr(batched, stage, flaky)
    spec = _spec("lost", {"group_size": 1})
    summary = run_sweep(spec, tmp_path / "l.duckdb", progress=False)
    assert (summary.ok, summary.failed) == (3, 1)
    assert summary.failure_reasons() == {"worker lost: MemoryError: no room for the group": 1}


def test_the_pipeline_takes_groups_in_order() -> None:
    from aip.schema.sweep import BatchSolve
    from aip.sweep.batched import GroupPipeline

    groups: list[list[Any]] = [[], []]
    pipeline = GroupPipeline(groups, BatchSolve(backend="numpy"), False, True)
    try:
        with pytest.raises(RuntimeError, match="in their order"):
            pipeline.submit(groups[1])
    finally:
        pipeline.close()


def test_batch_sweeps_search_the_contingency_level_as_plan_does(tmp_path: Path) -> None:
    """N+1 with a 600 MW combined cycle allowed: the batch solves the top level (the largest
    allowed unit), HiGHS the levels below it, and each case ends where HiGHS's own sweep
    does (aip.optimize.contingency; its bounds use the batch's duals)."""
    base = yaml.safe_load((ROOT / "examples" / "colossus-memphis.yaml").read_text())
    base["solver"] = {"typical_days": 2}
    base["technologies"]["gas_cc"] = {}
    spec: dict[str, Any] = {
        "name": "nk",
        "base": base,
        "grid": {"economics.fuel_prices_usd_per_mmbtu.gas": [2.0, 6.0]},
    }
    highs = run_sweep(spec, tmp_path / "ref.duckdb", workers=1, progress=False)
    batch = run_sweep(
        {**spec, "batch": {"backend": "numpy"}}, tmp_path / "pdhg.duckdb", progress=False
    )
    assert highs.ok == batch.ok == 2, batch.failure_reasons()
    ref, got = _table(tmp_path / "ref.duckdb"), _table(tmp_path / "pdhg.duckdb")
    assert list(got["objective_usd_per_year"]) == pytest.approx(
        list(ref["objective_usd_per_year"]), rel=1e-4
    )
    assert list(got["contingency_mw"]) == pytest.approx(list(ref["contingency_mw"]), rel=1e-3)
    assert (ref["contingency_mw"] < 600.0).all() and (ref["lps_solved"] > 1).all()
    # at a loose tolerance the batch's duals rule nothing out (TRUSTED_KKT_ERROR): the
    # levels below are all solved by HiGHS, and the cheapest is still found
    loose = run_sweep(
        {**spec, "name": "loose", "batch": {"backend": "numpy", "tol": 1e-2}},
        tmp_path / "loose.duckdb",
        progress=False,
    )
    assert loose.ok == 2, loose.failure_reasons()
    rough = _table(tmp_path / "loose.duckdb")
    assert list(rough["objective_usd_per_year"]) == pytest.approx(
        list(ref["objective_usd_per_year"]), rel=1e-6
    )
    assert (rough["lps_solved"] >= got["lps_solved"]).all()
