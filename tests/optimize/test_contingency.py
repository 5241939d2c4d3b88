"""N+k on the units a plan builds (aip.optimize.contingency).

The search is checked three ways: a hand-solvable case; an independent formulation of the
same rule as a HiGHS MILP (one binary per technology: either its whole unit counts, or its
built capacity does), over cases where the cheapest plan sits at different levels; and the
PyPSA cross-check, which rebuilds the plan's exported level (tests/crosscheck).
"""

from __future__ import annotations

import dataclasses
import json
import time
from typing import Any

import highspy
import numpy as np
import pytest
import scipy.sparse as sp

from aip.errors import InfeasibleError
from aip.optimize.build import build_model
from aip.optimize.contingency import at_level, levels_below_top, searches, unit_loss_mw
from aip.optimize.examples import generator, no_grid, storage, two_hour_example
from aip.optimize.inputs import ModelInputs, firm_unit_groups
from aip.optimize.run import optimize
from aip.report.html import key_numbers
from aip.results.export import inputs_document
from aip.results.summary_table import section_lines

#: HiGHS MILP and LP optima agree to its default tolerances (1e-7 relative gap, 1e-7
#: feasibility), far inside this.
RTOL = 1e-6


def _hand_case() -> ModelInputs:
    """100 MW for two hours, N+1: 50 MW turbines at 1,000 USD/MW-yr, an 800 MW nuclear unit
    at 5,000 allowed (never worth building). Counting the nuclear unit needs 900 MW of
    turbines (906,000 USD/yr); the turbines' own N+1 needs 150 MW (156,000)."""
    base = two_hour_example()
    pv, gas = base.generators
    nuclear = generator("nuclear", unit_size_mw=800.0, capital_cost_usd_per_mw_year=5000.0)
    gens = [pv, dataclasses.replace(gas, unit_size_mw=50.0), nuclear]
    return dataclasses.replace(base, generators=gens, n_minus=1)


def test_hand_case_counts_the_largest_unit_built() -> None:
    plan = optimize(_hand_case())
    assert plan.objective_usd_per_year == pytest.approx(156_000.0)
    assert plan.p_nom_mw == pytest.approx({"pv": 100.0, "gas_aero": 150.0, "nuclear": 0.0})
    section = plan.sections["contingency"]
    assert section["unit_loss_mw"] == 50.0 and section["largest_allowed_unit_mw"] == 800.0
    assert [level["level_mw"] for level in section["levels"]] == [
        [800.0, 800.0],
        [50.0, 800.0],
        [0.0, 50.0],
    ]
    assert section["levels"][0]["objective_usd_per_year"] == pytest.approx(906_000.0)
    assert "infeasible" in section["levels"][2]  # both capped at L: 2L >= 100 + L, L <= 50
    assert section["lps_solved"] == 3
    # the plan's inputs hold its level: the nuclear unit capped at the 50 MW loss
    assert plan.inputs.contingency_level == (50.0, 50.0)
    assert plan.inputs.contingency_mw == 50.0 and plan.inputs.firm_requirement_mw == 150.0
    assert plan.summary()["firm_capacity"]["contingency_mw"] == 50.0
    caps = {g.key: g.p_nom_max for g in plan.inputs.generators}
    assert caps == {"pv": np.inf, "gas_aero": np.inf, "nuclear": 50.0}
    doc = json.loads(json.dumps(inputs_document(plan.inputs), default=str))
    assert doc["constraints"]["contingency_mw"] == 50.0
    # what a MW more of the largest unit loss would cost: one more MW of turbines
    assert plan.shadow_prices["unit_loss"] == pytest.approx(1000.0)
    numbers = dict(key_numbers(plan.summary()))  # the HTML report's headline numbers
    assert numbers["N+1 unit losses [MW]"] == "50.0"
    assert numbers["Firm capacity required [MW]"] == "150.0"
    line = section_lines(plan.sections)[0]
    assert line.startswith("N+1: firm capacity covers 50.0 MW") and "800.0 MW" in line


