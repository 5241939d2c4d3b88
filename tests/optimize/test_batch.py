"""Batch PDHG: objectives agree with HiGHS, honest statuses, backend selection."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

import aip
from aip.errors import ScenarioError
from aip.optimize.batch import (
    batch_from_inputs,
    get_backend,
    solve_batch,
    stack_problems,
    window_inputs,
)
from aip.optimize.build import build_model
from aip.optimize.examples import no_grid, storage, two_hour_example
from aip.optimize.inputs import ModelInputs
from aip.optimize.solve import TerminationStatus, solve_problem

#: Objectives must match HiGHS to this relative error (the brief's bar); the solver
#: stops at a relative KKT error of 1e-6, which in practice gives 1e-9..1e-6.
REL = 1e-4
OPTIMAL = TerminationStatus.OPTIMAL


def _highs(inputs: list[ModelInputs]) -> list[float]:
    return [solve_problem(build_model(i)[0]).objective for i in inputs]


def _fuel_variants(base: ModelInputs, factors: list[float]) -> list[ModelInputs]:
    return [
        dataclasses.replace(
            base,
            generators=[
                dataclasses.replace(g, fuel_cost_usd_per_mwh=g.fuel_cost_usd_per_mwh * f)
                for g in base.generators
            ],
        )
        for f in factors
    ]


def _check_against_highs(inputs: list[ModelInputs]) -> None:
    result = solve_batch(batch_from_inputs(inputs), backend="numpy")
    assert result.status == [OPTIMAL] * len(inputs)
    assert result.objective == pytest.approx(_highs(inputs), rel=REL)
    assert np.all(result.kkt_error <= 1e-6)


def test_hand_lp_batch() -> None:
    """min c'x, x + y >= 1, 0 <= x, y <= 0.7. Costs (1, 1): 1.0. Costs (2, 1): y = 0.7,
    x = 0.3, cost 1.3. Costs (1, 3): x = 0.7, y = 0.3, cost 1.6."""
    a = sp.csr_matrix([[1.0, 1.0]])
    c = np.array([[1.0, 1.0], [2.0, 1.0], [1.0, 3.0]])
    r = solve_batch(
        (a, c, np.zeros((3, 2)), np.full((3, 2), 0.7), np.ones((3, 1)), np.full((3, 1), np.inf)),
        backend="numpy",
    )
    assert r.status == [OPTIMAL] * 3
    assert r.objective == pytest.approx([1.0, 1.3, 1.6], rel=1e-5)
    assert r.x[1] == pytest.approx([0.3, 0.7], abs=1e-5)
    assert r.x[2] == pytest.approx([0.7, 0.3], abs=1e-5)
    # dual of x + y >= 1 is the cost of the cheaper unit still free to move
    assert r.row_dual[1, 0] == pytest.approx(2.0, abs=1e-4)


def test_two_hour_example_cost_variations() -> None:
    _check_against_highs(_fuel_variants(two_hour_example(), [0.5, 1.0, 2.0, 30.0]))


def test_two_hour_example_with_storage_grid_and_co2_cap() -> None:
    base = two_hour_example()
    grid = dataclasses.replace(
        no_grid(2),
        enabled=True,
        import_limit_mw=40.0,
        price_usd_per_mwh=np.array([30.0, 120.0]),
        emissions_t_per_mwh={
            k: np.full(2, 0.4 if k == "co2" else 0.0) for k in ("co2", "nox", "so2", "pm25")
        },
    )
    gas = dataclasses.replace(
        base.generators[1], emissions_t_per_mwh={"co2": 0.5, "nox": 0.0, "so2": 0.0, "pm25": 0.0}
    )
    variants = [
        dataclasses.replace(
            base,
            generators=[base.generators[0], gas],
            storage=[storage("battery", capital_cost_usd_per_mwh_year=cost)],
            grid=grid,
            co2_cap_t_per_year=30.0,
        )
        for cost in (1.0, 20.0, 60.0, 500.0)
    ]
    _check_against_highs(variants)


def test_48_hour_campus_slice_batch() -> None:
    """cfe-abilene (PV, wind, gas, battery, 90 % 24/7 CFE), 48 hours, six fuel prices."""
    base = window_inputs(aip.model_inputs("examples/cfe-abilene.yaml"), 4000, 48)
    _check_against_highs(_fuel_variants(base, [0.4, 0.7, 1.0, 1.3, 1.6, 2.5]))


def test_48_hour_slice_with_co2_caps() -> None:
    """stargate-abilene with grid, a CO2 cap at four levels: row bounds differ per problem."""
    base = window_inputs(aip.model_inputs("examples/stargate-abilene.yaml"), 4000, 48)
    variants = [
        dataclasses.replace(base, co2_cap_t_per_year=cap) for cap in (5e5, 9e5, 1.3e6, 1.7e6)
    ]
    _check_against_highs(variants)


def _infeasible() -> ModelInputs:
    """Hour 2 has no sun, gas may not emit and no load may go unserved."""
    base = two_hour_example()
    gas = dataclasses.replace(
        base.generators[1], emissions_t_per_mwh={"co2": 0.5, "nox": 0.0, "so2": 0.0, "pm25": 0.0}
    )
    return dataclasses.replace(
        base,
        generators=[base.generators[0], gas],
        co2_cap_t_per_year=0.0,
        max_unserved_fraction=0.0,
    )


def test_infeasible_problem_is_not_reported_optimal_and_does_not_stop_others() -> None:
    infeasible = _infeasible()
    assert solve_problem(build_model(infeasible)[0]).status == TerminationStatus.INFEASIBLE
    feasible = dataclasses.replace(infeasible, co2_cap_t_per_year=1e9)
    r = solve_batch(
        batch_from_inputs([feasible, infeasible, feasible]), max_iter=3000, backend="numpy"
    )
    assert r.status == [OPTIMAL, TerminationStatus.ITERATION_LIMIT, OPTIMAL]
    assert r.objective[0] == pytest.approx(106_000.0, rel=REL)
    assert r.kkt_error[1] > 1e-6
    assert r.iterations[0] < r.iterations[1] == 3000


def test_unbounded_problem_is_not_reported_optimal() -> None:
    """min -x with x unbounded above, one slack row."""
    a = sp.csr_matrix([[1.0]])
    r = solve_batch(
        (a, [[-1.0]], [[0.0]], [[np.inf]], [[-np.inf]], [[np.inf]]), max_iter=2000, backend="numpy"
    )
    assert r.status == [TerminationStatus.ITERATION_LIMIT]


def test_time_limit_status() -> None:
    r = solve_batch(batch_from_inputs([_infeasible()]), time_limit_s=0.0, backend="numpy")
    assert r.status == [TerminationStatus.TIME_LIMIT]
    # problems still waiting for a column when time runs out are not solved either
    r = solve_batch(
        batch_from_inputs([_infeasible()] * 3), time_limit_s=0.0, backend="numpy", block=1
    )
    assert r.status == [TerminationStatus.TIME_LIMIT] * 3
    assert r.iterations.tolist()[1:] == [0, 0] and np.isnan(r.objective[1:]).all()


def test_a_refilled_column_starts_its_problem_afresh() -> None:
    """Through a 1-wide block, each problem's first 128 steps are exactly those it takes
    alone: the column is reset (iterate, anchor, primal weight, restart state) and the
    Halpern weights count the problem's own steps."""
    base = window_inputs(aip.model_inputs("examples/cfe-abilene.yaml"), 4000, 48)
    inputs = _fuel_variants(base, [0.4, 1.0, 2.5])
    queued = solve_batch(batch_from_inputs(inputs), backend="numpy", block=1, max_iter=128)
    for i, one in enumerate(inputs):
        alone = solve_batch(batch_from_inputs([one]), backend="numpy", max_iter=128)
        np.testing.assert_array_equal(queued.x[i], alone.x[0])
        assert queued.iterations[i] == alone.iterations[0] == 128


