"""Sweeps and Monte Carlo: scenario x parameter grid / samples -> engine -> DuckDB store.

>>> from aip.sweep import run_sweep, read_results   # doctest: +SKIP
>>> run_sweep("examples/sweep-gas-price.yaml", "gas.duckdb", workers=2)  # doctest: +SKIP
>>> read_results("gas.duckdb", 'SELECT "economics.fuel_prices_usd_per_mmbtu.gas", '
...              'lcoe_usd_per_mwh FROM cases')  # doctest: +SKIP
"""

from aip.schema.sweep import Distribution, Samples, SweepSpec, load_sweep, parse_sweep
from aip.sweep.cases import Case, case_id, expand_cases, set_path
from aip.sweep.engine import SweepSummary, run_sweep
from aip.sweep.store import read_results
from aip.sweep.warm import WarmSolver

__all__ = [
    "Case",
    "Distribution",
    "Samples",
    "SweepSpec",
    "SweepSummary",
    "WarmSolver",
    "case_id",
    "expand_cases",
    "load_sweep",
    "parse_sweep",
    "read_results",
    "run_sweep",
    "set_path",
]
