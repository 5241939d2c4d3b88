"""Typical meteorological year from PVGIS (EU JRC), worldwide, cached on disk.

The request is the one :func:`pvlib.iotools.get_pvgis_tmy` sends (same URL and
parameters, JSON output); it is issued here with :func:`requests.get` so the raw
response can be cached (pvlib's function returns only the parsed frame). Parsing is
pvlib's :func:`pvlib.iotools.read_pvgis_tmy`, so cached and fresh answers are read
the same way.

PVGIS gives ``T2m`` [degC], ``RH`` [%], ``G(h)``, ``Gb(n)``, ``Gd(h)`` [W/m2],
``WS10m`` [m/s at 10 m] and ``SP`` [Pa] in UTC; the dew point is derived from
temperature and humidity (Magnus equation, see
:func:`aip.io.derive.fill_derived`).
"""

from __future__ import annotations

import io
from os import PathLike
from typing import Any

import pandas as pd
import pvlib

from aip.errors import OnlineDataError, ScenarioError, WeatherFileError
from aip.io.atomic import write_atomic
from aip.io.cache import cache_path, read_cached, round_coords
from aip.io.derive import fill_derived
from aip.io.http import OFFLINE_FIX, fetch_text
from aip.io.validate import DEFAULT_YEAR, check_meta, validate_weather

PVGIS_URL: str = pvlib.iotools.pvgis.URL
"""Base URL of the PVGIS API, as pvlib uses it (``tmy`` is appended)."""
PVGIS_WIND_HEIGHT_M = 10.0
"""PVGIS ``WS10m`` is the 10-m wind speed (PVGIS TMY output description)."""
_KEEP = ("ghi", "dni", "dhi", "temp_air", "relative_humidity", "wind_speed", "pressure")


def check_coords(latitude: float, longitude: float) -> None:
    """Raise ScenarioError unless -90 <= latitude <= 90 and -180 <= longitude <= 180."""
    if not -90.0 <= float(latitude) <= 90.0:
        raise ScenarioError.for_field(
            "site.latitude", latitude, "in [-90, 90] degrees north", "give decimal degrees"
        )
    if not -180.0 <= float(longitude) <= 180.0:
        raise ScenarioError.for_field(
            "site.longitude", longitude, "in [-180, 180] degrees east", "give decimal degrees"
        )


def parse_pvgis_tmy(
    text: str, *, utc_offset: float | None = None, year: int = DEFAULT_YEAR, source: str = "PVGIS"
) -> tuple[pd.DataFrame, dict]:
    """Parse a PVGIS TMY JSON response into aip's weather vocabulary.

    Parameters
    ----------
    text : str
        Raw JSON of the PVGIS ``tmy`` endpoint (``outputformat=json``).
    utc_offset : float, optional
        UTC offset of the output [hours]; default 0 (PVGIS answers in UTC). A
        non-zero offset rolls the year so it starts at local midnight on Jan 1.
    year : int, default 2025
        Non-leap year the timestamps are mapped onto.
    source : str
        Name used in error messages.

    Returns
    -------
    data, meta : pandas.DataFrame, dict
        As :func:`aip.io.read_weather`; ``meta["source"]`` names the radiation
        database (e.g. ``"PVGIS-TMY PVGIS-SARAH3"``).

    Raises
    ------
    aip.errors.WeatherFileError
        If the text is not a PVGIS TMY JSON document or fails validation.
    """
    try:
        raw, pmeta = pvlib.iotools.read_pvgis_tmy(
            io.StringIO(text), pvgis_format="json", map_variables=True
        )
        location = pmeta["inputs"]["location"]
        meteo = pmeta["inputs"].get("meteo_data", {})
        lat, lon, elev = (float(location[k]) for k in ("latitude", "longitude", "elevation"))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise WeatherFileError(
            f"{source}: not a PVGIS TMY JSON response ({type(exc).__name__}: "
            f"{str(exc)[:100]}); fix: delete the cached file or retry the request"
        ) from None
    meta: dict[str, Any] = {
        "name": f"PVGIS TMY {lat:.2f},{lon:.2f}",
        "latitude": lat,
        "longitude": lon,
        "elevation": elev,
        "tz": float(utc_offset or 0.0),
        "source": f"PVGIS-TMY {meteo.get('radiation_db', '')}".strip(),
        "wind_height_m": PVGIS_WIND_HEIGHT_M,
    }
    meta = check_meta(meta, source)
    data = raw.drop(columns=[c for c in raw.columns if c not in _KEEP])
    data["relative_humidity"] = pd.to_numeric(data["relative_humidity"], errors="coerce") / 100
    data = fill_derived(data, elev, source)
    return validate_weather(data, meta, source, year=year), meta


