"""Turn a solver outcome into a :class:`~aip.results.plan.PlanResult`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aip.optimize.inputs import ModelInputs
from aip.optimize.problem import LinearProblem
from aip.optimize.solve import SolveOutcome
from aip.optimize.variables import Variables
from aip.results.accounting import Dispatch, cfe_share, clean_share, cost_breakdown, emissions
from aip.results.plan import LoadSummary, PlanResult, SolveStats

# Solver tolerances leave values like -1e-12; anything smaller than this is zero [MW].
_ZERO_MW = 1e-9


def dispatch_from_solution(x: np.ndarray, v: Variables) -> Dispatch:
    """Read the variable blocks out of the primal solution vector."""

    def take(idx: np.ndarray) -> np.ndarray:
        vals = x[idx] if idx.size else np.zeros(idx.shape)
        return np.where(np.abs(vals) < _ZERO_MW, 0.0, vals)

    return Dispatch(
        p_nom_new=take(v.p_nom),
        p=take(v.p),
        storage_p_nom_new=take(v.storage_p_nom),
        storage_e_nom_new=take(v.storage_e_nom),
        charge=take(v.charge),
        discharge=take(v.discharge),
        soc=take(v.soc),
        grid_import=take(v.grid_import),
        grid_peak=float(take(v.grid_peak)[0]),
        unserved=take(v.unserved),
        spill=take(v.spill) if v.spill.size else np.zeros(v.unserved.shape),
        curtail=take(v.curtail) if v.curtail.size else np.zeros(v.unserved.shape),
    )


def extract_result(
    inputs: ModelInputs,
    lp: LinearProblem,
    v: Variables,
    outcome: SolveOutcome,
    *,
    build_seconds: float,
    site_frame: pd.DataFrame | None = None,
    gpus: int = 0,
) -> PlanResult:
    """Assemble the typed result of an optimal solve.

    Parameters
    ----------
    site_frame : DataFrame, optional
        Hourly inputs that are not model variables (``it_load_mw``, ``pue``,
        ``temp_air``, capacity factors) to include in ``hourly``.
    gpus : int
        Number of GPUs, for the cost per GPU-hour.
    """
    d = dispatch_from_solution(outcome.x, v)
    w = inputs.weights
    costs = cost_breakdown(inputs, d)
    p_nom = {
        g.key: g.p_nom_existing + float(d.p_nom_new[i]) for i, g in enumerate(inputs.generators)
    }
    p_nom.update(
        {
            s.key: s.p_nom_existing + float(d.storage_p_nom_new[j])
            for j, s in enumerate(inputs.storage)
        }
    )
    e_nom = {
        s.key: s.e_nom_existing + float(d.storage_e_nom_new[j])
        for j, s in enumerate(inputs.storage)
    }
    energy = {g.key: float(d.p[i] @ w) for i, g in enumerate(inputs.generators)}
    energy.update({s.key: float(d.discharge[j] @ w) for j, s in enumerate(inputs.storage)})
    energy["grid"] = float(d.grid_import @ w)
    unserved_mwh = float(d.unserved @ w)
    energy["unserved"] = unserved_mwh
    curtailed_mwh = float(d.curtail @ w)
    if inputs.curtailable_fraction > 0:
        energy["curtailed"] = curtailed_mwh

    facility_mwh = float(w @ inputs.load_mw)
    served_mwh = facility_mwh - unserved_mwh - curtailed_mwh
    supply_cost = costs["total"] - costs["unserved"] - costs["curtailment"]
    lcoe = supply_cost / served_mwh if served_mwh > 0 else float("nan")
    served_fraction = served_mwh / facility_mwh if facility_mwh > 0 else 0.0
    gpu_hours = gpus * float(w.sum()) * served_fraction
    per_gpu_hour = supply_cost / gpu_hours if gpu_hours > 0 else float("nan")

    hourly = _hourly_frame(inputs, d, site_frame)
    it = hourly["it_load_mw"] if "it_load_mw" in hourly else pd.Series(np.nan, index=hourly.index)
    pue = hourly["pue"] if "pue" in hourly else pd.Series(np.nan, index=hourly.index)
    load = LoadSummary(
        it_mw_peak=float(it.max()),
        facility_mw_peak=inputs.peak_load_mw,
        facility_energy_mwh=facility_mwh,
        pue_mean=float((pue * w).sum() / w.sum()) if pue.notna().all() else float("nan"),
    )
    stats = SolveStats(
        solver=outcome.solver,
        status=str(outcome.status),
        seconds=outcome.seconds,
        build_seconds=build_seconds,
        simplex_iterations=outcome.simplex_iterations,
        ipm_iterations=outcome.ipm_iterations,
        n_variables=lp.n_cols,
        n_constraints=lp.n_rows,
    )
    return PlanResult(
        scenario=inputs.name,
        status=outcome.status,
        objective_usd_per_year=outcome.objective,
        p_nom_mw=p_nom,
        e_nom_mwh=e_nom,
        energy_mwh=energy,
        load=load,
        cost_usd_per_year=costs,
        lcoe_usd_per_mwh=lcoe,
        power_cost_usd_per_gpu_hour=per_gpu_hour,
        emissions_t_per_year=emissions(inputs, d),
        clean_share=clean_share(inputs, d),
        cfe_share=cfe_share(inputs, d),
        unserved_mwh=unserved_mwh,
        gpus=gpus,
        solve=stats,
        hourly=hourly,
        inputs=inputs,
        shadow_prices=_scalar_duals(lp, outcome, inputs.n_minus),
    )


def _hourly_frame(inputs: ModelInputs, d: Dispatch, site: pd.DataFrame | None) -> pd.DataFrame:
    index = pd.Index(inputs.timestamps, name="timestamp")
    cols: dict[str, np.ndarray] = {"weight_h": inputs.weights, "facility_load_mw": inputs.load_mw}
    if inputs.snapshot_hours is not None:
        cols["duration_h"] = inputs.snapshot_hours
    if site is not None:
        for name in site.columns:
            if name != "facility_load_mw":
                cols[name] = site[name].to_numpy()
    for i, g in enumerate(inputs.generators):
        if g.cf is not None:
            cols[f"cf_{g.key}"] = g.cf
        cols[f"p_{g.key}_mw"] = d.p[i]
    for j, s in enumerate(inputs.storage):
        cols[f"charge_{s.key}_mw"] = d.charge[j]
        cols[f"discharge_{s.key}_mw"] = d.discharge[j]
        cols[f"soc_{s.key}_mwh"] = d.soc[j]
    cols["grid_import_mw"] = d.grid_import
    cols["unserved_mw"] = d.unserved
    cols["spill_mw"] = d.spill
    if inputs.curtailable_fraction > 0:
        cols["curtail_mw"] = d.curtail
    cols["grid_price_usd_per_mwh"] = inputs.grid.price_usd_per_mwh
    cols["grid_cfe_fraction"] = inputs.grid.cfe_fraction
    for pollutant, rate in inputs.grid.emissions_t_per_mwh.items():
        cols[f"grid_{pollutant}_t_per_mwh"] = rate
    return pd.DataFrame(cols, index=index)


def _scalar_duals(lp: LinearProblem, outcome: SolveOutcome, n_minus: int) -> dict[str, float]:
    """Shadow prices of the single-row targets (firm capacity, CO2 cap, clean share), and
    what a MW more of the largest unit loss would cost (``unit_loss``, where it is a
    variable: see :mod:`aip.optimize.contingency`)."""
    out = {}
    for name in (
        "firm_capacity",
        "co2_cap",
        "nox_cap",
        "clean_share",
        "cfe_share",
        "unserved_limit",
    ):
        rows = lp.rows.get(name)
        if rows is not None and rows.size == 1 and outcome.row_dual.size:
            out[name] = float(outcome.row_dual[rows[0]])
    if lp.columns["unit_loss"].size and outcome.row_dual.size:
        # the unit_loss column's reduced cost, c - A'y: -n in the firm row, -1 in each cap
        caps = [rows[0] for name, rows in lp.rows.items() if name.startswith("unit_loss_cap[")]
        out["unit_loss"] = n_minus * out["firm_capacity"] + float(outcome.row_dual[caps].sum())
    return out
