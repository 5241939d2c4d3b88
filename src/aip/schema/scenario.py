"""Scenario models: the one place where every input field, unit and default is declared.

A scenario describes one campus: where it is (``site``), what it computes
(``compute``), how it is cooled (``facility``), which power technologies it may
build (``technologies``), its grid connection (``grid``), money (``economics``),
the owner's limits (``constraints``) and solver options (``solver``).

Every model forbids unknown fields, so a typo such as ``utilisation`` for
``utilization`` is an error instead of a silently ignored line. Field
documentation (unit, default, meaning) lives in the ``description`` of each
field; ``docs/scenario.md`` is written from the same text.

Examples
--------
>>> from aip.schema import Scenario
>>> s = Scenario.model_validate({
...     "name": "tiny", "site": {"station": "memphis"},
...     "compute": {"accelerator": "h100", "count": 1000}})
>>> s.compute.utilization
0.8
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, field_validator, model_validator

from aip.schema.base import Fraction, NonNegative, _Strict
from aip.schema.finance import Finance
from aip.schema.permits import PermitOptions
from aip.schema.reliability import Reliability
from aip.schema.schedule import Timeline


class Site(_Strict):
    """Where the campus is: a bundled station, or coordinates plus a weather file."""

    station: str | None = Field(
        None, description="Bundled weather station key (see `aip sites`), e.g. `memphis`."
    )
    weather_file: str | None = Field(
        None,
        description="Path to an EPW, TMY3 or aip weather CSV; relative paths are resolved "
        "against the scenario file's folder.",
    )
    latitude: float | None = Field(
        None,
        ge=-90.0,
        le=90.0,
        allow_inf_nan=False,
        description="Latitude [deg north] for the sun's position; default the weather's "
        "own, and at most 5 degrees from it.",
    )
    longitude: float | None = Field(
        None,
        ge=-180.0,
        le=180.0,
        allow_inf_nan=False,
        description="Longitude [deg east]; default the weather's own, and at most 5 "
        "degrees from it.",
    )
    us_state: str | None = Field(
        None, description="US state (code or name) for grid prices; default from the station."
    )
    avert_region: str | None = Field(
        None, description="EPA AVERT region for hourly grid emission rates; default from station."
    )

    @model_validator(mode="after")
    def _one_source_of_weather(self) -> Site:
        if self.station is None and self.weather_file is None:
            raise ValueError(
                "give either site.station (a bundled station, see `aip sites`) "
                "or site.weather_file (an EPW/TMY3/CSV file)"
            )
        if self.station is not None and self.weather_file is not None:
            raise ValueError("give site.station or site.weather_file, not both")
        return self


class Flexibility(_Strict):
    """Compute that can pause on purpose (training checkpoints, deferrable batch work)."""

    curtailable_fraction: Fraction = Field(
        0.0,
        description="Share of the facility load that may be paused in any hour [-]; the "
        "firm capacity then only has to cover the rest of the peak.",
    )
    max_curtailed_energy_fraction: Fraction = Field(
        0.01,
        description="Cap on paused energy as a share of annual facility energy [-] "
        "(Duke's 'Rethinking Load Growth' studies 0.25-1 %).",
    )
    cost_usd_per_mwh: NonNegative | None = Field(
        None,
        description="Cost of a paused MWh [USD/MWh]; default the value of the GPU-hours it "
        "would have run (as for unserved energy).",
    )


class Compute(_Strict):
    """The accelerators the campus runs and how hard they run."""

    accelerator: str = Field(description="Accelerator key (see `aip catalog accelerators`).")
    count: int = Field(ge=0, le=100_000_000, description="Number of accelerators (GPUs) [-].")
    utilization: Fraction = Field(
        0.8,
        description="Mean IT power drawn as a fraction of the servers' maximum power [-]. "
        "Assumption: 0.8 for large training clusters (all-reduce keeps GPUs busy but below "
        "TDP on average).",
    )
    profile: Literal["training", "inference"] = Field(
        "training", description="Load shape: flat `training` or diurnal `inference`."
    )
    it_overhead_fraction: NonNegative = Field(
        0.10,
        le=1.0,
        description="Networking, storage and management IT power as a fraction of server "
        "power [-]. Assumption: 0.10.",
    )
    flexibility: Flexibility | None = Field(
        None, description="Curtailable compute; see `compute.flexibility`."
    )
    gpu_hour_value_usd: NonNegative = Field(
        2.0,
        description="Value of one GPU-hour [USD], used to price unserved compute. Default "
        "$2.0: H100 1-year contract index $1.70-2.35 (2025-26, FACTS.md section 6).",
    )


class Facility(_Strict):
    """The building: cooling archetype and non-IT loads."""

    cooling: str = Field(
        "air_economizer",
        description="Cooling archetype driving hourly PUE: `air_economizer`, `evaporative` "
        "or `liquid_dry_cooler` (see docs/profiles.md).",
    )
    pue: float | None = Field(
        None,
        ge=1.0,
        le=3.0,
        allow_inf_nan=False,
        description="Fixed PUE instead of the hourly cooling model [-].",
    )
    auxiliary_mw: NonNegative = Field(
        0.0, description="Constant non-IT load outside PUE (offices, water plant) [MW]."
    )


class TechnologyOptions(_Strict):
    """Per-technology switches and overrides of catalogue values."""

    p_nom_min: NonNegative = Field(0.0, description="Minimum capacity to build [MW].")
    p_nom_max: float = Field(
        math.inf, ge=0.0, description="Maximum capacity [MW]; `.inf` means unlimited."
    )
    p_nom_existing: NonNegative = Field(
        0.0, description="Capacity already on site, no capital cost [MW]."
    )
    unit_size_mw: float | None = Field(
        None,
        gt=0.0,
        allow_inf_nan=False,
        description="Unit size for N+k and the outage simulation (generating technologies) [MW].",
    )
    capex_usd_per_kw: NonNegative | None = Field(None, description="Overnight cost [USD/kW].")
    capex_usd_per_kwh: NonNegative | None = Field(
        None, description="Storage energy overnight cost [USD/kWh]."
    )
    fixed_om_usd_per_kw_year: NonNegative | None = Field(None, description="[USD/kW/yr].")
    variable_om_usd_per_mwh: NonNegative | None = Field(None, description="[USD/MWh].")
    heat_rate_mmbtu_per_mwh: float | None = Field(
        None, gt=0.0, allow_inf_nan=False, description="Heat rate, HHV [MMBtu/MWh]."
    )
    lifetime_years: float | None = Field(
        None, gt=0.0, le=100.0, allow_inf_nan=False, description="Economic life [years]."
    )
    min_stable_pu: Fraction | None = Field(
        None, description="Minimum stable output as a fraction of capacity [-]."
    )
    capacity_credit: Fraction | None = Field(
        None,
        description="Share of capacity counted as firm [-]. Defaults: 1 for dispatchable plant, "
        "0 for PV, wind and storage; give a battery credit for ride-through (its power must "
        "then be backed by duration_min_h of energy).",
    )
    must_run: bool | None = Field(
        None,
        description="Hold the whole fleet at min_stable_pu every hour (linear must-run). "
        "Default: true for nuclear and nuclear PPAs (baseload, take-or-pay), false otherwise "
        "(an LP cannot decommit units, so a minimum would wrongly bind on peakers).",
    )
    ppa_price_usd_per_mwh: NonNegative | None = Field(None, description="PPA price [USD/MWh].")
    emission_controls: list[str] | None = Field(
        None,
        max_length=8,
        description="NOx controls the optimiser may choose between (e.g. `[dln, scr]`); "
        "default: the catalogue's own control. See docs/emissions.md.",
    )
    e_nom_existing: NonNegative = Field(0.0, description="Storage: energy already on site [MWh].")
    e_nom_max: float = Field(
        math.inf, ge=0.0, description="Storage: maximum energy capacity [MWh]."
    )
    duration_min_h: NonNegative | None = Field(None, description="Storage: min e/p [h].")
    duration_max_h: NonNegative | None = Field(None, description="Storage: max e/p [h].")

    @model_validator(mode="after")
    def _ordered_bounds(self) -> TechnologyOptions:
        if self.p_nom_min > self.p_nom_max:
            raise ValueError(
                f"p_nom_min ({self.p_nom_min}) is above p_nom_max ({self.p_nom_max}); "
                "lower p_nom_min or raise p_nom_max"
            )
        for kind in ("p", "e"):
            existing, most = getattr(self, f"{kind}_nom_existing"), getattr(self, f"{kind}_nom_max")
            if existing > most:
                raise ValueError(
                    f"{kind}_nom_existing ({existing}) is above {kind}_nom_max ({most}), which "
                    f"counts the existing capacity too; raise {kind}_nom_max"
                )
        if (
            self.duration_min_h is not None
            and self.duration_max_h is not None
            and self.duration_min_h > self.duration_max_h
        ):
            raise ValueError("duration_min_h is above duration_max_h; swap or correct them")
        return self


class GridPrice(_Strict):
    """Grid energy price: flat, the state's EIA industrial average, or an hourly series."""

    kind: Literal["flat", "state", "hourly"] = Field(
        "state", description="`flat` (usd_per_mwh), `state` (EIA 2023 industrial) or `hourly`."
    )
    usd_per_mwh: NonNegative | None = Field(None, description="Flat price [USD/MWh].")
    file: str | None = Field(
        None, description="CSV with one `usd_per_mwh` column of 8760 hourly prices."
    )

    @model_validator(mode="after")
    def _complete(self) -> GridPrice:
        if self.kind == "flat" and self.usd_per_mwh is None:
            raise ValueError("grid.price.kind is 'flat' but usd_per_mwh is missing; add it")
        if self.kind == "hourly" and self.file is None:
            raise ValueError("grid.price.kind is 'hourly' but file is missing; add a CSV path")
        for name, user in (("usd_per_mwh", "flat"), ("file", "hourly")):
            if self.kind != user and getattr(self, name) is not None:
                raise ValueError(
                    f"grid.price.{name} is given but kind is {self.kind!r}, which does not "
                    f"use it; remove it or set kind to {user!r} (a sweep varies the whole "
                    "grid.price mapping)"
                )
        return self