def test_a_share_smaller_than_one_unit_is_lost_whole() -> None:
    """A 300 MW PPA share of an 835 MW unit loses 300 MW, not 835 (``p_nom_max`` below the
    unit size), and so does a plan that builds 300 MW of it."""
    base = _hand_case()
    ppa = dataclasses.replace(base.generators[2], p_nom_max=300.0)
    inputs = dataclasses.replace(base, generators=[*base.generators[:2], ppa])
    assert firm_unit_groups(inputs) == {"gas_aero": 50.0, "nuclear": 300.0}
    assert inputs.contingency_mw == 300.0
    assert unit_loss_mw(inputs, {"gas_aero": 120.0, "nuclear": 30.0}) == 50.0
    assert unit_loss_mw(inputs, {"gas_aero": 120.0, "nuclear": 70.0}) == 70.0
    assert unit_loss_mw(inputs, {"gas_aero": 0.0, "nuclear": 1e-6}) == 0.0  # solver noise


def test_a_plan_where_firm_capacity_does_not_bind_is_one_lp() -> None:
    """A firm grid connection covers the requirement at every level: the firm row's dual
    is 0, so the top level's bound rules out every level below it."""
    base = _hand_case()
    grid = dataclasses.replace(no_grid(2), enabled=True, import_limit_mw=2000.0)
    grid = dataclasses.replace(grid, price_usd_per_mwh=np.full(2, 1e4))
    plan = optimize(dataclasses.replace(base, grid=grid))
    section = plan.sections["contingency"]
    assert section["lps_solved"] == 1
    assert all("bound_usd_per_year" in level for level in section["levels"][1:])
    assert plan.inputs.contingency_mw == pytest.approx(unit_loss_mw(base, plan.p_nom_mw))


def test_no_search_without_n_minus_or_firm_capacity() -> None:
    base = _hand_case()
    assert searches(base)
    assert not searches(dataclasses.replace(base, n_minus=0))
    assert not searches(dataclasses.replace(base, firm_capacity=False))
    assert not searches(dataclasses.replace(base, contingency_level=(50.0, 50.0)))
    assert "contingency" not in optimize(dataclasses.replace(base, n_minus=0)).sections
    assert levels_below_top(base) == [(0.0, 50.0), (50.0, 800.0)]


def test_existing_big_units_set_a_floor() -> None:
    """An existing 650 MW unit loses 650 MW whatever the plan: the levels below are not
    solved (coal-backup's forced unit)."""
    base = _hand_case()
    coal = generator("coal", unit_size_mw=650.0, p_nom_existing=650.0, p_nom_max=650.0)
    inputs = dataclasses.replace(base, generators=[*base.generators[:2], coal])
    plan = optimize(inputs)
    section = plan.sections["contingency"]
    assert section["lps_solved"] == 1 and plan.inputs.contingency_mw == 650.0
    assert at_level(inputs, 0.0, 50.0) is None


def test_top_level_infeasible_but_a_lower_level_is_not() -> None:
    """N+2 on an 800 MW unit asks for 1,700 MW of firm capacity, more than the 850 MW of
    turbines and the unit can give; without the unit, N+2 on 50 MW turbines needs 200 MW."""
    base = _hand_case()
    pv, gas, nuclear = base.generators
    nuclear = dataclasses.replace(nuclear, p_nom_max=800.0)
    gas = dataclasses.replace(gas, p_nom_max=850.0)
    inputs = dataclasses.replace(base, generators=[pv, gas, nuclear], n_minus=2)
    plan = optimize(inputs)
    assert plan.p_nom_mw["gas_aero"] == pytest.approx(200.0)
    assert plan.inputs.contingency_mw == pytest.approx(100.0)
    assert "firm capacity" in plan.sections["contingency"]["levels"][0]["infeasible"]
    # 100 MW of turbines cannot cover N+2 at any level: the top level's reason is given
    tight = dataclasses.replace(gas, p_nom_max=100.0)
    with pytest.raises(InfeasibleError, match="firm capacity"):
        optimize(dataclasses.replace(inputs, generators=[pv, tight, nuclear]))


# --- independent check: the same rule as a MILP ------------------------------------------


