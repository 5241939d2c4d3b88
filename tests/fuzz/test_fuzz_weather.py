"""Fuzz the weather boundary: validate_weather on damaged frames, read_weather on damaged files.

Damage: truncation, shuffled rows, missing hours, wrong units, leap years, non-hourly
steps, duplicate rows, NaN/inf/text cells, binary junk, empty files. Every case ends
in a valid 8760-hour frame or a one-line :class:`~aip.errors.WeatherFileError`.
"""

from __future__ import annotations

import functools
import gzip
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from aip.errors import WeatherFileError
from aip.io import WEATHER_COLUMNS, read_weather, validate_weather, write_weather_csv
from aip.io.validate import BOUNDS
from conftest import assert_one_line, count, fuzz

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "io"
EPW_GZ = FIXTURES / "USA_TN_Memphis.Intl.AP.723340_TMY3.epw.gz"


@pytest.fixture(scope="module")
def memphis() -> tuple[pd.DataFrame, dict[str, Any]]:
    return read_weather(EPW_GZ)


def _check_valid(frame: pd.DataFrame) -> None:
    """A frame that passed validation really is one clean hourly year."""
    assert frame.shape == (8760, len(WEATHER_COLUMNS))
    assert frame.index.is_monotonic_increasing and not frame.index.has_duplicates
    assert np.isfinite(frame.to_numpy()).all()
    for col, (lo, hi, _) in BOUNDS.items():
        assert frame[col].between(lo, hi).all(), col


def _validate(df: pd.DataFrame, meta: dict[str, Any]) -> pd.DataFrame | None:
    try:
        with warnings.catch_warnings():
            # sub-hourly data is averaged with a UserWarning by design
            warnings.filterwarnings("ignore", ".*minute data averaged", UserWarning)
            out = validate_weather(df, meta, "fuzz")
    except WeatherFileError as err:
        assert_one_line(err)
        return None
    _check_valid(out)
    return out


DAMAGE = [
    "truncate",
    "shuffle",
    "drop_hours",
    "percent_rh",
    "hpa_pressure",
    "fahrenheit",
    "leap_year",
    "two_hourly",
    "half_hourly",
    "duplicate",
    "nan_cells",
    "inf_cell",
    "text_cell",
    "naive_index",
    "other_year",
]


def _damage(
    df: pd.DataFrame, kind: str, rng: np.random.Generator, size: int
) -> tuple[pd.DataFrame, str]:
    """Damaged copy of ``df`` and the expected outcome: 'valid', 'error' or 'either'."""
    n = len(df)
    if kind == "truncate":
        return df.iloc[: rng.integers(0, n)], "error"
    if kind == "shuffle":
        return df.iloc[rng.permutation(n)], "same"
    if kind == "drop_hours":
        start = int(rng.integers(0, n - size))
        return df.drop(df.index[start : start + size]), "either"
    if kind == "percent_rh":
        return df.assign(relative_humidity=df["relative_humidity"] * 100), "error"
    if kind == "hpa_pressure":
        return df.assign(pressure=df["pressure"] / 100), "error"
    if kind == "fahrenheit":
        return df.assign(temp_air=df["temp_air"] * 9 / 5 + 32), "error"  # Memphis summers
    if kind == "leap_year":
        idx = pd.date_range("2024-01-01", periods=8784, freq="h", tz=df.index.tz)
        values = np.resize(df.to_numpy(), (8784, df.shape[1]))
        return pd.DataFrame(values, index=idx, columns=df.columns), "valid"
    if kind == "two_hourly":
        return df.iloc[::2], "error"
    if kind == "half_hourly":
        return df.resample("30min").interpolate(), "either"  # last half hour is missing
    if kind == "duplicate":
        pos = int(rng.integers(0, n))
        return pd.concat([df, df.iloc[[pos]]]), "error"
    if kind == "nan_cells":
        out = df.copy()
        col = str(rng.choice(list(WEATHER_COLUMNS)))
        start = int(rng.integers(0, n - size))
        out.iloc[start : start + size, out.columns.get_loc(col)] = np.nan
        return out, ("valid" if size <= 3 else "error")
    if kind == "inf_cell":
        out = df.copy()
        col = str(rng.choice(list(WEATHER_COLUMNS)))
        out.iloc[int(rng.integers(0, n)), out.columns.get_loc(col)] = rng.choice([np.inf, -np.inf])
        return out, "error"
    if kind == "text_cell":
        out = df.astype(object)
        out.iloc[int(rng.integers(0, n)), int(rng.integers(0, df.shape[1]))] = "n/a"
        return out, "error"
    if kind == "naive_index":
        return df.tz_localize(None), "error"
    assert kind == "other_year"
    shifted = df.copy()
    shifted.index = df.index - pd.Timedelta(days=365 * int(rng.integers(1, 30)))
    return shifted, "either"  # leap days on the way shift the data by a day


