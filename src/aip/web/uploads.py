"""Uploaded weather files: checked, then stored under a server-made name.

The client's file name is never used as a path: the bytes are written to a
temporary file inside the upload folder, read with :func:`aip.io.read_epw` (which
rejects anything that is not a full, physical EPW year), and renamed to
``<uuid4 hex>.epw``. Scenarios refer to the file by that id only.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

from aip.errors import AipError, WeatherFileError
from aip.io import read_epw


def store_weather(data: bytes, folder: Path) -> dict[str, Any]:
    """Validate an EPW upload and keep it; return its id and what the file says.

    Parameters
    ----------
    data : bytes
        The file's content (plain or gzip-compressed EPW).
    folder : Path
        Server-controlled upload folder (created if missing).

    Returns
    -------
    dict
        ``id`` (use as ``site.weather_file``), ``name``, ``latitude`` [deg north],
        ``longitude`` [deg east], ``elevation_m`` [m], ``hours`` [-].

    Raises
    ------
    WeatherFileError
        Empty or unreadable file, or one that fails the EPW checks.
    """
    if not data:
        raise WeatherFileError("file: the upload is empty; choose an EPW weather file")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".upload-", suffix=".epw", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        try:
            weather, meta = read_epw(tmp)
        except AipError as exc:  # the reader names the file: not the server's folder
            reason = str(exc).replace(str(tmp), "the upload").replace(Path(tmp).name, "the upload")
            raise WeatherFileError(f"file: not a usable EPW weather file: {reason}") from None
        except Exception as exc:  # a reader bug on hostile bytes is still the file's fault
            raise WeatherFileError(
                f"file: not a usable EPW weather file ({type(exc).__name__})"
            ) from None
        file_id = uuid.uuid4().hex
        os.replace(tmp, folder / f"{file_id}.epw")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return {
        "id": file_id,
        "name": str(meta.get("name") or ""),
        "latitude": float(meta["latitude"]),
        "longitude": float(meta["longitude"]),
        "elevation_m": float(meta.get("elevation") or 0.0),
        "hours": len(weather),
    }
