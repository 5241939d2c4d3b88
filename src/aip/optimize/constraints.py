"""Constraint families of the campus model, one function each.

Notation: generators ``g``, storage ``s``, snapshots ``t`` with weights ``w_t``
[h]; ``P_g = P_g^0 + P_g^new`` is total capacity (existing plus new). Every
function adds one named block of rows to the :class:`LinearProblem`; the block
name is what diagnostics and duals refer to.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from aip.optimize.inputs import ModelInputs, firm_unit_groups
from aip.optimize.problem import LinearProblem
from aip.optimize.variables import Variables

Terms = list[tuple[ArrayLike, ArrayLike]]


def add_energy_balance(lp: LinearProblem, inputs: ModelInputs, v: Variables) -> None:
    """Supply meets the facility load every hour.

    ``sum_g p_gt + sum_s (d_st - c_st) + i_t + u_t + k_t - x_t = L_t`` for all ``t``,
    with grid import ``i``, unserved load ``u``, paused (curtailed) compute ``k`` and
    spilled surplus ``x``.
    """
    n_g, n_s = len(inputs.generators), len(inputs.storage)
    terms: Terms = []
    for g in range(n_g):
        terms.append((1.0, v.p[g]))
    for s in range(n_s):
        terms.append((1.0, v.discharge[s]))
        terms.append((-1.0, v.charge[s]))
    terms += [(1.0, v.grid_import), (1.0, v.unserved)]
    if v.spill.size:
        terms.append((-1.0, v.spill))
    if v.curtail.size:
        terms.append((1.0, v.curtail))
    lp.add_constraints("energy_balance", terms, lower=inputs.load_mw, upper=inputs.load_mw)


def add_availability(lp: LinearProblem, inputs: ModelInputs, v: Variables) -> None:
    """Output is limited by hourly availability times capacity.

    ``p_gt - cf_gt P_g^new <= cf_gt P_g^0`` for all ``g, t`` (``cf = 1`` for
    dispatchable plant).
    """
    n_t = inputs.n_snapshots
    for g, gen in enumerate(inputs.generators):
        cf = gen.cf if gen.cf is not None else np.ones(n_t)
        lp.add_constraints(
            f"availability[{gen.key}]",
            [(1.0, v.p[g]), (-cf, v.p_nom[g])],
            upper=cf * gen.p_nom_existing,
        )


def add_must_run(lp: LinearProblem, inputs: ModelInputs, v: Variables) -> None:
    """Must-run plant stays above its minimum stable output.

    ``p_gt - m_g cf_gt P_g^new >= m_g cf_gt P_g^0`` for generators with
    ``m_g > 0`` (the linear relaxation of a minimum stable level: the whole fleet
    stays committed, as a nuclear plant or a take-or-pay PPA does).
    """
    n_t = inputs.n_snapshots
    for g, gen in enumerate(inputs.generators):
        if gen.min_stable_pu <= 0:
            continue
        cf = gen.cf if gen.cf is not None else np.ones(n_t)
        m = gen.min_stable_pu * cf
        lp.add_constraints(
            f"must_run[{gen.key}]",
            [(1.0, v.p[g]), (-m, v.p_nom[g])],
            lower=m * gen.p_nom_existing,
        )


def add_storage_dynamics(lp: LinearProblem, inputs: ModelInputs, v: Variables) -> None:
    """Storage power, energy, state of charge and duration.

    For every storage ``s`` (total power ``P_s``, energy ``E_s``):

    - ``c_st <= P_s``, ``d_st <= P_s``, ``e_st <= E_s``;
    - cyclic state of charge: ``e_st = e_s,t-1 + h_t (eta_c c_st - d_st / eta_d)`` with
      ``h_t`` the snapshot's length (its weight, except with typical days)
      with ``e_s,-1 = e_s,T-1``; with typical periods (``period_hours``) each period is
      cyclic on its own, so storage shifts energy within a period but not between them;
    - duration bounds: ``h_min P_s <= E_s <= h_max P_s``.
    """
    n_t = inputs.n_snapshots
    w = inputs.durations
    for s, st in enumerate(inputs.storage):
        key = st.key
        p0, e0 = st.p_nom_existing, st.e_nom_existing
        lp.add_constraints(
            f"storage_charge_limit[{key}]",
            [(1.0, v.charge[s]), (-1.0, v.storage_p_nom[s])],
            upper=p0,
        )
        lp.add_constraints(
            f"storage_discharge_limit[{key}]",
            [(1.0, v.discharge[s]), (-1.0, v.storage_p_nom[s])],
            upper=p0,
        )
        lp.add_constraints(
            f"storage_energy_limit[{key}]",
            [(1.0, v.soc[s]), (-1.0, v.storage_e_nom[s])],
            upper=e0,
        )
        previous = _previous_snapshot(v.soc[s], inputs.period_hours)
        lp.add_constraints(
            f"storage_soc[{key}]",
            [
                (1.0, v.soc[s]),
                (-1.0, previous),
                (-w * st.efficiency_charge, v.charge[s]),
                (w / st.efficiency_discharge, v.discharge[s]),
            ],
            lower=np.zeros(n_t),
            upper=np.zeros(n_t),
        )
        if st.duration_min_h > 0:
            lp.add_constraints(
                f"storage_duration_min[{key}]",
                [(1.0, v.storage_e_nom[s]), (-st.duration_min_h, v.storage_p_nom[s])],
                lower=st.duration_min_h * p0 - e0,
            )
        if np.isfinite(st.duration_max_h) and st.duration_max_h > 0:
            lp.add_constraints(
                f"storage_duration_max[{key}]",
                [(1.0, v.storage_e_nom[s]), (-st.duration_max_h, v.storage_p_nom[s])],
                upper=st.duration_max_h * p0 - e0,
            )


def _previous_snapshot(cols: np.ndarray, period_hours: int | None) -> np.ndarray:
    """Column of the snapshot before each one, wrapping within each period."""
    if period_hours is None or period_hours >= cols.size:
        return np.roll(cols, 1)
    blocks = cols.reshape(-1, period_hours)
    return np.roll(blocks, 1, axis=1).ravel()


def add_grid_peak(lp: LinearProblem, inputs: ModelInputs, v: Variables) -> None:
    """Peak import for the demand charge (the import limit itself is a variable bound).

    ``i_t - i^peak <= 0`` for all ``t``; added only when a demand charge applies.
    """
    if inputs.grid.demand_charge_usd_per_kw_month <= 0 or not inputs.grid.enabled:
        return
    lp.add_constraints(
        "grid_peak",
        [(1.0, v.grid_import), (-1.0, np.broadcast_to(v.grid_peak, v.grid_import.shape))],
        upper=0.0,
    )


def add_firm_capacity(lp: LinearProblem, inputs: ModelInputs, v: Variables) -> None:
    """Firm capacity covers peak load, a reserve margin and the loss of the largest units.

    ``sum_g k_g P_g + sum_s k_s P_s + f I^max - n x >= L^peak (1 + r) + n U``

    with capacity credits ``k``, grid firm fraction ``f``, import limit ``I^max``,
    reserve margin ``r`` and ``n`` (N+n) losses of one unit each, at most ``U + x`` of
    firm capacity: ``U`` is the largest allowed firm unit (times its credit), or the
    contingency level's lower bound (:attr:`ModelInputs.contingency_level`, where ``x`` is
    the ``unit_loss`` variable, else absent). With a level, every technology whose units
    lose more than ``U`` is capped at the loss in total (a unit cannot lose more than is
    built), its new capacity by its bounds when the level is one value, else by one row:

    ``sum_{g in k} k_g P_g^new - x <= U - sum_{g in k} k_g P_g^existing``
    (``unit_loss_cap[k]``)

    :mod:`aip.optimize.contingency` picks the level.
    """
    if not inputs.firm_capacity:
        return
    gens = inputs.generators
    grid = inputs.grid
    existing = sum(g.capacity_credit * g.p_nom_existing for g in gens)
    existing += sum(s.capacity_credit * s.p_nom_existing for s in inputs.storage)
    grid_firm = grid.firm_fraction * grid.import_limit_mw if grid.enabled else 0.0
    rhs = inputs.firm_requirement_mw - existing - grid_firm
    terms: Terms = [
        (np.array([g.capacity_credit for g in gens]), v.p_nom),
        (np.array([s.capacity_credit for s in inputs.storage]), v.storage_p_nom),
    ]
    if v.unit_loss.size:
        terms.append((-float(inputs.n_minus), v.unit_loss))
    lp.add_sum_constraint("firm_capacity", terms, lower=rhs)
    if not v.unit_loss.size or inputs.contingency_level is None:
        return
    lower = inputs.contingency_level[0]
    for key, size in firm_unit_groups(inputs).items():
        if size <= lower:
            continue
        members = np.array([i for i, g in enumerate(gens) if g.group_key == key])
        credit = np.array([gens[i].capacity_credit for i in members])
        built = float(credit @ np.array([gens[i].p_nom_existing for i in members]))
        lp.add_sum_constraint(
            f"unit_loss_cap[{key}]",
            [(credit, v.p_nom[members]), (-1.0, v.unit_loss)],
            upper=lower - built,
        )


def add_co2_cap(lp: LinearProblem, inputs: ModelInputs, v: Variables) -> None:
    """Annual CO2 emissions stay under the cap.

    ``sum_t w_t (sum_g e_g p_gt + e_t^grid i_t) <= CO2^max``.
    """
    if inputs.co2_cap_t_per_year is None:
        return
    w = inputs.weights
    terms: Terms = [
        (w * g.emissions_t_per_mwh["co2"], v.p[i]) for i, g in enumerate(inputs.generators)
    ]
    terms.append((w * inputs.grid.emissions_t_per_mwh["co2"], v.grid_import))
    lp.add_sum_constraint("co2_cap", terms, upper=inputs.co2_cap_t_per_year)


def add_capacity_groups(lp: LinearProblem, inputs: ModelInputs, v: Variables) -> None:
    """Variants of one technology (its NOx controls) share its capacity limits.

    ``P^min_k <= sum_{g in k} P_g <= P^max_k`` for every group ``k`` with more than one
    member; the limits are those of the technology the variants derive from.
    """
    groups: dict[str, list[int]] = {}
    for i, g in enumerate(inputs.generators):
        groups.setdefault(g.group_key, []).append(i)
    for key, members in groups.items():
        if len(members) < 2:
            continue
        first = inputs.generators[members[0]]
        existing = sum(inputs.generators[i].p_nom_existing for i in members)
        lp.add_sum_constraint(
            f"capacity_group[{key}]",
            [(1.0, v.p_nom[np.array(members)])],
            lower=first.p_nom_min - existing,
            upper=first.p_nom_max - existing,
        )


def add_nox_cap(lp: LinearProblem, inputs: ModelInputs, v: Variables) -> None:
    """Annual NOx from the on-site units stays under the air permit's cap.

    ``sum_t w_t sum_g n_g p_gt <= NOx^max`` (grid imports are the utility's emissions,
    not the site's, so they do not count against the site permit).
    """
    if inputs.nox_cap_t_per_year is None:
        return
    w = inputs.weights
    terms: Terms = [
        (w * g.emissions_t_per_mwh["nox"], v.p[i]) for i, g in enumerate(inputs.generators)
    ]
    lp.add_sum_constraint("nox_cap", terms, upper=inputs.nox_cap_t_per_year)


def add_cfe_share(lp: LinearProblem, inputs: ModelInputs, v: Variables) -> None:
    """24/7 carbon-free energy: clean supply matched to the load hour by hour.

    ``y_t <= sum_{g clean} p_gt + sum_s (d_st - c_st) + phi_t i_t - x_t``, ``y_t <= L_t``
    and ``sum_t w_t y_t >= s^min sum_t w_t L_t``, with ``y_t`` free below: storage charged
    in an hour without clean surplus lowers that hour's score by what it later adds back
    (less losses), so storage only shifts clean energy. ``phi_t`` is the hourly clean share
    of grid imports. Spilled surplus ``x_t`` (only with must-run plant) counts as if it
    were clean, as in :func:`add_clean_share`, so that importing grid power only to dump
    it cannot buy CFE credit.
    """
    if inputs.min_cfe_share is None:
        return
    n_g, n_s = len(inputs.generators), len(inputs.storage)
    terms: Terms = [(1.0, v.cfe)]
    terms += [(-1.0, v.p[i]) for i in range(n_g) if inputs.generators[i].clean]
    for s in range(n_s):
        terms += [(-1.0, v.discharge[s]), (1.0, v.charge[s])]
    terms.append((-inputs.grid.cfe_fraction, v.grid_import))
    if v.spill.size:
        terms.append((1.0, v.spill))
    lp.add_constraints("cfe_supply", terms, upper=0.0)
    lp.add_constraints("cfe_load", [(1.0, v.cfe)], upper=inputs.load_mw)
    w = inputs.weights
    rhs = inputs.min_cfe_share * float(w @ inputs.load_mw)
    lp.add_sum_constraint("cfe_share", [(w, v.cfe)], lower=rhs)


def add_clean_share(lp: LinearProblem, inputs: ModelInputs, v: Variables) -> None:
    """A minimum annual share of the facility energy comes from clean sources.

    ``sum_t w_t (sum_{g clean} p_gt + phi i_t - x_t) >= s^min sum_t w_t L_t``

    with the grid's clean fraction ``phi``; spilled surplus ``x`` is subtracted
    as if it were clean (conservative).
    """
    if inputs.min_clean_share is None:
        return
    w = inputs.weights
    terms: Terms = [(w, v.p[i]) for i, g in enumerate(inputs.generators) if g.clean]
    terms.append((w * inputs.grid.clean_fraction, v.grid_import))
    if v.spill.size:
        terms.append((-w, v.spill))
    rhs = inputs.min_clean_share * float(w @ inputs.load_mw)
    lp.add_sum_constraint("clean_share", terms, lower=rhs)


def add_curtailment_limit(lp: LinearProblem, inputs: ModelInputs, v: Variables) -> None:
    """Paused compute stays under its annual energy budget.

    ``sum_t w_t k_t <= e^max sum_t w_t L_t``, with ``0 <= k_t <= f L_t`` as bounds; the
    firm requirement covers only ``(1 - f)`` of the peak (:attr:`firm_requirement_mw`).
    """
    if not v.curtail.size:
        return
    w = inputs.weights
    rhs = inputs.max_curtailed_energy_fraction * float(w @ inputs.load_mw)
    lp.add_sum_constraint("curtailment_limit", [(w, v.curtail)], upper=rhs)


def add_unserved_limit(lp: LinearProblem, inputs: ModelInputs, v: Variables) -> None:
    """Unserved energy stays under a share of the facility energy.

    ``sum_t w_t u_t <= f^max sum_t w_t L_t``; added only when ``f^max < 1``.
    """
    if inputs.max_unserved_fraction >= 1.0:
        return
    w = inputs.weights
    rhs = inputs.max_unserved_fraction * float(w @ inputs.load_mw)
    lp.add_sum_constraint("unserved_limit", [(w, v.unserved)], upper=rhs)
