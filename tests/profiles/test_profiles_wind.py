"""Wind capacity factor: one hour by hand, site ranking, curve data, bad input."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from aip.errors import DataError, ScenarioError, UnknownNameError
from aip.profiles.wind import (
    DEFAULT_TURBINE,
    hub_wind_speed,
    list_turbines,
    turbine_power_pu,
    turbine_spec,
    wind_capacity_factor,
)

SiteLoader = Callable[[str], tuple[pd.DataFrame, dict[str, float]]]


def _one_hour(v: float, temp: float = 15.0, pressure: float = 101325.0) -> pd.DataFrame:
    idx = pd.DatetimeIndex([pd.Timestamp("2025-03-01 12:00", tz="Etc/GMT+6")])
    return pd.DataFrame({"wind_speed": v, "temp_air": temp, "pressure": pressure}, index=idx)


def test_one_hour_by_hand() -> None:
    # 6 m/s at 10 m, 30 degC, 950 hPa; ATB 2020 5.5 MW reference, 120 m hub.
    v_hub = 6.0 * (120.0 / 10.0) ** (1.0 / 7.0)  # power law, alpha = 1/7 -> 8.557 m/s
    rho = 95000.0 / (287.042 * (30.0 + 273.15))  # ideal gas, dry air -> 1.0917 kg/m3
    v_n = v_hub * (rho / 1.225) ** (1.0 / 3.0)  # IEC 61400-12-1 -> 8.235 m/s
    assert 8.0 < v_n < 8.25
    # Source curve (NREL turbine-models, 2020ATB_NREL_Reference_5.5MW_175.csv):
    # 8.00 m/s -> 2990 kW, 8.25 m/s -> 3287 kW; linear in between.
    p_kw = 2990.0 + (v_n - 8.0) / 0.25 * (3287.0 - 2990.0)
    expected = p_kw / 5500.0 * (1.0 - 0.10)
    cf = wind_capacity_factor(_one_hour(6.0, 30.0, 95000.0))
    assert cf.iloc[0] == pytest.approx(expected, rel=1e-9)
    assert cf.iloc[0] == pytest.approx(0.535, abs=1e-3)


def test_density_correction_direction() -> None:
    # Cold dense air gives more power below rated speed than hot thin air.
    cold = wind_capacity_factor(_one_hour(5.0, -10.0, 102000.0)).iloc[0]
    hot = wind_capacity_factor(_one_hour(5.0, 40.0, 90000.0)).iloc[0]
    assert cold > hot * 1.1


def test_cut_in_rated_and_cut_out() -> None:
    spec = turbine_spec(DEFAULT_TURBINE)
    pu = turbine_power_pu(spec, np.array([0.0, 2.9, 10.0, 20.0, 24.99, 25.0, 40.0]))
    assert pu.tolist() == [0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0]


def test_log_law_and_power_law() -> None:
    z0 = 0.03
    assert float(hub_wind_speed(5.0, 100.0, roughness_length_m=z0)[()]) == pytest.approx(
        5.0 * np.log(100.0 / z0) / np.log(10.0 / z0), rel=1e-12
    )
    assert float(hub_wind_speed(5.0, 100.0)[()]) == pytest.approx(5.0 * 10.0 ** (1 / 7))


def test_windy_texas_beats_atlanta(site_weather: SiteLoader) -> None:
    abilene = wind_capacity_factor(site_weather("abilene")[0]).mean()
    atlanta = wind_capacity_factor(site_weather("atlanta")[0]).mean()
    assert abilene > atlanta + 0.08
    # ATB 2024 land-based wind 2025 CFs span 0.27 (class 10) to 0.51 (class 1)
    # (shared/data/costs/pypsa_us_selected_market_moderate.csv). West Texas sits in the upper
    # half; the Southeast is at or below class 10. A 10 m airport anemometer and a 1/7 shear
    # law are crude, so we only ask for the right half of that span.
    assert 0.30 < abilene < 0.51
    assert atlanta < 0.30


def test_profile_bounds_and_taller_hub(site_weather: SiteLoader) -> None:
    weather, _ = site_weather("abilene")
    cf = wind_capacity_factor(weather)
    assert cf.index.equals(weather.index)
    assert cf.between(0.0, 0.9).all()  # 1 - losses
    assert cf.max() == pytest.approx(0.9)
    assert wind_capacity_factor(weather, hub_height_m=160.0).mean() > cf.mean()


def test_bundled_turbines_are_consistent() -> None:
    names = list_turbines()
    assert DEFAULT_TURBINE in names and len(names) >= 3
    for name in names:
        spec = turbine_spec(name)
        assert max(spec.power_kw) == spec.rated_kw
        assert np.all(np.diff(spec.power_kw) >= 0)
        assert spec.hub_height_m > spec.rotor_diameter_m / 2  # blade clears the ground
        assert "BSD-3-Clause" in spec.source


def test_errors() -> None:
    weather = _one_hour(6.0)
    with pytest.raises(UnknownNameError, match=r"atb2020_5\.5mw_175") as info:
        wind_capacity_factor(weather, turbine="vestas_v999")
    assert isinstance(info.value, ValueError)
    with pytest.raises(ScenarioError, match="losses"):
        wind_capacity_factor(weather, losses=10.0)
    with pytest.raises(ScenarioError, match="shear_exponent"):
        wind_capacity_factor(weather, shear_exponent=-0.2)
    with pytest.raises(ScenarioError, match="roughness_length_m"):
        wind_capacity_factor(weather, roughness_length_m=50.0)
    with pytest.raises(DataError, match="wind_speed"):
        wind_capacity_factor(weather.drop(columns="wind_speed"))