def _download(lat: float, lon: float, timeout: float) -> str:
    params: dict[str, str | float] = {"lat": lat, "lon": lon, "outputformat": "json"}
    return fetch_text(
        PVGIS_URL + "tmy",
        params,
        what=f"PVGIS TMY request for ({lat}, {lon})",
        timeout=timeout,
        detail_key="message",
        fix="check the coordinates (PVGIS covers land between about 60S and 72N) or " + OFFLINE_FIX,
    )


def fetch_pvgis_tmy(
    latitude: float,
    longitude: float,
    *,
    cache_dir: str | PathLike[str] | None = None,
    timeout: float = 30,
    utc_offset: float | None = None,
    year: int = DEFAULT_YEAR,
) -> tuple[pd.DataFrame, dict]:
    """Typical meteorological year for any land site from PVGIS, cached on disk.

    Parameters
    ----------
    latitude, longitude : float
        Site [degrees north, degrees east]; rounded to 0.01 degree for the request
        and the cache key (:data:`aip.io.cache.COORD_DECIMALS`).
    cache_dir : str or os.PathLike, optional
        Cache folder; default ``$AIP_CACHE_DIR`` or ``~/.cache/aip``.
    timeout : float, default 30
        Seconds to wait for the service.
    utc_offset : float, optional
        UTC offset of the returned index [hours]; default 0 (UTC, as PVGIS answers).
        Give the site's standard-time offset to align with local load profiles.
    year : int, default 2025
        Non-leap year the timestamps are mapped onto.

    Returns
    -------
    data : pandas.DataFrame
        8760 hourly rows of aip weather (``wind_speed`` at 10 m).
    meta : dict
        ``name, latitude, longitude, elevation, tz, source, wind_height_m``.

    Raises
    ------
    aip.errors.OnlineDataError
        Network failure, an HTTP error, or an answer that is not PVGIS TMY data.
    aip.errors.ScenarioError
        Coordinates out of range.

    Notes
    -----
    A cached response is used without any network access. A cached file that
    cannot be parsed is fetched again and replaced.

    References
    ----------
    .. [1] European Commission JRC, PVGIS TMY tool and API,
       https://joint-research-centre.ec.europa.eu/pvgis-online-tool_en
    .. [2] Huld, T., Müller, R., Gambardella, A. (2012). A new solar radiation database
       for estimating PV performance in Europe and Africa. Solar Energy 86, 1803-1815.

    Examples
    --------
    >>> from aip.io import fetch_pvgis_tmy
    >>> data, meta = fetch_pvgis_tmy(35.07, -89.98, utc_offset=-6)  # doctest: +SKIP
    """
    check_coords(latitude, longitude)
    lat, lon = round_coords(latitude, longitude)
    path = cache_path("pvgis-tmy", lat, lon, ".json", cache_dir=cache_dir)
    cached = read_cached(path)
    if cached is not None:
        try:
            return parse_pvgis_tmy(cached, utc_offset=utc_offset, year=year, source=str(path))
        except WeatherFileError:
            pass  # a corrupt cache entry is simply fetched again
    text = _download(lat, lon, timeout)
    try:
        result = parse_pvgis_tmy(text, utc_offset=utc_offset, year=year, source="PVGIS answer")
    except WeatherFileError as exc:
        raise OnlineDataError(f"{exc}; fix: {OFFLINE_FIX}") from None
    write_atomic(path, text)
    return result
