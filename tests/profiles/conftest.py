"""Test helpers: weather DataFrames in aip's vocabulary built from the shared EPW files.

The readers in ``aip.io`` are written at the same time by someone else, so these tests
build the weather contract themselves with ``pvlib.iotools.read_epw`` and a rename.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pandas as pd
import pvlib
import pytest

WEATHER_DIR = Path("/work/shared/data/weather")
if not WEATHER_DIR.exists():  # a checkout beside shared/ (device machines, CI)
    WEATHER_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "weather"

EPW = {
    "phoenix": "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw",
    "memphis": "USA_TN_Memphis.Intl.AP.723340_TMY3.epw",
    "abilene": "USA_TX_Abilene.Rgnl.AP.722660_TMY3.epw",
    "atlanta": "USA_GA_Atlanta-Hartsfield-Jackson.Intl.AP.722190_TMY3.epw",
    "montreal": "CAN_QC_Montreal-McTavish.716120_CWEC2016.epw",
}

_RENAME = {
    "ghi": "ghi",
    "dni": "dni",
    "dhi": "dhi",
    "temp_air": "temp_air",
    "temp_dew": "temp_dew",
    "relative_humidity": "relative_humidity",
    "wind_speed": "wind_speed",
    "atmospheric_pressure": "pressure",
}


@cache
def _load(site: str) -> tuple[pd.DataFrame, dict[str, float]]:
    data, meta = pvlib.iotools.read_epw(WEATHER_DIR / EPW[site], coerce_year=2025)
    weather = data[list(_RENAME)].rename(columns=_RENAME).astype(float)
    weather["relative_humidity"] = weather["relative_humidity"] / 100.0  # EPW gives percent
    site_meta = {k: float(meta[k]) for k in ("latitude", "longitude", "altitude")}
    return weather, site_meta


def load_site(site: str) -> tuple[pd.DataFrame, dict[str, float]]:
    """Weather (a fresh copy) and {latitude, longitude, altitude} of a named shared site."""
    weather, meta = _load(site)
    return weather.copy(), dict(meta)


@pytest.fixture
def site_weather() -> Callable[[str], tuple[pd.DataFrame, dict[str, float]]]:
    """The :func:`load_site` helper as a fixture."""
    return load_site
