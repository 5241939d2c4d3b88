"""Expand a sweep into cases: dotted-path overrides of a base scenario, each with a stable id.

A case id is a hash of the *resolved* scenario (every field, defaults included),
so the same inputs always get the same id, whichever sweep file or order
produced them; that is what resume and de-duplication key on.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import itertools
import json
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from aip.errors import AipError, ScenarioError
from aip.schema import Scenario, load_scenario, parse_scenario
from aip.schema.sweep import SweepSpec
from aip.sweep.sampling import draw_samples

#: Bumped when the meaning of a stored row changes, so old ids are not reused.
_ID_SALT = "aip-sweep-1"


@dataclass(frozen=True)
class Case:
    """One scenario of a sweep.

    ``scenario`` holds the set fields of the resolved scenario (re-validated by the
    worker); ``error`` is set instead when the overrides make it invalid.
    """

    index: int
    case_id: str
    params: dict[str, Any]
    scenario: dict[str, Any] | None
    error: str | None = None


def case_id(data: Any) -> str:
    """Stable 16-hex-digit id of JSON-like ``data`` (key order does not matter).

    Examples
    --------
    >>> case_id({"a": 1, "b": [2.0]}) == case_id({"b": [2.0], "a": 1})
    True
    """
    text = json.dumps([_ID_SALT, data], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def set_path(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of ``data`` with ``path`` (dotted) set to ``value``.

    Missing intermediate mappings are created, so setting
    ``technologies.pv.capex_usd_per_kw`` on a base without ``pv`` adds ``pv``.

    Examples
    --------
    >>> set_path({"economics": {"wacc": 0.08}}, "economics.fuel_prices_usd_per_mmbtu.gas", 3.0)
    {'economics': {'wacc': 0.08, 'fuel_prices_usd_per_mmbtu': {'gas': 3.0}}}
    """
    out = copy.deepcopy(data)
    node = out
    parts = path.split(".")
    for depth, part in enumerate(parts[:-1]):
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        if not isinstance(child, dict):
            where = ".".join(parts[: depth + 1])
            raise ScenarioError.for_field(
                path, value, f"a path into a mapping, but {where} is a value", "shorten the path"
            )
        node = child
    node[parts[-1]] = value
    return out


def check_path(path: str, where: str) -> None:
    """Raise :class:`ScenarioError` unless ``path`` names a field of a scenario.

    Examples
    --------
    >>> check_path("technologies.pv.capex_usd_per_kw", "grid")
    >>> check_path("economics.wac", "grid")
    Traceback (most recent call last):
    ...
    aip.errors.ScenarioError: grid: economics.wac: unknown scenario field; did you mean 'wacc'?
    """
    model: type[BaseModel] | None = Scenario
    parts = path.split(".")
    i = 0
    while i < len(parts):
        if model is None:
            raise ScenarioError(
                f"{where}: {path}: {'.'.join(parts[:i])} is a value, not a section; "
                "shorten the path",
                field=path,
            )
        name = parts[i]
        info = model.model_fields.get(name)
        if info is None:
            guess = difflib.get_close_matches(name, list(model.model_fields), n=1)
            hint = f"did you mean {guess[0]!r}?" if guess else "see docs/scenario.md"
            raise ScenarioError(f"{where}: {path}: unknown scenario field; {hint}", field=path)
        annotation = _unwrap_optional(info.annotation)
        if get_origin(annotation) is dict:
            i += 2  # the mapping key (technology, fuel) is free
            annotation = _unwrap_optional(get_args(annotation)[1])
        else:
            i += 1
        model = _as_model(annotation)


def _unwrap_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        models = [a for a in args if _as_model(a) is not None]
        return models[0] if models else args[0]
    return annotation


def _as_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def base_scenario(spec: SweepSpec, folder: Path) -> dict[str, Any]:
    """The base scenario's set fields (paths in it resolved), validated once."""
    if isinstance(spec.base, str):
        scenario = load_scenario(folder / spec.base)
    else:
        scenario = parse_scenario(spec.base, source="sweep base")
    return scenario.model_dump(exclude_unset=True)


def parameter_sets(spec: SweepSpec) -> list[dict[str, Any]]:
    """Grid points crossed with samples, in order (last grid field varies fastest)."""
    names = list(spec.grid)
    points = [
        dict(zip(names, combo, strict=True)) for combo in itertools.product(*spec.grid.values())
    ]
    if spec.samples is None:
        return points
    draws = draw_samples(spec.samples)
    return [{**point, **draw} for point in points for draw in draws]


def expand_cases(spec: SweepSpec, folder: Path = Path()) -> list[Case]:
    """All distinct cases of a sweep, numbered in order.

    Cases whose resolved scenario is identical (same id) appear once: the first
    one is kept, so duplicate work is neither done nor recorded twice.

    Raises
    ------
    ScenarioError
        A varied path is not a scenario field, or the base scenario is invalid.
    """
    for path in spec.grid:
        check_path(path, "grid")
    for path in spec.samples.parameters if spec.samples else {}:
        check_path(path, "samples.parameters")
    base = base_scenario(spec, folder)
    cases: list[Case] = []
    seen: set[str] = set()
    for params in parameter_sets(spec):
        data = base
        try:
            for path, value in params.items():
                data = set_path(data, path, value)
            scenario = parse_scenario(data, source="case")
        except AipError as exc:
            cid = case_id({"invalid": data, "params": params})
            case = Case(len(cases), cid, params, None, str(exc))
        else:
            cid = case_id(scenario.model_dump())
            case = Case(len(cases), cid, params, scenario.model_dump(exclude_unset=True))
        if cid not in seen:
            seen.add(cid)
            cases.append(case)
    return cases


def column_types(spec: SweepSpec, cases: list[Case]) -> dict[str, str]:
    """SQL type of each input column: BOOLEAN, BIGINT, DOUBLE or VARCHAR."""
    out: dict[str, str] = {}
    for name in spec.parameters:
        values = [c.params[name] for c in cases if name in c.params]
        if values and all(isinstance(v, bool) for v in values):
            out[name] = "BOOLEAN"
        elif values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            out[name] = "BIGINT"
        elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            out[name] = "DOUBLE"
        else:
            out[name] = "VARCHAR"  # text, or JSON of a mapping/list value
    return out
