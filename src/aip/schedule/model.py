"""The multi-period (staged build) campus LP.

Periods ``p`` (length ``y_p`` years, ``m_p`` months), representative hours ``t``
of weight ``w_p`` hours, owned generators ``g``, storage ``s``, leased bridges
``b``. Per-MW numbers are the single-year model's (:class:`ModelInputs`), so both
models price a MW and a MWh the same way.

Objective (USD over the plan)::

    min  sum_{g,p} (C_g + F_g) Y_p B_gp          annuity + FOM while the build exists
       + sum_{s,p} ((C_s^P + F_s) Y_p B^P_sp + C_s^E Y_p B^E_sp)
       + sum_{b,p} lease_b m_p L_bp             leased bridge capacity
       + sum_{p,t} w_p [ sum_g m_g p_gpt + sum_b m_b q_bpt + pi_t i_pt
                         + VoLL u_pt + v_s d_spt ]
       + sum_p 1000 D m_p i^peak_p              demand charge per month
       + const (FOM of existing capacity over the plan)

with ``Y_p = sum_{q >= p} y_q`` the years from period ``p`` to the end of the
plan (capacity carries forward once built; its annuity is paid while it exists
inside the plan).

Constraints:

- carry forward: ``K_gp = K_g,p-1 + B_gp`` (``K_g,-1 = existing``), the same for
  storage power and energy; ``B_gp = 0`` unless the start of ``p`` is on or after
  the technology's earliest in-service date; ``K_gp <= p_nom_max``;
- balance: ``sum_g p + sum_b q + sum_s (d - c) + i + u - x = a_p L_t`` with the
  period's installed compute share ``a_p``;
- availability ``p_gpt <= cf_t K_gp``, must-run ``p_gpt >= m_g cf_t K_gp``;
  bridges ``q_bpt <= L_bp`` (leases are per period, so they can be released);
- grid ``i_pt <= I_p`` (time-averaged step limit), ``i_pt <= i^peak_p``;
- storage: ``c, d <= K^P``, ``e <= K^E``, duration bounds, and a cyclic state of
  charge within each representative day (hourly steps);
- ``u_pt = 0`` for periods starting on or after a target full-power date.

Firm capacity (N+k), annual CO2 caps and clean-share targets belong to the
single-year plan of the full build; the staged model prices shortfall at the
value of idle compute instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from aip.optimize.inputs import ModelInputs
from aip.optimize.problem import Index, LinearProblem
from aip.schedule.periods import HOURS_PER_DAY, Period
from aip.schedule.timing import Bridge


@dataclass(frozen=True)
class ScheduleInputs:
    """All numbers of the staged model.

    ``available_from`` maps technology keys to earliest in-service dates;
    ``gpu_share`` [P] is the time-averaged installed share of the full compute and
    ``grid_limit_mw`` [P] the time-averaged import limit. ``serve_all_from``: no
    unserved load in periods starting on or after it; ``build_until``: no new
    owned capacity in periods starting on or after it (the steady-state check).
    """

    inputs: ModelInputs
    periods: list[Period]
    gpu_share: NDArray[np.float64]
    grid_limit_mw: NDArray[np.float64]
    available_from: dict[str, dt.date]
    bridges: list[Bridge]
    serve_all_from: dt.date | None = None
    build_until: dt.date | None = None


@dataclass(frozen=True)
class ScheduleVariables:
    """Column indices: builds/capacities [G or S, P], dispatch [., P, T], leases [B, P]."""

    build: Index
    cap: Index
    st_build_p: Index
    st_build_e: Index
    st_cap_p: Index
    st_cap_e: Index
    lease: Index
    p: Index
    q: Index
    charge: Index
    discharge: Index
    soc: Index
    grid: Index
    grid_peak: Index
    unserved: Index
    spill: Index


def _allowed(si: ScheduleInputs, key: str) -> NDArray[np.bool_]:
    # NOx-control variants of one technology share its in-service date
    when = si.available_from.get(key, si.periods[0].start)
    until = si.build_until
    return np.array([p.start >= when and (until is None or p.start < until) for p in si.periods])


def _group(g: object) -> str:
    """The technology a generator belongs to (variants carry ``group_key``)."""
    return str(getattr(g, "group_key", getattr(g, "key", "")))


def period_load(si: ScheduleInputs) -> NDArray[np.float64]:
    """Facility load of every representative hour [P, T] [MW]."""
    base = np.stack([si.inputs.load_mw[p.hours_index] for p in si.periods])
    return base * si.gpu_share.reshape(-1, 1)


def build_schedule_model(si: ScheduleInputs) -> tuple[LinearProblem, ScheduleVariables]:
    """Assemble the staged LP (see the module notes for the equations)."""
    inp, periods = si.inputs, si.periods
    gens, stores, brs = inp.generators, inp.storage, si.bridges
    n_p, n_t = len(periods), len(periods[0].hours_index)
    n_g, n_s, n_b = len(gens), len(stores), len(brs)
    years = np.array([p.years for p in periods])
    remaining = np.cumsum(years[::-1])[::-1]
    months = np.array([p.months for p in periods])
    w = np.array([p.weight_h for p in periods]).reshape(n_p, 1)
    hidx = np.stack([p.hours_index for p in periods])
    load = period_load(si)
    lp = LinearProblem()

    def upper_build(key: str, new_max: float) -> NDArray[np.float64]:
        return np.where(_allowed(si, key), max(0.0, new_max), 0.0)

    build = lp.add_variables(
        "build",
        (n_g, n_p),
        upper=np.array(
            [upper_build(_group(g), g.p_nom_max - g.p_nom_existing) for g in gens]
        ).reshape(n_g, n_p),
        cost=np.outer(
            [g.capital_cost_usd_per_mw_year + g.fixed_om_usd_per_mw_year for g in gens], remaining
        ).reshape(n_g, n_p),
    )
    cap = lp.add_variables(
        "cap", (n_g, n_p), upper=np.array([[g.p_nom_max] * n_p for g in gens]).reshape(n_g, n_p)
    )
    lp.add_constant(sum(g.fixed_om_usd_per_mw_year * g.p_nom_existing for g in gens) * years.sum())
    st_build_p = lp.add_variables(
        "storage_build_p",
        (n_s, n_p),
        upper=np.array(
            [upper_build(s.key, s.p_nom_max - s.p_nom_existing) for s in stores]
        ).reshape(n_s, n_p),
        cost=np.outer(
            [s.capital_cost_usd_per_mw_year + s.fixed_om_usd_per_mw_year for s in stores],
            remaining,
        ).reshape(n_s, n_p),
    )
    st_build_e = lp.add_variables(
        "storage_build_e",
        (n_s, n_p),
        upper=np.array(
            [upper_build(s.key, s.e_nom_max - s.e_nom_existing) for s in stores]
        ).reshape(n_s, n_p),
        cost=np.outer([s.capital_cost_usd_per_mwh_year for s in stores], remaining).reshape(
            n_s, n_p
        ),
    )
    st_cap_p = lp.add_variables("storage_cap_p", (n_s, n_p))
    st_cap_e = lp.add_variables("storage_cap_e", (n_s, n_p))
    lp.add_constant(
        sum(s.fixed_om_usd_per_mw_year * s.p_nom_existing for s in stores) * years.sum()
    )
    lease = lp.add_variables(
        "lease",
        (n_b, n_p),
        upper=np.array(
            [[b.p_nom_max if p.start >= b.available_from else 0.0 for p in periods] for b in brs]
        ).reshape(n_b, n_p),
        cost=np.outer([b.lease_usd_per_mw_month for b in brs], months).reshape(n_b, n_p),
    )
    marginal = np.array([g.marginal_cost_usd_per_mwh for g in gens]).reshape(n_g, 1, 1)
    p = lp.add_variables("p", (n_g, n_p, n_t), cost=marginal * w)
    q_cost = np.array([b.generator.marginal_cost_usd_per_mwh for b in brs]).reshape(n_b, 1, 1)
    q = lp.add_variables("q", (n_b, n_p, n_t), cost=q_cost * w)
    vom = np.array([s.variable_om_usd_per_mwh for s in stores]).reshape(n_s, 1, 1)
    charge = lp.add_variables("charge", (n_s, n_p, n_t))
    discharge = lp.add_variables("discharge", (n_s, n_p, n_t), cost=vom * w)
    soc = lp.add_variables("soc", (n_s, n_p, n_t))
    g_in = inp.grid
    price = g_in.price_usd_per_mwh + g_in.carbon_price_usd_per_t * g_in.emissions_t_per_mwh["co2"]
    limit = si.grid_limit_mw.reshape(n_p, 1) * np.ones((1, n_t))
    grid = lp.add_variables("grid_import", (n_p, n_t), upper=limit, cost=w * price[hidx])
    grid_peak = lp.add_variables(
        "grid_peak",
        n_p,
        upper=si.grid_limit_mw,
        cost=1000.0 * g_in.demand_charge_usd_per_kw_month * months,
    )
    must_serve = np.array(
        [si.serve_all_from is not None and per.start >= si.serve_all_from for per in periods]
    )
    unserved = lp.add_variables(
        "unserved",
        (n_p, n_t),
        upper=np.where(must_serve.reshape(n_p, 1), 0.0, load),
        cost=w * inp.unserved_cost_usd_per_mwh,
    )
    spill = lp.add_variables("spill", (n_p, n_t))
    v = ScheduleVariables(
        build, cap, st_build_p, st_build_e, st_cap_p, st_cap_e, lease,
        p, q, charge, discharge, soc, grid, grid_peak, unserved, spill,
    )  # fmt: skip
    lp.linking = np.concatenate(
        [a.ravel() for a in (build, cap, st_build_p, st_build_e, st_cap_p, st_cap_e, lease)]
        + [grid_peak]
    )
    _add_carry_forward(lp, si, v)
    _add_balance_and_limits(lp, si, v, load, hidx)
    _add_storage(lp, si, v)
    return lp, v


def _carry(lp: LinearProblem, name: str, cap: Index, build: Index, existing: float) -> None:
    """``K_p - K_{p-1} - B_p = 0`` with ``K_{-1} = existing``."""
    previous = np.concatenate([[cap[0]], cap[:-1]])
    first = np.zeros(len(cap))
    first[0] = 1.0
    lp.add_constraints(
        name,
        [(1.0, cap), (first - 1.0, previous), (-1.0, build)],
        lower=existing * first,
        upper=existing * first,
    )


def _add_carry_forward(lp: LinearProblem, si: ScheduleInputs, v: ScheduleVariables) -> None:
    for i, g in enumerate(si.inputs.generators):
        _carry(lp, f"carry[{g.key}]", v.cap[i], v.build[i], g.p_nom_existing)
    for j, s in enumerate(si.inputs.storage):
        _carry(lp, f"carry_p[{s.key}]", v.st_cap_p[j], v.st_build_p[j], s.p_nom_existing)
        _carry(lp, f"carry_e[{s.key}]", v.st_cap_e[j], v.st_build_e[j], s.e_nom_existing)


def _add_balance_and_limits(
    lp: LinearProblem,
    si: ScheduleInputs,
    v: ScheduleVariables,
    load: NDArray[np.float64],
    hidx: NDArray[np.int64],
) -> None:
    n_p, n_t = load.shape
    terms: list[tuple[object, Index]] = [(1.0, v.p[i]) for i in range(len(si.inputs.generators))]
    terms += [(1.0, v.q[b]) for b in range(len(si.bridges))]
    for j in range(len(si.inputs.storage)):
        terms += [(1.0, v.discharge[j]), (-1.0, v.charge[j])]
    terms += [(1.0, v.grid), (1.0, v.unserved), (-1.0, v.spill)]
    lp.add_constraints("energy_balance", terms, lower=load, upper=load)  # type: ignore[arg-type]
    for i, g in enumerate(si.inputs.generators):
        cf = g.cf[hidx] if g.cf is not None else np.ones((n_p, n_t))
        cap = np.broadcast_to(v.cap[i].reshape(n_p, 1), (n_p, n_t))
        lp.add_constraints(f"availability[{g.key}]", [(1.0, v.p[i]), (-cf, cap)], upper=0.0)
        if g.min_stable_pu > 0:
            m = g.min_stable_pu * cf
            lp.add_constraints(f"must_run[{g.key}]", [(1.0, v.p[i]), (-m, cap)], lower=0.0)
    for b, br in enumerate(si.bridges):
        leased = np.broadcast_to(v.lease[b].reshape(n_p, 1), (n_p, n_t))
        lp.add_constraints(f"bridge_limit[{br.key}]", [(1.0, v.q[b]), (-1.0, leased)], upper=0.0)
    if si.inputs.grid.demand_charge_usd_per_kw_month > 0:
        peak = np.broadcast_to(v.grid_peak.reshape(n_p, 1), (n_p, n_t))
        lp.add_constraints("grid_peak", [(1.0, v.grid), (-1.0, peak)], upper=0.0)


def _add_storage(lp: LinearProblem, si: ScheduleInputs, v: ScheduleVariables) -> None:
    n_p, n_t = v.grid.shape
    days = n_t // HOURS_PER_DAY
    for j, st in enumerate(si.inputs.storage):
        cap_p = np.broadcast_to(v.st_cap_p[j].reshape(n_p, 1), (n_p, n_t))
        cap_e = np.broadcast_to(v.st_cap_e[j].reshape(n_p, 1), (n_p, n_t))
        lp.add_constraints(
            f"charge_limit[{st.key}]", [(1.0, v.charge[j]), (-1.0, cap_p)], upper=0.0
        )
        lp.add_constraints(
            f"discharge_limit[{st.key}]", [(1.0, v.discharge[j]), (-1.0, cap_p)], upper=0.0
        )
        lp.add_constraints(f"energy_limit[{st.key}]", [(1.0, v.soc[j]), (-1.0, cap_e)], upper=0.0)
        # cyclic within each representative day: hour 0 follows hour 23 of the same day
        soc = v.soc[j].reshape(n_p, days, HOURS_PER_DAY)
        previous = np.roll(soc, 1, axis=2).reshape(n_p, n_t)
        lp.add_constraints(
            f"soc[{st.key}]",
            [
                (1.0, v.soc[j]),
                (-1.0, previous),
                (-st.efficiency_charge, v.charge[j]),
                (1.0 / st.efficiency_discharge, v.discharge[j]),
            ],
            lower=0.0,
            upper=0.0,
        )
        if st.duration_min_h > 0:
            lp.add_constraints(
                f"duration_min[{st.key}]",
                [(1.0, v.st_cap_e[j]), (-st.duration_min_h, v.st_cap_p[j])],
                lower=0.0,
            )
        if np.isfinite(st.duration_max_h) and st.duration_max_h > 0:
            lp.add_constraints(
                f"duration_max[{st.key}]",
                [(1.0, v.st_cap_e[j]), (-st.duration_max_h, v.st_cap_p[j])],
                upper=0.0,
            )
