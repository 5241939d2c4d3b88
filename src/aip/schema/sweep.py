"""Sweep files: a base scenario plus a parameter grid and/or seeded random samples.

A sweep file is not a scenario section; it points at (or embeds) a scenario and
says which of its fields vary. Fields are named by dotted paths into the
scenario, e.g. ``economics.fuel_prices_usd_per_mmbtu.gas``. See docs/sweep.md.

Examples
--------
>>> from aip.schema.sweep import SweepSpec
>>> spec = SweepSpec.model_validate({
...     "name": "gas", "base": "colossus-memphis.yaml",
...     "grid": {"economics.fuel_prices_usd_per_mmbtu.gas": [2.0, 4.0]}})
>>> spec.samples is None, spec.chunk_size
(True, None)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from aip.errors import ScenarioError
from aip.schema.base import _Strict
from aip.schema.loading import read_yaml_file, validation_error

Scalar = float | int | str | bool


class Distribution(_Strict):
    """A distribution to sample one scenario field from."""

    distribution: Literal["uniform", "normal", "lognormal", "triangular", "choice"] = Field(
        description="`uniform` (low, high), `normal` (mean, std), `lognormal` (median, "
        "sigma of the log), `triangular` (low, mode, high) or `choice` (values, weights)."
    )
    low: float | None = Field(None, allow_inf_nan=False, description="Lower bound.")
    high: float | None = Field(None, allow_inf_nan=False, description="Upper bound.")
    mode: float | None = Field(None, allow_inf_nan=False, description="Triangular mode.")
    mean: float | None = Field(None, allow_inf_nan=False, description="Normal mean.")
    std: float | None = Field(None, gt=0.0, allow_inf_nan=False, description="Normal std.")
    median: float | None = Field(None, gt=0.0, allow_inf_nan=False, description="Lognormal median.")
    sigma: float | None = Field(
        None, gt=0.0, allow_inf_nan=False, description="Lognormal standard deviation of ln(x)."
    )
    values: list[Scalar] | None = Field(None, min_length=1, description="Choice values.")
    weights: list[float] | None = Field(None, description="Choice weights (normalised).")
    integer: bool = Field(False, description="Round samples to the nearest integer.")

    @model_validator(mode="after")
    def _complete(self) -> Distribution:
        need = {
            "uniform": ("low", "high"),
            "normal": ("mean", "std"),
            "lognormal": ("median", "sigma"),
            "triangular": ("low", "mode", "high"),
            "choice": ("values",),
        }[self.distribution]
        missing = [name for name in need if getattr(self, name) is None]
        if missing:
            raise ValueError(
                f"distribution {self.distribution!r} needs {', '.join(need)}; "
                f"add {', '.join(missing)}"
            )
        if self.distribution in ("uniform", "triangular"):
            assert self.low is not None and self.high is not None
            if not self.low < self.high:
                raise ValueError(f"low ({self.low}) must be below high ({self.high})")
            if self.mode is not None and not self.low <= self.mode <= self.high:
                raise ValueError("mode must lie between low and high")
        if self.weights is not None:
            if self.values is None or len(self.weights) != len(self.values):
                raise ValueError("weights need one entry per value")
            if min(self.weights) < 0 or sum(self.weights) <= 0:
                raise ValueError("weights must be >= 0 with a positive sum")
        return self


class Samples(_Strict):
    """Seeded random samples (Monte Carlo) of scenario fields."""

    n: int = Field(ge=1, le=10_000_000, description="Number of samples [-].")
    seed: int = Field(0, ge=0, description="Random seed; the same seed gives the same cases.")
    method: Literal["random", "lhs"] = Field(
        "random", description="`random` (independent draws) or `lhs` (Latin hypercube)."
    )
    parameters: dict[str, Distribution] = Field(
        min_length=1, description="Dotted scenario path -> distribution."
    )


class BatchSolve(_Strict):
    """Solve the cases together with the batch first-order solver (GPU backends)."""

    backend: Literal["auto", "numpy", "jax", "cupy"] = Field(
        "auto",
        description="Array backend of `aip.optimize.batch.solve_batch`: `auto` takes JAX or "
        "cupy on a GPU, else numpy (slower than HiGHS on a CPU; docs/benchmarks.md).",
    )
    group_size: int = Field(
        64, ge=1, le=100_000, description="Cases prepared, solved and recorded together [-]."
    )
    block: int | None = Field(
        None, ge=1, le=100_000, description="Most cases on the device at once; default all."
    )
    tol: float = Field(
        1e-6, gt=0.0, le=1e-2, description="Relative KKT error at which a case counts solved."
    )
    max_iter: int = Field(200_000, ge=64, le=10_000_000, description="PDHG iterations per case.")
    time_limit_s: float | None = Field(
        None,
        gt=0.0,
        allow_inf_nan=False,
        description="Wall-clock limit of one group's batch solve [s]; cases unsolved by "
        "then go to HiGHS. Default: none (`max_iter` bounds it).",
    )
    warm_start: bool = Field(
        True,
        description="Start each case from the nearest solved case (in the sweep's "
        "parameters) of the previous group with the same constraint matrix, and a case "
        "queued behind `block` from the case that converged in its column: full-year "
        'cases need fewer iterations (docs/benchmarks.md, "Warm starts").',
    )


class SweepSpec(_Strict):
    """One sweep: base scenario, grid and/or samples, and run options."""

    name: str = Field(min_length=1, max_length=200, description="Sweep name.")
    description: str = Field("", max_length=5000, description="Free text.")
    base: str | dict[str, Any] = Field(
        description="Scenario file (relative to the sweep file) or an inline scenario mapping."
    )
    grid: dict[str, list[Any]] = Field(
        default_factory=dict,
        description="Dotted scenario path -> values (numbers, text, or whole mappings such "
        "as a `grid.price`); the cases are the cartesian product.",
    )
    samples: Samples | None = Field(
        None, description="Random samples; with a grid, every grid point gets every sample."
    )
    hourly: bool = Field(False, description="Write hourly dispatch per case to Parquet.")
    warm_start: bool = Field(
        True, description="Re-solve cases that share the LP structure from the previous basis."
    )
    chunk_size: int | None = Field(
        None, ge=1, le=10_000, description="Cases per task; default from cases and workers."
    )
    batch: BatchSolve | None = Field(
        None,
        description="Solve cases that share a constraint matrix together with the batch PDHG "
        "(in this process, one device); a case it leaves unsolved goes to HiGHS.",
    )

    @field_validator("grid")
    @classmethod
    def _non_empty_values(cls, grid: dict[str, list[Any]]) -> dict[str, list[Any]]:
        for path, values in grid.items():
            if not values:
                raise ValueError(f"grid.{path} has no values; give at least one")
        return grid

    @model_validator(mode="after")
    def _something_varies(self) -> SweepSpec:
        if not self.grid and self.samples is None:
            raise ValueError("a sweep needs a `grid`, `samples` or both")
        if self.samples is not None:
            both = set(self.grid) & set(self.samples.parameters)
            if both:
                raise ValueError(f"{sorted(both)} appear in both grid and samples; keep one")
        paths = self.parameters
        for path in paths:
            inner = [p for p in paths if p.startswith(path + ".")]
            if inner:
                # setting the mapping would overwrite (or be overwritten by) the field inside
                raise ValueError(
                    f"{path} and {inner[0]} overlap: a case would set both; vary the "
                    f"field inside {path} through one of the two paths only"
                )
        return self

    @property
    def parameters(self) -> list[str]:
        """Varied dotted paths: grid first, then samples."""
        sampled = list(self.samples.parameters) if self.samples is not None else []
        return [*self.grid, *sampled]


def load_sweep(path: str | Path) -> tuple[SweepSpec, Path]:
    """Read and validate a sweep file.

    Returns
    -------
    (SweepSpec, Path)
        The spec and the folder relative paths in it are resolved against.

    Raises
    ------
    ScenarioError
        Missing file, YAML error or invalid field (one line naming it).
    """
    file = Path(path)
    return parse_sweep(read_yaml_file(file, "sweep"), source=str(file)), file.parent


def parse_sweep(data: Any, source: str = "sweep") -> SweepSpec:
    """Validate a sweep given as a mapping; errors name the field."""
    if isinstance(data, SweepSpec):
        return data
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{source}: a sweep must be a mapping (name, base, grid/samples); "
            "see examples/sweep-gas-price.yaml"
        )
    try:
        return SweepSpec.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, source, SweepSpec) from None
