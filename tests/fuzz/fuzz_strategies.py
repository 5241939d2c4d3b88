"""Hypothesis strategies for the fuzz corpus: hostile JSON-like values and scenario mutations."""

from __future__ import annotations

import copy
import math
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from aip.schema import Scenario, TechnologyOptions

EXTREME_NUMBERS: list[Any] = [
    0,
    -0.0,
    -1,
    1e-300,
    5e-324,
    1e-6,
    1e9,
    1e15,
    1e308,
    -1e308,
    math.inf,
    -math.inf,
    math.nan,
    2**63,
    -(2**63),
    10**400,  # an int too large for a float
    True,
    False,
]
"""Numbers that break naive code: denormals, float limits, NaN/inf, huge ints, bools."""

EXTREME_TEXT: list[Any] = [
    "",
    " ",
    "\x00",
    "\n\n",
    "ｈ１００",  # full-width letters
    "h100\u200b",  # zero-width space
    "🔥" * 50,
    "a" * 100_000,  # enormous string
    "memphis\r\nname: x",
    "${HOME}",
    "../../etc/passwd",
    ".inf",
    "NaN",
    "1e999",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(EXTREME_NUMBERS),
    st.sampled_from(EXTREME_TEXT),
)
"""One hostile scalar."""

json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.text(max_size=12), children, max_size=5),
    ),
    max_leaves=12,
)
"""Nested JSON-like values (lists, mappings) built from hostile scalars."""

BASE: dict[str, Any] = {
    "name": "fuzz",
    "description": "fuzz base",
    "site": {"station": "memphis"},
    "compute": {"accelerator": "h100", "count": 1000, "utilization": 0.8},
    "facility": {"cooling": "evaporative", "auxiliary_mw": 1.0},
    "technologies": {
        "gas_aero": {"p_nom_max": 100.0, "unit_size_mw": 20.0},
        "pv": {},
        "battery": {"p_nom_max": 10.0},
    },
    "grid": {"import_limit_mw": 5.0, "price": {"kind": "flat", "usd_per_mwh": 60.0}},
    "economics": {"wacc": 0.07, "fuel_prices_usd_per_mmbtu": {"gas": 3.5}},
    "constraints": {"n_minus": 1, "reserve_margin": 0.1},
    "solver": {"time_limit_s": 30.0},
}
"""A small valid scenario (one campus in Memphis) that mutations start from."""


def _model_paths(model: type[BaseModel], prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = []
    for name, info in model.model_fields.items():
        path = (*prefix, name)
        paths.append(path)
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            paths.extend(_model_paths(annotation, path))
    return paths


FIELD_PATHS: list[tuple[str, ...]] = sorted(
    _model_paths(Scenario, ())
    + [
        ("technologies", tech, name)
        for tech in ("gas_aero", "pv", "battery")
        for name in TechnologyOptions.model_fields
    ]
    + [("economics", "fuel_prices_usd_per_mmbtu", "gas"), ("technologies", "no_such_tech")]
)
"""Every field path of the schema, plus per-technology option paths."""

NUMERIC_PATHS: list[tuple[str, ...]] = [
    ("compute", "count"),
    ("compute", "utilization"),
    ("compute", "gpu_hour_value_usd"),
    ("compute", "it_overhead_fraction"),
    ("facility", "auxiliary_mw"),
    ("facility", "pue"),
    ("grid", "import_limit_mw"),
    ("grid", "price", "usd_per_mwh"),
    ("grid", "demand_charge_usd_per_kw_month"),
    ("economics", "wacc"),
    ("economics", "carbon_price_usd_per_t"),
    ("economics", "unserved_cost_usd_per_mwh"),
    ("economics", "fuel_prices_usd_per_mmbtu", "gas"),
    ("constraints", "reserve_margin"),
    ("constraints", "co2_cap_t_per_year"),
] + [
    ("technologies", tech, name)
    for tech in ("gas_aero", "battery")
    for name in (
        "p_nom_min",
        "p_nom_max",
        "p_nom_existing",
        "unit_size_mw",
        "capex_usd_per_kw",
        "capex_usd_per_kwh",
        "fixed_om_usd_per_kw_year",
        "variable_om_usd_per_mwh",
        "heat_rate_mmbtu_per_mwh",
        "lifetime_years",
        "min_stable_pu",
        "e_nom_max",
        "duration_max_h",
    )
]
"""Numeric fields that reach the model's numbers (used by the model_inputs fuzz)."""

numbers = st.one_of(
    st.sampled_from(EXTREME_NUMBERS),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=0.0, max_value=1e12),
    st.integers(min_value=0, max_value=10**12),
)
"""Numbers for numeric fields: extreme, any finite float, plausible magnitudes."""


def with_value(base: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """Deep copy of ``base`` with ``value`` set at ``path`` (parents created as mappings)."""
    out = copy.deepcopy(base)
    node = out
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = {}
            node[key] = child
        node = child
    node[path[-1]] = value
    return out


def without(base: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """Deep copy of ``base`` with the field at ``path`` removed (if present)."""
    out = copy.deepcopy(base)
    node: Any = out
    for key in path[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(path[-1], None)
    return out
