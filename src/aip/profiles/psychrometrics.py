"""Moist-air properties needed by the profiles: wet-bulb temperature and air density.

Functions accept scalars, numpy arrays or pandas Series (aligned) and return the same kind,
so that they can be used on a weather DataFrame's columns or on hand values in a test.

References
----------
.. [1] ASHRAE (2017). *ASHRAE Handbook - Fundamentals*, chapter 1 "Psychrometrics",
   eqs. 5-6 (Hyland-Wexler saturation pressure), 20 and 22 (humidity ratio), 33 and 35
   (wet-bulb relation).
.. [2] Stull, R. (2011). Wet-bulb temperature from relative humidity and air temperature.
   *J. Appl. Meteor. Climatol.* 50, 2267-2269. doi:10.1175/JAMC-D-11-0143.1
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from aip.errors import ScenarioError

__all__ = [
    "R_DRY_AIR",
    "air_density",
    "humidity_ratio",
    "saturation_vapor_pressure",
    "wet_bulb_temperature",
    "wet_bulb_temperature_stull",
]

ArrayLike = TypeVar("ArrayLike", float, npt.NDArray[np.float64], pd.Series)

#: Specific gas constant of dry air [J/(kg K)] (ASHRAE Fundamentals 2017, ch. 1).
R_DRY_AIR = 287.042
#: Ratio of molar masses water/dry air (ASHRAE Fundamentals 2017, eq. 20).
_EPSILON = 0.621945
_KELVIN = 273.15

# Hyland-Wexler coefficients, ASHRAE Fundamentals 2017 ch. 1 eq. 5 (over ice, -100..0 degC)
# and eq. 6 (over liquid water, 0..200 degC); T in K, p_ws in Pa.
_ICE = (-5.6745359e3, 6.3925247, -9.6778430e-3, 6.2215701e-7, 2.0747825e-9, -9.4840240e-13)
_ICE_LN = 4.1635019
_WATER = (-5.8002206e3, 1.3914993, -4.8640239e-2, 4.1764768e-5, -1.4452093e-8)
_WATER_LN = 6.5459673

# Bisection steps: the bracket is at most 100 K wide, so 2**-45 * 100 K < 1e-11 K.
_BISECTION_STEPS = 45


def _as_array(value: ArrayLike, field: str) -> npt.NDArray[np.float64]:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ScenarioError.for_field(field, value, "a number or an array of numbers") from exc
    return arr


def _like(result: npt.NDArray[np.float64], template: ArrayLike) -> ArrayLike:
    """Return ``result`` in the container type of ``template`` (Series, array or float)."""
    if isinstance(template, pd.Series):
        return pd.Series(result, index=template.index)
    if np.ndim(template) == 0:
        return float(result)  # type: ignore[return-value]
    return result  # type: ignore[return-value]


def _check_range(arr: npt.NDArray[np.float64], field: str, lo: float, hi: float, fix: str) -> None:
    finite = arr[np.isfinite(arr)]
    bad = finite[(finite < lo) | (finite > hi)]
    if bad.size:
        raise ScenarioError.for_field(field, float(bad[0]), f"between {lo} and {hi}", fix)


def saturation_vapor_pressure(temp: ArrayLike) -> ArrayLike:
    """Saturation pressure of water vapour over water (T >= 0 degC) or ice (T < 0 degC) [Pa].

    Parameters
    ----------
    temp : float, array or Series
        Temperature [degC], between -100 and 200.

    Returns
    -------
    float, array or Series
        Saturation vapour pressure [Pa].

    Notes
    -----
    Hyland-Wexler, ASHRAE Fundamentals 2017 ch. 1 eqs. 5-6 (T in K):
    ``ln p_ws = C1/T + C2 + C3 T + C4 T^2 + C5 T^3 (+ C6 T^4) + C7 ln T``.

    Examples
    --------
    >>> round(saturation_vapor_pressure(25.0) / 1000.0, 2)  # [kPa]; IAPWS-95: 3.1699
    3.17
    """
    t = _as_array(temp, "temp")
    _check_range(t, "temp", -100.0, 200.0, "give the temperature in degC")
    tk = t + _KELVIN
    c1, c2, c3, c4, c5, c6 = _ICE
    ln_ice = c1 / tk + c2 + c3 * tk + c4 * tk**2 + c5 * tk**3 + c6 * tk**4 + _ICE_LN * np.log(tk)
    w8, w9, w10, w11, w12 = _WATER
    ln_water = w8 / tk + w9 + w10 * tk + w11 * tk**2 + w12 * tk**3 + _WATER_LN * np.log(tk)
    return _like(np.exp(np.where(t >= 0.0, ln_water, ln_ice)), temp)


def humidity_ratio(vapor_pressure: ArrayLike, pressure: ArrayLike) -> ArrayLike:
    """Humidity ratio W [kg water / kg dry air] from vapour pressure and total pressure [Pa].

    Notes
    -----
    ``W = 0.621945 p_w / (p - p_w)`` (ASHRAE Fundamentals 2017 ch. 1 eq. 20).
    """
    pw = _as_array(vapor_pressure, "vapor_pressure")
    p = _as_array(pressure, "pressure")
    return _like(_EPSILON * pw / (p - pw), vapor_pressure)


def _w_from_wet_bulb(
    t: npt.NDArray[np.float64], twb: npt.NDArray[np.float64], p: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Humidity ratio implied by dry bulb ``t`` and a trial wet bulb ``twb`` (eqs. 33, 35)."""
    pws = np.asarray(saturation_vapor_pressure(twb))
    ws = _EPSILON * pws / (p - pws)
    above = ((2501.0 - 2.326 * twb) * ws - 1.006 * (t - twb)) / (2501.0 + 1.86 * t - 4.186 * twb)
    below = ((2830.0 - 0.24 * twb) * ws - 1.006 * (t - twb)) / (2830.0 + 1.86 * t - 2.1 * twb)
    return np.where(twb >= 0.0, above, below)


