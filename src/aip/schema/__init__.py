"""Scenario models (pydantic) and the YAML/JSON loader that turns mistakes into clear errors."""

from aip.schema.loading import load_scenario, parse_scenario
from aip.schema.scenario import (
    Compute,
    Constraints,
    Economics,
    Facility,
    Flexibility,
    Grid,
    GridPrice,
    Scenario,
    Site,
    SolverOptions,
    TechnologyOptions,
)

__all__ = [
    "Compute",
    "Constraints",
    "Economics",
    "Facility",
    "Flexibility",
    "Grid",
    "GridPrice",
    "Scenario",
    "Site",
    "SolverOptions",
    "TechnologyOptions",
    "load_scenario",
    "parse_scenario",
]
