"""Periods of a time-to-power plan and their representative days.

A plan runs from the decision date in periods of ``period_months`` (quarters by
default). Each period is represented by ``k`` days of the typical weather year,
weighted so that they stand for all the period's hours.

Representative days (method, stated once): the period's calendar days are mapped
onto the same days of the typical year and split into ``k`` contiguous chunks;
from each chunk we take its *medoid* day, the day whose 24-hour profile of
facility load (per unit of the year's peak) and of every capacity factor is
closest (Euclidean) to the chunk's mean profile. This is k-medoids with clusters
fixed to contiguous blocks of days: it keeps the season of each part of the
period and picks a typical, not an extreme, day. Each chosen hour weighs
``period hours / (24 k)`` hours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from aip.optimize.inputs import ModelInputs

HOURS_PER_DAY = 24


@dataclass(frozen=True)
class Period:
    """One period: ``[start, end)``, its hours and its representative hours.

    ``hours_index`` holds the positions (in the typical year's hourly table) of the
    ``24 k`` representative hours; each stands for ``weight_h`` hours.
    """

    start: dt.date
    end: dt.date
    hours_index: NDArray[np.int64]

    @property
    def hours(self) -> float:
        """Hours in the period [h]."""
        return float((self.end - self.start).days * HOURS_PER_DAY)

    @property
    def weight_h(self) -> float:
        """Hours one representative hour stands for [h]."""
        return self.hours / len(self.hours_index)

    @property
    def months(self) -> float:
        """Length in months of 730 hours (8760 / 12) [months]."""
        return self.hours / 730.0

    @property
    def years(self) -> float:
        """Length in years of 8760 hours [years]."""
        return self.hours / 8760.0


def period_bounds(start: dt.date, end: dt.date, months: int) -> list[tuple[dt.date, dt.date]]:
    """Consecutive ``months``-long periods from ``start`` until they cover ``end``.

    Examples
    --------
    >>> period_bounds(dt.date(2024, 3, 1), dt.date(2024, 9, 1), 3)[-1]
    (datetime.date(2024, 6, 1), datetime.date(2024, 9, 1))
    """
    bounds = []
    k = 0
    first = pd.Timestamp(start)
    while True:
        a = (first + pd.DateOffset(months=k * months)).date()
        if a >= end:
            break
        b = (first + pd.DateOffset(months=(k + 1) * months)).date()
        bounds.append((a, b))
        k += 1
    return bounds


def _day_of_year(d: dt.date, n_days: int) -> int:
    """Day of the typical year (0-based) for a calendar date; Feb 29 counts as Feb 28."""
    day = dt.date(2001, d.month, min(d.day, 28 if d.month == 2 else d.day)) - dt.date(2001, 1, 1)
    return min(day.days, n_days - 1)


def daily_profiles(inputs: ModelInputs) -> NDArray[np.float64]:
    """Per-day feature vectors ``[n_days, 24 (1 + n_vre)]`` for the medoid choice [pu]."""
    n_days = inputs.n_snapshots // HOURS_PER_DAY
    n = n_days * HOURS_PER_DAY
    peak = inputs.peak_load_mw or 1.0
    series = [inputs.load_mw[:n] / peak]
    series += [g.cf[:n] for g in inputs.generators if g.cf is not None]
    return np.hstack([s.reshape(n_days, HOURS_PER_DAY) for s in series])


def representative_hours(
    start: dt.date, end: dt.date, k: int, features: NDArray[np.float64]
) -> NDArray[np.int64]:
    """Hour positions of the ``k`` chunk-medoid days of ``[start, end)`` (see module notes).

    Examples
    --------
    >>> f = np.arange(365.0).reshape(365, 1).repeat(24, axis=1)
    >>> idx = representative_hours(dt.date(2024, 1, 1), dt.date(2024, 1, 4), 1, f)
    >>> int(idx[0]), len(idx)
    (24, 24)
    """
    n_days = features.shape[0]
    days = [_day_of_year(start + dt.timedelta(days=i), n_days) for i in range((end - start).days)]
    k = max(1, min(k, len(days)))
    chosen = []
    for chunk in np.array_split(np.asarray(days), k):
        block = features[chunk]
        distance = np.linalg.norm(block - block.mean(axis=0), axis=1)
        chosen.append(int(chunk[int(np.argmin(distance))]))
    hours = [d * HOURS_PER_DAY + h for d in chosen for h in range(HOURS_PER_DAY)]
    return np.asarray(hours, dtype=np.int64)


def build_periods(
    start: dt.date, end: dt.date, months: int, k: int, inputs: ModelInputs
) -> list[Period]:
    """Periods from ``start`` to ``end`` with their representative hours."""
    features = daily_profiles(inputs)
    return [
        Period(a, b, representative_hours(a, b, k, features))
        for a, b in period_bounds(start, end, months)
    ]


def step_average(steps: list[tuple[dt.date, float]], start: dt.date, end: dt.date) -> float:
    """Time average over ``[start, end)`` of a step function (0 before the first step).

    Examples
    --------
    >>> steps = [(dt.date(2024, 1, 1), 10.0), (dt.date(2024, 1, 3), 30.0)]
    >>> step_average(steps, dt.date(2024, 1, 1), dt.date(2024, 1, 5))
    20.0
    """
    total = (end - start).days
    if total <= 0:
        return 0.0
    acc = 0.0
    for i, (d, value) in enumerate(steps):
        nxt = steps[i + 1][0] if i + 1 < len(steps) else end
        a, b = max(d, start), min(nxt, end)
        if b > a:
            acc += value * (b - a).days
    return acc / total