def test_a_block_refilled_from_the_queue_solves_every_problem_as_alone() -> None:
    """Six 48-hour problems through a 4-wide block: finished columns take the waiting
    problems, each of which then takes the steps it takes in one 6-wide block (same
    iterations, objectives to 1e-9) and reaches HiGHS's objective."""
    base = window_inputs(aip.model_inputs("examples/cfe-abilene.yaml"), 4000, 48)
    inputs = _fuel_variants(base, [0.4, 0.7, 1.0, 1.3, 1.6, 2.5])
    whole = solve_batch(batch_from_inputs(inputs), backend="numpy")
    queued = solve_batch(batch_from_inputs(inputs), backend="numpy", block=4)
    assert queued.status == [OPTIMAL] * 6
    np.testing.assert_array_equal(queued.iterations, whole.iterations)
    np.testing.assert_allclose(queued.objective, whole.objective, rtol=1e-9)
    assert queued.objective == pytest.approx(_highs(inputs), rel=REL)


def test_different_matrices_are_refused() -> None:
    base = two_hour_example()
    other = dataclasses.replace(base, storage=[storage("battery")])
    with pytest.raises(ScenarioError, match=r"lps\[1\].*constraint matrix"):
        batch_from_inputs([base, other])
    sunnier = dataclasses.replace(
        base,
        generators=[
            dataclasses.replace(base.generators[0], cf=np.array([0.9, 0.1])),
            base.generators[1],
        ],
    )
    with pytest.raises(ScenarioError, match="differ in costs or bounds"):
        batch_from_inputs([base, sunnier])


