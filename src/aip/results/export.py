"""Write a plan to disk: ``summary.json``, ``hourly.csv`` and ``inputs.json``.

``inputs.json`` holds every resolved scalar of the model (per-technology costs
per MW and per MWh, efficiencies, emission rates, limits, targets) and
``hourly.csv`` every hourly series (load, capacity factors, grid price and
emission rates) next to the dispatch, so another tool can rebuild the
identical LP (the PyPSA cross-check in our tests does exactly that).

Files are written to a temporary name and renamed, so a crash never leaves a
half-written file behind.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

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
        "load_column": "facility_load_mw",
        "unserved_cost_usd_per_mwh": inputs.unserved_cost_usd_per_mwh,
        "constraints": {
            "firm_capacity": inputs.firm_capacity,
            "reserve_margin": inputs.reserve_margin,
            "n_minus": inputs.n_minus,
            "contingency_mw": inputs.contingency_mw,
            "firm_requirement_mw": inputs.firm_requirement_mw,
            "co2_cap_t_per_year": inputs.co2_cap_t_per_year,
            "min_clean_share": inputs.min_clean_share,
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


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_plan(result: PlanResult, out_dir: str | Path) -> dict[str, Path]:
    """Write ``summary.json``, ``hourly.csv`` and ``inputs.json`` into ``out_dir``.

    Returns
    -------
    dict
        File role to path.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "summary": out / "summary.json",
        "hourly": out / "hourly.csv",
        "inputs": out / "inputs.json",
    }
    _write_atomic(paths["summary"], to_json(result.summary()))
    _write_atomic(paths["inputs"], to_json(inputs_document(result.inputs)))
    _write_atomic(paths["hourly"], result.hourly.to_csv(float_format="%.10g"))
    return paths
