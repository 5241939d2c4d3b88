"""Bundled real data: weather stations, technology costs, grid data, accelerators.

Everything here works offline from files inside the package; ``SOURCES.md`` in this
folder gives each file's origin, licence and transformation, and every stated
assumption.

Examples
--------
>>> from aip.data import get_station, load_catalog, get_accelerator
>>> get_station("abilene").us_state
'TX'
"""

from aip.data.accelerators import (
    Accelerator,
    accelerators_frame,
    get_accelerator,
    load_accelerators,
)
from aip.data.bundle import bundled_path
from aip.data.grid import (
    avert_hourly_rates,
    avert_regions,
    country_grid_intensity_t_per_mwh,
    state_industrial_price_usd_per_mwh,
)
from aip.data.sites import (
    Station,
    get_station,
    list_stations,
    station_weather_path,
    stations_frame,
)
from aip.data.technologies import (
    CATALOGS,
    TechnologyData,
    battery_cost_split,
    catalog_frame,
    fuel_prices,
    load_catalog,
)

__all__ = [
    "CATALOGS",
    "Accelerator",
    "Station",
    "TechnologyData",
    "accelerators_frame",
    "avert_hourly_rates",
    "avert_regions",
    "battery_cost_split",
    "bundled_path",
    "catalog_frame",
    "country_grid_intensity_t_per_mwh",
    "fuel_prices",
    "get_accelerator",
    "get_station",
    "list_stations",
    "load_accelerators",
    "load_catalog",
    "state_industrial_price_usd_per_mwh",
    "station_weather_path",
    "stations_frame",
]