def test_bad_arguments() -> None:
    with pytest.raises(ScenarioError, match="hours"):
        window_inputs(two_hour_example(), 1, 5)
    lp = build_model(two_hour_example())[0]
    with pytest.raises(ScenarioError, match="backend"):
        solve_batch([lp], backend="tpu")
    with pytest.raises(ScenarioError, match="tol"):
        solve_batch([lp], tol=0.0)
    with pytest.raises(ScenarioError, match="block"):
        solve_batch([lp], block=0)
    with pytest.raises(ScenarioError, match=r"jax_sparse.*auto, ell or bcsr"):
        get_backend("jax", jax_sparse="csr")
    with pytest.raises(ScenarioError, match="lps"):
        stack_problems([])
    with pytest.raises(ScenarioError, match=r"matrix.*the shape of lps\[0\]"):
        stack_problems([lp], matrix=lp.matrix("csr")[:-1])
    with pytest.raises(ScenarioError, match="RL"):
        solve_batch(
            (
                np.eye(2),
                np.ones((1, 2)),
                np.zeros((1, 2)),
                np.ones((1, 2)),
                np.zeros((1, 3)),
                np.ones((1, 2)),
            )
        )


def test_list_of_linear_problems() -> None:
    lps = [build_model(i)[0] for i in _fuel_variants(two_hour_example(), [1.0, 3.0])]
    given = stack_problems(lps, matrix=lps[0].matrix("csr"))  # a caller compared them
    built = stack_problems(lps)
    assert (given.a != built.a).nnz == 0 and np.array_equal(given.cost, built.cost)
    r = solve_batch(lps, backend="numpy")
    # gas fuel 150 USD/MWh: PV still covers hour 1, cost 1,000 + 100,000 + 15,000
    assert r.objective == pytest.approx([106_000.0, 116_000.0], rel=REL)


# --- GPU backends, exercised through numpy stand-ins (no GPU in CI) -----------------


def _fake_module(name: str, **attrs: object) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    return module


@pytest.fixture
def fake_cupy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 'cupy' that is numpy, with one visible device, and cupyx.scipy.sparse = scipy's."""
    cp = _fake_module("cupy", **{k: getattr(np, k) for k in dir(np) if not k.startswith("__")})
    cp.asnumpy = np.asarray  # type: ignore[attr-defined]
    cp.cuda = types.SimpleNamespace(runtime=types.SimpleNamespace(getDeviceCount=lambda: 1))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cupy", cp)
    monkeypatch.setitem(sys.modules, "cupyx", _fake_module("cupyx"))
    monkeypatch.setitem(sys.modules, "cupyx.scipy", _fake_module("cupyx.scipy"))
    monkeypatch.setitem(
        sys.modules,
        "cupyx.scipy.sparse",
        _fake_module("cupyx.scipy.sparse", csr_matrix=sp.csr_matrix),
    )


def test_cupy_path_through_a_numpy_stand_in(fake_cupy: None) -> None:
    assert get_backend("auto").name == "cupy"
    inputs = _fuel_variants(two_hour_example(), [1.0, 2.0])
    on_fake = solve_batch(batch_from_inputs(inputs), backend="cupy")
    on_numpy = solve_batch(batch_from_inputs(inputs), backend="numpy")
    assert on_fake.backend == "cupy"
    np.testing.assert_allclose(on_fake.objective, on_numpy.objective, rtol=1e-12)


