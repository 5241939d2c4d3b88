"""Test helpers: weather DataFrames of the bundled stations in aip's vocabulary.

Read with :func:`aip.io.read_epw` from the package's own (gzipped) EPW files, so the
tests need nothing outside the checkout.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pandas as pd
import pytest

from aip.data import get_station, station_weather_path
from aip.io import read_epw


@cache
def _load(site: str) -> tuple[pd.DataFrame, dict[str, float]]:
    weather, _ = read_epw(station_weather_path(site))
    station = get_station(site)
    site_meta = {
        "latitude": station.latitude,
        "longitude": station.longitude,
        "altitude": station.elevation_m,
    }
    return weather, site_meta


def load_site(site: str) -> tuple[pd.DataFrame, dict[str, float]]:
    """Weather (a fresh copy) and {latitude, longitude, altitude} of a named shared site."""
    weather, meta = _load(site)
    return weather.copy(), dict(meta)


@pytest.fixture
def site_weather() -> Callable[[str], tuple[pd.DataFrame, dict[str, float]]]:
    """The :func:`load_site` helper as a fixture."""
    return load_site