class Grid(_Strict):
    """The utility connection."""

    enabled: bool = Field(True, description="Whether the campus may import from the grid.")
    import_limit_mw: NonNegative = Field(
        0.0, description="Maximum import [MW] (the interconnection's firm size)."
    )
    price: GridPrice = Field(
        default_factory=lambda: GridPrice(), description="Energy price; see `grid.price`."
    )
    demand_charge_usd_per_kw_month: NonNegative = Field(
        0.0, description="Demand charge on the year's peak import [USD/kW-month]."
    )
    emissions: Literal["avert", "average"] = Field(
        "avert", description="`avert` hourly marginal rates by region, or `average` factors."
    )
    co2_t_per_mwh: NonNegative | None = Field(
        None, description="Average CO2 factor when emissions = average [t/MWh]."
    )
    nox_t_per_mwh: NonNegative = Field(0.0, description="Average NOx factor [t/MWh].")
    so2_t_per_mwh: NonNegative = Field(0.0, description="Average SO2 factor [t/MWh].")
    pm25_t_per_mwh: NonNegative = Field(0.0, description="Average PM2.5 factor [t/MWh].")
    clean_fraction: Fraction = Field(
        0.0,
        description="Share of imported energy counted as clean for clean-share targets [-]. "
        "Default 0 (conservative: no credit for the grid mix).",
    )
    firm_fraction: Fraction = Field(
        1.0, description="Share of the import limit counted as firm capacity [-]."
    )
    clean_fraction_file: str | None = Field(
        None,
        description="CSV with a `clean_fraction` column of 8760 hourly carbon-free shares of "
        "grid energy, used for 24/7 CFE matching instead of clean_fraction.",
    )

    @model_validator(mode="after")
    def _average_needs_factor(self) -> Grid:
        if self.emissions == "average" and self.co2_t_per_mwh is None:
            raise ValueError("grid.emissions is 'average' but co2_t_per_mwh is missing; add it")
        return self