@pytest.mark.parametrize("jax_sparse", ["bcsr", "ell"])
def test_jax_path_compiled_on_cpu_matches_numpy_and_highs(jax_sparse: str) -> None:
    """The real JAX path (jit + fori_loop, BCSR or ELL matrices) on JAX's CPU device
    takes numpy's steps: the constant-step Halpern iteration does not amplify rounding,
    so both need the same iterations and agree to 1e-9, and both reach HiGHS's objectives.
    Problems finish at different checks (compaction waits for half the block); one has a
    binding CO2 cap, so row bounds are per problem while costs and column bounds are
    shared columns.
    """
    pytest.importorskip("jax")
    base = window_inputs(aip.model_inputs("examples/cfe-abilene.yaml"), 4000, 24)
    inputs = _fuel_variants(dataclasses.replace(base, co2_cap_t_per_year=1e5), [0.5, 1.0, 1.5])
    inputs.append(dataclasses.replace(base, co2_cap_t_per_year=1e4))  # binds: 4 % dearer
    batch = batch_from_inputs(inputs)
    jax = get_backend("jax", jax_sparse=jax_sparse)
    on_jax = solve_batch(batch, backend=jax)
    on_numpy = solve_batch(batch, backend="numpy")
    assert on_jax.backend == "jax"
    assert on_jax.status == [OPTIMAL] * 4
    assert len(set(on_jax.iterations.tolist())) > 1  # they finish at different checks
    np.testing.assert_array_equal(on_jax.iterations, on_numpy.iterations)
    np.testing.assert_allclose(on_jax.objective, on_numpy.objective, rtol=1e-9)
    highs = _highs(inputs)
    assert on_jax.objective == pytest.approx(highs, rel=REL)
    queued = solve_batch(batch, backend=jax, block=2)  # refills, then one power-of-two width
    assert queued.status == [OPTIMAL] * 4
    assert queued.objective == pytest.approx(highs, rel=REL)


def test_auto_skips_jax_without_a_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("jax")
    monkeypatch.setitem(sys.modules, "cupy", None)  # absent: import raises ImportError
    assert get_backend("auto").name == "numpy"  # JAX is installed, on its CPU device only


def test_missing_gpu_library_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cupy", None)
    monkeypatch.setitem(sys.modules, "jax", None)
    assert get_backend("auto").name == "numpy"
    with pytest.raises(ScenarioError, match="pip install cupy-cuda12x"):
        get_backend("cupy")
    with pytest.raises(ScenarioError, match="jax"):
        get_backend("jax")


def test_ell_hybrid_product_equals_scipy() -> None:
    """ELL rows plus a dense block for long rows: the same A @ X and A @ x as scipy,
    with short rows, empty rows and a few long ones (as in a campus LP)."""
    jnp = pytest.importorskip("jax.numpy")
    from aip.optimize.batch_jax import ell_hybrid

    get_backend("jax")  # float64
    rng = np.random.default_rng(7)
    a = sp.random(2000, 300, density=0.004, random_state=rng, format="lil")
    a[5, :] = rng.normal(size=300)  # long rows
    a[17, ::2] = 1.0
    a[40, :] = 0.0  # an empty row
    a = sp.csr_matrix(a)
    ell = ell_hybrid(a)
    assert ell is not None and sorted(np.asarray(ell.long_rows).tolist()) == [5, 17]
    x = rng.normal(size=(300, 6))
    np.testing.assert_allclose(np.asarray(ell @ jnp.asarray(x)), a @ x, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.asarray(ell @ jnp.asarray(x[:, 0])), a @ x[:, 0], atol=1e-12)


def test_an_infeasible_problem_runs_to_its_limit_without_warnings() -> None:
    """Tens of thousands of steps on an infeasible LP, where the iterates drift: the
    primal-weight controller stays finite and no numpy warning (an error in this suite)
    is raised, also from the branches ``where`` discards."""
    r = solve_batch(batch_from_inputs([_infeasible()]), max_iter=30_000, backend="numpy")
    assert r.status == [TerminationStatus.ITERATION_LIMIT] and r.iterations[0] == 30_000


def test_more_bad_arguments() -> None:
    lp = build_model(two_hour_example())[0]
    with pytest.raises(ScenarioError, match="check_every"):
        solve_batch([lp], check_every=0)
    empty = (np.zeros((1, 2)), np.zeros((0, 2)), np.zeros((0, 2)), np.zeros((0, 2)))
    with pytest.raises(ScenarioError, match="at least one problem"):
        solve_batch((*empty, np.zeros((0, 1)), np.zeros((0, 1))))


def test_compaction_keeps_power_of_two_widths_for_compiled_backends() -> None:
    from aip.optimize.batch_pdhg import _compacted

    finished = np.array([True] * 5 + [False] * 3)  # 3 of 8 left
    assert _compacted(finished, fixed_shapes=False).tolist() == [5, 6, 7]
    kept = _compacted(finished, fixed_shapes=True)
    assert kept is not None and kept.tolist()[:3] == [5, 6, 7] and len(kept) == 4
    assert _compacted(np.array([True, False, False]), fixed_shapes=True) is None  # > half
    assert _compacted(np.zeros(4, bool), fixed_shapes=False) is None  # none finished


