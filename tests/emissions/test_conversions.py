"""Hand cases for every emission factor conversion."""

from __future__ import annotations

import pytest

from aip.data import load_catalog
from aip.emissions.controls import CATALOGUE_CONTROL, control_table
from aip.emissions.conversions import (
    TONNE_PER_LB,
    annual_tonnes,
    lb_per_mmbtu_to_ppm,
    lb_per_mmbtu_to_t_per_mwh,
    ppm_to_lb_per_mmbtu,
)


def test_method19_matches_the_bundled_derived_ap42_rows() -> None:
    # 2 ppm: 2 x 1.194e-7 x 8710 x 20.9 / 5.9 = 0.007368 lb/MMBtu (table row: 0.0074)
    assert ppm_to_lb_per_mmbtu(2.0) == pytest.approx(2 * 1.194e-7 * 8710 * 20.9 / 5.9)
    assert ppm_to_lb_per_mmbtu(2.0) == pytest.approx(0.0074, abs=5e-5)
    assert ppm_to_lb_per_mmbtu(9.0) == pytest.approx(0.033, abs=5e-4)
    assert ppm_to_lb_per_mmbtu(25.0) == pytest.approx(0.092, abs=5e-4)


def test_ppm_round_trip() -> None:
    assert lb_per_mmbtu_to_ppm(ppm_to_lb_per_mmbtu(25.0)) == pytest.approx(25.0)
    # AP-42 dry low-NOx 0.099 lb/MMBtu is about 27 ppm
    assert lb_per_mmbtu_to_ppm(0.099) == pytest.approx(26.9, abs=0.1)


def test_lb_per_mmbtu_to_tonnes() -> None:
    # 0.099 lb/MMBtu x 9.447 MMBtu/MWh = 0.935 lb/MWh = 4.242e-4 t/MWh
    rate = lb_per_mmbtu_to_t_per_mwh(0.099, heat_rate_mmbtu_per_mwh=9.447)
    assert rate == pytest.approx(0.099 * 9.447 * 0.45359237e-3)
    # 50 MW all year: 438,000 MWh x 4.242e-4 = 185.8 t
    assert annual_tonnes(rate, p_mw=50.0) == pytest.approx(50 * 8760 * rate)
    assert annual_tonnes(rate, p_mw=50.0) == pytest.approx(185.8, abs=0.1)


def test_catalogue_factors_equal_their_control_rows() -> None:
    catalog = load_catalog()
    table = control_table()
    for key, control in CATALOGUE_CONTROL.items():
        rows = table[table["control"] == control]
        nox_lb = catalog[key].emissions_t_per_mmbtu["nox"] / TONNE_PER_LB
        assert any(nox_lb == pytest.approx(v, rel=0.02) for v in rows["nox_lb_per_mmbtu"]), key


def test_colossus_permit_order_of_magnitude() -> None:
    """Shelby County permit (Jul 2025, FACTS.md section 2): 15 Solar SMT-130, 247 MW, capped
    at 87 t NOx/yr, described with SCR to 2 ppm. At 2 ppm and the EIA aeroderivative heat
    rate (9.447 MMBtu/MWh) the potential to emit of 247 MW all year is ~69 t/yr - the cap's
    order; at the 25 ppm operating limit it is ~860 t/yr, so the cap then allows ~10 % of
    the hours ('secondary backup')."""
    heat_rate = 9.447
    at_2ppm = annual_tonnes(
        lb_per_mmbtu_to_t_per_mwh(ppm_to_lb_per_mmbtu(2.0), heat_rate_mmbtu_per_mwh=heat_rate),
        p_mw=247.0,
    )
    at_25ppm = annual_tonnes(
        lb_per_mmbtu_to_t_per_mwh(ppm_to_lb_per_mmbtu(25.0), heat_rate_mmbtu_per_mwh=heat_rate),
        p_mw=247.0,
    )
    assert 87 / 2 < at_2ppm < 87 * 2
    assert at_2ppm == pytest.approx(68.6, abs=0.5)
    assert 87 / at_25ppm == pytest.approx(0.10, abs=0.01)
