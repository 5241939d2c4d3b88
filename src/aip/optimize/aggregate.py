"""Time aggregation: a year of hours reduced to typical days for fast screening.

The hourly series of a campus model (load, capacity factors, grid price and emission
rates, and any site columns) are clustered into typical days with ``tsam`` (the time
series aggregation module the energy-modelling field uses), keeping the peak-load
day and, for each renewable, its day of least output as extreme periods so the
firm-capacity requirement and the hardest renewable days survive. Each typical day's
hours get the number of days it stands for as their weight; storage is cyclic within
each day.

Each typical day is a *distribution* representative (tsam's ``distribution``): every
series keeps, within its cluster of days, the values of all the days it stands for
(its duration curve), where a medoid keeps one real day. Under an annual CO2 cap the
plan is set by how many hours are windy or sunny enough, which the duration curves
carry. On the bench's CO2-capped case the cost error with medoids swung from -4 % to
+6 % as days were added; with distributions it stays within 0.75 % from 8 to 48 days
(``docs/benchmarks.md``). Hourly 24/7 matching is the exception: it depends on when
wind and sun coincide, which per-series duration curves blur, and its screening
cost comes out 2-4 % low; :mod:`aip.optimize.calibrate` measures that gap over the
full year and tightens the typical days' target by it.

Clustering the same series twice gives the same days, so the clustering of the last
few distinct inputs is kept in memory: a sweep over prices or caps clusters once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from aip.errors import ScenarioError
from aip.optimize.inputs import POLLUTANTS, ModelInputs

HOURS_PER_DAY = 24
#: Distinct clusterings kept in memory (one per site and number of days in a sweep).
CLUSTERING_CACHE_SIZE = 8


@dataclass(frozen=True)
class Aggregation:
    """How a year was reduced: typical days, their weights and the reconstruction error.

    ``key`` names the clustering (a digest of the hourly series, the number of days and
    whether the grid series counted): equal keys, equal typical days.
    """

    typical_days: int
    days_represented: list[float]
    rmse: dict[str, float]
    key: str = ""

    def summary(self) -> dict[str, object]:
        return {
            "typical_days": self.typical_days,
            "days_represented": self.days_represented,
            "rmse": self.rmse,
        }


def _series(inputs: ModelInputs, site: pd.DataFrame | None) -> pd.DataFrame:
    n = inputs.n_snapshots
    columns: dict[str, np.ndarray] = {"load_mw": inputs.load_mw}
    for g in inputs.generators:
        if g.cf is not None:
            columns[f"cf::{g.key}"] = g.cf
    columns["grid_price"] = inputs.grid.price_usd_per_mwh
    for p in POLLUTANTS:
        columns[f"grid_{p}"] = inputs.grid.emissions_t_per_mwh[p]
    if inputs.grid.clean_fraction_hourly is not None:
        columns["grid_cfe"] = inputs.grid.clean_fraction_hourly
    if site is not None:
        for name in site.columns:
            columns[f"site::{name}"] = site[name].to_numpy(dtype=float)
    index = pd.date_range("2025-01-01", periods=n, freq="h")
    return pd.DataFrame(columns, index=index)


def aggregate_inputs(
    inputs: ModelInputs, typical_days: int, site: pd.DataFrame | None = None
) -> tuple[ModelInputs, pd.DataFrame | None, Aggregation]:
    """Reduce an hourly full-year model to ``typical_days`` typical days.

    Parameters
    ----------
    inputs : ModelInputs
        An hourly model of whole days (``n_snapshots`` a multiple of 24, unit weights).
    typical_days : int
        Clusters of days to keep (2-365); the peak-load day and each renewable's day
        of least output are added as extreme periods.
    site : DataFrame, optional
        Extra hourly columns (``it_load_mw``, ``pue``...) aggregated the same way.

    Returns
    -------
    (ModelInputs, DataFrame or None, Aggregation)
        The reduced model (weights = days represented), the reduced site columns and a
        description of the reduction.
    """
    n = inputs.n_snapshots
    if not 2 <= typical_days <= 365:
        raise ScenarioError.for_field("solver.typical_days", typical_days, "an integer in [2, 365]")
    if n % HOURS_PER_DAY or not np.allclose(inputs.weights, 1.0):
        raise ScenarioError.for_field(
            "solver.typical_days",
            typical_days,
            "used only on hourly models of whole days",
            "remove solver.typical_days for this model",
        )
    frame = _series(inputs, site)
    renewable = [c for c in frame.columns if c.startswith("cf::")]
    grid_on = inputs.grid.enabled and inputs.grid.import_limit_mw > 0
    clustering = _cluster(frame, typical_days, grid_on)
    rows = clustering.rows
    clusters = clustering.clusters
    weights = np.repeat(clustering.counts, HOURS_PER_DAY)

    def column(name: str) -> np.ndarray:
        return rows[name].copy()  # the rows stay cached for the next case of a sweep

    cf = {c.split("::", 1)[1]: np.clip(column(c), 0.0, 1.0) for c in renewable}
    grid = dataclasses.replace(
        inputs.grid,
        price_usd_per_mwh=column("grid_price"),
        emissions_t_per_mwh={p: column(f"grid_{p}") for p in POLLUTANTS},
        clean_fraction_hourly=(
            np.clip(column("grid_cfe"), 0.0, 1.0) if "grid_cfe" in rows else None
        ),
    )
    generators = [dataclasses.replace(g, cf=cf.get(g.key, g.cf)) for g in inputs.generators]
    for g in generators:
        if g.cf is not None and g.cf.size != weights.size:
            raise ScenarioError(f"capacity factor of {g.key} was not aggregated")
    timestamps = [f"day{c:03d}h{h:02d}" for c in clusters for h in range(HOURS_PER_DAY)]
    reduced = dataclasses.replace(
        inputs,
        timestamps=timestamps,
        weights=weights,
        load_mw=np.maximum(column("load_mw"), 0.0),
        generators=generators,
        grid=grid,
        period_hours=HOURS_PER_DAY,
        snapshot_hours=np.ones(len(weights)),
    )
    site_rows = None
    if site is not None:
        site_rows = pd.DataFrame(
            {name: column(f"site::{name}") for name in site.columns},
            index=pd.Index(timestamps, name="timestamp"),
        )
        _match_pue(site_rows, site, inputs.load_mw, reduced.load_mw)
    info = Aggregation(
        typical_days=len(clusters),
        days_represented=[float(c) for c in clustering.counts],
        rmse={k: v for k, v in clustering.rmse.items() if not k.startswith("site::")},
        key=clustering.key,
    )
    return reduced, site_rows, info


def _match_pue(
    site_rows: pd.DataFrame, site: pd.DataFrame, load_mw: np.ndarray, reduced_load_mw: np.ndarray
) -> None:
    """Make a typical hour's PUE the one its facility and IT load imply, in place.

    Each series of a typical day is its own duration curve, so the PUE and IT load of a
    typical hour are not the pair that gives its facility load; the reported table
    should still add up (facility = IT x PUE + auxiliary, the auxiliary load being the
    year's constant remainder).
    """
    if not {"pue", "it_load_mw"} <= set(site.columns):
        return
    auxiliary = load_mw - site["it_load_mw"].to_numpy(float) * site["pue"].to_numpy(float)
    if np.ptp(auxiliary) > 1e-6 * max(float(np.max(np.abs(load_mw))), 1.0):
        return  # not a constant remainder (e.g. a flexible load): leave the series as clustered
    it = site_rows["it_load_mw"].to_numpy(dtype=float)
    pue = site_rows["pue"].to_numpy(dtype=float, copy=True)
    np.divide(reduced_load_mw - auxiliary[0], it, out=pue, where=it > 0)
    site_rows["pue"] = pue


@dataclass(frozen=True)
class _Clustering:
    rows: dict[str, np.ndarray]  # per series, the typical days' hours one after another
    clusters: list[int]
    counts: list[float]  # days each typical day stands for
    rmse: dict[str, float]
    key: str


_CLUSTERINGS: OrderedDict[tuple[str, int, bool], _Clustering] = OrderedDict()
_CLUSTERINGS_LOCK = threading.Lock()  # a user may plan from several threads


def _cluster(frame: pd.DataFrame, typical_days: int, grid_on: bool) -> _Clustering:
    """tsam's typical days of ``frame``, from memory when the same series came before."""
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    digest.update("|".join(frame.columns).encode())
    key = (digest.hexdigest(), typical_days, grid_on)
    with _CLUSTERINGS_LOCK:
        if key in _CLUSTERINGS:
            _CLUSTERINGS.move_to_end(key)
            return _CLUSTERINGS[key]
    import tsam  # imports scikit-learn (~0.5 s): only when screening is asked for

    renewable = [c for c in frame.columns if c.startswith("cf::")]
    extremes = tsam.ExtremeConfig(method="append", max_value=["load_mw"], min_period=renewable)
    # cluster on what drives the plan: load and renewable output always; grid series only
    # when the grid is there; site columns ride along
    column_weights = {
        c: 1.0
        if c == "load_mw" or c.startswith("cf::") or (grid_on and c.startswith("grid"))
        else 1e-3
        for c in frame.columns
    }
    with warnings.catch_warnings():
        # tsam warns when rescaled values touch the original bounds within tolerance
        warnings.simplefilter("ignore")
        result = tsam.aggregate(
            frame,
            typical_days,
            cluster=tsam.ClusterConfig(method="hierarchical", representation="distribution"),
            extremes=extremes,
            weights=column_weights,
        )
    counts = result.cluster_counts
    clusters = sorted(counts)
    reps = result.cluster_representatives
    stacked = pd.concat([reps.loc[c] for c in clusters])
    rows = {str(c): stacked[c].to_numpy(dtype=float, copy=True) for c in stacked.columns}
    for values in rows.values():
        values.flags.writeable = False  # shared by every case that hits the cache
    clustering = _Clustering(
        rows=rows,
        clusters=clusters,
        counts=[float(counts[c]) for c in clusters],
        rmse={str(k): float(v) for k, v in result.accuracy.rmse.items()},
        key=f"{key[0]}:{typical_days}:{int(grid_on)}",
    )
    with _CLUSTERINGS_LOCK:
        _CLUSTERINGS[key] = clustering
        if len(_CLUSTERINGS) > CLUSTERING_CACHE_SIZE:
            _CLUSTERINGS.popitem(last=False)
    return clustering
