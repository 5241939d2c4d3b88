"""Reach an availability target by re-planning with more redundancy; price each nine.

The campus LP holds firm capacity ``peak (1 + reserve_margin) + n_minus x largest
unit``; the outage simulation measures what availability that buys. This module
walks a ladder of stricter plans (``n_minus + 1`` up to 5, then ``reserve_margin``
in steps) until the measured availability meets the target, and reports, per step,
the availability, its "nines" ``-log10(1 - A)``, the annual supply cost and the cost
of the extra nines.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from aip.reliability.assess import assess_plan
from aip.reliability.montecarlo import AdequacyResult
from aip.results.plan import PlanResult
from aip.schema.reliability import Reliability
from aip.schema.scenario import Scenario

PlanFn = Callable[[Scenario], PlanResult]
MAX_N_MINUS = 5  # the schema's bound on constraints.n_minus


def nines(availability: float) -> float:
    """Number of nines of an availability, ``-log10(1 - A)`` [-].

    Examples
    --------
    >>> round(nines(0.9999), 6)
    4.0
    >>> nines(1.0)
    inf
    """
    if availability >= 1.0:
        return math.inf
    return -math.log10(1.0 - availability)


def supply_cost(result: PlanResult) -> float:
    """Annual cost of the plan less the penalty on unserved energy [USD/yr]."""
    costs = result.cost_usd_per_year
    return float(costs.get("total", 0.0) - costs.get("unserved", 0.0))


def ladder(scenario: Scenario, options: Reliability) -> Iterator[Scenario]:
    """Stricter variants of ``scenario``: n_minus + 1 up to 5, then reserve margin steps.

    Firm capacity is switched on (without it n_minus does not bind); the reliability,
    finance and timeline sections are dropped (they do not change the LP and would
    recurse or cost time).
    """
    c = scenario.constraints
    n_minus, margin = c.n_minus, c.reserve_margin
    while True:
        if n_minus < MAX_N_MINUS:
            n_minus += 1
        else:
            margin = round(margin + options.reserve_margin_step, 10)
            if margin > 2.0:  # the schema's bound on reserve_margin
                return
        stricter = c.model_copy(
            update={"n_minus": n_minus, "reserve_margin": margin, "firm_capacity": True}
        )
        yield scenario.model_copy(
            update={"constraints": stricter, "reliability": None, "finance": None, "timeline": None}
        )


def metric_column(metric: str) -> str:
    """The table column a target is compared with: ``availability`` for the ``time``
    metric, else ``energy_availability``."""
    return "availability" if metric == "time" else "energy_availability"


def _row(step: int, scenario: Scenario, result: PlanResult, res: AdequacyResult) -> dict[str, Any]:
    return {
        "step": step,
        "n_minus": scenario.constraints.n_minus,
        "reserve_margin": scenario.constraints.reserve_margin,
        "firm_capacity": scenario.constraints.firm_capacity,
        "p_nom_mw": dict(result.p_nom_mw),
        "availability": res.availability,
        "availability_se": res.availability_se,
        "energy_availability": res.energy_availability,
        "expected_unserved_mwh": res.expected_unserved_mwh,
        "loss_of_load_hours": res.loss_of_load_hours,
        "cost_usd_per_year": supply_cost(result),
    }


def cost_of_nines(
    scenario: Scenario,
    options: Reliability,
    plan_fn: PlanFn,
    baseline: tuple[PlanResult, AdequacyResult] | None = None,
) -> dict[str, Any]:
    """Re-plan with more redundancy until ``options.target_availability`` is met.

    Parameters
    ----------
    scenario : Scenario
        The scenario as given (step 0).
    options : Reliability
        Target, metric, samples, seed, ladder limits.
    plan_fn : callable
        Scenario -> PlanResult (``aip.plan``; injectable for tests).
    baseline : (PlanResult, AdequacyResult), optional
        Step 0 already solved and simulated (saves one solve).

    Returns
    -------
    dict
        ``target``, ``metric``, ``met``, ``chosen_step`` and ``table``: one row per plan
        with availability (and its standard error), ``nines``, annual supply cost,
        ``delta_cost_usd_per_year`` against the previous row and
        ``cost_per_nine_usd_per_year`` = delta cost / delta nines.

    Notes
    -----
    The comparison uses the Monte Carlo mean; with availability near the target, read
    ``availability_se`` before trusting the last digit (raise ``samples``).
    """
    target = options.target_availability
    key = metric_column(options.metric)
    if baseline is None:
        first = plan_fn(scenario)
        baseline = (first, assess_plan(first, options, scenario.catalog))
    rows = [_row(0, scenario, *baseline)]
    met = target is None or rows[0][key] >= target
    variants = ladder(scenario, options)
    while not met and len(rows) < options.max_plans:
        stricter = next(variants, None)
        if stricter is None:
            break
        result = plan_fn(stricter)
        rows.append(
            _row(len(rows), stricter, result, assess_plan(result, options, scenario.catalog))
        )
        met = rows[-1][key] >= (target or 0.0)
    _add_nines(rows, key)
    return {
        "target": target,
        "metric": options.metric,
        "met": met,
        "chosen_step": rows[-1]["step"] if met else None,
        "table": rows,
    }


def _add_nines(rows: list[dict[str, Any]], key: str) -> None:
    previous: dict[str, Any] | None = None
    for row in rows:
        n = nines(row[key])
        row["nines"] = n if math.isfinite(n) else None
        if previous is None:
            row["delta_cost_usd_per_year"] = None
            row["cost_per_nine_usd_per_year"] = None
        else:
            delta = row["cost_usd_per_year"] - previous["cost_usd_per_year"]
            gained = n - nines(previous[key])
            row["delta_cost_usd_per_year"] = delta
            per = delta / gained if gained > 0 and math.isfinite(gained) else None
            row["cost_per_nine_usd_per_year"] = per
        previous = row
