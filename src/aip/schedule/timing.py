"""Earliest in-service dates: lead times, grid queues, compute tranches and bridges.

Every supply option gets a date from the decision date on which it can first
produce: ``decision date + lead time`` (catalogue ``lead_time_years``: EIA AEO2026
Table 3 or the stated assumptions of :mod:`aip.data.technology_assumptions`), or
the user's own date. The grid arrives in the scenario's steps, or at its import
limit after a queue time (``lead_times.csv``: LBNL Queued Up). Leased bridge
assets arrive after their own lead time (Colossus: 122 days).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from aip.data.technologies import TechnologyData
from aip.emissions.controls import apply_control
from aip.errors import DataError, ScenarioError, UnknownNameError
from aip.optimize.inputs import GeneratorInputs, ModelInputs, capital_recovery_factor
from aip.schema import Scenario
from aip.schema.schedule import BridgeOption, Timeline

_LEAD_TIMES_CSV = Path(__file__).with_name("lead_times.csv")
_DAYS_PER_YEAR = 365.25
#: Longest plan [years]: beyond it lead times say "later than the plan looks".
MAX_HORIZON_YEARS = 10.0


@functools.cache
def lead_time_table() -> pd.DataFrame:
    """The bundled lead times (``key``, ``kind``, ``lead_time_years``, ``source``)."""
    try:
        return pd.read_csv(_LEAD_TIMES_CSV, comment="#").set_index("key")
    except (OSError, ValueError) as exc:
        raise DataError(f"bundled {_LEAD_TIMES_CSV.name} cannot be read ({exc})") from exc


def add_years(date: dt.date, years: float) -> dt.date:
    """``date`` plus ``years`` of 365.25 days, to the day.

    Examples
    --------
    >>> add_years(dt.date(2024, 3, 1), 0.5)
    datetime.date(2024, 8, 31)
    """
    return date + dt.timedelta(days=round(years * _DAYS_PER_YEAR))


def grid_queue_years(timeline: Timeline) -> float:
    """Interconnection queue time [years]: the user's own, else the region's row."""
    if timeline.grid_queue_years is not None:
        return timeline.grid_queue_years
    table = lead_time_table()
    queues = table[table["kind"] == "grid_queue"]
    if timeline.grid_queue_region not in queues.index:
        raise UnknownNameError(
            "grid queue region",
            timeline.grid_queue_region,
            list(queues.index),
            field="timeline.grid_queue_region",
        )
    return float(queues["lead_time_years"].astype(float)[timeline.grid_queue_region])


def grid_steps(timeline: Timeline, scenario: Scenario) -> list[tuple[dt.date, float]]:
    """Import limit steps ``(date, MW)``; one step after the queue when none are given."""
    if not scenario.grid.enabled:
        return []
    if timeline.grid_steps:
        return [(s.date, s.import_limit_mw) for s in timeline.grid_steps]
    if scenario.grid.import_limit_mw <= 0:
        return []
    when = add_years(timeline.decision_date, grid_queue_years(timeline))
    return [(when, scenario.grid.import_limit_mw)]


def compute_steps(timeline: Timeline, scenario: Scenario) -> list[tuple[dt.date, float]]:
    """Share of the full compute installed from each tranche date on [fraction]."""
    total = scenario.compute.count
    if not timeline.compute_tranches:
        return [(timeline.decision_date, 1.0)]
    delivered = sum(t.count for t in timeline.compute_tranches)
    if delivered != total:
        raise ScenarioError.for_field(
            "timeline.compute_tranches",
            delivered,
            f"counts that sum to compute.count ({total})",
            "make the tranches add up to the full build in compute.count",
        )
    steps, running = [], 0
    for t in timeline.compute_tranches:
        running += t.count
        steps.append((t.date, running / total if total else 1.0))
    return steps


def in_service_dates(timeline: Timeline, scenario: Scenario) -> dict[str, dt.date]:
    """Earliest in-service date of every scenario technology."""
    from aip.data import load_catalog

    catalog = load_catalog(scenario.catalog)
    for field, keys in (
        ("timeline.lead_time_years", timeline.lead_time_years),
        ("timeline.in_service_dates", timeline.in_service_dates),
    ):
        for key in keys:
            if key not in scenario.technologies:
                raise UnknownNameError(
                    "technology", key, list(scenario.technologies), field=f"{field}.{key}"
                )
    dates = {}
    for key in scenario.technologies:
        if key in timeline.in_service_dates:
            dates[key] = timeline.in_service_dates[key]
            continue
        lead = timeline.lead_time_years.get(key)
        if lead is None:
            lead = catalog[key].lead_time_years if key in catalog else 0.0
        dates[key] = add_years(timeline.decision_date, lead)
    return dates


@dataclass(frozen=True)
class Bridge:
    """A leased bridge asset: the base generator's running costs, a lease, a date."""

    key: str
    generator: GeneratorInputs
    lease_usd_per_mw_month: float
    available_from: dt.date
    p_nom_max: float


