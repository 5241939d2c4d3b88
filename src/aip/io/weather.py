"""One entry point for local weather files: pick the reader from the file name.

:func:`read_weather` dispatches on the suffix (``.gz`` is looked through):

============================  ======================================================
suffix                        reader
============================  ======================================================
``.epw``                      :func:`aip.io.epw.read_epw`
``.tmy3``                     :func:`aip.io.tmy3.read_tmy3`
``.csv``                      TMY3 if its second line is a TMY3 column header,
                              else :func:`aip.io.csv.read_weather_csv`
============================  ======================================================

:func:`validate_weather` (defined in :mod:`aip.io.validate`) is re-exported here; all
readers end in it.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import pandas as pd

from aip.errors import WeatherFileError
from aip.io.csv import read_weather_csv
from aip.io.epw import read_epw
from aip.io.rawfile import read_text
from aip.io.tmy3 import looks_like_tmy3, read_tmy3
from aip.io.validate import DEFAULT_YEAR, validate_weather

__all__ = ["SUFFIXES", "read_weather", "validate_weather"]

SUFFIXES = (".epw", ".epw.gz", ".tmy3", ".tmy3.gz", ".csv", ".csv.gz")
"""File suffixes :func:`read_weather` accepts."""


def weather_format(path: str | PathLike[str]) -> str:
    """Format of a weather file from its name (and, for CSV, its second line).

    Returns
    -------
    str
        ``"epw"``, ``"tmy3"`` or ``"csv"``.

    Raises
    ------
    aip.errors.WeatherFileError
        If the suffix is not one of :data:`SUFFIXES`.
    """
    name = Path(path).name.lower()
    inner = name[: -len(".gz")] if name.endswith(".gz") else name
    if inner.endswith(".epw"):
        return "epw"
    if inner.endswith(".tmy3"):
        return "tmy3"
    if inner.endswith(".csv"):
        return "tmy3" if looks_like_tmy3(read_text(path, str(path))[:4000]) else "csv"
    raise WeatherFileError(
        f"{path}: unknown weather file type; allowed suffixes: {', '.join(SUFFIXES)}; "
        "fix: rename the file or convert it to the aip weather CSV (docs/weather-csv.md)"
    )


def read_weather(
    path: str | PathLike[str], *, year: int = DEFAULT_YEAR
) -> tuple[pd.DataFrame, dict]:
    """Read a local weather file (EPW, TMY3 or aip CSV; optionally gzip-compressed).

    Parameters
    ----------
    path : str or os.PathLike
        Weather file; the reader is chosen by suffix (see the module docstring).
    year : int, default 2025
        Non-leap year every timestamp is mapped onto.

    Returns
    -------
    data : pandas.DataFrame
        8760 hourly rows: ``ghi, dni, dhi`` [W/m2], ``temp_air, temp_dew`` [degC],
        ``relative_humidity`` [fraction], ``wind_speed`` [m/s], ``pressure`` [Pa],
        tz-aware index at the file's fixed UTC offset.
    meta : dict
        ``name, latitude, longitude, elevation`` [m], ``tz`` [hours], ``source``,
        ``wind_height_m`` [m] (plus ``station_id`` for EPW/TMY3).

    Raises
    ------
    aip.errors.WeatherFileError
        Unknown suffix, unreadable or malformed file, or data failing
        :func:`validate_weather`.

    Examples
    --------
    >>> from aip.io import read_weather
    >>> data, meta = read_weather("USA_TN_Memphis.Intl.AP.723340_TMY3.epw.gz")  # doctest: +SKIP
    >>> round(data["ghi"].sum() / 1e6, 2)  # annual GHI [MWh/m2]  # doctest: +SKIP
    1.64
    """
    kind = weather_format(path)
    if kind == "epw":
        return read_epw(path, year=year)
    if kind == "tmy3":
        return read_tmy3(path, year=year)
    return read_weather_csv(path, year=year)
