"""Shared fixtures for the weather-reader tests: real Memphis files and fake services."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import requests

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "io"
EPW_GZ = FIXTURES / "USA_TN_Memphis.Intl.AP.723340_TMY3.epw.gz"
TMY3_GZ = FIXTURES / "TN-Memphis_International_Ap.tmy3.gz"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the network: any real HTTP request fails loudly."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a test tried to use the network")

    monkeypatch.setattr(requests.Session, "request", refuse)


@pytest.fixture(scope="session")
def epw_gz() -> Path:
    return EPW_GZ


@pytest.fixture(scope="session")
def tmy3_gz() -> Path:
    return TMY3_GZ


@pytest.fixture(scope="session")
def epw_text() -> str:
    return gzip.decompress(EPW_GZ.read_bytes()).decode("utf-8")


@pytest.fixture(scope="session")
def tmy3_text() -> str:
    return gzip.decompress(TMY3_GZ.read_bytes()).decode("utf-8")


@pytest.fixture(scope="session")
def memphis() -> tuple[pd.DataFrame, dict]:
    from aip.io import read_epw

    return read_epw(EPW_GZ)


class FakeResponse:
    """The parts of :class:`requests.Response` that aip and pvlib use."""

    def __init__(self, text: str, status_code: int = 200) -> None:
        self.text = text
        self.content = text.encode("utf-8")
        self.status_code = status_code
        self.ok = status_code < 400

    def json(self) -> Any:
        return json.loads(self.text)


class FakeGet:
    """Stand-in for :func:`requests.get` that records calls and replays one answer."""

    def __init__(self, answer: FakeResponse | Exception) -> None:
        self.answer = answer
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, url: str, params: dict | None = None, **kwargs: Any) -> FakeResponse:
        self.calls.append((url, dict(params or {})))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.fixture
def fake_get(monkeypatch: pytest.MonkeyPatch) -> Callable[..., FakeGet]:
    """Install a fake ``requests.get`` answering ``text`` with ``status`` (or raising)."""

    def install(answer: str | Exception, status: int = 200) -> FakeGet:
        fake = FakeGet(answer if isinstance(answer, Exception) else FakeResponse(answer, status))
        monkeypatch.setattr(requests, "get", fake)
        return fake

    return install


@pytest.fixture(scope="session")
def pvgis_json(memphis: tuple[pd.DataFrame, dict]) -> str:
    """PVGIS TMY JSON (layout of the PVGIS v5.3 API) holding the Memphis EPW values.

    PVGIS answers in UTC: Memphis local standard time is UTC-6, so the local year is
    rolled by 6 hours, and months are stamped with different years as a real TMY is.
    """
    df, _meta = memphis
    utc = df.index.tz_convert("UTC")
    years = {m: 2005 + m for m in range(1, 13)}
    rows = []
    for stamp, rec in zip(utc, df.itertuples(), strict=True):
        label = stamp.replace(year=years[stamp.month])
        rows.append(
            {
                "time(UTC)": label.strftime("%Y%m%d:%H%M"),
                "T2m": rec.temp_air,
                "RH": round(rec.relative_humidity * 100.0, 2),
                "G(h)": rec.ghi,
                "Gb(n)": rec.dni,
                "Gd(h)": rec.dhi,
                "IR(h)": 300.0,
                "WS10m": rec.wind_speed,
                "WD10m": 180.0,
                "SP": rec.pressure,
            }
        )
    rows.sort(key=lambda r: r["time(UTC)"][4:])  # Jan 1 00:00 UTC first, as PVGIS
    doc = {
        "inputs": {
            "location": {"latitude": 35.07, "longitude": -89.98, "elevation": 81.0},
            "meteo_data": {
                "radiation_db": "PVGIS-NSRDB",
                "meteo_db": "ERA5",
                "year_min": 2005,
                "year_max": 2020,
                "use_horizon": True,
                "horizon_db": "DEM-calculated",
            },
        },
        "outputs": {
            "months_selected": [{"month": m, "year": y} for m, y in years.items()],
            "tmy_hourly": rows,
        },
        "meta": {
            "inputs": {"location": {"description": "Selected location"}},
            "outputs": {"tmy_hourly": {"type": "time series", "timestamp": "hourly"}},
        },
    }
    return json.dumps(doc)


@pytest.fixture(scope="session")
def nsrdb_csv(memphis: tuple[pd.DataFrame, dict]) -> str:
    """NSRDB PSM v4 TMY CSV (two metadata lines, header, rows at minute 30, local time)."""
    df, _ = memphis
    meta_fields = (
        "Source,Location ID,City,State,Country,Latitude,Longitude,Time Zone,Elevation,"
        "Local Time Zone,Dew Point Units,DHI Units,DNI Units,GHI Units,Temperature Units,"
        "Pressure Units,Wind Speed Units,Version"
    )
    meta_values = "NSRDB,123456,-,-,-,35.07,-89.98,-6,81,-6,c,w/m2,w/m2,w/m2,c,mbar,m/s,4.1.0"
    header = "Year,Month,Day,Hour,Minute,GHI,DNI,DHI,Temperature,Dew Point,Pressure,Wind Speed"
    idx = df.index
    table = pd.DataFrame(
        {
            "Year": np.where(idx.month <= 6, 2019, 2021),
            "Month": idx.month,
            "Day": idx.day,
            "Hour": idx.hour,
            "Minute": 30,
            "GHI": df["ghi"].to_numpy(),
            "DNI": df["dni"].to_numpy(),
            "DHI": df["dhi"].to_numpy(),
            "Temperature": df["temp_air"].to_numpy(),
            "Dew Point": df["temp_dew"].to_numpy(),
            "Pressure": df["pressure"].to_numpy() / 100.0,
            "Wind Speed": df["wind_speed"].to_numpy(),
        }
    )
    body = table.to_csv(index=False, header=False, lineterminator="\n")
    return f"{meta_fields}\n{meta_values}\n{header}\n{body}"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("AIP_CACHE_DIR", str(folder))
    yield folder
