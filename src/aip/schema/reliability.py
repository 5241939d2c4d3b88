"""The optional ``reliability`` scenario section: outage simulation and availability target.

Examples
--------
>>> from aip.schema.reliability import Reliability
>>> r = Reliability.model_validate({"target_availability": 0.9999})
>>> r.samples, r.metric
(2000, 'time')
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from aip.schema.base import Fraction, _Strict

Hours = Annotated[float, Field(gt=0.0, le=100_000.0, allow_inf_nan=False)]


class Reliability(_Strict):
    """Sequential Monte Carlo of forced outages over the plan (see docs/reliability.md)."""

    samples: int = Field(
        2000,
        ge=10,
        le=1_000_000,
        description="Sampled years [-]. 2000 gives a standard error of order 1e-5 on an "
        "availability near 0.9999 for typical plans (see docs/reliability.md).",
    )
    seed: int = Field(0, ge=0, description="Seed of the random generator (same seed, same answer).")
    target_availability: float | None = Field(
        None,
        gt=0.0,
        lt=1.0,
        allow_inf_nan=False,
        description="Availability to reach, e.g. 0.9999 [-]; re-plans with more N+k and "
        "reserve margin until met and reports the cost of each extra nine.",
    )
    metric: Literal["time", "energy"] = Field(
        "time",
        description="Availability the target applies to: `time` (fraction of hours fully "
        "served) or `energy` (fraction of facility energy served).",
    )
    forced_outage_rates: dict[str, Fraction] = Field(
        default_factory=dict,
        description="Override the catalogue's forced outage rate by technology key [-].",
    )
    mttr_h: dict[str, Hours] = Field(
        default_factory=dict,
        description="Override the mean time to repair by technology key [h] (defaults: "
        "src/aip/reliability/repair_times.csv).",
    )
    grid_outage_rate: Fraction = Field(
        0.0,
        lt=0.5,
        description="Fraction of hours the grid connection is out [-]. Default 0 (firm "
        "connection); EIA reports about 5.5 h/yr of interruptions for the average US "
        "customer in 2022 including major events, i.e. about 6e-4 (distribution level).",
    )
    grid_mttr_h: Hours = Field(
        4.0,
        description="Mean duration of a grid outage [h]. Assumption: 4 h, the order of "
        "EIA's average interruption duration per customer.",
    )
    storage_initial_soc: Fraction = Field(
        1.0,
        description="Storage state of charge at the start of each sampled year [fraction]. "
        "Assumption: full (batteries held charged for ride-through).",
    )
    max_plans: int = Field(
        8,
        ge=1,
        le=20,
        description="Most re-plans when searching for target_availability [-].",
    )
    reserve_margin_step: float = Field(
        0.1,
        gt=0.0,
        le=1.0,
        allow_inf_nan=False,
        description="Reserve margin added per step once n_minus reaches 5 [-].",
    )
