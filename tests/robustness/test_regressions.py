"""Regression tests for bugs the fuzz corpus found (each names the failing input)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from aip.errors import WeatherFileError
from aip.io import read_weather

EPW_GZ = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "io"
    / ("USA_TN_Memphis.Intl.AP.723340_TMY3.epw.gz")
)


def test_epw_with_doubled_carriage_returns_is_a_clear_error(tmp_path: Path) -> None:
    """Fuzz seed: fmt='epw', kind='crlf'. An EPW whose CRLF endings were converted again
    (``\\r\\r\\n``) has blank lines; line 8 parsed to [] and raised IndexError."""
    text = gzip.decompress(EPW_GZ.read_bytes())
    path = tmp_path / "doubled.epw"
    path.write_bytes(text.replace(b"\n", b"\r\n"))
    with pytest.raises(WeatherFileError, match="line 8 must start with 'DATA PERIODS'; got ''"):
        read_weather(path)


# --- fixed after the fuzzing round (issue 14) -------------------------------------------


@pytest.mark.parametrize(
    "args", [["nonsense"], ["plan"], ["plan", "examples/loudoun-grid.yaml", "--bogus"]]
)
def test_cli_usage_errors_exit_2_without_traceback(args: list[str]) -> None:
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "aip", *args], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "Error:" in run.stderr


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("technologies.gas_aero.capex_usd_per_kw", 1e308),
        ("economics.fuel_prices_usd_per_mmbtu.gas", 1e308),
        ("compute.gpu_hour_value_usd", 1e308),
        ("economics.carbon_price_usd_per_t", 1e308),
    ],
)
def test_overflowing_costs_are_rejected_not_silently_infinite(path: str, value: float) -> None:
    import aip
    from aip.errors import AipError

    data: dict = {
        "name": "big",
        "site": {"station": "memphis"},
        "compute": {"accelerator": "h100", "count": 1000},
        "technologies": {"gas_aero": {}},
    }
    node = data
    keys = path.split(".")
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value
    with pytest.raises(AipError) as info:
        aip.model_inputs(data)
    assert "\n" not in str(info.value)


def test_plan_output_folder_with_foreign_files_is_refused(tmp_path: Path) -> None:
    from aip.errors import ScenarioError
    from aip.optimize import optimize
    from aip.optimize.examples import two_hour_example
    from aip.results.export import write_plan

    result = optimize(two_hour_example())
    (tmp_path / "thesis.docx").write_text("precious")
    with pytest.raises(ScenarioError, match=r"holds thesis\.docx"):
        write_plan(result, tmp_path)
    assert (tmp_path / "thesis.docx").read_text() == "precious"
    target = tmp_path / "out"
    write_plan(result, target)
    (target / "report.html").write_text("<html></html>")
    write_plan(result, target)  # a second run keeps the report beside the new files
    assert (target / "report.html").is_file()
    assert not list(tmp_path.glob(".out.*"))


def test_interrupted_swap_is_recovered(tmp_path: Path) -> None:
    """A kill between the two renames leaves only the renamed-away old folder: the next
    write (or recover_directory) brings the previous complete set back first."""
    from aip.io.atomic import recover_directory

    old = tmp_path / ".out.old-abc"
    old.mkdir()
    (old / "summary.json").write_text("{}")
    stale = tmp_path / ".out.staging-xyz"
    stale.mkdir()
    recover_directory(tmp_path / "out")
    assert (tmp_path / "out" / "summary.json").read_text() == "{}"
    assert not old.exists() and not stale.exists()