@fuzz(150)
@given(kind=st.sampled_from(DAMAGE), seed=st.integers(0, 2**32 - 1), size=st.integers(1, 8))
@example(kind="drop_hours", seed=0, size=3)
@example(kind="drop_hours", seed=0, size=4)
@example(kind="leap_year", seed=0, size=1)
def test_damaged_frames(
    memphis: tuple[pd.DataFrame, dict[str, Any]], kind: str, seed: int, size: int
) -> None:
    count("weather_frames")
    data, meta = memphis
    damaged, expected = _damage(data, kind, np.random.default_rng(seed), size)
    out = _validate(damaged, meta)
    if expected == "error":
        assert out is None, f"{kind} was accepted"
    elif expected in ("valid", "same"):
        assert out is not None, f"{kind} was refused"
    if expected == "same" and out is not None:
        pd.testing.assert_frame_equal(out, data, check_freq=False)


@functools.cache
def _texts() -> dict[str, str]:
    """Undamaged file texts (module-level, so hypothesis never reprs megabytes of text)."""
    data, meta = read_weather(EPW_GZ)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "memphis.csv"
        write_weather_csv(data, meta, path)
        csv = path.read_text(encoding="utf-8")
    return {"csv": csv, "epw": gzip.decompress(EPW_GZ.read_bytes()).decode("latin-1")}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: Any) -> Path:
    return tmp_path_factory.mktemp("weather-files")


FILE_DAMAGE = ["cut", "junk_line", "swap_lines", "drop_header", "bytes", "empty", "crlf"]


def _damage_text(text: str, kind: str, rng: np.random.Generator) -> str | bytes:
    lines = text.splitlines(keepends=True)
    if kind == "cut":
        return text[: int(rng.integers(0, len(text)))]
    if kind == "junk_line":
        lines[int(rng.integers(0, len(lines)))] = "\x00\xff garbage ,,,;;\n"
        return "".join(lines)
    if kind == "swap_lines":
        i, j = rng.integers(0, len(lines), size=2)
        lines[i], lines[j] = lines[j], lines[i]
        return "".join(lines)
    if kind == "drop_header":
        return "".join(lines[1:])
    if kind == "bytes":
        return rng.bytes(int(rng.integers(1, 2000)))
    if kind == "empty":
        return b""
    assert kind == "crlf"
    return text.replace("\n", "\r\n")


@fuzz(20)
@given(
    fmt=st.sampled_from(["csv", "epw", "csv.gz"]),
    kind=st.sampled_from(FILE_DAMAGE),
    seed=st.integers(0, 2**32 - 1),
)
@example(fmt="epw", kind="cut", seed=1)
@example(fmt="csv", kind="bytes", seed=2)
@example(fmt="epw", kind="empty", seed=0)
def test_damaged_files(scratch: Path, fmt: str, kind: str, seed: int) -> None:
    count("weather_files")
    rng = np.random.default_rng(seed)
    damaged = _damage_text(_texts()["epw" if fmt == "epw" else "csv"], kind, rng)
    raw = damaged.encode("utf-8", "surrogateescape") if isinstance(damaged, str) else damaged
    path = scratch / f"w.{fmt}"
    path.write_bytes(gzip.compress(raw) if fmt.endswith(".gz") else raw)
    try:
        frame, _meta = read_weather(path)
    except WeatherFileError as err:
        assert_one_line(err)
        return
    _check_valid(frame)
    # reorderings and line-ending changes are harmless; a CSV's first '# name:' line is
    # optional (the name defaults to the file name); other damage must be refused
    harmless = kind in ("crlf", "swap_lines", "cut", "junk_line")
    assert harmless or (kind == "drop_header" and fmt != "epw"), f"{kind} {fmt} was accepted"