def wet_bulb_temperature(
    temp_air: ArrayLike, relative_humidity: ArrayLike, pressure: ArrayLike
) -> ArrayLike:
    """Thermodynamic wet-bulb temperature [degC] from the psychrometric equation.

    Parameters
    ----------
    temp_air : float, array or Series
        Dry-bulb temperature [degC], -60 to 60.
    relative_humidity : float, array or Series
        Relative humidity [fraction, 0..1] (not percent).
    pressure : float, array or Series
        Atmospheric pressure [Pa], 30 000 to 110 000.

    Returns
    -------
    float, array or Series
        Wet-bulb temperature [degC], like ``temp_air``. NaN where an input is NaN.

    Notes
    -----
    The actual humidity ratio is ``W = 0.621945 phi p_ws(t) / (p - phi p_ws(t))``. The wet
    bulb ``t*`` solves ASHRAE Fundamentals 2017 ch. 1 eq. 33 (``t* >= 0``)::

        W = ((2501 - 2.326 t*) W*_s - 1.006 (t - t*)) / (2501 + 1.86 t - 4.186 t*)

    or eq. 35 below freezing (2830, 0.24, 2.1 in place of 2501, 2.326, 4.186), where
    ``W*_s`` is the saturation humidity ratio at ``t*``. The right-hand side increases with
    ``t*``; it is below ``W`` at ``t - 100 K`` and at least ``W`` at ``t* = t``, so a
    vectorised bisection on that bracket converges to the unique root (45 halvings,
    < 1e-11 K) without the divergence risk of Newton steps near the ice/water switch.

    Examples
    --------
    >>> round(wet_bulb_temperature(25.0, 0.5, 101325.0), 1)  # psychrometric chart: 17.9
    17.9
    """
    t = _as_array(temp_air, "temp_air")
    rh = _as_array(relative_humidity, "relative_humidity")
    p = _as_array(pressure, "pressure")
    _check_range(t, "temp_air", -60.0, 60.0, "give the dry-bulb temperature in degC")
    _check_range(rh, "relative_humidity", 0.0, 1.0, "give relative humidity as a fraction 0..1")
    _check_range(p, "pressure", 30_000.0, 110_000.0, "give the pressure in Pa (not hPa or kPa)")
    t, rh, p = np.broadcast_arrays(t, rh, p)
    pw = rh * np.asarray(saturation_vapor_pressure(t))
    w = _EPSILON * pw / (p - pw)
    lo = np.maximum(t - 100.0, -100.0)
    hi = t.copy()
    for _ in range(_BISECTION_STEPS):
        mid = 0.5 * (lo + hi)
        too_dry = _w_from_wet_bulb(t, mid, p) < w
        lo = np.where(too_dry, mid, lo)
        hi = np.where(too_dry, hi, mid)
    result = 0.5 * (lo + hi)
    result = np.where(np.isfinite(t) & np.isfinite(rh) & np.isfinite(p), result, np.nan)
    return _like(result, temp_air)


