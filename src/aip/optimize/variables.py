"""Decision variables of the campus model and their costs in the objective.

Objective (annual cost, USD/yr)::

    min  sum_g (C_g + F_g) P_g^new                      capital annuity + fixed O&M
       + sum_s (C_s^P + F_s) P_s + C_s^E E_s             storage power and energy
       + sum_t w_t [ sum_g m_g p_gt + pi_t i_t + VoLL u_t + v_s d_st ]
       + 12000 D i^peak                                   demand charge
       + const (fixed O&M of existing capacity)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from aip.optimize.inputs import ModelInputs
from aip.optimize.problem import Index, LinearProblem


@dataclass(frozen=True)
class Variables:
    """Column indices of each variable block (shape in brackets).

    p_nom [G]: new generator capacity [MW]; p [G, T]: output [MW];
    storage_p_nom, storage_e_nom [S]: new storage power [MW] and energy [MWh];
    charge, discharge, soc [S, T] [MW, MW, MWh]; grid_import [T] [MW];
    grid_peak [1] [MW]; unserved [T] [MW]; spill [T or 0] [MW] (surplus dumped, only with
    must-run plant);
    cfe [T or 0] [MW] carbon-free supply matched to load (only with a 24/7 target);
    curtail [T or 0] [MW] compute paused on purpose (only with flexible compute);
    unit_loss [1 or 0] [MW] the largest loss of one unit failure above the contingency
    level's lower bound (only when the level is a range).
    """

    p_nom: Index
    p: Index
    storage_p_nom: Index
    storage_e_nom: Index
    charge: Index
    discharge: Index
    soc: Index
    grid_import: Index
    grid_peak: Index
    unserved: Index
    spill: Index
    cfe: Index
    curtail: Index
    unit_loss: Index


def add_variables(lp: LinearProblem, inputs: ModelInputs) -> Variables:
    """Create all variable blocks with their bounds and objective coefficients."""
    gens, stores, grid = inputs.generators, inputs.storage, inputs.grid
    w = inputs.weights
    n_t, n_g, n_s = inputs.n_snapshots, len(gens), len(stores)

    # a technology's variants (its NOx controls) meet its minimum together, in the
    # capacity_groups row: alone each keeps only its existing capacity
    members = Counter(g.group_key for g in gens)
    new_lower = [
        0.0 if members[g.group_key] > 1 else max(0.0, g.p_nom_min - g.p_nom_existing) for g in gens
    ]
    new_upper = [max(0.0, g.p_nom_max - g.p_nom_existing) for g in gens]
    p_nom = lp.add_variables(
        "p_nom",
        n_g,
        lower=new_lower,
        upper=new_upper,
        cost=[g.capital_cost_usd_per_mw_year + g.fixed_om_usd_per_mw_year for g in gens],
    )
    lp.add_constant(sum(g.fixed_om_usd_per_mw_year * g.p_nom_existing for g in gens))
    marginal = np.array([g.marginal_cost_usd_per_mwh for g in gens]).reshape(n_g, 1)
    p = lp.add_variables("p", (n_g, n_t), cost=marginal * w.reshape(1, n_t))

    storage_p_nom = lp.add_variables(
        "storage_p_nom",
        n_s,
        lower=[max(0.0, s.p_nom_min - s.p_nom_existing) for s in stores],
        upper=[max(0.0, s.p_nom_max - s.p_nom_existing) for s in stores],
        cost=[s.capital_cost_usd_per_mw_year + s.fixed_om_usd_per_mw_year for s in stores],
    )
    lp.add_constant(sum(s.fixed_om_usd_per_mw_year * s.p_nom_existing for s in stores))
    storage_e_nom = lp.add_variables(
        "storage_e_nom",
        n_s,
        upper=[max(0.0, s.e_nom_max - s.e_nom_existing) for s in stores],
        cost=[s.capital_cost_usd_per_mwh_year for s in stores],
    )
    charge = lp.add_variables("charge", (n_s, n_t))
    vom = np.array([s.variable_om_usd_per_mwh for s in stores]).reshape(n_s, 1)
    discharge = lp.add_variables("discharge", (n_s, n_t), cost=vom * w.reshape(1, n_t))
    soc = lp.add_variables("soc", (n_s, n_t))

    limit = grid.import_limit_mw if grid.enabled else 0.0
    grid_cost = (
        grid.price_usd_per_mwh + grid.carbon_price_usd_per_t * grid.emissions_t_per_mwh["co2"]
    )
    grid_import = lp.add_variables("grid_import", n_t, upper=limit, cost=w * grid_cost)
    grid_peak = lp.add_variables(
        "grid_peak", 1, upper=limit, cost=12_000.0 * grid.demand_charge_usd_per_kw_month
    )
    unserved = lp.add_variables(
        "unserved", n_t, upper=inputs.load_mw, cost=w * inputs.unserved_cost_usd_per_mwh
    )
    # surplus only has to be dumped when must-run plant cannot turn down; otherwise every
    # source can simply produce less, and a spill column would only add ties to the LP
    must_run = any(g.min_stable_pu > 0 for g in gens)
    spill = lp.add_variables("spill", n_t if must_run else 0)
    flexible = inputs.curtailable_fraction > 0
    curtail = lp.add_variables(
        "curtail",
        n_t if flexible else 0,
        upper=inputs.curtailable_fraction * inputs.load_mw if flexible else np.inf,
        cost=w * inputs.curtailment_cost_usd_per_mwh if flexible else 0.0,
    )
    # hourly carbon-free energy matched to load; free below so that storage charged from
    # fossil supply counts against the hour it charges in (no credit laundering)
    n_cfe = n_t if inputs.min_cfe_share is not None else 0
    cfe = lp.add_variables("cfe", n_cfe, lower=-np.inf)
    level = inputs.contingency_level
    ranged = (
        level is not None and level[1] > level[0] and inputs.n_minus > 0 and inputs.firm_capacity
    )
    unit_loss = lp.add_variables(
        "unit_loss", 1 if ranged else 0, upper=level[1] - level[0] if ranged and level else 0.0
    )
    return Variables(
        p_nom=p_nom,
        p=p,
        storage_p_nom=storage_p_nom,
        storage_e_nom=storage_e_nom,
        charge=charge,
        discharge=discharge,
        soc=soc,
        grid_import=grid_import,
        grid_peak=grid_peak,
        unserved=unserved,
        spill=spill,
        cfe=cfe,
        curtail=curtail,
        unit_loss=unit_loss,
    )
