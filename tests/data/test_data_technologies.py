"""Technology catalogue: EIA numbers verbatim, ATB deflation, battery split, emissions."""

from __future__ import annotations

import dataclasses
import math

import pytest

from aip.data import CATALOGS, battery_cost_split, catalog_frame, fuel_prices, load_catalog
from aip.data.technologies import TechnologyData
from aip.errors import UnknownNameError

KEYS = {"gas_aero", "gas_frame", "gas_cc", "gas_recip", "nuclear", "nuclear_smr",
        "nuclear_ppa", "coal", "pv", "wind", "battery", "diesel"}  # fmt: skip
FIELDS = [
    "key", "label", "kind", "carrier", "capex_usd_per_kw", "capex_usd_per_kwh",
    "fixed_om_usd_per_kw_year", "variable_om_usd_per_mwh", "heat_rate_mmbtu_per_mwh",
    "lifetime_years", "unit_size_mw", "lead_time_years", "min_stable_pu",
    "efficiency_charge", "efficiency_discharge", "duration_min_h", "duration_max_h",
    "ppa_price_usd_per_mwh", "emissions_t_per_mmbtu", "emission_control",
    "forced_outage_rate", "cost_year", "source",
]  # fmt: skip
DEFLATOR = 1.041 * 1.029 * 1.027  # CPI-U 2023-2025, stated in SOURCES.md
LB = 0.45359237e-3  # t per lb


def test_fields_are_the_agreed_interface() -> None:
    assert [f.name for f in dataclasses.fields(TechnologyData)] == FIELDS


@pytest.mark.parametrize("name", CATALOGS)
def test_catalogue_complete_and_sane(name: str) -> None:
    cat = load_catalog(name)
    assert set(cat) == KEYS
    for key, t in cat.items():
        assert t.key == key and t.cost_year == 2025
        assert t.kind in ("generator", "storage")
        assert t.carrier in ("gas", "coal", "uranium", "diesel", "solar", "wind", "electricity")
        assert set(t.emissions_t_per_mmbtu) == {"co2", "nox", "so2", "pm25"}
        assert 0 <= t.min_stable_pu < 1 and 0 <= t.forced_outage_rate < 0.2
        assert t.lifetime_years > 0 and t.unit_size_mw > 0 and t.lead_time_years > 0
        assert t.source
        if t.carrier in ("gas", "coal", "diesel"):
            assert t.heat_rate_mmbtu_per_mwh is not None
            assert t.emissions_t_per_mmbtu["co2"] > 0
        else:  # nuclear has a heat rate but no stack emissions
            assert all(v == 0 for v in t.emissions_t_per_mmbtu.values())
        if t.kind == "generator":
            assert t.capex_usd_per_kwh == 0 and t.efficiency_charge == 1.0
            assert t.duration_min_h == t.duration_max_h == 0
    assert list(catalog_frame(name).index) == list(cat)


def test_eia_values_verbatim() -> None:
    cat = load_catalog()
    frame = cat["gas_frame"]  # Table 3: 1158, 7.18, 4.17, 9142 Btu/kWh, 2 y
    assert frame.capex_usd_per_kw == 1158.0
    assert frame.fixed_om_usd_per_kw_year == 7.18
    assert frame.variable_om_usd_per_mwh == 4.17
    assert frame.heat_rate_mmbtu_per_mwh == pytest.approx(9.142, abs=1e-12)
    assert frame.lead_time_years == 2.0
    aero = cat["gas_aero"]
    assert (aero.capex_usd_per_kw, aero.heat_rate_mmbtu_per_mwh) == (2275.0, 9.447)
    cc = cat["gas_cc"]  # multi-shaft: 1032, 12.69, 3.57, 6226
    assert (cc.capex_usd_per_kw, cc.fixed_om_usd_per_kw_year) == (1032.0, 12.69)
    assert cat["nuclear"].capex_usd_per_kw == 8255.0  # total overnight incl. optimism factor
    assert cat["pv"].heat_rate_mmbtu_per_mwh is None  # 3412 is a convention only
    assert cat["wind"].capex_usd_per_kw == 1712.0


def test_atb_deflated_where_atb_has_the_technology() -> None:
    atb, eia = load_catalog("NREL-ATB2024"), load_catalog()
    # Gas-CT 2025: 1084 USD2022/kW, 25.7 FOM, 6.94 VOM, 9.717 heat rate
    assert atb["gas_frame"].capex_usd_per_kw == pytest.approx(1084 * DEFLATOR, rel=1e-12)
    assert atb["gas_frame"].fixed_om_usd_per_kw_year == pytest.approx(25.7 * DEFLATOR)
    assert atb["gas_frame"].variable_om_usd_per_mwh == pytest.approx(6.94 * DEFLATOR)
    assert atb["gas_frame"].heat_rate_mmbtu_per_mwh == 9.717  # not deflated
    assert atb["nuclear"].capex_usd_per_kw == pytest.approx(5750 * DEFLATOR)
    assert atb["pv"].capex_usd_per_kw == pytest.approx(1323.052152 * DEFLATOR)
    assert abs(DEFLATOR - 1.1001) < 1e-4
    # Fall-backs are the EIA rows and say so
    assert atb["gas_aero"].capex_usd_per_kw == eia["gas_aero"].capex_usd_per_kw
    assert atb["wind"].source.startswith("EIA row (ATB 2024 lacks it)")