def test_ell_is_refused_where_padding_would_dominate() -> None:
    """Many long rows (here 10 of 100, each full): padding every row to their length
    would store 100 slots per row for 14 entries on average, so BCSR is used instead."""
    pytest.importorskip("jax")
    from aip.optimize.batch_jax import ell_hybrid

    a = sp.lil_matrix((100, 100))
    a.setdiag(1.0)
    a[:10, :] = 1.0
    assert ell_hybrid(sp.csr_matrix(a)) is None


def test_jax_compilations_are_kept_in_the_aip_cache(tmp_path: Path) -> None:
    """A fresh process (JAX's settings are per process) with ``AIP_CACHE_DIR`` set writes
    its compiled functions to ``<cache>/jax``; JAX's own ``JAX_COMPILATION_CACHE_DIR``
    wins where set. The minimum compile time is lowered so that CPU compilations count."""
    pytest.importorskip("jax")
    code = (
        "import numpy as np, jax\n"
        "from aip.optimize.batch import solve_batch\n"
        "r = solve_batch((np.eye(1), [[1.0]], [[0.0]], [[1.0]], [[0.5]], [[np.inf]]),"
        " backend='jax')\n"
        "print(jax.config.jax_compilation_cache_dir)\n"
    )
    env = {
        **os.environ,
        "AIP_CACHE_DIR": str(tmp_path / "aip"),
        "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
    }
    env.pop("JAX_COMPILATION_CACHE_DIR", None)
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(tmp_path / "aip" / "jax")
    assert any((tmp_path / "aip" / "jax").iterdir())
    env["JAX_COMPILATION_CACHE_DIR"] = str(tmp_path / "own")
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.stdout.strip() == str(tmp_path / "own")


def test_step_size_is_just_inside_the_largest_singular_value() -> None:
    """ARPACK (matrices of 50 or more rows and columns) and the dense norm (smaller ones)
    agree with numpy's 2-norm; the step is 0.998 of its reciprocal."""
    from aip.optimize.batch_pdhg import step_size

    rng = np.random.default_rng(3)
    for shape in ((30, 20), (300, 200)):
        a = sp.random(*shape, density=0.05, random_state=rng, format="csr")
        sigma = np.linalg.norm(a.toarray(), 2)
        assert step_size(a) == pytest.approx(0.998 / sigma, rel=1e-6)
    assert step_size(sp.csr_matrix((5, 5))) == 1.0  # empty matrix: any step


def test_a_warm_start_from_a_neighbour_takes_fewer_iterations() -> None:
    """Six 48-hour fuel-price variants, each started from HiGHS's solution (primal and
    row duals) of the middle one: every problem still reaches HiGHS's objective, in fewer
    iterations in all than from zero (fewer for the slowest too). Started at its own
    solution, a problem is done at its first or second check. One shared start (1-D)
    and the same start repeated per problem (2-D) are the same start on JAX as on numpy
    (equal iterations)."""
    base = window_inputs(aip.model_inputs("examples/cfe-abilene.yaml"), 4000, 48)
    inputs = _fuel_variants(base, [0.4, 0.7, 1.0, 1.3, 1.6, 2.5])
    batch = batch_from_inputs(inputs)
    pilot = solve_problem(build_model(inputs[2])[0])
    cold = solve_batch(batch, backend="numpy")
    warm = solve_batch(batch, backend="numpy", start=(pilot.x, pilot.row_dual))
    assert warm.status == [OPTIMAL] * 6
    assert warm.objective == pytest.approx(_highs(inputs), rel=REL)
    assert warm.iterations.sum() < cold.iterations.sum()
    assert warm.iterations.max() < cold.iterations.max()
    assert warm.iterations[2] <= 64  # its own solution: done at the first or second check
    repeated = (np.tile(pilot.x, (6, 1)), np.tile(pilot.row_dual, (6, 1)))
    same = solve_batch(batch, backend="numpy", start=repeated)
    np.testing.assert_array_equal(same.iterations, warm.iterations)
    # the same through an index: two distinct rows (the pilot's and zero), problem 2 the
    # only one started from zero
    two = (np.stack([pilot.x, np.zeros_like(pilot.x)]), np.stack([pilot.row_dual] * 2) * 0)
    two[1][0] = pilot.row_dual
    mixed = solve_batch(batch, backend="numpy", start=two, start_index=[0, 0, 1, 0, 0, 0])
    cold_2 = solve_batch(batch_from_inputs([inputs[2]]), backend="numpy")
    assert mixed.iterations[2] == cold_2.iterations[0]
    np.testing.assert_array_equal(np.delete(mixed.iterations, 2), np.delete(warm.iterations, 2))
    if importlib.util.find_spec("jax") is not None:
        on_jax = solve_batch(batch, backend="jax", start=(pilot.x, pilot.row_dual))
        np.testing.assert_array_equal(on_jax.iterations, warm.iterations)


