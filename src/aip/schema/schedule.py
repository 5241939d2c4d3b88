"""Scenario section ``timeline``: time to power (staged build, lead times, deliveries).

A campus does not appear at once: accelerators arrive in tranches, the grid
connection arrives in steps (or after a queue), and each technology has a lead
time from the decision date. With a ``timeline`` section, ``aip plan`` adds a
multi-period plan (see docs/time-to-power.md) to the single-year plan.

Dates are calendar dates (``2024-09-02``); every date must be on or after
``decision_date`` (a date before the decision cannot be planned for).

Examples
--------
>>> from aip.schema.schedule import Timeline
>>> t = Timeline.model_validate({"decision_date": "2024-03-01",
...     "compute_tranches": [{"date": "2024-09-02", "count": 100000}]})
>>> t.period_months, t.representative_days
(3, 2)
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from aip.schema.base import NonNegative, _Strict


class ComputeTranche(_Strict):
    """Accelerators delivered and energised on one date."""

    date: dt.date = Field(description="Date the tranche starts computing.")
    count: int = Field(
        gt=0, le=100_000_000, description="Accelerators (units of compute.count) delivered [-]."
    )


class GridStep(_Strict):
    """The grid connection's import limit from one date on."""

    date: dt.date = Field(description="Date the new limit applies.")
    import_limit_mw: NonNegative = Field(description="Import limit from this date on [MW].")


class BridgeOption(_Strict):
    """A leased bridge asset (e.g. trailer-mounted mobile gas turbines)."""

    base: str = Field(
        "gas_aero",
        description="Catalogue technology whose fuel, heat rate and emissions it shares.",
    )
    lease_usd_per_kw_month: NonNegative | None = Field(
        None,
        description="Lease cost [USD/kW-month]; default: the base technology's overnight "
        "cost recovered over `lease_recovery_years` at the scenario WACC, plus its fixed "
        "O&M (assumption, see docs/time-to-power.md).",
    )
    lease_recovery_years: float = Field(
        5.0,
        gt=0.0,
        le=30.0,
        description="Years over which a lessor recovers the equipment cost [years]. "
        "Assumption: 5 (rental fleets move between short contracts).",
    )
    lead_time_years: NonNegative = Field(
        1.0 / 3.0,
        le=10.0,
        description="Time from decision to power [years]. Default 4 months: Colossus 1 "
        "ran 100k GPUs on mobile turbines 122 days after the start (FACTS.md section 2).",
    )
    p_nom_max: NonNegative = Field(
        float("inf"), description="Most capacity that can be leased at once [MW]."
    )


class Timeline(_Strict):
    """Time to power: decision date, compute tranches, grid steps, lead times, bridges."""

    decision_date: dt.date = Field(description="Date of the investment decision; period 0 starts.")
    period_months: int = Field(3, ge=1, le=12, description="Length of one period [months].")
    representative_days: int = Field(
        2,
        ge=1,
        le=28,
        description="Representative days per period: the medoid day of each of this many "
        "equal blocks of the period's calendar days in the typical weather year [-].",
    )
    horizon_end: dt.date | None = Field(
        None,
        description="End of the plan; default: one period after the last delivery, grid "
        "step or earliest in-service date of an allowed technology (at most 10 years).",
    )
    compute_tranches: list[ComputeTranche] = Field(
        default_factory=list,
        description="Deliveries in date order; counts sum to compute.count. Empty: all "
        "compute at the decision date.",
    )
    grid_steps: list[GridStep] = Field(
        default_factory=list,
        description="Import limit steps in date order; empty: grid.import_limit_mw after "
        "the grid queue (`grid_queue_years` or `grid_queue_region`).",
    )
    grid_queue_region: str = Field(
        "us_median",
        description="Queue-time row of src/aip/schedule/lead_times.csv (`us_median`: LBNL "
        "Queued Up 2025, 55 months; `dominion_nova`: 36-48 months).",
    )
    grid_queue_years: NonNegative | None = Field(
        None, le=30.0, description="Own grid queue time [years]; overrides the region."
    )
    lead_time_years: dict[str, NonNegative] = Field(
        default_factory=dict,
        description="Override lead times by technology key [years] (default: catalogue, "
        "EIA AEO2026 Table 3 or stated assumptions).",
    )
    in_service_dates: dict[str, dt.date] = Field(
        default_factory=dict,
        description="Own earliest in-service date by technology key; beats lead times.",
    )
    bridge: dict[str, BridgeOption] = Field(
        default_factory=dict,
        description="Leased bridge assets by name, e.g. `mobile_gas: {base: gas_aero}`.",
    )
    target_full_power_date: dt.date | None = Field(
        None,
        description="Require all compute served from this date; an error names the "
        "earliest feasible date when lead times make it impossible.",
    )

    report_reduction_error: bool = Field(
        False,
        description="Also solve the full build hourly over the whole year and report the "
        "representative-day error (one more single-year solve).",
    )

    @model_validator(mode="after")
    def _ordered_dates(self) -> Timeline:
        groups = {
            "compute_tranches": [t.date for t in self.compute_tranches],
            "grid_steps": [g.date for g in self.grid_steps],
        }
        for name, dates in groups.items():
            for i, d in enumerate(dates):
                if d < self.decision_date:
                    raise ValueError(
                        f"{name}[{i}].date {d} is before decision_date {self.decision_date}; "
                        "move it on or after the decision date"
                    )
                if i and d <= dates[i - 1]:
                    raise ValueError(
                        f"{name}[{i}].date {d} is not after {name}[{i - 1}].date "
                        f"{dates[i - 1]}; list them in increasing date order"
                    )
        for key, d in self.in_service_dates.items():
            if d < self.decision_date:
                raise ValueError(
                    f"in_service_dates.{key} {d} is before decision_date {self.decision_date}; "
                    "existing capacity goes in technologies.<key>.p_nom_existing instead"
                )
        if self.horizon_end is not None and self.horizon_end <= self.decision_date:
            raise ValueError("horizon_end must be after decision_date; move it later")
        if (
            self.target_full_power_date is not None
            and self.target_full_power_date < self.decision_date
        ):
            raise ValueError("target_full_power_date is before decision_date; move it later")
        return self
