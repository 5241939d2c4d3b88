"""Typed result of a time-to-power plan and its extraction from the solution."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from aip.optimize.solve import SolveOutcome
from aip.schedule.model import ScheduleInputs, ScheduleVariables, period_load

# Served or unserved energy below this share of a period's load counts as zero [-]
# (HiGHS feasibility tolerance is 1e-7 MW on loads of 1-1000 MW).
_TOLERANCE = 1e-6


@dataclass(frozen=True)
class ScheduleResult:
    """A staged plan: one row per period plus the dates and the cost of delay.

    Attributes
    ----------
    periods : list of dict
        Per period: ``period_start``, ``period_end``, ``hours`` [h], ``gpus`` (time-
        averaged installed) [-], ``p_nom_mw`` by source (owned capacity, leased
        bridges, ``grid`` import limit) [MW], ``e_nom_mwh`` [MWh], ``leased_mw`` [MW],
        ``energy_mwh`` by source, ``load_mwh``, ``served_mwh``, ``unserved_mwh`` [MWh],
        ``unserved_gpu_hours`` [GPU-h], ``cost_usd`` [USD].
    first_power_date, full_power_date : date or None
        Start of the first period that serves any load; the date from which all
        compute is installed and served to the end of the plan (None: not reached).
    cost_of_delay_usd : float
        Plan cost less the cost of the same plan with every lead time and queue at
        zero (grid at its final limit from the decision date) [USD].
    """

    periods: list[dict[str, Any]]
    first_power_date: dt.date | None
    full_power_date: dt.date | None
    cost_of_delay_usd: float
    objective_usd: float
    no_delay_objective_usd: float
    idle_compute_usd: float
    unserved_gpu_hours: float
    lease_usd: float
    notes: list[str] = field(default_factory=list)
    reduction_check: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the ``schedule`` section of ``aip plan --json``)."""
        out: dict[str, Any] = {
            "first_power_date": _iso(self.first_power_date),
            "full_power_date": _iso(self.full_power_date),
            "cost_of_delay_usd": self.cost_of_delay_usd,
            "objective_usd": self.objective_usd,
            "no_delay_objective_usd": self.no_delay_objective_usd,
            "idle_compute_usd": self.idle_compute_usd,
            "unserved_gpu_hours": self.unserved_gpu_hours,
            "lease_usd": self.lease_usd,
            "notes": list(self.notes),
            "periods": [dict(p) for p in self.periods],
        }
        if self.reduction_check is not None:
            out["reduction_check"] = dict(self.reduction_check)
        return out


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _values(x: np.ndarray, idx: np.ndarray) -> np.ndarray:
    vals = x[idx] if idx.size else np.zeros(idx.shape)
    return np.where(np.abs(vals) < 1e-9, 0.0, vals)


def period_rows(
    si: ScheduleInputs, v: ScheduleVariables, outcome: SolveOutcome, gpus: int,
    gpu_hours_per_mwh: float,
) -> list[dict[str, Any]]:  # fmt: skip
    """One JSON-ready row per period (see :class:`ScheduleResult`)."""
    x = outcome.x
    inp = si.inputs
    load = period_load(si)
    cap, st_p, st_e = _values(x, v.cap), _values(x, v.st_cap_p), _values(x, v.st_cap_e)
    lease, p, q = _values(x, v.lease), _values(x, v.p), _values(x, v.q)
    dis, grid, uns = _values(x, v.discharge), _values(x, v.grid), _values(x, v.unserved)
    rows = []
    for k, per in enumerate(si.periods):
        w = per.weight_h
        p_nom = {g.key: float(cap[i, k]) for i, g in enumerate(inp.generators)}
        p_nom.update({s.key: float(st_p[j, k]) for j, s in enumerate(inp.storage)})
        p_nom.update({b.key: float(lease[b_i, k]) for b_i, b in enumerate(si.bridges)})
        p_nom["grid"] = float(si.grid_limit_mw[k])
        energy = {g.key: float(p[i, k].sum() * w) for i, g in enumerate(inp.generators)}
        energy.update({b.key: float(q[b_i, k].sum() * w) for b_i, b in enumerate(si.bridges)})
        energy.update({s.key: float(dis[j, k].sum() * w) for j, s in enumerate(inp.storage)})
        energy["grid"] = float(grid[k].sum() * w)
        load_mwh = float(load[k].sum() * w)
        unserved_mwh = float(uns[k].sum() * w)
        rows.append(
            {
                "period_start": per.start.isoformat(),
                "period_end": per.end.isoformat(),
                "hours": per.hours,
                "gpus": float(si.gpu_share[k] * gpus),
                "p_nom_mw": p_nom,
                "e_nom_mwh": {s.key: float(st_e[j, k]) for j, s in enumerate(inp.storage)},
                "leased_mw": float(lease[:, k].sum()) if si.bridges else 0.0,
                "energy_mwh": energy,
                "load_mwh": load_mwh,
                "served_mwh": load_mwh - unserved_mwh,
                "unserved_mwh": unserved_mwh,
                "unserved_gpu_hours": unserved_mwh * gpu_hours_per_mwh,
                "cost_usd": _period_cost(si, v, x, k),
            }
        )
    return rows


