"""From a solved plan to the fleet the outage simulation runs, and its reliability indices.

The plan fixes the capacities; the simulation asks how often they fail to serve the
facility load when units break down:

- dispatchable technologies become ``ceil(p_nom / unit_size)`` equal units
  (:func:`aip.reliability.parameters.units_for`), with the catalogue's forced outage
  rate and the repair time of ``repair_times.csv`` (either overridable in the
  scenario's ``reliability`` section); variants of one technology with different NOx
  controls are one fleet;
- PV and wind supply ``p_nom x cf`` every hour (their outages sit in the profiles);
- the grid is one "unit" of ``import_limit_mw`` with ``reliability.grid_outage_rate``;
- storage is lumped into one fleet with greedy ride-through dispatch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aip.data import load_catalog
from aip.errors import DataError, ScenarioError
from aip.reliability.montecarlo import (
    AdequacyResult,
    FloatArray,
    StorageFleet,
    simulate_adequacy,
)
from aip.reliability.parameters import UnitGroup, repair_times_h, units_for
from aip.results.plan import PlanResult
from aip.schema.reliability import Reliability


@dataclass(frozen=True)
class Fleet:
    """What the outage simulation needs from a plan.

    Attributes
    ----------
    load_mw : array
        Hourly facility load [MW].
    groups : list of UnitGroup
        Units with forced outages (dispatchable plant, grid).
    fixed_supply_mw : array
        Hourly supply without forced outages (PV, wind) [MW].
    storage : StorageFleet or None
        All storage lumped together.
    """

    load_mw: FloatArray
    groups: list[UnitGroup]
    fixed_supply_mw: FloatArray
    storage: StorageFleet | None


def plan_fleet(result: PlanResult, options: Reliability, catalog: str = "eia-aeo2026") -> Fleet:
    """The units, fixed supply and storage of a solved plan.

    Parameters
    ----------
    result : PlanResult
        A solved plan (its ``inputs`` give unit sizes, profiles and the grid limit).
    options : Reliability
        Outage-rate and repair-time overrides, grid outage rate, storage start.
    catalog : str
        Catalogue the plan used (for forced outage rates).
    """
    inputs = result.inputs
    if not np.allclose(inputs.weights, 1.0):
        raise DataError(
            f"plan {inputs.name!r}: the outage simulation needs hourly snapshots (weights 1); "
            "plan the full hourly year"
        )
    known = load_catalog(catalog)
    repair = {**repair_times_h(), **options.mttr_h}
    capacity: dict[str, float] = {}
    unit_size: dict[str, float] = {}
    fixed = np.zeros(inputs.n_snapshots)
    for g in inputs.generators:
        p_nom = float(result.p_nom_mw.get(g.key, 0.0))
        if g.cf is not None:
            fixed += p_nom * g.cf
            continue
        capacity[g.group_key] = capacity.get(g.group_key, 0.0) + p_nom
        unit_size[g.group_key] = g.unit_size_mw
    groups = []
    for key, p_nom in capacity.items():
        n, size = units_for(p_nom, unit_size[key])
        q = options.forced_outage_rates.get(
            key, known[key].forced_outage_rate if key in known else 0
        )
        mttr = repair.get(key)
        if mttr is None:
            if q > 0.0 and n > 0:
                raise ScenarioError.for_field(
                    f"reliability.mttr_h.{key}",
                    None,
                    "a mean time to repair in hours",
                    f"add reliability: {{mttr_h: {{{key}: <hours>}}}}",
                )
            mttr = 1.0
        groups.append(UnitGroup(key, n, size, float(q), float(mttr)))
    grid = inputs.grid
    if grid.enabled and grid.import_limit_mw > 0.0:
        groups.append(
            UnitGroup(
                "grid", 1, grid.import_limit_mw, options.grid_outage_rate, options.grid_mttr_h
            )
        )
    return Fleet(inputs.load_mw, groups, fixed, _storage_fleet(result, options))


def _storage_fleet(result: PlanResult, options: Reliability) -> StorageFleet | None:
    stores = [
        (s, result.p_nom_mw.get(s.key, 0.0), result.e_nom_mwh.get(s.key, 0.0))
        for s in result.inputs.storage
    ]
    p = sum(x[1] for x in stores)
    e = sum(x[2] for x in stores)
    if p <= 0.0 or e <= 0.0:
        return None
    # energy-weighted efficiencies: exact for one store, a fair lump for several
    eta_c = sum(s.efficiency_charge * x for s, _, x in stores) / e
    eta_d = sum(s.efficiency_discharge * x for s, _, x in stores) / e
    return StorageFleet(p, e, eta_c, eta_d, options.storage_initial_soc)


def assess_plan(
    result: PlanResult, options: Reliability, catalog: str = "eia-aeo2026"
) -> AdequacyResult:
    """Reliability indices of a solved plan by sequential Monte Carlo.

    Examples
    --------
    >>> import aip
    >>> from aip.schema.reliability import Reliability
    >>> plan = aip.plan("examples/loudoun-grid.yaml")
    >>> res = assess_plan(plan, Reliability(samples=50))
    >>> 0.0 <= res.availability <= 1.0
    True
    """
    fleet = plan_fleet(result, options, catalog)
    return simulate_adequacy(
        fleet.load_mw,
        fleet.groups,
        fixed_supply_mw=fleet.fixed_supply_mw,
        storage=fleet.storage,
        samples=options.samples,
        seed=options.seed,
    )


def fleet_summary(fleet: Fleet) -> list[dict[str, float | int | str]]:
    """JSON-ready rows describing the simulated units."""
    return [
        {
            "technology": g.name,
            "n_units": g.n_units,
            "unit_mw": g.unit_mw,
            "forced_outage_rate": g.forced_outage_rate,
            "mttr_h": g.mttr_h,
        }
        for g in fleet.groups
    ]
