"""Read and write aip's plain weather CSV format.

The format is deliberately simple, so any tool (a spreadsheet, pandas, a station
logger export) can produce it. It is also described in ``docs/weather-csv.md``::

    # name: Memphis International Ap
    # latitude: 35.07
    # longitude: -89.98
    # elevation: 81
    # tz: -6
    # wind_height_m: 10
    timestamp,ghi,dni,dhi,temp_air,temp_dew,relative_humidity,wind_speed,pressure
    2025-01-01T00:00:00-06:00,0,0,0,9.4,9.4,1.0,3.1,99400
    2025-01-01T01:00:00-06:00,0,0,0,9.4,9.4,1.0,2.6,99400
    ...

Rules

* Optional ``# key: value`` lines before the column header give metadata; keys are
  ``name, latitude, longitude, elevation, tz, wind_height_m``. Other ``#`` lines
  without a known key are free comments. Function arguments override header values.
* ``timestamp``: ISO 8601, labelling the *start* of each hour. With a UTC offset
  (``2025-01-01T00:00:00-06:00``) or naive plus ``tz`` (header or argument, hours
  from UTC, standard time). Mixed offsets (daylight saving) need ``tz``; the data
  are then converted to that fixed offset.
* Columns (units as in :mod:`aip.io.validate`): ``ghi, dni, dhi`` [W/m2],
  ``temp_air`` [degC], ``wind_speed`` [m/s] are required; at least one of
  ``temp_dew`` [degC] or ``relative_humidity`` [fraction 0..1, not percent] (the
  other is derived with the Magnus equation); ``pressure`` [Pa] is optional
  (standard-atmosphere pressure at the elevation is used). Other columns are ignored.
* One year of hourly (or sub-hourly, averaged to hourly) rows, any single year;
  Feb 29 is dropped and timestamps are mapped to ``year`` (default 2025). Empty
  fields are missing values; gaps up to 3 h are interpolated.
* ``latitude`` and ``longitude`` are required; ``elevation`` defaults to the
  standard-atmosphere altitude of the mean pressure when a pressure column exists;
  ``wind_height_m`` defaults to 10 m (assumption: the WMO standard anemometer
  height, WMO-No. 8); ``name`` defaults to the file name.
"""

from __future__ import annotations

import io
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd
from pvlib.atmosphere import pres2alt

from aip.errors import WeatherFileError
from aip.io.derive import fill_derived
from aip.io.rawfile import check_field_counts, read_text
from aip.io.validate import (
    DEFAULT_YEAR,
    WEATHER_COLUMNS,
    check_meta,
    fixed_offset,
    numeric_columns,
    validate_weather,
)

HEADER_KEYS = ("name", "latitude", "longitude", "elevation", "tz", "wind_height_m")
DEFAULT_WIND_HEIGHT_M = 10.0
_REQUIRED = ("ghi", "dni", "dhi", "temp_air", "wind_speed")
_FIX = "see docs/weather-csv.md for the aip weather CSV format"


def _split_header(lines: list[str], source: str) -> tuple[dict[str, str], int]:
    header: dict[str, str] = {}
    pos = 0
    while pos < len(lines) and (lines[pos].startswith("#") or not lines[pos].strip()):
        key, sep, value = lines[pos].lstrip("#").partition(":")
        if sep and key.strip().lower() in HEADER_KEYS:
            header[key.strip().lower()] = value.strip()
        pos += 1
    if pos == len(lines):
        raise WeatherFileError(f"{source}: no column header line; fix: {_FIX}")
    return header, pos


