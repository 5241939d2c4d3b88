"""TMY3 reader: the real Memphis file, agreement with the EPW made from it, corruptions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aip.errors import WeatherFileError
from aip.io import read_tmy3


def test_memphis_tmy3_matches_epw(tmy3_gz: Path, memphis: tuple[pd.DataFrame, dict]) -> None:
    """The EPW was converted from this TMY3 file, so after relabelling hours and
    converting units (mbar -> Pa, % -> fraction) every value agrees exactly."""
    df, meta = read_tmy3(tmy3_gz)
    epw, epw_meta = memphis
    assert df.shape == (8760, 8)
    pd.testing.assert_index_equal(df.index, epw.index)
    pd.testing.assert_frame_equal(df, epw, check_exact=False, rtol=1e-12, atol=1e-9)
    assert df["ghi"].sum() / 1e6 == pytest.approx(epw["ghi"].sum() / 1e6, rel=1e-12)
    assert meta["name"] == "MEMPHIS INTERNATIONAL AP"
    assert meta["source"] == "TMY3" and meta["station_id"] == "723340"
    # Coordinates: TMY3 gives three decimals, the EPW two; same station
    assert meta["latitude"] == pytest.approx(epw_meta["latitude"], abs=0.005)
    assert meta["longitude"] == pytest.approx(epw_meta["longitude"], abs=0.005)
    assert meta["tz"] == -6.0 and meta["wind_height_m"] == 10.0


def _column(text: str, name: str) -> int:
    return text.splitlines()[1].split(",").index(name)


def _edit(name: str, row: int, value: str) -> Callable[[list[str]], list[str]]:
    def edit(lines: list[str]) -> list[str]:
        field = lines[1].split(",").index(name)
        parts = lines[2 + row].split(",")
        parts[field] = value
        lines[2 + row] = ",".join(parts)
        return lines

    return edit


def _truncate(lines: list[str]) -> list[str]:
    return lines[:-30]


def _station(lines: list[str]) -> list[str]:
    lines[0] = '723340,"MEMPHIS",TN,-6.0'
    return lines


def _header(lines: list[str]) -> list[str]:
    lines[1] = lines[1].replace("GHI (W/m^2)", "GHI")
    return lines


def _short(lines: list[str]) -> list[str]:
    lines[50] = ",".join(lines[50].split(",")[:12])
    return lines


def _gap(lines: list[str]) -> list[str]:
    for row in range(1000, 1010):
        lines = _edit("Dry-bulb (C)", row, "-9900")(lines)
    return lines


CORRUPTIONS = {
    "truncated": (_truncate, r"8730 hourly rows.*expected 8760"),
    "station line": (_station, r"line 1 must be 'USAF,name,state"),
    "header": (_header, r"line 2 lacks the TMY3 column 'GHI \(W/m\^2\)'"),
    "too few fields": (_short, r"line 51 has 12 fields, expected 71"),
    "bad date": (_edit("Date (MM/DD/YYYY)", 3, "13/45/1996"), r"dates or times cannot be parsed"),
    "non-numeric": (_edit("Wspd (m/s)", 7, "calm"), r"column wind_speed has non-numeric"),
    "gap": (_gap, r"column temp_air has 10 consecutive missing hours"),
    "pressure": (_edit("Pressure (mbar)", 9, "9"), r"pressure .* = 900\.0"),
}


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_corrupted_tmy3_raises(kind: str, tmy3_text: str, tmp_path: Path) -> None:
    edit, message = CORRUPTIONS[kind]
    path = tmp_path / "bad.tmy3"
    path.write_text("\n".join(edit(tmy3_text.splitlines())) + "\n")
    with pytest.raises(WeatherFileError, match=message) as info:
        read_tmy3(path)
    assert str(path) in str(info.value) and "fix:" in str(info.value)


def test_hour_labels_are_interval_start(tmy3_text: str, tmp_path: Path) -> None:
    """TMY3 row '01/01/1996,01:00' (00:00-01:00) becomes 2025-01-01 00:00."""
    df, _ = read_tmy3_from_text(tmy3_text, tmp_path)
    first = tmy3_text.splitlines()[2].split(",")
    dry_bulb = _column(tmy3_text, "Dry-bulb (C)")
    assert first[1] == "01:00"
    assert df["temp_air"].iloc[0] == float(first[dry_bulb])
    assert df.index[0].hour == 0
    assert np.isfinite(df.to_numpy()).all()


def read_tmy3_from_text(text: str, tmp_path: Path) -> tuple[pd.DataFrame, dict]:
    path = tmp_path / "m.tmy3"
    path.write_text(text)
    return read_tmy3(path)
