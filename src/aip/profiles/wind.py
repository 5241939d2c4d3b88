"""Hourly wind capacity factor from 10 m weather-station wind and a reference power curve.

Chain: 10 m wind -> hub-height wind (power law or log law) -> IEC 61400-12-1 air-density
normalisation -> power curve (linear interpolation, cut-out) -> lumped plant losses.

The power curves come from NREL's turbine-models repository
(https://github.com/NREL/turbine-models, BSD-3-Clause, Copyright (c) 2020 Alliance for
Sustainable Energy, LLC); ``turbines.csv`` and ``turbine_power_curves.csv`` beside this
module record the files and commits.

References
----------
.. [1] IEC 61400-12-1:2017. *Power performance measurements of electricity producing wind
   turbines*, section 9.1 (density normalisation for pitch-regulated turbines).
.. [2] Manwell, J. F., McGowan, J. G., Rogers, A. L. (2009). *Wind Energy Explained*, 2nd ed.,
   section 2.3.3 (power law, 1/7 exponent; log law with roughness length).
.. [3] Stehly, T., Duffy, P., Mulas Hernando, D. (2023). *2022 Cost of Wind Energy Review*.
   NREL/TP-5000-88335 (losses of about 12-17 % between gross and net energy).
.. [4] NREL (2020). *Annual Technology Baseline: land-based wind reference turbines*; curves
   in NREL/turbine-models (see turbines.csv).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from io import StringIO
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from aip.errors import DataError, ScenarioError, UnknownNameError
from aip.profiles._weather import check_number, check_weather, column
from aip.profiles.psychrometrics import air_density

__all__ = [
    "DEFAULT_TURBINE",
    "RHO_STANDARD",
    "TurbineSpec",
    "hub_wind_speed",
    "list_turbines",
    "turbine_power_pu",
    "turbine_spec",
    "wind_capacity_factor",
]

#: Default turbine: the ATB 2020 land-based reference (5.5 MW, 175 m rotor, 120 m hub).
DEFAULT_TURBINE = "atb2020_5.5mw_175"
#: Standard air density of the power curves [kg/m3] (ISA sea level, IEC 61400-12-1).
RHO_STANDARD = 1.225

_COLUMNS = ("wind_speed", "temp_air", "pressure")


@dataclass(frozen=True)
class TurbineSpec:
    """A wind turbine and its power curve at standard air density.

    Attributes
    ----------
    key : str
        aip's name for the turbine (``turbines.csv`` column ``turbine``).
    name : str
        Descriptive name.
    rated_kw : float
        Rated power [kW] (plateau of the power curve).
    rotor_diameter_m, hub_height_m : float
        Rotor diameter and default hub height [m].
    cut_out_ms : float
        Cut-out wind speed [m/s]; no output at or above it.
    wind_speed_ms, power_kw : tuple of float
        Power-curve points from cut-in to rated speed [m/s], [kW]; rated power holds from
        the last point up to cut-out.
    source : str
        Source file(s) and licence.
    """

    key: str
    name: str
    rated_kw: float
    rotor_diameter_m: float
    hub_height_m: float
    cut_out_ms: float
    wind_speed_ms: tuple[float, ...]
    power_kw: tuple[float, ...]
    source: str


def _read_csv(name: str) -> pd.DataFrame:
    text = resources.files("aip.profiles").joinpath(name).read_text(encoding="utf-8")
    return pd.read_csv(StringIO(text), comment="#")


@cache
def _catalogue() -> dict[str, TurbineSpec]:
    meta = _read_csv("turbines.csv")
    curves = _read_csv("turbine_power_curves.csv")
    specs: dict[str, TurbineSpec] = {}
    for record in meta.to_dict("records"):
        row: dict[str, Any] = {str(k): v for k, v in record.items()}
        curve = curves[curves["turbine"] == row["turbine"]]
        speed = curve["wind_speed_ms"].to_numpy(dtype=float)
        power = curve["power_kw"].to_numpy(dtype=float)
        if speed.size < 2 or np.any(np.diff(speed) <= 0) or power.max() != float(row["rated_kw"]):
            raise DataError(
                f"turbine_power_curves.csv [{row['turbine']}]: curve must rise in speed and end "
                f"at rated_kw {row['rated_kw']}; fix: correct the bundled data"
            )
        specs[str(row["turbine"])] = TurbineSpec(
            key=str(row["turbine"]),
            name=str(row["name"]),
            rated_kw=float(row["rated_kw"]),
            rotor_diameter_m=float(row["rotor_diameter_m"]),
            hub_height_m=float(row["hub_height_m"]),
            cut_out_ms=float(row["cut_out_ms"]),
            wind_speed_ms=tuple(float(v) for v in speed),
            power_kw=tuple(float(p) for p in power),
            source=f"NREL/turbine-models {row['source_curve']} ({row['licence']})",
        )
    return specs


def list_turbines() -> list[str]:
    """Names of the bundled turbines, sorted.

    Examples
    --------
    >>> "atb2020_5.5mw_175" in list_turbines()
    True
    """
    return sorted(_catalogue())


def turbine_spec(turbine: str) -> TurbineSpec:
    """The :class:`TurbineSpec` of a bundled turbine; UnknownNameError if there is none."""
    catalogue = _catalogue()
    if not isinstance(turbine, str) or turbine not in catalogue:
        raise UnknownNameError("turbine", str(turbine), list(catalogue), field="turbine")
    return catalogue[turbine]


def turbine_power_pu(spec: TurbineSpec, wind_speed: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Power-curve output per unit of rated power at density-normalised wind speed.

    Linear interpolation between the curve points, zero below the first point, rated power
    from the last point up to ``cut_out_ms`` and zero at and above cut-out (no hysteresis).

    Examples
    --------
    >>> spec = turbine_spec("atb2020_5.5mw_175")
    >>> float(turbine_power_pu(spec, 8.125)[()] * spec.rated_kw)  # halfway 2990 and 3287 kW
    3138.5
    """
    v = np.asarray(wind_speed, dtype=float)
    speed = np.asarray(spec.wind_speed_ms)
    power = np.asarray(spec.power_kw) / spec.rated_kw
    pu = np.interp(v, speed, power, left=0.0, right=power[-1])
    return np.where((v >= spec.cut_out_ms) | ~np.isfinite(v), 0.0, pu)


