"""Time aggregation: a year of hours reduced to typical days for fast screening.

The hourly series of a campus model (load, capacity factors, grid price and emission
rates, and any site columns) are clustered into typical days with ``tsam`` (the time
series aggregation module the energy-modelling field uses), keeping the peak-load
day and the day of least wind and sun as extreme periods so the firm-capacity
requirement and the hardest renewable day survive. Each typical day's hours get the
number of days it stands for as their weight; storage is cyclic within each day.

Accuracy is measured, not assumed: :func:`aggregation_error` compares the screening
plan's cost with the full hourly plan's (``docs/benchmarks.md``).
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from aip.errors import ScenarioError
from aip.optimize.inputs import POLLUTANTS, ModelInputs

HOURS_PER_DAY = 24


@dataclass(frozen=True)
class Aggregation:
    """How a year was reduced: typical days, their weights and the reconstruction error."""

    typical_days: int
    days_represented: list[float]
    rmse: dict[str, float]

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
        Clusters of days to keep (2-365); the peak-load day and the day of least
        renewable output are added as extreme periods.
    site : DataFrame, optional
        Extra hourly columns (``it_load_mw``, ``pue``...) aggregated the same way.

    Returns
    -------
    (ModelInputs, DataFrame or None, Aggregation)
        The reduced model (weights = days represented), the reduced site columns and a
        description of the reduction.
    """
    import tsam

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
    extremes = tsam.ExtremeConfig(
        method="append",
        max_value=["load_mw"],
        min_value=renewable[:1],
    )
    # cluster on what drives the plan: load and renewable output always; grid series only
    # when the grid is there; site columns ride along
    grid_on = inputs.grid.enabled and inputs.grid.import_limit_mw > 0
    column_weights = {
        c: 1.0
        if c == "load_mw" or c.startswith("cf::") or (grid_on and c.startswith("grid"))
        else 1e-3
        for c in frame.columns
    }
    with warnings.catch_warnings():
        # tsam warns when rescaled values touch the original bounds within tolerance
        warnings.simplefilter("ignore")
        result = tsam.aggregate(frame, typical_days, extremes=extremes, weights=column_weights)
    reps = result.cluster_representatives
    counts = result.cluster_counts
    clusters = sorted(counts)
    rows = pd.concat([reps.loc[c] for c in clusters])
    weights = np.repeat([float(counts[c]) for c in clusters], HOURS_PER_DAY)
    cf = {c.split("::", 1)[1]: np.clip(rows[c].to_numpy(float), 0.0, 1.0) for c in renewable}
    grid = dataclasses.replace(
        inputs.grid,
        price_usd_per_mwh=rows["grid_price"].to_numpy(float),
        emissions_t_per_mwh={p: rows[f"grid_{p}"].to_numpy(float) for p in POLLUTANTS},
        clean_fraction_hourly=(
            np.clip(rows["grid_cfe"].to_numpy(float), 0.0, 1.0) if "grid_cfe" in rows else None
        ),
    )
    generators = [dataclasses.replace(g, cf=cf.get(g.key, g.cf)) for g in inputs.generators]
    for g in generators:
        if g.cf is not None and g.cf.size != rows.shape[0]:
            raise ScenarioError(f"capacity factor of {g.key} was not aggregated")
    timestamps = [f"day{c:03d}h{h:02d}" for c in clusters for h in range(HOURS_PER_DAY)]
    reduced = dataclasses.replace(
        inputs,
        timestamps=timestamps,
        weights=weights,
        load_mw=np.maximum(rows["load_mw"].to_numpy(float), 0.0),
        generators=generators,
        grid=grid,
        period_hours=HOURS_PER_DAY,
        snapshot_hours=np.ones(len(weights)),
    )
    site_rows = None
    if site is not None:
        site_rows = pd.DataFrame(
            {name: rows[f"site::{name}"].to_numpy(float) for name in site.columns},
            index=pd.Index(timestamps, name="timestamp"),
        )
    rmse = {
        str(k): float(v) for k, v in result.accuracy.rmse.items() if not str(k).startswith("site::")
    }
    info = Aggregation(
        typical_days=len(clusters), days_represented=[float(counts[c]) for c in clusters], rmse=rmse
    )
    return reduced, site_rows, info
