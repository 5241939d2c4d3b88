"""Expanding sweeps into cases: paths, grid products, seeded samples, ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from aip.errors import ScenarioError
from aip.schema.sweep import Distribution, Samples, load_sweep, parse_sweep
from aip.sweep.cases import case_id, check_path, column_types, expand_cases, set_path
from aip.sweep.sampling import draw_samples, quantiles, uniforms

ROOT = Path(__file__).parents[2]


def test_set_path_creates_missing_mappings_and_copies() -> None:
    base = {"economics": {"wacc": 0.08}}
    out = set_path(base, "economics.fuel_prices_usd_per_mmbtu.gas", 3.0)
    assert out["economics"] == {"wacc": 0.08, "fuel_prices_usd_per_mmbtu": {"gas": 3.0}}
    assert base == {"economics": {"wacc": 0.08}}  # the base is not modified


def test_set_path_through_a_value_is_an_error() -> None:
    with pytest.raises(ScenarioError, match=r"compute\.count is a value"):
        set_path({"compute": {"count": 5}}, "compute.count.x", 1)


@pytest.mark.parametrize(
    "path",
    [
        "economics.fuel_prices_usd_per_mmbtu.gas",
        "technologies.pv.capex_usd_per_kw",
        "compute.count",
    ],
)
def test_check_path_accepts_scenario_fields(path: str) -> None:
    check_path(path, "grid")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("compute.cuont", "did you mean 'count'"),
        ("economics.wacc.x", "is a value"),
        ("technologies.pv.capex", "unknown scenario field"),
    ],
)
def test_check_path_rejects_typos(path: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        check_path(path, "grid")


def test_grid_is_cartesian_product_in_order(sweep_spec: dict[str, Any]) -> None:
    cases = expand_cases(parse_sweep(sweep_spec))
    assert [c.params["compute.count"] for c in cases] == [30000, 40000, 50000]
    assert [c.index for c in cases] == [0, 1, 2]
    assert len({c.case_id for c in cases}) == 3
    assert cases[0].scenario is not None and cases[0].scenario["compute"]["count"] == 30000


def test_identical_cases_are_kept_once(make_sweep: Any) -> None:
    # 60000 is the base's own count, so writing it explicitly resolves to the same case
    spec = parse_sweep(make_sweep("dup", [60000, 60000, 50000]))
    assert len(expand_cases(spec)) == 2


def test_case_id_ignores_key_order_and_sees_values() -> None:
    assert case_id({"a": 1, "b": 2}) == case_id({"b": 2, "a": 1})
    assert case_id({"a": 1}) != case_id({"a": 1.5})


def test_invalid_case_is_data_not_an_exception(make_sweep: Any) -> None:
    spec = parse_sweep(make_sweep("bad", [-5, 1000]))
    cases = expand_cases(spec)
    assert cases[0].scenario is None and "compute.count" in (cases[0].error or "")
    assert cases[1].error is None


def test_samples_are_seeded_and_independent_per_parameter() -> None:
    one = {"a": {"distribution": "uniform", "low": 0.0, "high": 1.0}}
    two = {**one, "b": {"distribution": "normal", "mean": 0.0, "std": 1.0}}
    first = draw_samples(Samples(n=5, seed=3, parameters=one))
    again = draw_samples(Samples(n=5, seed=3, parameters=two))
    assert [d["a"] for d in first] == [d["a"] for d in again]  # adding b leaves a unchanged
    other = draw_samples(Samples(n=5, seed=4, parameters=one))
    assert [d["a"] for d in first] != [d["a"] for d in other]


def test_lhs_puts_one_sample_in_each_stratum() -> None:
    u = uniforms(10, seed=0, name="x", method="lhs")
    assert sorted(np.floor(u * 10).astype(int).tolist()) == list(range(10))


def test_quantiles_hand_values() -> None:
    # lognormal median m: F^-1(0.5) = m; triangular (0, 1, 2) has its median at the mode
    ln = Distribution(distribution="lognormal", median=3.5, sigma=0.3)
    assert quantiles(ln, np.array([0.5])) == [pytest.approx(3.5)]
    tri = Distribution(distribution="triangular", low=0, mode=1, high=2)
    assert quantiles(tri, np.array([0.5])) == [pytest.approx(1.0)]
    ch = Distribution(distribution="choice", values=["a", "b"], weights=[0.25, 0.75])
    assert quantiles(ch, np.array([0.1, 0.3, 0.99])) == ["a", "b", "b"]
    n = Distribution(distribution="uniform", low=1000, high=2000, integer=True)
    assert quantiles(n, np.array([0.5004])) == [1500]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"name": "x", "base": "a.yaml"}, "needs a `grid`, `samples` or both"),
        ({"name": "x", "base": "a.yaml", "grid": {"compute.count": []}}, "no values"),
        ({"name": "x", "base": "a.yaml", "grdi": {}}, "unknown field"),
        (
            {
                "name": "x",
                "base": "a.yaml",
                "samples": {
                    "n": 2,
                    "parameters": {"compute.count": {"distribution": "normal", "mean": 1.0}},
                },
            },
            "needs mean, std",
        ),
        (  # the mapping would overwrite the price inside it: one case, mislabelled
            {
                "name": "x",
                "base": "a.yaml",
                "grid": {
                    "economics.fuel_prices_usd_per_mmbtu.gas": [2, 4],
                    "economics.fuel_prices_usd_per_mmbtu": [{"gas": 3}],
                },
            },
            r"economics.fuel_prices_usd_per_mmbtu and economics.fuel_prices_usd_per_mmbtu.gas "
            "overlap",
        ),
    ],
)
def test_bad_sweep_files_name_the_field(spec: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        parse_sweep(spec)


def test_example_sweep_expands(tmp_path: Path) -> None:
    spec, folder = load_sweep(ROOT / "examples" / "sweep-gas-price.yaml")
    cases = expand_cases(spec, folder)
    assert len(cases) == 5 * 3 * 2 and all(c.error is None for c in cases)
    types = column_types(spec, cases)
    assert types["economics.fuel_prices_usd_per_mmbtu.gas"] == "DOUBLE"
    assert types["technologies.gas_aero.capex_usd_per_kw"] == "BIGINT"


def test_screening_example_sweep_expands() -> None:
    spec, folder = load_sweep(ROOT / "examples" / "sweep-screening.yaml")
    cases = expand_cases(spec, folder)
    assert len(cases) == 4 * 2 and all(c.error is None for c in cases)
    solvers = [c.scenario["solver"] for c in cases if c.scenario is not None]
    assert solvers == [{"typical_days": 16, "check_full_year": True}] * 8
