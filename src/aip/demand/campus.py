"""The hourly campus table: weather-driven profiles and loads for one scenario."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import pandas as pd

from aip.data import get_accelerator
from aip.demand.load import facility_load_mw, it_load_mw
from aip.profiles import hourly_pue, pv_capacity_factor, wind_capacity_factor
from aip.schema import Scenario
from aip.site import SiteData


def campus_profiles(scenario: Scenario, site: SiteData) -> pd.DataFrame:
    """Hourly inputs of a campus, one row per hour of the typical year.

    Returns
    -------
    DataFrame
        Indexed by local timestamp with columns ``temp_air`` [degC], ``pue`` [-],
        ``cf_pv`` and ``cf_wind`` [pu], ``it_load_mw`` and ``facility_load_mw`` [MW].

    Examples
    --------
    >>> import aip
    >>> from aip.site import resolve_site
    >>> s = aip.load_scenario("examples/colossus-memphis.yaml")
    >>> table = campus_profiles(s, resolve_site(s.site))
    >>> list(table.columns)
    ['temp_air', 'pue', 'cf_pv', 'cf_wind', 'it_load_mw', 'facility_load_mw']
    """
    weather = site.weather
    accelerator = get_accelerator(scenario.compute.accelerator)
    if scenario.facility.pue is not None:
        pue = pd.Series(scenario.facility.pue, index=weather.index, name="pue")
    else:
        pue = hourly_pue(weather, scenario.facility.cooling)
    it = it_load_mw(
        pd.DatetimeIndex(weather.index),
        units=scenario.compute.count,
        gpus_per_unit=accelerator.gpus_per_unit,
        it_power_w_per_gpu=accelerator.it_power_w_per_gpu,
        utilization=scenario.compute.utilization,
        profile=scenario.compute.profile,
        it_overhead_fraction=scenario.compute.it_overhead_fraction,
    )
    table = pd.DataFrame(
        {
            "temp_air": weather["temp_air"],
            "pue": pue,
            "cf_pv": site_pv_capacity_factor(site),
            "cf_wind": wind_capacity_factor(weather),
            "it_load_mw": it,
            "facility_load_mw": facility_load_mw(it, pue, scenario.facility.auxiliary_mw),
        },
        index=weather.index,
    )
    table.index.name = "timestamp"
    return table


def gpu_count(scenario: Scenario) -> int:
    """Number of GPUs in the scenario (units x GPUs per unit)."""
    return scenario.compute.count * get_accelerator(scenario.compute.accelerator).gpus_per_unit


#: PV output per site and weather, kept for the next plan of the same site: 34 ms for a
#: full year, then the largest part of a sweep case's preparation, and the same in every
#: case of a sweep that varies prices or sizes.
_PV: OrderedDict[tuple[str, float, float, float], pd.Series] = OrderedDict()
_PV_LOCK = threading.Lock()
_PV_KEPT = 8


def site_pv_capacity_factor(site: SiteData) -> pd.Series:
    """:func:`aip.profiles.pv_capacity_factor` at ``site`` (a copy; computed once per weather
    content and position, then reused).

    Examples
    --------
    >>> import aip
    >>> from aip.site import resolve_site
    >>> site = resolve_site(aip.load_scenario("examples/cfe-abilene.yaml").site)
    >>> cf = site_pv_capacity_factor(site)
    >>> bool(cf.equals(site_pv_capacity_factor(site))), round(float(cf.mean()), 3)
    (True, 0.281)
    """
    weather = site.weather
    # the content, not the object (a site is resolved afresh for every plan): values,
    # timestamps with their time zone, and column names
    digest = hashlib.sha256(pd.util.hash_pandas_object(weather, index=True).to_numpy().tobytes())
    digest.update(repr((list(weather.columns), str(weather.index.dtype))).encode())
    key = (digest.hexdigest(), site.latitude, site.longitude, site.elevation_m)
    with _PV_LOCK:
        kept = _PV.get(key)
        if kept is not None:
            _PV.move_to_end(key)
            # on the caller's own index: pandas fills an index's caches lazily
            return pd.Series(kept.to_numpy(copy=True), index=weather.index, name=kept.name)
    cf = pv_capacity_factor(weather, site.latitude, site.longitude, elevation=site.elevation_m)
    with _PV_LOCK:
        _PV[key] = cf.copy()
        while len(_PV) > _PV_KEPT:
            _PV.popitem(last=False)
    return cf
