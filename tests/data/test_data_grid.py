"""Grid data: state prices, AVERT hourly rates, country intensities."""

from __future__ import annotations

import pytest

from aip.data import (
    avert_hourly_rates,
    avert_regions,
    country_grid_intensity_t_per_mwh,
    state_industrial_price_usd_per_mwh,
)
from aip.errors import UnknownNameError


def test_tennessee_price_by_code_and_name() -> None:
    # EIA 2023 industrial 6.23 cents/kWh -> 62.3 USD/MWh
    assert state_industrial_price_usd_per_mwh("TN") == pytest.approx(62.3, abs=1e-9)
    assert state_industrial_price_usd_per_mwh("tennessee") == pytest.approx(62.3, abs=1e-9)
    # Texas 6.60 cents/kWh; Virginia 8.92 cents/kWh
    assert state_industrial_price_usd_per_mwh(" tx ") == pytest.approx(66.0, abs=1e-9)
    assert state_industrial_price_usd_per_mwh("Virginia") == pytest.approx(89.2, abs=1e-9)


def test_unknown_state_raises() -> None:
    with pytest.raises(UnknownNameError, match="known: AK, AL"):
        state_industrial_price_usd_per_mwh("Atlantis")
    with pytest.raises(UnknownNameError):  # cut off in the source copy
        state_industrial_price_usd_per_mwh("WY")


def test_avert_regions() -> None:
    regions = avert_regions()
    assert len(regions) == 17
    assert {"TN", "TE", "MIDA", "SE", "NW", "SW", "MIDW"} <= set(regions)


def test_avert_conversion_hand_checked() -> None:
    rates = avert_hourly_rates("tn")
    assert rates.shape == (8760, 4)
    assert list(rates.columns) == ["co2", "nox", "so2", "pm25"]
    # First hour, TN: CO2 2.01, NOx 0.0012, SO2 0.00135, PM2.5 7.3e-4 lb/kWh;
    # x 1000 kWh/MWh x 0.45359237e-3 t/lb = x 0.45359237
    first = rates.iloc[0]
    assert first["co2"] == pytest.approx(2.01 * 0.45359237, rel=1e-12)
    assert first["nox"] == pytest.approx(0.0012 * 0.45359237, rel=1e-12)
    assert first["so2"] == pytest.approx(0.00135 * 0.45359237, rel=1e-12)
    assert first["pm25"] == pytest.approx(7.3e-4 * 0.45359237, rel=1e-12)
    # Second hour, MIDA CO2 0.82 lb/kWh
    assert avert_hourly_rates("MIDA")["co2"].iloc[1] == pytest.approx(0.82 * 0.45359237)


def test_avert_unknown_region() -> None:
    with pytest.raises(UnknownNameError, match="AVERT region"):
        avert_hourly_rates("XX")


def test_country_intensity() -> None:
    # Ember 2024: Canada 184.99 g/kWh, Sweden 35.89 g/kWh
    assert country_grid_intensity_t_per_mwh("can") == pytest.approx(0.18499)
    assert country_grid_intensity_t_per_mwh("SWE") == pytest.approx(0.03589)
    with pytest.raises(UnknownNameError):
        country_grid_intensity_t_per_mwh("FRA")