def bridges(timeline: Timeline, scenario: Scenario, inputs: ModelInputs) -> list[Bridge]:
    """Resolve ``timeline.bridge`` against the catalogue and the scenario's economics.

    Notes
    -----
    Default lease ``= (capex [USD/kW] CRF(wacc, n_lease) + FOM [USD/kW-yr]) / 12``
    [USD/kW-month]: the lessor recovers the base technology's overnight cost over
    ``lease_recovery_years`` (assumption: 5) at the scenario's WACC.
    """
    from aip.data import load_catalog

    catalog = load_catalog(scenario.catalog)
    out = []
    for key, option in timeline.bridge.items():
        gen = _base_generator(key, option, scenario, inputs)
        if option.lease_usd_per_kw_month is not None:
            lease_kw = option.lease_usd_per_kw_month
        else:
            tech = _base_technology(gen, catalog, f"timeline.bridge.{key}.base")
            crf = capital_recovery_factor(scenario.economics.wacc, option.lease_recovery_years)
            lease_kw = (tech.capex_usd_per_kw * crf + tech.fixed_om_usd_per_kw_year) / 12.0
        out.append(
            Bridge(
                key=key,
                generator=gen,
                lease_usd_per_mw_month=lease_kw * 1000.0,
                available_from=add_years(timeline.decision_date, option.lead_time_years),
                p_nom_max=option.p_nom_max,
            )
        )
    return out


def _base_technology(
    gen: GeneratorInputs, catalog: Mapping[str, TechnologyData], field: str
) -> TechnologyData:
    """The catalogue row a bridge's lease recovers: the base technology, with its NOx
    control's added costs where the base is a variant (``gas_aero+scr``)."""
    if gen.key in catalog:
        return catalog[gen.key]
    control = gen.key.removeprefix(f"{gen.group_key}+")
    return apply_control(catalog[gen.group_key], control, field)


def _base_generator(
    key: str, option: BridgeOption, scenario: Scenario, inputs: ModelInputs
) -> GeneratorInputs:
    """Running costs and emissions of the bridge's base technology, as the LP resolved them."""
    for gen in inputs.generators:
        if gen.key == option.base:
            return gen
    for gen in inputs.generators:  # a NOx-control variant of the base technology
        if getattr(gen, "group_key", gen.key) == option.base:
            return gen
    from aip.data import load_catalog

    catalog = load_catalog(scenario.catalog)
    if option.base not in catalog or catalog[option.base].kind != "generator":
        known = [k for k, t in catalog.items() if t.kind == "generator"]
        raise UnknownNameError("generator", option.base, known, field=f"timeline.bridge.{key}.base")
    raise ScenarioError.for_field(
        f"timeline.bridge.{key}.base",
        option.base,
        "a technology listed under `technologies` (its fuel and heat rate are resolved there)",
        f"add `{option.base}: {{p_nom_max: 0}}` to technologies to lease it without building it",
    )
