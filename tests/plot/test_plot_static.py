"""PNG export with matplotlib (offline, no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aip.errors import AipError
from aip.plot import PlanView, plan_figures, write_png

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_every_figure_writes_a_png(small_view: PlanView, tmp_path: Path) -> None:
    for name, fig in plan_figures(small_view).items():
        path = write_png(fig, tmp_path / "png" / f"{name}.png", dpi=60)
        data = path.read_bytes()
        assert data[:8] == PNG_MAGIC, name
        assert len(data) > 5_000, name  # a drawn figure, not an empty canvas


def test_png_write_failure_is_one_aip_error(small_view: PlanView, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    fig = plan_figures(small_view)["capacity"]
    with pytest.raises(AipError, match="cannot write PNG"):
        write_png(fig, blocker / "x.png")
