"""Resolving a site: each version of a weather file is read once, and callers get copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aip.data import station_weather_path
from aip.schema import Site
from aip.site import resolve_site


def test_weather_is_read_once_per_file_version(tmp_path: Path) -> None:
    user_file = tmp_path / "site.epw.gz"
    shutil.copyfile(station_weather_path("memphis"), user_file)
    site = Site(weather_file=str(user_file))
    first = resolve_site(site)
    second = resolve_site(site)
    assert first.weather is not second.weather
    assert first.weather.equals(second.weather)
    memphis_ghi = float(second.weather["ghi"].sum())
    first.weather["ghi"] = 0.0  # a caller's change stays with that caller
    assert float(resolve_site(site).weather["ghi"].sum()) == pytest.approx(memphis_ghi)

    shutil.copyfile(station_weather_path("phoenix"), user_file)  # the file is replaced
    phoenix = resolve_site(site)
    assert float(phoenix.weather["ghi"].sum()) > 1.1 * memphis_ghi
    assert phoenix.latitude == pytest.approx(33.4, abs=0.2)
