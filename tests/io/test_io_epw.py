"""EPW reader: the real Memphis file and corrupted variants of it."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aip.errors import WeatherFileError
from aip.io import WEATHER_COLUMNS, read_epw

HEADER = 8  # EPW header lines before the first data row
GHI, TEMP, RH, PRES, WIND = 13, 6, 8, 9, 21  # EPW field positions (0-based)


def _raw_rows(text: str) -> list[list[str]]:
    return list(csv.reader(text.splitlines()[HEADER:]))


def test_memphis_shape_index_and_meta(memphis: tuple[pd.DataFrame, dict]) -> None:
    df, meta = memphis
    assert list(df.columns) == list(WEATHER_COLUMNS)
    assert df.shape == (8760, 8)
    assert (df.dtypes == np.float64).all()
    assert df.index[0] == pd.Timestamp("2025-01-01 00:00", tz="Etc/GMT+6")
    assert df.index[-1] == pd.Timestamp("2025-12-31 23:00", tz="Etc/GMT+6")
    assert (np.diff(df.index.asi8) == np.diff(df.index.asi8)[0]).all()  # strictly hourly
    assert df.index.tz.utcoffset(None) == pd.Timedelta(hours=-6)
    assert meta == {
        "name": "Memphis International Ap",
        "latitude": 35.07,
        "longitude": -89.98,
        "elevation": 81.0,
        "tz": -6.0,
        "source": "EPW",
        "wind_height_m": 10.0,
        "station_id": "723340",
    }


def test_memphis_annual_numbers_match_file(
    memphis: tuple[pd.DataFrame, dict], epw_text: str
) -> None:
    """Sums recomputed from the raw text with the csv module agree exactly (same numbers)."""
    df, _ = memphis
    rows = _raw_rows(epw_text)
    ghi_file = sum(float(r[GHI]) for r in rows) / 1e6  # [MWh/m2]
    temp_file = sum(float(r[TEMP]) for r in rows) / len(rows)
    assert df["ghi"].sum() / 1e6 == pytest.approx(ghi_file, rel=1e-12)
    assert df["temp_air"].mean() == pytest.approx(temp_file, rel=1e-12)
    # Plausibility bands for Memphis (TMY3 ~4.5 kWh/m2/day; normal annual mean ~17 degC)
    assert 1.55 < ghi_file < 1.75
    assert 16.0 < temp_file < 18.0
    # Units: RH is a fraction, pressure in Pa, wind at 10 m in m/s
    assert df["relative_humidity"].max() == pytest.approx(1.0)
    assert df["relative_humidity"].mean() == pytest.approx(
        sum(float(r[RH]) for r in rows) / len(rows) / 100.0
    )
    assert 99_000 < df["pressure"].mean() < 102_000
    # EPW hour 1 (00:00-01:00) is labelled 00:00: first row's wind is the file's first
    assert df["wind_speed"].iloc[0] == float(rows[0][WIND])


def test_plain_and_gzip_read_the_same(tmp_path: Path, epw_text: str, epw_gz: Path) -> None:
    plain = tmp_path / "memphis.epw"
    plain.write_text(epw_text)
    a, meta_a = read_epw(plain)
    b, meta_b = read_epw(epw_gz)
    pd.testing.assert_frame_equal(a, b)
    assert meta_a == meta_b


def test_other_year(epw_text: str, tmp_path: Path) -> None:
    path = tmp_path / "m.epw"
    path.write_text(epw_text)
    df, _ = read_epw(path, year=2023)
    assert df.index[0].year == 2023 and len(df) == 8760


def _edit_field(row: int, field: int, value: str) -> Callable[[list[str]], list[str]]:
    def edit(lines: list[str]) -> list[str]:
        parts = lines[HEADER + row].split(",")
        parts[field] = value
        lines[HEADER + row] = ",".join(parts)
        return lines

    return edit


def _truncate(lines: list[str]) -> list[str]:
    return lines[:-100]


def _bad_location(lines: list[str]) -> list[str]:
    lines[0] = lines[0].replace("35.07", "north")
    return lines


def _no_data_periods(lines: list[str]) -> list[str]:
    del lines[HEADER - 1]
    return lines


def _short_row(lines: list[str]) -> list[str]:
    lines[HEADER + 500] = ",".join(lines[HEADER + 500].split(",")[:20])
    return lines


def _duplicate_row(lines: list[str]) -> list[str]:
    lines[HEADER + 200] = lines[HEADER + 199]
    return lines


def _long_gap(lines: list[str]) -> list[str]:
    for row in range(4000, 4005):
        lines = _edit_field(row, GHI, "9999")(lines)
    return lines


def _bad_hour(lines: list[str]) -> list[str]:
    return _edit_field(10, 3, "x7")(lines)


def _latitude_95(lines: list[str]) -> list[str]:
    lines[0] = lines[0].replace("35.07", "95.0")
    return lines


CORRUPTIONS = {
    "truncated": (_truncate, r"8660 hourly rows.*expected 8760.*first missing hour"),
    "bad header": (_bad_location, r"LOCATION latitude = 'north' is not a number"),
    "no DATA PERIODS": (_no_data_periods, r"DATA PERIODS"),
    "too few fields": (_short_row, r"line 509 has 20 fields, expected 35"),
    "non-numeric": (_edit_field(99, GHI, "abc"), r"column ghi has non-numeric value 'abc'"),
    "duplicate hour": (_duplicate_row, r"appears more than once"),
    "long gap": (_long_gap, r"column ghi has 5 consecutive missing hours from 2025-06-16 16:00"),
    "bad hour": (_bad_hour, r"cannot be parsed"),
    "latitude": (_latitude_95, r"latitude = 95.0: must be a number in \[-90, 90\]"),
    "temp_air": (_edit_field(300, TEMP, "70.0"), r"temp_air at 2025-01-13 12:00.*data row 301"),
    "relative_humidity": (_edit_field(5, RH, "150"), r"relative_humidity .*1\.5.*fraction"),
    "pressure": (_edit_field(7, PRES, "40000"), r"pressure at .* = 40000\.0.*hPa/mbar by 100"),
    "wind_speed": (_edit_field(8, WIND, "80"), r"wind_speed at .* = 80\.0: must be within"),
    "negative ghi": (
        _edit_field(4000, GHI, "-5"),
        r"ghi at .* = -5\.0: must be within \[0, 1500\]",
    ),
}


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_corrupted_epw_raises(kind: str, epw_text: str, tmp_path: Path) -> None:
    edit, message = CORRUPTIONS[kind]
    path = tmp_path / "bad.epw"
    path.write_text("\n".join(edit(epw_text.splitlines())) + "\n")
    with pytest.raises(WeatherFileError, match=message) as info:
        read_epw(path)
    text = str(info.value)
    assert str(path) in text and "fix:" in text and "\n" not in text


@pytest.mark.parametrize(
    "content",
    [b"", b"\x1f\x8b\x08\x00garbage", b"LOCATION,only,one,line\n"],
    ids=["empty", "corrupt gzip", "header only"],
)
def test_unreadable_files(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bad.epw.gz"
    path.write_bytes(content)
    with pytest.raises(WeatherFileError, match="fix:"):
        read_epw(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WeatherFileError, match="file not found"):
        read_epw(tmp_path / "nope.epw")


def test_short_gap_interpolated_linearly(epw_text: str, tmp_path: Path) -> None:
    """Three missing hours (EPW code 9999) around noon are filled on a straight line."""
    lines = epw_text.splitlines()
    rows = _raw_rows(epw_text)
    first = 24 * 151 + 10  # Jun 1, 10:00-13:00 (day 152 of the year)
    for row in range(first, first + 3):
        lines = _edit_field(row, GHI, "9999")(lines)
    path = tmp_path / "gap.epw.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    df, _ = read_epw(path)
    before, after = float(rows[first - 1][GHI]), float(rows[first + 3][GHI])
    expected = [before + (after - before) * k / 4 for k in (1, 2, 3)]
    np.testing.assert_allclose(df["ghi"].iloc[first : first + 3], expected, rtol=0, atol=1e-9)
    # untouched hours keep the file's values
    assert df["ghi"].iloc[first - 1] == before and df["ghi"].iloc[first + 3] == after
