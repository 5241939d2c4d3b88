"""Numerical guards: keep the campus LP well conditioned before it is built.

A linear program is only as trustworthy as its numbers. HiGHS drops matrix entries
below 1e-9, treats bounds at or above 1e20 as infinite and loses accuracy when the
objective's coefficients span many orders of magnitude, so a capacity of 1e-6 MW, a
"practically unlimited" 1e9 MW or a cost of 1e300 USD/MWh either disappears, swamps
every other number or overflows to ``inf``. :func:`guard_inputs` checks a
:class:`~aip.optimize.inputs.ModelInputs` and

* **rejects** (:class:`~aip.errors.ScenarioError`, one line naming the field) values
  that cannot be meant: NaN or infinite costs, loads, prices or capacity factors;
  costs above :data:`MAX_ENERGY_COST_USD_PER_MWH` /
  :data:`MAX_CAPACITY_COST_USD_PER_MW_YEAR`; minimum or existing capacities, import
  limits or peak loads above :data:`MAX_CAPACITY_MW`;
* **rescales** with a :class:`ConditioningWarning` values whose intent is clear:
  a capacity limit above :data:`MAX_CAPACITY_MW` means "unlimited" (``inf``, the
  schema's own spelling); a capacity below :data:`MIN_CAPACITY_MW` means zero; a cost
  below ``max cost / MAX_COST_SPAN`` is zeroed (it changes the objective by less than
  one part in :data:`MAX_COST_SPAN`); capacity factors below :data:`MIN_PU` are zeroed.

The function is pure: it returns a new ``ModelInputs`` and never mutates its input.
Call it on the prepared inputs before :func:`aip.optimize.build.build_model`.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Iterator

import numpy as np

from aip.errors import ScenarioError
from aip.optimize.inputs import FloatArray, GeneratorInputs, ModelInputs, StorageInputs

MAX_CAPACITY_MW = 1.0e6
"""Largest meaningful capacity [MW]. Assumption: 1 TW is about the whole US generating
fleet (EIA: ~1.3 TW in 2023); a single campus beyond it is a unit slip (kW as MW)."""

MIN_CAPACITY_MW = 1.0e-3
"""Smallest meaningful non-zero capacity [MW]. Assumption: 1 kW is far below the
precision of any catalogue value and of an MW-scale campus model."""

MAX_ENERGY_COST_USD_PER_MWH = 1.0e6
"""Largest accepted cost per MWh (fuel, O&M, PPA, carbon, grid price, unserved energy).
Assumption: 10-100x above published values of lost load (about 1e4-1e5 USD/MWh) and
far above any GPU-hour valuation (100 USD/GPU-h at ~1.4 kW/GPU is ~7e4 USD/MWh)."""

MAX_CAPACITY_COST_USD_PER_MW_YEAR = 1.0e9
"""Largest accepted annual capacity cost [USD/MW/yr] (1e6 USD/kW-yr; real plant is
1e4-1e6 USD/MW/yr). Also bounds the demand charge (x 12 months x 1000 kW/MW)."""

MAX_COST_SPAN = 1.0e9
"""Largest ratio between the largest and the smallest non-zero objective coefficient.
Assumption: HiGHS's optimality tolerance is 1e-7 relative; costs below max/1e9 cannot
change the optimum beyond it and only degrade scaling."""

MIN_PU = 1.0e-6
"""Capacity factors below this [pu] are zeroed (1 W per MW; HiGHS would drop entries
below 1e-9 anyway and entries in between only widen the matrix range)."""


class ConditioningWarning(UserWarning):
    """A model input was rescaled so the LP stays well conditioned."""


def _reject(field: str, value: float, allowed: str, fix: str) -> ScenarioError:
    return ScenarioError.for_field(field, value, allowed, fix)


def _warn(message: str) -> None:
    warnings.warn(message, ConditioningWarning, stacklevel=3)


def _check_series(field: str, values: FloatArray, limit: float, fix: str) -> None:
    finite = np.isfinite(values)
    if not finite.all():
        bad = int(np.flatnonzero(~finite)[0])
        raise _reject(f"{field}[{bad}]", float(values[bad]), "a finite number", fix)
    if values.size and float(np.abs(values).max()) > limit:
        bad = int(np.abs(values).argmax())
        raise _reject(f"{field}[{bad}]", float(values[bad]), f"at most {limit:g} in size", fix)


def _check_cost(field: str, value: float, limit: float, fix: str) -> None:
    if not math.isfinite(value) or abs(value) > limit:
        raise _reject(field, value, f"a finite cost of at most {limit:g}", fix)


def _upper_bound(field: str, value: float) -> float:
    """Capacity limit: huge means unlimited, tiny means zero, NaN is refused."""
    if math.isnan(value):
        raise _reject(field, value, "a number >= 0 or .inf", "give a limit in MW")
    if math.isfinite(value) and value > MAX_CAPACITY_MW:
        _warn(f"{field} = {value:g} is above {MAX_CAPACITY_MW:g} MW; treated as unlimited")
        return math.inf
    if 0.0 < value < MIN_CAPACITY_MW:
        _warn(f"{field} = {value:g} is below {MIN_CAPACITY_MW:g} MW; treated as 0")
        return 0.0
    return value


def _lower_bound(field: str, value: float, fix: str) -> float:
    """Minimum or existing capacity: must be finite and meaningful; tiny means zero."""
    if not math.isfinite(value) or value > MAX_CAPACITY_MW:
        raise _reject(field, value, f"a capacity of at most {MAX_CAPACITY_MW:g} MW", fix)
    if 0.0 < value < MIN_CAPACITY_MW:
        _warn(f"{field} = {value:g} is below {MIN_CAPACITY_MW:g} MW; treated as 0")
        return 0.0
    return value


def _guard_generator(g: GeneratorInputs) -> GeneratorInputs:
    where = f"technologies.{g.key}"
    fix_capex = f"check {where}.capex_usd_per_kw, lifetime_years and economics.wacc"
    _check_cost(
        f"{where}.capital_cost_usd_per_mw_year",
        g.capital_cost_usd_per_mw_year,
        MAX_CAPACITY_COST_USD_PER_MW_YEAR,
        fix_capex,
    )
    _check_cost(
        f"{where}.fixed_om_usd_per_mw_year",
        g.fixed_om_usd_per_mw_year,
        MAX_CAPACITY_COST_USD_PER_MW_YEAR,
        f"check {where}.fixed_om_usd_per_kw_year",
    )
    _check_cost(
        f"{where}.marginal_cost_usd_per_mwh",
        g.marginal_cost_usd_per_mwh,
        MAX_ENERGY_COST_USD_PER_MWH,
        f"check {where}.heat_rate_mmbtu_per_mwh, variable_om_usd_per_mwh, "
        "ppa_price_usd_per_mwh, economics.fuel_prices_usd_per_mmbtu and carbon_price_usd_per_t",
    )
    cf = g.cf
    if cf is not None:
        _check_series(f"{where}.cf", cf, 1.0, "check the weather data of the site")
        if cf.size and float(cf.min()) < 0:
            bad = int(cf.argmin())
            raise _reject(
                f"{where}.cf[{bad}]", float(cf[bad]), "within [0, 1] pu", "check the weather"
            )
        if np.any((cf > 0) & (cf < MIN_PU)):
            cf = np.where(cf < MIN_PU, 0.0, cf)
    fix_min = f"lower {where}.p_nom_min / p_nom_existing (in MW, not kW)"
    return dataclasses.replace(
        g,
        p_nom_max=_upper_bound(f"{where}.p_nom_max", g.p_nom_max),
        p_nom_min=_lower_bound(f"{where}.p_nom_min", g.p_nom_min, fix_min),
        p_nom_existing=_lower_bound(f"{where}.p_nom_existing", g.p_nom_existing, fix_min),
        cf=cf,
    )


def _guard_storage(s: StorageInputs) -> StorageInputs:
    where = f"technologies.{s.key}"
    for name, value in (
        ("capital_cost_usd_per_mw_year", s.capital_cost_usd_per_mw_year),
        ("capital_cost_usd_per_mwh_year", s.capital_cost_usd_per_mwh_year),
        ("fixed_om_usd_per_mw_year", s.fixed_om_usd_per_mw_year),
    ):
        _check_cost(
            f"{where}.{name}",
            value,
            MAX_CAPACITY_COST_USD_PER_MW_YEAR,
            f"check {where}.capex_usd_per_kw, capex_usd_per_kwh and fixed_om_usd_per_kw_year",
        )
    _check_cost(
        f"{where}.variable_om_usd_per_mwh",
        s.variable_om_usd_per_mwh,
        MAX_ENERGY_COST_USD_PER_MWH,
        f"check {where}.variable_om_usd_per_mwh",
    )
    fix_min = f"lower {where}.p_nom_min / p_nom_existing / e_nom_existing (MW and MWh)"
    e_existing = s.e_nom_existing
    if not math.isfinite(e_existing) or e_existing > MAX_CAPACITY_MW * 1e3:
        # 1000 h of storage at the largest power: beyond any real storage plant
        raise _reject(f"{where}.e_nom_existing", e_existing, "at most 1e9 MWh", fix_min)
    return dataclasses.replace(
        s,
        p_nom_max=_upper_bound(f"{where}.p_nom_max", s.p_nom_max),
        e_nom_max=_upper_bound(f"{where}.e_nom_max", s.e_nom_max),
        p_nom_min=_lower_bound(f"{where}.p_nom_min", s.p_nom_min, fix_min),
        p_nom_existing=_lower_bound(f"{where}.p_nom_existing", s.p_nom_existing, fix_min),
    )


def _objective_costs(inputs: ModelInputs) -> Iterator[tuple[str, float]]:
    """Every scalar objective coefficient, named (hourly series by their peak)."""
    for g in inputs.generators:
        yield f"technologies.{g.key}.capital_cost_usd_per_mw_year", g.capital_cost_usd_per_mw_year
        yield f"technologies.{g.key}.fixed_om_usd_per_mw_year", g.fixed_om_usd_per_mw_year
        yield f"technologies.{g.key}.marginal_cost_usd_per_mwh", g.marginal_cost_usd_per_mwh
    for s in inputs.storage:
        yield f"technologies.{s.key}.capital_cost_usd_per_mw_year", s.capital_cost_usd_per_mw_year
        yield (
            f"technologies.{s.key}.capital_cost_usd_per_mwh_year",
            s.capital_cost_usd_per_mwh_year,
        )
        yield f"technologies.{s.key}.fixed_om_usd_per_mw_year", s.fixed_om_usd_per_mw_year
    if inputs.grid.enabled and inputs.grid.price_usd_per_mwh.size:
        peak = float(np.abs(inputs.grid.price_usd_per_mwh).max())
        yield "grid.price_usd_per_mwh", peak
    yield "unserved_cost_usd_per_mwh", inputs.unserved_cost_usd_per_mwh


def cost_span(inputs: ModelInputs) -> float:
    """Ratio of the largest to the smallest non-zero objective coefficient [-].

    Returns 1 when there is at most one non-zero cost.

    Examples
    --------
    >>> from aip.optimize.examples import two_hour_example
    >>> cost_span(two_hour_example()) > 1
    True
    """
    values = [abs(v) for _, v in _objective_costs(inputs) if v != 0 and math.isfinite(v)]
    return max(values) / min(values) if values else 1.0


def _zero_tiny_costs(inputs: ModelInputs) -> ModelInputs:
    values = [abs(v) for _, v in _objective_costs(inputs) if v != 0]
    if not values:
        return inputs
    floor = max(values) / MAX_COST_SPAN
    tiny = [name for name, v in _objective_costs(inputs) if 0 < abs(v) < floor]
    if not tiny:
        return inputs
    _warn(
        f"{', '.join(tiny)} below {floor:g} (1/{MAX_COST_SPAN:g} of the largest cost) "
        "treated as 0 to keep the LP well scaled"
    )

    def small(v: float) -> float:
        return 0.0 if abs(v) < floor else v

    generators = [
        dataclasses.replace(
            g,
            capital_cost_usd_per_mw_year=small(g.capital_cost_usd_per_mw_year),
            fixed_om_usd_per_mw_year=small(g.fixed_om_usd_per_mw_year),
            fuel_cost_usd_per_mwh=small(g.fuel_cost_usd_per_mwh),
            variable_om_usd_per_mwh=small(g.variable_om_usd_per_mwh),
            ppa_usd_per_mwh=small(g.ppa_usd_per_mwh),
            carbon_cost_usd_per_mwh=small(g.carbon_cost_usd_per_mwh),
        )
        for g in inputs.generators
    ]
    storage = [
        dataclasses.replace(
            s,
            capital_cost_usd_per_mw_year=small(s.capital_cost_usd_per_mw_year),
            capital_cost_usd_per_mwh_year=small(s.capital_cost_usd_per_mwh_year),
            fixed_om_usd_per_mw_year=small(s.fixed_om_usd_per_mw_year),
            variable_om_usd_per_mwh=small(s.variable_om_usd_per_mwh),
        )
        for s in inputs.storage
    ]
    price = inputs.grid.price_usd_per_mwh
    grid = dataclasses.replace(
        inputs.grid, price_usd_per_mwh=np.where(abs(price) < floor, 0, price)
    )
    return dataclasses.replace(
        inputs,
        generators=generators,
        storage=storage,
        grid=grid,
        unserved_cost_usd_per_mwh=small(inputs.unserved_cost_usd_per_mwh),
    )


def guard_inputs(inputs: ModelInputs) -> ModelInputs:
    """Reject or rescale model inputs that would make the LP ill-conditioned.

    Parameters
    ----------
    inputs : ModelInputs
        Prepared campus model inputs (capacities [MW], [MWh]; costs [USD/MW/yr],
        [USD/MWh]).

    Returns
    -------
    ModelInputs
        A copy with huge capacity limits set to unlimited, tiny capacities, capacity
        factors and costs set to 0 (each change announced by a
        :class:`ConditioningWarning`); the input itself when nothing changes.

    Raises
    ------
    aip.errors.ScenarioError
        A non-finite or absurdly large cost, load, price or capacity factor, or a
        minimum/existing capacity, import limit or peak load above
        :data:`MAX_CAPACITY_MW`; the message names the field and the fix.

    Notes
    -----
    Limits (module constants, each an assumption stated where defined): capacities
    in [1e-3, 1e6] MW, energy costs at most 1e6 USD/MWh, capacity costs at most
    1e9 USD/MW/yr, objective coefficients within a span of 1e9.

    Examples
    --------
    >>> import dataclasses, warnings
    >>> from aip.optimize.examples import two_hour_example
    >>> base = two_hour_example()
    >>> guard_inputs(base) == base
    True
    >>> huge = dataclasses.replace(
    ...     base, generators=[dataclasses.replace(g, p_nom_max=1e9) for g in base.generators])
    >>> with warnings.catch_warnings(record=True):
    ...     warnings.simplefilter("always")
    ...     [g.p_nom_max for g in guard_inputs(huge).generators]
    [inf, inf]
    """
    _check_series(
        "load_mw",
        inputs.load_mw,
        MAX_CAPACITY_MW,
        "check compute.count, facility.auxiliary_mw and facility.pue",
    )
    if inputs.load_mw.size and float(inputs.load_mw.min()) < 0:
        bad = int(inputs.load_mw.argmin())
        raise _reject(
            f"load_mw[{bad}]", float(inputs.load_mw[bad]), "a load >= 0 MW", "check the load"
        )
    _check_series(
        "grid.price_usd_per_mwh",
        inputs.grid.price_usd_per_mwh,
        MAX_ENERGY_COST_USD_PER_MWH,
        "check grid.price (USD/MWh, not USD/kWh x 1000 twice)",
    )
    _check_cost(
        "unserved_cost_usd_per_mwh",
        inputs.unserved_cost_usd_per_mwh,
        MAX_ENERGY_COST_USD_PER_MWH,
        "check economics.unserved_cost_usd_per_mwh and compute.gpu_hour_value_usd",
    )
    _check_cost(
        "grid.demand_charge_usd_per_kw_month",
        inputs.grid.demand_charge_usd_per_kw_month,
        MAX_CAPACITY_COST_USD_PER_MW_YEAR / 12_000.0,
        "check grid.demand_charge_usd_per_kw_month",
    )
    import_limit = _lower_bound(
        "grid.import_limit_mw",
        inputs.grid.import_limit_mw,
        "give grid.import_limit_mw in MW, at most the campus's plausible size",
    )
    guarded = dataclasses.replace(
        inputs,
        generators=[_guard_generator(g) for g in inputs.generators],
        storage=[_guard_storage(s) for s in inputs.storage],
        grid=dataclasses.replace(inputs.grid, import_limit_mw=import_limit),
    )
    guarded = _zero_tiny_costs(guarded)
    return inputs if _same(inputs, guarded) else guarded


def _same(a: ModelInputs, b: ModelInputs) -> bool:
    """Whether the guard changed nothing (so callers keep the very same object)."""
    try:
        return bool(a == b)
    except ValueError:  # numpy arrays in dataclass equality: compare field by field
        pass
    if a.grid.import_limit_mw != b.grid.import_limit_mw:
        return False
    if not np.array_equal(a.grid.price_usd_per_mwh, b.grid.price_usd_per_mwh):
        return False
    for ga, gb in zip(a.generators, b.generators, strict=True):
        if dataclasses.replace(ga, cf=None) != dataclasses.replace(gb, cf=None):
            return False
        if (ga.cf is None) != (gb.cf is None):
            return False
        if ga.cf is not None and gb.cf is not None and not np.array_equal(ga.cf, gb.cf):
            return False
    return a.storage == b.storage and a.unserved_cost_usd_per_mwh == b.unserved_cost_usd_per_mwh
