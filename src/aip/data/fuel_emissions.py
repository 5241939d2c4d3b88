"""Stack emission factors per unit of fuel heat input for the catalogue technologies.

Gas turbines and engines use EPA AP-42 factors from the bundled
``emissions/ap42_gas_turbine_and_engine_factors.csv``; coal and diesel use the stated
assumptions below (the bundled AP-42 table covers gas only). All factors are per MMBtu
of fuel heat input (HHV) and returned in [t/MMBtu].

Examples
--------
>>> from aip.data.fuel_emissions import emission_factors
>>> f = emission_factors("gas_cc")
>>> round(f.t_per_mmbtu["co2"], 6), f.control
(0.049895, 'DLN + SCR at 2.0 ppmvd@15%O2 (derived)')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pandas as pd

from aip.data.bundle import read_bundled_csv
from aip.errors import DataError

#: Mass of one pound [t] (exact).
TONNE_PER_LB = 0.45359237e-3
#: Energy of one kWh [MMBtu] (1 kWh = 3412.14 Btu).
MMBTU_PER_KWH = 3412.14e-6
POLLUTANTS = ("co2", "nox", "so2", "pm25")

_AP42 = "emissions/ap42_gas_turbine_and_engine_factors.csv"


@dataclass(frozen=True)
class EmissionFactors:
    """Emission factors of one technology.

    Attributes
    ----------
    t_per_mmbtu : dict
        ``co2``, ``nox``, ``so2``, ``pm25`` [t/MMBtu of fuel input, HHV].
    control : str
        Emission control the NOx factor assumes.
    source : str
        Where each factor comes from.
    """

    t_per_mmbtu: dict[str, float] = field(default_factory=dict)
    control: str = "none"
    source: str = "no fuel burnt: zero stack emissions"


@functools.lru_cache(maxsize=1)
def _ap42() -> pd.DataFrame:
    return read_bundled_csv(_AP42)


def _ap42_lb(category: str, control: str, pollutant: str) -> float:
    table = _ap42()
    hit = table[
        (table["source_category"] == category)
        & (table["control"] == control)
        & (table["pollutant"] == pollutant)
        & (table["fuel"] == "natural_gas")
    ]
    if len(hit) != 1:
        raise DataError(f"{_AP42}: expected one row for {category}/{control}/{pollutant}")
    return float(hit["factor_lb_per_mmbtu"].iloc[0])


# Default NOx control per gas technology (row 'control' of the AP-42 table) and why.
_GAS_NOX = {
    "gas_aero": ("gas_turbine", "lean-premix (dry low NOx)", "AP-42 3.1-1 lean-premix"),
    "gas_frame": ("gas_turbine", "lean-premix (dry low NOx)", "AP-42 3.1-1 lean-premix"),
    "gas_cc": (
        "gas_turbine",
        "DLN + SCR at 2.0 ppmvd@15%O2 (derived)",
        "2 ppm SCR, the typical BACT permit limit for new combined cycles (Method 19 derived)",
    ),
    "gas_recip": (
        "recip_engine_4SLB",
        "uncontrolled 90-105% load",
        "AP-42 3.2-2 4-stroke lean-burn at full load (old-fleet factor, 'recall'; "
        "conservative for new engines with SCR)",
    ),
}


def _gas(key: str) -> EmissionFactors:
    category, control, why = _GAS_NOX[key]
    lb = {
        "co2": _ap42_lb("gas_turbine", "all", "CO2"),
        "nox": _ap42_lb(category, control, "NOx"),
        # SO2 follows fuel sulfur only, so the turbine factor holds for engines too;
        # AP-42 gas-turbine PM is all below 1 micron, hence PM = PM2.5.
        "so2": _ap42_lb("gas_turbine", "all", "SO2"),
        "pm25": _ap42_lb("gas_turbine", "all", "PM (total)"),
    }
    source = (
        f"AP-42 (bundled table) lb/MMBtu x 0.45359237e-3: CO2 110, SO2 0.0034, "
        f"PM2.5 = total PM 0.0066 (gas-turbine rows 3.1-2a); NOx {lb['nox']} ({why})"
    )
    if key == "gas_recip":
        source += "; SO2 and PM from the turbine rows (assumption: engine rows absent)"
    return EmissionFactors({p: v * TONNE_PER_LB for p, v in lb.items()}, control, source)


# Coal (assumption): CO2 from 40 CFR 98 Subpart C Table C-1, 'Mixed (Electric Power
# sector)' coal 95.52 kg CO2/MMBtu; NOx, SO2, PM at the NSPS Subpart Da limits for new
# coal units (0.70, 1.0 and 0.090 lb/MWh gross), converted with the coal heat rate.
COAL_CO2_KG_PER_MMBTU = 95.52
COAL_NSPS_LB_PER_MWH = {"nox": 0.70, "so2": 1.0, "pm25": 0.090}

# Diesel (assumption): NREL REopt.jl Generator defaults (src/core/generator.jl):
# 22.51 lb CO2/gal, 0.0775544 lb NOx/gal, fuel HHV 40.7 kWh/gal. SO2 from AP-42 Table
# 3.4-1 (1.01 x S lb/MMBtu) with 15 ppm ultra-low-sulfur diesel (40 CFR 80.510);
# PM2.5 at the EPA Tier 2 limit 0.20 g/kWh for emergency engines >= 560 kW.
DIESEL_HHV_KWH_PER_GAL = 40.7
DIESEL_LB_PER_GAL = {"co2": 22.51, "nox": 0.0775544}
DIESEL_SULFUR_PCT = 0.0015
DIESEL_PM_G_PER_KWH = 0.20


def _coal(heat_rate_mmbtu_per_mwh: float) -> EmissionFactors:
    t = {"co2": COAL_CO2_KG_PER_MMBTU * 1e-3}
    for p, lb_per_mwh in COAL_NSPS_LB_PER_MWH.items():
        t[p] = lb_per_mwh / heat_rate_mmbtu_per_mwh * TONNE_PER_LB
    return EmissionFactors(
        t,
        "SCR + FGD + fabric filter (NSPS Da limits)",
        "assumption: CO2 40 CFR 98 Table C-1 mixed electric-power coal 95.52 kg/MMBtu; "
        "NOx/SO2/PM at NSPS Subpart Da new-unit limits 0.70/1.0/0.090 lb/MWh "
        f"/ heat rate {heat_rate_mmbtu_per_mwh} MMBtu/MWh",
    )


def _diesel(heat_rate_mmbtu_per_mwh: float) -> EmissionFactors:
    mmbtu_per_gal = DIESEL_HHV_KWH_PER_GAL * MMBTU_PER_KWH
    t = {p: lb / mmbtu_per_gal * TONNE_PER_LB for p, lb in DIESEL_LB_PER_GAL.items()}
    t["so2"] = 1.01 * DIESEL_SULFUR_PCT * TONNE_PER_LB
    # g/kWh_e -> t/MWh_e (x 1e-3) -> t/MMBtu (/ heat rate)
    t["pm25"] = DIESEL_PM_G_PER_KWH * 1e-3 / heat_rate_mmbtu_per_mwh
    return EmissionFactors(
        {p: t[p] for p in POLLUTANTS},
        "EPA Tier 2 emergency genset, ULSD",
        "assumption: CO2/NOx REopt.jl Generator defaults per gallon / 40.7 kWh/gal; "
        "SO2 AP-42 3.4-1 1.01 x S with 15 ppm ULSD; PM2.5 Tier 2 limit 0.20 g/kWh",
    )


def emission_factors(key: str, heat_rate_mmbtu_per_mwh: float | None = None) -> EmissionFactors:
    """Default emission factors of a catalogue technology [t/MMBtu].

    Parameters
    ----------
    key : str
        Catalogue technology key (``gas_aero``, ``gas_frame``, ``gas_cc``, ``gas_recip``,
        ``coal``, ``diesel``; any other key burns no fuel and gets zeros).
    heat_rate_mmbtu_per_mwh : float, optional
        Heat rate [MMBtu/MWh], needed for coal and diesel whose limits are per MWh.

    Notes
    -----
    t/MMBtu = lb/MMBtu x 0.45359237e-3. Per-MWh limits: t/MMBtu = (lb/MWh) / HR x
    0.45359237e-3.

    References
    ----------
    U.S. EPA, AP-42 Fifth Edition, Vol. I, Sections 3.1, 3.2, 3.4. 40 CFR 98 Table C-1.
    40 CFR 60 Subpart Da. NREL REopt.jl ``src/core/generator.jl``.
    """
    if key in _GAS_NOX:
        return _gas(key)
    if key in ("coal", "diesel"):
        if heat_rate_mmbtu_per_mwh is None or heat_rate_mmbtu_per_mwh <= 0:
            raise DataError(f"emission factors for {key!r} need a positive heat rate")
        return (_coal if key == "coal" else _diesel)(heat_rate_mmbtu_per_mwh)
    return EmissionFactors({p: 0.0 for p in POLLUTANTS})
