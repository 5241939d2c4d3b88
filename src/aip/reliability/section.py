"""The ``reliability`` section of ``aip plan --json`` (attached in :func:`aip.api.plan`)."""

from __future__ import annotations

from typing import Any

from aip.reliability.assess import assess_plan, fleet_summary, plan_fleet
from aip.reliability.target import PlanFn, cost_of_nines, nines
from aip.results.plan import PlanResult
from aip.schema.scenario import Scenario


def reliability_section(result: PlanResult, scenario: Scenario, plan_fn: PlanFn) -> dict[str, Any]:
    """Availability, unserved energy and loss of load of the plan; the cost of nines.

    Keys: ``availability``, ``energy_availability``, ``expected_unserved_mwh``,
    ``loss_of_load_hours``, ``loss_of_load_events`` (each with ``*_se``), ``nines``,
    ``samples``, ``seed``, ``seconds``, ``units`` (the simulated fleet) and, when
    ``reliability.target_availability`` is set, ``target`` (see
    :func:`aip.reliability.target.cost_of_nines`).
    """
    options = scenario.reliability
    if options is None:
        return {}
    res = assess_plan(result, options, scenario.catalog)
    n = nines(res.availability)
    section: dict[str, Any] = {
        **res.to_dict(),
        "nines": n if n != float("inf") else None,
        "seed": options.seed,
        "units": fleet_summary(plan_fleet(result, options, scenario.catalog)),
    }
    if options.target_availability is not None:
        section["target"] = cost_of_nines(scenario, options, plan_fn, baseline=(result, res))
    return section