def wet_bulb_temperature_stull(temp_air: ArrayLike, relative_humidity: ArrayLike) -> ArrayLike:
    """Stull (2011) empirical wet bulb at sea-level pressure [degC]; an independent check.

    Parameters
    ----------
    temp_air : float, array or Series
        Dry-bulb temperature [degC]; fitted for -20 to 50.
    relative_humidity : float, array or Series
        Relative humidity [fraction]; fitted for 0.05 to 0.99.

    Notes
    -----
    With ``RH`` in percent (as in the paper)::

        Tw = T atan(0.151977 (RH + 8.313659)^0.5) + atan(T + RH) - atan(RH - 1.676331)
             + 0.00391838 RH^1.5 atan(0.023101 RH) - 4.686035

    Stull reports errors within -1 K to +0.65 K over the fitted range, mostly within
    0.3 K; it holds for 101.325 kPa only.
    """
    t = _as_array(temp_air, "temp_air")
    rh = 100.0 * _as_array(relative_humidity, "relative_humidity")
    tw = (
        t * np.arctan(0.151977 * np.sqrt(rh + 8.313659))
        + np.arctan(t + rh)
        - np.arctan(rh - 1.676331)
        + 0.00391838 * rh**1.5 * np.arctan(0.023101 * rh)
        - 4.686035
    )
    return _like(tw, temp_air)


def air_density(temp_air: ArrayLike, pressure: ArrayLike) -> ArrayLike:
    """Density of dry air from the ideal-gas law [kg/m3].

    Parameters
    ----------
    temp_air : float, array or Series
        Air temperature [degC], -90 to 70.
    pressure : float, array or Series
        Air pressure [Pa], 30 000 to 110 000.

    Returns
    -------
    float, array or Series
        Density [kg/m3].

    Notes
    -----
    ``rho = p / (R_d (T + 273.15))`` with ``R_d = 287.042 J/(kg K)``. Water vapour is lighter
    than dry air, so moist air is slightly less dense (about 1 % at 30 degC and 80 % RH);
    that effect is ignored, as in the IEC 61400-12-1 density normalisation when humidity
    is not measured.

    Examples
    --------
    >>> round(air_density(15.0, 101325.0), 3)  # ISA sea level: 1.225
    1.225
    """
    t = _as_array(temp_air, "temp_air")
    p = _as_array(pressure, "pressure")
    _check_range(t, "temp_air", -90.0, 70.0, "give the air temperature in degC")
    _check_range(p, "pressure", 30_000.0, 110_000.0, "give the pressure in Pa (not hPa or kPa)")
    return _like(p / (R_DRY_AIR * (t + _KELVIN)), temp_air)
