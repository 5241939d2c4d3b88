"""Read EnergyPlus Weather (EPW) files, plain or gzip-compressed, into aip's vocabulary.

Parsing is pvlib's (:func:`pvlib.iotools.read_epw`); this module adds the structural
checks pvlib skips (header lines, 35 fields per row), turns EPW missing-value codes
into gaps, converts units and hands the result to
:func:`aip.io.validate.validate_weather`.
"""

from __future__ import annotations

import csv
import io
import warnings
from os import PathLike
from typing import Any

import pandas as pd
import pvlib

from aip.errors import WeatherFileError
from aip.io.rawfile import check_field_counts, read_text
from aip.io.validate import DEFAULT_YEAR, check_meta, numeric_columns, validate_weather

EPW_HEADER_LINES = 8
EPW_FIELDS = 35
EPW_WIND_HEIGHT_M = 10.0
"""EPW wind speed is at the standard 10 m anemometer height (EnergyPlus Auxiliary
Programs, "Wind Speed" field; NREL TMY3 users manual, Wilcox & Marion 2008)."""

# EPW "missing" codes (EnergyPlus Auxiliary Programs, EPW data dictionary): a value at
# or above the code means the observation is missing.
EPW_MISSING: dict[str, float] = {
    "temp_air": 99.9,
    "temp_dew": 99.9,
    "relative_humidity": 999.0,
    "atmospheric_pressure": 999999.0,
    "ghi": 9999.0,
    "dni": 9999.0,
    "dhi": 9999.0,
    "wind_speed": 999.0,
}
_FIX = "use an unmodified EPW file (e.g. from energyplus.net or climate.onebuilding.org)"


def _parse_location(line: str, source: str) -> dict[str, Any]:
    fields = next(csv.reader([line]), [])
    if len(fields) < 10 or fields[0].strip().upper() != "LOCATION":
        raise WeatherFileError(
            f"{source}: line 1 must be 'LOCATION,city,state,country,source,WMO,lat,lon,tz,"
            f"elevation' (10 fields); got {line[:60]!r}; fix: {_FIX}"
        )
    numbers: dict[str, float] = {}
    for key, pos in (("latitude", 6), ("longitude", 7), ("tz", 8), ("elevation", 9)):
        try:
            numbers[key] = float(fields[pos])
        except ValueError:
            raise WeatherFileError(
                f"{source}: LOCATION {key} = {fields[pos]!r} is not a number; fix: {_FIX}"
            ) from None
    return {
        "name": fields[1].strip(),
        **numbers,
        "source": "EPW",
        "wind_height_m": EPW_WIND_HEIGHT_M,
        "station_id": fields[5].strip(),
    }


def read_epw(path: str | PathLike[str], *, year: int = DEFAULT_YEAR) -> tuple[pd.DataFrame, dict]:
    """Read an EPW weather file (``.epw`` or gzip-compressed ``.epw.gz``).

    Parameters
    ----------
    path : str or os.PathLike
        EPW file; gzip compression is detected from the content.
    year : int, default 2025
        Non-leap year the typical-year timestamps are mapped onto.

    Returns
    -------
    data : pandas.DataFrame
        8760 hourly rows, aip weather columns (see :mod:`aip.io.validate`):
        ``ghi, dni, dhi`` [W/m2], ``temp_air, temp_dew`` [degC],
        ``relative_humidity`` [fraction], ``wind_speed`` [m/s] at 10 m,
        ``pressure`` [Pa]; index at the file's fixed UTC offset.
    meta : dict
        ``name`` (EPW city), ``latitude``, ``longitude``, ``elevation`` [m], ``tz``
        [hours], ``source`` = ``"EPW"``, ``wind_height_m`` = 10, ``station_id`` (WMO).

    Raises
    ------
    aip.errors.WeatherFileError
        Missing or corrupt file, bad header, a row without 35 fields, non-numeric
        values, wrong number of hours, gaps over 3 h or unphysical values.

    Notes
    -----
    EPW hour ``h`` holds the hour ending at ``h``:00; like pvlib, the row is labelled
    with the hour's start. Relative humidity [%] is divided by 100. Values at EPW
    missing codes (:data:`EPW_MISSING`) become gaps, interpolated up to 3 h.

    References
    ----------
    .. [1] EnergyPlus Auxiliary Programs, "Weather Converter Program: EnergyPlus
       Weather File (EPW) Data Dictionary", https://energyplus.readthedocs.io/

    Examples
    --------
    >>> from aip.io import read_epw
    >>> data, meta = read_epw("USA_TN_Memphis.Intl.AP.723340_TMY3.epw")  # doctest: +SKIP
    >>> len(data), meta["tz"]  # doctest: +SKIP
    (8760, -6.0)
    """
    source = str(path)
    text = read_text(path, source)
    lines = text.splitlines()
    if len(lines) <= EPW_HEADER_LINES:
        raise WeatherFileError(
            f"{source}: only {len(lines)} lines; an EPW has {EPW_HEADER_LINES} header lines "
            f"and 8760 data rows; fix: {_FIX}"
        )
    meta = _parse_location(lines[0], source)
    # a blank header line parses to [] (not [""]); `or` keeps it an error below, not IndexError
    periods = next(csv.reader([lines[EPW_HEADER_LINES - 1]]), []) or [""]
    if periods[0].strip().upper() != "DATA PERIODS":
        raise WeatherFileError(
            f"{source}: line {EPW_HEADER_LINES} must start with 'DATA PERIODS'; got "
            f"{lines[EPW_HEADER_LINES - 1][:40]!r}; fix: {_FIX}"
        )
    if len(periods) > 2 and periods[2].strip() not in ("1", ""):
        raise WeatherFileError(
            f"{source}: {periods[2].strip()} records per hour; only hourly EPW files are "
            "read; fix: use an hourly EPW or convert to the aip weather CSV"
        )
    check_field_counts(lines, EPW_HEADER_LINES, EPW_FIELDS, source, _FIX)
    try:
        with warnings.catch_warnings():
            # mixed-type columns are converted below, with an error naming the bad value
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            raw, _ = pvlib.iotools.read_epw(io.StringIO(text))
    except (ValueError, KeyError, IndexError, TypeError, OverflowError) as exc:
        raise WeatherFileError(
            f"{source}: data rows cannot be parsed (year, month, day and hour must be "
            f"integers; pvlib said: {str(exc)[:120]}); fix: {_FIX}"
        ) from None
    raw = raw.assign(_row=range(1, len(raw) + 1))
    data = numeric_columns(raw, list(EPW_MISSING), source)
    for col, code in EPW_MISSING.items():
        data[col] = data[col].mask(data[col] >= code)
    data = data.rename(columns={"atmospheric_pressure": "pressure"})
    data["relative_humidity"] = data["relative_humidity"] / 100.0
    meta = check_meta(meta, source)
    return validate_weather(data, meta, source, year=year), meta
