"""Outage parameters of units: forced outage rate, repair time, hourly transition probabilities.

A unit is a two-state (up/down) Markov chain in hourly steps. Its forced outage
rate ``q`` (the long-run fraction of hours on forced outage) comes from the
technology catalogue (:func:`aip.data.load_catalog`, ``forced_outage_rate``);
its mean time to repair comes from ``repair_times.csv`` beside this module
(RTS-GMLC / IEEE RTS-96 values, see that file and docs/reliability.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from aip.errors import DataError, ScenarioError

_REPAIR_TIMES = Path(__file__).with_name("repair_times.csv")


@dataclass(frozen=True)
class UnitGroup:
    """Identical, independent units of one technology.

    Attributes
    ----------
    name : str
        Technology key (or ``grid``).
    n_units : int
        Number of units [-].
    unit_mw : float
        Capacity of one unit [MW].
    forced_outage_rate : float
        Long-run fraction of hours a unit is on forced outage [-].
    mttr_h : float
        Mean time to repair [h].
    """

    name: str
    n_units: int
    unit_mw: float
    forced_outage_rate: float
    mttr_h: float

    @property
    def p_nom_mw(self) -> float:
        """Capacity of the whole group [MW]."""
        return self.n_units * self.unit_mw


def transition_probabilities(forced_outage_rate: float, mttr_h: float) -> tuple[float, float]:
    """Hourly failure and repair probabilities of a two-state unit.

    Parameters
    ----------
    forced_outage_rate : float
        Long-run unavailability ``q`` [-], in [0, 1).
    mttr_h : float
        Mean time to repair [h], > 0.

    Returns
    -------
    (p_fail, p_repair) : tuple of float
        Probability that an up unit fails in the next hour, and that a down unit is
        repaired in the next hour [-].

    Notes
    -----
    Discrete-time chain with geometric sojourns: ``r = min(1, 1 / MTTR)`` gives a mean
    down time of ``1 / r`` hours, and ``p = r q / (1 - q)`` makes the stationary
    unavailability ``p / (p + r)`` exactly ``q``. The mean time to failure is
    ``1 / p = MTTR (1 - q) / q`` hours.

    Examples
    --------
    >>> p, r = transition_probabilities(0.05, 50.0)
    >>> round(r, 6), round(p / (p + r), 6)
    (0.02, 0.05)
    """
    q = forced_outage_rate
    if not 0.0 <= q < 1.0 or not math.isfinite(q):
        raise ScenarioError.for_field("forced_outage_rate", q, "a fraction in [0, 1)")
    if not mttr_h > 0.0 or not math.isfinite(mttr_h):
        raise ScenarioError.for_field("mttr_h", mttr_h, "a finite number of hours > 0")
    r = min(1.0, 1.0 / mttr_h)
    p = r * q / (1.0 - q)
    if p > 1.0:
        raise ScenarioError.for_field(
            "forced_outage_rate",
            q,
            f"at most {1.0 / (1.0 + r):.3f} with mttr_h = {mttr_h:g}",
            "raise mttr_h or lower the forced outage rate",
        )
    return p, r


@cache
def repair_times_h() -> dict[str, float]:
    """Mean time to repair per catalogue technology [h] (``repair_times.csv``).

    Examples
    --------
    >>> repair_times_h()["gas_cc"]
    33.0
    """
    try:
        frame = pd.read_csv(_REPAIR_TIMES, comment="#")
        return {str(k): float(v) for k, v in zip(frame["technology"], frame["mttr_h"], strict=True)}
    except (OSError, ValueError, KeyError) as exc:
        raise DataError(f"{_REPAIR_TIMES.name}: cannot be read ({exc})") from exc


def units_for(p_nom_mw: float, unit_size_mw: float) -> tuple[int, float]:
    """Number of units and the size of each that make up ``p_nom_mw``.

    Notes
    -----
    ``n = ceil(p_nom / unit_size)`` units of ``p_nom / n`` MW each, so the fleet keeps
    the capacity the plan paid for (166 MW of 50 MW turbines is 4 units of 41.6 MW,
    not 200 MW). A tolerance of 1e-6 keeps 100.0000001 MW of 50 MW units at 2 units.

    Examples
    --------
    >>> units_for(166.4, 50.0)
    (4, 41.6)
    >>> units_for(0.0, 50.0)
    (0, 0.0)
    """
    if p_nom_mw <= 1e-9:
        return 0, 0.0
    n = max(1, math.ceil(p_nom_mw / unit_size_mw - 1e-6))
    return n, p_nom_mw / n
