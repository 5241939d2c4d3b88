"""Reliability: forced outages, availability by sequential Monte Carlo, cost of nines, headroom.

See docs/reliability.md for the method, the data sources and measured speed.
"""

from aip.reliability.assess import Fleet, assess_plan, plan_fleet
from aip.reliability.headroom import (
    DUKE_SHARES,
    HeadroomRow,
    curtailment_mw,
    headroom_mw,
    headroom_table,
    read_load_csv,
)
from aip.reliability.montecarlo import AdequacyResult, StorageFleet, simulate_adequacy
from aip.reliability.parameters import UnitGroup, transition_probabilities, units_for
from aip.reliability.section import reliability_section
from aip.reliability.target import cost_of_nines, nines

__all__ = [
    "DUKE_SHARES",
    "AdequacyResult",
    "Fleet",
    "HeadroomRow",
    "StorageFleet",
    "UnitGroup",
    "assess_plan",
    "cost_of_nines",
    "curtailment_mw",
    "headroom_mw",
    "headroom_table",
    "nines",
    "plan_fleet",
    "read_load_csv",
    "reliability_section",
    "simulate_adequacy",
    "transition_probabilities",
    "units_for",
]