def _number(value: Any, key: str, source: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise WeatherFileError(
            f"{source}: header {key} = {value!r} is not a number; fix: {_FIX}"
        ) from None


def _timestamps(raw: pd.Series, tz: float | None, source: str) -> pd.DatetimeIndex:
    stamps = pd.to_datetime(raw, format="ISO8601", errors="coerce", utc=True)
    if stamps.isna().any():
        pos = int(stamps.isna().to_numpy().argmax())
        raise WeatherFileError(
            f"{source}: timestamp {raw.iloc[pos]!r} (data row {pos + 1}) is not ISO 8601; "
            f"fix: write e.g. 2025-01-01T00:00:00-06:00; {_FIX}"
        )
    texts = raw.astype(str).str.strip()
    suffix = texts.str.extract(r"(Z|[+-]\d\d:?\d\d)$", expand=False)
    has_offset = suffix.notna()
    if has_offset.all():
        if tz is None:
            if suffix.nunique() > 1:
                raise WeatherFileError(
                    f"{source}: timestamps carry several UTC offsets (daylight saving?); "
                    "fix: add '# tz: <standard-time hours from UTC>' to the header"
                )
            first = pd.Timestamp(texts.iloc[0]).utcoffset()
            tz = first.total_seconds() / 3600.0 if first is not None else 0.0
        return pd.DatetimeIndex(stamps).tz_convert(fixed_offset(tz))
    if has_offset.any():
        pos = int((~has_offset).to_numpy().argmax())
        raise WeatherFileError(
            f"{source}: timestamp {raw.iloc[pos]!r} (data row {pos + 1}) has no UTC offset "
            "while others do; fix: give every timestamp an offset, or none and a tz"
        )
    if tz is None:
        raise WeatherFileError(
            f"{source}: timestamps have no UTC offset and no tz is given; fix: add "
            "'# tz: <hours from UTC>' to the header or pass tz="
        )
    naive = pd.to_datetime(raw, format="ISO8601")
    return pd.DatetimeIndex(naive).tz_localize(fixed_offset(tz))


def read_weather_csv(
    path: str | PathLike[str],
    *,
    latitude: float | None = None,
    longitude: float | None = None,
    elevation: float | None = None,
    tz: float | None = None,
    name: str | None = None,
    wind_height_m: float | None = None,
    year: int = DEFAULT_YEAR,
) -> tuple[pd.DataFrame, dict]:
    """Read a weather CSV in aip's plain format (see the module docstring).

    Parameters
    ----------
    path : str or os.PathLike
        CSV file, optionally gzip-compressed.
    latitude, longitude : float, optional
        Site coordinates [degrees north, degrees east]; override the header.
    elevation : float, optional
        Site elevation [m]; overrides the header.
    tz : float, optional
        UTC offset of the output [hours]; needed for naive timestamps.
    name : str, optional
        Site name; defaults to the header's, else the file name.
    wind_height_m : float, optional
        Height of the wind measurement [m]; default header value, else 10 m.
    year : int, default 2025
        Non-leap year the timestamps are mapped onto.

    Returns
    -------
    data : pandas.DataFrame
        8760 hourly rows of aip weather columns at a fixed UTC offset.
    meta : dict
        ``name, latitude, longitude, elevation, tz, source="CSV", wind_height_m``.

    Raises
    ------
    aip.errors.WeatherFileError
        Missing header values or columns, rows with the wrong number of fields,
        bad timestamps, non-numeric values, wrong number of hours, gaps over 3 h,
        unphysical values (e.g. relative humidity in percent).

    Examples
    --------
    >>> from aip.io import read_weather_csv
    >>> data, meta = read_weather_csv("site.csv", latitude=35.07)  # doctest: +SKIP
    """
    source = str(path)
    lines = read_text(path, source).splitlines()
    header, start = _split_header(lines, source)
    columns = [c.strip() for c in lines[start].split(",")]
    if "timestamp" not in columns:
        raise WeatherFileError(
            f"{source}: column timestamp is missing from the header {lines[start][:60]!r}; "
            f"fix: {_FIX}"
        )
    absent = [c for c in _REQUIRED if c not in columns]
    if not absent and "temp_dew" not in columns and "relative_humidity" not in columns:
        absent = ["temp_dew or relative_humidity"]
    if absent:
        raise WeatherFileError(f"{source}: column {absent[0]} is missing; fix: {_FIX}")
    check_field_counts(lines, start + 1, len(columns), source, _FIX)
    body = "\n".join(lines[start:])
    try:
        table = pd.read_csv(io.StringIO(body), dtype=str, skipinitialspace=True)
    except (ValueError, pd.errors.ParserError) as exc:
        raise WeatherFileError(f"{source}: cannot parse ({exc}); fix: {_FIX}") from None
    table.columns = [c.strip() for c in table.columns]
    if table.empty:
        raise WeatherFileError(f"{source}: no data rows; fix: {_FIX}")
    tz_hours = tz if tz is not None else header.get("tz")
    tz_value = None if tz_hours is None else _number(tz_hours, "tz", source)
    index = _timestamps(table["timestamp"], tz_value, source)
    present = [c for c in WEATHER_COLUMNS if c in table.columns]
    data = table[present].set_index(index)
    data["_row"] = range(1, len(data) + 1)
    data = numeric_columns(data, present, source)

    values: dict[str, Any] = {k: header[k] for k in HEADER_KEYS if k in header}
    given = {"latitude": latitude, "longitude": longitude, "elevation": elevation, "name": name}
    values.update({k: v for k, v in given.items() if v is not None})
    if wind_height_m is not None:
        values["wind_height_m"] = wind_height_m
    for key in ("latitude", "longitude"):
        if key not in values:
            raise WeatherFileError(
                f"{source}: {key} is not given; fix: add '# {key}: <degrees>' to the header "
                f"or pass {key}="
            )
    if "elevation" not in values:
        if "pressure" not in data or data["pressure"].isna().all():
            raise WeatherFileError(
                f"{source}: elevation is not given and there is no pressure column; fix: "
                "add '# elevation: <m>' to the header or pass elevation="
            )
        values["elevation"] = float(pres2alt(float(data["pressure"].mean())))
    meta = {
        "name": values.get("name", Path(source).name),
        "latitude": _number(values["latitude"], "latitude", source),
        "longitude": _number(values["longitude"], "longitude", source),
        "elevation": _number(values["elevation"], "elevation", source),
        "tz": index.tz.utcoffset(None).total_seconds() / 3600.0,  # type: ignore[union-attr]
        "source": "CSV",
        "wind_height_m": _number(
            values.get("wind_height_m", DEFAULT_WIND_HEIGHT_M), "wind_height_m", source
        ),
    }
    meta = check_meta(meta, source)
    data = fill_derived(data, meta["elevation"], source)
    return validate_weather(data, meta, source, year=year), meta


def write_weather_csv(df: pd.DataFrame, meta: dict, path: str | PathLike[str]) -> Path:
    """Write validated weather in aip's CSV format (readable by :func:`read_weather_csv`).

    Parameters
    ----------
    df : pandas.DataFrame
        Weather in aip's vocabulary (e.g. from :func:`aip.io.read_weather`).
    meta : dict
        Its metadata; ``name, latitude, longitude, elevation, tz, wind_height_m`` are
        written as header lines.
    path : str or os.PathLike
        Output file.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    out = Path(path)
    lines = [f"# {key}: {meta[key]}" for key in HEADER_KEYS if key in meta]
    table = df[list(WEATHER_COLUMNS)].copy()
    table.insert(0, "timestamp", [stamp.isoformat() for stamp in df.index])
    text = "\n".join(lines) + "\n" + table.to_csv(index=False, lineterminator="\n")
    out.write_text(text, encoding="utf-8")
    return out
