"""Weather readers (EPW, TMY3, CSV) and online loaders (PVGIS, NSRDB).

Every function returns ``(data, meta)`` in aip's weather vocabulary: 8760 hourly rows
of one non-leap year at a fixed UTC offset with float columns ``ghi, dni, dhi``
[W/m2], ``temp_air, temp_dew`` [degC], ``relative_humidity`` [fraction],
``wind_speed`` [m/s], ``pressure`` [Pa], and a metadata dict with ``name, latitude,
longitude, elevation`` [m], ``tz`` [hours], ``source`` and ``wind_height_m`` [m].
See :mod:`aip.io.validate` for the rules every reader applies.
"""

from aip.io.csv import read_weather_csv, write_weather_csv
from aip.io.epw import read_epw
from aip.io.nsrdb import fetch_nsrdb_tmy
from aip.io.pvgis import fetch_pvgis_tmy
from aip.io.tmy3 import read_tmy3
from aip.io.validate import META_KEYS, WEATHER_COLUMNS, validate_weather
from aip.io.weather import read_weather

__all__ = [
    "META_KEYS",
    "WEATHER_COLUMNS",
    "fetch_nsrdb_tmy",
    "fetch_pvgis_tmy",
    "read_epw",
    "read_tmy3",
    "read_weather",
    "read_weather_csv",
    "validate_weather",
    "write_weather_csv",
]
