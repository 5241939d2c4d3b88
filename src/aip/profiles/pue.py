"""Hourly power usage effectiveness (PUE) of a data centre from weather, by cooling archetype.

A small physical model, the same for every archetype::

    PUE(t) = 1 + f_fixed + f_fan(T) + m(T) q(T) / COP(T),      q = 1 + f_fan(T)

``T`` is the archetype's driving temperature (outdoor dry bulb or wet bulb), ``f_fixed`` the
electrical and other fixed overheads, ``f_fan`` air- and water-moving power (rising with
``T`` as fans speed up towards the free-cooling limit), ``m`` the share of the heat ``q``
(IT heat plus fan heat, per unit of IT power) that a compressor must move, and ``COP`` a
Carnot fraction of the ideal lift from the evaporator to ``T`` plus a condenser approach.

Annual means (``calibration``, see tests/profiles/test_pue.py) land where public figures
put them: air-cooled sites ~1.3-1.45 in hot-humid places, evaporative ~1.15-1.25, direct
liquid ~1.08-1.15, against an industry average of 1.56 (Uptime 2024), Google's fleet
1.10 (2023) and <= 1.3 for new large builds (FACTS.md section 6).

References
----------
.. [1] ASHRAE TC 9.9 (2021). *Thermal Guidelines for Data Processing Environments*, 5th ed.
   Recommended envelope 18-27 degC dry bulb, dew point -9 to 15 degC, RH <= 60 %; liquid
   classes W32/W40/W45 (facility water supply up to 32/40/45 degC).
.. [2] ASHRAE 90.1-2019, table 6.8.1-3: minimum air-cooled chiller full-load COP about
   2.9-3.0 at AHRI 550/590 rating conditions (35 degC ambient, 6.7 degC leaving water).
.. [3] Uptime Institute Global Data Center Survey 2024 (average PUE 1.56); Google 2024
   Environmental Report (fleet PUE 1.10). Cited in FACTS.md section 6.
.. [4] Barroso, L. A., Hoelzle, U., Ranganathan, P. (2018). *The Datacenter as a Computer*,
   3rd ed., ch. 5 (UPS and distribution losses; economisers; evaporative cooling).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from aip.errors import ScenarioError, UnknownNameError
from aip.profiles._weather import check_weather, column
from aip.profiles.psychrometrics import wet_bulb_temperature

__all__ = [
    "CoolingArchetype",
    "cooling_archetype",
    "hourly_pue",
    "list_cooling_archetypes",
    "pue_from_temperature",
]

_KELVIN = 273.15
_MIN_LIFT_K = 5.0  # compressors need some lift; keeps COP finite when the driver is cold


@dataclass(frozen=True)
class CoolingArchetype:
    """Parameters of one cooling archetype (all fractions are per unit of IT power).

    Attributes
    ----------
    name : str
        Archetype key.
    driver : {"dry_bulb", "wet_bulb"}
        Outdoor temperature that sets the cooling load.
    f_fixed : float
        Fixed overhead [fraction of IT]: UPS, transformer and distribution losses plus
        lighting and building services.
    fan_min, fan_max : float
        Air and water movement power [fraction of IT] at low driver temperature and at
        ``free_cooling_max_c`` and above.
    fan_ramp_start_c : float
        Driver temperature where fans start to speed up [degC].
    free_cooling_max_c : float
        Highest driver temperature with no compressor work [degC].
    full_mechanical_c : float
        Driver temperature at which the compressor share reaches
        ``mechanical_fraction_max`` (linear in between) [degC].
    mechanical_fraction_max : float
        Largest share of the heat moved by compressors [fraction]; below 1 for trim
        designs where the free-cooling stage still pre-cools.
    evaporator_c : float
        Refrigerant evaporating temperature [degC]; higher with warmer chilled water.
    condenser_approach_k : float
        Condensing temperature above the driver temperature [K].
    carnot_fraction : float
        Real COP over Carnot COP [fraction] (whole plant: compressor, motors, pumps).
    cop_max : float
        Upper bound on COP [-] (part-load and auxiliaries limit very low lifts).
    economizer_dew_point_max_c : float or None
        Dew point above which outdoor air may not be used and the compressor carries the
        full load [degC]; None if humidity does not lock out free cooling.
    """

    name: str
    driver: Literal["dry_bulb", "wet_bulb"]
    f_fixed: float
    fan_min: float
    fan_max: float
    fan_ramp_start_c: float
    free_cooling_max_c: float
    full_mechanical_c: float
    mechanical_fraction_max: float
    evaporator_c: float
    condenser_approach_k: float
    carnot_fraction: float
    cop_max: float
    economizer_dew_point_max_c: float | None = None

    def __post_init__(self) -> None:
        if self.driver not in ("dry_bulb", "wet_bulb"):
            raise ScenarioError.for_field("driver", self.driver, "dry_bulb or wet_bulb")
        for name in ("f_fixed", "fan_min", "fan_max"):
            _in_range(name, getattr(self, name), 0.0, 1.0, "a fraction of IT power")
        for name in ("mechanical_fraction_max", "carnot_fraction"):
            _in_range(name, getattr(self, name), 0.0, 1.0, "a fraction")
        _in_range("cop_max", self.cop_max, 1.0, 50.0, "a COP, e.g. 8")
        _in_range("condenser_approach_k", self.condenser_approach_k, 0.0, 40.0, "kelvin")
        for name in ("fan_ramp_start_c", "free_cooling_max_c", "full_mechanical_c"):
            _in_range(name, getattr(self, name), -50.0, 60.0, "degC")
        _in_range("evaporator_c", self.evaporator_c, -20.0, 50.0, "degC")
        if self.fan_max < self.fan_min:
            raise ScenarioError.for_field(
                "fan_max", self.fan_max, f">= fan_min ({self.fan_min})", "raise fan_max"
            )
        if not self.fan_ramp_start_c < self.free_cooling_max_c < self.full_mechanical_c:
            raise ScenarioError.for_field(
                "free_cooling_max_c",
                self.free_cooling_max_c,
                f"between fan_ramp_start_c ({self.fan_ramp_start_c}) and full_mechanical_c "
                f"({self.full_mechanical_c})",
                "order the three temperatures",
            )
        if self.economizer_dew_point_max_c is not None:
            _in_range(
                "economizer_dew_point_max_c", self.economizer_dew_point_max_c, -30, 40, "degC"
            )


def _in_range(field: str, value: Any, lo: float, hi: float, what: str) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not lo <= float(value) <= hi:
        raise ScenarioError.for_field(field, value, f"{what} in [{lo}, {hi}]")


# Every number below is an assumption within the ranges of the References, chosen so that
# annual means fall in the public ranges (module docstring); each line says why.
_ARCHETYPES: dict[str, CoolingArchetype] = {
    "air_economizer": CoolingArchetype(
        name="air_economizer",
        driver="dry_bulb",
        f_fixed=0.11,  # double-conversion UPS ~6 %, transformers/PDUs ~3 %, lighting etc. 2 %
        fan_min=0.06,  # CRAH/CRAC fans at part speed
        fan_max=0.08,  # fans at full speed plus chilled-water pumps
        fan_ramp_start_c=10.0,
        free_cooling_max_c=18.0,  # outdoor air usable as supply (ASHRAE recommended 18-27)
        full_mechanical_c=24.0,  # outdoor air above the supply set point is little help
        mechanical_fraction_max=1.0,
        evaporator_c=7.0,  # chilled water ~10/16 degC
        condenser_approach_k=12.0,  # air-cooled condenser
        carnot_fraction=0.40,  # gives COP ~3.1 at 35 degC, near ASHRAE 90.1 minimum [2]
        cop_max=8.0,
        economizer_dew_point_max_c=15.0,  # ASHRAE recommended upper dew point [1]
    ),
    "evaporative": CoolingArchetype(
        name="evaporative",
        driver="wet_bulb",
        f_fixed=0.09,  # UPS ~5.5 %, transformers ~2 %, other 1.5 %
        fan_min=0.045,  # supply/exhaust fans (large air volumes) and media pumps
        fan_max=0.07,
        fan_ramp_start_c=5.0,
        free_cooling_max_c=16.0,  # indirect evaporative: supply ~ wet bulb + 6 K <= 22 degC
        full_mechanical_c=26.0,  # extreme wet bulb; trim then carries mechanical_fraction_max
        mechanical_fraction_max=0.6,  # evaporative stage still removes part of the heat
        evaporator_c=12.0,  # DX trim coil on warm supply air
        condenser_approach_k=18.0,  # condenser sees dry bulb, ~wet bulb + 8 K, + 10 K approach
        carnot_fraction=0.40,
        cop_max=8.0,
    ),
    "liquid_dry_cooler": CoolingArchetype(
        name="liquid_dry_cooler",
        driver="dry_bulb",
        f_fixed=0.06,  # high-efficiency electrical chain ~4.5 %, other 1.5 %
        fan_min=0.025,  # CDU and facility-water pumps, residual air handling for ~20 % of heat
        fan_max=0.05,  # dry-cooler fans at full speed
        fan_ramp_start_c=10.0,
        free_cooling_max_c=30.0,  # ASHRAE W40 facility water minus ~10 K dry-cooler approach
        full_mechanical_c=42.0,
        mechanical_fraction_max=0.5,  # trim chiller only tops up the dry coolers
        evaporator_c=25.0,  # warm facility water
        condenser_approach_k=12.0,
        carnot_fraction=0.40,
        cop_max=8.0,
    ),
}


def list_cooling_archetypes() -> list[str]:
    """Names of the cooling archetypes, sorted.

    Examples
    --------
    >>> list_cooling_archetypes()
    ['air_economizer', 'evaporative', 'liquid_dry_cooler']
    """
    return sorted(_ARCHETYPES)


def cooling_archetype(archetype: str, **overrides: Any) -> CoolingArchetype:
    """The parameters of a named archetype, with some replaced.

    Raises
    ------
    UnknownNameError
        ``archetype`` is not known.
    ScenarioError
        An override names no parameter or has a bad value.
    """
    if not isinstance(archetype, str) or archetype not in _ARCHETYPES:
        raise UnknownNameError(
            "cooling archetype", str(archetype), list(_ARCHETYPES), field="cooling.archetype"
        )
    allowed = {f.name for f in fields(CoolingArchetype)} - {"name"}
    for key in overrides:
        if key not in allowed:
            raise ScenarioError.for_field(
                f"cooling.{key}", overrides[key], f"a parameter in {sorted(allowed)}"
            )
    return replace(_ARCHETYPES[archetype], **overrides)


def pue_from_temperature(
    temperature: npt.ArrayLike,
    archetype: CoolingArchetype,
    dew_point: npt.ArrayLike | None = None,
) -> npt.NDArray[np.float64]:
    """PUE [-] at given driver temperatures (dry or wet bulb per the archetype) [degC].

    Parameters
    ----------
    temperature : array_like
        Driving temperature [degC].
    archetype : CoolingArchetype
        Parameters, e.g. from :func:`cooling_archetype`.
    dew_point : array_like, optional
        Outdoor dew point [degC]; with ``economizer_dew_point_max_c`` set, hours above it get
        no free cooling.

    Notes
    -----
    ``f_fan = fan_min + (fan_max - fan_min) clip((T - T_ramp)/(T_free - T_ramp), 0, 1)``;
    ``m = m_max clip((T - T_free)/(T_full - T_free), 0, 1)`` (``m = 1`` when humidity locks
    the economiser out); ``COP = min(cop_max, eta_c T_e / max(T + dT_approach - T_e, 5 K))``
    with ``T_e`` the evaporator temperature in K. Each term is non-decreasing in ``T`` (COP
    non-increasing), so PUE is non-decreasing in ``T``.

    Examples
    --------
    >>> a = cooling_archetype("air_economizer")
    >>> pue_from_temperature([0.0], a).round(3).tolist()  # free cooling: 1 + 0.11 + 0.06
    [1.17]
    """
    a = archetype
    t = np.asarray(temperature, dtype=float)
    ramp = np.clip((t - a.fan_ramp_start_c) / (a.free_cooling_max_c - a.fan_ramp_start_c), 0, 1)
    fan = a.fan_min + (a.fan_max - a.fan_min) * ramp
    share = np.clip((t - a.free_cooling_max_c) / (a.full_mechanical_c - a.free_cooling_max_c), 0, 1)
    mech = a.mechanical_fraction_max * share
    if dew_point is not None and a.economizer_dew_point_max_c is not None:
        locked = np.asarray(dew_point, dtype=float) > a.economizer_dew_point_max_c
        mech = np.where(locked, 1.0, mech)
        fan = np.where(locked, a.fan_max, fan)
    t_evap = a.evaporator_c + _KELVIN
    lift = np.maximum(t + _KELVIN + a.condenser_approach_k - t_evap, _MIN_LIFT_K)
    cop = np.minimum(a.cop_max, a.carnot_fraction * t_evap / lift)
    heat = 1.0 + fan
    return np.asarray(1.0 + a.f_fixed + fan + mech * heat / cop, dtype=float)


def hourly_pue(weather: pd.DataFrame, archetype: str, **overrides: Any) -> pd.Series:
    """Hourly PUE of a data centre with the given cooling archetype at this weather.

    Parameters
    ----------
    weather : pandas.DataFrame
        Hourly weather on a tz-aware DatetimeIndex with ``temp_air`` [degC]; evaporative
        also needs ``relative_humidity`` [fraction] and ``pressure`` [Pa]; the air
        economiser uses ``temp_dew`` [degC] for its humidity lock-out when present.
    archetype : str
        One of :func:`list_cooling_archetypes`.
    **overrides
        Replacement values for :class:`CoolingArchetype` fields, e.g. ``f_fixed=0.05``.

    Returns
    -------
    pandas.Series
        ``pue`` [-] (>= 1), aligned to ``weather.index``.

    Raises
    ------
    UnknownNameError
        Unknown ``archetype``.
    ScenarioError
        Bad override.
    DataError
        ``weather`` breaks the contract.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.date_range("2025-07-01", periods=2, freq="h", tz="Etc/GMT+6")
    >>> w = pd.DataFrame({"temp_air": [5.0, 35.0]}, index=idx)
    >>> hourly_pue(w, "liquid_dry_cooler").round(3).tolist()
    [1.085, 1.15]
    """
    params = cooling_archetype(archetype, **overrides)
    if params.driver == "wet_bulb":
        check_weather(weather, ("temp_air", "relative_humidity", "pressure"))
        driver = np.asarray(
            wet_bulb_temperature(
                column(weather, "temp_air"),
                column(weather, "relative_humidity"),
                column(weather, "pressure"),
            )
        )
    else:
        check_weather(weather, ("temp_air",))
        driver = column(weather, "temp_air")
    dew = None
    if params.economizer_dew_point_max_c is not None and "temp_dew" in weather.columns:
        dew = column(weather, "temp_dew")
    pue = pue_from_temperature(driver, params, dew_point=dew)
    return pd.Series(pue, index=weather.index, name="pue")
