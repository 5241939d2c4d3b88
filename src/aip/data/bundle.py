"""Locate and read the data files bundled inside the ``aip.data`` package.

Every bundled file is found through :mod:`importlib.resources`, so the package works
from a source checkout, an installed wheel or a zip import alike. Provenance of each
file: ``SOURCES.md`` in this folder.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import gzip
import io
from importlib import resources
from pathlib import Path

import pandas as pd

from aip.errors import DataError

# Files extracted from a zipped install must outlive the call that asked for them;
# they are cleaned up when the interpreter exits.
_EXTRACTED = contextlib.ExitStack()
atexit.register(_EXTRACTED.close)


def bundled_path(relative: str) -> Path:
    """Real filesystem path of a bundled data file.

    Parameters
    ----------
    relative : str
        Path inside ``aip/data``, with forward slashes, e.g. ``"hardware/accelerators.csv"``.

    Returns
    -------
    pathlib.Path
        A path usable by :func:`open`; for a zipped install the file is extracted to a
        temporary location that lives until the interpreter exits.

    Raises
    ------
    aip.errors.DataError
        If the file is not part of the package (a broken installation).

    Examples
    --------
    >>> bundled_path("hardware/accelerators.csv").name
    'accelerators.csv'
    """
    resource = resources.files("aip.data")
    for part in relative.split("/"):
        resource = resource.joinpath(part)
    if not resource.is_file():
        raise DataError(
            f"bundled data file {relative!r} is missing from the aip package; "
            "fix: reinstall aip (package data 'data/**/*' must be included)"
        )
    if isinstance(resource, Path):
        return resource
    return _EXTRACTED.enter_context(resources.as_file(resource))


def read_bundled_text(relative: str) -> str:
    """Text of a bundled file, transparently gunzipped when its name ends in ``.gz``.

    A UTF-8 byte-order mark (present in the AVERT tables) is removed.
    """
    raw = bundled_path(relative).read_bytes()
    if relative.endswith(".gz"):
        raw = gzip.decompress(raw)
    return raw.decode("utf-8-sig")


@functools.lru_cache(maxsize=32)
def _read_csv_cached(relative: str) -> pd.DataFrame:
    text = read_bundled_text(relative)
    try:
        return pd.read_csv(io.StringIO(text), comment="#", skipinitialspace=True)
    except (ValueError, pd.errors.ParserError) as exc:
        raise DataError(f"bundled table {relative!r} cannot be parsed: {exc}") from exc


def read_bundled_csv(relative: str) -> pd.DataFrame:
    """Read a bundled CSV table (``#`` comment header skipped; ``.gz`` handled).

    Returns a fresh copy each call, so callers may modify it.
    """
    return _read_csv_cached(relative).copy()
