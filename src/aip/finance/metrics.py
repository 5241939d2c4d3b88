"""Time-value-of-money metrics: NPV, IRR, annuities, payback and breakeven prices.

Cash-flow arrays are annual and end-of-year; element 0 is the first year and is not
discounted (the convention of :func:`numpy_financial.npv`).

References
----------
.. [1] numpy-financial, https://numpy.org/numpy-financial/
.. [2] R. A. Brealey, S. C. Myers, F. Allen, *Principles of Corporate Finance*,
   chapters 2-5 (present value, annuities, IRR, payback).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import numpy_financial as npf
from scipy.optimize import brentq

from aip.errors import AipError

FlowLike = Sequence[float] | np.ndarray


def npv(rate: float, flows: FlowLike) -> float:
    """Net present value of annual flows, the first undiscounted [USD].

    Notes
    -----
    ``NPV = sum_t CF_t / (1 + r)^t`` for ``t = 0, 1, ...``.

    Examples
    --------
    >>> round(npv(0.10, [-100.0, 60.0, 60.0]), 4)
    4.1322
    """
    return float(npf.npv(rate, np.asarray(flows, dtype=float)))


def irr(flows: FlowLike) -> float | None:
    """Internal rate of return [1/yr], or None when the flows have none.

    Examples
    --------
    >>> round(irr([-100.0, 110.0]), 10)
    0.1
    """
    values = np.asarray(flows, dtype=float)
    if not (np.any(values > 0) and np.any(values < 0)):
        return None
    result = float(npf.irr(values))
    return result if math.isfinite(result) else None


def annuity_factor(rate: float, years: float) -> float:
    """Present value of 1 paid at the end of each of ``years`` years [years].

    Notes
    -----
    ``AF = (1 - (1 + r)^-n) / r``, and ``n`` when ``r = 0``; it is ``1 / CRF``.

    Examples
    --------
    >>> round(annuity_factor(0.08, 20), 6)
    9.818147
    """
    if years <= 0:
        return 0.0
    if rate == 0:
        return float(years)
    return (1.0 - (1.0 + rate) ** (-years)) / rate


def level_payment(principal: float, rate: float, years: int) -> float:
    """Mortgage-style level annual payment that repays ``principal`` [USD/yr].

    Examples
    --------
    >>> round(level_payment(100_000.0, 0.06, 30), 2)
    7264.89
    """
    if years <= 0 or principal <= 0:
        return 0.0
    return principal / annuity_factor(rate, years)


def payback_years(flows: FlowLike, start: int = 0) -> float | None:
    """Years after index ``start`` until cumulative flows turn non-negative [years].

    Linear within the year of the crossing; None if they never do.

    Examples
    --------
    >>> payback_years([-100.0, 40.0, 40.0, 40.0])
    2.5
    """
    values = np.asarray(flows, dtype=float)
    cumulative = np.cumsum(values)
    if cumulative[-1] < 0 or not np.any(values < 0):
        return None if cumulative[-1] < 0 else 0.0
    last_negative = int(np.flatnonzero(cumulative < 0)[-1])
    if last_negative + 1 >= len(values):
        return None
    fraction = -cumulative[last_negative] / values[last_negative + 1]
    return float(last_negative + fraction - start)


def breakeven(objective: Callable[[float], float], guess: float, what: str) -> float:
    """The price at which ``objective(price)`` (an NPV increasing in price) is zero.

    The bracket grows from ``[0, guess]`` until the sign changes; Brent's method then
    finds the root to 1e-9 relative.

    Raises
    ------
    AipError
        When no price up to 1e6 times the guess breaks even.
    """
    low, high = 0.0, max(guess, 1e-6)
    f_low = objective(low)
    if f_low >= 0:
        return 0.0
    for _ in range(60):
        if objective(high) >= 0:
            return float(brentq(objective, low, high, xtol=1e-12, rtol=1e-9))
        low, high = high, high * 2.0
        if high > 1e6 * max(guess, 1.0):
            break
    raise AipError(f"no breakeven {what} found: equity NPV stays negative at any price")
