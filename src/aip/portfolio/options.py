"""Candidate options: expand sites x size tiers x power strategies, plan each one.

Each option is one resolved scenario: the candidate's base scenario, its own overrides,
``compute.count`` scaled by the size tier, then the strategy's overrides (dotted paths),
with the portfolio's default ``finance`` section where the scenario has none. Planning
runs the core model and finance (:func:`aip.plan`) in worker processes; each option
becomes one row of the option table the MILP chooses from. An option whose plan fails
(infeasible, solver trouble) stays in the table with its ``error`` and is not eligible.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from aip.errors import AipError, ScenarioError
from aip.schema import load_scenario, parse_scenario
from aip.schema.portfolio import Candidate, Portfolio
from aip.sweep.cases import check_path, set_path

#: Columns of the option table, in order (units in docs/portfolio.md).
COLUMNS = [
    "key",
    "site",
    "size",
    "strategy",
    "country",
    "us_state",
    "latitude",
    "longitude",
    "gpus",
    "p_it_mw",
    "facility_mw_peak",
    "capex_usd",
    "debt_usd",
    "equity_usd",
    "npv_usd",
    "equity_npv_usd",
    "project_irr",
    "equity_irr",
    "construction_years",
    "gpu_hours_per_year",
    "co2_t_per_year",
    "nox_t_per_year",
    "lcoe_usd_per_mwh",
    "all_in_cost_usd_per_gpu_hour",
    "power_mix",
    "equity_flows",
    "error",
]


@dataclass(frozen=True)
class OptionSpec:
    """One option to plan: where, which tiers, and its resolved scenario fields."""

    key: str
    site: str
    size: str
    strategy: str
    country: str
    us_state: str | None
    scenario: dict[str, Any]


def _base(candidate: Candidate, folder: Path) -> dict[str, Any]:
    where = f"candidates[{candidate.site}].scenario"
    if isinstance(candidate.scenario, str):
        scenario = load_scenario(folder / candidate.scenario)
    else:
        scenario = parse_scenario(candidate.scenario, source=where)
    return scenario.model_dump(exclude_unset=True)


def _apply(data: dict[str, Any], overrides: dict[str, Any], where: str) -> dict[str, Any]:
    for path, value in overrides.items():
        check_path(path, where)
        data = set_path(data, path, value)
    return data


def _location(candidate: Candidate, scenario: dict[str, Any]) -> tuple[str, str | None]:
    """Country (ISO alpha-3) and US state of a candidate: its own, else its station's."""
    from aip.data import get_station

    station = scenario.get("site", {}).get("station")
    country, state = candidate.country, candidate.us_state
    if station is not None:
        found = get_station(str(station))
        country = country or found.country_iso3
        state = state or found.us_state
    if country is None:
        raise ScenarioError.for_field(
            f"candidates[{candidate.site}].country",
            None,
            "an ISO alpha-3 code when the site has no bundled station",
            "add country: USA (or the site's country)",
        )
    return country.upper(), state.upper() if state else None


def expand_options(portfolio: Portfolio, folder: Path = Path()) -> list[OptionSpec]:
    """Every option of every candidate, validated (a bad override fails here, not later).

    Examples
    --------
    >>> from aip.schema.portfolio import Portfolio
    >>> p = Portfolio.model_validate({
    ...     "name": "x", "capital": {"equity_usd": 1e9},
    ...     "sizes": {"s": {"scale": 0.5}, "l": {"scale": 1.0}},
    ...     "candidates": [{"site": "m", "scenario": {"name": "m",
    ...         "site": {"station": "memphis"}, "compute": {"accelerator": "h100",
    ...         "count": 1000}}}]})
    >>> [(o.key, o.scenario["compute"]["count"], o.country) for o in expand_options(p)]
    [('m/s/as_is', 500, 'USA'), ('m/l/as_is', 1000, 'USA')]
    """
    specs: list[OptionSpec] = []
    for candidate in portfolio.candidates:
        base = _apply(_base(candidate, folder), candidate.set, f"candidates[{candidate.site}].set")
        if "finance" not in base:
            base["finance"] = dict(portfolio.finance)
        country, state = _location(candidate, base)
        for size in candidate.sizes or list(portfolio.sizes):
            count = round(int(base["compute"]["count"]) * portfolio.sizes[size].scale)
            sized = set_path(base, "compute.count", count)
            for strategy in candidate.strategies or list(portfolio.strategies):
                key = f"{candidate.site}/{size}/{strategy}"
                data = _apply(sized, portfolio.strategies[strategy].set, f"strategies.{strategy}")
                data["name"] = key
                parse_scenario(data, source=f"option {key}")  # fail fast, naming the option
                specs.append(OptionSpec(key, candidate.site, size, strategy, country, state, data))
    return specs


