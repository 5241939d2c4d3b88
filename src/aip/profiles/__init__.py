"""Weather to hourly site profiles: PV and wind capacity factors, PUE by cooling archetype.

Every function is pure and returns a ``pandas.Series`` aligned to the weather's index.
The weather contract (from ``aip.io``): tz-aware hourly DatetimeIndex, columns ``ghi, dni,
dhi`` [W/m2], ``temp_air, temp_dew`` [degC], ``relative_humidity`` [fraction],
``wind_speed`` [m/s at 10 m], ``pressure`` [Pa].

Examples
--------
>>> from aip.profiles import list_cooling_archetypes, list_turbines
>>> list_cooling_archetypes()
['air_economizer', 'evaporative', 'liquid_dry_cooler']
>>> list_turbines()[0]
'atb2020_5.5mw_175'
"""

from aip.profiles.psychrometrics import air_density, wet_bulb_temperature
from aip.profiles.pue import (
    CoolingArchetype,
    cooling_archetype,
    hourly_pue,
    list_cooling_archetypes,
    pue_from_temperature,
)
from aip.profiles.solar import pv_capacity_factor
from aip.profiles.wind import (
    TurbineSpec,
    list_turbines,
    turbine_spec,
    wind_capacity_factor,
)

__all__ = [
    "CoolingArchetype",
    "TurbineSpec",
    "air_density",
    "cooling_archetype",
    "hourly_pue",
    "list_cooling_archetypes",
    "list_turbines",
    "pue_from_temperature",
    "pv_capacity_factor",
    "turbine_spec",
    "wet_bulb_temperature",
    "wind_capacity_factor",
]
