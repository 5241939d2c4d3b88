"""Resolving a site: each weather file content is read once, and callers get copies."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import aip.site
from aip.data import station_weather_path
from aip.schema import Site
from aip.site import resolve_site


def test_weather_is_read_once_per_file_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    real = aip.site.read_weather

    def counting(path: Any) -> Any:
        reads.append(str(path))
        return real(path)

    monkeypatch.setattr(aip.site, "read_weather", counting)
    aip.site._read_weather_content.cache_clear()
    user_file = tmp_path / "site.epw.gz"
    shutil.copyfile(station_weather_path("memphis"), user_file)
    site = Site(weather_file=str(user_file))
    first = resolve_site(site)
    second = resolve_site(site)
    assert len(reads) == 1
    assert first.weather is not second.weather
    assert first.weather.equals(second.weather)

    memphis_ghi = float(second.weather["ghi"].sum())
    first.weather["ghi"] = 0.0  # a caller's change stays with that caller...
    first.weather.index.freq = None  # ...labels included
    again = resolve_site(site).weather
    assert float(again["ghi"].sum()) == pytest.approx(memphis_ghi)
    assert again.index.freq == "h"

    shutil.copyfile(station_weather_path("phoenix"), user_file)  # the file is replaced
    phoenix = resolve_site(site)
    assert len(reads) == 2
    assert float(phoenix.weather["ghi"].sum()) > 1.1 * memphis_ghi
    assert phoenix.latitude == pytest.approx(33.4, abs=0.2)


@pytest.mark.parametrize(
    ("site", "field"),
    [
        ({"station": "memphis", "latitude": 35.07, "longitude": 89.98}, "site.longitude"),
        ({"station": "memphis", "latitude": -35.07}, "site.latitude"),
    ],
)
def test_coordinates_far_from_the_weather_are_refused(site: dict[str, Any], field: str) -> None:
    """A sign error put the sun's hours 12 h away from the weather: PV fell from 0.24 to
    0.01 without a word."""
    from aip.errors import ScenarioError

    with pytest.raises(ScenarioError, match=rf"{field} = .*check the sign"):
        resolve_site(Site(**site))


def test_a_site_near_its_station_keeps_its_own_coordinates() -> None:
    near = resolve_site(Site(station="memphis", latitude=35.5, longitude=-90.5))
    assert (near.latitude, near.longitude) == (35.5, -90.5)


def test_a_weather_file_is_checked_against_its_own_place(tmp_path: Path) -> None:
    from aip.errors import ScenarioError

    f = tmp_path / "w.epw"
    shutil.copy(station_weather_path("abilene"), f)
    with pytest.raises(ScenarioError, match=r"site\.longitude .* weather file"):
        resolve_site(Site(weather_file=str(f), latitude=32.4, longitude=99.7))
