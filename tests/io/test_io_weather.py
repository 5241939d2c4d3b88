"""read_weather dispatch and validate_weather on hand-made frames."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aip.errors import ScenarioError, WeatherFileError
from aip.io import read_weather, validate_weather, write_weather_csv

META = {
    "name": "hand",
    "latitude": 35.0,
    "longitude": -90.0,
    "elevation": 80.0,
    "tz": 0.0,
    "source": "test",
    "wind_height_m": 10.0,
}


def _frame(**overrides: float) -> pd.DataFrame:
    index = pd.date_range("2025-01-01", periods=8760, freq="h", tz="UTC")
    values = {
        "ghi": 0.0,
        "dni": 0.0,
        "dhi": 0.0,
        "temp_air": 10.0,
        "temp_dew": 5.0,
        "relative_humidity": 0.7,
        "wind_speed": 3.0,
        "pressure": 101325.0,
    }
    values.update(overrides)
    return pd.DataFrame(values, index=index)


def test_dispatch_by_suffix(
    epw_gz: Path, tmy3_gz: Path, memphis: tuple[pd.DataFrame, dict], tmp_path: Path
) -> None:
    epw, _ = memphis
    assert read_weather(epw_gz)[1]["source"] == "EPW"
    assert read_weather(tmy3_gz)[1]["source"] == "TMY3"
    as_csv = tmp_path / "TN-Memphis.csv.gz"  # a TMY3 file with .csv suffix is sniffed
    shutil.copy(tmy3_gz, as_csv)
    df, meta = read_weather(as_csv)
    assert meta["source"] == "TMY3"
    pd.testing.assert_frame_equal(df, epw, check_exact=False, rtol=1e-12)
    plain = write_weather_csv(epw, META | {"tz": -6.0}, tmp_path / "plain.csv")
    assert read_weather(plain)[1]["source"] == "CSV"


def test_unknown_suffix_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WeatherFileError, match=r"unknown weather file type; allowed suffixes"):
        read_weather(tmp_path / "weather.txt")
    with pytest.raises(WeatherFileError, match="file not found"):
        read_weather(tmp_path / "absent.epw")


def test_validate_passes_clean_frame_unchanged() -> None:
    df = _frame(ghi=100.0)
    out = validate_weather(df, META, "hand")
    pd.testing.assert_frame_equal(out, df, check_freq=False, check_names=False)
    assert out.index.name == "time" and str(out.index.freq) == "<Hour>"


def test_validate_converts_to_meta_offset() -> None:
    """UTC input with meta tz = -6: the local year starts at local midnight (rolled)."""
    df = _frame()
    df["temp_air"] = np.arange(8760) / 1000.0  # hour of the UTC year, as a tracer
    out = validate_weather(df, META | {"tz": -6.0}, "hand")
    assert out.index[0] == pd.Timestamp("2025-01-01 00:00", tz="-06:00")
    # local Jan 1 00:00 is UTC 06:00 (hour 6); the last 6 local hours wrap from UTC Jan 1
    assert out["temp_air"].iloc[0] == pytest.approx(0.006)
    assert out["temp_air"].iloc[-6] == pytest.approx(0.0)


def test_validate_interpolates_at_year_edges_cyclically() -> None:
    df = _frame()
    df.iloc[0, df.columns.get_loc("temp_air")] = np.nan  # first hour missing
    df.iloc[-1, df.columns.get_loc("temp_air")] = 12.0
    df.iloc[1, df.columns.get_loc("temp_air")] = 14.0
    out = validate_weather(df, META, "hand")
    assert out["temp_air"].iloc[0] == pytest.approx(13.0)  # between Dec 31 23:00 and 01:00


@pytest.mark.parametrize(
    ("meta_change", "message"),
    [
        ({"latitude": -91.0}, r"latitude = -91.0: must be a number in \[-90, 90\]"),
        ({"longitude": 181.0}, r"longitude = 181.0: must be a number in \[-180, 180\]"),
        ({"tz": 15.0}, r"tz = 15.0"),
        ({"latitude": "north"}, r"latitude = 'north'"),
    ],
)
def test_validate_meta(meta_change: dict, message: str) -> None:
    with pytest.raises(WeatherFileError, match=message):
        validate_weather(_frame(), META | meta_change, "hand")


def test_validate_structural_errors() -> None:
    with pytest.raises(WeatherFileError, match="column pressure is missing"):
        validate_weather(_frame().drop(columns=["pressure"]), META, "hand")
    with pytest.raises(WeatherFileError, match="no UTC offset"):
        validate_weather(_frame().tz_localize(None), META, "hand")
    with pytest.raises(WeatherFileError, match="indexed by timestamps"):
        validate_weather(_frame().reset_index(drop=True), META, "hand")
    with pytest.raises(WeatherFileError, match="metadata lacks 'wind_height_m'"):
        meta = {k: v for k, v in META.items() if k != "wind_height_m"}
        validate_weather(_frame(), meta, "hand")
    with pytest.raises(ScenarioError, match="year = 2024: must be a non-leap year"):
        validate_weather(_frame(), META, "hand", year=2024)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("ghi", 1501.0),
        ("dni", 1401.0),
        ("dhi", -1.0),
        ("temp_air", -91.0),
        ("temp_dew", 61.0),
        ("relative_humidity", 1.01),
        ("wind_speed", 75.5),
        ("pressure", 49000.0),
    ],
)
def test_validate_bounds(column: str, value: float) -> None:
    df = _frame()
    df.iloc[100, df.columns.get_loc(column)] = value
    with pytest.raises(WeatherFileError, match=rf"hand: {column} at 2025-01-05 04:00.*row 101"):
        validate_weather(df, META, "hand")


def test_validate_gap_rule() -> None:
    df = _frame()
    col = df.columns.get_loc("wind_speed")
    df.iloc[10:13, col] = np.nan  # 3 h: interpolated
    assert validate_weather(df, META, "hand")["wind_speed"].iloc[11] == pytest.approx(3.0)
    df.iloc[10:14, col] = np.nan  # 4 h: refused
    with pytest.raises(WeatherFileError, match="wind_speed has 4 consecutive missing hours"):
        validate_weather(df, META, "hand")
    df["wind_speed"] = np.nan
    with pytest.raises(WeatherFileError, match="column wind_speed has no values"):
        validate_weather(df, META, "hand")
