"""Warm starts change the speed of a solve, never its answer."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from aip.optimize import optimize
from aip.optimize.examples import two_hour_example
from aip.optimize.inputs import ModelInputs
from aip.sweep.warm import WarmSolver


def with_fuel(inputs: ModelInputs, fuel: float) -> ModelInputs:
    gens = [
        dataclasses.replace(g, fuel_cost_usd_per_mwh=fuel) if g.key == "gas_aero" else g
        for g in inputs.generators
    ]
    return dataclasses.replace(inputs, generators=gens)


def test_cost_change_reuses_matrix_and_matches_cold() -> None:
    # Hand check: 100 MW gas is needed for hour 2 (1,000 USD/MW/yr). PV (10 USD/MW/yr) beats gas
    # fuel in hour 1 when fuel > 0.1 USD/MWh: cost = 100*1000 + 100*10 + 100*fuel, so 106,000 at
    # 50 and 103,000 at 20; at fuel 0 gas covers both hours for free: 100*1000 = 100,000.
    solver = WarmSolver()
    expected = {50.0: 106_000.0, 20.0: 103_000.0, 0.0: 100_000.0}
    for fuel, cost in expected.items():
        inputs = with_fuel(two_hour_example(), fuel)
        warm = solver.optimize(inputs)
        cold = optimize(inputs)
        assert warm.objective_usd_per_year == pytest.approx(cost, rel=1e-9)
        assert warm.objective_usd_per_year == pytest.approx(cold.objective_usd_per_year, rel=1e-9)
    assert solver.last_mode == "same_matrix"


def test_changed_coefficients_hand_over_the_basis() -> None:
    solver = WarmSolver()
    solver.optimize(two_hour_example())
    base = two_hour_example()
    pv = dataclasses.replace(base.generators[0], cf=np.array([0.5, 0.0]))
    changed = dataclasses.replace(base, generators=[pv, base.generators[1]])
    warm = solver.optimize(changed)
    assert solver.last_mode == "same_shape"
    assert warm.objective_usd_per_year == pytest.approx(optimize(changed).objective_usd_per_year)


def test_disabled_solver_always_solves_cold() -> None:
    solver = WarmSolver(enabled=False)
    solver.optimize(two_hour_example())
    solver.optimize(two_hour_example())
    assert solver.last_mode == "cold"


def test_barrier_sized_lps_skip_the_warm_simplex(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where ``auto`` picks the barrier path, a sweep takes it cold (faster than warm)."""
    from aip.optimize import solve as solve_module

    monkeypatch.setattr(solve_module, "BARRIER_MIN_ROWS", 1)
    solver = WarmSolver()
    for _ in range(2):
        result = solver.optimize(two_hour_example())
        assert solver.last_mode == "barrier"
        assert result.solve.solver == "clarabel+highs"
        assert result.objective_usd_per_year == pytest.approx(106_000.0, rel=1e-9)
