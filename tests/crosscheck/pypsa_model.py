"""An independent PyPSA model of the aip campus LP, built only from the exported files.

``aip plan`` writes ``inputs.json`` (every scalar of the model) and ``hourly.csv`` (every
hourly series). :func:`build_network` reads nothing else (no aip object, no aip import), so
the PyPSA problem is a second implementation of the equations documented in
``aip.optimize.constraints`` and ``aip.optimize.variables``:

==========================  ===========================================================
aip                         PyPSA
==========================  ===========================================================
facility load ``L_t``       ``Load`` with ``p_set = facility_load_mw``
new capacity ``P_g^new``    extendable ``Generator`` ``<key>``, bounds on the new part,
                            ``capital_cost = annuity + fixed O&M``
existing ``P_g^0``          non-extendable ``Generator`` ``<key>:existing`` (same
                            ``p_max_pu``/``p_min_pu``/``marginal_cost``); its fixed O&M is a
                            constant added to the objective (PyPSA leaves the capital cost
                            of non-extendable assets out of the objective)
availability, must-run      ``p_max_pu = cf``, ``p_min_pu = min_stable_pu * cf``
storage power ``P_s``       charger ``Link`` (``efficiency = eta_c``, extendable, bounds and
                            ``capital_cost`` on the total) and discharger ``Link``
                            (``efficiency = eta_d``) tied by ``P_ch = eta_d P_dis`` so that
                            both limit the *bus-side* power to ``P_s`` as aip does
storage energy ``E_s``      extendable cyclic ``Store`` on its own bus
duration bounds             extra ``h_min P_s <= E_s <= h_max P_s`` rows
grid import ``i_t``         ``Generator`` ``grid`` with ``p_nom = import limit`` and hourly
                            ``marginal_cost = price + carbon price * CO2 rate``
demand charge               extra variable ``grid_peak >= i_t`` costing ``12,000 D`` per MW
unserved load ``u_t``       ``Generator`` ``unserved``, ``p_max_pu = L_t / max L``
spill ``x_t``               extendable zero-cost ``Generator`` ``spill``, ``p_min_pu = -1``,
                            ``p_max_pu = 0`` (free ``p_nom``: unbounded spill, as in aip;
                            ``p_nom_max = 0`` without must-run plant, as in aip)
firm, CO2, clean, unserved  extra rows on the linopy model (``extra_functionality``)
==========================  ===========================================================

Objective: PyPSA charges the storage ``capital_cost`` on the *total* charger and ``Store``
capacity, aip only on the new part (existing capital is sunk; only its fixed O&M counts), so
:func:`comparable_constant` adds ``sum_g F_g P_g^0 - sum_s (C_s^P P_s^0 + C_s^E E_s^0)`` to
PyPSA's objective to put both on the same footing.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pypsa
import xarray as xr

BUS = "campus"
#: Months per year times kW per MW: a demand charge in USD/kW-month costs this per MW-year.
DEMAND_CHARGE_FACTOR = 12_000.0

Extra = Callable[[pypsa.Network, Any], None]


@dataclass(frozen=True)
class CrossCheckResult:
    """PyPSA's optimum in aip's terms.

    ``objective_usd_per_year`` already includes :func:`comparable_constant`; capacities are
    totals (existing + new) keyed like aip's ``p_nom_mw``/``e_nom_mwh``.
    """

    objective_usd_per_year: float
    p_nom_mw: dict[str, float]
    e_nom_mwh: dict[str, float]
    read_seconds: float
    build_seconds: float
    solve_seconds: float
    extract_seconds: float
    network: pypsa.Network


def read_plan_files(directory: str | Path) -> tuple[dict[str, Any], pd.DataFrame]:
    """Read ``inputs.json`` and ``hourly.csv`` written by ``aip.results.export.write_plan``.

    Infinite limits arrive as the strings ``"inf"`` (strict JSON); ``float`` reads them.
    """
    folder = Path(directory)
    doc = json.loads((folder / "inputs.json").read_text(encoding="utf-8"))
    hourly = pd.read_csv(folder / "hourly.csv", index_col=0)
    if len(hourly) != doc["n_snapshots"]:
        raise ValueError(f"hourly.csv has {len(hourly)} rows, inputs.json {doc['n_snapshots']}")
    return doc, hourly


def firm_requirement_mw(doc: dict[str, Any], load: np.ndarray) -> float:
    """Recompute ``L^peak (1 + r) + n U^max`` from its definition (not from aip's number).

    ``U^max`` is the most firm capacity one unit failure can take: the largest
    ``credit x min(unit size, p_nom_max)`` of any allowed firm generator (credit > 0,
    p_nom_max > 0), as a unit cannot lose more than its technology may build. A plan's
    ``inputs.json`` caps the technologies whose units lose more than the loss it holds.
    """
    c = doc["constraints"]
    sizes = [
        g["capacity_credit"] * min(float(g["unit_size_mw"]), float(g["p_nom_max"]))
        for g in doc["generators"]
        if g["capacity_credit"] > 0 and float(g["p_nom_max"]) > 0
    ]
    contingency = c["n_minus"] * max(sizes) if sizes and c["n_minus"] else 0.0
    peak = float(load.max()) if load.size else 0.0
    return peak * (1.0 + c["reserve_margin"]) + contingency


def comparable_constant(doc: dict[str, Any]) -> float:
    """What to add to PyPSA's objective to obtain aip's [USD/yr] (see module notes)."""
    constant = sum(g["fixed_om_usd_per_mw_year"] * g["p_nom_existing"] for g in doc["generators"])
    for s in doc["storage"]:
        constant -= s["capital_cost_usd_per_mw_year"] * s["p_nom_existing"]
        constant -= s["capital_cost_usd_per_mwh_year"] * s["e_nom_existing"]
    return float(constant)


def _add_generators(n: pypsa.Network, doc: dict[str, Any], hourly: pd.DataFrame) -> None:
    sns = n.snapshots
    for g in doc["generators"]:
        cf = (
            pd.Series(hourly[g["cf_column"]].to_numpy(), index=sns)
            if g["cf_column"]
            else pd.Series(1.0, index=sns)
        )
        common = {
            "bus": BUS,
            "carrier": g["carrier"],
            "marginal_cost": g["marginal_cost_usd_per_mwh"],
            "p_max_pu": cf,
            "p_min_pu": g["min_stable_pu"] * cf,
        }
        p0 = g["p_nom_existing"]
        n.add(
            "Generator",
            g["key"],
            p_nom_extendable=True,
            p_nom_min=max(0.0, g["p_nom_min"] - p0),
            p_nom_max=max(0.0, float(g["p_nom_max"]) - p0),
            capital_cost=g["capital_cost_usd_per_mw_year"] + g["fixed_om_usd_per_mw_year"],
            **common,
        )
        if p0 > 0:
            n.add(
                "Generator",
                f"{g['key']}:existing",
                p_nom=p0,
                capital_cost=g["fixed_om_usd_per_mw_year"],
                **common,
            )


def _add_storage(n: pypsa.Network, doc: dict[str, Any]) -> None:
    for s in doc["storage"]:
        key, p0, e0 = s["key"], s["p_nom_existing"], s["e_nom_existing"]
        n.add("Bus", f"{key}:bus", carrier="storage")
        n.add(
            "Store",
            key,
            bus=f"{key}:bus",
            carrier="storage",
            e_nom_extendable=True,
            e_nom_min=e0,
            e_nom_max=max(e0, float(s["e_nom_max"])),
            e_cyclic=True,
            capital_cost=s["capital_cost_usd_per_mwh_year"],
        )
        n.add(
            "Link",
            f"{key}:charge",
            bus0=BUS,
            bus1=f"{key}:bus",
            efficiency=s["efficiency_charge"],
            p_nom_extendable=True,
            p_nom_min=max(p0, s["p_nom_min"]),
            p_nom_max=max(p0, float(s["p_nom_max"])),
            capital_cost=s["capital_cost_usd_per_mw_year"] + s["fixed_om_usd_per_mw_year"],
        )
        # A Link's capacity limits its input; the discharger's input is d / eta_d, and its
        # marginal cost is per MWh of input, so VOM per delivered MWh becomes VOM * eta_d.
        n.add(
            "Link",
            f"{key}:discharge",
            bus0=f"{key}:bus",
            bus1=BUS,
            efficiency=s["efficiency_discharge"],
            p_nom_extendable=True,
            marginal_cost=s["variable_om_usd_per_mwh"] * s["efficiency_discharge"],
        )


def _add_grid_and_slack(n: pypsa.Network, doc: dict[str, Any], hourly: pd.DataFrame) -> None:
    sns = n.snapshots
    grid = doc["grid"]
    if grid["enabled"]:
        price = hourly[grid["price_column"]].to_numpy()
        co2 = hourly[grid["emission_columns"]["co2"]].to_numpy()
        n.add(
            "Generator",
            "grid",
            bus=BUS,
            carrier="grid",
            p_nom=grid["import_limit_mw"],
            marginal_cost=pd.Series(price + grid["carbon_price_usd_per_t"] * co2, index=sns),
        )
    load = hourly[doc["load_column"]].to_numpy()
    peak = float(load.max())
    if peak > 0:
        n.add(
            "Generator",
            "unserved",
            bus=BUS,
            carrier="unserved",
            p_nom=peak,
            p_max_pu=pd.Series(load / peak, index=sns),
            marginal_cost=doc["unserved_cost_usd_per_mwh"],
        )
    # as in aip, surplus needs dumping only when must-run plant cannot turn down; the
    # generator stays (at zero size) so that the model always has a capacity variable
    must_run = any(g["min_stable_pu"] > 0 for g in doc["generators"])
    n.add(
        "Generator",
        "spill",
        bus=BUS,
        carrier="spill",
        p_nom_extendable=True,
        p_nom_max=np.inf if must_run else 0.0,
        p_min_pu=-1.0,
        p_max_pu=0.0,
    )


def build_network(doc: dict[str, Any], hourly: pd.DataFrame) -> tuple[pypsa.Network, Extra, float]:
    """The campus problem as a PyPSA network, its extra constraints and objective constant.

    Returns
    -------
    network, extra_functionality, constant
        ``constant`` [USD/yr] turns PyPSA's objective into aip's.
    """
    with pypsa.option_context("api.legacy_string_dtype", False):
        return _build_network(doc, hourly)


def _build_network(doc: dict[str, Any], hourly: pd.DataFrame) -> tuple[pypsa.Network, Extra, float]:
    n = pypsa.Network()
    n.set_snapshots(range(len(hourly)))
    w = hourly[doc["weights_column"]].to_numpy(dtype=float)
    for column in ("objective", "generators", "stores"):
        n.snapshot_weightings[column] = w
    slack = {"grid", "unserved", "spill", "storage", "AC"}
    carriers = {g["carrier"] for g in doc["generators"]} | slack
    n.add("Carrier", sorted(carriers))
    n.add("Bus", BUS, carrier="AC")
    load = hourly[doc["load_column"]].to_numpy(dtype=float)
    n.add("Load", "facility", bus=BUS, p_set=pd.Series(load, index=n.snapshots))
    _add_generators(n, doc, hourly)
    _add_storage(n, doc)
    _add_grid_and_slack(n, doc, hourly)
    return n, _extra_functionality(doc, hourly), comparable_constant(doc)


def _per_generator(n: pypsa.Network, values: dict[str, np.ndarray | float]) -> xr.DataArray:
    """A (snapshot, name) coefficient array over all generators, zero where not given."""
    names = list(n.generators.index)
    data = np.zeros((len(n.snapshots), len(names)))
    for j, name in enumerate(names):
        if name in values:
            data[:, j] = values[name]
    return xr.DataArray(
        data, coords={"snapshot": n.snapshots, "name": names}, dims=("snapshot", "name")
    )


def _extra_functionality(doc: dict[str, Any], hourly: pd.DataFrame) -> Extra:
    """Rows PyPSA has no component for: storage coupling, demand charge, campus targets."""
    c, grid = doc["constraints"], doc["grid"]
    load = hourly[doc["load_column"]].to_numpy(dtype=float)
    weights = hourly[doc["weights_column"]].to_numpy(dtype=float)
    facility_mwh = float(weights @ load)
    gens = doc["generators"]

    def extra(n: pypsa.Network, snapshots: Any) -> None:
        m = n.model
        w = xr.DataArray(weights, coords={"snapshot": n.snapshots}, dims="snapshot")
        p = m["Generator-p"]
        has_grid = "grid" in n.generators.index
        for s in doc["storage"]:
            key = s["key"]
            p_ch = m["Link-p_nom"].sel(name=f"{key}:charge", drop=True)
            p_dis = m["Link-p_nom"].sel(name=f"{key}:discharge", drop=True)
            e_nom = m["Store-e_nom"].sel(name=key, drop=True)
            m.add_constraints(p_ch - s["efficiency_discharge"] * p_dis == 0, name=f"{key}-tie")
            if s["duration_min_h"] > 0:
                m.add_constraints(e_nom - s["duration_min_h"] * p_ch >= 0, name=f"{key}-dmin")
            h_max = float(s["duration_max_h"])
            if math.isfinite(h_max) and h_max > 0:
                m.add_constraints(e_nom - h_max * p_ch <= 0, name=f"{key}-dmax")
        if has_grid and grid["demand_charge_usd_per_kw_month"] > 0:
            peak = m.add_variables(lower=0, upper=grid["import_limit_mw"], name="grid_peak")
            m.add_constraints(p.sel(name="grid", drop=True) - peak <= 0, name="grid_peak")
            cost = DEMAND_CHARGE_FACTOR * grid["demand_charge_usd_per_kw_month"]
            m.add_objective(m.objective.expression + cost * peak, overwrite=True)
        if c["firm_capacity"]:
            rhs = firm_requirement_mw(doc, load)
            rhs -= sum(g["capacity_credit"] * g["p_nom_existing"] for g in gens)
            if has_grid:
                rhs -= grid["firm_fraction"] * grid["import_limit_mw"]
            credit = xr.DataArray(
                [g["capacity_credit"] for g in gens],
                coords={"name": [g["key"] for g in gens]},
                dims="name",
            )
            if not gens and not doc["storage"]:
                # nothing to build: the requirement holds or the problem is infeasible
                if rhs > 1e-9:
                    raise RuntimeError(f"firm capacity short by {rhs} MW with nothing to build")
            else:
                new = m["Generator-p_nom"].sel(name=credit.coords["name"].values)
                lhs = (new * credit).sum()
                for s in doc["storage"]:
                    lhs += s["capacity_credit"] * m["Link-p_nom"].sel(
                        name=f"{s['key']}:charge", drop=True
                    )
                m.add_constraints(lhs >= rhs, name="firm_capacity")
        if c["co2_cap_t_per_year"] is not None:
            rates: dict[str, np.ndarray | float] = {}
            for g in gens:
                rates[g["key"]] = rates[f"{g['key']}:existing"] = g["emissions_t_per_mwh"]["co2"]
            if has_grid:
                rates["grid"] = hourly[grid["emission_columns"]["co2"]].to_numpy()
            coeff = _per_generator(n, rates) * w
            m.add_constraints((p * coeff).sum() <= c["co2_cap_t_per_year"], name="co2_cap")
        if c["min_clean_share"] is not None:
            share: dict[str, np.ndarray | float] = {"spill": 1.0}  # p_spill = -x_t
            for g in gens:
                if g["clean"]:
                    share[g["key"]] = share[f"{g['key']}:existing"] = 1.0
            if has_grid:
                share["grid"] = grid["clean_fraction"]
            coeff = _per_generator(n, share) * w
            rhs = c["min_clean_share"] * facility_mwh
            m.add_constraints((p * coeff).sum() >= rhs, name="clean_share")
        if c["max_unserved_fraction"] < 1.0 and "unserved" in n.generators.index:
            rhs = c["max_unserved_fraction"] * facility_mwh
            m.add_constraints(
                (p.sel(name="unserved", drop=True) * w).sum() <= rhs, name="unserved_limit"
            )

    return extra


def solve_files(
    directory: str | Path, *, threads: int = 1, io_api: str | None = None
) -> CrossCheckResult:
    """Build the PyPSA model from a plan folder, solve it with HiGHS, report in aip's terms.

    ``read_seconds`` is reading the two files; ``build_seconds`` building the network and
    the linopy model (with the extra rows);
    ``solve_seconds`` is linopy's ``solve`` (handing the model to HiGHS and solving);
    ``extract_seconds`` is writing the solution back to the network (``assign_solution``).
    """
    start = time.perf_counter()
    doc, hourly = read_plan_files(directory)
    read = time.perf_counter()
    n, extra, constant = build_network(doc, hourly)
    m = n.optimize.create_model(include_objective_constant=False)
    extra(n, n.snapshots)
    built = time.perf_counter()
    status, condition = m.solve(
        solver_name="highs",
        io_api=io_api,
        progress=False,
        threads=threads,
        output_flag=False,
    )
    solved = time.perf_counter()
    if status != "ok" or condition != "optimal":
        raise RuntimeError(f"PyPSA/HiGHS ended with {status}/{condition}")
    n.optimize.assign_solution()
    extracted = time.perf_counter()
    new = m["Generator-p_nom"].solution.to_pandas()
    p_nom: dict[str, float] = {}
    for g in doc["generators"]:
        p_nom[g["key"]] = g["p_nom_existing"] + float(new[g["key"]])
    links = m["Link-p_nom"].solution.to_pandas() if doc["storage"] else pd.Series(dtype=float)
    stores = m["Store-e_nom"].solution.to_pandas() if doc["storage"] else pd.Series(dtype=float)
    e_nom: dict[str, float] = {}
    for s in doc["storage"]:
        p_nom[s["key"]] = float(links[f"{s['key']}:charge"])
        e_nom[s["key"]] = float(stores[s["key"]])
    objective = m.objective.value
    assert objective is not None  # an optimal status always carries a value
    return CrossCheckResult(
        objective_usd_per_year=float(objective) + constant,
        p_nom_mw=p_nom,
        e_nom_mwh=e_nom,
        read_seconds=read - start,
        build_seconds=built - read,
        solve_seconds=solved - built,
        extract_seconds=extracted - solved,
        network=n,
    )
