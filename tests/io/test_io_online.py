"""PVGIS and NSRDB loaders, offline: HTTP is faked, pvlib's parsers run on the fixtures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import requests

from aip.errors import OnlineDataError, ScenarioError
from aip.io import fetch_nsrdb_tmy, fetch_pvgis_tmy
from aip.io.atomic import write_atomic
from aip.io.cache import cache_path, resolve_cache_dir

Weather = tuple[pd.DataFrame, dict]
KEY, EMAIL = "SECRET-KEY-123", "me@example.org"


def test_pvgis_parses_caches_and_reuses(
    fake_get: Callable[..., Any], pvgis_json: str, memphis: Weather, cache_dir: Path
) -> None:
    fake = fake_get(pvgis_json)
    df, meta = fetch_pvgis_tmy(35.0712, -89.9801, utc_offset=-6)
    url, params = fake.calls[0]
    assert url == "https://re.jrc.ec.europa.eu/api/tmy"
    assert params == {"lat": 35.07, "lon": -89.98, "outputformat": "json"}
    epw, _ = memphis
    # irradiance, temperature, wind, pressure pass through unchanged (same hours)
    for col in ("ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure"):
        pd.testing.assert_series_equal(df[col], epw[col], check_names=False)
    pd.testing.assert_series_equal(df["relative_humidity"], epw["relative_humidity"])
    assert meta["source"] == "PVGIS-TMY PVGIS-NSRDB" and meta["wind_height_m"] == 10.0
    assert (meta["latitude"], meta["elevation"], meta["tz"]) == (35.07, 81.0, -6.0)
    cached = cache_dir / "pvgis-tmy_35.07_-89.98.json"
    assert cached.read_text() == pvgis_json
    # second call: served from the cache, no HTTP at all
    fake.answer = AssertionError("HTTP used although the answer is cached")
    df2, meta2 = fetch_pvgis_tmy(35.07, -89.98, utc_offset=-6)
    assert len(fake.calls) == 1
    pd.testing.assert_frame_equal(df2, df)
    assert meta2 == meta


def test_pvgis_default_is_utc(
    fake_get: Callable[..., Any], pvgis_json: str, cache_dir: Path
) -> None:
    fake_get(pvgis_json)
    df, meta = fetch_pvgis_tmy(35.07, -89.98)
    assert meta["tz"] == 0.0 and str(df.index.tz) == "UTC"
    # Memphis noon (UTC-6) is 18:00 UTC: the sun is up then, not at 06:00 UTC
    assert df["ghi"].iloc[18 + 24 * 170] > 0 and df["ghi"].iloc[6 + 24 * 170] == 0


def test_pvgis_network_failure(fake_get: Callable[..., Any], cache_dir: Path) -> None:
    fake_get(requests.ConnectionError("Name or service not known"))
    with pytest.raises(OnlineDataError, match=r"use a local EPW file with site.weather_file"):
        fetch_pvgis_tmy(35.07, -89.98)
    assert not cache_dir.exists() or not any(cache_dir.iterdir())


def test_pvgis_http_error_and_garbage(fake_get: Callable[..., Any], cache_dir: Path) -> None:
    fake_get('{"message": "Location over the sea.", "status": 400}', 400)
    with pytest.raises(OnlineDataError, match=r"HTTP 400: Location over the sea\."):
        fetch_pvgis_tmy(0.0, -30.0)
    fake_get("<html>maintenance</html>")
    with pytest.raises(OnlineDataError, match="not a PVGIS TMY JSON response"):
        fetch_pvgis_tmy(0.0, -30.0)
    assert not list(cache_dir.glob("*.json"))  # bad answers are never cached


def test_corrupt_cache_is_refetched(
    fake_get: Callable[..., Any], pvgis_json: str, cache_dir: Path
) -> None:
    path = cache_path("pvgis-tmy", 35.07, -89.98, ".json")
    write_atomic(path, '{"truncated": ')
    fake = fake_get(pvgis_json)
    df, _ = fetch_pvgis_tmy(35.07, -89.98)
    assert len(fake.calls) == 1 and len(df) == 8760
    assert path.read_text() == pvgis_json


def test_coordinates_checked_before_any_request(fake_get: Callable[..., Any]) -> None:
    fake = fake_get(AssertionError("no request expected"))
    with pytest.raises(ScenarioError, match=r"site.latitude = 91"):
        fetch_pvgis_tmy(91, 0)
    with pytest.raises(ScenarioError, match=r"site.longitude = -200"):
        fetch_nsrdb_tmy(0, -200, api_key=KEY, email=EMAIL)
    with pytest.raises(ScenarioError, match=r"nsrdb.api_key"):
        fetch_nsrdb_tmy(35, -90, api_key="", email=EMAIL)
    assert fake.calls == []


def test_nsrdb_parses_caches_and_reuses(
    fake_get: Callable[..., Any], nsrdb_csv: str, memphis: Weather, cache_dir: Path
) -> None:
    fake = fake_get(nsrdb_csv)
    df, meta = fetch_nsrdb_tmy(35.07, -89.98, api_key=KEY, email=EMAIL)
    url, params = fake.calls[0]
    assert url.endswith("nsrdb-GOES-tmy-v4-0-0-download.csv")
    assert params["wkt"] == "POINT(-89.9800 35.0700)" and params["names"] == "tmy"
    assert params["api_key"] == KEY and params["utc"] == "false"
    epw, _ = memphis
    for col in ("ghi", "dni", "dhi", "temp_air", "temp_dew", "wind_speed"):
        pd.testing.assert_series_equal(df[col], epw[col], check_names=False)
    # mbar -> Pa roundtrip through the CSV text: exact to float rounding
    pd.testing.assert_series_equal(df["pressure"], epw["pressure"], check_names=False)
    assert meta["tz"] == -6.0 and meta["wind_height_m"] == 2.0
    assert meta["name"] == "NSRDB 123456" and meta["source"] == "NSRDB-PSM4-TMY 4.1.0"
    cached = list(cache_dir.glob("*.csv"))
    assert [p.name for p in cached] == ["nsrdb-psm4_tmy_35.07_-89.98.csv"]
    assert KEY not in cached[0].read_text()
    fake.answer = AssertionError("HTTP used although the answer is cached")
    df2, _ = fetch_nsrdb_tmy(35.07, -89.98, api_key=KEY, email=EMAIL)
    assert len(fake.calls) == 1
    pd.testing.assert_frame_equal(df2, df)


def test_nsrdb_errors_never_show_the_key(fake_get: Callable[..., Any], cache_dir: Path) -> None:
    fake_get(requests.Timeout(f"timed out: https://x/?api_key={KEY}&email={EMAIL}"))
    with pytest.raises(OnlineDataError, match=r"site\.weather_file") as info:
        fetch_nsrdb_tmy(35.07, -89.98, api_key=KEY, email=EMAIL)
    assert KEY not in str(info.value) and EMAIL not in str(info.value)
    fake_get(f'{{"errors": ["API key {KEY} is invalid"]}}', 403)
    with pytest.raises(OnlineDataError, match=r"HTTP 403.*check the API key") as info:
        fetch_nsrdb_tmy(35.07, -89.98, api_key=KEY, email=EMAIL)
    assert KEY not in str(info.value)


def test_cache_dir_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIP_CACHE_DIR", raising=False)
    assert resolve_cache_dir() == Path.home() / ".cache" / "aip"
    monkeypatch.setenv("AIP_CACHE_DIR", str(tmp_path / "env"))
    assert resolve_cache_dir() == tmp_path / "env"
    assert resolve_cache_dir(tmp_path / "arg") == tmp_path / "arg"
    path = write_atomic(tmp_path / "deep" / "x.json", "{}")
    assert path.read_text() == "{}" and [p.name for p in path.parent.iterdir()] == ["x.json"]
