"""The model's timestamp labels: vectorised, and equal to pandas' own isoformat."""

from __future__ import annotations

import pandas as pd
import pytest

from aip.optimize.prepare import iso_timestamps


@pytest.mark.parametrize(
    "index",
    [
        pd.date_range("2023-01-01", periods=8760, freq="h", tz="America/Chicago"),  # DST
        pd.date_range("2023-01-01", periods=8760, freq="h", tz="Etc/GMT+6"),  # TMY: fixed
        pd.date_range("2023-06-01", periods=48, freq="h", tz="Asia/Kolkata"),  # +05:30
        pd.date_range("2023-06-01", periods=48, freq="h", tz="America/St_Johns"),  # -02:30
        pd.date_range("2023-06-01", periods=48, freq="h", tz="UTC"),
        pd.date_range("2023-06-01", periods=48, freq="h"),  # no time zone
        pd.date_range("2023-06-01 00:00:00.25", periods=4, freq="h", tz="UTC"),  # sub-second
        pd.DatetimeIndex([], tz="UTC"),
    ],
)
def test_labels_equal_pandas_isoformat(
    index: pd.DatetimeIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whole-second stamps never take the per-stamp path (the slow one it replaces)."""
    from aip.optimize import prepare

    expected = [t.isoformat() for t in index]
    if len(index) and not (index.as_unit("ns").asi8 % 1_000_000_000).any():

        def per_stamp(index: pd.DatetimeIndex) -> list[str]:
            raise AssertionError("whole-second stamps formatted one by one")

        monkeypatch.setattr(prepare, "_each_isoformat", per_stamp)
    assert iso_timestamps(index) == expected


def test_a_bundled_sites_year_is_labelled_as_before() -> None:
    import aip
    from aip.site import resolve_site

    weather = resolve_site(aip.load_scenario("examples/cfe-abilene.yaml").site).weather
    index = pd.DatetimeIndex(weather.index)
    assert iso_timestamps(index) == [t.isoformat() for t in index]
