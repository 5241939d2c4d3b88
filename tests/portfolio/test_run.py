"""End to end on a tiny real portfolio (grid-only campuses plan in about a second)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aip.cli import app
from aip.errors import ScenarioError
from aip.portfolio import expand_options, run_portfolio
from aip.schema.portfolio import parse_portfolio

BASE = {
    "name": "ash",
    "site": {"station": "ashburn"},
    "compute": {"accelerator": "h100", "count": 20000},
    "grid": {"import_limit_mw": 60, "price": {"kind": "state"}},
    "constraints": {"n_minus": 0},
}


def tiny(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "tiny",
        "capital": {"equity_usd": 2e9, "max_leverage": 0.7},
        "finance": {"years": 10, "debt": {"sizing": "leverage", "leverage": 0.6}},
        "sizes": {"half": {"scale": 0.5}, "full": {"scale": 1.0}},
        "candidates": [{"site": "ashburn", "scenario": BASE}],
        "partners": [{"name": "A", "equity_usd": 1.5e9}, {"name": "B", "equity_usd": 0.5e9}],
    }
    data.update(extra)
    return data


def test_run_tiny_portfolio_within_budget() -> None:
    result = run_portfolio(tiny(), workers=1)
    d = result.to_dict()
    assert len(d["options"]) == 2 and not any(o["error"] for o in d["options"])
    assert len(d["selected"]) <= 1
    assert d["totals"]["equity_usd"] <= 2e9
    assert d["totals"]["debt_usd"] <= 0.7 * d["totals"]["capex_usd"] + 1e-3
    assert sum(p["equity_usd"] for p in d["partners"]) == pytest.approx(d["totals"]["equity_usd"])
    json.dumps(d, allow_nan=False)


def test_bad_override_path_names_the_option() -> None:
    data = tiny(strategies={"x": {"set": {"grid.import_limt_mw": 10}}})
    with pytest.raises(ScenarioError, match="import_limt_mw"):
        expand_options(parse_portfolio(data))


def test_unknown_size_is_rejected() -> None:
    data = tiny(candidates=[{"site": "a", "scenario": BASE, "sizes": ["huge"]}])
    with pytest.raises(ScenarioError, match="huge"):
        parse_portfolio(data)


def test_cli_json_and_out(tmp_path: Path) -> None:
    import yaml

    file = tmp_path / "p.yaml"
    file.write_text(yaml.safe_dump(tiny(sizes={"half": {"scale": 0.5}})), encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app, ["portfolio", str(file), "--json", "--workers", "1", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout[res.stdout.index("{") :])
    assert {"selected", "totals", "partners"} <= set(d)
    assert {"equity_usd", "debt_usd", "capex_usd"} <= set(d["totals"])
    assert {"name", "equity_usd", "irr"} <= set(d["partners"][0])
    assert (out / "report.html").is_file() and (out / "portfolio.json").is_file()


def test_cli_exits_3_with_the_reason_when_no_option_can_be_chosen(tmp_path: Path) -> None:
    import subprocess
    import sys

    import yaml

    data = tiny(
        sizes={"half": {"scale": 0.5}},
        strategies={"x": {"set": {"technologies": {"gas_turbine": {}}}}},
    )
    file = tmp_path / "p.yaml"
    file.write_text(yaml.safe_dump(data), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "aip", "portfolio", str(file), "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 3 and "Traceback" not in run.stderr
    assert "none of its 1 options can be chosen (1 plans failed, e.g." in run.stderr
    assert "unknown technology" in run.stderr


@pytest.mark.parametrize("field", ["sizes", "strategies"])
def test_a_portfolio_needs_a_size_and_a_strategy(field: str) -> None:
    with pytest.raises(ScenarioError, match=f"{field}: .*at least 1 item"):
        parse_portfolio(tiny(**{field: {}}))
