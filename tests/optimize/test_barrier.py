"""The barrier path: Clarabel's interior point, then a vertex by simplex with capacities fixed.

The hand cases (test_hand_cases.py) run through both paths; these tests check what is
particular to this one: the conic rewrite and its duals, the vertex step, the fall-backs
to HiGHS, and agreement with the simplex on a full-year LP.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import aip
from aip.optimize import solve as solve_module
from aip.optimize.barrier import solve_barrier, to_conic
from aip.optimize.build import build_model
from aip.optimize.examples import generator, no_grid, storage
from aip.optimize.inputs import ModelInputs
from aip.optimize.outcome import SolveOutcome, TerminationStatus
from aip.optimize.problem import LinearProblem
from aip.optimize.solve import (
    BARRIER_MIN_ROWS,
    new_highs,
    pass_problem,
    polish_vertex,
    resolve_method,
    run,
    solve_problem,
)

ROOT = Path(__file__).resolve().parents[2]
ZERO = {"co2": 0.0, "nox": 0.0, "so2": 0.0, "pm25": 0.0}


def week_model(**kw: object) -> ModelInputs:
    """168 hours: PV, wind, gas with CO2, a battery and a CO2 cap that binds."""
    n = 168
    hours = np.arange(n)
    solar = np.clip(np.sin((hours % 24 - 6) / 12 * np.pi), 0.0, None)
    wind = 0.35 + 0.3 * np.sin(hours / 17.0)
    values: dict[str, object] = {
        "name": "week",
        "timestamps": [f"h{i}" for i in range(n)],
        "weights": np.ones(n),
        "load_mw": 100.0 + 10.0 * np.sin(hours / 24 * 2 * np.pi),
        "generators": [
            generator("pv", capital_cost_usd_per_mw_year=120.0, clean=True, cf=solar),
            generator("wind", capital_cost_usd_per_mw_year=150.0, clean=True, cf=wind),
            generator(
                "gas_cc",
                capital_cost_usd_per_mw_year=20.0,
                fuel_cost_usd_per_mwh=0.4,
                emissions_t_per_mwh={**ZERO, "co2": 0.4},
            ),
        ],
        "storage": [
            storage(
                "battery",
                capital_cost_usd_per_mw_year=2.0,
                capital_cost_usd_per_mwh_year=1.0,
                efficiency_charge=0.92,
                efficiency_discharge=0.92,
            )
        ],
        "grid": no_grid(n),
        "unserved_cost_usd_per_mwh": 1e3,
        "co2_cap_t_per_year": 2000.0,
        "firm_capacity": False,
    }
    values.update(kw)
    return ModelInputs(**values)  # type: ignore[arg-type]


def highs_solve(lp: LinearProblem) -> SolveOutcome:
    h = new_highs(method="simplex")
    pass_problem(h, lp)
    return run(h)


def test_conic_form_keeps_every_finite_bound() -> None:
    lp, _ = build_model(week_model())
    form = to_conic(lp)
    finite = (
        int(np.isfinite(lp.lower).sum())
        + int(np.isfinite(lp.upper).sum())
        + int((np.isfinite(lp.row_upper) & (lp.row_lower != lp.row_upper)).sum())
        + int((np.isfinite(lp.row_lower) & (lp.row_lower != lp.row_upper)).sum())
    )
    assert form.a.shape == (form.n_zero + finite, lp.n_cols)
    assert form.b.size == form.a.shape[0]


def test_interior_optimum_and_duals_match_highs() -> None:
    """Same objective as the simplex to 1e-8, and duals in HiGHS's sign convention.

    The duals of an LP need not be unique, so the check is the one that holds for every
    optimal dual: ``c - A'y`` (the reduced costs) is >= 0 on columns at their lower bound
    0 and the dual objective equals the primal one.
    """
    lp, _ = build_model(week_model())
    interior = solve_barrier(lp)
    vertex = highs_solve(lp)
    assert interior.status == TerminationStatus.OPTIMAL
    assert interior.solver == "clarabel"
    assert interior.objective == pytest.approx(vertex.objective, rel=1e-8)
    co2_row = int(lp.rows["co2_cap"][0])
    assert interior.row_dual[co2_row] < 0  # a binding cap (upper bound) of a minimisation
    assert interior.row_dual[co2_row] == pytest.approx(vertex.row_dual[co2_row], rel=1e-5)
    reduced = lp.cost - lp.matrix().T @ interior.row_dual
    at_lower = interior.x <= lp.lower + 1e-6
    assert reduced[at_lower & np.isinf(lp.upper)].min() > -1e-5
    y = interior.row_dual
    rhs = np.where(y > 0, lp.row_lower, lp.row_upper)
    finite = np.isfinite(rhs)
    dual_objective = float(y[finite] @ rhs[finite]) + lp.constant
    # upper column bounds (load for unserved, grid limits) carry their own duals
    slack_upper = np.minimum(reduced, 0.0)
    has_upper = np.isfinite(lp.upper)
    dual_objective += float(slack_upper[has_upper] @ lp.upper[has_upper])
    assert dual_objective == pytest.approx(vertex.objective, rel=1e-6)


def test_vertex_step_returns_a_basic_solution_with_exact_zeros() -> None:
    inputs = week_model()
    lp, v = build_model(inputs)
    outcome = solve_problem(lp, method="barrier")
    assert outcome.solver == "clarabel+highs"
    assert outcome.status == TerminationStatus.OPTIMAL
    assert outcome.objective == pytest.approx(highs_solve(lp).objective, rel=1e-9)
    assert outcome.simplex_iterations >= 0 and outcome.ipm_iterations > 0
    # a vertex: no hour both charges and discharges the battery
    charge, discharge = outcome.x[v.charge[0]], outcome.x[v.discharge[0]]
    assert not np.any((charge > 1e-9) & (discharge > 1e-9))
    # capacities that are not built are exactly zero, not 1e-9 MW
    p_nom = outcome.x[v.p_nom]
    assert np.all((p_nom == 0.0) | (p_nom > 1e-3))


def test_vertex_step_rejects_a_costlier_vertex() -> None:
    lp, _ = build_model(week_model())
    interior = solve_barrier(lp)
    wrong = interior.x.copy()
    wrong[lp.linking] *= 1.5  # capacities far from the optimum
    shifted = dataclasses.replace(interior, x=wrong)
    assert polish_vertex(lp, shifted) is None


def test_a_failed_barrier_hands_over_to_highs(monkeypatch: pytest.MonkeyPatch) -> None:
    lp, _ = build_model(week_model())

    def failing(lp: LinearProblem, time_limit_s: float = 600.0) -> SolveOutcome:
        return SolveOutcome(
            TerminationStatus.ERROR, np.zeros(0), np.zeros(0), float("nan"), 0.1, 0, 7, "clarabel"
        )

    monkeypatch.setattr(solve_module, "solve_barrier", failing)
    outcome = solve_problem(lp, method="barrier")
    assert outcome.status == TerminationStatus.OPTIMAL
    assert outcome.solver == "highs (after clarabel: error)"
    assert outcome.objective == pytest.approx(highs_solve(lp).objective, rel=1e-12)
    assert outcome.ipm_iterations == 7


def test_infeasibility_is_highs_verdict() -> None:
    inputs = week_model(
        generators=[generator("coal", emissions_t_per_mwh={**ZERO, "co2": 1.0})],
        storage=[],
        co2_cap_t_per_year=10.0,
        unserved_cost_usd_per_mwh=1e3,
        max_unserved_fraction=0.0,
    )
    lp, _ = build_model(inputs)
    outcome = solve_problem(lp, method="barrier")
    assert outcome.status == TerminationStatus.INFEASIBLE
    assert outcome.solver.startswith("highs (after clarabel")


def test_a_free_ppa_capacity_is_not_taken_for_infeasibility(tmp_path: Path) -> None:
    """A nuclear PPA (capacity without cost) at full year: Clarabel's default
    infeasibility test stopped it at iteration 2 as primal infeasible, and HiGHS then
    needed 60 s; with the tighter test Clarabel solves it (the objective agrees with
    HiGHS's simplex to 2e-11, docs/benchmarks.md)."""
    f = tmp_path / "ppa.yaml"
    f.write_text(
        "name: quincy-nuclear\nsite: {station: quincy}\n"
        "compute: {accelerator: b200, count: 100000, profile: inference}\n"
        "facility: {cooling: evaporative}\n"
        "grid: {import_limit_mw: 50, price: {kind: state}}\n"
        "technologies: {nuclear_smr: {}, nuclear_ppa: {ppa_price_usd_per_mwh: 85}, "
        "gas_recip: {}, battery: {}, diesel: {}}\n"
        "constraints: {n_minus: 1, co2_cap_t_per_year: 50000}\n"
    )
    lp, _ = build_model(aip.model_inputs(f))
    interior = solve_barrier(lp)
    assert interior.status == TerminationStatus.OPTIMAL
    assert interior.objective == pytest.approx(190_706_856.52, rel=1e-8)


def test_time_limit_is_reported_not_retried() -> None:
    lp, _ = build_model(week_model())
    outcome = solve_problem(lp, time_limit_s=1e-6, method="barrier")
    assert outcome.status == TerminationStatus.TIME_LIMIT


def test_auto_picks_barrier_only_for_large_linked_problems() -> None:
    lp, _ = build_model(week_model())
    assert resolve_method(lp, "auto") == "choose"
    large = LinearProblem(n_rows=BARRIER_MIN_ROWS)
    assert resolve_method(large, "auto") == "choose"  # nothing to fix for a vertex
    large.linking = np.arange(3, dtype=np.int64)
    assert resolve_method(large, "auto") == "barrier"
    assert resolve_method(large, "simplex") == "simplex"


def test_full_year_plan_agrees_with_the_simplex() -> None:
    """The benchmark's easy case (8760 h): ``auto`` takes the barrier path.

    Tolerances: objective 1e-8 relative (Clarabel stops at 1e-10 and the vertex step is
    exact for the capacities it is given); capacities 1e-4 MW (they are snapped to a
    bound within 1e-6 of the largest).
    """
    scenario = aip.load_scenario(ROOT / "bench" / "cases" / "easy.yaml")
    fast = aip.plan(scenario)
    simplex = scenario.solver.model_copy(update={"method": "simplex"})
    exact = aip.plan(scenario.model_copy(update={"solver": simplex}))
    assert fast.solve.solver == "clarabel+highs"
    assert fast.objective_usd_per_year == pytest.approx(exact.objective_usd_per_year, rel=1e-8)
    for key, mw in exact.p_nom_mw.items():
        assert fast.p_nom_mw[key] == pytest.approx(mw, abs=1e-4)
    balance = fast.hourly
    assert float(balance["unserved_mw"].max()) == pytest.approx(0.0, abs=1e-9)


def test_vertex_step_makes_up_for_snapped_capacity() -> None:
    """A firm-capacity row of capacities alone survives snapping a sliver to zero.

    Interior points leave unbuilt options at ~1e-7 MW; snapping one to zero leaves the
    firm row short by that much (more than HiGHS's 1e-7 tolerance when fixed), so the
    second try lets the built capacity grow by up to the snapping tolerance.
    """
    gens = [
        generator("pv", capital_cost_usd_per_mw_year=120.0, clean=True, capacity_credit=0.0),
        generator("gas_cc", capital_cost_usd_per_mw_year=20.0, fuel_cost_usd_per_mwh=0.4),
        generator("gas_aero", capital_cost_usd_per_mw_year=30.0, fuel_cost_usd_per_mwh=0.6),
    ]
    inputs = week_model(
        generators=[dataclasses.replace(gens[0], cf=week_model().generators[0].cf), *gens[1:]],
        firm_capacity=True,
        co2_cap_t_per_year=None,
    )
    lp, v = build_model(inputs)
    interior = solve_barrier(lp)
    x = interior.x.copy()
    cc, aero = int(v.p_nom[1]), int(v.p_nom[2])
    sliver = 5e-7
    x[aero] += sliver  # an unbuilt option left at 5e-7 MW ...
    x[cc] -= sliver  # ... carrying that much of the firm requirement
    outcome = polish_vertex(lp, dataclasses.replace(interior, x=x))
    assert outcome is not None
    assert outcome.x[aero] == 0.0
    assert outcome.x[cc] == pytest.approx(inputs.firm_requirement_mw, abs=1e-9)
    assert outcome.objective == pytest.approx(highs_solve(lp).objective, rel=1e-9)
