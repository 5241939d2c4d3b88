"""Sweep curves and single-figure pages."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from aip.errors import DataError
from aip.plot.sweep import sweep_figure
from aip.report.figure_page import write_figure_page


def test_one_line_per_group_sorted_by_x() -> None:
    frame = pd.DataFrame(
        {
            "gas": [6.0, 2.0, 4.0, 2.0, 4.0, 6.0],
            "cost": [3.0, 1.0, 2.0, 1.5, 2.5, 3.5],
            "site": ["a", "a", "a", "b", "b", "b"],
        }
    )
    fig = sweep_figure(frame, "gas", "cost", "site")
    assert [t.name for t in fig.data] == ["a", "b"]
    assert list(fig.data[0].x) == [2.0, 4.0, 6.0]
    assert list(fig.data[0].y) == [1.0, 2.0, 3.0]
    assert fig.layout.xaxis.title.text == "gas"


def test_missing_column_is_a_data_error() -> None:
    with pytest.raises(DataError, match="no column 'lcoe'"):
        sweep_figure(pd.DataFrame({"gas": [1.0]}), "gas", "lcoe")


def test_figure_page_is_self_contained(tmp_path: Path) -> None:
    fig = sweep_figure(pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, 4.0]}), "x", "y")
    page = write_figure_page(fig, tmp_path / "f.html", "test").read_text()
    assert "<script src" not in page
    outside_scripts = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    assert "http" not in outside_scripts
