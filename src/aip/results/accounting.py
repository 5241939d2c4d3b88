"""Cost and emission accounting of a dispatch, independent of the solver.

These functions recompute the objective's parts from capacities and hourly
dispatch, so the breakdown is checked against the solver's objective rather
than copied from it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from aip.optimize.inputs import POLLUTANTS, ModelInputs

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Dispatch:
    """Capacities and hourly operation of one plan (new capacity separately)."""

    p_nom_new: FloatArray  # [G] MW
    p: FloatArray  # [G, T] MW
    storage_p_nom_new: FloatArray  # [S] MW
    storage_e_nom_new: FloatArray  # [S] MWh
    charge: FloatArray  # [S, T] MW
    discharge: FloatArray  # [S, T] MW
    soc: FloatArray  # [S, T] MWh
    grid_import: FloatArray  # [T] MW
    grid_peak: float  # MW
    unserved: FloatArray  # [T] MW
    spill: FloatArray  # [T] MW
    curtail: FloatArray  # [T] MW (zeros without flexible compute)


def cost_breakdown(inputs: ModelInputs, d: Dispatch) -> dict[str, float]:
    """Annual cost by category [USD/yr]; ``total`` is their sum.

    Categories: ``capex`` (annuity of new capacity), ``fixed_om`` (all capacity),
    ``fuel``, ``variable_om`` (generators and storage), ``ppa`` (energy bought
    under PPAs), ``grid`` (import energy and demand charge), ``carbon`` (carbon
    price on generator and grid CO2), ``unserved`` (value of compute not served),
    ``curtailment`` (value of compute paused on purpose).
    """
    w = inputs.weights
    gens, stores, grid = inputs.generators, inputs.storage, inputs.grid
    energy = d.p @ w if gens else np.zeros(0)
    out = {
        "capex": sum(g.capital_cost_usd_per_mw_year * d.p_nom_new[i] for i, g in enumerate(gens))
        + sum(
            s.capital_cost_usd_per_mw_year * d.storage_p_nom_new[j]
            + s.capital_cost_usd_per_mwh_year * d.storage_e_nom_new[j]
            for j, s in enumerate(stores)
        ),
        "fixed_om": sum(
            g.fixed_om_usd_per_mw_year * (g.p_nom_existing + d.p_nom_new[i])
            for i, g in enumerate(gens)
        )
        + sum(
            s.fixed_om_usd_per_mw_year * (s.p_nom_existing + d.storage_p_nom_new[j])
            for j, s in enumerate(stores)
        ),
        "fuel": sum(g.fuel_cost_usd_per_mwh * energy[i] for i, g in enumerate(gens)),
        "variable_om": sum(g.variable_om_usd_per_mwh * energy[i] for i, g in enumerate(gens))
        + sum(s.variable_om_usd_per_mwh * float(d.discharge[j] @ w) for j, s in enumerate(stores)),
        "ppa": sum(g.ppa_usd_per_mwh * energy[i] for i, g in enumerate(gens)),
        "grid": float((w * grid.price_usd_per_mwh) @ d.grid_import)
        + 12_000.0 * grid.demand_charge_usd_per_kw_month * d.grid_peak,
        "carbon": sum(g.carbon_cost_usd_per_mwh * energy[i] for i, g in enumerate(gens))
        + grid.carbon_price_usd_per_t
        * float((w * grid.emissions_t_per_mwh["co2"]) @ d.grid_import),
        "unserved": inputs.unserved_cost_usd_per_mwh * float(w @ d.unserved),
        "curtailment": inputs.curtailment_cost_usd_per_mwh * float(w @ d.curtail),
    }
    out = {k: float(v) for k, v in out.items()}
    out["total"] = float(sum(out.values()))
    return out


def emissions(inputs: ModelInputs, d: Dispatch) -> dict[str, float]:
    """Annual emissions per pollutant from generators and grid imports [t/yr]."""
    w = inputs.weights
    out = {}
    for pollutant in POLLUTANTS:
        on_site = sum(
            g.emissions_t_per_mwh[pollutant] * float(d.p[i] @ w)
            for i, g in enumerate(inputs.generators)
        )
        grid = float((w * inputs.grid.emissions_t_per_mwh[pollutant]) @ d.grid_import)
        out[pollutant] = float(on_site + grid)
    return out


def emissions_by_source(inputs: ModelInputs, d: Dispatch) -> dict[str, dict[str, float]]:
    """Annual emissions per source (technology key or ``grid``) and pollutant [t/yr]."""
    w = inputs.weights
    out = {
        g.key: {p: float(g.emissions_t_per_mwh[p] * (d.p[i] @ w)) for p in POLLUTANTS}
        for i, g in enumerate(inputs.generators)
    }
    out["grid"] = {
        p: float((w * inputs.grid.emissions_t_per_mwh[p]) @ d.grid_import) for p in POLLUTANTS
    }
    return out


def cfe_share(inputs: ModelInputs, d: Dispatch) -> float:
    """24/7 carbon-free share: clean supply matched to load hour by hour [-].

    ``sum_t w_t min(L_t, max(0, sum_clean p_t + sum_s (d_t - c_t) + phi_t i_t)) / sum_t w_t L_t``
    (storage counted net, as in the LP's ``cfe_share`` family).
    """
    w = inputs.weights
    total = float(w @ inputs.load_mw)
    if total <= 0:
        return 0.0
    clean = np.zeros(inputs.n_snapshots)
    for i, g in enumerate(inputs.generators):
        if g.clean:
            clean += d.p[i]
    for j in range(len(inputs.storage)):
        clean += d.discharge[j] - d.charge[j]
    clean += inputs.grid.cfe_fraction * d.grid_import
    matched = np.minimum(inputs.load_mw, np.maximum(clean, 0.0))
    return float(w @ matched / total)


def clean_share(inputs: ModelInputs, d: Dispatch) -> float:
    """Share of facility energy served by clean sources, net of spilled surplus [-]."""
    w = inputs.weights
    total = float(w @ inputs.load_mw)
    if total <= 0:
        return 0.0
    clean = sum(float(d.p[i] @ w) for i, g in enumerate(inputs.generators) if g.clean)
    clean += inputs.grid.clean_fraction * float(w @ d.grid_import)
    clean -= float(w @ d.spill)
    return float(min(1.0, max(0.0, clean / total)))