def test_a_bad_start_is_refused() -> None:
    problems = (np.array([[1.0, 1.0]]), [[1.0, 1.0]], [[0.0, 0.0]], [[1.0, 1.0]], [[1.0]], [[2.0]])
    with pytest.raises(ScenarioError, match=r"start\[0\] \(x\).*\(2,\) or \(1, 2\)"):
        solve_batch(problems, backend="numpy", start=(np.zeros(3), np.zeros(1)))
    with pytest.raises(ScenarioError, match=r"start\[1\] \(y\).*finite"):
        solve_batch(problems, backend="numpy", start=(np.zeros(2), [np.nan]))
    three = (np.zeros((3, 2)), np.zeros((3, 1)))
    with pytest.raises(ScenarioError, match=r"start_index.*1 integers in \[0, 3\)"):
        solve_batch(problems, backend="numpy", start=three, start_index=[3])
    with pytest.raises(ScenarioError, match=r"start_index.*only with start"):
        solve_batch(problems, backend="numpy", start_index=[0])
    r = solve_batch(problems, backend="numpy", start=three, start_index=[2])
    assert r.status == [OPTIMAL]


def test_warm_refill_starts_queued_problems_from_their_column_neighbour() -> None:
    """Six 48-hour fuel-price variants through a 2-wide block: with ``warm_refill`` each
    queued problem starts from the one that finished in its column, so the four queued
    ones take fewer iterations in all, and still reach HiGHS's objectives; JAX takes the
    same steps as numpy."""
    base = window_inputs(aip.model_inputs("examples/cfe-abilene.yaml"), 4000, 48)
    inputs = _fuel_variants(base, [0.4, 0.7, 1.0, 1.3, 1.6, 2.5])
    batch = batch_from_inputs(inputs)
    cold = solve_batch(batch, backend="numpy", block=2)
    warm = solve_batch(batch, backend="numpy", block=2, warm_refill=True)
    assert warm.status == [OPTIMAL] * 6
    assert warm.objective == pytest.approx(_highs(inputs), rel=REL)
    np.testing.assert_array_equal(warm.iterations[:2], cold.iterations[:2])  # not queued
    assert warm.iterations[2:].sum() < cold.iterations[2:].sum()
    if importlib.util.find_spec("jax") is not None:
        on_jax = solve_batch(batch, backend="jax", block=2, warm_refill=True)
        np.testing.assert_array_equal(on_jax.iterations, warm.iterations)


def test_warm_refill_takes_only_converged_neighbours_and_never_overrides_a_start() -> None:
    """An infeasible problem ends at its iteration limit with duals grown without bound:
    the feasible problems queued behind it in a 1-wide block start afresh, not from it,
    and solve as they do alone. With a ``start`` (each problem at its own solution) the
    start is kept: every problem is done at its first check."""
    infeasible = _infeasible()
    feasible = [dataclasses.replace(infeasible, co2_cap_t_per_year=c) for c in (1e9, 2e9)]
    batch = batch_from_inputs([infeasible, *feasible])
    alone = solve_batch(batch_from_inputs(feasible), max_iter=3000, backend="numpy")
    r = solve_batch(batch, max_iter=3000, backend="numpy", block=1, warm_refill=True)
    assert r.status == [TerminationStatus.ITERATION_LIMIT, OPTIMAL, OPTIMAL]
    np.testing.assert_array_equal(r.iterations[1:2], alone.iterations[:1])
    base = window_inputs(aip.model_inputs("examples/cfe-abilene.yaml"), 4000, 48)
    inputs = _fuel_variants(base, [0.4, 1.0, 2.5])
    cold = solve_batch(batch_from_inputs(inputs), backend="numpy")
    own = (cold.x, cold.row_dual)
    warm = solve_batch(
        batch_from_inputs(inputs), backend="numpy", block=1, warm_refill=True, start=own
    )
    assert warm.status == [OPTIMAL] * 3 and (warm.iterations <= 64).all()
