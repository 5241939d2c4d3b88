"""Read NREL TMY3 CSV files (plain or gzip-compressed) into aip's weather vocabulary.

Parsing is pvlib's (:func:`pvlib.iotools.read_tmy3` with ``map_variables=True``);
this module checks the two header lines and the field count of every row, reads
the station line with a real CSV parser (station names may hold commas), turns the
TMY3 missing code into gaps, converts units and relabels the hours so every reader
uses the same interval-start convention.
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

TMY3_WIND_HEIGHT_M = 10.0
"""TMY3 wind speed is at the standard 10 m height (Wilcox & Marion 2008, Table 1-1)."""
TMY3_MISSING = -9900.0
"""TMY3 code for a missing value (Wilcox & Marion 2008, section 1.3): values at or
below it become gaps."""

# TMY3 column (as pvlib maps it) -> aip column; units converted below.
_COLUMNS = {
    "ghi": "ghi",
    "dni": "dni",
    "dhi": "dhi",
    "temp_air": "temp_air",
    "temp_dew": "temp_dew",
    "relative_humidity": "relative_humidity",
    "wind_speed": "wind_speed",
    "pressure": "pressure",
}
_REQUIRED_HEADER = (
    "Date (MM/DD/YYYY)",
    "Time (HH:MM)",
    "GHI (W/m^2)",
    "DNI (W/m^2)",
    "DHI (W/m^2)",
    "Dry-bulb (C)",
    "Dew-point (C)",
    "RHum (%)",
    "Pressure (mbar)",
    "Wspd (m/s)",
)
_FIX = "use an unmodified NREL TMY3 file (e.g. from the NSRDB 1991-2005 TMY3 archive)"


def looks_like_tmy3(text: str) -> bool:
    """True if the second line of ``text`` is a TMY3 column header."""
    lines = text.splitlines()
    return len(lines) > 1 and lines[1].startswith("Date (MM/DD/YYYY),Time (HH:MM)")


def _parse_station(line: str, source: str) -> dict[str, Any]:
    fields = next(csv.reader([line]), [])
    if len(fields) < 7:
        raise WeatherFileError(
            f"{source}: line 1 must be 'USAF,name,state,tz,latitude,longitude,elevation' "
            f"(7 fields); got {line[:60]!r}; fix: {_FIX}"
        )
    numbers: dict[str, float] = {}
    for key, pos in (("tz", 3), ("latitude", 4), ("longitude", 5), ("elevation", 6)):
        try:
            numbers[key] = float(fields[pos])
        except ValueError:
            raise WeatherFileError(
                f"{source}: station line {key} = {fields[pos]!r} is not a number; fix: {_FIX}"
            ) from None
    return {
        "name": fields[1].strip().strip('"'),
        **numbers,
        "source": "TMY3",
        "wind_height_m": TMY3_WIND_HEIGHT_M,
        "station_id": fields[0].strip(),
    }


def read_tmy3(path: str | PathLike[str], *, year: int = DEFAULT_YEAR) -> tuple[pd.DataFrame, dict]:
    """Read an NREL TMY3 CSV file (``.tmy3``/``.csv``, optionally gzip-compressed).

    Parameters
    ----------
    path : str or os.PathLike
        TMY3 file; gzip compression is detected from the content.
    year : int, default 2025
        Non-leap year the typical-year timestamps are mapped onto.

    Returns
    -------
    data : pandas.DataFrame
        8760 hourly rows of aip weather columns (see :mod:`aip.io.validate`):
        ``ghi, dni, dhi`` [W/m2], ``temp_air, temp_dew`` [degC],
        ``relative_humidity`` [fraction], ``wind_speed`` [m/s] at 10 m,
        ``pressure`` [Pa]; index at the file's fixed UTC offset.
    meta : dict
        ``name``, ``latitude``, ``longitude``, ``elevation`` [m], ``tz`` [hours],
        ``source`` = ``"TMY3"``, ``wind_height_m`` = 10, ``station_id`` (USAF).

    Raises
    ------
    aip.errors.WeatherFileError
        Missing or corrupt file, bad header lines, rows with the wrong number of
        fields, non-numeric values, wrong number of hours, gaps over 3 h or
        unphysical values.

    Notes
    -----
    TMY3 stamps each hour at its end (01:00 holds 00:00-01:00); pvlib keeps that
    label, so rows are shifted back one hour to label the hour's start, as the EPW
    reader does. Pressure [mbar] is multiplied by 100 to [Pa]; relative humidity [%]
    is divided by 100.

    References
    ----------
    .. [1] Wilcox, S. and Marion, W. (2008). Users Manual for TMY3 Data Sets.
       NREL/TP-581-43156. https://doi.org/10.2172/928611

    Examples
    --------
    >>> from aip.io import read_tmy3
    >>> data, meta = read_tmy3("723340TYA.CSV")  # doctest: +SKIP
    >>> meta["source"], len(data)  # doctest: +SKIP
    ('TMY3', 8760)
    """
    source = str(path)
    text = read_text(path, source)
    lines = text.splitlines()
    if len(lines) < 3:
        raise WeatherFileError(
            f"{source}: only {len(lines)} lines; a TMY3 file has 2 header lines and 8760 "
            f"data rows; fix: {_FIX}"
        )
    meta = _parse_station(lines[0], source)
    header = next(csv.reader([lines[1]]), [])
    absent = [name for name in _REQUIRED_HEADER if name not in header]
    if absent:
        raise WeatherFileError(f"{source}: line 2 lacks the TMY3 column {absent[0]!r}; fix: {_FIX}")
    check_field_counts(lines, 2, len(header), source, _FIX)
    try:
        with warnings.catch_warnings():
            # mixed-type columns are converted below, with an error naming the bad value
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            raw, _ = pvlib.iotools.read_tmy3(io.StringIO(text), map_variables=True)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise WeatherFileError(
            f"{source}: dates or times cannot be parsed (need MM/DD/YYYY and HH:MM; pvlib "
            f"said: {str(exc)[:120]}); fix: {_FIX}"
        ) from None
    raw = raw.assign(_row=range(1, len(raw) + 1))
    data = numeric_columns(raw, list(_COLUMNS), source)
    for col in _COLUMNS:
        data[col] = data[col].mask(data[col] <= TMY3_MISSING)
    data["pressure"] = data["pressure"] * 100.0
    data["relative_humidity"] = data["relative_humidity"] / 100.0
    data.index = pd.DatetimeIndex(data.index) - pd.Timedelta(hours=1)
    meta = check_meta(meta, source)
    return validate_weather(data, meta, source, year=year), meta
