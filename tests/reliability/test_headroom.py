"""Duke-method headroom on synthetic loads with known answers."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from aip.cli import main
from aip.errors import DataError, ScenarioError
from aip.reliability import curtailment_mw, headroom_mw, headroom_table, read_load_csv

H = 8760


@pytest.mark.parametrize("share", [0.0025, 0.005, 0.01, 0.05])
def test_constant_load_headroom_is_closed_form(share: float) -> None:
    # above 50 MW every hour curtails L - 50: share = (L - 50) / L  =>  L = 50 / (1 - share)
    assert headroom_mw(np.full(H, 50.0), 100.0, share) == pytest.approx(50.0 / (1 - share))


@pytest.mark.parametrize("share", [0.0025, 0.005])
def test_peaky_load_headroom_is_closed_form(share: float) -> None:
    # 100 hours at 90 MW, the rest at 50 MW, limit 100 MW. For 10 < L <= 50 only the
    # peak hours curtail L - 10: share = 100 (L - 10) / (L H)  =>  L = 1000 / (100 - share H)
    load = np.full(H, 50.0)
    load[::87][:100] = 90.0
    expected = 1000.0 / (100.0 - share * H)
    assert 10.0 < expected < 50.0
    size = headroom_mw(load, 100.0, share)
    assert size == pytest.approx(expected, rel=1e-8)
    c = curtailment_mw(load, 100.0, size)
    assert c.sum() == pytest.approx(share * size * H, rel=1e-7)


def test_table_grows_with_share_and_counts_events() -> None:
    hours = np.arange(H)
    load = 80.0 + 20.0 * np.sin(2 * np.pi * hours / H) + 5.0 * np.sin(2 * np.pi * hours / 24)
    rows = headroom_table(load, 110.0)
    sizes = [r.new_load_mw for r in rows]
    assert sizes == sorted(sizes) and sizes[0] > 0
    for r in rows:
        assert r.curtailed_mwh == pytest.approx(r.curtailment_share * r.new_load_mw * H, rel=1e-6)
        assert 0 < r.events <= r.curtailed_hours
        assert 0.0 <= r.mean_retained_share < 1.0


def test_default_limit_is_the_peak_and_overloaded_series_have_no_headroom() -> None:
    load = np.full(H, 50.0)
    load[:100] = 120.0  # 100 peak hours at the limit: 1.1 % of hours always curtailed
    assert headroom_mw(load, 120.0, 0.01) == 0.0
    assert headroom_table(load)[3].new_load_mw > 0.0  # 5 % allows some
    with pytest.raises(ScenarioError, match="limit_mw"):
        headroom_table(load, -1.0)


def test_read_load_csv_picks_the_column(tmp_path: Path) -> None:
    path = tmp_path / "load.csv"
    path.write_text("# comment\ntime,load_mw,other\n0,1.5,3\n1,2.5,4\n")
    assert read_load_csv(path).tolist() == [1.5, 2.5]
    assert read_load_csv(path, "other").tolist() == [3.0, 4.0]
    with pytest.raises(ScenarioError, match="--column"):
        read_load_csv(path, "nope")
    (tmp_path / "bad.csv").write_text("load_mw\n1\nx\n")
    with pytest.raises(DataError):
        read_load_csv(tmp_path / "bad.csv")


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    argv, sys.argv = sys.argv, ["aip", *args]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()


def test_cli_headroom_json_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "load.csv"
    path.write_text("load_mw\n" + "\n".join(["50"] * H) + "\n")
    code, out, _ = _cli("headroom", str(path), "--limit-mw", "100", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["curtailment_share"] for r in rows] == [0.0025, 0.005, 0.01, 0.05]
    assert rows[2]["new_load_mw"] == pytest.approx(50.0 / 0.99)
    code, _, err = _cli("headroom", str(tmp_path / "missing.csv"))
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1
