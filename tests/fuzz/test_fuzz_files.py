"""Fuzz the sweep and portfolio file boundaries (issue 14, extended as they landed).

Random JSON-like structures and one-field mutations of the bundled example files go through
``parse_sweep`` / ``parse_portfolio``; each case ends in a valid model or a one-line
:class:`~aip.errors.AipError`, never another exception.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from fuzz_strategies import json_values, numbers
from hypothesis import given
from hypothesis import strategies as st

from aip.errors import AipError
from aip.schema.portfolio import parse_portfolio
from aip.schema.sweep import parse_sweep
from conftest import assert_one_line, count, fuzz

ROOT = Path(__file__).parents[2]
SWEEP = yaml.safe_load((ROOT / "examples" / "sweep-gas-price.yaml").read_text())
PORTFOLIO = yaml.safe_load((ROOT / "examples" / "aip-portfolio.yaml").read_text())


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node[:3]):
            out += _paths(value, (*prefix, i))
    return out


def _replace(base: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(base, dict):
        return {**base, head: _replace(base[head], rest, value)}
    copy = list(base)
    copy[head] = _replace(copy[head], rest, value)
    return copy


def _check(parse: Any, data: Any, source: str) -> None:
    try:
        parse(data, source=source)
    except AipError as exc:
        assert_one_line(exc)


SWEEP_PATHS = _paths(SWEEP)
PORTFOLIO_PATHS = _paths(PORTFOLIO)


@fuzz(150)
@given(data=json_values)
def test_random_structures_as_sweep_and_portfolio(data: Any) -> None:
    count("files_random")
    _check(parse_sweep, data, "fuzz.yaml")
    _check(parse_portfolio, data, "fuzz.yaml")


@fuzz(150)
@given(path=st.sampled_from(SWEEP_PATHS), value=st.one_of(numbers, json_values))
def test_sweep_with_one_field_mutated(path: tuple[Any, ...], value: Any) -> None:
    count("sweep_mutated")
    _check(parse_sweep, _replace(SWEEP, path, value), "sweep.yaml")


@fuzz(150)
@given(path=st.sampled_from(PORTFOLIO_PATHS), value=st.one_of(numbers, json_values))
def test_portfolio_with_one_field_mutated(path: tuple[Any, ...], value: Any) -> None:
    count("portfolio_mutated")
    _check(parse_portfolio, _replace(PORTFOLIO, path, value), "portfolio.yaml")
