"""N+k on the units a plan builds: the contingency level, found by one LP per level.

Firm capacity must cover the loss of ``n_minus`` units (:func:`add_firm_capacity
<aip.optimize.constraints.add_firm_capacity>`). What one unit failure loses depends on
the plan: ``k_k min(U_k, P_k)`` of firm capacity for a technology with capacity credit
``k_k`` and units of ``U_k`` MW of which ``P_k`` are built. A technology not built loses
nothing, and a share smaller than one unit (a PPA's slice of a plant) is lost whole. The
largest loss ``L = max_k k_k min(U_k, P_k)`` makes the rule an "or" per technology, which
no single LP can hold, so the search splits ``L``'s range at the allowed units' losses
``U_1 < ... < U_K`` (``k_k`` times the unit size):

* the top level, ``L = U_K`` with nothing capped: the conservative LP, solved first;
* each interval ``U_i <= L <= U_(i+1)`` (``U_0 = 0``): technologies whose units lose at
  most ``U_i`` lose no more than ``L`` anyway, the others are capped at ``L`` of firm
  capacity in total, and ``L`` is a variable (``unit_loss``).

Together these are the exact problem; the plan is the cheapest of their optima. Bounds
keep the search short: an LP's value is convex in ``L`` (which enters only right-hand
sides), so each solved level's subgradient, ``n`` times the firm row's dual at the top
and the ``unit_loss`` column's reduced cost in an interval, bounds the levels below it:
``V_i >= V_j - d_j (L_j - U_i)``. A level whose bound is not below the best plan found is
not solved, so where firm capacity does not bind (dual 0) the top LP is the only solve.

The plan is returned with the level it holds fixed (``L`` = the largest loss it can
suffer, the technologies whose units lose more capped at it), so its inputs describe one
LP whose optimum it is: what ``inputs.json`` exports and the PyPSA cross-check rebuilds.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from aip.errors import InfeasibleError, SolverError, one_line
from aip.optimize.inputs import GeneratorInputs, ModelInputs, firm_unit_groups
from aip.results.plan import PlanResult

#: Capacity below this is solver noise, not a built unit [MW].
BUILT_MW = 1e-3
#: Relative objective difference below which two levels tie; the higher level is kept.
TIE = 1e-7

SolveAt = Callable[[ModelInputs], PlanResult]


def searches(inputs: ModelInputs) -> bool:
    """Whether ``inputs`` leave the contingency level to :func:`search_contingency`.

    Examples
    --------
    >>> from aip.optimize.examples import two_hour_example
    >>> searches(two_hour_example())  # n_minus 0: no unit loss to cover
    False
    """
    return (
        inputs.firm_capacity
        and inputs.n_minus > 0
        and inputs.contingency_level is None
        and bool(firm_unit_groups(inputs))
    )


def levels_below_top(inputs: ModelInputs) -> list[tuple[float, float]]:
    """The intervals ``(U_i, U_(i+1))`` of the largest unit loss below the top [MW], lowest
    first.

    Examples
    --------
    >>> import dataclasses
    >>> from aip.optimize.examples import two_hour_example
    >>> base = two_hour_example()
    >>> gens = [dataclasses.replace(g, unit_size_mw=50.0) for g in base.generators]
    >>> levels_below_top(dataclasses.replace(base, generators=gens))
    [(0.0, 50.0)]
    """
    sizes = sorted(set(firm_unit_groups(inputs).values()))
    bounds = [0.0, *sizes]
    return [(lo, hi) for lo, hi in itertools.pairwise(bounds) if hi > lo]


def at_level(inputs: ModelInputs, lo: float, hi: float) -> ModelInputs | None:
    """``inputs`` held to a largest unit loss between ``lo`` and ``hi`` [MW].

    Firm technologies whose units lose more than ``lo`` are capped at ``hi`` of firm
    capacity in total (and at the loss itself by a row when ``hi > lo``). None when one of
    them must keep more than ``hi`` (existing or minimum capacity), so no plan has that
    level.
    """
    capped = {key for key, size in firm_unit_groups(inputs).items() if size > lo}
    kept: dict[str, float] = defaultdict(float)
    for g in inputs.generators:
        if g.group_key in capped:
            kept[g.group_key] += g.capacity_credit * _kept_mw(g)
    if any(total > hi + BUILT_MW for total in kept.values()):
        return None
    generators = [
        dataclasses.replace(g, p_nom_max=min(g.p_nom_max, hi / g.capacity_credit))
        if g.group_key in capped
        else g
        for g in inputs.generators
    ]
    return dataclasses.replace(inputs, generators=generators, contingency_level=(lo, hi))


def unit_loss_mw(inputs: ModelInputs, p_nom_mw: Mapping[str, float]) -> float:
    """The most firm capacity one unit failure takes from a plan [MW]:
    ``max_k k_k min(U_k, P_k)`` over the firm technologies it builds (capacity credit
    ``k``; ``p_nom_mw``: total capacity by technology)."""
    sizes = firm_unit_groups(inputs)
    totals: dict[str, float] = defaultdict(float)  # firm capacity built, k P
    built: dict[str, float] = defaultdict(float)
    for g in inputs.generators:
        if g.group_key in sizes:
            totals[g.group_key] += g.capacity_credit * p_nom_mw.get(g.key, 0.0)
            built[g.group_key] += p_nom_mw.get(g.key, 0.0)
    return max(
        (min(sizes[key], total) for key, total in totals.items() if built[key] > BUILT_MW),
        default=0.0,
    )


def search_contingency(
    inputs: ModelInputs,
    solve_at: SolveAt,
    top: PlanResult | InfeasibleError | None = None,
) -> PlanResult:
    """The cheapest plan over all contingency levels (module docstring).

    ``solve_at`` plans one level's inputs (raising :class:`InfeasibleError` where there
    is no plan); ``top``, when given, is the top level's plan or error, already solved.
    The plan carries a ``contingency`` section: each level, its objective or why it was
    not solved.

    Examples
    --------
    Two hours of 100 MW, N+1, 50 MW gas turbines at 1,000 USD/MW-yr and an 800 MW
    nuclear unit at 5,000 allowed: counting the unbuilt nuclear unit would mean 900 MW
    of turbines (906,000 USD/yr); the turbines' own N+1 needs 150 MW.

    >>> import dataclasses
    >>> from aip.optimize.examples import generator, two_hour_example
    >>> from aip.optimize.run import optimize_level
    >>> base = two_hour_example()
    >>> pv, gas = base.generators
    >>> nuclear = generator("nuclear", unit_size_mw=800.0, capital_cost_usd_per_mw_year=5000.0)
    >>> gens = [pv, dataclasses.replace(gas, unit_size_mw=50.0), nuclear]
    >>> case = dataclasses.replace(base, generators=gens, n_minus=1)
    >>> plan = search_contingency(case, optimize_level)
    >>> plan.objective_usd_per_year, plan.p_nom_mw["gas_aero"], plan.inputs.contingency_mw
    (156000.0, 150.0, 50.0)
    >>> [level.get("objective_usd_per_year") for level in plan.sections["contingency"]["levels"]]
    [906000.0, 156000.0, None]
    """
    start = time.perf_counter()
    deadline = start + inputs.time_limit_s  # one limit for the whole search
    solved = 1  # the top level, here or by the caller
    failure: SolverError | None = None  # a level not solved (time limit, numerics)
    if top is None:
        try:
            top = solve_at(inputs)
        except InfeasibleError as exc:
            top = exc
    n = inputs.n_minus
    u_top = max(firm_unit_groups(inputs).values())
    tried: list[dict[str, Any]] = []
    # (value, subgradient, at L): V(L') >= value - subgradient (at - L') for L' <= at
    cuts: list[tuple[float, float, float]] = []
    best: PlanResult | None = None
    if isinstance(top, InfeasibleError):
        tried.append({"level_mw": [u_top, u_top], "infeasible": str(top)})
    else:
        best = top
        tried.append({"level_mw": [u_top, u_top], "objective_usd_per_year": _cost(top)})
        if "firm_capacity" in top.shadow_prices:  # no duals (or untrusted ones): no cut
            cuts.append((_cost(top), n * top.shadow_prices["firm_capacity"], u_top))
    # existing or minimum capacity every plan keeps: a loss no level can go below
    floor = unit_loss_mw(inputs, {g.key: _kept_mw(g) for g in inputs.generators})
    for lo, hi in reversed(levels_below_top(inputs)):
        entry: dict[str, Any] = {"level_mw": [lo, hi]}
        tried.append(entry)
        if hi < floor or max(lo, floor) >= u_top:
            entry["infeasible" if hi < floor else "same_as_top"] = (
                f"existing or minimum capacity loses {floor:,.1f} MW in one unit failure"
            )
            continue
        lo = max(lo, floor)
        bound = max((v - max(d, 0.0) * (at - lo) for v, d, at in cuts), default=float("-inf"))
        if best is not None and not _below(bound, _cost(best)):
            entry["bound_usd_per_year"] = bound
            continue
        model = at_level(inputs, lo, hi)
        if model is None:
            entry["infeasible"] = "existing or minimum capacity exceeds the level"
            continue
        remaining = deadline - time.perf_counter()
        if remaining <= 0.0:
            failure = failure or SolverError(
                "the N+k search ran out of solver.time_limit_s; fix: raise it"
            )
            entry["not_solved"] = str(failure)
            continue
        solved += 1
        try:
            plan = solve_at(dataclasses.replace(model, time_limit_s=remaining))
        except InfeasibleError as exc:
            entry["infeasible"] = str(exc)
            continue
        except SolverError as exc:  # the plans found so far stand
            failure = failure or exc
            entry["not_solved"] = one_line(exc)
            continue
        entry["objective_usd_per_year"] = _cost(plan)
        if "unit_loss" in plan.shadow_prices:
            cuts.append((_cost(plan), plan.shadow_prices["unit_loss"], lo))
        if best is None or _below(_cost(plan), _cost(best)):
            best = plan
    if best is None:  # the top level has no plan; an unsolved level might have had one
        assert isinstance(top, InfeasibleError)
        raise failure or top
    # the loss the plan can suffer; the plan is optimal at that level too (it is feasible
    # there, and no level holds a cheaper plan)
    held = unit_loss_mw(inputs, best.p_nom_mw)
    fixed = at_level(inputs, held, held) or best.inputs
    section = {
        "n_minus": n,
        "unit_loss_mw": held,
        "contingency_mw": n * held,
        "largest_allowed_unit_mw": u_top,
        "lps_solved": solved,
        # False where a level could not be solved: a cheaper plan may exist there
        "complete": failure is None,
        # the search's own time (with the top level where it solved it)
        "seconds": time.perf_counter() - start,
        "levels": tried,
    }
    return dataclasses.replace(best, inputs=fixed).with_section("contingency", section)


def _cost(plan: PlanResult) -> float:
    return plan.objective_usd_per_year


def _below(value: float, best: float) -> bool:
    """``value`` is lower than ``best`` by more than a tie."""
    return value < best - TIE * abs(best)


def _kept_mw(g: GeneratorInputs) -> float:
    """Capacity every plan keeps: existing, or the minimum to build where larger (of a
    technology's NOx-control variants only the first holds them)."""
    return max(g.p_nom_existing, g.p_nom_min)
