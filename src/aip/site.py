"""Resolve a scenario's site into coordinates, grid region and hourly weather."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from aip.data import get_station, station_weather_path
from aip.errors import ScenarioError
from aip.io import read_weather
from aip.schema import Site


@dataclass(frozen=True)
class SiteData:
    """A resolved site: where it is, which grid region, and its typical-year weather."""

    name: str
    latitude: float
    longitude: float
    elevation_m: float
    us_state: str | None
    avert_region: str | None
    weather: pd.DataFrame = field(repr=False)
    weather_source: str = ""


def _read_weather(path: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A weather file's table (a copy, free to change) and metadata, read once per content.

    Reading and checking a year takes ~0.1 s, hashing the file ~2 ms; a sweep or a
    notebook plans the same site many times, and an edited file is read again.
    """
    resolved = Path(path).resolve()
    digest = hashlib.sha256(resolved.read_bytes()).hexdigest()
    weather, meta = _read_weather_content(str(resolved), digest)
    copy = weather.copy(deep=True)
    # the labels too: pandas fills an index's caches lazily, which callers must not share
    copy.index = weather.index.copy(deep=True)
    copy.columns = weather.columns.copy(deep=True)
    return copy, dict(meta)


@functools.lru_cache(maxsize=8)
def _read_weather_content(path: str, sha256: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    return read_weather(path)


def resolve_site(site: Site) -> SiteData:
    """Load the weather and grid region for ``site``.

    Bundled stations carry their state and AVERT region; a user's weather file
    takes them from ``site.us_state`` and ``site.avert_region``. Explicit
    coordinates override those in the weather file.

    Examples
    --------
    >>> from aip.schema import Site
    >>> s = resolve_site(Site(station="memphis"))
    >>> s.us_state, s.avert_region, len(s.weather)
    ('TN', 'TN', 8760)
    """
    if site.station is not None:
        station = get_station(site.station)
        _check_near(site, station.latitude, station.longitude, f"station {station.key}")
        path = station_weather_path(station.key)
        weather, meta = _read_weather(path)
        return SiteData(
            name=station.label,
            latitude=site.latitude if site.latitude is not None else station.latitude,
            longitude=site.longitude if site.longitude is not None else station.longitude,
            elevation_m=station.elevation_m,
            us_state=site.us_state or station.us_state,
            avert_region=site.avert_region or station.avert_region,
            weather=weather,
            weather_source=f"bundled station {station.key} ({Path(path).name})",
        )
    assert site.weather_file is not None  # guaranteed by the Site validator
    if not Path(site.weather_file).is_file():
        raise ScenarioError.for_field(
            "site.weather_file",
            site.weather_file,
            "an existing EPW, TMY3 or aip CSV file",
            "check the path (relative paths are resolved against the scenario's folder)",
        )
    weather, meta = _read_weather(site.weather_file)
    if meta.get("latitude") is not None and meta.get("longitude") is not None:
        _check_near(site, float(meta["latitude"]), float(meta["longitude"]), "weather file")
    latitude = site.latitude if site.latitude is not None else meta.get("latitude")
    longitude = site.longitude if site.longitude is not None else meta.get("longitude")
    if latitude is None or longitude is None:
        raise ScenarioError.for_field(
            "site.latitude",
            latitude,
            "a latitude and longitude (from the weather file or the scenario)",
            "add site.latitude and site.longitude",
        )
    return SiteData(
        name=str(meta.get("name") or Path(site.weather_file).stem),
        latitude=float(latitude),
        longitude=float(longitude),
        elevation_m=float(meta.get("elevation") or 0.0),
        us_state=site.us_state,
        avert_region=site.avert_region,
        weather=weather,
        weather_source=f"user file {site.weather_file}",
    )


#: Degrees of latitude or longitude by which explicit coordinates may differ from the
#: weather's own place (about 500 km: a nearby station's year for a site; farther, the
#: sun's hours and the weather disagree, as after a sign error).
MAX_WEATHER_OFFSET_DEG = 5.0


def _check_near(site: Site, latitude: float, longitude: float, source: str) -> None:
    """Raise if the scenario's coordinates lie far from where the weather was measured."""
    for name, given, own in (
        ("latitude", site.latitude, latitude),
        ("longitude", site.longitude, longitude),
    ):
        if given is None:
            continue
        offset = (
            abs((given - own + 180.0) % 360.0 - 180.0) if name == "longitude" else abs(given - own)
        )
        if offset > MAX_WEATHER_OFFSET_DEG:
            raise ScenarioError.for_field(
                f"site.{name}",
                given,
                f"within {MAX_WEATHER_OFFSET_DEG:g} degrees of the {source}'s {own:g}, whose "
                f"weather is used ({offset:.1f} degrees away)",
                "check the sign (east and north are positive), or give that place's weather",
            )
