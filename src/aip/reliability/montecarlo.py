"""Sequential Monte Carlo of unit outages against an hourly load, with storage.

Each sampled year, every unit follows a two-state up/down Markov chain in hourly
steps (:func:`aip.reliability.parameters.transition_probabilities`); each hour the
available supply (units up x unit size, a fixed hourly supply such as renewables
at their capacity factor, and the grid as one more "unit") meets the load, then
storage discharges to cover the shortfall (limited by power and state of charge)
and recharges from any surplus. Whatever is left is unserved.

Vectorised with numpy across sample-years: outage histories are drawn as runs of
geometric sojourn times (a few dozen draws per unit-year instead of 8760), turned
into hourly MW on outage with one ``bincount`` and a cumulative sum; only the
storage recursion steps through the hours, across all samples at once.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray

from aip.errors import ScenarioError
from aip.reliability.parameters import UnitGroup, transition_probabilities

FloatArray = NDArray[np.float64]
HOURS_PER_YEAR = 8760.0

#: Sample-years simulated together, hour-major (hours x chunk): big enough that the hourly
#: storage recursion spends its time in numpy, small enough for a few 70 MB arrays.
_CHUNK = 1024


@dataclass(frozen=True)
class StorageFleet:
    """Storage serving the campus in outages (all storage lumped together).

    Attributes
    ----------
    p_mw : float
        Charge and discharge power limit [MW].
    e_mwh : float
        Energy capacity [MWh].
    efficiency_charge, efficiency_discharge : float
        One-way efficiencies [-].
    initial_soc : float
        State of charge at the start of each sampled year [fraction of e_mwh].
    """

    p_mw: float
    e_mwh: float
    efficiency_charge: float = 1.0
    efficiency_discharge: float = 1.0
    initial_soc: float = 1.0


@dataclass(frozen=True)
class AdequacyResult:
    """Reliability indices of a supply against a load, with sampling standard errors.

    Per-year values are scaled by ``8760 / hours`` when the series is not one year.
    Standard errors (``*_se``) are the standard deviation across sample-years divided
    by ``sqrt(samples)`` (years are independent; hours within a year are not).
    """

    samples: int
    hours: int
    availability: float
    availability_se: float
    energy_availability: float
    energy_availability_se: float
    expected_unserved_mwh: float
    expected_unserved_mwh_se: float
    loss_of_load_hours: float
    loss_of_load_hours_se: float
    loss_of_load_events: float
    loss_of_load_events_se: float
    seconds: float

    def to_dict(self) -> dict[str, float | int]:
        """JSON-ready mapping of every field."""
        return asdict(self)


def outage_mw(
    groups: list[UnitGroup], samples: int, hours: int, rng: np.random.Generator
) -> FloatArray:
    """Capacity on forced outage per hour and sample-year [MW], shape (hours, samples).

    Notes
    -----
    Each unit starts in its stationary state (down with probability ``q``) and then
    alternates geometric sojourns: up ``~ Geom(p)``, down ``~ Geom(r)`` [h]. Every down
    interval ``[t0, t1)`` adds ``+unit_mw`` at ``t0`` and ``-unit_mw`` at ``t1``; the
    cumulative sum over hours is the MW on outage.
    """
    index: list[NDArray[np.int64]] = []
    weight: list[FloatArray] = []
    for g in groups:
        if g.n_units == 0 or g.forced_outage_rate == 0.0:
            continue
        p, r = transition_probabilities(g.forced_outage_rate, g.mttr_h)
        m = samples * g.n_units
        column = np.repeat(np.arange(samples, dtype=np.int64), g.n_units)
        down = rng.random(m) < g.forced_outage_rate
        t = np.zeros(m, dtype=np.int64)
        while column.size:
            stay = np.where(down, rng.geometric(r, column.size), rng.geometric(p, column.size))
            end = np.minimum(t + stay, hours)
            k = int(down.sum())
            index += [t[down] * samples + column[down], end[down] * samples + column[down]]
            weight += [np.full(k, g.unit_mw), np.full(k, -g.unit_mw)]
            alive = end < hours
            column, t, down = column[alive], end[alive], ~down[alive]
    if not index:
        return np.zeros((hours, samples))
    flat = np.bincount(
        np.concatenate(index), weights=np.concatenate(weight), minlength=(hours + 1) * samples
    )
    out: FloatArray = flat.astype(np.float64, copy=False).reshape(hours + 1, samples)
    # a row-by-row running sum: measured ~7x faster than np.cumsum(axis=0) at 1024 columns
    for h in range(1, hours):
        np.add(out[h - 1], out[h], out=out[h])
    return out[:hours]


def _dispatch_storage(net_mw: FloatArray, storage: StorageFleet) -> FloatArray:
    """Unserved power [MW] after greedy storage dispatch, overwriting ``net_mw``.

    ``net_mw`` is supply - load, shape (hours, samples).

    Notes
    -----
    Per hour and sample: discharge ``d = min(short, P, soc eta_d)``, ``soc -= d / eta_d``;
    charge ``c = min(surplus, P, (E - soc) / eta_c)``, ``soc += c eta_c``;
    unserved ``= short - d``.
    """
    hours, samples = net_mw.shape
    any_short: NDArray[np.bool_] = np.asarray((net_mw < 0.0).any(axis=1))
    soc = np.full(samples, storage.e_mwh * storage.initial_soc)
    p, e = storage.p_mw, storage.e_mwh
    eta_c, eta_d = storage.efficiency_charge, storage.efficiency_discharge
    full = bool(soc.min() >= e)
    for h in range(hours):
        net = net_mw[h]
        if full and not any_short[h]:
            net[:] = 0.0  # nothing short and storage full: nothing unserved
            continue
        short = np.maximum(-net, 0.0)
        discharge = np.minimum(np.minimum(short, p), soc * eta_d)
        soc -= discharge / eta_d
        charge = np.minimum(np.minimum(np.maximum(net, 0.0), p), (e - soc) / eta_c)
        soc += charge * eta_c
        np.subtract(short, discharge, out=net)
        full = bool(soc.min() >= e * (1.0 - 1e-12))
    return net_mw


def simulate_adequacy(
    load_mw: FloatArray,
    groups: list[UnitGroup],
    *,
    fixed_supply_mw: FloatArray | None = None,
    storage: StorageFleet | None = None,
    samples: int = 2000,
    seed: int = 0,
) -> AdequacyResult:
    """Availability, unserved energy and loss of load of a supply, by Monte Carlo.

    Parameters
    ----------
    load_mw : array
        Hourly load to serve [MW].
    groups : list of UnitGroup
        Units subject to forced outages (dispatchable plant; the grid as one unit).
    fixed_supply_mw : array, optional
        Hourly supply without outages (renewables at their capacity factor) [MW].
    storage : StorageFleet, optional
        Storage that rides through shortfalls.
    samples : int
        Number of sampled years.
    seed : int
        Seed of the ``np.random.Generator`` (same seed, same answer).

    Returns
    -------
    AdequacyResult

    Notes
    -----
    Per sample-year ``s``: unserved ``u_t``; loss-of-load hours ``LOLH = #{t: u_t > eps}``
    with ``eps = 1e-9 max(load)``; events = number of runs of such hours; ``EUE = sum u_t``
    [MWh]; ``A = 1 - LOLH / H``; energy availability ``1 - EUE / sum load``. Reported
    values are means over sample-years.

    Examples
    --------
    >>> from aip.reliability.parameters import UnitGroup
    >>> unit = UnitGroup("gas", 1, 100.0, 0.05, 50.0)
    >>> res = simulate_adequacy(np.full(8760, 100.0), [unit], samples=500, seed=1)
    >>> abs(res.availability - 0.95) < 4 * res.availability_se
    True
    """
    load = np.asarray(load_mw, dtype=float)
    if load.ndim != 1 or load.size == 0 or not np.all(np.isfinite(load)):
        raise ScenarioError.for_field("load_mw", f"shape {load.shape}", "a finite 1-D series")
    if not 1 <= samples <= 10_000_000:
        raise ScenarioError.for_field("samples", samples, "an integer in [1, 10000000]")
    fixed = np.zeros_like(load) if fixed_supply_mw is None else np.asarray(fixed_supply_mw, float)
    if fixed.shape != load.shape:
        raise ScenarioError.for_field(
            "fixed_supply_mw", f"shape {fixed.shape}", f"the load's shape {load.shape}"
        )
    start = time.perf_counter()
    hours = load.size
    rng = np.random.default_rng(seed)
    capacity = sum(g.p_nom_mw for g in groups)
    eps = 1e-9 * max(float(load.max()), 1.0)
    lolh, events, eue = [], [], []
    base = (capacity + fixed - load)[:, None]
    for first in range(0, samples, _CHUNK):
        n = min(_CHUNK, samples - first)
        net = outage_mw(groups, n, hours, rng)
        np.subtract(base, net, out=net)
        if storage is not None and storage.p_mw > 0.0 and storage.e_mwh > 0.0:
            unserved = _dispatch_storage(net, storage)
        else:
            unserved = np.maximum(np.negative(net, out=net), 0.0, out=net)
        short = unserved > eps
        lolh.append(short.sum(axis=0).astype(float))
        runs = np.logical_and(short[1:], ~short[:-1]).sum(axis=0)
        events.append((short[0] + runs).astype(float))
        eue.append(unserved.sum(axis=0))
    scale = HOURS_PER_YEAR / hours
    h, ev, e = np.concatenate(lolh), np.concatenate(events), np.concatenate(eue)
    energy = float(load.sum())
    avail = 1.0 - h / hours
    e_avail = 1.0 - e / energy if energy > 0 else np.ones_like(e)
    return AdequacyResult(
        samples=samples,
        hours=hours,
        availability=float(avail.mean()),
        availability_se=_se(avail),
        energy_availability=float(e_avail.mean()),
        energy_availability_se=_se(e_avail),
        expected_unserved_mwh=float(e.mean() * scale),
        expected_unserved_mwh_se=_se(e) * scale,
        loss_of_load_hours=float(h.mean() * scale),
        loss_of_load_hours_se=_se(h) * scale,
        loss_of_load_events=float(ev.mean() * scale),
        loss_of_load_events_se=_se(ev) * scale,
        seconds=time.perf_counter() - start,
    )


def _se(values: FloatArray) -> float:
    """Standard error of the mean of independent sample-years."""
    if values.size < 2:
        return math.nan
    return float(values.std(ddof=1) / math.sqrt(values.size))
