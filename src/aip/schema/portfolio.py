"""The portfolio file: candidate campuses with options, partners, budgets and limits.

A portfolio is not a scenario section: it is its own YAML file that names scenario files
(or holds scenarios inline) and says how a consortium may spend its capital. Every
candidate campus crosses its size tiers with its power strategies; each such option is
planned with the core model and finance, and a MILP picks at most one option per site
(see docs/portfolio.md).

Examples
--------
>>> from aip.schema.portfolio import Portfolio
>>> p = Portfolio.model_validate({
...     "name": "tiny", "capital": {"equity_usd": 1e9},
...     "candidates": [{"site": "a", "scenario": "a.yaml"}]})
>>> p.capital.max_leverage, p.sizes["base"].scale, list(p.strategies)
(0.7, 1.0, ['as_is'])
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from aip.errors import ScenarioError
from aip.schema.base import Fraction, NonNegative, _Strict
from aip.schema.loading import read_yaml_file, validation_error


class Capital(_Strict):
    """The consortium's money."""

    equity_usd: NonNegative = Field(
        description="Equity the consortium may commit in total [USD] (AIP: $30B, FACTS.md §1)."
    )
    max_leverage: Fraction = Field(
        0.7,
        description="Cap on debt as a share of the selected options' initial capex [-]. "
        "Default 0.7: AIP's $30B of equity mobilising up to $100B with debt (FACTS.md §1).",
    )
    max_debt_usd: NonNegative | None = Field(
        None, description="Cap on total debt [USD]; none by default."
    )
    equity_per_year_usd: NonNegative | None = Field(
        None,
        description="Cap on equity committed in any one decision year [USD] (with phasing).",
    )


class Size(_Strict):
    """A size tier: scales the candidate's compute.count."""

    scale: float = Field(gt=0.0, le=100.0, allow_inf_nan=False, description="compute.count x [-].")
    description: str = Field("", max_length=500, description="Free text.")


class Strategy(_Strict):
    """A power strategy: scenario overrides by dotted path (e.g. `grid.import_limit_mw`)."""

    description: str = Field("", max_length=500, description="Free text.")
    set: dict[str, Any] = Field(
        default_factory=dict,
        description="Dotted scenario path -> value, e.g. `{technologies: {pv: {}, battery: {}}, "
        "constraints.min_clean_share: 0.5}`; a mapping replaces the whole field.",
    )


class Candidate(_Strict):
    """One candidate campus: a base scenario and the options to try there."""

    site: str = Field(min_length=1, max_length=100, description="Unique candidate name.")
    scenario: str | dict[str, Any] = Field(
        description="Scenario file (relative to the portfolio file) or an inline scenario."
    )
    country: str | None = Field(
        None,
        description="ISO 3166-1 alpha-3 country; default the bundled station's country.",
    )
    us_state: str | None = Field(None, description="US state code; default the station's.")
    set: dict[str, Any] = Field(
        default_factory=dict, description="Overrides applied to this candidate's base scenario."
    )
    sizes: list[str] | None = Field(None, description="Size tiers to try; default all.")
    strategies: list[str] | None = Field(None, description="Strategies to try; default all.")
    required: bool = Field(False, description="The portfolio must include this site.")


class Partner(_Strict):
    """A consortium member."""

    name: str = Field(min_length=1, max_length=100, description="Partner name.")
    equity_usd: NonNegative = Field(description="Equity commitment [USD].")
    return_target: float | None = Field(
        None,
        ge=-0.5,
        le=1.0,
        allow_inf_nan=False,
        description="Equity IRR the partner wants [1/yr]; reported as met or not.",
    )
    countries: list[str] = Field(
        default_factory=list,
        description="Preferred countries (ISO alpha-3); its equity goes there first when "
        "allocation = preference. Empty: no preference.",
    )


class Region(_Strict):
    """A group of countries and/or US states with a floor and a cap on equity."""

    countries: list[str] = Field(default_factory=list, description="ISO alpha-3 codes.")
    us_states: list[str] = Field(default_factory=list, description="US state codes.")
    min_equity_usd: NonNegative = Field(0.0, description="Minimum equity in the region [USD].")
    max_equity_usd: NonNegative | None = Field(None, description="Cap [USD].")
    min_share: Fraction = Field(0.0, description="Minimum share of committed equity [-].")
    max_share: Fraction = Field(1.0, description="Maximum share of committed equity [-].")

    @model_validator(mode="after")
    def _members(self) -> Region:
        if not self.countries and not self.us_states:
            raise ValueError("a region needs countries or us_states; add at least one")
        return self


Term = Literal["npv", "gpu_hours", "it_mw_online"]


def _npv_only() -> dict[Term, float]:
    return {"npv": 1.0}


