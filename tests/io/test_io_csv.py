"""aip weather CSV: roundtrip, header metadata, timestamps, derived columns, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pvlib.atmosphere import alt2pres

from aip.errors import WeatherFileError
from aip.io import WEATHER_COLUMNS, read_weather_csv, write_weather_csv

Weather = tuple[pd.DataFrame, dict]


def _table(df: pd.DataFrame, stamps: list[str] | pd.Index) -> pd.DataFrame:
    out = df[list(WEATHER_COLUMNS)].reset_index(drop=True)
    out.insert(0, "timestamp", list(stamps))
    return out


def _write(path: Path, header: str, table: pd.DataFrame) -> Path:
    path.write_text(header + table.to_csv(index=False, lineterminator="\n"))
    return path


HEADER = "# name: test site\n# latitude: 35.07\n# longitude: -89.98\n# elevation: 81\n"


def test_roundtrip_from_epw(memphis: Weather, tmp_path: Path) -> None:
    df, meta = memphis
    path = write_weather_csv(df, meta, tmp_path / "memphis.csv")
    back, back_meta = read_weather_csv(path)
    pd.testing.assert_frame_equal(back, df)
    for key in ("name", "latitude", "longitude", "elevation", "tz", "wind_height_m"):
        assert back_meta[key] == meta[key]
    assert back_meta["source"] == "CSV"
    assert path.read_text().splitlines()[6].startswith("timestamp,ghi,dni,dhi,temp_air")


def test_naive_timestamps_with_tz_argument(memphis: Weather, tmp_path: Path) -> None:
    df, _ = memphis
    stamps = df.index.tz_localize(None).strftime("%Y-%m-%d %H:%M")
    path = _write(tmp_path / "naive.csv", HEADER, _table(df, stamps))
    with pytest.raises(WeatherFileError, match="no UTC offset and no tz"):
        read_weather_csv(path)
    back, meta = read_weather_csv(path, tz=-6)
    assert meta["tz"] == -6.0 and meta["name"] == "test site"
    np.testing.assert_array_equal(back["ghi"].to_numpy(), df["ghi"].to_numpy())


def test_arguments_override_header(memphis: Weather, tmp_path: Path) -> None:
    df, meta = memphis
    path = write_weather_csv(df, meta, tmp_path / "m.csv")
    _, meta2 = read_weather_csv(path, latitude=36.0, name="other", wind_height_m=2.0)
    assert (meta2["latitude"], meta2["name"], meta2["wind_height_m"]) == (36.0, "other", 2.0)


def test_utc_timestamps_converted_to_tz(memphis: Weather, tmp_path: Path) -> None:
    df, _ = memphis
    stamps = [t.isoformat() for t in df.index.tz_convert("UTC")]
    path = _write(tmp_path / "utc.csv", HEADER + "# tz: -6\n", _table(df, stamps))
    back, meta = read_weather_csv(path)
    assert meta["tz"] == -6.0
    pd.testing.assert_frame_equal(back, df)


def test_derived_dew_point_and_pressure(memphis: Weather, tmp_path: Path) -> None:
    """RH -> dew point (Magnus, WMO coefficients) and elevation -> standard pressure."""
    df, _ = memphis
    table = _table(df, [t.isoformat() for t in df.index]).drop(columns=["temp_dew", "pressure"])
    path = _write(tmp_path / "slim.csv", HEADER, table)
    back, _ = read_weather_csv(path)
    assert back["pressure"].iloc[0] == pytest.approx(alt2pres(81.0)) == pytest.approx(100357, 1)
    # Hand check, first hour: T = 9.4 degC at RH = 1.0 -> dew point = T
    assert back["temp_dew"].iloc[0] == pytest.approx(9.4, abs=1e-9)
    # Against the file's own dew points: RH is rounded to 1 % (up to ~0.75 degC of dew
    # point at 10 % RH), and a few TMY3 hours are inconsistent in themselves (Mar 31
    # 23:00: T = 10.4, Td = 2.0, RH = 44 %, where Magnus gives Td = -1.3), so bound the
    # median (measured 0.07) and the 99th percentile (measured 1.3) rather than the max.
    err = (back["temp_dew"] - df["temp_dew"]).abs()
    assert err.median() < 0.15 and err.quantile(0.99) < 1.5


def test_leap_year_drops_feb_29(tmp_path: Path) -> None:
    index = pd.date_range("2024-01-01", "2024-12-31 23:00", freq="h", tz="-06:00")
    assert len(index) == 8784
    day = np.arange(len(index)) // 24
    frame = pd.DataFrame(
        {
            "ghi": 0.0,
            "dni": 0.0,
            "dhi": 0.0,
            "temp_air": day / 10.0,  # encodes the day of the year
            "relative_humidity": 0.5,
            "wind_speed": 2.0,
            "pressure": 101000.0,
        },
        index=index,
    )
    table = frame.reset_index(drop=True)
    table.insert(0, "timestamp", [t.isoformat() for t in index])
    path = _write(tmp_path / "leap.csv", HEADER, table)
    back, meta = read_weather_csv(path)
    assert len(back) == 8760 and back.index[0].year == 2025 and meta["tz"] == -6.0
    # Feb 28 (day 58) is followed by Mar 1 (day 60 of 2024): Feb 29 (day 59) is gone
    feb28 = back.loc["2025-02-28 12:00", "temp_air"]
    mar1 = back.loc["2025-03-01 12:00", "temp_air"]
    assert (feb28, mar1) == (pytest.approx(5.8), pytest.approx(6.0))


def test_half_hourly_data_averaged_with_warning(tmp_path: Path) -> None:
    index = pd.date_range("2025-01-01", periods=2 * 8760, freq="30min", tz="UTC")
    ghi = np.where(np.arange(len(index)) % 2 == 0, 100.0, 300.0)  # hourly mean 200
    table = pd.DataFrame(
        {
            "timestamp": [t.isoformat() for t in index],
            "ghi": ghi,
            "dni": 0.0,
            "dhi": 0.0,
            "temp_air": 10.0,
            "temp_dew": 5.0,
            "wind_speed": 3.0,
            "pressure": 100000.0,
        }
    )
    path = _write(tmp_path / "half.csv", HEADER, table)
    with pytest.warns(UserWarning, match="30-minute data averaged to hourly means"):
        back, _ = read_weather_csv(path)
    assert len(back) == 8760
    np.testing.assert_allclose(back["ghi"], 200.0)


def _base(tmp_path: Path, memphis: Weather) -> pd.DataFrame:
    df, _ = memphis
    return _table(df, [t.isoformat() for t in df.index])


def test_percent_humidity_rejected_with_hint(memphis: Weather, tmp_path: Path) -> None:
    table = _base(tmp_path, memphis)
    table["relative_humidity"] *= 100.0
    path = _write(tmp_path / "pct.csv", HEADER, table)
    with pytest.raises(WeatherFileError, match=r"relative_humidity .*divide percent by 100"):
        read_weather_csv(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.drop(columns=["ghi"]), "column ghi is missing"),
        (
            lambda t: t.drop(columns=["temp_dew", "relative_humidity"]),
            "column temp_dew or relative_humidity is missing",
        ),
        (lambda t: t.drop(columns=["timestamp"]), "column timestamp is missing"),
        (lambda t: t.iloc[::3], r"time step is 3 h"),
        (lambda t: pd.concat([t, t]), "appears more than once"),
        (lambda t: t.iloc[:100], "100 hourly rows"),
        (
            lambda t: t.assign(wind_speed=t["wind_speed"].astype(object).where(t.index != 5, "x")),
            "column wind_speed has non-numeric value 'x'",
        ),
        (
            lambda t: t.assign(timestamp=t["timestamp"].where(t.index != 7, "yesterday")),
            r"timestamp 'yesterday' \(data row 8\) is not ISO 8601",
        ),
    ],
    ids=[
        "no ghi",
        "no humidity",
        "no timestamp",
        "3-hourly",
        "two years",
        "short",
        "non-numeric",
        "bad timestamp",
    ],
)
def test_bad_csv(change, message: str, memphis: Weather, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path / "bad.csv", HEADER, change(_base(tmp_path, memphis)))
    with pytest.raises(WeatherFileError, match=message):
        read_weather_csv(path)


def test_missing_coordinates_and_mixed_offsets(memphis: Weather, tmp_path: Path) -> None:
    table = _base(tmp_path, memphis)
    path = _write(tmp_path / "nolat.csv", "# longitude: -89.98\n# elevation: 81\n", table)
    with pytest.raises(WeatherFileError, match="latitude is not given"):
        read_weather_csv(path)
    mixed = table.copy()
    mixed.loc[2000:, "timestamp"] = [
        pd.Timestamp(t).tz_convert("-05:00").isoformat() for t in mixed.loc[2000:, "timestamp"]
    ]
    path = _write(tmp_path / "dst.csv", HEADER, mixed)
    with pytest.raises(WeatherFileError, match="several UTC offsets"):
        read_weather_csv(path)
    back, meta = read_weather_csv(path, tz=-6)  # daylight-saving stamps, standard-time output
    assert meta["tz"] == -6.0 and len(back) == 8760


def test_short_row_named(memphis: Weather, tmp_path: Path) -> None:
    path = _write(tmp_path / "short.csv", HEADER, _base(tmp_path, memphis))
    lines = path.read_text().splitlines()
    lines[10] = ",".join(lines[10].split(",")[:4])
    path.write_text("\n".join(lines))
    with pytest.raises(WeatherFileError, match="line 11 has 4 fields, expected 9"):
        read_weather_csv(path)


def test_spreadsheet_byte_order_mark(memphis: Weather, tmp_path: Path) -> None:
    df, meta = memphis
    path = write_weather_csv(df, meta, tmp_path / "bom.csv")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    back, _ = read_weather_csv(path)
    pd.testing.assert_frame_equal(back, df)