def _milp_objective(inputs: ModelInputs) -> float:
    """The cheapest plan under N+k on built units, as a HiGHS MILP.

    aip's model without its firm row, plus the unit loss ``L`` (firm MW) and a binary
    ``z_k`` per firm technology: ``z_k = 1`` means its whole unit counts
    (``L >= k_k min(U_k, P_k^max)``), ``z_k = 0`` that all of it does (``k_k P_k <= L``,
    through a big M). Firm capacity then needs
    ``sum credit P + storage credit + grid firm >= peak (1 + r) + n L``.
    """
    lp, v = build_model(dataclasses.replace(inputs, firm_capacity=False))
    gens = inputs.generators
    units: dict[str, float] = {}  # the most one unit failure takes (not aip's helper)
    for g in gens:
        if g.capacity_credit > 0 and g.p_nom_max > 0:
            loss = g.capacity_credit * min(g.unit_size_mw, g.p_nom_max)
            units[g.group_key] = max(units.get(g.group_key, 0.0), loss)
    keys = sorted(units)
    n_x, n_k = lp.n_cols, len(keys)
    col_l, cols_z = n_x, n_x + 1 + np.arange(n_k)
    big = 10.0 * (float(inputs.load_mw.max()) + sum(units.values()))
    rows, lower, upper = [], [], []

    def row(entries: dict[int, float], lo: float, hi: float) -> None:
        vec = np.zeros(n_x + 1 + n_k)
        for col, value in entries.items():
            vec[col] += value
        rows.append(vec)
        lower.append(lo)
        upper.append(hi)

    firm: dict[int, float] = {int(v.p_nom[i]): g.capacity_credit for i, g in enumerate(gens)}
    firm.update({int(v.storage_p_nom[j]): s.capacity_credit for j, s in enumerate(inputs.storage)})
    firm[col_l] = -float(inputs.n_minus)
    existing = sum(g.capacity_credit * g.p_nom_existing for g in gens)
    existing += sum(s.capacity_credit * s.p_nom_existing for s in inputs.storage)
    grid = inputs.grid
    grid_firm = grid.firm_fraction * grid.import_limit_mw if grid.enabled else 0.0
    peak = float(inputs.load_mw.max()) * (1.0 - inputs.curtailable_fraction)
    row(firm, peak * (1.0 + inputs.reserve_margin) - existing - grid_firm, np.inf)
    for k, key in enumerate(keys):
        members = [i for i, g in enumerate(gens) if g.group_key == key]
        built = sum(gens[i].capacity_credit * gens[i].p_nom_existing for i in members)
        row({col_l: -1.0, int(cols_z[k]): units[key]}, -np.inf, 0.0)  # z=1: L >= k U
        loss = {int(v.p_nom[i]): gens[i].capacity_credit for i in members}
        loss.update({col_l: -1.0, int(cols_z[k]): -big})
        row(loss, -np.inf, -built)  # z=0: k P <= L
    extra = sp.csr_matrix(np.array(rows))
    a = sp.vstack([sp.hstack([lp.matrix(), sp.csc_matrix((lp.n_rows, 1 + n_k))]), extra]).tocsc()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 1e-9)
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = a.shape[1], a.shape[0]
    model.col_cost_ = np.concatenate([lp.cost, np.zeros(1 + n_k)])
    model.col_lower_ = np.concatenate([lp.lower, np.zeros(1 + n_k)])
    model.col_upper_ = np.concatenate([lp.upper, [np.inf], np.ones(n_k)])
    model.row_lower_ = np.concatenate([lp.row_lower, lower])
    model.row_upper_ = np.concatenate([lp.row_upper, upper])
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = a.indptr
    model.a_matrix_.index_ = a.indices
    model.a_matrix_.value_ = a.data
    model.integrality_ = [highspy.HighsVarType.kContinuous] * (n_x + 1) + [
        highspy.HighsVarType.kInteger
    ] * n_k
    h.passModel(model)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return float(h.getInfo().objective_function_value) + lp.constant


