"""Raw text access for weather files: gzip-aware reading and row-shape checks.

Readers check the shape of every row before pandas sees the file, because pandas
silently pads short rows with missing values, which would turn a malformed file into
"gaps" instead of an error naming the line.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aip.errors import WeatherFileError


def read_text(path: Any, source: str) -> str:
    """Whole text of a weather file, gunzipped if it is gzip-compressed.

    Decodes as UTF-8 and falls back to Latin-1 (old EPW comment lines), so decoding
    never fails. Missing files and corrupt gzip streams raise WeatherFileError.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
        if raw[:2] == b"\x1f\x8b":  # gzip magic number, whatever the suffix says
            raw = gzip.decompress(raw)
    except FileNotFoundError:
        raise WeatherFileError(
            f"{source}: file not found; fix: check the path (site.weather_file)"
        ) from None
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise WeatherFileError(
            f"{source}: cannot read file ({exc}); fix: supply an uncorrupted file"
        ) from None
    try:
        return raw.decode("utf-8-sig")  # -sig: drop the byte-order mark spreadsheets add
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def check_field_counts(
    lines: Sequence[str], first: int, n_fields: int, source: str, fix: str
) -> None:
    """Raise if any non-empty line from index ``first`` has not ``n_fields`` CSV fields.

    Line numbers in the message are 1-based file lines.
    """
    for offset, fields in enumerate(csv.reader(lines[first:])):
        if not fields:
            continue  # a blank (e.g. trailing) line
        if len(fields) != n_fields:
            raise WeatherFileError(
                f"{source}: line {first + offset + 1} has {len(fields)} fields, expected "
                f"{n_fields}; fix: {fix}"
            )