def hub_wind_speed(
    wind_speed: npt.ArrayLike,
    hub_height_m: float,
    *,
    measurement_height_m: float = 10.0,
    shear_exponent: float = 1.0 / 7.0,
    roughness_length_m: float | None = None,
) -> npt.NDArray[np.float64]:
    """Extrapolate wind speed from the measurement height to hub height [m/s].

    Notes
    -----
    Power law (default): ``v_h = v_m (h / h_m)^alpha``; ``alpha = 1/7`` is the classic
    value for neutral stability over open land [2]_ (real onshore sites see 0.1-0.3 with
    stable nights higher, so this is an assumption that can under-state hub wind at night).
    Log law when ``roughness_length_m`` = ``z0`` is given: ``v_h = v_m ln(h/z0) / ln(h_m/z0)``
    (z0 about 0.03 m for open farmland, 0.1 m for crops with scattered buildings).

    Examples
    --------
    >>> round(float(hub_wind_speed(5.0, 120.0)[()]), 3)  # 5 * 12 ** (1/7)
    7.131
    """
    h = check_number("hub_height_m", hub_height_m, 0.0, 300.0, "give metres", lo_open=True)
    hm = check_number(
        "measurement_height_m", measurement_height_m, 0.0, 300.0, "give metres", lo_open=True
    )
    v = np.clip(np.asarray(wind_speed, dtype=float), 0.0, None)
    if roughness_length_m is None:
        alpha = check_number(
            "shear_exponent", shear_exponent, 0.0, 1.0, "e.g. 1/7 for open land (0.143)"
        )
        return np.asarray(v * (h / hm) ** alpha, dtype=float)
    z0 = check_number(
        "roughness_length_m", roughness_length_m, 0.0, min(h, hm), "e.g. 0.03", lo_open=True
    )
    if z0 >= min(h, hm):
        raise ScenarioError.for_field(
            "roughness_length_m", roughness_length_m, "below both heights", "e.g. 0.03"
        )
    return np.asarray(v * np.log(h / z0) / np.log(hm / z0), dtype=float)


