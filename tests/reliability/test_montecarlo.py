"""Outage Monte Carlo against analytic results.

Tolerances: 4 standard errors of the Monte Carlo mean (sample-years are independent),
so a correct implementation fails a given check with probability about 6e-5; the seeds
are fixed, so the tests are deterministic.
"""

from __future__ import annotations

import numpy as np
import pytest

from aip.errors import ScenarioError
from aip.reliability import (
    StorageFleet,
    UnitGroup,
    simulate_adequacy,
    transition_probabilities,
    units_for,
)

H = 8760
Q, MTTR = 0.05, 50.0
K = 4.0  # standard errors allowed


def _within(value: float, expected: float, se: float) -> bool:
    return abs(value - expected) <= K * se


def test_transition_probabilities_give_the_forced_outage_rate() -> None:
    for q, mttr in [(0.03, 31.0), (0.02, 150.0), (0.4, 0.5)]:
        p, r = transition_probabilities(q, mttr)
        assert p / (p + r) == pytest.approx(q, rel=1e-12)
        assert r == pytest.approx(min(1.0, 1.0 / mttr))


@pytest.mark.parametrize("q", [-0.1, 1.0, float("nan")])
def test_bad_outage_rate_is_a_scenario_error(q: float) -> None:
    with pytest.raises(ScenarioError, match="forced_outage_rate"):
        transition_probabilities(q, 10.0)


def test_units_keep_the_planned_capacity() -> None:
    assert units_for(166.4, 50.0) == (4, pytest.approx(41.6))
    assert units_for(100.0, 50.0) == (2, 50.0)
    assert units_for(0.0, 50.0) == (0, 0.0)


def test_one_unit_availability_is_one_minus_q() -> None:
    unit = UnitGroup("gas", 1, 100.0, Q, MTTR)
    res = simulate_adequacy(np.full(H, 100.0), [unit], samples=2000, seed=11)
    assert _within(res.availability, 1 - Q, res.availability_se)
    # energy = time for a flat load that is lost entirely in an outage
    assert res.energy_availability == pytest.approx(res.availability)
    assert _within(res.expected_unserved_mwh, Q * 100.0 * H, res.expected_unserved_mwh_se)
    # failures start from up states: E[events] = q + (H - 1) (1 - q) p
    p, _ = transition_probabilities(Q, MTTR)
    assert _within(res.loss_of_load_events, Q + (H - 1) * (1 - Q) * p, res.loss_of_load_events_se)


def test_two_units_n_plus_one_match_the_binomial() -> None:
    units = [UnitGroup("gas", 2, 100.0, Q, MTTR)]
    # N+1: load of one unit is lost only when both are down
    res = simulate_adequacy(np.full(H, 100.0), units, samples=2000, seed=12)
    assert _within(res.availability, 1 - Q**2, res.availability_se)
    # load of 1.5 units: both units must be up
    res = simulate_adequacy(np.full(H, 150.0), units, samples=2000, seed=13)
    assert _within(res.availability, (1 - Q) ** 2, res.availability_se)
    expected_eue = H * (2 * Q * (1 - Q) * 50.0 + Q**2 * 150.0)
    assert _within(res.expected_unserved_mwh, expected_eue, res.expected_unserved_mwh_se)


def test_three_units_two_needed_match_the_binomial() -> None:
    q = 0.1
    res = simulate_adequacy(
        np.full(H, 200.0), [UnitGroup("cc", 3, 100.0, q, 33.0)], samples=2000, seed=14
    )
    lost = 3 * q**2 * (1 - q) + q**3
    assert _within(res.availability, 1 - lost, res.availability_se)


def test_same_seed_same_answer_and_no_outages_means_full_supply() -> None:
    units = [UnitGroup("gas", 3, 50.0, 0.03, 31.0), UnitGroup("grid", 1, 60.0, 0.01, 4.0)]
    load = np.full(H, 150.0)
    a = simulate_adequacy(load, units, samples=300, seed=5)
    b = simulate_adequacy(load, units, samples=300, seed=5)
    assert a.availability == b.availability and a.loss_of_load_events == b.loss_of_load_events
    perfect = simulate_adequacy(load, [UnitGroup("nuc", 2, 100.0, 0.0, 150.0)], samples=20)
    assert perfect.availability == 1.0 and perfect.expected_unserved_mwh == 0.0


def test_storage_rides_through_a_hand_computed_shortfall() -> None:
    # 10 MW load; supply 12 MW (2 MW surplus recharges) except hours 100-102 and 200-201.
    load = np.full(H, 10.0)
    supply = np.full(H, 12.0)
    supply[100:103] = 0.0
    supply[200:202] = 0.0
    lossless = StorageFleet(p_mw=10.0, e_mwh=20.0)
    res = simulate_adequacy(load, [], fixed_supply_mw=supply, storage=lossless, samples=3)
    # 20 MWh covers hours 100-101; hour 102 is lost; 2 MW refills by hour 200.
    assert res.expected_unserved_mwh == pytest.approx(10.0)
    assert res.loss_of_load_hours == 1.0 and res.loss_of_load_events == 1.0
    lossy = StorageFleet(10.0, 20.0, efficiency_charge=0.9, efficiency_discharge=0.9)
    res = simulate_adequacy(load, [], fixed_supply_mw=supply, storage=lossy, samples=3)
    # 20 MWh x 0.9 = 18 MWh delivered per full store: hour 101 short 2 MW and hour 102
    # short 10 MW; refilled (1.8 MWh/h) by hour 200, then hour 201 short 2 MW.
    assert res.expected_unserved_mwh == pytest.approx(14.0)
    assert res.loss_of_load_hours == 3.0 and res.loss_of_load_events == 2.0


def test_storage_reduces_loss_of_load_from_outages() -> None:
    units = [UnitGroup("gas", 2, 100.0, Q, MTTR)]
    load = np.full(H, 150.0)
    bare = simulate_adequacy(load, units, samples=200, seed=3)
    battery = StorageFleet(50.0, 200.0, 0.92, 0.92)
    backed = simulate_adequacy(load, units, storage=battery, samples=200, seed=3)
    assert backed.expected_unserved_mwh < bare.expected_unserved_mwh
    assert backed.loss_of_load_hours < bare.loss_of_load_hours


def test_bad_inputs_are_scenario_errors() -> None:
    with pytest.raises(ScenarioError, match="fixed_supply_mw"):
        simulate_adequacy(np.ones(10), [], fixed_supply_mw=np.ones(5))
    with pytest.raises(ScenarioError, match="load_mw"):
        simulate_adequacy(np.array([1.0, np.nan]), [])
    with pytest.raises(ScenarioError, match="samples"):
        simulate_adequacy(np.ones(10), [], samples=0)