class Economics(_Strict):
    """Money: discount rate, fuel prices, the cost of not serving the load."""

    wacc: float = Field(
        0.08,
        ge=0.0,
        le=0.5,
        allow_inf_nan=False,
        description="Real weighted average cost of capital [-]. Assumption: 0.08.",
    )
    fuel_prices_usd_per_mmbtu: dict[str, NonNegative] = Field(
        default_factory=dict,
        description="Override fuel prices by carrier (gas, coal, diesel, uranium) [USD/MMBtu].",
    )
    carbon_price_usd_per_t: NonNegative = Field(0.0, description="Price on CO2 [USD/t].")
    unserved_cost_usd_per_mwh: NonNegative | None = Field(
        None,
        description="Cost of unserved facility energy [USD/MWh]; default from the value of "
        "the GPU-hours lost (compute.gpu_hour_value_usd / facility MWh per GPU-hour).",
    )


class Constraints(_Strict):
    """Limits the owner sets on the plan."""

    firm_capacity: bool = Field(
        True,
        description="Require firm capacity for peak load, reserve margin and N+k; set false "
        "to let the optimiser trade capacity against the cost of unserved compute.",
    )
    reserve_margin: NonNegative = Field(
        0.0, le=2.0, description="Firm capacity above peak facility load [-]."
    )
    n_minus: int = Field(
        1, ge=0, le=5, description="Units that may fail at peak and still serve it (N+k) [-]."
    )
    co2_cap_t_per_year: NonNegative | None = Field(
        None, description="Annual CO2 cap, on-site units and grid imports [t]."
    )
    nox_cap_t_per_year: NonNegative | None = Field(
        None, description="Annual NOx cap of the on-site units (the air permit's limit) [t]."
    )
    min_cfe_share: Fraction | None = Field(
        None,
        description="Minimum 24/7 carbon-free share: clean supply matched hour by hour to "
        "the facility load, over the year [-].",
    )
    min_clean_share: Fraction | None = Field(
        None, description="Minimum annual share of facility energy from clean sources [-]."
    )
    max_unserved_fraction: Fraction = Field(
        1.0, description="Cap on unserved energy as a fraction of facility energy [-]."
    )


