"""Hourly campus load: accelerators to IT power, IT power times PUE to facility power.

Pure functions over a pandas DatetimeIndex; the scenario layer decides which to call.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aip.errors import ScenarioError

#: Inference diurnal shape (assumption). Request traffic of consumer AI services follows
#: waking hours; we model it as a cosine over the local day peaking at 14:00 with a
#: +/-20 % swing around the mean, so that a flat `utilization` stays the annual mean.
INFERENCE_PEAK_HOUR = 14.0
INFERENCE_AMPLITUDE = 0.20


def inference_shape(
    index: pd.DatetimeIndex,
    peak_hour: float = INFERENCE_PEAK_HOUR,
    amplitude: float = INFERENCE_AMPLITUDE,
) -> pd.Series:
    """Diurnal multiplier of inference load with a mean of 1 over whole days [-].

    Parameters
    ----------
    index : DatetimeIndex
        Hourly timestamps in local (site) time.
    peak_hour : float
        Local hour of the daily peak [h].
    amplitude : float
        Relative swing around the mean [-], ``0 <= amplitude < 1``.

    Notes
    -----
    ``s(h) = 1 + a cos(2 pi (h - h_peak) / 24)``, evaluated at mid-hour.

    Examples
    --------
    >>> idx = pd.date_range("2025-01-01", periods=24, freq="h")
    >>> round(float(inference_shape(idx).mean()), 12)
    1.0
    """
    if not 0.0 <= amplitude < 1.0:
        raise ScenarioError.for_field("inference amplitude", amplitude, "in [0, 1)")
    hour = index.hour.to_numpy() + index.minute.to_numpy() / 60.0 + 0.5
    shape = 1.0 + amplitude * np.cos(2.0 * np.pi * (hour - peak_hour) / 24.0)
    return pd.Series(shape, index=index, name="shape")


def it_load_mw(
    index: pd.DatetimeIndex,
    *,
    units: int,
    gpus_per_unit: int,
    it_power_w_per_gpu: float,
    utilization: float,
    profile: str = "training",
    it_overhead_fraction: float = 0.0,
) -> pd.Series:
    """Hourly IT load of an accelerator fleet [MW].

    Parameters
    ----------
    index : DatetimeIndex
        Hourly timestamps (local time).
    units : int
        Number of catalogue units (GPUs, or systems for system entries) [-].
    gpus_per_unit : int
        GPUs per unit [-].
    it_power_w_per_gpu : float
        All-in server power per GPU at full load (GPU, host, NICs, fans) [W].
    utilization : float
        Mean power drawn as a fraction of full-load power [-].
    profile : {"training", "inference"}
        Flat training load, or the diurnal :func:`inference_shape`.
    it_overhead_fraction : float
        Network, storage and management IT power as a fraction of server power [-].

    Returns
    -------
    Series
        IT load [MW], never above the fleet's full-load power times
        ``1 + it_overhead_fraction``.

    Notes
    -----
    ``P_IT(t) = N g w (1 + o) min(1, u s(t)) / 1e6`` with ``s = 1`` for training.

    Examples
    --------
    >>> idx = pd.date_range("2025-01-01", periods=3, freq="h")
    >>> it_load_mw(idx, units=100_000, gpus_per_unit=1, it_power_w_per_gpu=1275.0,
    ...            utilization=0.8).round(3).tolist()
    [102.0, 102.0, 102.0]
    """
    if units < 0:
        raise ScenarioError.for_field("compute.count", units, "an integer >= 0")
    if not 0.0 <= utilization <= 1.0:
        raise ScenarioError.for_field("compute.utilization", utilization, "a fraction in [0, 1]")
    if profile == "training":
        shape = np.ones(len(index))
    elif profile == "inference":
        shape = inference_shape(index).to_numpy()
    else:
        raise ScenarioError.for_field("compute.profile", profile, "'training' or 'inference'")
    full_mw = units * gpus_per_unit * it_power_w_per_gpu * (1.0 + it_overhead_fraction) / 1e6
    return pd.Series(full_mw * np.minimum(1.0, utilization * shape), index=index, name="it_load_mw")


def facility_load_mw(
    it_load: pd.Series, pue: pd.Series | float, auxiliary_mw: float = 0.0
) -> pd.Series:
    """Facility load from IT load and PUE [MW].

    Notes
    -----
    ``P_fac(t) = P_IT(t) PUE(t) + P_aux``.

    Examples
    --------
    >>> idx = pd.date_range("2025-01-01", periods=2, freq="h")
    >>> facility_load_mw(pd.Series([100.0, 100.0], index=idx), 1.2, 5.0).tolist()
    [125.0, 125.0]
    """
    return (it_load * pue + auxiliary_mw).rename("facility_load_mw")