class Objective(_Strict):
    """What the MILP maximises: a weighted mix of normalised terms."""

    weights: dict[Term, NonNegative] = Field(
        default_factory=_npv_only,
        description="Weight per term: `npv` (equity NPV, discounted to the start year), "
        "`gpu_hours` (GPU-hours delivered within the horizon), `it_mw_online` (IT MW online "
        "by `online_by`). Each term is divided by its largest attainable value first.",
    )
    online_by: int | None = Field(
        None, ge=2000, le=2200, description="Year for `it_mw_online` (online on 1 Jan)."
    )

    @model_validator(mode="after")
    def _complete(self) -> Objective:
        if not any(w > 0 for w in self.weights.values()):
            raise ValueError("objective.weights has no positive weight; give one, e.g. npv: 1")
        if self.weights.get("it_mw_online", 0.0) > 0 and self.online_by is None:
            raise ValueError("objective.online_by is missing while it_mw_online has a weight")
        return self


class Limits(_Strict):
    """Portfolio-wide limits."""

    co2_t_per_year: NonNegative | None = Field(None, description="Total CO2 [t/yr].")
    nox_t_per_year: NonNegative | None = Field(None, description="Total on-site NOx [t/yr].")
    max_site_share: Fraction = Field(
        1.0, description="Cap on one site's share of the selected capex [-]."
    )
    min_equity_irr: float | None = Field(
        None,
        ge=-0.5,
        le=1.0,
        allow_inf_nan=False,
        description="Options with a lower equity IRR are not eligible [1/yr].",
    )


class Phasing(_Strict):
    """Decision years: an option may start in any of them (one start per site)."""

    years: int = Field(1, ge=1, le=10, description="Number of decision years from start_year.")


class Portfolio(_Strict):
    """A consortium's capital allocation problem."""

    name: str = Field(min_length=1, max_length=200, description="Short name.")
    description: str = Field("", max_length=5000, description="Free text; cite sources.")
    start_year: int = Field(2026, ge=2000, le=2200, description="First decision year.")
    horizon_years: int = Field(
        10, ge=1, le=60, description="Years from start_year over which GPU-hours count."
    )
    discount_rate: float = Field(
        0.1,
        ge=0.0,
        le=0.5,
        allow_inf_nan=False,
        description="Rate that discounts an option's NPV for a later start [1/yr]. "
        "Assumption: 0.1, a cost of equity for infrastructure.",
    )
    capital: Capital = Field(description="Equity and leverage; see `capital`.")
    finance: dict[str, Any] = Field(
        default_factory=dict,
        description="Default `finance` section for candidates whose scenario has none.",
    )
    sizes: dict[str, Size] = Field(
        default_factory=lambda: {"base": Size(scale=1.0)},
        min_length=1,
        description="Size tiers by name.",
    )
    strategies: dict[str, Strategy] = Field(
        default_factory=lambda: {"as_is": Strategy()},
        min_length=1,
        description="Power strategies by name.",
    )
    candidates: list[Candidate] = Field(min_length=1, description="Candidate campuses.")
    partners: list[Partner] = Field(default_factory=list, description="Consortium members.")
    allocation: Literal["pro_rata", "preference"] = Field(
        "pro_rata",
        description="How partners fund options: `pro_rata` (commitment shares everywhere) or "
        "`preference` (same total share each, tilted to preferred countries).",
    )
    regions: dict[str, Region] = Field(default_factory=dict, description="Floors and caps.")
    objective: Objective = Field(default_factory=lambda: Objective(), description="Objective.")
    limits: Limits = Field(default_factory=lambda: Limits(), description="Limits.")
    phasing: Phasing = Field(default_factory=lambda: Phasing(), description="Decision years.")
    mip_gap: Fraction = Field(1e-4, description="Relative MIP gap at which HiGHS stops [-].")
    time_limit_s: float = Field(60.0, gt=0.0, le=3600.0, description="MILP time limit [s].")

    @model_validator(mode="after")
    def _consistent(self) -> Portfolio:
        names = [c.site for c in self.candidates]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"candidate sites must be unique; repeated: {', '.join(dup)}")
        for c in self.candidates:
            for kind, chosen, known in (
                ("sizes", c.sizes, self.sizes),
                ("strategies", c.strategies, self.strategies),
            ):
                unknown = [n for n in chosen or [] if n not in known]
                if unknown:
                    raise ValueError(
                        f"candidate {c.site!r}: {kind} {unknown} not defined; "
                        f"known: {', '.join(known)}"
                    )
                if chosen is not None and not chosen:
                    raise ValueError(f"candidate {c.site!r}: {kind} is empty; omit it for all")
        return self


def parse_portfolio(data: Any, source: str = "portfolio") -> Portfolio:
    """Validate a portfolio given as a mapping; errors name the field in one line."""
    if isinstance(data, Portfolio):
        return data
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{source}: a portfolio must be a mapping (name, capital, candidates, ...); "
            "see examples/aip-portfolio.yaml"
        )
    try:
        return Portfolio.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, source, Portfolio) from None


def load_portfolio(path: str | Path) -> tuple[Portfolio, Path]:
    """Read and validate a portfolio file.

    Returns
    -------
    (Portfolio, Path)
        The portfolio and the folder its relative scenario paths are resolved against.

    Raises
    ------
    ScenarioError
        Missing file, YAML error or invalid field (one line naming it).
    """
    file = Path(path)
    return parse_portfolio(read_yaml_file(file, "portfolio"), source=str(file)), file.parent
