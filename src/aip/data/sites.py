"""Bundled weather stations for AI-campus locations.

Each station pairs a typical-year weather file (EPW, gzip-compressed in
``aip/data/weather``) with the grid regions of the site it stands for. Coordinates,
time zone and elevation are parsed from the EPW ``LOCATION`` header, never typed in;
the grid regions come from ``emissions/site_grid_mapping.csv``. See ``SOURCES.md``.

Examples
--------
>>> from aip.data.sites import get_station
>>> st = get_station("Memphis")
>>> (st.wmo, st.us_state, st.avert_region)
('723340', 'TN', 'TN')
"""

from __future__ import annotations

import functools
import gzip
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from aip.data.bundle import bundled_path, read_bundled_csv
from aip.errors import DataError, UnknownNameError

# Short id -> EPW file name as distributed (the bundled copy adds ".gz"). The choice of
# station for each campus location is documented in SOURCES.md (e.g. Quincy WA uses the
# Moses Lake station about 50 km away; Ashburn uses Washington Dulles).
_STATION_FILES: dict[str, str] = {
    "memphis": "USA_TN_Memphis.Intl.AP.723340_TMY3.epw",
    "abilene": "USA_TX_Abilene.Rgnl.AP.722660_TMY3.epw",
    "ashburn": "USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw",
    "phoenix": "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw",
    "columbus": "USA_OH_Columbus-Port.Columbus.Intl.AP.724280_TMY3.epw",
    "des-moines": "USA_IA_Des.Moines.Intl.AP.725460_TMY3.epw",
    "atlanta": "USA_GA_Atlanta-Hartsfield-Jackson.Intl.AP.722190_TMY3.epw",
    "reno": "USA_NV_Reno-Tahoe.Intl.AP.724880_TMY3.epw",
    "quincy": "USA_WA_Moses.Lake-Grant.County.AP.727827_TMY3.epw",
    "chicago": "USA_IL_Chicago-OHare.Intl.AP.725300_TMY3.epw",
    "montreal": "CAN_QC_Montreal-McTavish.716120_CWEC2016.epw",
}


@dataclass(frozen=True)
class Station:
    """A bundled weather station and the grid regions of the site it represents.

    Attributes
    ----------
    key : str
        Short id, e.g. ``"memphis"``.
    label : str
        Site description, e.g. ``"Memphis TN (xAI Colossus)"``.
    station_name : str
        Station name from the EPW header.
    wmo : str
        WMO station number from the EPW header.
    latitude, longitude : float
        Station position [degrees north, degrees east].
    elevation_m : float
        Station elevation [m].
    tz_offset_h : float
        Standard-time offset from UTC of the weather file's timestamps [h].
    us_state : str or None
        Two-letter US state code; None outside the US.
    country_iso3 : str
        ISO 3166-1 alpha-3 country code.
    avert_region, egrid_subregion, eia_emm_region : str or None
        EPA AVERT region, EPA eGRID subregion and EIA EMM region (approximate site
        assignment); None outside the US.
    weather_file : str
        Name of the bundled gzip-compressed EPW file inside ``aip/data/weather``.
    """

    key: str
    label: str
    station_name: str
    wmo: str
    latitude: float
    longitude: float
    elevation_m: float
    tz_offset_h: float
    us_state: str | None
    country_iso3: str
    avert_region: str | None
    egrid_subregion: str | None
    eia_emm_region: str | None
    weather_file: str


def _text_or_none(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


class _EpwLocation(NamedTuple):
    station_name: str
    wmo: str
    latitude: float
    longitude: float
    tz_offset_h: float
    elevation_m: float


def _parse_location_line(line: str, file_name: str) -> _EpwLocation:
    """Parse an EPW ``LOCATION`` line.

    Notes
    -----
    EPW format (EnergyPlus Auxiliary Programs, "Weather Converter"): ``LOCATION, city,
    state/province, country, source, WMO, latitude [deg N], longitude [deg E],
    time zone [h from UTC], elevation [m]``.
    """
    fields = [f.strip() for f in line.strip().split(",")]
    if len(fields) < 10 or fields[0].upper() != "LOCATION":
        raise DataError(f"weather file {file_name!r}: first line is not an EPW LOCATION header")
    try:
        return _EpwLocation(
            station_name=fields[1],
            wmo=fields[5],
            latitude=float(fields[6]),
            longitude=float(fields[7]),
            tz_offset_h=float(fields[8]),
            elevation_m=float(fields[9]),
        )
    except ValueError as exc:
        raise DataError(f"weather file {file_name!r}: bad LOCATION header: {exc}") from exc


@functools.lru_cache(maxsize=1)
def _stations() -> dict[str, Station]:
    mapping = read_bundled_csv("emissions/site_grid_mapping.csv")
    by_file = {str(row["weather_file"]): row for _, row in mapping.iterrows()}
    stations: dict[str, Station] = {}
    for key, epw_name in _STATION_FILES.items():
        gz_name = epw_name + ".gz"
        with gzip.open(bundled_path(f"weather/{gz_name}"), "rt", encoding="utf-8") as fh:
            header = _parse_location_line(fh.readline(), gz_name)
        if epw_name not in by_file:
            raise DataError(f"site_grid_mapping.csv has no row for weather file {epw_name!r}")
        row = by_file[epw_name]
        stations[key] = Station(
            key=key,
            label=str(row["site"]),
            station_name=header.station_name,
            wmo=header.wmo,
            latitude=header.latitude,
            longitude=header.longitude,
            elevation_m=header.elevation_m,
            tz_offset_h=header.tz_offset_h,
            us_state=_text_or_none(row["us_state"]),
            country_iso3=str(row["country_iso3"]),
            avert_region=_text_or_none(row["avert_region"]),
            egrid_subregion=_text_or_none(row["egrid_subregion"]),
            eia_emm_region=_text_or_none(row["eia_emm_region"]),
            weather_file=gz_name,
        )
    return stations


def list_stations() -> list[Station]:
    """All bundled stations, in a fixed order.

    Examples
    --------
    >>> len(list_stations())
    11
    """
    return list(_stations().values())


def stations_frame() -> pd.DataFrame:
    """Bundled stations as a table, one row per station, indexed by ``key``."""
    return pd.DataFrame([asdict(s) for s in list_stations()]).set_index("key")


def get_station(key: str) -> Station:
    """Look up a bundled station by its short id (case-insensitive).

    Parameters
    ----------
    key : str
        Short id such as ``"memphis"`` or ``"des-moines"``; surrounding blanks and
        letter case are ignored, and ``_``/space are read as ``-``.

    Raises
    ------
    aip.errors.UnknownNameError
        If no bundled station has that id; the message lists the known ids.

    Examples
    --------
    >>> get_station("Des Moines").wmo
    '725460'
    """
    stations = _stations()
    norm = str(key).strip().lower().replace("_", "-").replace(" ", "-")
    if norm not in stations:
        raise UnknownNameError("station", str(key), list(stations), field="site.station")
    return stations[norm]


def station_weather_path(key: str) -> Path:
    """Filesystem path of a station's bundled, gzip-compressed EPW weather file.

    Examples
    --------
    >>> station_weather_path("reno").name
    'USA_NV_Reno-Tahoe.Intl.AP.724880_TMY3.epw.gz'
    """
    return bundled_path(f"weather/{get_station(key).weather_file}")
