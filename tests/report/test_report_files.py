"""The report: rebuilt from plan files, one self-contained HTML file, CLI."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from aip.errors import DataError
from aip.plot import from_result
from aip.report import load_plan_dir, write_report
from aip.results.plan import PlanResult

ROOT = Path(__file__).parents[2]
Cli = Callable[..., tuple[int, str, str]]
REL = 1e-9  # hourly.csv is written with 10 significant digits


def test_files_give_the_same_view(small_plan: PlanResult, small_dir: Path) -> None:
    live, files = from_result(small_plan), load_plan_dir(small_dir)
    assert files.generators == live.generators and files.storage == live.storage
    assert files.label("gas_aero") == "Gas CT"
    assert files.summary["energy_mwh"] == pytest.approx(live.summary["energy_mwh"], rel=REL)
    # emissions recomputed from inputs.json + hourly.csv match aip.results.accounting
    for source, rates in live.emissions_by_source.items():
        assert files.emissions_by_source[source] == pytest.approx(rates, rel=1e-8), source


def test_missing_or_broken_folder_is_one_data_error(tmp_path: Path, small_dir: Path) -> None:
    with pytest.raises(DataError, match=r"missing summary\.json, hourly\.csv, inputs\.json"):
        load_plan_dir(tmp_path)
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("hourly.csv", "inputs.json"):
        (broken / name).write_bytes((small_dir / name).read_bytes())
    (broken / "summary.json").write_text("{not json")
    with pytest.raises(DataError, match=r"summary\.json: not a readable JSON"):
        load_plan_dir(broken)
    (broken / "summary.json").write_text("{}")
    (broken / "hourly.csv").write_text("timestamp,weight_h\n2025-01-01,1\n")
    with pytest.raises(DataError, match="plan files do not match"):
        load_plan_dir(broken)
    (broken / "summary.json").write_bytes((small_dir / "summary.json").read_bytes())
    lines = (small_dir / "hourly.csv").read_text().splitlines(keepends=True)
    (broken / "hourly.csv").write_text("".join(lines[:-1]))  # a row cut off
    with pytest.raises(DataError, match=rf"{len(lines) - 2} rows, but inputs.json has"):
        load_plan_dir(broken)


def _outside_scripts(page: str) -> str:
    return re.sub(r"<script\b.*?</script>", "", page, flags=re.DOTALL)


def test_report_is_one_self_contained_file(small_dir: Path, tmp_path: Path) -> None:
    written = write_report(small_dir, tmp_path / "r" / "report.html")
    assert list(written) == ["report"]
    page = written["report"].read_text(encoding="utf-8")
    assert list((tmp_path / "r").iterdir()) == [written["report"]]
    # no script or stylesheet is fetched: every <script> is inline, no <link>, no @import
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, flags=re.I)
    assert not re.search(r"<link\b|@import", page, flags=re.I)
    # our own markup names no external host at all; plotly.js carries URLs (logo link,
    # map tiles) that our figures never use, and the browser test checks no request is made
    assert "http" not in _outside_scripts(page)
    assert "Plotly.newPlot" in page and "cdn.plot.ly/plotly" not in page
    for name in ("capacity", "dispatch", "duration", "costs", "emissions"):
        assert f'id="fig-{name}"' in page
    assert "<h1>small</h1>" in page and "Stated" not in page[:100]


@pytest.mark.slow
def test_cli_plan_report_and_report_command(
    example_dir: Path, tmp_path: Path, aip_cli: Cli
) -> None:
    page = (example_dir / "report.html").read_text(encoding="utf-8")
    assert "loudoun-grid" in page
    assert "Data sources" in page and "AVERT" in page and "Washington Dulles" in page
    code, stdout, stderr = aip_cli(
        "report", str(example_dir), "-o", str(tmp_path / "x.html"), "--png", str(tmp_path / "png")
    )
    assert code == 0, stderr
    assert str(tmp_path / "x.html") in " ".join(stdout.split())
    assert (tmp_path / "x.html").is_file()
    pngs = sorted(p.name for p in (tmp_path / "png").iterdir())
    figures = ["capacity", "costs", "dispatch", "duration", "emissions", "permits"]
    assert pngs == [f"{f}.png" for f in figures]  # one per figure, the permit view included


def test_cli_errors_are_one_line(tmp_path: Path, aip_cli: Cli) -> None:
    code, _, stderr = aip_cli("report", str(tmp_path / "nowhere"))
    assert code == 2
    assert stderr.startswith("error: ") and stderr.count("\n") == 1
    assert "aip plan SCENARIO --out DIR" in stderr
    code, _, stderr = aip_cli("plan", str(ROOT / "examples" / "loudoun-grid.yaml"), "--report")
    assert code == 2 and "--out" in stderr


@pytest.mark.slow
def test_screened_plan_says_so_at_the_top(tmp_path: Path, aip_cli: Cli) -> None:
    out = tmp_path / "screen"
    code, _, stderr = aip_cli(
        "plan",
        str(ROOT / "examples" / "loudoun-grid.yaml"),
        "--typical-days",
        "6",
        "--check-full-year",
        "--out",
        str(out),
        "--report",
    )
    assert code == 0, stderr
    page = (out / "report.html").read_text(encoding="utf-8")
    note = page.split('<p class="screening">', 1)[1].split("</p>", 1)[0]
    assert note.startswith("screening on ") and "typical days" in note
    assert "full-year check" in note and "targets met" in note
    assert page.index('class="screening"') < page.index('id="fig-capacity"')
