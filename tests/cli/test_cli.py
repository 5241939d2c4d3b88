"""The command line: output contracts, exit codes and one-line errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]

SUMMARY_KEYS = {
    "scenario",
    "status",
    "objective_usd_per_year",
    "p_nom_mw",
    "e_nom_mwh",
    "energy_mwh",
    "load",
    "cost_usd_per_year",
    "lcoe_usd_per_mwh",
    "power_cost_usd_per_gpu_hour",
    "emissions_t_per_year",
    "clean_share",
    "unserved_mwh",
    "solve",
}


def aip(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aip", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


@pytest.mark.slow
def test_plan_json_is_pure_json_with_documented_keys(tmp_path: Path) -> None:
    run = aip("plan", "examples/loudoun-grid.yaml", "--json", "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert set(summary) >= SUMMARY_KEYS
    assert set(summary["load"]) >= {
        "it_mw_peak",
        "facility_mw_peak",
        "facility_energy_mwh",
        "pue_mean",
    }
    assert set(summary["cost_usd_per_year"]) >= {
        "capex",
        "fixed_om",
        "fuel",
        "variable_om",
        "grid",
        "unserved",
        "total",
    }
    assert set(summary["emissions_t_per_year"]) == {"co2", "nox", "so2", "pm25"}
    assert set(summary["solve"]) >= {"solver", "status", "seconds"}
    assert summary["status"] == "optimal"
    for name in ("summary.json", "hourly.csv", "inputs.json"):
        assert (tmp_path / name).is_file()
    assert json.loads((tmp_path / "summary.json").read_text()) == summary


@pytest.mark.parametrize(
    ("args", "code", "pattern"),
    [
        (["plan", "missing.yaml"], 2, "not found"),
        (["catalog", "technologies", "--catalog", "nope"], 2, "unknown technology catalogue"),
        (
            ["plan", "examples/loudoun-grid.yaml", "--typical-days", "1"],
            2,
            "solver.typical_days = 1: Input should be greater than or equal to 2",
        ),
        (
            ["plan", "examples/loudoun-grid.yaml", "--typical-days", "0"],
            2,
            "solver.typical_days = 0: Input should be greater than or equal to 2",
        ),
        (
            ["plan", "examples/loudoun-grid.yaml", "--check-full-year"],
            2,
            "check_full_year works on a plan screened on typical days",
        ),
        (
            ["plan", "examples/loudoun-grid.yaml", "--calibrate-targets"],
            2,
            "calibrate_targets works on a plan screened on typical days",
        ),
        (["profiles", "examples/loudoun-grid.yaml", "--out", "docs"], 2, "not a folder"),
        (
            ["cfe-curve", "examples/loudoun-grid.yaml", "--out", "docs"],
            2,
            "--out = 'docs': must be a file path, not a folder",
        ),
        (["cfe-curve", "examples/loudoun-grid.yaml", "--shares", ""], 2, "--shares = ''"),
        (["cfe-curve", "examples/loudoun-grid.yaml", "--shares", "0,1.5"], 2, "in [0, 1]"),
        (["portfolio", "examples/aip-portfolio.yaml", "--workers", "0"], 2, "--workers = 0"),
    ],
)
def test_errors_are_one_line_with_exit_code(args: list[str], code: int, pattern: str) -> None:
    run = aip(*args)
    assert run.returncode == code
    assert run.stderr.startswith("error: ")
    assert pattern in run.stderr
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_a_sweep_that_solves_nothing_exits_3_and_keeps_its_rows(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(
        f"name: bad\nbase: {ROOT / 'examples' / 'loudoun-grid.yaml'}\n"
        "grid: {compute.count: [-1, -2]}\n"
    )
    db = str(tmp_path / "bad.duckdb")
    run = aip("sweep", str(f), "--db", db, "--workers", "1")
    assert run.returncode == 3
    assert "no case of the sweep was solved (2 failed" in run.stderr
    assert "Traceback" not in run.stderr
    rows = aip("results", db, "--json")
    assert [r["status"] for r in json.loads(rows.stdout)] == ["failed", "failed"]
    # resumed: the failed rows are kept, nothing new ran, nothing to report as a failure
    assert aip("sweep", str(f), "--db", db, "--workers", "1").returncode == 0


def test_an_unreachable_dask_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    sweep = "examples/sweep-gas-price.yaml"
    run = aip("sweep", sweep, "--engine", "dask", "--scheduler", "nowhere", "--db", db)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "--scheduler = 'nowhere': must be the address of a running Dask scheduler" in run.stderr


def test_out_of_range_port_is_a_usage_error() -> None:
    run = aip("serve", "--port", "99999")
    assert run.returncode == 2 and "--port" in run.stderr and "Traceback" not in run.stderr


def test_typo_in_scenario_exits_2(tmp_path: Path) -> None:
    f = tmp_path / "typo.yaml"
    f.write_text(
        "name: t\nsite: {station: memphis}\n"
        "compute: {accelerator: h100, count: 10, utilisation: 0.5}\n"
    )
    run = aip("plan", str(f))
    assert run.returncode == 2
    assert "did you mean 'utilization'" in run.stderr
    assert "Traceback" not in run.stderr


def test_infeasible_exits_3(tmp_path: Path) -> None:
    f = tmp_path / "tight.yaml"
    f.write_text(
        "name: tight\nsite: {station: memphis}\ncompute: {accelerator: h100, count: 100000}\n"
        "grid: {import_limit_mw: 10}\ntechnologies: {gas_aero: {p_nom_max: 20}}\n"
    )
    run = aip("plan", str(f))
    assert run.returncode == 3
    assert "firm capacity" in run.stderr and "fix:" in run.stderr


def test_sites_and_catalogs_list_bundled_data() -> None:
    sites = json.loads(aip("sites", "--json").stdout)
    assert {s["key"] for s in sites} >= {"memphis", "abilene", "ashburn", "montreal"}
    techs = json.loads(aip("catalog", "technologies", "--json").stdout)
    assert {t["key"] for t in techs} >= {"gas_aero", "gas_cc", "pv", "wind", "battery", "nuclear"}
    accs = json.loads(aip("catalog", "accelerators", "--json").stdout)
    assert {a["key"] for a in accs} >= {"h100", "h200", "b200", "gb200", "mi300x"}
    table = aip("sites").stdout
    montreal = next(line for line in table.splitlines() if "montreal" in line)
    cells = [cell.strip() for cell in montreal.split("│")[1:-1]]
    assert cells[-2:] == ["-", "-"]  # no US state nor AVERT region there, not "nan"


def test_profiles_writes_hourly_csv(tmp_path: Path) -> None:
    out = tmp_path / "hourly.csv"
    run = aip("profiles", "examples/colossus-memphis.yaml", "--out", str(out))
    assert run.returncode == 0, run.stderr
    header = out.read_text().splitlines()[0].split(",")
    assert {
        "timestamp",
        "it_load_mw",
        "facility_load_mw",
        "pue",
        "cf_pv",
        "cf_wind",
        "temp_air",
    } <= set(header)
    assert len(out.read_text().splitlines()) == 8761


def test_plan_typical_days_option_screens_the_scenario() -> None:
    run = aip(
        "plan", "examples/loudoun-grid.yaml", "--typical-days", "6", "--check-full-year", "--json"
    )
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    check = summary["time_aggregation"]["full_year_check"]
    # grid only at hourly prices: the screened plan is the grid, so the year costs the same
    assert check["targets_met"] and check["unserved_mwh"] == 0
    assert check["cost_usd_per_year"] == pytest.approx(summary["objective_usd_per_year"], rel=0.02)
    days = summary["time_aggregation"]["typical_days"]
    assert days >= 6 and sum(summary["time_aggregation"]["days_represented"]) == 365
    assert summary["solve"]["n_constraints"] < 8760  # one row per hour at full resolution


def test_plan_calibrate_targets_option_prints_the_targets_screened_at() -> None:
    """cfe-abilene (90 % 24/7 CFE) on 8 typical days: the table names the share the
    typical days were solved with; JSON has the calibration section."""
    run = aip("plan", "examples/cfe-abilene.yaml", "--typical-days", "8", "--calibrate-targets")
    assert run.returncode == 0, run.stderr
    text = " ".join(run.stdout.split())  # the table wraps long lines
    line = re.search(r"calibrated targets: min_cfe_share (0\.\d+) \(target 0\.9\)", text)
    assert line is not None and float(line.group(1)) > 0.9  # tightened, not the target
    run = aip(
        "plan", "examples/cfe-abilene.yaml", "--typical-days", "8", "--calibrate-targets", "--json"
    )
    calibration = json.loads(run.stdout)["time_aggregation"]["calibration"]
    assert calibration["targets"] == {"min_cfe_share": 0.9} and calibration["checks"] >= 1
    assert calibration["screened_at"]["min_cfe_share"] > 0.9
