"""Numerical guards on the campus LP inputs (src/aip/optimize/guards.py)."""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aip.errors import AipError, ScenarioError
from aip.optimize.examples import generator, storage, two_hour_example
from aip.optimize.guards import (
    MAX_CAPACITY_MW,
    MAX_COST_SPAN,
    ConditioningWarning,
    cost_span,
    guard_inputs,
)
from aip.optimize.inputs import ModelInputs
from aip.optimize.run import optimize


def _with_gas(**values: object) -> ModelInputs:
    """The two-hour example with the gas turbine's fields replaced."""
    base = two_hour_example()
    pv, gas = base.generators
    return dataclasses.replace(base, generators=[pv, dataclasses.replace(gas, **values)])


def test_clean_inputs_pass_unchanged() -> None:
    base = two_hour_example()
    assert guard_inputs(base) is base


def test_huge_capacity_limit_means_unlimited() -> None:
    inputs = _with_gas(p_nom_max=1e9)
    with pytest.warns(ConditioningWarning, match=r"technologies.gas_aero.p_nom_max = 1e\+09"):
        guarded = guard_inputs(inputs)
    assert guarded.generators[1].p_nom_max == math.inf
    assert inputs.generators[1].p_nom_max == 1e9  # pure: the input is untouched
    # hand check (two_hour_example docstring): 100 MW gas + 100 MW PV, 106,000 USD/yr
    assert optimize(guarded).objective_usd_per_year == pytest.approx(106_000.0, rel=1e-9)


def test_tiny_capacity_limit_means_zero() -> None:
    inputs = _with_gas(p_nom_max=1e-6)
    with pytest.warns(ConditioningWarning, match="below 0.001 MW; treated as 0"):
        guarded = guard_inputs(inputs)
    assert guarded.generators[1].p_nom_max == 0.0


@pytest.mark.parametrize("field", ["p_nom_min", "p_nom_existing"])
def test_huge_minimum_capacity_is_rejected(field: str) -> None:
    pattern = rf"technologies.gas_aero.{field} = 1000000000.0: must be"
    with pytest.raises(ScenarioError, match=pattern):
        guard_inputs(_with_gas(**{field: 1e9}))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("capital_cost_usd_per_mw_year", math.inf),
        ("capital_cost_usd_per_mw_year", 1e12),
        ("fuel_cost_usd_per_mwh", 1e300),
        ("fixed_om_usd_per_mw_year", math.nan),
    ],
)
def test_absurd_costs_are_rejected(field: str, value: float) -> None:
    with pytest.raises(ScenarioError, match=r"^technologies\.gas_aero\.") as info:
        guard_inputs(_with_gas(**{field: value}))
    assert "\n" not in str(info.value) and "fix:" in str(info.value)


def test_cost_spread_is_rescaled() -> None:
    # PV capital 1e-7 USD/MW/yr against unserved energy at 10,000 USD/MWh spans 1e11
    base = two_hour_example()
    pv = dataclasses.replace(base.generators[0], capital_cost_usd_per_mw_year=1e-7)
    inputs = dataclasses.replace(base, generators=[pv, base.generators[1]])
    assert cost_span(inputs) == pytest.approx(10_000.0 / 1e-7)
    with pytest.warns(ConditioningWarning, match="technologies.pv.capital_cost_usd_per_mw_year"):
        guarded = guard_inputs(inputs)
    assert guarded.generators[0].capital_cost_usd_per_mw_year == 0.0
    assert cost_span(guarded) == pytest.approx(10_000.0 / 50.0)  # now unserved / gas fuel
    assert guarded.generators[1] == base.generators[1]  # large terms untouched


def test_tiny_capacity_factors_are_zeroed() -> None:
    base = two_hour_example()
    pv = dataclasses.replace(base.generators[0], cf=np.array([1.0, 1e-12]))
    guarded = guard_inputs(dataclasses.replace(base, generators=[pv, base.generators[1]]))
    cf = guarded.generators[0].cf
    assert cf is not None and cf.tolist() == [1.0, 0.0]


@pytest.mark.parametrize(
    ("load", "match"),
    [
        ([100.0, math.nan], r"load_mw\[1\] = nan"),
        ([100.0, 2e6], r"load_mw\[1\] = 2000000.0"),
        ([100.0, -1.0], r"load_mw\[1\] = -1.0"),
    ],
)
def test_bad_loads_are_rejected(load: list[float], match: str) -> None:
    inputs = dataclasses.replace(two_hour_example(), load_mw=np.array(load))
    with pytest.raises(ScenarioError, match=match):
        guard_inputs(inputs)


def test_storage_limits_are_guarded() -> None:
    base = two_hour_example()
    battery = storage("battery", p_nom_max=1e12, e_nom_max=1e-9)
    with pytest.warns(ConditioningWarning):
        guarded = guard_inputs(dataclasses.replace(base, storage=[battery]))
    assert guarded.storage[0].p_nom_max == math.inf
    assert guarded.storage[0].e_nom_max == 0.0


hostile = st.one_of(
    st.sampled_from([0.0, 1e-300, 1e-6, 1e-3, 1.0, 1e6, 1e9, 1e300, math.inf, math.nan]),
    st.floats(min_value=0.0, allow_nan=False),
)


@settings(max_examples=120, derandomize=True, deadline=None, database=None)
@given(
    capex=hostile,
    fuel=hostile,
    p_nom_max=hostile,
    p_nom_min=hostile,
    unserved=hostile,
)
def test_guard_output_is_within_limits(
    capex: float, fuel: float, p_nom_max: float, p_nom_min: float, unserved: float
) -> None:
    """Any hostile mix: an AipError, or inputs inside every documented limit."""
    base = two_hour_example()
    gas = generator(
        "gas_aero",
        capital_cost_usd_per_mw_year=capex,
        fuel_cost_usd_per_mwh=fuel,
        p_nom_max=p_nom_max,
        p_nom_min=p_nom_min,
    )
    inputs = dataclasses.replace(
        base, generators=[base.generators[0], gas], unserved_cost_usd_per_mwh=unserved
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConditioningWarning)  # rescaling is expected here
            guarded = guard_inputs(inputs)
    except AipError as err:
        assert "\n" not in str(err)
        return
    assert cost_span(guarded) <= MAX_COST_SPAN * (1 + 1e-12)
    g = guarded.generators[1]
    assert math.isfinite(g.capital_cost_usd_per_mw_year)
    assert g.p_nom_max == math.inf or g.p_nom_max <= MAX_CAPACITY_MW
    assert g.p_nom_min <= MAX_CAPACITY_MW
    assert guard_inputs(guarded) is guarded  # idempotent: nothing left to rescale