def _campus(seed: int, n_minus: int = 1) -> ModelInputs:
    """A day of a campus with engines (3.3 MW), turbines (50), a frame (240), a combined
    cycle (600) and a nuclear unit (835) allowed, some derated (capacity credit below 1),
    PV and a battery with firm credit; costs drawn so that cases settle at different
    levels."""
    rng = np.random.default_rng(seed)
    hours = 24
    load = rng.uniform(150.0, 400.0) * (1.0 + 0.1 * np.sin(np.arange(hours) / 3.8))
    sun = np.clip(np.sin((np.arange(hours) - 6) / 12 * np.pi), 0.0, None)
    specs = [  # key, unit [MW], capex [USD/MW-yr], fuel [USD/MWh], capacity credit
        ("gas_recip", 3.3, 60_000, 75.0, 1.0),
        ("gas_aero", 50.0, 45_000, 70.0, 0.95),
        ("gas_frame", 240.0, 35_000, 62.0, 0.9),
        ("gas_cc", 600.0, 55_000, 40.0, 1.0),
        ("nuclear", 835.0, 140_000, 12.0, 0.97),
    ]
    gens = [
        generator(
            key,
            unit_size_mw=unit,
            capital_cost_usd_per_mw_year=capex * rng.uniform(0.6, 1.4),
            fuel_cost_usd_per_mwh=fuel * rng.uniform(0.7, 1.3),
            capacity_credit=credit,
        )
        for key, unit, capex, fuel, credit in specs
    ]
    gens.append(generator("pv", capital_cost_usd_per_mw_year=30_000, capacity_credit=0.0, cf=sun))
    battery = storage(
        "battery",
        capital_cost_usd_per_mw_year=20_000 * rng.uniform(0.5, 2.0),
        capital_cost_usd_per_mwh_year=8_000.0,
        capacity_credit=0.5,
        duration_max_h=4.0,
    )
    return ModelInputs(
        name=f"campus-{seed}",
        timestamps=[f"2025-01-01T{h:02d}:00" for h in range(hours)],
        weights=np.full(hours, 365.0),
        load_mw=load,
        generators=gens,
        storage=[battery],
        grid=no_grid(hours),
        unserved_cost_usd_per_mwh=20_000.0,
        reserve_margin=0.1,
        n_minus=n_minus,
    )


@pytest.mark.parametrize(("seed", "n_minus"), [(s, 1) for s in range(6)] + [(6, 2), (7, 2)])
def test_search_matches_the_milp(seed: int, n_minus: int) -> None:
    inputs = _campus(seed, n_minus)
    plan = optimize(inputs)
    assert plan.objective_usd_per_year == pytest.approx(_milp_objective(inputs), rel=RTOL)
    # the plan holds at least the loss it can suffer, and its level's LP has its optimum
    suffered = n_minus * unit_loss_mw(inputs, plan.p_nom_mw)
    assert plan.inputs.contingency_mw >= suffered - 1e-6
    again = optimize(plan.inputs)
    assert again.objective_usd_per_year == pytest.approx(plan.objective_usd_per_year, rel=RTOL)


def test_the_cases_settle_at_different_levels() -> None:
    """The MILP comparison is only telling if the search has to leave the top level."""
    held = {round(optimize(_campus(seed)).inputs.contingency_mw, 1) for seed in range(6)}
    assert len(held) >= 3 and max(held) < 835.0, held


def test_a_level_that_fails_to_solve_keeps_the_plans_found() -> None:
    """A time limit or solver failure on a lower level loses nothing already solved; the
    section says the search is incomplete and the summary warns."""
    from aip.errors import SolverError
    from aip.optimize.contingency import search_contingency
    from aip.optimize.run import optimize_level

    def failing_below_top(model: ModelInputs) -> Any:
        if model.contingency_level is not None:
            raise SolverError("the solver hit the time limit")
        return optimize_level(model)

    plan = search_contingency(_hand_case(), failing_below_top)
    section = plan.sections["contingency"]
    assert plan.objective_usd_per_year == pytest.approx(906_000.0)  # the top level's plan
    assert section["complete"] is False
    assert "time limit" in section["levels"][1]["not_solved"]
    assert any("search stopped" in line for line in section_lines(plan.sections))


def test_no_plan_found_and_a_level_unsolved_is_a_solver_error() -> None:
    """Where the top level has no plan and a level below could not be solved, the answer
    is unknown, not infeasible."""
    from aip.errors import SolverError
    from aip.optimize.contingency import search_contingency

    def nothing(model: ModelInputs) -> Any:
        if model.contingency_level is None:
            raise InfeasibleError("no plan at the top level")
        raise SolverError("the solver hit the time limit")

    with pytest.raises(SolverError, match="time limit"):
        search_contingency(_hand_case(), nothing)


