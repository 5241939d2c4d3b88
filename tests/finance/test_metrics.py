"""Textbook time-value-of-money cases and tax tables (hand-checkable values)."""

from __future__ import annotations

import pytest

from aip.finance import annuity_factor, irr, level_payment, macrs, npv, payback_years
from aip.finance.tax import MACRS, straight_line


def test_npv_textbook() -> None:
    # Microsoft Excel NPV help: NPV(10 %, -10000, 3000, 4200, 6800) = 1,188.44 with every
    # value discounted one period; our first flow is undiscounted, so prepend a zero.
    assert npv(0.10, [0.0, -10_000.0, 3_000.0, 4_200.0, 6_800.0]) == pytest.approx(
        1188.44, abs=0.005
    )


def test_irr_textbook() -> None:
    # Microsoft Excel IRR help: -70,000 then 12k, 15k, 18k, 21k, 26k -> 8.66 %.
    flows = [-70_000.0, 12_000.0, 15_000.0, 18_000.0, 21_000.0, 26_000.0]
    assert irr(flows) == pytest.approx(0.086630948, abs=1e-8)
    assert npv(irr(flows) or 0.0, flows) == pytest.approx(0.0, abs=1e-6)


def test_irr_none_without_sign_change() -> None:
    assert irr([100.0, 10.0]) is None
    assert irr([-100.0, -10.0]) is None


def test_annuity_and_mortgage() -> None:
    # 30-year 200,000 USD mortgage at 6 %/yr paid monthly: 1,199.10 USD/month (standard table).
    assert level_payment(200_000.0, 0.06 / 12, 360) == pytest.approx(1199.10, abs=0.005)
    # AF(8 %, 20) = 9.8181 (annuity tables); AF = 1 / CRF.
    assert annuity_factor(0.08, 20) == pytest.approx(9.818147, abs=1e-6)
    assert annuity_factor(0.0, 7) == 7.0


def test_payback() -> None:
    assert payback_years([-100.0, 40.0, 40.0, 40.0]) == pytest.approx(2.5)
    assert payback_years([-100.0, 10.0, 10.0]) is None
    # two construction years before operation: counted from the start of operation
    assert payback_years([-50.0, -50.0, 50.0, 50.0], start=1) == pytest.approx(2.0)


@pytest.mark.parametrize("years", sorted(MACRS))
def test_macrs_tables_sum_to_one(years: int) -> None:
    # IRS Pub. 946 Table A-1 rows sum to 100 % (rounded to 0.01 % in the table).
    assert sum(macrs(years)) == pytest.approx(1.0, abs=2e-4)
    assert len(macrs(years)) == years + 1  # half-year convention adds a year


def test_macrs_values_and_errors() -> None:
    assert macrs(7)[:2] == (0.1429, 0.2449)
    assert straight_line(5) == (0.2,) * 5
    with pytest.raises(ValueError, match=r"finance\.macrs_years"):
        macrs(10)