def wind_capacity_factor(
    weather: pd.DataFrame,
    *,
    turbine: str = DEFAULT_TURBINE,
    hub_height_m: float | None = None,
    measurement_height_m: float = 10.0,
    shear_exponent: float = 1.0 / 7.0,
    roughness_length_m: float | None = None,
    losses: float = 0.10,
) -> pd.Series:
    """Hourly net output of a wind plant per unit of its rated capacity.

    Parameters
    ----------
    weather : pandas.DataFrame
        Hourly weather on a tz-aware DatetimeIndex with ``wind_speed`` [m/s at
        ``measurement_height_m``], ``temp_air`` [degC] and ``pressure`` [Pa].
    turbine : str, default "atb2020_5.5mw_175"
        A name from :func:`list_turbines`.
    hub_height_m : float, optional
        Hub height [m]; default the turbine's reference hub height (turbines.csv).
    measurement_height_m : float, default 10.0
        Height of the wind measurement [m] (10 m for TMY3/EPW stations).
    shear_exponent : float, default 1/7
        Power-law exponent [-] (assumption; see :func:`hub_wind_speed`).
    roughness_length_m : float, optional
        If given, use the log law with this roughness length [m] instead of the power law.
    losses : float, default 0.10
        Lumped wake, availability and electrical losses [fraction]. Assumption: NREL's Cost
        of Wind Energy Reviews [3]_ take total losses of order 15 % between gross and net
        energy, part of which (icing, curtailment, turbine performance) is site-specific or
        already in a reference curve; 10 % keeps wake (~5 %), availability (~3 %) and
        electrical (~2 %) losses.

    Returns
    -------
    pandas.Series
        ``cf_pu`` [pu of rated capacity, 0..1-losses], aligned to ``weather.index``.

    Raises
    ------
    UnknownNameError
        ``turbine`` is not bundled.
    ScenarioError
        A parameter is out of range.
    DataError
        ``weather`` breaks the contract (index, columns, NaN).

    Notes
    -----
    Hub-height speed ``v_h`` from the power or log law, then the IEC 61400-12-1 [1]_
    density normalisation for pitch-regulated turbines ``v_n = v_h (rho / 1.225)^(1/3)``
    with dry-air density ``rho = p / (R_d (T + 273.15))`` from the station's pressure and
    temperature: humidity (about 1 % on density) and the lapse from 2 m to hub height
    (about 1 % at 100 m) are ignored. Output ``cf = P(v_n) / P_rated (1 - losses)``.
    A single hourly mean speed on the curve ignores the spread of speeds within the hour.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.date_range("2025-01-01", periods=3, freq="h", tz="Etc/GMT+6")
    >>> w = pd.DataFrame({"wind_speed": [0.0, 5.0, 30.0], "temp_air": 15.0,
    ...                   "pressure": 101325.0}, index=idx)
    >>> wind_capacity_factor(w).round(3).tolist()
    [0.0, 0.343, 0.0]
    """
    spec = turbine_spec(turbine)
    check_weather(weather, _COLUMNS)
    loss = check_number("losses", losses, 0.0, 0.99, "a fraction, e.g. 0.10 (not percent)")
    h = spec.hub_height_m if hub_height_m is None else hub_height_m
    v_hub = hub_wind_speed(
        column(weather, "wind_speed"),
        h,
        measurement_height_m=measurement_height_m,
        shear_exponent=shear_exponent,
        roughness_length_m=roughness_length_m,
    )
    rho = np.asarray(air_density(column(weather, "temp_air"), column(weather, "pressure")))
    v_norm = v_hub * (rho / RHO_STANDARD) ** (1.0 / 3.0)
    cf = turbine_power_pu(spec, v_norm) * (1.0 - loss)
    return pd.Series(cf, index=weather.index, name="cf_pu")