class SolverOptions(_Strict):
    """Solver options (HiGHS, and Clarabel on the barrier path)."""

    time_limit_s: float = Field(600.0, gt=0.0, le=86_400.0, description="Time limit [s].")
    threads: int = Field(1, ge=1, le=256, description="HiGHS threads.")
    method: Literal["auto", "barrier", "choose", "simplex", "ipm", "pdlp"] = Field(
        "auto",
        description="Algorithm: `auto` (`barrier` for full-year LPs, HiGHS's `choose` for "
        "smaller ones), `barrier` (Clarabel interior point, then a vertex by HiGHS simplex "
        "with capacities fixed), or a HiGHS algorithm: `choose` (HiGHS decides; simplex for "
        "these LPs), `simplex`, `ipm` (interior point with crossover: IPX, or HiPO where the "
        "`highspy-extras` package is installed), `pdlp` (first-order, "
        "less exact). Measured trade-offs: docs/benchmarks.md.",
    )
    typical_days: int | None = Field(
        None,
        ge=2,
        le=365,
        description="Screening mode: solve on this many typical days (tsam clustering, each "
        "day keeping the duration curves of the days it stands for, plus the peak-load day and "
        "each renewable's least-output day) instead of 8760 hours. Storage is then cyclic "
        "within each day. For many plans: a sweep clusters once per site. Cost error and "
        "speed-up: docs/benchmarks.md.",
    )
    check_full_year: bool = Field(
        False,
        description="With `typical_days`: also dispatch the screened capacities over the full "
        "8760 hours (capacities fixed, load served first, HiGHS simplex, about 0.2-2 s) and "
        "report the plan's full-year cost (an upper bound on the full-resolution optimum "
        "where its targets hold), the targets it misses there with the values reached, and "
        "its unserved energy (`time_aggregation.full_year_check`; docs/model.md).",
    )
    calibrate_targets: bool = Field(
        False,
        description="With `typical_days`: tighten the typical days' targets (CO2 and NOx "
        "caps, clean and 24/7 CFE shares, unserved limit) by what the screened plan misses "
        "over the full year, checked as `check_full_year` does, and screen again, until the "
        "full year meets them (`calibration_checks` checks at most). A tightening is reused "
        "by later plans of the same site, days, technologies and targets whose new build "
        "stays within `calibration_reuse_within` (a sweep calibrates about once per worker). "
        "A target is never loosened, so it corrects screening that is optimistic: on the "
        "bench's 24/7 CFE case the cost goes from 2-4 % low to -0.4 % to +0.3 % "
        "(`time_aggregation.calibration`; docs/model.md, docs/benchmarks.md).",
    )
    calibration_checks: int = Field(
        2,
        ge=1,
        le=10,
        description="Full-year checks at most per calibration. Default 2: on the bench's "
        "24/7 CFE case the second brings the cost error from -0.7 % to -0.35 %.",
    )
    calibration_reuse_within: float = Field(
        0.1,
        ge=0.0,
        le=1.0,
        description="Reuse a calibration while the plan's new build differs from the "
        "calibrated plan's by at most this share (sum of absolute differences over the sum "
        "of its new build, power and storage energy apart) [-]; 0 calibrates every plan. "
        "Default 0.1, an assumption: gas-price sweeps stay within it, a wind-capex sweep's "
        "mix moves past it (docs/benchmarks.md).",
    )

    @model_validator(mode="after")
    def _check_needs_typical_days(self) -> SolverOptions:
        for name in ("check_full_year", "calibrate_targets"):
            if getattr(self, name) and self.typical_days is None:
                raise ValueError(
                    f"{name} works on a plan screened on typical days; set "
                    f"solver.typical_days or remove {name}"
                )
        return self


