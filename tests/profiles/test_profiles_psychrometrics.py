"""Wet bulb and air density: hand values, an independent empirical fit, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aip.errors import ScenarioError
from aip.profiles.psychrometrics import (
    air_density,
    humidity_ratio,
    saturation_vapor_pressure,
    wet_bulb_temperature,
    wet_bulb_temperature_stull,
)

P0 = 101325.0


@pytest.mark.parametrize(
    ("temp", "rh", "expected"),
    [
        # Psychrometric chart (ASHRAE, sea level): 25 degC / 50 % -> 17.9 degC; 30 / 50 -> 22.0.
        # Chart reading resolution is about 0.1 K, hence the tolerance.
        (25.0, 0.5, 17.9),
        (30.0, 0.5, 22.0),
        # Stull (2011) worked example 20 degC / 50 % -> 13.7 degC (his fit; exact ~13.8).
        (20.0, 0.5, 13.75),
    ],
)
def test_wet_bulb_hand_values(temp: float, rh: float, expected: float) -> None:
    assert wet_bulb_temperature(temp, rh, P0) == pytest.approx(expected, abs=0.1)


def test_saturated_air_wet_bulb_equals_dry_bulb() -> None:
    t = np.array([-20.0, -5.0, 0.5, 15.0, 35.0])
    assert np.asarray(wet_bulb_temperature(t, 1.0, P0)) == pytest.approx(t, abs=1e-6)


def test_wet_bulb_satisfies_the_psychrometric_equation() -> None:
    # Put the solved wet bulb back into ASHRAE eq. 33 by hand: it must return the actual W.
    t, rh = 32.0, 0.35
    twb = wet_bulb_temperature(t, rh, P0)
    pw = rh * saturation_vapor_pressure(t)
    w = humidity_ratio(pw, P0)
    ws_star = humidity_ratio(saturation_vapor_pressure(twb), P0)
    w_back = ((2501 - 2.326 * twb) * ws_star - 1.006 * (t - twb)) / (2501 + 1.86 * t - 4.186 * twb)
    assert w_back == pytest.approx(w, rel=1e-9)
    assert w < ws_star  # unsaturated air is drier than saturation at its wet bulb


def test_wet_bulb_agrees_with_stull_2011_within_its_stated_error() -> None:
    # Stull (2011) reports errors of -1 K to +0.65 K (mean absolute 0.28 K) over
    # RH 5-99 % and -20..50 degC, excluding the cold-and-dry corner; we test 0..45 degC and
    # RH 10-99 % with 0.05 K of slack on his envelope.
    temp, rh = np.meshgrid(np.arange(0.0, 45.1, 1.0), np.arange(0.10, 0.991, 0.01))
    ours = np.asarray(wet_bulb_temperature(temp.ravel(), rh.ravel(), P0))
    stull = np.asarray(wet_bulb_temperature_stull(temp.ravel(), rh.ravel()))
    diff = ours - stull
    assert diff.min() >= -1.05
    assert diff.max() <= 0.70
    assert np.abs(diff).mean() <= 0.35
    typical = (temp.ravel() >= 10) & (temp.ravel() <= 35) & (rh.ravel() >= 0.4)
    assert np.abs(diff[typical]).max() <= 1.0


def test_wet_bulb_below_freezing_lies_between_dew_point_and_dry_bulb() -> None:
    twb = wet_bulb_temperature(-10.0, 0.5, P0)
    assert -16.0 < twb < -10.0  # dew point at -10 degC / 50 % is about -17 degC


def test_lower_pressure_gives_lower_wet_bulb() -> None:
    # More evaporation at altitude: 25 degC / 50 % at 80 kPa is cooler than at sea level.
    assert wet_bulb_temperature(25.0, 0.5, 80000.0) < wet_bulb_temperature(25.0, 0.5, P0) - 0.3


def test_series_in_series_out_and_nan_passes_through() -> None:
    idx = pd.date_range("2025-01-01", periods=3, freq="h", tz="UTC")
    t = pd.Series([10.0, np.nan, 30.0], index=idx)
    out = wet_bulb_temperature(t, pd.Series(0.5, index=idx), pd.Series(P0, index=idx))
    assert isinstance(out, pd.Series)
    assert out.index.equals(idx)
    assert np.isnan(out.iloc[1])
    assert out.iloc[2] == pytest.approx(22.0, abs=0.1)


def test_air_density_hand_values() -> None:
    assert air_density(15.0, P0) == pytest.approx(1.225, abs=5e-4)  # ISA sea level
    assert air_density(30.0, 100000.0) == pytest.approx(100000.0 / (287.042 * 303.15), rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"temp_air": 25.0, "relative_humidity": 50.0, "pressure": P0}, "relative_humidity"),
        ({"temp_air": 25.0, "relative_humidity": 0.5, "pressure": 1013.25}, "pressure"),
        ({"temp_air": 125.0, "relative_humidity": 0.5, "pressure": P0}, "temp_air"),
        ({"temp_air": "warm", "relative_humidity": 0.5, "pressure": P0}, "temp_air"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ScenarioError, match=field) as info:
        wet_bulb_temperature(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert "\n" not in str(info.value)
