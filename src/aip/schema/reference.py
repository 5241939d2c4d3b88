"""Write the scenario reference (docs/scenario.md) from the models' own field text.

The documentation is generated, not hand-kept, so a field cannot exist without
its unit, default and meaning being documented; a test checks the file is current.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from aip.schema.finance import Debt, Finance
from aip.schema.permits import PermitOptions
from aip.schema.reliability import Reliability
from aip.schema.scenario import (
    Compute,
    Constraints,
    Economics,
    Facility,
    Flexibility,
    Grid,
    GridPrice,
    Scenario,
    Site,
    SolverOptions,
    TechnologyOptions,
)
from aip.schema.schedule import BridgeOption, ComputeTranche, GridStep, Timeline

SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("(top level)", Scenario),
    ("site", Site),
    ("compute", Compute),
    ("compute.flexibility", Flexibility),
    ("facility", Facility),
    ("technologies.<key>", TechnologyOptions),
    ("grid", Grid),
    ("grid.price", GridPrice),
    ("economics", Economics),
    ("constraints", Constraints),
    ("solver", SolverOptions),
    ("permits", PermitOptions),
    ("finance", Finance),
    ("finance.debt", Debt),
    ("reliability", Reliability),
    ("timeline", Timeline),
    ("timeline.compute_tranches[]", ComputeTranche),
    ("timeline.grid_steps[]", GridStep),
    ("timeline.bridge.<name>", BridgeOption),
]


def _default(info: Any) -> str:
    if info.is_required():
        return "required"
    if info.default_factory is not None:
        return "(section defaults)" if isinstance(info.default_factory(), BaseModel) else "`{}`"
    value = info.default
    if value is PydanticUndefined or value is None:
        return "none"
    if value == "":
        return '`""`'
    if isinstance(value, float) and math.isinf(value):
        return "`.inf`"
    return f"`{value}`"


def scenario_markdown() -> str:
    """The scenario reference as Markdown."""
    lines = [
        "# Scenario reference",
        "",
        "Generated from `aip.schema` by `python -m aip.schema.reference > docs/scenario.md`;",
        "do not edit by hand. Units follow docs/glossary.md: MW, MWh, hours, USD, tonnes,",
        "fractions (never percent). Unknown fields are errors, so a typo never passes silently.",
        "A complete example: `examples/colossus-memphis.yaml`.",
        "",
    ]
    for title, model in SECTIONS:
        doc = (model.__doc__ or "").strip().splitlines()[0]
        lines += [f"## `{title}`", "", doc, "", "| field | default | meaning |", "|---|---|---|"]
        for name, info in model.model_fields.items():
            text = (info.description or "").replace("|", "\\|")
            lines.append(f"| `{name}` | {_default(info)} | {text} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(scenario_markdown(), end="")
