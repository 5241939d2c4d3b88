"""The small typed view of a plan that every figure takes.

A :class:`PlanView` can be built from a live :class:`~aip.results.plan.PlanResult`
(:func:`from_result`) or from a plan's output folder
(:func:`aip.report.load.load_plan_dir`), so figures never care where a plan came
from. It holds the plan's JSON summary (the same document as ``summary.json``),
the hourly table (the same columns as ``hourly.csv``), display names, and the
annual emissions per source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from aip.plot.palette import LABELS
from aip.results.accounting import Dispatch, emissions_by_source
from aip.results.plan import PlanResult


@dataclass(frozen=True)
class PlanView:
    """What the figures need of one plan.

    Attributes
    ----------
    summary : dict
        The plan's JSON summary (``PlanResult.summary()`` / ``summary.json``); energies
        [MWh/yr], costs [USD/yr], capacities [MW], storage energy [MWh], emissions [t/yr].
    hourly : DataFrame
        Per-snapshot inputs and dispatch [MW] with the columns of ``hourly.csv``
        (``weight_h``, ``facility_load_mw``, ``p_<key>_mw``, ``charge_<key>_mw``,
        ``discharge_<key>_mw``, ``grid_import_mw``, ``unserved_mw``, ``spill_mw``).
    generators, storage : tuple of str
        Technology keys in model order.
    labels : dict
        Display name per source key.
    emissions_by_source : dict
        Annual emissions per source (technology key or ``grid``) and pollutant [t/yr].
    """

    summary: dict[str, Any]
    hourly: pd.DataFrame = field(repr=False)
    generators: tuple[str, ...]
    storage: tuple[str, ...]
    labels: dict[str, str]
    emissions_by_source: dict[str, dict[str, float]]

    @property
    def name(self) -> str:
        """Scenario name."""
        return str(self.summary.get("scenario", ""))

    @property
    def sections(self) -> dict[str, Any]:
        """Analyses added after the solve (``permits``, ``scenario``, ...)."""
        return {k: v for k, v in self.summary.items() if isinstance(v, dict)}

    def section(self, name: str) -> dict[str, Any] | None:
        """One analysis section (``schedule``, ``finance``, ...), None when absent or empty."""
        content = self.summary.get(name)
        return content if isinstance(content, dict) and content else None

    def label(self, key: str) -> str:
        """Display name of a source key."""
        return self.labels.get(key, LABELS.get(key, key))

    def weights(self) -> np.ndarray:
        """Hours each snapshot stands for [h]."""
        if "weight_h" in self.hourly:
            return self.hourly["weight_h"].to_numpy(dtype=float)
        return np.ones(len(self.hourly))

    def column(self, name: str) -> np.ndarray:
        """An hourly column [MW], zeros when the plan has none (e.g. no grid)."""
        if name in self.hourly:
            return self.hourly[name].to_numpy(dtype=float)
        return np.zeros(len(self.hourly))


def labels_for(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Display names: technology labels from the model plus the non-technology sources."""
    return {**LABELS, **dict(pairs)}


def dispatch_from_hourly(result: PlanResult) -> Dispatch:
    """Rebuild the dispatch arrays of a result from its hourly table.

    Only the hourly blocks matter to the emission accounting; new capacity is
    total less existing.
    """
    inputs, h = result.inputs, result.hourly
    n = len(h)

    def block(pattern: str, keys: list[str]) -> np.ndarray:
        if not keys:
            return np.zeros((0, n))
        return np.vstack([h[pattern.format(k)].to_numpy(dtype=float) for k in keys])

    gens = [g.key for g in inputs.generators]
    stores = [s.key for s in inputs.storage]
    return Dispatch(
        p_nom_new=np.array(
            [result.p_nom_mw[g.key] - g.p_nom_existing for g in inputs.generators], dtype=float
        ),
        p=block("p_{}_mw", gens),
        storage_p_nom_new=np.array(
            [result.p_nom_mw[s.key] - s.p_nom_existing for s in inputs.storage], dtype=float
        ),
        storage_e_nom_new=np.array(
            [result.e_nom_mwh[s.key] - s.e_nom_existing for s in inputs.storage], dtype=float
        ),
        charge=block("charge_{}_mw", stores),
        discharge=block("discharge_{}_mw", stores),
        soc=block("soc_{}_mwh", stores),
        grid_import=h["grid_import_mw"].to_numpy(dtype=float),
        grid_peak=float(h["grid_import_mw"].max()) if n else 0.0,
        unserved=h["unserved_mw"].to_numpy(dtype=float),
        spill=h["spill_mw"].to_numpy(dtype=float),
        curtail=(h["curtail_mw"].to_numpy(dtype=float) if "curtail_mw" in h else np.zeros(n)),
    )


def from_result(result: PlanResult) -> PlanView:
    """The view of a live plan result.

    Examples
    --------
    >>> import aip
    >>> from aip.plot import from_result
    >>> view = from_result(aip.plan("examples/loudoun-grid.yaml"))
    >>> view.name
    'loudoun-grid'
    """
    inputs = result.inputs
    return PlanView(
        summary=result.summary(),
        hourly=result.hourly,
        generators=tuple(g.key for g in inputs.generators),
        storage=tuple(s.key for s in inputs.storage),
        labels=labels_for(
            [(g.key, g.label) for g in inputs.generators]
            + [(s.key, s.label) for s in inputs.storage]
        ),
        emissions_by_source=emissions_by_source(inputs, dispatch_from_hourly(result)),
    )
