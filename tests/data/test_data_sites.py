"""Bundled stations: every key resolves, its weather file exists and is gzip EPW."""

from __future__ import annotations

import gzip

import pytest

from aip.data import get_station, list_stations, station_weather_path, stations_frame
from aip.errors import UnknownNameError

KEYS = [
    "memphis", "abilene", "ashburn", "phoenix", "columbus", "des-moines",
    "atlanta", "reno", "quincy", "chicago", "montreal",
]  # fmt: skip


def test_all_eleven_stations_listed() -> None:
    assert [s.key for s in list_stations()] == KEYS
    assert list(stations_frame().index) == KEYS


@pytest.mark.parametrize("key", KEYS)
def test_station_weather_file_is_gzip_epw(key: str) -> None:
    path = station_weather_path(key)
    assert path.is_file()
    with open(path, "rb") as fh:
        assert fh.read(2) == b"\x1f\x8b"  # gzip magic number
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    assert lines[0].startswith("LOCATION,")
    # EPW: 8 header lines then 8760 hourly records
    assert len(lines) == 8 + 8760


def test_memphis_header_parsed() -> None:
    # LOCATION,Memphis International Ap,TN,USA,TMY3,723340,35.07,-89.98,-6.0,81.0
    st = get_station("memphis")
    assert (st.wmo, st.latitude, st.longitude) == ("723340", 35.07, -89.98)
    assert (st.tz_offset_h, st.elevation_m) == (-6.0, 81.0)
    assert (st.us_state, st.avert_region, st.egrid_subregion, st.eia_emm_region) == (
        "TN", "TN", "SRTV", "SRCE",
    )  # fmt: skip
    assert st.country_iso3 == "USA"


def test_montreal_is_not_us() -> None:
    st = get_station("Montreal")
    assert st.us_state is None and st.avert_region is None and st.country_iso3 == "CAN"
    assert st.tz_offset_h == -5.0 and st.elevation_m == pytest.approx(72.8)


def test_lookup_is_case_insensitive() -> None:
    assert get_station("  DES_MOINES ") == get_station("des-moines")


def test_unknown_station_lists_known() -> None:
    with pytest.raises(UnknownNameError, match="known: abilene, ashburn") as info:
        get_station("tokyo")
    assert "tokyo" in str(info.value)
    with pytest.raises(UnknownNameError):
        station_weather_path("tokyo")
