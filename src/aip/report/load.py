"""Rebuild a :class:`~aip.plot.view.PlanView` from a plan's output folder.

``aip plan --out DIR`` writes ``summary.json``, ``hourly.csv`` and ``inputs.json``
(:func:`aip.results.export.write_plan`); this module reads them back, so a report
can be made later, elsewhere, without re-solving.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from aip.errors import DataError
from aip.optimize.inputs import POLLUTANTS
from aip.plot.view import PlanView, labels_for

FILES = ("summary.json", "hourly.csv", "inputs.json")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: not a readable JSON plan file ({exc}); rerun aip plan") from None
    if not isinstance(document, dict):
        raise DataError(f"{path}: expected a JSON object; rerun aip plan --out")
    return document


def emissions_from_files(
    inputs_doc: dict[str, Any], hourly: pd.DataFrame
) -> dict[str, dict[str, float]]:
    """Annual emissions per source and pollutant from the written files [t/yr].

    Notes
    -----
    The same sums as :func:`aip.results.accounting.emissions_by_source`:
    ``E_g,k = r_g,k sum_t w_t p_g,t`` for a technology with rate ``r`` [t/MWh]
    and ``E_grid,k = sum_t w_t r_k,t i_t`` with the hourly grid rate.
    """
    w = hourly["weight_h"].to_numpy(dtype=float)
    out: dict[str, dict[str, float]] = {}
    for g in inputs_doc.get("generators", []):
        energy = float(w @ hourly[f"p_{g['key']}_mw"].to_numpy(dtype=float))
        rates = g.get("emissions_t_per_mwh", {})
        out[g["key"]] = {p: float(rates.get(p, 0.0)) * energy for p in POLLUTANTS}
    grid_import = hourly["grid_import_mw"].to_numpy(dtype=float)
    columns = inputs_doc.get("grid", {}).get("emission_columns", {})
    out["grid"] = {
        p: float((w * hourly[columns[p]].to_numpy(dtype=float)) @ grid_import)
        if p in columns
        else 0.0
        for p in POLLUTANTS
    }
    return out


def load_plan_dir(directory: str | Path) -> PlanView:
    """Read a plan output folder into the view the figures take.

    Parameters
    ----------
    directory : str or Path
        Folder written by ``aip plan --out`` (``summary.json``, ``hourly.csv``,
        ``inputs.json``).

    Raises
    ------
    DataError
        A file is missing or malformed; the message names it and the fix.
    """
    folder = Path(directory)
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise DataError(
            f"{folder}: not a plan output folder, missing {', '.join(missing)}; "
            "write one with `aip plan SCENARIO --out DIR`"
        )
    summary = _read_json(folder / "summary.json")
    inputs_doc = _read_json(folder / "inputs.json")
    try:
        hourly = pd.read_csv(folder / "hourly.csv", index_col="timestamp")
        generators = tuple(str(g["key"]) for g in inputs_doc.get("generators", []))
        storage = tuple(str(s["key"]) for s in inputs_doc.get("storage", []))
        labels = labels_for(
            [(str(g["key"]), str(g.get("label", g["key"]))) for g in inputs_doc["generators"]]
            + [(str(s["key"]), str(s.get("label", s["key"]))) for s in inputs_doc["storage"]]
        )
        by_source = emissions_from_files(inputs_doc, hourly)
    except (OSError, KeyError, ValueError, TypeError, pd.errors.ParserError) as exc:
        raise DataError(
            f"{folder}: plan files do not match ({type(exc).__name__}: {exc}); "
            "rewrite them with `aip plan SCENARIO --out DIR`"
        ) from None
    expected = inputs_doc.get("n_snapshots")
    if isinstance(expected, int) and len(hourly) != expected:
        raise DataError(
            f"{folder / 'hourly.csv'}: {len(hourly)} rows, but inputs.json has {expected} "
            "snapshots (a cut or edited file?); rewrite them with `aip plan SCENARIO --out DIR`"
        )
    used = [c for c in hourly.columns if c.endswith("_mw") or c == "weight_h"]
    values = hourly[used].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    if not np.all(np.isfinite(values)):
        raise DataError(f"{folder / 'hourly.csv'}: non-numeric or missing values; rerun aip plan")
    return PlanView(
        summary=summary,
        hourly=hourly,
        generators=generators,
        storage=storage,
        labels=labels,
        emissions_by_source=by_source,
    )
