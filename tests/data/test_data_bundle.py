"""Bundled files: SOURCES.md covers each one; module docstring examples run."""

from __future__ import annotations

import doctest
import importlib
from importlib import resources
from importlib.resources.abc import Traversable

import pytest

from aip.data import bundled_path
from aip.errors import DataError

DATA_EXTENSIONS = (".csv", ".gz", ".json")


def _walk(node: Traversable, prefix: str = "") -> list[str]:
    out: list[str] = []
    for child in node.iterdir():
        if child.is_dir():
            if child.name != "__pycache__":
                out += _walk(child, f"{prefix}{child.name}/")
        elif child.name.endswith(DATA_EXTENSIONS):
            out.append(prefix + child.name)
    return out


def test_sources_md_names_every_data_file() -> None:
    root = resources.files("aip.data")
    shipped = _walk(root)
    assert len(shipped) >= 11 + 3 + 1 + 4 + 2 + 1 + 1  # weather, costs, avert, ...
    text = root.joinpath("SOURCES.md").read_text(encoding="utf-8")
    # AVERT files are described as one pattern
    avert = "AVERT_2023_{CO2,NOx,SO2,PM25}_lb_per_kwh.csv.gz"
    missing = [
        f
        for f in shipped
        if f.rsplit("/", 1)[-1] not in text
        and not (f.startswith("emissions/avert/") and avert in text)
    ]
    assert missing == []


def test_no_gpl_pypsa_files_shipped() -> None:
    assert not any("pypsa" in f.lower() for f in _walk(resources.files("aip.data")))


def test_missing_file_is_data_error() -> None:
    with pytest.raises(DataError, match="missing"):
        bundled_path("costs/nope.csv")


@pytest.mark.parametrize(
    "module",
    ["bundle", "sites", "grid", "accelerators", "fuel_emissions", "cost_tables", "technologies"],
)
def test_docstring_examples(module: str) -> None:
    mod = importlib.import_module(f"aip.data.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
