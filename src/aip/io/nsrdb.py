"""Typical meteorological year from the NREL NSRDB (PSM v4 GOES TMY), cached on disk.

Covers the Americas (the GOES satellites' view). The request is the one
:func:`pvlib.iotools.get_nsrdb_psm4_tmy` sends (same URL, parameters and
attributes); it is issued here with :func:`requests.get` so the raw CSV can be cached.
Parsing is pvlib's :func:`pvlib.iotools.read_nsrdb_psm4`.

The API key and e-mail are sent to the service but never cached, logged or put in
an error message.
"""

from __future__ import annotations

import io
from os import PathLike
from typing import Any

import pandas as pd
import pvlib
from pvlib.iotools import psm4

from aip.errors import OnlineDataError, ScenarioError, WeatherFileError
from aip.io.atomic import write_atomic
from aip.io.cache import cache_path, read_cached, round_coords
from aip.io.derive import fill_derived
from aip.io.http import OFFLINE_FIX, fetch_text
from aip.io.pvgis import check_coords
from aip.io.validate import DEFAULT_YEAR, check_meta, validate_weather

NSRDB_TMY_URL: str = psm4.PSM4_TMY_URL
NSRDB_WIND_HEIGHT_M = 2.0
"""NSRDB wind speed is at 2 m since PSM v3 (NSRDB webinar Q&A, Oct 2020: "As of PSM v3
the windspeed data is at 2m"; quoted in pvlib issue #1814). Assumption: PSM v4 keeps
the 2-m height."""
_ATTRIBUTES = ("ghi", "dni", "dhi", "temp_air", "temp_dew", "pressure", "wind_speed")


def parse_nsrdb_tmy(
    text: str, *, year: int = DEFAULT_YEAR, source: str = "NSRDB"
) -> tuple[pd.DataFrame, dict]:
    """Parse an NSRDB PSM v4 CSV response into aip's weather vocabulary.

    Parameters
    ----------
    text : str
        Raw CSV: two metadata lines, a column header, hourly rows.
    year : int, default 2025
        Non-leap year the timestamps are mapped onto.
    source : str
        Name used in error messages.

    Returns
    -------
    data, meta : pandas.DataFrame, dict
        As :func:`aip.io.read_weather`; ``wind_speed`` is at 2 m
        (``meta["wind_height_m"] = 2``); ``tz`` is the file's ``Time Zone``.

    Raises
    ------
    aip.errors.WeatherFileError
        If the text is not an NSRDB PSM CSV or fails validation.

    Notes
    -----
    Pressure [mbar] is multiplied by 100 to [Pa]; relative humidity is derived from
    temperature and dew point (Magnus equation). Rows stamped at minute 30 (the
    middle of the averaging hour) are relabelled to the hour's start.
    """
    try:
        raw, nmeta = pvlib.iotools.read_nsrdb_psm4(io.StringIO(text), map_variables=True)
        tz = float(nmeta["Time Zone"])
        lat, lon, elev = (float(nmeta[k]) for k in ("latitude", "longitude", "altitude"))
        missing = [c for c in _ATTRIBUTES if c not in raw.columns]
    except (ValueError, KeyError, TypeError, IndexError, StopIteration) as exc:
        raise WeatherFileError(
            f"{source}: not an NSRDB PSM CSV response ({type(exc).__name__}: "
            f"{str(exc)[:100]}); fix: delete the cached file or retry the request"
        ) from None
    if missing:
        raise WeatherFileError(
            f"{source}: NSRDB answer lacks column {missing[0]}; fix: retry the request"
        )
    city = str(nmeta.get("City", "")).strip()
    meta: dict[str, Any] = {
        "name": city if city and city != "-" else f"NSRDB {nmeta.get('Location ID', '')}",
        "latitude": lat,
        "longitude": lon,
        "elevation": elev,
        "tz": tz,
        "source": f"NSRDB-PSM4-TMY {nmeta.get('Version', '')}".strip(),
        "wind_height_m": NSRDB_WIND_HEIGHT_M,
    }
    meta = check_meta(meta, source)
    data = raw[list(_ATTRIBUTES)].copy()
    if len(data) and (data.index.minute == 30).all():
        data.index = data.index - pd.Timedelta(minutes=30)
    data["pressure"] = pd.to_numeric(data["pressure"], errors="coerce") * 100.0
    data = fill_derived(data, elev, source)
    return validate_weather(data, meta, source, year=year), meta