def test_the_search_shares_one_time_limit() -> None:
    """``time_limit_s`` is for the whole search: once it has run out, no level is started."""
    from aip.optimize.contingency import search_contingency
    from aip.optimize.run import optimize_level

    def slow(model: ModelInputs) -> Any:
        time.sleep(0.2)
        return optimize_level(model)

    inputs = dataclasses.replace(_hand_case(), time_limit_s=0.1)
    plan = search_contingency(inputs, slow)
    section = plan.sections["contingency"]
    assert section["lps_solved"] == 1 and section["complete"] is False
    assert all(level.get("not_solved") for level in section["levels"][1:])


def test_no_cut_without_duals() -> None:
    """A top level without duals (an untrusted batch solution) rules nothing out: the
    levels below are solved and the cheapest is found."""
    from aip.optimize.contingency import search_contingency
    from aip.optimize.run import optimize_level

    inputs = _hand_case()
    top = optimize_level(inputs)
    blind = dataclasses.replace(top, shadow_prices={})
    plan = search_contingency(inputs, optimize_level, blind)
    assert plan.objective_usd_per_year == pytest.approx(156_000.0)


def test_a_range_without_firm_capacity_adds_no_column() -> None:
    inputs = dataclasses.replace(_hand_case(), firm_capacity=False, contingency_level=(50.0, 800.0))
    lp, v = build_model(inputs)
    assert v.unit_loss.size == 0 and "firm_capacity" not in lp.rows
    assert optimize(inputs).objective_usd_per_year == pytest.approx(106_000.0)


def test_the_loss_reported_is_the_one_built() -> None:
    """A plan whose firm capacity has room to spare reports the loss it can suffer (5 MW of
    turbines built, their minimum), not the level's bound (50); without the firm rule,
    no requirement at all."""
    base = _hand_case()
    pv, gas, nuclear = base.generators
    grid = dataclasses.replace(no_grid(2), enabled=True, import_limit_mw=500.0)
    grid = dataclasses.replace(grid, price_usd_per_mwh=np.ones(2))
    inputs = dataclasses.replace(
        base, generators=[pv, dataclasses.replace(gas, p_nom_min=5.0), nuclear], grid=grid
    )
    plan = optimize(inputs)
    assert plan.p_nom_mw["gas_aero"] == pytest.approx(5.0)
    assert plan.inputs.contingency_mw == pytest.approx(5.0)
    assert plan.summary()["firm_capacity"]["contingency_mw"] == pytest.approx(5.0)
    assert optimize(plan.inputs).objective_usd_per_year == pytest.approx(
        plan.objective_usd_per_year, rel=RTOL
    )
    off = optimize(dataclasses.replace(inputs, firm_capacity=False)).summary()["firm_capacity"]
    assert off["required_mw"] == 0.0 and off["contingency_mw"] == 0.0


def test_a_derated_unit_loses_its_firm_share() -> None:
    """A turbine counted at 0.9 of its capacity loses 0.9 of its unit: N+1 on 50 MW units
    at credit 0.9 needs 100 / 0.9 + 50 MW built (firm 100 + 45)."""
    base = _hand_case()
    pv, gas, _ = base.generators
    derated = dataclasses.replace(gas, capacity_credit=0.9)
    plan = optimize(dataclasses.replace(base, generators=[pv, derated]))
    assert plan.inputs.contingency_mw == pytest.approx(45.0)
    assert plan.p_nom_mw["gas_aero"] == pytest.approx(145.0 / 0.9)


def test_a_unit_size_on_storage_is_refused() -> None:
    """Nothing reads a storage unit size (N+k and outages count generating units): it was
    accepted and ignored."""
    import aip
    from aip.errors import ScenarioError

    scenario = {
        "name": "battery-unit",
        "site": {"station": "memphis"},
        "compute": {"accelerator": "h100", "count": 1000},
        "technologies": {"gas_aero": {}, "battery": {"unit_size_mw": 100}},
    }
    with pytest.raises(ScenarioError, match=r"technologies\.battery\.unit_size_mw"):
        aip.model_inputs(scenario)
