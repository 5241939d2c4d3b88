"""Write a plan to disk: ``summary.json``, ``hourly.csv`` and ``inputs.json``.

``inputs.json`` holds every resolved scalar of the model (per-technology costs
per MW and per MWh, efficiencies, emission rates, limits, targets) and
``hourly.csv`` every hourly series (load, capacity factors, grid price and
emission rates) next to the dispatch, so another tool can rebuild the
identical LP (the PyPSA cross-check in our tests does exactly that).

The set is written into a staging folder and swapped in (``aip.io.atomic``), so a
crash never leaves a half-written or mixed set behind.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

from aip.io.atomic import write_file_set
from aip.optimize.inputs import ModelInputs
from aip.results.plan import PlanResult

SCHEMA_VERSION = 1


def inputs_document(inputs: ModelInputs) -> dict[str, Any]:
    """The scalar inputs of the model as a JSON-ready mapping (series omitted)."""
    generators = []
    for g in inputs.generators:
        row = {k: v for k, v in dataclasses.asdict(g).items() if k != "cf"}
        row["marginal_cost_usd_per_mwh"] = g.marginal_cost_usd_per_mwh
        row["cf_column"] = f"cf_{g.key}" if g.cf is not None else None
        generators.append(row)
    grid = inputs.grid
    return {
        "schema_version": SCHEMA_VERSION,
        "name": inputs.name,
        "n_snapshots": inputs.n_snapshots,
        "weights_column": "weight_h",
        "period_hours": inputs.period_hours,
        "load_column": "facility_load_mw",
        "unserved_cost_usd_per_mwh": inputs.unserved_cost_usd_per_mwh,
        "constraints": {
            "firm_capacity": inputs.firm_capacity,
            "reserve_margin": inputs.reserve_margin,
            "n_minus": inputs.n_minus,
            "contingency_mw": inputs.contingency_mw,
            "firm_requirement_mw": inputs.firm_requirement_mw,
            "co2_cap_t_per_year": inputs.co2_cap_t_per_year,
            "nox_cap_t_per_year": inputs.nox_cap_t_per_year,
            "min_clean_share": inputs.min_clean_share,
            "min_cfe_share": inputs.min_cfe_share,
            "max_unserved_fraction": inputs.max_unserved_fraction,
            "curtailable_fraction": inputs.curtailable_fraction,
            "max_curtailed_energy_fraction": inputs.max_curtailed_energy_fraction,
            "curtailment_cost_usd_per_mwh": inputs.curtailment_cost_usd_per_mwh,
        },
        "generators": generators,
        "storage": [dataclasses.asdict(s) for s in inputs.storage],
        "grid": {
            "enabled": grid.enabled,
            "import_limit_mw": grid.import_limit_mw,
            "demand_charge_usd_per_kw_month": grid.demand_charge_usd_per_kw_month,
            "carbon_price_usd_per_t": grid.carbon_price_usd_per_t,
            "clean_fraction": grid.clean_fraction,
            "firm_fraction": grid.firm_fraction,
            "price_column": "grid_price_usd_per_mwh",
            "cfe_fraction_column": "grid_cfe_fraction",
            "emission_columns": {p: f"grid_{p}_t_per_mwh" for p in grid.emissions_t_per_mwh},
        },
    }


def _json_ready(value: Any) -> Any:
    """Replace non-finite floats (JSON has none) by strings a reader can parse back."""
    if isinstance(value, float) and not math.isfinite(value):
        return "inf" if value > 0 else ("-inf" if value < 0 else None)
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value


def to_json(document: dict[str, Any]) -> str:
    """Serialise with strict JSON (no NaN/Infinity tokens)."""
    return json.dumps(_json_ready(document), indent=2, allow_nan=False)


def write_plan(result: PlanResult, out_dir: str | Path) -> dict[str, Path]:
    """Write ``summary.json``, ``hourly.csv`` and ``inputs.json`` into ``out_dir``.

    The three are written into a staging folder and swapped in together
    (:func:`aip.io.atomic.write_file_set`), so a killed run leaves either the previous
    complete set or the new one, never a mix. A report already in ``out_dir`` is kept; a
    folder holding anything else is refused, because swapping it would move a user's files.

    Returns
    -------
    dict
        File role to path.

    Raises
    ------
    ScenarioError
        ``out_dir`` is an existing file, or a folder with other files in it.
    """
    written = write_file_set(
        Path(out_dir),
        {
            "summary.json": to_json(result.summary()),
            "inputs.json": to_json(inputs_document(result.inputs)),
            "hourly.csv": result.hourly.to_csv(float_format="%.10g"),
        },
        may_share={"report.html", "png"},
    )
    return {
        "summary": written["summary.json"],
        "hourly": written["hourly.csv"],
        "inputs": written["inputs.json"],
    }