def test_battery_split_reproduces_4h_total() -> None:
    eia = load_catalog()["battery"]
    assert eia.capex_usd_per_kw + 4 * eia.capex_usd_per_kwh == pytest.approx(1521.0, rel=1e-12)
    assert eia.capex_usd_per_kw > 0 and eia.capex_usd_per_kwh > 0
    atb = load_catalog("nrel-atb2024")["battery"]
    assert atb.capex_usd_per_kw + 4 * atb.capex_usd_per_kwh == pytest.approx(1551.07 * DEFLATOR)
    assert eia.efficiency_charge * eia.efficiency_discharge == pytest.approx(0.85)
    assert (eia.duration_min_h, eia.duration_max_h) == (2.0, 8.0)


def test_battery_split_hand_case() -> None:
    # Exact line 400 + 250 h through (2, 900), (4, 1400), (8, 2400); target = line at 4 h.
    per_kw, per_kwh = battery_cost_split([2, 4, 8], [900, 1400, 2400], 1400)
    assert (per_kw, per_kwh) == (pytest.approx(400.0), pytest.approx(250.0))
    # Doubling the target doubles both parts.
    per_kw2, per_kwh2 = battery_cost_split([2, 4, 8], [900, 1400, 2400], 2800)
    assert (per_kw2, per_kwh2) == (pytest.approx(800.0), pytest.approx(500.0))


def test_gas_emission_factors_from_ap42() -> None:
    cat = load_catalog()
    e = cat["gas_frame"].emissions_t_per_mmbtu
    assert e["co2"] == pytest.approx(110 * LB)
    assert e["nox"] == pytest.approx(0.099 * LB)  # AP-42 lean-premix (DLN)
    assert e["so2"] == pytest.approx(0.0034 * LB)
    assert e["pm25"] == pytest.approx(0.0066 * LB)
    assert cat["gas_cc"].emissions_t_per_mmbtu["nox"] == pytest.approx(0.0074 * LB)  # SCR 2 ppm
    assert cat["gas_recip"].emissions_t_per_mmbtu["nox"] == pytest.approx(4.08 * LB)
    assert "dry low NOx" in cat["gas_aero"].emission_control


def test_coal_and_diesel_assumptions() -> None:
    cat = load_catalog()
    coal = cat["coal"]
    assert coal.capex_usd_per_kw == pytest.approx(3148.7 * DEFLATOR)
    assert coal.emissions_t_per_mmbtu["co2"] == pytest.approx(0.09552)
    assert coal.emissions_t_per_mmbtu["nox"] == pytest.approx(0.70 / 8.419 * LB)
    assert "assumption" in coal.source
    diesel = cat["diesel"]
    assert diesel.heat_rate_mmbtu_per_mwh == pytest.approx(3.41214 / 0.322)
    assert diesel.emissions_t_per_mmbtu["co2"] == pytest.approx(22.51 / (40.7 * 3.41214e-3) * LB)
    recip = cat["gas_recip"]
    assert recip.heat_rate_mmbtu_per_mwh == pytest.approx(3.41214 / 0.405)
    assert recip.unit_size_mw == pytest.approx(700 / 210)


def test_nuclear_ppa() -> None:
    ppa = load_catalog()["nuclear_ppa"]
    assert ppa.capex_usd_per_kw == 0.0 and ppa.ppa_price_usd_per_mwh == 110.0
    assert ppa.heat_rate_mmbtu_per_mwh is None and "Crane" in ppa.source


def test_catalogue_copies_are_independent() -> None:
    cat = load_catalog()
    cat["gas_cc"].emissions_t_per_mmbtu["co2"] = 99.0  # type: ignore[index]
    assert load_catalog()["gas_cc"].emissions_t_per_mmbtu["co2"] == pytest.approx(110 * LB)


def test_unknown_catalogue() -> None:
    with pytest.raises(UnknownNameError, match="known: eia-aeo2026, nrel-atb2024"):
        load_catalog("lazard")


def test_fuel_prices() -> None:
    prices = fuel_prices()
    assert set(prices) == {"gas", "coal", "uranium", "diesel"}
    assert prices["diesel"] == pytest.approx(3.61 / (40.7 * 3.41214e-3))
    assert all(math.isfinite(v) and v >= 0 for v in prices.values())
