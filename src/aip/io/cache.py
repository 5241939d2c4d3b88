"""On-disk cache of raw online-service responses (PVGIS, NSRDB).

The raw text a service sent is stored, not the parsed frame, so a later aip (or any
other tool) can re-parse it, and a cached answer goes through exactly the same
parsing and validation as a fresh one.

Location: the ``cache_dir`` argument, else the ``AIP_CACHE_DIR`` environment
variable, else ``~/.cache/aip``. Files are written atomically (temporary file in the
same folder, then :func:`os.replace`), so concurrent sweeps never read half a file.
"""

from __future__ import annotations

import os
from os import PathLike
from pathlib import Path

CACHE_ENV = "AIP_CACHE_DIR"
COORD_DECIMALS = 2
"""Coordinates are rounded to 0.01 degree (about 1.1 km) before a request and in the
cache key (assumption: finer than the services' grids, PVGIS-SARAH about 5 km and NSRDB
about 2-4 km, so rounding does not change the grid cell materially, while nearby
requests share one cached answer)."""


def resolve_cache_dir(cache_dir: str | PathLike[str] | None = None) -> Path:
    """Cache folder: ``cache_dir``, else ``$AIP_CACHE_DIR``, else ``~/.cache/aip``.

    Examples
    --------
    >>> resolve_cache_dir("/tmp/aip-cache").as_posix()
    '/tmp/aip-cache'
    """
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "aip"


def round_coords(latitude: float, longitude: float) -> tuple[float, float]:
    """Coordinates rounded to :data:`COORD_DECIMALS` decimals [degrees]."""
    return round(float(latitude), COORD_DECIMALS), round(float(longitude), COORD_DECIMALS)


def cache_path(
    service: str,
    latitude: float,
    longitude: float,
    suffix: str,
    *,
    variant: str = "",
    cache_dir: str | PathLike[str] | None = None,
) -> Path:
    """File that holds (or will hold) one cached response.

    Parameters
    ----------
    service : str
        Service name, e.g. ``"pvgis-tmy"``.
    latitude, longitude : float
        Site coordinates [degrees]; rounded with :func:`round_coords`.
    suffix : str
        File suffix of the raw response, e.g. ``".json"``.
    variant : str, optional
        Request options that change the answer (e.g. ``"tmy-2023"``); never secrets.
    cache_dir : str or os.PathLike, optional
        Overrides the folder (see :func:`resolve_cache_dir`).

    Examples
    --------
    >>> cache_path("pvgis-tmy", 35.0712, -89.9801, ".json", cache_dir="/c").name
    'pvgis-tmy_35.07_-89.98.json'
    """
    lat, lon = round_coords(latitude, longitude)
    tag = f"_{variant}" if variant else ""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in f"{service}{tag}")
    coords = f"{lat:.{COORD_DECIMALS}f}_{lon:.{COORD_DECIMALS}f}"
    return resolve_cache_dir(cache_dir) / f"{safe}_{coords}{suffix}"


def read_cached(path: Path) -> str | None:
    """Cached text at ``path``, or None when absent or unreadable."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
