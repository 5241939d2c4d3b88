"""Read scenario files (YAML or JSON) into :class:`~aip.schema.Scenario`.

Errors come back as one :class:`~aip.errors.ScenarioError` line that names the
field, the value, what is allowed and how to fix it; typos in field names get a
"did you mean" suggestion.
"""

from __future__ import annotations

import difflib
import math
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from aip.errors import ScenarioError
from aip.schema.scenario import Scenario

_MAX_FILE_BYTES = 5_000_000


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Parameters
    ----------
    path : str or Path
        YAML (``.yaml``/``.yml``) or JSON file. Relative paths inside it
        (``site.weather_file``, ``grid.price.file``) are resolved against the
        file's folder.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Missing file, YAML syntax error, unknown or invalid field.

    Examples
    --------
    >>> import aip
    >>> s = aip.load_scenario("examples/colossus-memphis.yaml")
    >>> s.site.station
    'memphis'
    """
    file = Path(path)
    data = read_yaml_file(file, "scenario")
    if isinstance(data, dict):
        data = _resolve_relative_paths(data, file.parent)
    return parse_scenario(data, source=str(file))


def read_yaml_file(file: Path, kind: str) -> Any:
    """Parse a YAML (or JSON) file safely; every failure is one :class:`ScenarioError` line.

    ``kind`` names the file in messages (``scenario``, ``sweep``, ``portfolio``).
    """
    if not file.is_file():
        raise ScenarioError(f"{kind} file {str(file)!r} not found; check the path")
    if file.stat().st_size > _MAX_FILE_BYTES:
        raise ScenarioError(
            f"{kind} file {str(file)!r} is larger than {_MAX_FILE_BYTES} bytes; "
            "put hourly series in CSV files and reference them"
        )
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{kind} file {str(file)!r} is not UTF-8 text ({exc.reason})") from exc
    return _parse_text(text, str(file))


_MERGE = "tag:yaml.org,2002:merge"


class StrictYamlLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing what it would otherwise accept silently or crash
    on: a key given twice in one mapping (the last would win) and an impossible date."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):  # else (!!map on a list) the base refuses it
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
                    continue  # a list as a key is refused by the base; `<<` merges
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {key!r} given twice in one mapping", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a date ({exc})", node.start_mark
            ) from exc


StrictYamlLoader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    StrictYamlLoader.construct_yaml_timestamp,
)


def _parse_text(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=StrictYamlLoader)  # a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid syntax"
        kind = "JSON" if source.lower().endswith(".json") else "YAML"
        raise ScenarioError(
            f"{source}: {kind} syntax error{where}: {problem}; fix it there (indentation, quoting, "
            "a repeated key or an impossible date)"
        ) from exc


def _resolve_relative_paths(data: dict[str, Any], base: Path) -> dict[str, Any]:
    def absolute(value: Any) -> Any:
        if isinstance(value, str) and value and not Path(value).is_absolute():
            return str((base / value).resolve())
        return value

    out = dict(data)
    site = out.get("site")
    if isinstance(site, dict) and "weather_file" in site:
        out["site"] = {**site, "weather_file": absolute(site["weather_file"])}
    grid = out.get("grid")
    if isinstance(grid, dict) and isinstance(grid.get("price"), dict) and "file" in grid["price"]:
        price = {**grid["price"], "file": absolute(grid["price"]["file"])}
        out["grid"] = grid = {**grid, "price": price}
    if isinstance(grid, dict) and "clean_fraction_file" in grid:
        out["grid"] = {**grid, "clean_fraction_file": absolute(grid["clean_fraction_file"])}
    return out


def parse_scenario(data: Any, source: str = "scenario") -> Scenario:
    """Validate a scenario given as a mapping (parsed YAML/JSON or built in Python).

    Raises
    ------
    ScenarioError
        On the first invalid field, with a one-line message.
    """
    if isinstance(data, Scenario):
        return data
    if not isinstance(data, Mapping):
        raise ScenarioError(
            f"{source}: a scenario must be a mapping of fields (name, site, compute, ...), "
            f"got {type(data).__name__}; see examples/colossus-memphis.yaml"
        )
    try:
        return Scenario.model_validate(dict(data))
    except ValidationError as exc:
        raise validation_error(exc, source) from None


def validation_error(
    exc: ValidationError, source: str, root: type[BaseModel] = Scenario
) -> ScenarioError:
    """Turn pydantic's first error into one :class:`ScenarioError` line.

    Names the field and the value, says what is wrong, and for an unknown field suggests
    the closest allowed name of ``root`` (the scenario, sweep or portfolio model).
    """
    first = exc.errors(include_url=False)[0]
    # keys come from user files: show control characters escaped so a message stays one line
    loc = [str(p) if str(p).isprintable() else repr(str(p)) for p in first["loc"]]
    field = ".".join(loc) if loc else f"({root.__name__.lower()})"
    kind = first["type"]
    value = first.get("input")
    if kind == "extra_forbidden":
        parent, name = list(first["loc"][:-1]), loc[-1]
        known = _known_fields(root, parent)
        guess = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {guess[0]!r}?" if guess else f"allowed: {', '.join(known)}"
        return ScenarioError(f"{source}: {field}: unknown field; {hint}", field=field)
    if kind == "missing":
        return ScenarioError(f"{source}: {field}: required field is missing; add it", field=field)
    message = first["msg"].removeprefix("Value error, ")
    if kind == "int_parsing" and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if math.isfinite(number) and number.is_integer():
            # YAML 1.1 reads 1e5 (no dot, no sign in the exponent) as text
            message += f"; write it as a plain number, e.g. {int(number)}"
    shown = repr(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    if isinstance(value, Mapping):
        return ScenarioError(f"{source}: {field}: {message}", field=field)
    return ScenarioError(f"{source}: {field} = {shown}: {message}", field=field)


def _model_of(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model inside an annotation (``Model``, ``Model | None``, ``dict[str, Model]``,
    ``list[Model]``) and whether a key or index comes before its fields."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    keyed = typing.get_origin(annotation) in (dict, list)
    for arg in typing.get_args(annotation):
        model, _ = _model_of(arg)
        if model is not None:
            return model, keyed
    return None, False


def _known_fields(root: type[BaseModel], path: list[Any]) -> list[str]:
    """Field names allowed at ``path`` inside ``root`` (for suggestions)."""
    model: type[BaseModel] = root
    parts = iter(path)
    for part in parts:
        info = model.model_fields.get(str(part))
        if info is None:
            return []
        inner, keyed = _model_of(info.annotation)
        if inner is None:
            return []
        if keyed:
            next(parts, None)  # the mapping key or list index
        model = inner
    return sorted(model.model_fields)
