"""Tornado sensitivity of the headline project to its main drivers.

Each driver moves alone to a low and a high value while the others stay at the base
case; the finance model is re-evaluated (the plan is not re-solved). Drivers:

- ``capex``: all capital (power, facility, IT) x (1 -+ s);
- ``gas_price``: the plan's gas fuel cost x (1 -+ s) - a re-scaling of the plan's fuel
  bill at its dispatch, not a re-solve, so it overstates the cost of a gas price rise
  a little (the optimiser could switch to other sources);
- ``price``: the GPU-hour price (or power price for ``power_sale``) x (1 -+ s);
- ``utilisation``: the share of GPU-hours sold x (1 -+ s), capped at 1 (campus only);
- ``wacc``: discount rate and cost of equity -+ 0.02.

``s`` is ``finance.sensitivity`` (default 0.2). Rows are sorted by the swing of project
NPV, largest first.
"""

from __future__ import annotations

from typing import Any

from aip.finance.capital import Drivers, build_case
from aip.results.plan import PlanResult
from aip.schema import Scenario
from aip.schema.finance import Finance

WACC_SWING = 0.02


def tornado(
    result: PlanResult,
    scenario: Scenario,
    fin: Finance,
    price: float,
    drivers: type[Drivers] = Drivers,
) -> list[dict[str, Any]]:
    """Project NPV and equity IRR at the low and high value of each driver.

    Returns
    -------
    list of dict
        ``driver``, ``low`` and ``high`` (the multiplier, or the rate change for wacc),
        ``npv_low_usd``, ``npv_high_usd``, ``equity_irr_low``, ``equity_irr_high``.
    """
    from aip.finance.evaluate import case_metrics

    s = fin.sensitivity
    scope = "power" if fin.revenue == "power_sale" else "campus"
    rows: list[tuple[str, float, float, Any, Any]] = [
        ("capex", 1 - s, 1 + s, lambda v: drivers(capex=v), None),
        ("gas_price", 1 - s, 1 + s, lambda v: drivers(gas_price=v), None),
        ("price", 1 - s, 1 + s, lambda v: drivers(), lambda v: price * v),
        ("wacc", -WACC_SWING, WACC_SWING, lambda v: drivers(discount_rate_delta=v), None),
    ]
    if scope == "campus":
        rows.append(("utilisation", 1 - s, 1 + s, lambda v: drivers(sold_fraction=v), None))
    out: list[dict[str, Any]] = []
    for name, low, high, make, price_of in rows:
        values = {}
        for side, v in (("low", low), ("high", high)):
            case = build_case(result, scenario, fin, scope, make(v))
            values[side] = case_metrics(case, price_of(v) if price_of else price)
        out.append(
            {
                "driver": name,
                "low": low,
                "high": high,
                "npv_low_usd": values["low"].npv_usd,
                "npv_high_usd": values["high"].npv_usd,
                "equity_irr_low": values["low"].equity_irr,
                "equity_irr_high": values["high"].equity_irr,
            }
        )
    out.sort(key=lambda row: -abs(row["npv_high_usd"] - row["npv_low_usd"]))
    return out