def plan_option(spec: OptionSpec) -> dict[str, Any]:
    """Plan one option with the core model and finance; one row of the option table.

    An aip error (no feasible plan, solver failure) is caught and kept in ``error``, so
    one bad option does not stop the portfolio.
    """
    import aip

    row: dict[str, Any] = {c: None for c in COLUMNS}
    row.update(key=spec.key, site=spec.site, size=spec.size, strategy=spec.strategy)
    row.update(country=spec.country, us_state=spec.us_state)
    try:
        scenario = parse_scenario(spec.scenario, source=f"option {spec.key}")
        result = aip.plan(scenario)
    except AipError as exc:
        row["error"] = " ".join(str(exc).split())
        return row
    fin = result.sections["finance"]
    info = result.sections.get("scenario_info", {}).get("site", {})
    flows = fin["cash_flows_usd"]
    capex = float(fin["capital_usd"]["total"])
    served = 1.0 - result.unserved_mwh / max(result.load.facility_energy_mwh, 1e-9)
    row.update(
        latitude=info.get("latitude"),
        longitude=info.get("longitude"),
        gpus=int(result.gpus),
        p_it_mw=float(fin["it_nameplate_mw"]),
        facility_mw_peak=float(result.load.facility_mw_peak),
        capex_usd=capex,
        debt_usd=float(fin["debt_usd"]),
        equity_usd=capex - float(fin["debt_usd"]),
        npv_usd=float(fin["npv_usd"]),
        equity_npv_usd=float(fin["equity_npv_usd"]),
        project_irr=fin["project_irr"],
        equity_irr=fin["equity_irr"],
        construction_years=sum(1 for y in flows["year"] if y <= 0),
        gpu_hours_per_year=result.gpus * 8760.0 * max(served, 0.0),
        co2_t_per_year=float(result.emissions_t_per_year.get("co2", 0.0)),
        nox_t_per_year=float(result.emissions_t_per_year.get("nox", 0.0)),
        lcoe_usd_per_mwh=float(result.lcoe_usd_per_mwh),
        all_in_cost_usd_per_gpu_hour=float(fin["all_in_cost_usd_per_gpu_hour"]),
        power_mix={k: round(float(v), 3) for k, v in result.p_nom_mw.items() if v > 1e-3},
        equity_flows=[float(v) for v in flows["equity"]],
    )
    return row


def plan_options(
    specs: list[OptionSpec],
    workers: int | None = None,
    on_done: Callable[[dict[str, Any]], None] | None = None,
) -> pd.DataFrame:
    """Plan every option, in parallel processes when ``workers`` > 1; the option table.

    Parameters
    ----------
    specs : list of OptionSpec
        From :func:`expand_options`.
    workers : int, optional
        Worker processes; default the CPU count; 1 plans in this process.
    on_done : callable, optional
        Called with each finished row (progress bars).

    Returns
    -------
    pandas.DataFrame
        One row per option, in the order of ``specs``, columns :data:`COLUMNS`.
    """
    n = min(workers or os.cpu_count() or 1, max(len(specs), 1))
    rows: dict[str, dict[str, Any]] = {}
    if n <= 1:
        for spec in specs:
            rows[spec.key] = plan_option(spec)
            if on_done is not None:
                on_done(rows[spec.key])
    else:
        # forkserver: no fork of a threaded parent; workers import aip once each
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool:
            futures: dict[Future[dict[str, Any]], str] = {
                pool.submit(plan_option, spec): spec.key for spec in specs
            }
            for future in as_completed(futures):
                rows[futures[future]] = future.result()
                if on_done is not None:
                    on_done(rows[futures[future]])
    return pd.DataFrame([rows[s.key] for s in specs], columns=list(COLUMNS))
