"""Hourly PV capacity factor from weather, with pvlib (PVWatts-style chain).

Chain: sun position at mid-hour -> tracker/fixed orientation -> Perez plane-of-array
irradiance -> glass reflection (IAM) -> SAPM cell temperature -> PVWatts DC ->
system losses -> PVWatts inverter with clipping at the AC rating.

References
----------
.. [1] Dobos, A. P. (2014). *PVWatts Version 5 Manual*. NREL/TP-6A20-62641.
   doi:10.2172/1158421 (defaults: system losses 14 %, gamma_pdc -0.37 %/degC for
   standard modules, nominal inverter efficiency 96 %, DC/AC ratio 1.2, GCR 0.4).
.. [2] Perez, R. et al. (1990). Modeling daylight availability and irradiance components
   from direct and global irradiance. *Solar Energy* 44(5), 271-289.
.. [3] King, D. L., Boyson, W. E., Kratochvil, J. A. (2004). *Photovoltaic Array
   Performance Model*. SAND2004-3535 (cell temperature, open-rack glass/polymer).
.. [4] Marion, W., Dobos, A. (2013). *Rotation Angle for the Optimum Tracking of One-Axis
   Trackers*. NREL/TP-6A20-58891 (backtracking).
.. [5] Wilcox, S., Marion, W. (2008). *Users Manual for TMY3 Data Sets*. NREL/TP-581-43156
   (irradiance values are totals over the hour ending at the timestamp).
.. [6] Holmgren, W. F., Hansen, C. W., Mikofski, M. A. (2018). pvlib python. *JOSS* 3(29), 884.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import pvlib

from aip.errors import ScenarioError
from aip.profiles._weather import check_number, check_weather, column

__all__ = ["MOUNTINGS", "pv_capacity_factor"]

#: Mounting types known to :func:`pv_capacity_factor`.
MOUNTINGS = ("single_axis", "fixed")

_COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure")
# SAPM open-rack glass/polymer module (King et al. 2004, table 1), typical of ground mounts.
_SAPM = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_polymer"]
# PVWatts v5 reference inverter efficiency (Dobos 2014, eq. 11).
_ETA_INV_REF = 0.9637


def _check_params(
    latitude: float,
    longitude: float,
    elevation: float,
    mounting: str,
    tilt: float | None,
    azimuth: float,
    gcr: float,
    max_angle: float,
    dc_ac_ratio: float,
    system_losses: float,
    gamma_pdc: float,
    inverter_efficiency: float,
    albedo: float,
) -> None:
    check_number("latitude", latitude, -90.0, 90.0, "give the site latitude in degrees north")
    check_number("longitude", longitude, -180.0, 180.0, "give the longitude in degrees east")
    check_number("elevation", elevation, -500.0, 9000.0, "give the elevation in metres")
    if mounting not in MOUNTINGS:
        raise ScenarioError.for_field(
            "mounting", mounting, f"one of {', '.join(MOUNTINGS)}", "pick a known mounting"
        )
    if tilt is not None:
        check_number("tilt", tilt, 0.0, 90.0, "give the module tilt in degrees from horizontal")
    check_number("azimuth", azimuth, 0.0, 360.0, "give degrees clockwise from north (180 = south)")
    check_number(
        "gcr", gcr, 0.0, 1.0, "ground coverage ratio is a fraction, e.g. 0.35", lo_open=True
    )
    check_number("max_angle", max_angle, 0.0, 90.0, "give the tracker limit in degrees, e.g. 60")
    check_number("dc_ac_ratio", dc_ac_ratio, 0.5, 3.0, "typical DC/AC ratios are 1.1-1.4")
    check_number("system_losses", system_losses, 0.0, 0.99, "a fraction, e.g. 0.14 (not percent)")
    check_number("gamma_pdc", gamma_pdc, -0.02, 0.0, "per degC, e.g. -0.0037 (not percent)")
    check_number(
        "inverter_efficiency", inverter_efficiency, 0.5, 1.0, "a fraction, e.g. 0.96", lo_open=True
    )
    check_number("albedo", albedo, 0.0, 1.0, "a fraction, e.g. 0.2")


def pv_capacity_factor(
    weather: pd.DataFrame,
    latitude: float,
    longitude: float,
    *,
    elevation: float = 0.0,
    mounting: Literal["single_axis", "fixed"] = "single_axis",
    tilt: float | None = None,
    azimuth: float = 180.0,
    gcr: float = 0.35,
    max_angle: float = 60.0,
    dc_ac_ratio: float = 1.3,
    system_losses: float = 0.14,
    gamma_pdc: float = -0.0037,
    inverter_efficiency: float = 0.96,
    albedo: float = 0.2,
    sun_offset_minutes: float = 30.0,
) -> pd.Series:
    """Hourly AC output of a PV plant per unit of its AC (inverter) rating.

    Parameters
    ----------
    weather : pandas.DataFrame
        Hourly weather on a tz-aware DatetimeIndex with columns ``ghi, dni, dhi`` [W/m2],
        ``temp_air`` [degC], ``wind_speed`` [m/s at 10 m] and ``pressure`` [Pa].
    latitude, longitude : float
        Site position [degrees north, degrees east].
    elevation : float, default 0.0
        Site elevation [m]; used for the sun position (refraction).
    mounting : {"single_axis", "fixed"}, default "single_axis"
        Horizontal north-south single-axis tracker with backtracking, or a fixed rack.
    tilt : float, optional
        Fixed-rack tilt [degrees]; default ``abs(latitude)``. Ignored for trackers.
    azimuth : float, default 180.0
        Fixed rack: module azimuth [degrees clockwise from north]. Tracker: azimuth of the
        rotation axis (180 = north-south axis, modules turn east to west).
    gcr : float, default 0.35
        Ground coverage ratio [fraction] for backtracking (assumption: typical of US
        single-axis plants, between the PVWatts default 0.4 and pvlib's 2/7).
    max_angle : float, default 60.0
        Tracker rotation limit [degrees] (assumption: common +/-60 degree trackers).
    dc_ac_ratio : float, default 1.3
        DC nameplate over AC rating [-] (NREL ATB 2024 utility PV uses 1.34).
    system_losses : float, default 0.14
        DC losses (soiling, shading, mismatch, wiring, availability...) [fraction]; PVWatts
        v5 default 14 % [1]_.
    gamma_pdc : float, default -0.0037
        Power temperature coefficient [1/degC]; PVWatts v5 standard module [1]_.
    inverter_efficiency : float, default 0.96
        Nominal inverter efficiency [fraction]; PVWatts v5 default [1]_.
    albedo : float, default 0.2
        Ground reflectance [fraction] (assumption: PVWatts' default for snow-free ground).
    sun_offset_minutes : float, default 30.0
        Shift from the weather timestamp to the time at which the sun position is
        computed [minutes]. TMY3/EPW irradiance is the total over an hour [5]_; aip's
        readers (like pvlib's ``read_epw``) label each row with the *start* of that hour,
        so the sun is best placed at its middle (+30). Use -30 for data labelled at the
        end of the hour and 0 for instantaneous data.

    Returns
    -------
    pandas.Series
        ``cf_pu`` [pu of AC rating, 0..1], aligned to ``weather.index``; zero at night.

    Raises
    ------
    ScenarioError
        A parameter is out of range or ``mounting`` is unknown.
    DataError
        ``weather`` breaks the contract (index, columns, NaN).

    Notes
    -----
    With plane-of-array beam, sky-diffuse and ground-diffuse irradiance ``E_b, E_d, E_g``
    (Perez 1990 sky model [2]_, with extraterrestrial DNI and relative airmass), the
    effective irradiance is ``E_eff = E_b IAM(aoi) + E_d + E_g`` (IAM: PVWatts' physical
    glass model, n = 1.526). Cell temperature follows SAPM [3]_:
    ``T_c = E exp(a + b ws) + T_a + E/1000 dT`` with open-rack glass/polymer ``a = -3.56,
    b = -0.075, dT = 3``. DC power per unit of AC rating (PVWatts v5 [1]_)::

        p_dc = r (E_eff / 1000) (1 + gamma (T_c - 25)) (1 - L),      r = dc_ac_ratio

    and the PVWatts inverter gives ``p_ac = min(eta(z) p_dc, 1)`` with part-load efficiency
    ``eta(z) = eta_nom / 0.9637 (-0.0162 z - 0.0059 / z + 0.9858)``,
    ``z = p_dc eta_nom`` (the inverter's DC limit is ``1 / eta_nom``). The clip at 1 is the
    inverter's AC rating, so with ``dc_ac_ratio > 1`` the maximum is exactly 1.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.date_range("2025-06-21 06:00", periods=12, freq="h", tz="Etc/GMT+7")
    >>> w = pd.DataFrame({"ghi": 800.0, "dni": 850.0, "dhi": 100.0, "temp_air": 30.0,
    ...                   "wind_speed": 2.0, "pressure": 97000.0}, index=idx)
    >>> cf = pv_capacity_factor(w, 33.45, -111.98)
    >>> bool(cf.between(0.0, 1.0).all())
    True
    """
    _check_params(
        latitude,
        longitude,
        elevation,
        mounting,
        tilt,
        azimuth,
        gcr,
        max_angle,
        dc_ac_ratio,
        system_losses,
        gamma_pdc,
        inverter_efficiency,
        albedo,
    )
    offset = check_number(
        "sun_offset_minutes",
        sun_offset_minutes,
        -60.0,
        60.0,
        "use 30 for hour-starting labels (aip readers)",
    )
    check_weather(weather, _COLUMNS)
    ghi, dni, dhi = (np.clip(column(weather, c), 0.0, None) for c in ("ghi", "dni", "dhi"))
    # TMY3 files sometimes list DNI > 0 with GHI = 0 at sunset; no global light means night.
    dni = np.where(ghi > 0.0, dni, 0.0)
    temp_air = column(weather, "temp_air")
    wind_speed = np.clip(column(weather, "wind_speed"), 0.0, None)
    pressure = column(weather, "pressure")

    sun_times = pd.DatetimeIndex(weather.index) + pd.to_timedelta(offset, unit="min")
    solpos = pvlib.solarposition.get_solarposition(
        sun_times, latitude, longitude, altitude=elevation, pressure=pressure, temperature=temp_air
    )
    zenith = solpos["apparent_zenith"].to_numpy(dtype=float)
    sun_azimuth = solpos["azimuth"].to_numpy(dtype=float)

    if mounting == "single_axis":
        tracking = pvlib.tracking.singleaxis(
            zenith,
            sun_azimuth,
            axis_tilt=0.0,
            axis_azimuth=azimuth,
            max_angle=max_angle,
            backtrack=True,
            gcr=gcr,
        )
        # The tracker returns NaN with the sun below the horizon; park it flat then.
        surface_tilt = np.nan_to_num(np.asarray(tracking["surface_tilt"], dtype=float), nan=0.0)
        surface_azimuth = np.nan_to_num(
            np.asarray(tracking["surface_azimuth"], dtype=float), nan=azimuth
        )
    else:
        surface_tilt = np.full(len(weather), abs(latitude) if tilt is None else float(tilt))
        surface_azimuth = np.full(len(weather), float(azimuth))

    # Day of year as an array: pvlib's DatetimeIndex path uses an accessor pandas 3 deprecates.
    day_of_year = sun_times.tz_convert("UTC").day_of_year.to_numpy(dtype=float)
    dni_extra = np.asarray(pvlib.irradiance.get_extra_radiation(day_of_year), dtype=float)
    airmass = np.asarray(pvlib.atmosphere.get_relative_airmass(zenith), dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        poa = pvlib.irradiance.get_total_irradiance(
            surface_tilt,
            surface_azimuth,
            zenith,
            sun_azimuth,
            dni,
            ghi,
            dhi,
            dni_extra=dni_extra,
            airmass=airmass,
            albedo=albedo,
            model="perez",
        )
        aoi = pvlib.irradiance.aoi(surface_tilt, surface_azimuth, zenith, sun_azimuth)
        iam = np.asarray(pvlib.iam.physical(aoi), dtype=float)
    beam = np.nan_to_num(np.asarray(poa["poa_direct"], dtype=float), nan=0.0)
    diffuse = np.nan_to_num(np.asarray(poa["poa_diffuse"], dtype=float), nan=0.0)
    beam = np.clip(beam, 0.0, None) * np.nan_to_num(iam, nan=0.0)
    diffuse = np.clip(diffuse, 0.0, None)
    poa_global = beam + diffuse
    effective = np.where(zenith < 90.0, poa_global, 0.0)

    temp_cell = pvlib.temperature.sapm_cell(
        effective, temp_air, wind_speed, _SAPM["a"], _SAPM["b"], _SAPM["deltaT"]
    )
    p_dc = pvlib.pvsystem.pvwatts_dc(effective, temp_cell, dc_ac_ratio, gamma_pdc)
    p_dc = np.clip(np.asarray(p_dc, dtype=float), 0.0, None) * (1.0 - system_losses)
    p_ac = pvlib.inverter.pvwatts(
        p_dc,
        1.0 / inverter_efficiency,
        eta_inv_nom=inverter_efficiency,
        eta_inv_ref=_ETA_INV_REF,
    )
    cf = np.clip(np.nan_to_num(np.asarray(p_ac, dtype=float), nan=0.0), 0.0, 1.0)
    return pd.Series(cf, index=weather.index, name="cf_pu")
