"""Bundled grid data: state electricity prices, AVERT hourly marginal emission rates,
country grid intensities.

Sources (details in ``SOURCES.md``): EIA *Electric Power Annual* 2023 average revenue
per kWh by state; EPA AVERT 2023 hourly marginal emission rates (via NREL REopt.jl);
Ember 2024 country average grid intensities (via Green Web Foundation co2.js).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from aip.data.bundle import read_bundled_csv
from aip.errors import DataError, UnknownNameError

#: Mass of one pound [t]; exact by definition (international pound = 0.45359237 kg).
TONNE_PER_LB = 0.45359237e-3

_AVERT_FILES: dict[str, str] = {
    "co2": "emissions/avert/AVERT_2023_CO2_lb_per_kwh.csv.gz",
    "nox": "emissions/avert/AVERT_2023_NOx_lb_per_kwh.csv.gz",
    "so2": "emissions/avert/AVERT_2023_SO2_lb_per_kwh.csv.gz",
    "pm25": "emissions/avert/AVERT_2023_PM25_lb_per_kwh.csv.gz",
}
_AVERT_NON_REGION_COLUMNS = ("Month", "Timestamp")
_HOURS_PER_YEAR = 8760

# USPS two-letter codes of the states in the EIA table (names as EIA spells them).
_STATE_CODES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip


@functools.lru_cache(maxsize=1)
def _state_prices() -> dict[str, float]:
    table = read_bundled_csv("prices/eia_epa2023_avg_revenue_per_kwh_by_state.csv")
    prices: dict[str, float] = {}
    for _, row in table.iterrows():
        value = row["industrial_cents_per_kwh"]
        if pd.notna(value):
            # cents/kWh * 10 = USD/MWh (1 USD = 100 cents, 1 MWh = 1000 kWh)
            prices[str(row["state"]).strip().lower()] = float(value) * 10.0
    return prices


def state_industrial_price_usd_per_mwh(state: str) -> float:
    """Average 2023 industrial retail electricity price of a US state [USD/MWh].

    Parameters
    ----------
    state : str
        Two-letter code (``"TN"``) or full name (``"Tennessee"``), any letter case.

    Returns
    -------
    float
        EIA average industrial revenue per kWh for 2023 [USD/MWh], nominal 2023 dollars.

    Raises
    ------
    aip.errors.UnknownNameError
        If the state is unknown or has no value in the bundled table (Wyoming was cut
        off in the source copy).

    Notes
    -----
    price [USD/MWh] = price [cents/kWh] * 10.

    References
    ----------
    U.S. EIA, Electric Power Annual 2023, average revenue per kWh by state and sector,
    https://www.eia.gov/electricity/annual/secrev-map.php

    Examples
    --------
    >>> state_industrial_price_usd_per_mwh("TN")
    62.3
    """
    prices = _state_prices()
    text = str(state).strip()
    name = _STATE_CODES.get(text.upper(), text).lower()
    if name not in prices:
        known = sorted(code for code, full in _STATE_CODES.items() if full.lower() in prices)
        raise UnknownNameError("US state", str(state), known, field="grid.state")
    return round(prices[name], 10)


@functools.lru_cache(maxsize=1)
def _avert_tables() -> dict[str, pd.DataFrame]:
    tables = {p: read_bundled_csv(f) for p, f in _AVERT_FILES.items()}
    for pollutant, table in tables.items():
        if len(table) != _HOURS_PER_YEAR:
            raise DataError(f"AVERT {pollutant} table has {len(table)} rows, expected 8760")
    return tables


def avert_regions() -> list[str]:
    """Codes of the EPA AVERT regions with bundled hourly rates.

    The 14 contiguous-US AVERT regions plus Alaska (AKGD) and Hawaii (HIMS, HIOA).

    Examples
    --------
    >>> "TN" in avert_regions() and "MIDA" in avert_regions()
    True
    """
    table = _avert_tables()["co2"]
    return [str(c) for c in table.columns if c not in _AVERT_NON_REGION_COLUMNS]


def avert_hourly_rates(region: str) -> pd.DataFrame:
    """Hourly marginal (avoided) emission rates of an AVERT region for 2023 [t/MWh].

    Parameters
    ----------
    region : str
        AVERT region code, e.g. ``"TN"`` (Tennessee), ``"TE"`` (Texas), ``"MIDA"``
        (Mid-Atlantic); case-insensitive. See :func:`avert_regions`.

    Returns
    -------
    pandas.DataFrame
        8760 rows indexed by ``hour_of_year`` (0 = 1 Jan 00:00-01:00 local standard
        time), columns ``co2``, ``nox``, ``so2``, ``pm25`` [t/MWh]. Marginal rates can
        be negative in a few hours (the marginal unit mix changes); they are kept.

    Raises
    ------
    aip.errors.UnknownNameError
        If the region is not an AVERT region.

    Notes
    -----
    rate [t/MWh] = rate [lb/kWh] * 1000 [kWh/MWh] * 0.45359237e-3 [t/lb]
    = rate [lb/kWh] * 0.45359237.

    References
    ----------
    U.S. EPA, AVoided Emissions and geneRation Tool (AVERT), 2023 data, as distributed in
    NREL REopt.jl ``data/emissions/AVERT_Data``.

    Examples
    --------
    >>> rates = avert_hourly_rates("TN")
    >>> rates.shape
    (8760, 4)
    """
    regions = avert_regions()
    code = str(region).strip().upper()
    if code not in regions:
        raise UnknownNameError("AVERT region", str(region), regions, field="grid.avert_region")
    kwh_per_mwh = 1000.0
    columns = {
        pollutant: table[code].to_numpy(dtype=float) * kwh_per_mwh * TONNE_PER_LB
        for pollutant, table in _avert_tables().items()
    }
    frame = pd.DataFrame(columns, index=pd.RangeIndex(_HOURS_PER_YEAR, name="hour_of_year"))
    if not np.isfinite(frame.to_numpy()).all():
        raise DataError(f"AVERT rates for region {code!r} contain missing values")
    return frame


@functools.lru_cache(maxsize=1)
def _country_intensities() -> dict[str, float]:
    table = read_bundled_csv("emissions/site_grid_mapping.csv")
    out: dict[str, float] = {}
    for _, row in table.iterrows():
        value = row["ember_avg_gco2_per_kwh_2024"]
        if pd.notna(value):
            # g/kWh = kg/MWh; / 1000 -> t/MWh
            out[str(row["country_iso3"]).strip().upper()] = float(value) / 1000.0
    return out


def country_grid_intensity_t_per_mwh(country_iso3: str) -> float:
    """Average 2024 CO2 intensity of a country's grid electricity [t/MWh].

    Covers the countries of the bundled site mapping (USA, CAN, ARE, IRL, DEU, SWE,
    SGP, MYS). Use AVERT hourly marginal rates for US sites where hourly detail matters.

    Notes
    -----
    intensity [t/MWh] = intensity [gCO2/kWh] / 1000.

    References
    ----------
    Ember, yearly electricity data (2024), as republished by the Green Web Foundation
    co2.js ``data/output/average-intensities.json`` (CC BY-SA 4.0).

    Examples
    --------
    >>> round(country_grid_intensity_t_per_mwh("CAN"), 5)
    0.18499
    """
    values = _country_intensities()
    code = str(country_iso3).strip().upper()
    if code not in values:
        raise UnknownNameError("country", str(country_iso3), list(values), field="site.country")
    return values[code]
