"""NOx caps with control choices, 24/7 CFE, and the permit view."""

from __future__ import annotations

import numpy as np
import pytest

import aip
from aip.emissions.permits import permit_view
from aip.errors import InfeasibleError, ScenarioError
from aip.optimize import optimize
from aip.optimize.examples import generator, no_grid, storage
from aip.optimize.inputs import ModelInputs
from aip.schema.permits import PermitOptions


def small(**extra: object) -> dict:
    base = {
        "name": "nox",
        "site": {"station": "memphis"},
        "compute": {"accelerator": "h100", "count": 10_000},
        "facility": {"pue": 1.2},
        "grid": {"enabled": False},
        "technologies": {"gas_aero": {"p_nom_max": 100, "emission_controls": ["dln", "scr"]}},
        "constraints": {"n_minus": 0},
    }
    base.update(extra)
    return base


def test_nox_cap_buys_scr() -> None:
    """10k H100 at PUE 1.2 draw ~13.5 MW; DLN emits 4.24e-4 t/MWh (~50 t/yr), so a 5 t cap
    forces the SCR variant (3.2e-5 t/MWh, ~3.8 t/yr) within the shared 100 MW limit."""
    free = aip.plan(small())
    assert free.p_nom_mw["gas_aero+scr"] == pytest.approx(0.0, abs=1e-6)
    capped = aip.plan(small(constraints={"n_minus": 0, "nox_cap_t_per_year": 5.0}))
    assert capped.p_nom_mw["gas_aero+scr"] > 10.0
    assert capped.emissions_t_per_year["nox"] <= 5.0 + 1e-6
    assert capped.p_nom_mw["gas_aero"] + capped.p_nom_mw["gas_aero+scr"] <= 100.0 + 1e-6
    assert capped.objective_usd_per_year > free.objective_usd_per_year
    assert capped.sections["permits"]["within_nox_cap"] is True
    assert capped.shadow_prices["nox_cap"] != 0.0


def test_unknown_control_is_a_scenario_error() -> None:
    bad = small(technologies={"gas_aero": {"emission_controls": ["magic"]}})
    with pytest.raises(ScenarioError, match=r"emission_controls\[0\] = 'magic'.*dln"):
        aip.model_inputs(bad)


def test_nox_cap_without_controls_is_explained() -> None:
    bad = small(
        technologies={"gas_aero": {}},
        constraints={"n_minus": 0, "nox_cap_t_per_year": 1.0, "max_unserved_fraction": 0.0},
    )
    with pytest.raises(InfeasibleError, match="NOx cap"):
        aip.plan(bad)


def _cfe_case(share: float | None) -> ModelInputs:
    n = 2
    return ModelInputs(
        name="cfe",
        timestamps=["h0", "h1"],
        weights=np.ones(n),
        load_mw=np.array([100.0, 100.0]),
        generators=[
            generator(
                "pv",
                carrier="solar",
                capital_cost_usd_per_mw_year=10.0,
                capacity_credit=0.0,
                clean=True,
                cf=np.array([1.0, 0.0]),
            ),
            generator("gas_aero", fuel_cost_usd_per_mwh=5.0),
        ],
        storage=[
            storage("battery", capital_cost_usd_per_mw_year=1.0, capital_cost_usd_per_mwh_year=2.0)
        ],
        grid=no_grid(n),
        unserved_cost_usd_per_mwh=1e4,
        firm_capacity=False,
        min_cfe_share=share,
    )


@pytest.mark.parametrize(
    ("share", "cost"),
    [
        # gas only: 200 MWh x 5
        (None, 1000.0),
        # PV 100 MW serves hour 0 (1000) + gas 100 MWh in hour 1 (500)
        (0.5, 1500.0),
        # + PV 50 MW (500) charging a 50 MW / 50 MWh battery (50 + 100), gas 50 MWh (250)
        (0.75, 1900.0),
        # PV 200 MW + battery 100 MW / 100 MWh, no gas: 2000 + 100 + 200
        (1.0, 2300.0),
    ],
)
def test_cfe_share_hand_curve(share: float | None, cost: float) -> None:
    r = optimize(_cfe_case(share))
    assert r.objective_usd_per_year == pytest.approx(cost)
    if share is not None:
        assert r.cfe_share == pytest.approx(share, abs=1e-7)


def test_storage_cannot_launder_fossil_energy() -> None:
    inputs = _cfe_case(0.1)
    no_clean = ModelInputs(**{**inputs.__dict__, "generators": [inputs.generators[1]]})
    # no clean source at all: the message gives the reachable share itself, not a gap
    with pytest.raises(
        InfeasibleError, match=r"24/7.*highest reachable share is 0\.0000 \(target 0\.1000\)"
    ):
        optimize(no_clean)


def test_permit_view_on_hand_plan() -> None:
    """100 MW of gas at 1e-3 t NOx/MWh: PTE 876 t/yr (PSD major); dispatched 50 MW all
    year: 438 t/yr expected."""
    inputs = ModelInputs(
        name="permit",
        timestamps=["h0"],
        weights=np.array([8760.0]),
        load_mw=np.array([50.0]),
        generators=[
            generator(
                "gas_aero",
                p_nom_min=100.0,
                fuel_cost_usd_per_mwh=1.0,
                emissions_t_per_mwh={"co2": 0.5, "nox": 1e-3, "so2": 0, "pm25": 0},
            )
        ],
        storage=[],
        grid=no_grid(1),
        unserved_cost_usd_per_mwh=1e4,
    )
    view = permit_view(optimize(inputs), PermitOptions(), nox_cap_t_per_year=500.0)
    assert view["nox_potential_t_per_year"] == pytest.approx(876.0)
    assert view["nox_expected_t_per_year"] == pytest.approx(438.0)
    assert view["major_source"] and view["psd_major_source"]
    assert view["within_nox_cap"] is True
    assert "PSD major source" in view["verdict"]


def test_single_control_variant_stays_in_its_technology_group() -> None:
    """`emission_controls: [scr]` renames the column gas_aero+scr but it is still gas_aero
    for lead times and bridges (regression: the timeline could not find its base)."""
    inputs = aip.model_inputs(small(technologies={"gas_aero": {"emission_controls": ["scr"]}}))
    (gen,) = inputs.generators
    assert gen.key == "gas_aero+scr"
    assert gen.group_key == "gas_aero"


def test_a_minimum_is_shared_by_the_control_variants() -> None:
    """``p_nom_min`` with two controls binds the technology's total (it was dropped, and the
    ~13.5 MW campus built less); under a NOx cap the SCR turbines run and cheaper DLN
    capacity may fill the rest of the minimum, idle."""
    techs = {"gas_aero": {"p_nom_min": 60, "p_nom_max": 100, "emission_controls": ["dln", "scr"]}}
    free = aip.plan(small(technologies=techs))
    assert free.p_nom_mw["gas_aero"] + free.p_nom_mw["gas_aero+scr"] >= 60.0 - 1e-6
    capped = aip.plan(
        small(technologies=techs, constraints={"n_minus": 0, "nox_cap_t_per_year": 5})
    )
    assert capped.p_nom_mw["gas_aero"] + capped.p_nom_mw["gas_aero+scr"] >= 60.0 - 1e-6
    assert capped.p_nom_mw["gas_aero+scr"] > 10.0
    assert capped.emissions_t_per_year["nox"] <= 5.0 + 1e-6
