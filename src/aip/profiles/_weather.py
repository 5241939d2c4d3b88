"""Checks on the weather DataFrame contract shared by the profile functions (private).

The contract (written by ``aip.io``): a tz-aware hourly DatetimeIndex and float columns
``ghi, dni, dhi`` [W/m2], ``temp_air, temp_dew`` [degC], ``relative_humidity`` [fraction],
``wind_speed`` [m/s at 10 m] and ``pressure`` [Pa].
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from aip.errors import DataError, ScenarioError


def check_weather(weather: object, columns: tuple[str, ...]) -> pd.DataFrame:
    """Return ``weather`` unchanged after checking its index and the ``columns`` it needs.

    Raises
    ------
    DataError
        If ``weather`` is not a DataFrame with a tz-aware DatetimeIndex, lacks a column, or a
        column is not numeric.
    """
    if not isinstance(weather, pd.DataFrame):
        raise DataError(
            f"weather = {type(weather).__name__}: must be a pandas DataFrame; "
            "fix: read the weather file with aip.io first"
        )
    if not isinstance(weather.index, pd.DatetimeIndex) or weather.index.tz is None:
        raise DataError(
            "weather.index: must be a tz-aware pandas DatetimeIndex; "
            "fix: weather.index = weather.index.tz_localize('Etc/GMT+6') (the site's UTC offset)"
        )
    if len(weather) == 0:
        raise DataError("weather: has no rows; fix: pass at least one hour of weather")
    missing = [c for c in columns if c not in weather.columns]
    if missing:
        raise DataError(
            f"weather columns = {sorted(map(str, weather.columns))}: missing {missing}; "
            "fix: rename the columns into aip's vocabulary (see aip.io readers)"
        )
    for c in columns:
        if not pd.api.types.is_numeric_dtype(weather[c]):
            raise DataError(f"weather[{c!r}]: must be numeric; fix: convert it with pd.to_numeric")
    return weather


def column(weather: pd.DataFrame, name: str) -> npt.NDArray[np.float64]:
    """Column ``name`` as a float array, with a clear error if it contains NaN or inf."""
    values = weather[name].to_numpy(dtype=float)
    if not np.all(np.isfinite(values)):
        first = int(np.flatnonzero(~np.isfinite(values))[0])
        raise DataError(
            f"weather[{name!r}] at {weather.index[first]}: is not finite; "
            "fix: fill gaps in the weather data (e.g. weather.interpolate())"
        )
    return values


def check_number(
    field: str, value: object, lo: float, hi: float, fix: str, *, lo_open: bool = False
) -> float:
    """Return ``value`` as float if it is a finite number in ``[lo, hi]`` (``(lo, hi]``)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise ScenarioError.for_field(field, value, "a number", fix)
    x = float(value)
    low_ok = x > lo if lo_open else x >= lo
    if not (np.isfinite(x) and low_ok and x <= hi):
        bracket = "(" if lo_open else "["
        raise ScenarioError.for_field(field, value, f"a number in {bracket}{lo}, {hi}]", fix)
    return x
