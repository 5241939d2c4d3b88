"""Hand-solvable cash-flow cases: annuity breakeven, tax, ITC, debt, inflation, breakdown."""

from __future__ import annotations

import numpy as np
import pytest

from aip.finance import (
    Asset,
    DebtTerms,
    FinanceCase,
    Opex,
    breakeven_price,
    case_metrics,
    cash_flows,
    npv,
)
from aip.finance.tax import straight_line
from aip.optimize.inputs import capital_recovery_factor


def _case(life: float = 10.0, years: int = 10, **kw: object) -> FinanceCase:
    base: dict[str, object] = {
        "assets": (Asset("plant", "power", 1000.0, life, (1.0,), straight_line(5)),),
        "opex": (Opex("om", "power", 50.0),),
        "units_per_year": 100.0,
        "years": years,
        "discount_rate": 0.08,
        "cost_of_equity": 0.08,
    }
    base.update(kw)
    return FinanceCase(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(("life", "years"), [(10, 10), (30, 10), (4, 10), (7, 20)])
def test_breakeven_is_annuity_cost_without_tax_and_debt(life: float, years: int) -> None:
    # p* = (K CRF(r, L) + opex) / units for any horizon: replacements and the
    # residual value keep every year's capital cost at its annuity.
    price, split = breakeven_price(_case(life, years), 1.0, "test")
    expected = (1000.0 * capital_recovery_factor(0.08, life) + 50.0) / 100.0
    assert price == pytest.approx(expected, rel=1e-9)
    assert split["power"] == pytest.approx(price, rel=1e-9)


def test_tax_and_depreciation_by_hand() -> None:
    # capex 100 at year 0, one operating year, revenue 150, all depreciated in year 1,
    # tax 50 %: tax = 0.5 (150 - 100) = 25, after-tax flow 125.
    case = _case(
        assets=(Asset("plant", "power", 100.0, 1.0, (1.0,), (1.0,)),),
        opex=(),
        units_per_year=1.0,
        years=1,
        tax_rate=0.5,
    )
    t = cash_flows(case, 150.0).table
    assert t["tax"].tolist() == pytest.approx([0.0, 25.0])
    assert t["project"].tolist() == pytest.approx([-100.0, 125.0])


def test_itc_credit_and_basis_reduction() -> None:
    # ITC 30 % of 100 is 30 in the service year; the depreciable basis is 100 (1 - 0.15).
    case = _case(
        assets=(Asset("pv", "power", 100.0, 1.0, (1.0,), (1.0,), itc_fraction=0.3),),
        opex=(),
        units_per_year=1.0,
        years=1,
        tax_rate=0.2,
    )
    t = cash_flows(case, 0.0).table
    assert t["itc"].iloc[1] == pytest.approx(30.0)
    assert t["depreciation"].iloc[1] == pytest.approx(85.0)
    assert t["tax"].iloc[1] == pytest.approx(0.2 * -85.0 - 30.0)


def test_mortgage_debt_by_hand() -> None:
    # 50 % of 1000 at 10 % over 2 years: payment 500 / AF(10 %, 2) = 288.095;
    # year 1 interest 50, principal 238.095; year 2 interest 26.19, principal 261.905.
    debt = DebtTerms(sizing="leverage", leverage=0.5, rate=0.10, tenor_years=2)
    t = cash_flows(_case(years=3, debt=debt), 5.0).table
    assert t["debt_draw"].iloc[0] == pytest.approx(500.0)
    assert t["interest"].tolist() == pytest.approx([0.0, 50.0, 26.190476, 0.0], abs=1e-6)
    assert t["principal"].tolist() == pytest.approx([0.0, 238.095238, 261.904762, 0.0], abs=1e-6)
    assert (t["equity"] - t["project"]).tolist() == pytest.approx(
        [500.0, -288.095238, -288.095238, 0.0], abs=1e-6
    )


def test_dscr_sizing() -> None:
    # CFADS = 100 x 6 - 50 = 550/yr; payment 550 / 1.375 = 400; debt 400 AF(10 %, 2),
    # below the 0.9 x 1000 leverage cap.
    debt = DebtTerms(sizing="dscr", leverage=0.9, dscr=1.375, rate=0.10, tenor_years=2)
    flows = cash_flows(_case(years=3, debt=debt), 6.0)
    assert flows.debt_usd == pytest.approx(400.0 * (1 - 1.1**-2) / 0.1, rel=1e-12)


def test_breakdown_adds_up_with_tax_debt_and_inflation() -> None:
    assets = (
        Asset("gas", "power", 500.0, 30.0, (0.5, 0.5), (0.05, 0.095, 0.0855), 0.0),
        Asset("facility", "facility", 800.0, 30.0, (1.0,), straight_line(39)),
        Asset("it", "it_hardware", 2000.0, 5.0, (1.0,), straight_line(5)),
    )
    case = _case(
        assets=assets,
        opex=(Opex("fuel", "power", 40.0), Opex("facility_om", "facility", 16.0)),
        years=15,
        tax_rate=0.21,
        inflation=0.02,
        cost_of_equity=0.12,
        debt=DebtTerms(sizing="dscr", leverage=0.6, dscr=1.3, rate=0.07, tenor_years=10),
    )
    price, split = breakeven_price(case, 5.0, "test")
    assert sum(split.values()) == pytest.approx(price, rel=1e-9)
    assert case_metrics(case, price).equity_npv_usd == pytest.approx(0.0, abs=1e-6)


def test_real_and_nominal_reports_agree() -> None:
    real = _case(inflation=0.03, tax_rate=0.21)
    nominal = _case(inflation=0.03, tax_rate=0.21, dollars="nominal")
    m_real, m_nom = case_metrics(real, 20.0), case_metrics(nominal, 20.0)
    assert m_real.npv_usd == pytest.approx(m_nom.npv_usd, rel=1e-9)
    assert (1 + (m_nom.project_irr or 0)) / 1.03 - 1 == pytest.approx(m_real.project_irr, rel=1e-7)


def test_ptc_reduces_breakeven_by_after_tax_credit() -> None:
    # A PTC of 1 per unit for all years lowers p* by 1 / (1 - tax).
    base = _case(tax_rate=0.25)
    with_ptc = _case(tax_rate=0.25, ptc_usd_per_year=100.0, ptc_years=10)
    p0, _ = breakeven_price(base, 1.0, "test")
    p1, _ = breakeven_price(with_ptc, 1.0, "test")
    assert p1 > 0
    assert p0 - p1 == pytest.approx(1.0 / 0.75, rel=1e-9)
    assert npv(0.08, cash_flows(with_ptc, p1).table["equity"].to_numpy()) == pytest.approx(
        0.0, abs=1e-6
    )
    assert np.all(cash_flows(with_ptc, p1).table["ptc"].iloc[1:] == 100.0)
