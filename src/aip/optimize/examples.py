"""Small, hand-solvable model inputs used in docs and tests."""

from __future__ import annotations

import numpy as np

from aip.optimize.inputs import GeneratorInputs, GridInputs, ModelInputs, StorageInputs

_ZERO = {"co2": 0.0, "nox": 0.0, "so2": 0.0, "pm25": 0.0}


def generator(key: str, **values: object) -> GeneratorInputs:
    """A generator with zero costs and unlimited capacity unless overridden."""
    base: dict[str, object] = {
        "key": key,
        "label": key,
        "carrier": "gas",
        "p_nom_existing": 0.0,
        "p_nom_min": 0.0,
        "p_nom_max": float("inf"),
        "capital_cost_usd_per_mw_year": 0.0,
        "fixed_om_usd_per_mw_year": 0.0,
        "fuel_cost_usd_per_mwh": 0.0,
        "variable_om_usd_per_mwh": 0.0,
        "ppa_usd_per_mwh": 0.0,
        "carbon_cost_usd_per_mwh": 0.0,
        "min_stable_pu": 0.0,
        "capacity_credit": 1.0,
        "unit_size_mw": 1.0,
        "clean": False,
        "emissions_t_per_mwh": dict(_ZERO),
        "cf": None,
    }
    base.update(values)
    return GeneratorInputs(**base)  # type: ignore[arg-type]


def storage(key: str, **values: object) -> StorageInputs:
    """A storage unit with zero costs and perfect efficiency unless overridden."""
    base: dict[str, object] = {
        "key": key,
        "label": key,
        "p_nom_existing": 0.0,
        "e_nom_existing": 0.0,
        "p_nom_min": 0.0,
        "p_nom_max": float("inf"),
        "e_nom_max": float("inf"),
        "capital_cost_usd_per_mw_year": 0.0,
        "capital_cost_usd_per_mwh_year": 0.0,
        "fixed_om_usd_per_mw_year": 0.0,
        "variable_om_usd_per_mwh": 0.0,
        "efficiency_charge": 1.0,
        "efficiency_discharge": 1.0,
        "duration_min_h": 0.0,
        "duration_max_h": float("inf"),
        "capacity_credit": 0.0,
    }
    base.update(values)
    return StorageInputs(**base)  # type: ignore[arg-type]


def no_grid(n: int) -> GridInputs:
    """A disabled grid connection for ``n`` snapshots."""
    return GridInputs(
        enabled=False,
        import_limit_mw=0.0,
        price_usd_per_mwh=np.zeros(n),
        demand_charge_usd_per_kw_month=0.0,
        emissions_t_per_mwh={k: np.zeros(n) for k in _ZERO},
        carbon_price_usd_per_t=0.0,
        clean_fraction=0.0,
        firm_fraction=1.0,
    )


def two_hour_example() -> ModelInputs:
    """Two hours, 100 MW load, PV (sun in hour 1 only) versus a gas turbine.

    PV costs 10 USD/MW/yr and is available 100 % in hour 1 and 0 % in hour 2;
    gas costs 1,000 USD/MW/yr plus 50 USD/MWh. Optimum: 100 MW gas (it must
    cover hour 2) and 100 MW PV (cheaper than gas fuel in hour 1), cost
    100*10 + 100*1000 + 100*50 = 106,000 USD.
    """
    return ModelInputs(
        name="two-hour",
        timestamps=["2025-01-01T00:00", "2025-01-01T01:00"],
        weights=np.ones(2),
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
            generator("gas_aero", capital_cost_usd_per_mw_year=1000.0, fuel_cost_usd_per_mwh=50.0),
        ],
        storage=[],
        grid=no_grid(2),
        unserved_cost_usd_per_mwh=10_000.0,
    )
