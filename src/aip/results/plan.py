"""Typed result of one campus plan."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from aip.optimize.inputs import ModelInputs
from aip.optimize.solve import TerminationStatus


@dataclass(frozen=True)
class LoadSummary:
    """The campus load the plan serves."""

    it_mw_peak: float
    facility_mw_peak: float
    facility_energy_mwh: float
    pue_mean: float


@dataclass(frozen=True)
class SolveStats:
    """Solver statistics."""

    solver: str
    status: str
    seconds: float
    build_seconds: float
    simplex_iterations: int
    ipm_iterations: int
    n_variables: int
    n_constraints: int


@dataclass(frozen=True)
class PlanResult:
    """Everything one plan says, with the inputs that produced it.

    Attributes
    ----------
    p_nom_mw : dict
        Total capacity per technology (existing + new) [MW]; storage power too.
    e_nom_mwh : dict
        Storage energy capacity [MWh].
    energy_mwh : dict
        Annual energy delivered per source [MWh/yr]; storage is its discharge,
        ``grid`` the import, ``unserved`` the load not met.
    cost_usd_per_year : dict
        capex (annuity), fixed_om, fuel, variable_om, ppa, grid (energy and demand
        charge), carbon, unserved, curtailment and their total, equal to the objective
        [USD/yr].
    lcoe_usd_per_mwh : float
        Supply cost (total less unserved and curtailment) per MWh served [USD/MWh].
    power_cost_usd_per_gpu_hour : float
        Supply cost per GPU-hour delivered [USD/GPU-h].
    hourly : DataFrame
        Inputs and dispatch per snapshot [MW], indexed by timestamp.
    """

    scenario: str
    status: TerminationStatus
    objective_usd_per_year: float
    p_nom_mw: dict[str, float]
    e_nom_mwh: dict[str, float]
    energy_mwh: dict[str, float]
    load: LoadSummary
    cost_usd_per_year: dict[str, float]
    lcoe_usd_per_mwh: float
    power_cost_usd_per_gpu_hour: float
    emissions_t_per_year: dict[str, float]
    clean_share: float
    cfe_share: float
    unserved_mwh: float
    gpus: int
    solve: SolveStats
    hourly: pd.DataFrame = field(repr=False)
    inputs: ModelInputs = field(repr=False)
    shadow_prices: dict[str, float] = field(default_factory=dict)
    sections: dict[str, Any] = field(default_factory=dict)
    """Analyses added after the solve (``permits``, ``finance``, ...), each JSON-ready."""

    def with_section(self, name: str, content: Any) -> PlanResult:
        """A copy of this result with one more analysis section."""
        return replace(self, sections={**self.sections, name: content})

    def summary(self) -> dict[str, Any]:
        """The documented JSON summary (see docs/results.md)."""
        return {
            "scenario": self.scenario,
            "status": str(self.status),
            "objective_usd_per_year": self.objective_usd_per_year,
            "p_nom_mw": dict(self.p_nom_mw),
            "e_nom_mwh": dict(self.e_nom_mwh),
            "energy_mwh": dict(self.energy_mwh),
            "load": {
                "it_mw_peak": self.load.it_mw_peak,
                "facility_mw_peak": self.load.facility_mw_peak,
                "facility_energy_mwh": self.load.facility_energy_mwh,
                "pue_mean": self.load.pue_mean,
            },
            "cost_usd_per_year": dict(self.cost_usd_per_year),
            "lcoe_usd_per_mwh": _finite(self.lcoe_usd_per_mwh),
            "power_cost_usd_per_gpu_hour": _finite(self.power_cost_usd_per_gpu_hour),
            "emissions_t_per_year": dict(self.emissions_t_per_year),
            "clean_share": self.clean_share,
            "cfe_share": self.cfe_share,
            "unserved_mwh": self.unserved_mwh,
            "gpus": self.gpus,
            "firm_capacity": {
                "required_mw": self.inputs.firm_requirement_mw,
                "contingency_mw": self.inputs.contingency_mw,
                "reserve_margin": self.inputs.reserve_margin,
                "n_minus": self.inputs.n_minus,
            },
            "shadow_prices": dict(self.shadow_prices),
            "solve": {
                "solver": self.solve.solver,
                "method": self.inputs.method,
                "status": self.solve.status,
                "seconds": self.solve.seconds,
                "build_seconds": self.solve.build_seconds,
                "simplex_iterations": self.solve.simplex_iterations,
                "ipm_iterations": self.solve.ipm_iterations,
                "n_variables": self.solve.n_variables,
                "n_constraints": self.solve.n_constraints,
            },
            **self.sections,
        }


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None