class Scenario(_Strict):
    """One AI campus to plan."""

    name: str = Field(min_length=1, max_length=200, description="Short scenario name.")
    description: str = Field("", max_length=5000, description="Free text; cite sources here.")
    site: Site = Field(description="Where the campus is; see `site`.")
    compute: Compute = Field(description="Accelerators and how hard they run; see `compute`.")
    facility: Facility = Field(
        default_factory=lambda: Facility(), description="Cooling and non-IT load; see `facility`."
    )
    technologies: dict[str, TechnologyOptions] = Field(
        default_factory=dict,
        description="Allowed technologies (catalogue keys, see `aip catalog technologies`) "
        "with optional overrides; an empty mapping `{}` allows a technology as catalogued.",
    )
    catalog: str = Field("eia-aeo2026", description="Technology catalogue name.")
    grid: Grid = Field(
        default_factory=lambda: Grid(), description="Utility connection; see `grid`."
    )
    economics: Economics = Field(
        default_factory=lambda: Economics(), description="Money; see `economics`."
    )
    constraints: Constraints = Field(
        default_factory=lambda: Constraints(), description="Owner's limits; see `constraints`."
    )
    solver: SolverOptions = Field(
        default_factory=lambda: SolverOptions(), description="Solver options; see `solver`."
    )

    permits: PermitOptions = Field(
        default_factory=lambda: PermitOptions(),
        description="Air-permit thresholds for the permit view; see `permits`.",
    )
    timeline: Timeline | None = Field(
        None,
        description="Time to power: decision date, compute tranches, grid steps, lead "
        "times and bridges for a staged plan; see `timeline` and docs/time-to-power.md.",
    )
    finance: Finance | None = Field(
        None,
        description="Project finance (capital, revenue, tax, debt, IRR, breakeven LCOE, "
        "$/GPU-hour); see `finance` and docs/finance.md.",
    )
    reliability: Reliability | None = Field(
        None,
        description="Forced-outage Monte Carlo (availability, unserved energy, loss-of-load "
        "hours) and an availability target; see `reliability` and docs/reliability.md.",
    )

    @field_validator("technologies", mode="before")
    @classmethod
    def _none_means_defaults(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: ({} if v is None else v) for k, v in value.items()}
        return value
