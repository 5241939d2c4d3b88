"""Turn an untrusted request body into a validated scenario the server may run.

Order of checks: size (done by the transport), syntax (JSON, or YAML through a
safe loader that also refuses aliases, so a "billion laughs" document cannot
explode), file references (a client may name only a weather file it uploaded,
by id; server paths are never accepted), the schema
(:func:`aip.schema.parse_scenario`), then the names that exist (station,
accelerator, catalogue, technologies, cooling) so a typo is a 422 now rather
than a failed job later. Finally the solver limits are capped by the server's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from aip.data import get_accelerator, get_station, load_catalog
from aip.errors import ScenarioError, UnknownNameError
from aip.optimize.prepare import check_override_keys
from aip.profiles.pue import list_cooling_archetypes
from aip.schema import Scenario, parse_scenario
from aip.schema.loading import StrictYamlLoader
from aip.web.settings import WebSettings

#: Media types read as YAML; everything else must be JSON.
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
#: An uploaded file's id: 32 lowercase hex digits (a uuid4), nothing a path could hide in.
UPLOAD_ID = re.compile(r"[0-9a-f]{32}")


class _NoAliasLoader(StrictYamlLoader):
    """The scenario files' YAML loader, also rejecting anchors/aliases (exponential-expansion
    attacks)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise ScenarioError(
                "scenario: YAML aliases (*name) are not accepted by the web service; "
                "write the values out"
            )
        return super().compose_node(parent, index)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key given twice (json keeps the last, as YAML would)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ScenarioError(f"scenario: key {key!r} given twice in one object; keep one")
        out[key] = value
    return out


def read_body(body: bytes, content_type: str | None) -> Any:
    """Parse a scenario body: JSON by default, YAML for a YAML media type.

    Raises
    ------
    ScenarioError
        Not UTF-8, a syntax error, or nesting too deep to parse.
    """
    media = (content_type or "application/json").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"scenario: the body is not UTF-8 text ({exc.reason})") from None
    if not text.strip():
        raise ScenarioError("scenario: the body is empty; send the scenario as JSON or YAML")
    try:
        if media in YAML_TYPES:
            return yaml.load(text, Loader=_NoAliasLoader)
        if media == "application/json" or media.endswith("+json"):
            return json.loads(text, object_pairs_hook=_unique_keys)
    except ScenarioError:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid syntax"
        raise ScenarioError(
            f"scenario: YAML syntax error{where}: {problem}; fix it and resend"
        ) from None
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            f"scenario: JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except (RecursionError, ValueError):
        raise ScenarioError(
            "scenario: the body is nested too deeply or has a huge number"
        ) from None
    raise ScenarioError.for_field(
        "Content-Type",
        media,
        "application/json or application/yaml",
        "send the scenario as JSON or YAML with that content type",
    )


def _reject_paths(data: dict[str, Any], uploads: Path) -> dict[str, Any]:
    """Replace an uploaded weather file's id by its path; refuse every other file field."""
    out = dict(data)
    site = out.get("site")
    if isinstance(site, dict) and site.get("weather_file") is not None:
        ref = site["weather_file"]
        path = uploads / f"{ref}.epw" if isinstance(ref, str) else None
        if not (isinstance(ref, str) and UPLOAD_ID.fullmatch(ref) and path and path.is_file()):
            raise ScenarioError.for_field(
                "site.weather_file",
                ref,
                "the id of a weather file uploaded with POST /api/weather",
                "upload the EPW file first and use the id it returns",
            )
        out["site"] = {**site, "weather_file": str(path)}
    grid = out.get("grid")
    if isinstance(grid, dict):
        price = grid.get("price")
        if isinstance(price, dict) and price.get("file") is not None:
            raise ScenarioError.for_field(
                "grid.price.file",
                price["file"],
                "absent (the web service reads no server files)",
                "use grid.price.kind 'flat' or 'state', or run `aip plan` locally",
            )
        if grid.get("clean_fraction_file") is not None:
            raise ScenarioError.for_field(
                "grid.clean_fraction_file",
                grid["clean_fraction_file"],
                "absent (the web service reads no server files)",
                "use grid.clean_fraction, or run `aip plan` locally",
            )
    return out


def check_names(scenario: Scenario) -> None:
    """Raise :class:`UnknownNameError` for a station, accelerator, catalogue,
    technology, fuel or cooling archetype that does not exist (cheap lookups only)."""
    if scenario.site.station is not None:
        get_station(scenario.site.station)
    get_accelerator(scenario.compute.accelerator)
    catalog = load_catalog(scenario.catalog)
    for key in scenario.technologies:
        if key not in catalog:
            raise UnknownNameError("technology", key, list(catalog), field=f"technologies.{key}")
    check_override_keys(scenario, catalog)
    cooling = list_cooling_archetypes()
    if scenario.facility.pue is None and scenario.facility.cooling not in cooling:
        raise UnknownNameError(
            "cooling archetype", scenario.facility.cooling, cooling, field="facility.cooling"
        )


def client_scenario(data: Any, settings: WebSettings) -> tuple[Scenario, str]:
    """Validate a client's scenario and cap its solver limits.

    Returns
    -------
    scenario : Scenario
        Ready to run, with ``solver.time_limit_s`` and ``solver.threads`` capped.
    stored : str
        The scenario as the client sent it (upload ids, not paths), as JSON.
    """
    if not isinstance(data, dict):
        parse_scenario(data)  # raises the standard "must be a mapping" error
        raise ScenarioError("scenario: must be a mapping of fields")
    scenario = parse_scenario(_reject_paths(data, settings.uploads))
    stored = json.dumps(data, default=str)  # after validation: the shape is known and sane
    check_names(scenario)
    solver = scenario.solver.model_copy(
        update={
            "time_limit_s": min(scenario.solver.time_limit_s, settings.max_time_limit_s),
            "threads": min(scenario.solver.threads, settings.solver_threads),
        }
    )
    return scenario.model_copy(update={"solver": solver}), stored
