"""Stated assumptions of the technology catalogue (numbers the bundled data lack).

Each value is an *assumption* with its public basis; ``SOURCES.md`` repeats them. The
catalogue (:mod:`aip.data.technologies`) names them in every row's ``source`` string.
Scenarios can override any of them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Assumed:
    """Per-technology assumptions: life, flexibility, reliability, unit size, lead time.

    ``unit_size_mw`` / ``lead_time_years`` of None mean "use the EIA table value".
    """

    lifetime_years: float
    min_stable_pu: float
    forced_outage_rate: float
    basis: str
    unit_size_mw: float | None = None
    lead_time_years: float | None = None


# Lifetimes: ATB 2024 uses 30-year cost-recovery/technical lives for gas, PV and wind and 15
# years for batteries; US reactors hold 40-year NRC licences renewed to 60; coal plants
# typically run 40+ years. Minimum stable levels: emissions-compliant turndown of DLN
# turbines is typically 40-50 %; LWRs are designed to follow load down to about 50 %.
# Forced outage rates: order of NERC GADS class averages (a few percent); VRE outages are
# in their weather-based capacity factors, hence 0.
ASSUMED: dict[str, Assumed] = {
    "gas_aero": Assumed(
        30,
        0.5,
        0.03,
        "life 30 y (ATB); min load 0.5 (DLE turndown); FOR 0.03 (GADS order); "
        "unit 50 MW (one LM6000-class machine; EIA's 211 MW reference plant has several)",
        unit_size_mw=50.0,
    ),
    "gas_frame": Assumed(
        30,
        0.4,
        0.03,
        "life 30 y (ATB); min load 0.4 (DLN turndown); FOR 0.03 (GADS order); "
        "unit 240 MW (one F-class frame, e.g. 7F.05)",
        unit_size_mw=240.0,
    ),
    "gas_cc": Assumed(
        30,
        0.4,
        0.04,
        "life 30 y (ATB); min load 0.4; FOR 0.04 (GADS order); unit 600 MW "
        "(one 1x1 H-class block; EIA's 1227 MW reference is a multi-shaft plant)",
        unit_size_mw=600.0,
    ),
    "gas_recip": Assumed(
        25,
        0.25,
        0.02,
        "life 25 y (engine plants with overhauls); min load 0.25 (REopt CHP "
        "recip min_turn_down_fraction); FOR 0.02 (many small units); unit 700 MW / 210 "
        "engines = 3.33 MW (Vantage Frontier, FACTS.md); lead 1.5 y (12-18 months, FACTS.md)",
        unit_size_mw=700.0 / 210.0,
        lead_time_years=1.5,
    ),
    "nuclear": Assumed(
        60,
        0.5,
        0.02,
        "life 60 y (NRC 40 + 20 renewal); min load 0.5 (LWR load following); "
        "FOR 0.02 (US fleet capacity factor > 90 %); unit 1078 MW (half of EIA's 2156 MW "
        "two-unit plant)",
        unit_size_mw=2156.0 / 2.0,
    ),
    "nuclear_smr": Assumed(
        60,
        0.5,
        0.02,
        "life 60 y; min load 0.5; FOR 0.02; unit 300 MW (BWRX-300 class; "
        "EIA's reference plant is 480 MW)",
        unit_size_mw=300.0,
    ),
    "nuclear_ppa": Assumed(
        20,
        0.5,
        0.02,
        "term 20 y and 835 MW (Crane PPA, FACTS.md); lead 3 y (restarts take "
        "about 3 years from PPA to power, FACTS.md); min load 0.5 and FOR 0.02 as nuclear",
        unit_size_mw=835.0,
        lead_time_years=3.0,
    ),
    "coal": Assumed(
        40,
        0.4,
        0.07,
        "life 40 y; min load 0.4 (typical new supercritical unit); FOR 0.07 "
        "(GADS order for coal); unit 650 MW and lead 5 y from EIA's USC-with-CCS rows (the "
        "only coal rows in Table 3)",
        unit_size_mw=650.0,
        lead_time_years=5.0,
    ),
    "pv": Assumed(30, 0.0, 0.0, "life 30 y (ATB); VRE: min load 0, outages in the profile"),
    "wind": Assumed(30, 0.0, 0.0, "life 30 y (ATB); VRE: min load 0, outages in the profile"),
    "battery": Assumed(
        15, 0.0, 0.02, "life 15 y (ATB battery life); FOR 0.02 (assumption, modular plant)"
    ),
    "diesel": Assumed(
        25,
        0.3,
        0.05,
        "life 25 y (standby duty, few running hours); min load 0.3 (avoid wet "
        "stacking); FOR 0.05 (fail-to-start order); unit 2.5 MW (typical data-centre genset); "
        "lead 1 y",
        unit_size_mw=2.5,
        lead_time_years=1.0,
    ),
}

# Battery duration bounds [h]: the span of the ATB 2-, 4- and 8-hour rows that fix the
# power/energy cost split (outside it the linear split is an extrapolation).
BATTERY_DURATION_MIN_H = 2.0
BATTERY_DURATION_MAX_H = 8.0

# Deflator 2022$ -> 2025$ for ATB values (assumption): product of US CPI-U annual
# inflation 2023 (4.1 %), 2024 (2.9 %) and 2025 (about 2.7 %, BLS) = 1.100.
ATB_DEFLATOR_2022_TO_2025 = 1.041 * 1.029 * 1.027

# Reciprocating engines (assumption; EIA Table 3 has none): NREL REopt CHP defaults for
# the largest recip class (3-4.5 MW): installed cost 2000 USD/kW at 4.5 MW, O&M 0.0135
# USD/kWh (all O&M, so fixed O&M 0), electric efficiency 0.405 HHV. CHP costs include heat
# recovery a power-only plant lacks; read as 2025$ since today's engine market is tight.
RECIP_CLASS_INDEX = -1  # last (largest) size class of the REopt arrays

# Diesel backup gensets (assumption): NREL REopt.jl Generator defaults for a generator
# that runs only during grid outages: 650 USD/kW installed, 20 USD/kW-yr O&M, 0 USD/kWh,
# electric efficiency 0.322 (HHV), fuel 3.61 USD/gal at 40.7 kWh/gal.
DIESEL_CAPEX_USD_PER_KW = 650.0
DIESEL_FOM_USD_PER_KW_YEAR = 20.0
DIESEL_EFFICIENCY = 0.322
DIESEL_USD_PER_GAL = 3.61

# Crane (TMI-1) restart PPA for Microsoft: estimated 110-115 USD/MWh (Jefferies), >= 100
# (Bloomberg Intelligence); FACTS.md section 4. We take the lower Jefferies figure.
NUCLEAR_PPA_USD_PER_MWH = 110.0

# Fuel prices [USD/MMBtu], 2025 (assumptions, overridable by scenario):
FUEL_PRICES_USD_PER_MMBTU = {
    # Henry Hub averaged about 3.5 USD/MMBtu in 2025 (EIA STEO).
    "gas": 3.5,
    # Coal delivered to the US electric power sector: about 2.4 USD/MMBtu (EIA EPM).
    "coal": 2.4,
    # Nuclear fuel is NOT in EIA's nuclear VOM; US fleet fuel cost is about 5-6 USD/MWh
    # (NEI) / 10.4 MMBtu/MWh = about 0.6 USD/MMBtu.
    "uranium": 0.6,
}
FUEL_PRICE_BASIS = {
    "gas": "assumption: Henry Hub 2025 average about 3.5 USD/MMBtu (EIA STEO)",
    "coal": "assumption: EIA Electric Power Monthly delivered coal about 2.4 USD/MMBtu",
    "uranium": "assumption: NEI fleet fuel cost about 5-6 USD/MWh / 10.4 MMBtu/MWh; "
    "not included in EIA nuclear VOM",
    "diesel": "REopt.jl Generator default 3.61 USD/gal / (40.7 kWh/gal x 3412.14 Btu/kWh)",
}