def _download(
    lat: float, lon: float, api_key: str, email: str, dataset: str, timeout: float
) -> str:
    params = {
        "api_key": api_key,
        "full_name": psm4.PVLIB_PYTHON,
        "email": email,
        "affiliation": psm4.PVLIB_PYTHON,
        "reason": psm4.PVLIB_PYTHON,
        "mailing_list": "false",
        # WKT point: longitude first, as pvlib formats it
        "wkt": f"POINT({lon:.4f} {lat:.4f})",
        "names": dataset,
        "attributes": ",".join(psm4.REQUEST_VARIABLE_MAP.get(a, a) for a in psm4.PARAMETERS),
        "leap_day": "false",
        "utc": "false",
        "interval": 60,
    }
    return fetch_text(
        NSRDB_TMY_URL,
        params,
        what=f"NSRDB TMY request for ({lat}, {lon})",
        timeout=timeout,
        detail_key="errors",
        fix="check the API key (free at https://developer.nlr.gov/signup/) and that the site "
        "is in the NSRDB GOES coverage (the Americas), or " + OFFLINE_FIX,
        secrets=(api_key, email),
    )


def fetch_nsrdb_tmy(
    latitude: float,
    longitude: float,
    *,
    api_key: str,
    email: str,
    dataset: str = "tmy",
    cache_dir: str | PathLike[str] | None = None,
    timeout: float = 30,
    year: int = DEFAULT_YEAR,
) -> tuple[pd.DataFrame, dict]:
    """Typical meteorological year from NSRDB PSM v4 (the Americas), cached on disk.

    Parameters
    ----------
    latitude, longitude : float
        Site [degrees north, degrees east]; rounded to 0.01 degree for the request
        and the cache key.
    api_key : str
        NREL developer API key (free sign-up).
    email : str
        E-mail registered with the key (the API requires it).
    dataset : str, default "tmy"
        NSRDB ``names`` value, e.g. ``"tmy"``, ``"tmy-2023"``, ``"tgy-2022"``.
    cache_dir : str or os.PathLike, optional
        Cache folder; default ``$AIP_CACHE_DIR`` or ``~/.cache/aip``.
    timeout : float, default 30
        Seconds to wait for the service.
    year : int, default 2025
        Non-leap year the timestamps are mapped onto.

    Returns
    -------
    data : pandas.DataFrame
        8760 hourly rows of aip weather (``wind_speed`` at 2 m) in local standard time.
    meta : dict
        ``name, latitude, longitude, elevation, tz, source, wind_height_m``.

    Raises
    ------
    aip.errors.OnlineDataError
        Network failure, an HTTP error (e.g. a rejected key), or an answer that is
        not NSRDB data.
    aip.errors.ScenarioError
        Coordinates out of range or an empty key/e-mail.

    References
    ----------
    .. [1] Sengupta, M. et al. (2018). The National Solar Radiation Data Base (NSRDB).
       Renewable and Sustainable Energy Reviews 89, 51-60.
    .. [2] NSRDB GOES TMY v4.0.0 API,
       https://developer.nlr.gov/docs/solar/nsrdb/nsrdb-GOES-tmy-v4-0-0-download/

    Examples
    --------
    >>> from aip.io import fetch_nsrdb_tmy
    >>> data, meta = fetch_nsrdb_tmy(  # doctest: +SKIP
    ...     35.07, -89.98, api_key="...", email="me@x.org")
    """
    check_coords(latitude, longitude)
    for field, value in (("api_key", api_key), ("email", email)):
        if not isinstance(value, str) or not value.strip():
            raise ScenarioError.for_field(
                f"nsrdb.{field}",
                value,
                "a non-empty string",
                "get a free key at "
                "https://developer.nlr.gov/signup/ or use PVGIS / a local EPW file",
            )
    lat, lon = round_coords(latitude, longitude)
    path = cache_path("nsrdb-psm4", lat, lon, ".csv", variant=dataset, cache_dir=cache_dir)
    cached = read_cached(path)
    if cached is not None:
        try:
            return parse_nsrdb_tmy(cached, year=year, source=str(path))
        except WeatherFileError:
            pass  # a corrupt cache entry is simply fetched again
    text = _download(lat, lon, api_key, email, dataset, timeout)
    try:
        result = parse_nsrdb_tmy(text, year=year, source="NSRDB answer")
    except WeatherFileError as exc:
        raise OnlineDataError(f"{exc}; fix: {OFFLINE_FIX}") from None
    write_atomic(path, text)
    return result
