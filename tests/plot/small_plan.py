"""The small hand-built plan shared by the plot and report tests."""

from __future__ import annotations

import numpy as np

from aip.optimize.examples import generator, storage
from aip.optimize.inputs import GridInputs, ModelInputs

N = 48


def small_inputs() -> ModelInputs:
    """Two days, 100 MW flat load: PV, a capped gas turbine, a battery, a capped grid.

    Gas (60 MW max) plus grid (20 MW max) cannot cover the night, so the battery
    shifts PV and, with unserved load cheap (300 USD/MWh), some load goes unserved;
    PV is cheap enough that some midday surplus is spilled.
    """
    hour = np.arange(N) % 24
    cf_pv = np.clip(np.sin((hour - 6) / 12 * np.pi), 0.0, None)
    grid_rates = {
        "co2": np.full(N, 0.4),
        "nox": np.full(N, 2e-4),
        "so2": np.full(N, 1e-4),
        "pm25": np.full(N, 5e-5),
    }
    grid = GridInputs(
        enabled=True,
        import_limit_mw=20.0,
        price_usd_per_mwh=np.full(N, 60.0),
        demand_charge_usd_per_kw_month=0.0,
        emissions_t_per_mwh=grid_rates,
        carbon_price_usd_per_t=0.0,
        clean_fraction=0.0,
        firm_fraction=1.0,
    )
    gas_rates = {"co2": 0.45, "nox": 4e-4, "so2": 1e-5, "pm25": 3e-5}
    return ModelInputs(
        name="small",
        timestamps=[f"2025-06-{1 + t // 24:02d}T{t % 24:02d}:00:00-05:00" for t in range(N)],
        weights=np.ones(N),
        load_mw=np.full(N, 100.0),
        generators=[
            generator(
                "pv",
                label="Solar PV",
                carrier="solar",
                capital_cost_usd_per_mw_year=50.0,
                capacity_credit=0.0,
                clean=True,
                cf=cf_pv,
            ),
            generator(
                "gas_aero",
                label="Gas CT",
                p_nom_max=60.0,
                capital_cost_usd_per_mw_year=500.0,
                fuel_cost_usd_per_mwh=40.0,
                emissions_t_per_mwh=gas_rates,
            ),
        ],
        storage=[
            storage(
                "battery",
                label="Battery",
                p_nom_max=30.0,
                e_nom_max=120.0,
                capital_cost_usd_per_mwh_year=5.0,
                efficiency_charge=0.95,
                efficiency_discharge=0.95,
            )
        ],
        grid=grid,
        unserved_cost_usd_per_mwh=300.0,
        firm_capacity=False,
    )
