"""Technology catalogue: cost and performance of generators and storage.

Two catalogues, both in 2025 dollars:

- ``"eia-aeo2026"`` (default): EIA AEO2026 Electricity Market Module Table 3.
- ``"nrel-atb2024"``: NREL ATB 2024 Moderate 2025 values (via ReEDS) where ATB has the
  technology, deflated 2022$ -> 2025$; other rows are the EIA rows and say so.

Numbers the tables lack are stated assumptions (:mod:`aip.data.technology_assumptions`),
named in each row's ``source``. Provenance of every file: ``SOURCES.md``.

Examples
--------
>>> from aip.data.technologies import load_catalog
>>> cat = load_catalog()
>>> cat["gas_frame"].capex_usd_per_kw, cat["gas_frame"].heat_rate_mmbtu_per_mwh
(1158.0, 9.142)
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

from aip.data import technology_assumptions as A  # noqa: N812
from aip.data.cost_tables import (
    EIA_TABLE3,
    atb_battery_shape,
    atb_value,
    battery_cost_split,
    eia_table3,
    reopt_recip_engine,
)
from aip.data.fuel_emissions import DIESEL_HHV_KWH_PER_GAL, MMBTU_PER_KWH, emission_factors
from aip.errors import DataError, UnknownNameError

CATALOGS = ("eia-aeo2026", "nrel-atb2024")


@dataclass(frozen=True)
class TechnologyData:
    """Cost and performance of one generator or storage technology (base-year dollars).

    Attributes
    ----------
    key, label : str
        Catalogue id (e.g. ``"gas_cc"``) and readable name.
    kind : str
        ``"generator"`` or ``"storage"``.
    carrier : str
        ``gas``, ``coal``, ``uranium``, ``diesel``, ``solar``, ``wind`` or ``electricity``.
    capex_usd_per_kw : float
        Overnight capital cost of power capacity [USD/kW].
    capex_usd_per_kwh : float
        Storage energy capital cost [USD/kWh]; 0 for generators.
    fixed_om_usd_per_kw_year : float
        Fixed O&M [USD/kW-yr].
    variable_om_usd_per_mwh : float
        Variable O&M, fuel excluded [USD/MWh].
    heat_rate_mmbtu_per_mwh : float or None
        Full-load heat rate, HHV [MMBtu/MWh]; None for technologies burning no fuel.
    lifetime_years, unit_size_mw, lead_time_years : float
        Economic life [years], size of one unit [MW], lead time to power [years].
    min_stable_pu : float
        Minimum stable output when running [fraction of capacity].
    efficiency_charge, efficiency_discharge : float
        Storage one-way efficiencies [fraction]; 1.0 for generators.
    duration_min_h, duration_max_h : float
        Storage energy/power ratio bounds [h]; 0 for generators.
    ppa_price_usd_per_mwh : float or None
        Fixed energy price of a power-purchase agreement [USD/MWh]; None otherwise.
    emissions_t_per_mmbtu : Mapping[str, float]
        ``co2``, ``nox``, ``so2``, ``pm25`` per fuel heat input [t/MMBtu]; zeros when no
        fuel is burnt.
    emission_control : str
        Emission control assumed by the NOx factor.
    forced_outage_rate : float
        Forced outage rate [fraction].
    cost_year : int
        Dollar year of all money fields.
    source : str
        Where each number came from ("assumption" marks stated assumptions).
    """

    key: str
    label: str
    kind: str
    carrier: str
    capex_usd_per_kw: float
    capex_usd_per_kwh: float
    fixed_om_usd_per_kw_year: float
    variable_om_usd_per_mwh: float
    heat_rate_mmbtu_per_mwh: float | None
    lifetime_years: float
    unit_size_mw: float
    lead_time_years: float
    min_stable_pu: float
    efficiency_charge: float
    efficiency_discharge: float
    duration_min_h: float
    duration_max_h: float
    ppa_price_usd_per_mwh: float | None
    emissions_t_per_mmbtu: Mapping[str, float]
    emission_control: str
    forced_outage_rate: float
    cost_year: int
    source: str


# key -> (label, kind, carrier, EIA Table 3 row or None)
_TECHS: dict[str, tuple[str, str, str, str | None]] = {
    "gas_aero": ("Gas CT, aeroderivative", "generator", "gas",
                 "Combustion turbine aeroderivative"),
    "gas_frame": ("Gas CT, industrial frame", "generator", "gas",
                  "Combustion turbine industrial frame"),
    "gas_cc": ("Gas combined cycle (multi-shaft)", "generator", "gas",
               "Combined-cycle multi-shaft"),
    "gas_recip": ("Gas reciprocating engines", "generator", "gas", None),
    "nuclear": ("Nuclear, light-water reactor", "generator", "uranium",
                "Nuclear light water reactor"),
    "nuclear_smr": ("Nuclear, small modular reactor", "generator", "uranium",
                    "Nuclear small modular reactor"),
    "nuclear_ppa": ("Nuclear firm PPA (restart)", "generator", "uranium", None),
    "coal": ("Coal, ultra-supercritical (no CCS)", "generator", "coal", None),
    "pv": ("Solar PV, single-axis tracking", "generator", "solar", "Solar PV with tracking"),
    "wind": ("Wind, onshore", "generator", "wind", "Wind (onshore)"),
    "battery": ("Battery storage (Li-ion)", "storage", "electricity", "Battery storage"),
    "diesel": ("Diesel backup gensets", "generator", "diesel", None),
}  # fmt: skip

# ATB technology per catalogue key (rows absent here fall back to EIA).
_ATB_TECH = {
    "gas_frame": "Gas-CT",
    "gas_cc": "Gas-CC",
    "coal": "Coal-new",
    "nuclear": "Nuclear",
    "nuclear_smr": "Nuclear-SMR",
    "pv": "upv",
    "battery": "battery_4",
}
_ATB_YEAR = 2025
_COST_YEAR = 2025


@dataclass(frozen=True)
class _Costs:
    """The money and heat-rate part of a row, with where it came from."""

    capex_usd_per_kw: float
    fixed_om_usd_per_kw_year: float
    variable_om_usd_per_mwh: float
    heat_rate_mmbtu_per_mwh: float | None
    source: str
    capex_usd_per_kwh: float = 0.0
    unit_size_mw: float | None = None
    lead_time_years: float | None = None
    ppa_price_usd_per_mwh: float | None = None


def _row(key: str, costs: _Costs) -> TechnologyData:
    label, kind, carrier, _ = _TECHS[key]
    assumed = A.ASSUMED[key]
    emis = emission_factors(key, costs.heat_rate_mmbtu_per_mwh)
    is_storage = kind == "storage"
    # Round-trip efficiency split evenly between charging and discharging.
    eff = float(np.sqrt(atb_value("battery_4", _ATB_YEAR, "rte"))) if is_storage else 1.0
    unit = assumed.unit_size_mw if assumed.unit_size_mw is not None else costs.unit_size_mw
    lead = assumed.lead_time_years if assumed.lead_time_years is not None else costs.lead_time_years
    if unit is None or lead is None:
        raise DataError(f"technology {key!r}: no unit size or lead time")
    return TechnologyData(
        key=key,
        label=label,
        kind=kind,
        carrier=carrier,
        capex_usd_per_kw=costs.capex_usd_per_kw,
        capex_usd_per_kwh=costs.capex_usd_per_kwh,
        fixed_om_usd_per_kw_year=costs.fixed_om_usd_per_kw_year,
        variable_om_usd_per_mwh=costs.variable_om_usd_per_mwh,
        heat_rate_mmbtu_per_mwh=costs.heat_rate_mmbtu_per_mwh,
        lifetime_years=float(assumed.lifetime_years),
        unit_size_mw=float(unit),
        lead_time_years=float(lead),
        min_stable_pu=assumed.min_stable_pu,
        efficiency_charge=eff,
        efficiency_discharge=eff,
        duration_min_h=A.BATTERY_DURATION_MIN_H if is_storage else 0.0,
        duration_max_h=A.BATTERY_DURATION_MAX_H if is_storage else 0.0,
        ppa_price_usd_per_mwh=costs.ppa_price_usd_per_mwh,
        emissions_t_per_mmbtu=dict(emis.t_per_mmbtu),
        emission_control=emis.control,
        forced_outage_rate=assumed.forced_outage_rate,
        cost_year=_COST_YEAR,
        source=f"{costs.source}; emissions: {emis.source}; assumption: {assumed.basis}",
    )


def _eia_costs(key: str, eia_row: str) -> _Costs:
    records = eia_table3()
    if eia_row not in records:
        raise DataError(f"{EIA_TABLE3}: row {eia_row!r} missing")
    rec = records[eia_row]
    hr = float(rec["heat_rate_btu_per_kwh"])
    # EIA lists 3412 Btu/kWh for renewables only as a primary-energy convention.
    burns_fuel = not np.isnan(hr) and hr != 3412.0
    costs = _Costs(
        capex_usd_per_kw=float(rec["total_overnight_cost_usd2025_per_kw"]),
        fixed_om_usd_per_kw_year=float(rec["fixed_om_usd2025_per_kw_yr"]),
        variable_om_usd_per_mwh=float(rec["variable_om_usd2025_per_mwh"]),
        heat_rate_mmbtu_per_mwh=hr / 1000.0 if burns_fuel else None,
        unit_size_mw=float(rec["size_mw"]),
        lead_time_years=float(rec["lead_time_years"]),
        source=f"EIA AEO2026 EMM Table 3 {eia_row!r} (2025$, total overnight)",
    )
    if key != "battery":
        return costs
    total = costs.capex_usd_per_kw
    per_kw, per_kwh = battery_cost_split(*atb_battery_shape(), total)
    return replace(
        costs,
        capex_usd_per_kw=per_kw,
        capex_usd_per_kwh=per_kwh,
        source=f"{costs.source}: 4-h total {total} USD/kW split into USD/kW + USD/kWh by a "
        "linear fit of ATB 2030 2/4/8-h costs scaled to the total; RTE 0.85 from ATB, "
        "split sqrt into charge/discharge",
    )


def _atb_costs(tech: str, deflator: float) -> _Costs:
    hr = atb_value(tech, _ATB_YEAR, "heatrate_mmbtu_per_mwh")
    return _Costs(
        capex_usd_per_kw=atb_value(tech, _ATB_YEAR, "capcost_usd2022_per_kw") * deflator,
        fixed_om_usd_per_kw_year=atb_value(tech, _ATB_YEAR, "fom_usd2022_per_kw_yr") * deflator,
        variable_om_usd_per_mwh=atb_value(tech, _ATB_YEAR, "vom_usd2022_per_mwh") * deflator,
        heat_rate_mmbtu_per_mwh=None if np.isnan(hr) else hr,
        source=f"NREL ATB 2024 Moderate {tech} {_ATB_YEAR} via ReEDS (capex, FOM, VOM, heat "
        f"rate) x deflator {deflator:.4f} (2022$->2025$)",
    )


def _non_eia_costs(key: str) -> _Costs:
    if key == "coal":
        atb = _atb_costs("Coal-new", A.ATB_DEFLATOR_2022_TO_2025)
        return replace(
            atb, source=f"assumption: EIA Table 3 lists coal only with CCS: {atb.source}"
        )
    if key == "gas_recip":
        capex, vom, eff = reopt_recip_engine(A.RECIP_CLASS_INDEX)
        return _Costs(
            capex_usd_per_kw=capex,
            fixed_om_usd_per_kw_year=0.0,
            variable_om_usd_per_mwh=vom,
            heat_rate_mmbtu_per_mwh=1000.0 * MMBTU_PER_KWH / eff,
            source=f"assumption: NREL REopt CHP defaults, largest recip class: {capex} USD/kW, "
            f"O&M {vom} USD/MWh (all O&M, FOM 0), efficiency {eff} HHV, HR = 3.41214/eff",
        )
    if key == "diesel":
        return _Costs(
            capex_usd_per_kw=A.DIESEL_CAPEX_USD_PER_KW,
            fixed_om_usd_per_kw_year=A.DIESEL_FOM_USD_PER_KW_YEAR,
            variable_om_usd_per_mwh=0.0,
            heat_rate_mmbtu_per_mwh=1000.0 * MMBTU_PER_KWH / A.DIESEL_EFFICIENCY,
            source="assumption: NREL REopt.jl Generator defaults (650 USD/kW, 20 USD/kW-yr, "
            "0 USD/kWh, efficiency 0.322 HHV)",
        )
    if key == "nuclear_ppa":
        return _Costs(
            capex_usd_per_kw=0.0,
            fixed_om_usd_per_kw_year=0.0,
            variable_om_usd_per_mwh=0.0,
            heat_rate_mmbtu_per_mwh=None,
            ppa_price_usd_per_mwh=A.NUCLEAR_PPA_USD_PER_MWH,
            source="firm PPA at a fixed price, no capex: Crane (TMI-1) restart for Microsoft, "
            "est. 110-115 USD/MWh (Jefferies), FACTS.md section 4; fuel and O&M in the price",
        )
    raise DataError(f"technology {key!r} has no cost basis")


@functools.lru_cache(maxsize=1)
def _eia_catalog() -> dict[str, TechnologyData]:
    out: dict[str, TechnologyData] = {}
    for key, (_, _, _, eia_row) in _TECHS.items():
        costs = _eia_costs(key, eia_row) if eia_row is not None else _non_eia_costs(key)
        out[key] = _row(key, costs)
    return out


@functools.lru_cache(maxsize=1)
def _atb_catalog() -> dict[str, TechnologyData]:
    deflator = A.ATB_DEFLATOR_2022_TO_2025
    out: dict[str, TechnologyData] = {}
    for key, base in _eia_catalog().items():
        tech = _ATB_TECH.get(key)
        if tech is None:
            out[key] = replace(base, source=f"EIA row (ATB 2024 lacks it): {base.source}")
            continue
        costs = _atb_costs(tech, deflator)
        costs = replace(costs, unit_size_mw=base.unit_size_mw, lead_time_years=base.lead_time_years)
        if key == "battery":
            per_kw, per_kwh = battery_cost_split(*atb_battery_shape(), costs.capex_usd_per_kw)
            costs = replace(costs, capex_usd_per_kw=per_kw, capex_usd_per_kwh=per_kwh)
        row = _row(key, replace(costs, source=f"{costs.source}; other fields as EIA row"))
        out[key] = row
    return out


def load_catalog(name: str = "eia-aeo2026") -> dict[str, TechnologyData]:
    """Load a technology catalogue.

    Parameters
    ----------
    name : str
        ``"eia-aeo2026"`` (default) or ``"nrel-atb2024"``; case-insensitive.

    Returns
    -------
    dict of str to TechnologyData
        One entry per technology key, all money in 2025 USD.

    Raises
    ------
    aip.errors.UnknownNameError
        For an unknown catalogue name; the message lists the known names.

    References
    ----------
    U.S. EIA, Assumptions to the AEO2026: Electricity Market Module, Table 3 (Apr 2026).
    NREL, Annual Technology Baseline 2024 (Moderate), via NREL ReEDS-2.0 inputs.

    Examples
    --------
    >>> round(load_catalog("nrel-atb2024")["nuclear"].capex_usd_per_kw)  # 5750 2022$ x 1.1001
    6326
    """
    norm = str(name).strip().lower()
    if norm == "eia-aeo2026":
        cached = _eia_catalog()
    elif norm == "nrel-atb2024":
        cached = _atb_catalog()
    else:
        raise UnknownNameError("technology catalogue", str(name), list(CATALOGS), field="catalog")
    # Fresh emission dicts so a caller's edits cannot leak into the cached catalogue.
    return {
        k: replace(t, emissions_t_per_mmbtu=dict(t.emissions_t_per_mmbtu))
        for k, t in cached.items()
    }


def catalog_frame(name: str = "eia-aeo2026") -> pd.DataFrame:
    """A catalogue as a table, one row per technology, indexed by ``key``.

    The emission mapping is spread into columns ``co2_t_per_mmbtu``, ``nox_t_per_mmbtu``,
    ``so2_t_per_mmbtu`` and ``pm25_t_per_mmbtu``.
    """
    rows = []
    for tech in load_catalog(name).values():
        row = asdict(tech)
        emis = row.pop("emissions_t_per_mmbtu")
        row.update({f"{p}_t_per_mmbtu": float(v) for p, v in emis.items()})
        rows.append(row)
    return pd.DataFrame(rows).set_index("key")


def fuel_prices() -> dict[str, float]:
    """Default fuel prices [USD/MMBtu, 2025$] for ``gas``, ``coal``, ``uranium``, ``diesel``.

    Stated assumptions (basis in ``technology_assumptions.FUEL_PRICE_BASIS`` and
    ``SOURCES.md``); scenarios may override them. Uranium covers nuclear fuel, which EIA's
    nuclear variable O&M excludes; the nuclear PPA price already includes fuel.

    Examples
    --------
    >>> round(fuel_prices()["diesel"], 2)  # 3.61 USD/gal / 0.13888 MMBtu/gal
    25.99
    """
    diesel = A.DIESEL_USD_PER_GAL / (DIESEL_HHV_KWH_PER_GAL * MMBTU_PER_KWH)
    return {**A.FUEL_PRICES_USD_PER_MMBTU, "diesel": diesel}