def _period_cost(si: ScheduleInputs, v: ScheduleVariables, x: np.ndarray, k: int) -> float:
    """Cost attributed to period ``k`` [USD]: capacity held times its annual cost, plus
    leases, running costs and idle compute in the period."""
    inp, per = si.inputs, si.periods[k]
    y, w, m = per.years, per.weight_h, per.months
    cost = 0.0
    for i, g in enumerate(inp.generators):
        new = float(x[v.cap[i, k]]) - g.p_nom_existing
        cost += y * ((g.capital_cost_usd_per_mw_year + g.fixed_om_usd_per_mw_year) * new)
        cost += y * g.fixed_om_usd_per_mw_year * g.p_nom_existing
        cost += w * g.marginal_cost_usd_per_mwh * float(x[v.p[i, k]].sum())
    for j, s in enumerate(inp.storage):
        new_p = float(x[v.st_cap_p[j, k]]) - s.p_nom_existing
        new_e = float(x[v.st_cap_e[j, k]]) - s.e_nom_existing
        cost += y * (s.capital_cost_usd_per_mw_year + s.fixed_om_usd_per_mw_year) * new_p
        cost += y * s.capital_cost_usd_per_mwh_year * new_e
        cost += y * s.fixed_om_usd_per_mw_year * s.p_nom_existing
        cost += w * s.variable_om_usd_per_mwh * float(x[v.discharge[j, k]].sum())
    for b_i, b in enumerate(si.bridges):
        cost += m * b.lease_usd_per_mw_month * float(x[v.lease[b_i, k]])
        cost += w * b.generator.marginal_cost_usd_per_mwh * float(x[v.q[b_i, k]].sum())
    g_in = inp.grid
    price = g_in.price_usd_per_mwh + g_in.carbon_price_usd_per_t * g_in.emissions_t_per_mwh["co2"]
    cost += w * float(price[per.hours_index] @ x[v.grid[k]])
    cost += 1000.0 * g_in.demand_charge_usd_per_kw_month * m * float(x[v.grid_peak[k]])
    cost += w * inp.unserved_cost_usd_per_mwh * float(x[v.unserved[k]].sum())
    return cost


def power_dates(
    si: ScheduleInputs,
    rows: list[dict[str, Any]],
    first_delivery: dt.date,
    last_delivery: dt.date,
) -> tuple[dt.date | None, dt.date | None]:
    """First-power and full-power dates from the period rows (see :class:`ScheduleResult`)."""
    first = None
    for per, row in zip(si.periods, rows, strict=True):
        if row["served_mwh"] > _TOLERANCE * max(row["load_mwh"], 1.0):
            first = max(per.start, first_delivery)
            break
    full = None
    for per, row in reversed(list(zip(si.periods, rows, strict=True))):
        if row["unserved_mwh"] > _TOLERANCE * max(row["load_mwh"], 1.0):
            break
        full = per.start
    if full is not None:
        full = max(full, last_delivery)
    return first, full
