"""Check and normalise hourly weather into aip's weather vocabulary.

Every reader (EPW, TMY3, CSV, PVGIS, NSRDB) ends in :func:`validate_weather`, so
all weather that reaches the rest of aip looks the same:

* a tz-aware hourly :class:`pandas.DatetimeIndex` named ``time``, at a fixed UTC
  offset (``meta["tz"]`` hours), 8760 rows covering one non-leap year (default
  2025), sorted; each row labels the hour that *begins* at its timestamp (the
  convention of :func:`pvlib.iotools.read_epw`);
* float columns :data:`WEATHER_COLUMNS`: ``ghi, dni, dhi`` [W/m2], ``temp_air,
  temp_dew`` [degC], ``relative_humidity`` [fraction 0..1], ``wind_speed`` [m/s]
  at ``meta["wind_height_m"]`` above ground, ``pressure`` [Pa];
* a metadata dict with ``name, latitude, longitude, elevation`` [m], ``tz``
  [hours from UTC], ``source`` and ``wind_height_m`` [m].

Choices (each also stated where it is applied):

* Typical-year files mix months from different years; their timestamps are
  mapped onto one year by month, day and hour. A real leap year's Feb 29 rows are
  dropped, because every aip model runs on a 365-day, 8760-hour year so typical
  and real years line up hour for hour (the other 365 days keep their values).
* Sub-hourly data whose step divides an hour (e.g. 30 min) is averaged to hourly
  means with a :class:`UserWarning`: an hourly mean of irradiance [W/m2] keeps the
  energy of the hour, which is what the hourly models need. Steps longer than an
  hour are refused: interpolating them would invent weather.
* Gaps of at most :data:`MAX_GAP_HOURS` consecutive hours are filled by linear
  interpolation (cyclically across Dec 31 -> Jan 1, as a typical year repeats);
  longer gaps raise :class:`~aip.errors.WeatherFileError`.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from aip.errors import ScenarioError, WeatherFileError, field_error_message

WEATHER_COLUMNS: tuple[str, ...] = (
    "ghi",
    "dni",
    "dhi",
    "temp_air",
    "temp_dew",
    "relative_humidity",
    "wind_speed",
    "pressure",
)
"""Columns of every validated weather frame, in this order."""

META_KEYS: tuple[str, ...] = (
    "name",
    "latitude",
    "longitude",
    "elevation",
    "tz",
    "source",
    "wind_height_m",
)
"""Keys every weather metadata dict carries."""

HOURS_PER_YEAR = 8760
DEFAULT_YEAR = 2025
MAX_GAP_HOURS = 3
"""Longest run of missing hours that is interpolated (assumption: 3 h keeps the
diurnal shape of irradiance and temperature; longer gaps need real data)."""

# Physical bounds (inclusive) and units per column. Assumptions, chosen to catch unit
# mistakes (percent RH, hPa pressure, degF) rather than rare extremes: ghi 1500 W/m2 is
# the 1361 W/m2 solar constant plus margin for brief cloud-enhancement peaks; dni 1400
# W/m2 is just above the solar constant; -90..60 degC spans the -89.2 and 56.7 degC
# world records; 75 m/s exceeds Category-5 hurricane sustained winds (>= 70 m/s);
# 50 kPa is the standard-atmosphere pressure near 5,500 m and 110 kPa is above the
# 108.4 kPa sea-level record. dhi uses the ghi bound (diffuse is part of global);
# temp_dew the temp_air bound.
BOUNDS: dict[str, tuple[float, float, str]] = {
    "ghi": (0.0, 1500.0, "W/m2"),
    "dni": (0.0, 1400.0, "W/m2"),
    "dhi": (0.0, 1500.0, "W/m2"),
    "temp_air": (-90.0, 60.0, "degC"),
    "temp_dew": (-90.0, 60.0, "degC"),
    "relative_humidity": (0.0, 1.0, "fraction"),
    "wind_speed": (0.0, 75.0, "m/s"),
    "pressure": (50000.0, 110000.0, "Pa"),
}

_UNIT_HINTS = {
    "relative_humidity": "give a fraction 0..1 (divide percent by 100)",
    "pressure": "give pressure in Pa (multiply hPa/mbar by 100)",
    "temp_air": "give temperature in degC",
    "temp_dew": "give dew point in degC",
}
_ROW = "_row"  # original data-row number, carried so errors can name the file row


def fixed_offset(hours: float) -> dt.tzinfo:
    """Fixed-offset time zone ``hours`` from UTC (no daylight saving)."""
    return dt.timezone(dt.timedelta(hours=float(hours)))


def check_meta(meta: Mapping[str, Any], source: str) -> dict[str, Any]:
    """Validated copy of weather metadata (numbers as floats); see :data:`META_KEYS`."""
    out = dict(meta)
    for key in META_KEYS:
        if key not in out:
            raise WeatherFileError(f"{source}: metadata lacks {key!r}; fix: supply {key}")
    # tz: real-world offsets span UTC-12 to UTC+14; elevation: Dead Sea shore (-430 m) to
    # Everest (8849 m); wind_height_m: sensor heights from near-ground to tall masts.
    checks = {
        "latitude": (-90.0, 90.0, "degrees north"),
        "longitude": (-180.0, 180.0, "degrees east"),
        "tz": (-12.0, 14.0, "hours from UTC"),
        "elevation": (-500.0, 9000.0, "m"),
        "wind_height_m": (0.5, 300.0, "m"),
    }
    for key, (lo, hi, unit) in checks.items():
        value = out[key]
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        if not lo <= number <= hi:
            raise WeatherFileError(
                field_error_message(
                    f"{source}: {key}",
                    value,
                    f"a number in [{lo:g}, {hi:g}] {unit}",
                    f"correct the {key} in the file header or pass it as an argument",
                )
            )
        out[key] = number
    out["name"] = str(out["name"])
    return out


def numeric_columns(df: pd.DataFrame, columns: Sequence[str], source: str) -> pd.DataFrame:
    """Copy of ``df`` with ``columns`` converted to float; empty fields become NaN.

    A value that is neither a number nor empty raises WeatherFileError naming the
    column, the value, its timestamp and its data row (1-based position in ``df``).
    """
    out = df.copy()
    for col in columns:
        raw = df[col]
        values = pd.to_numeric(raw, errors="coerce").astype(float)
        bad = values.isna() & raw.notna()
        if bad.any():  # only then pay for the string test: blank fields are missing values
            bad &= raw.astype(str).str.strip() != ""
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            row = df[_ROW].iloc[pos] if _ROW in df else pos + 1
            raise WeatherFileError(
                f"{source}: column {col} has non-numeric value {raw.iloc[pos]!r} at "
                f"{df.index[pos]} (data row {row}); fix: use a plain number or leave the "
                "field empty for a missing value"
            )
        out[col] = values
    return out


def _in_year(wall: pd.DatetimeIndex, year: int) -> pd.DatetimeIndex:
    """Naive wall-clock stamps moved to ``year``, keeping month, day, hour and minute."""
    parts = {"month": wall.month, "day": wall.day, "hour": wall.hour, "minute": wall.minute}
    table = pd.DataFrame({"year": np.full(len(wall), year), **parts})
    return pd.DatetimeIndex(pd.to_datetime(table))


def _coerce_year(df: pd.DataFrame, tz: float, year: int, source: str) -> pd.DataFrame:
    # Map to `year` in the data's own frame first (e.g. UTC for PVGIS): a typical month
    # taken from a leap year must lose Feb 29 there, not after shifting to local time.
    # A zone with daylight saving is first pinned to its first offset.
    index = pd.DatetimeIndex(df.index)
    first = index[0].utcoffset() if len(index) else None
    own = fixed_offset(first.total_seconds() / 3600.0 if first is not None else 0.0)
    wall = index.tz_convert(own).tz_localize(None)
    keep = ~((wall.month == 2) & (wall.day == 29))  # leap day dropped: see module notes
    df, wall = df[keep], wall[keep]
    # Then shift to the output offset; hours pushed past Dec 31 / before Jan 1 wrap
    # around the typical year (shifts are under a day, so no Feb 29 can appear).
    local = _in_year(wall, year).tz_localize(own).tz_convert(fixed_offset(tz))
    out = df.copy()
    out.index = _in_year(local.tz_localize(None), year).tz_localize(fixed_offset(tz))
    out = out.sort_index(kind="stable")
    dup = out.index.duplicated()
    if dup.any():
        when = out.index[dup][0]
        raise WeatherFileError(
            f"{source}: timestamp {when} appears more than once after mapping to year "
            f"{year} (more than one year of data, or repeated rows); fix: supply exactly "
            "one year of hourly data"
        )
    steps = np.diff(pd.DatetimeIndex(out.index).as_unit("ns").asi8)
    if len(steps) == 0:
        raise WeatherFileError(f"{source}: no data rows; fix: supply a full year of data")
    step_ns = int(pd.Series(steps).mode().iloc[0])
    hour_ns = 3_600_000_000_000
    if 0 < step_ns < hour_ns and hour_ns % step_ns == 0:
        warnings.warn(
            f"{source}: {step_ns // 60_000_000_000}-minute data averaged to hourly means",
            UserWarning,
            stacklevel=3,
        )
        rows = out[_ROW].resample("1h").first()
        out = out.drop(columns=_ROW).resample("1h").mean()
        out[_ROW] = rows.to_numpy()
        out = out[rows.notna().to_numpy()]  # hours with no source rows stay missing
    elif step_ns != hour_ns:
        raise WeatherFileError(
            f"{source}: time step is {step_ns / hour_ns:g} h; must be 1 h or a divisor of an "
            "hour; fix: supply hourly (or e.g. 30-minute) data"
        )
    full = pd.date_range(
        f"{year}-01-01", periods=HOURS_PER_YEAR, freq="h", tz=fixed_offset(tz), name="time"
    )
    extra = out.index.difference(full)
    missing = full.difference(pd.DatetimeIndex(out.index))
    if len(out) != HOURS_PER_YEAR or len(extra) or len(missing):
        where = f"; first missing hour {missing[0]}" if len(missing) else ""
        where += f"; first off-the-hour stamp {extra[0]}" if len(extra) else ""
        raise WeatherFileError(
            f"{source}: {len(out)} hourly rows after dropping Feb 29 and mapping to year "
            f"{year}; expected {HOURS_PER_YEAR} (one full year, every hour present){where}; "
            "fix: supply a full year of hourly data (leave missing values empty)"
        )
    return out.reindex(full)


def _fill_gaps(df: pd.DataFrame, source: str) -> pd.DataFrame:
    out = df.copy()
    for col in WEATHER_COLUMNS:
        isna = out[col].isna().to_numpy()
        if not isna.any():
            continue
        if isna.all():
            raise WeatherFileError(
                f"{source}: column {col} has no values; fix: supply the column's data"
            )
        # Run lengths of missing values on the cyclic year (a typical year wraps).
        start = int(np.flatnonzero(~isna)[0])
        rolled = np.roll(isna, -start)
        edges = np.flatnonzero(np.diff(np.concatenate(([0], rolled.astype(int), [0]))))
        for run_start, run_end in zip(edges[::2], edges[1::2], strict=True):
            if run_end - run_start > MAX_GAP_HOURS:
                first = (run_start + start) % len(isna)
                raise WeatherFileError(
                    f"{source}: column {col} has {run_end - run_start} consecutive missing "
                    f"hours from {out.index[first]}; at most {MAX_GAP_HOURS} are "
                    "interpolated; fix: fill the gap from another source or use another file"
                )
        pad = MAX_GAP_HOURS + 1
        values = out[col].to_numpy()
        wrapped = pd.Series(np.concatenate((values[-pad:], values, values[:pad])))
        out[col] = wrapped.interpolate(method="linear").to_numpy()[pad:-pad]
    return out


def _check_ranges(df: pd.DataFrame, source: str) -> None:
    for col, (lo, hi, unit) in BOUNDS.items():
        values = df[col].to_numpy()
        bad = (values < lo) | (values > hi)
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            row = df[_ROW].iloc[pos]
            row_text = "interpolated" if pd.isna(row) else f"data row {int(row)}"
            fix = _UNIT_HINTS.get(col, f"check the {col} values and their units")
            raise WeatherFileError(
                field_error_message(
                    f"{source}: {col} at {df.index[pos]} ({row_text})",
                    float(values[pos]),
                    f"within [{lo:g}, {hi:g}] {unit}",
                    fix,
                )
            )


def validate_weather(
    df: pd.DataFrame,
    meta: Mapping[str, Any],
    source_name: str,
    *,
    year: int = DEFAULT_YEAR,
) -> pd.DataFrame:
    """Check weather and normalise it to aip's hourly one-year vocabulary.

    Parameters
    ----------
    df : pandas.DataFrame
        Weather indexed by a tz-aware :class:`~pandas.DatetimeIndex` whose labels are
        interval starts, with every column of :data:`WEATHER_COLUMNS` (values may be
        strings from a parser; they are converted, and empty values are missing).
        Other columns are dropped.
    meta : Mapping
        Metadata with every key of :data:`META_KEYS`; ``tz`` [hours] fixes the
        output offset (the index is converted to it).
    source_name : str
        File or service name, used in every error message.
    year : int, default 2025
        Non-leap year every timestamp is mapped onto.

    Returns
    -------
    pandas.DataFrame
        8760 hourly rows of ``year`` at UTC offset ``meta["tz"]``, float columns
        :data:`WEATHER_COLUMNS`, gaps of at most 3 h interpolated.

    Raises
    ------
    aip.errors.WeatherFileError
        Missing column, non-numeric value, step longer than an hour, wrong number of
        hours, duplicate hours, a gap longer than 3 h, a value outside the physical
        bounds :data:`BOUNDS`, or bad coordinates; the message names the source, the
        column, the value, the timestamp and the fix.

    Notes
    -----
    Order of operations: metadata checks; numeric conversion; drop Feb 29 and map
    timestamps to ``year`` by month/day/hour; average sub-hourly steps to hourly
    means (with a warning); require all 8760 hours exactly once; interpolate gaps
    of at most 3 h (cyclic); check bounds.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.date_range("2025-01-01", periods=8760, freq="h", tz="UTC")
    >>> df = pd.DataFrame({"ghi": 0.0, "dni": 0.0, "dhi": 0.0, "temp_air": 10.0,
    ...                    "temp_dew": 5.0, "relative_humidity": 0.7,
    ...                    "wind_speed": 3.0, "pressure": 101325.0}, index=idx)
    >>> meta = {"name": "x", "latitude": 35.0, "longitude": -90.0, "elevation": 80.0,
    ...         "tz": 0.0, "source": "test", "wind_height_m": 10.0}
    >>> validate_weather(df, meta, "example").shape
    (8760, 8)
    """
    if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        raise ScenarioError.for_field(
            "year", year, "a non-leap year", "use e.g. 2025 (weather is 8760 hours long)"
        )
    checked = check_meta(meta, source_name)
    if not isinstance(df, pd.DataFrame) or not isinstance(df.index, pd.DatetimeIndex):
        raise WeatherFileError(
            f"{source_name}: weather must be a DataFrame indexed by timestamps; fix: use "
            "aip.io.read_weather or build a DatetimeIndex"
        )
    if df.index.tz is None:
        raise WeatherFileError(
            f"{source_name}: timestamps have no UTC offset; fix: give offsets in the "
            "timestamps or the file's tz"
        )
    missing = [c for c in WEATHER_COLUMNS if c not in df.columns]
    if missing:
        raise WeatherFileError(
            f"{source_name}: column {missing[0]} is missing (need all of "
            f"{', '.join(WEATHER_COLUMNS)}); fix: add the column or use a reader that "
            "derives it"
        )
    work = df[list(WEATHER_COLUMNS)].copy()
    work[_ROW] = np.arange(1, len(work) + 1)
    work = numeric_columns(work, WEATHER_COLUMNS, source_name)
    work = _coerce_year(work, checked["tz"], year, source_name)
    work = _fill_gaps(work, source_name)
    _check_ranges(work, source_name)
    return work[list(WEATHER_COLUMNS)].astype(float)
