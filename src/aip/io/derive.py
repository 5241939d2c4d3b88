"""Weather quantities derived when a source lacks them: dew point, humidity, pressure."""

from __future__ import annotations

import pandas as pd
from pvlib.atmosphere import alt2pres, rh_from_tdew, tdew_from_rh

from aip.errors import WeatherFileError


def fill_derived(df: pd.DataFrame, elevation: float | None, source: str) -> pd.DataFrame:
    """Fill ``temp_dew``/``relative_humidity`` from each other and ``pressure`` from elevation.

    Parameters
    ----------
    df : pandas.DataFrame
        Weather with ``temp_air`` [degC] and at least one of ``temp_dew`` [degC] or
        ``relative_humidity`` [fraction]; ``pressure`` [Pa] optional.
    elevation : float or None
        Site elevation [m], used only when ``pressure`` is absent.
    source : str
        File or service name for error messages.

    Returns
    -------
    pandas.DataFrame
        A copy with every column of :data:`WEATHER_COLUMNS` the inputs allow.

    Notes
    -----
    Humidity uses the Magnus equation with WMO coefficients (pvlib
    ``atmosphere.rh_from_tdew``/``tdew_from_rh``):
    :math:`e_s(T) = 6.112\\exp(17.62\\,T/(243.12+T))`, :math:`RH = e_s(T_d)/e_s(T)`.
    RH is clipped to [0.001, 1] before inverting, because RH = 0 has no dew point.
    Missing pressure is the ISO standard-atmosphere pressure at the elevation
    (pvlib ``atmosphere.alt2pres``), an assumption that ignores weather-driven
    pressure swings of a few percent.
    """
    out = df.copy()
    has_dew, has_rh = "temp_dew" in out, "relative_humidity" in out
    if "temp_air" in out and has_rh and not has_dew:
        rh = out["relative_humidity"].astype(float).clip(0.001, 1.0)
        out["temp_dew"] = tdew_from_rh(out["temp_air"].astype(float), 100.0 * rh)
    elif "temp_air" in out and has_dew and not has_rh:
        rh_percent = rh_from_tdew(out["temp_air"].astype(float), out["temp_dew"].astype(float))
        out["relative_humidity"] = (rh_percent / 100.0).clip(upper=1.0)
    if "pressure" not in out:
        if elevation is None:
            raise WeatherFileError(
                f"{source}: column pressure is missing and no elevation is known; fix: "
                "add a pressure column [Pa] or an elevation"
            )
        out["pressure"] = float(alt2pres(float(elevation)))
    return out
