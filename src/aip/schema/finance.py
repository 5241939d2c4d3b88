"""The optional ``finance`` scenario section: capital, revenue, tax, debt and rates.

Every default is either a public figure (with its source in the description) or a
stated assumption. Rates and prices are real (base-year dollars) unless the field
says nominal; ``inflation`` converts between the two (see docs/finance.md).

Examples
--------
>>> from aip.schema.finance import Finance
>>> f = Finance.model_validate({"debt": {"sizing": "leverage", "leverage": 0.6}})
>>> f.debt.rate, f.tax_credit
(0.07, 'none')
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from aip.schema.base import Fraction, NonNegative, _Strict

Rate = Annotated[float, Field(ge=0.0, le=0.5, allow_inf_nan=False)]


class Debt(_Strict):
    """Term debt: sized by leverage or by a minimum DSCR, repaid mortgage-style."""

    sizing: Literal["none", "leverage", "dscr"] = Field(
        "none",
        description="`none` (all equity), `leverage` (debt = leverage x initial capex) or "
        "`dscr` (level payment = min cash flow available for debt service / dscr, capped "
        "at leverage x initial capex).",
    )
    leverage: Fraction = Field(
        0.6,
        description="Debt share of initial capex (cap when sizing = dscr) [-]. Default 0.6: "
        "Crusoe/Blue Owl raised $15B for Abilene including $9.6B of JPMorgan loans, 0.64 "
        "(FACTS.md section 3).",
    )
    dscr: float = Field(
        1.3,
        ge=1.0,
        le=5.0,
        allow_inf_nan=False,
        description="Minimum debt-service coverage ratio when sizing = dscr [-]. "
        "Assumption: 1.3, a common project-finance covenant for contracted cash flows.",
    )
    rate: Rate = Field(
        0.07,
        description="Nominal interest rate [1/yr]. Assumption: 0.07 (about SOFR + 2.5-3 "
        "percentage points for a construction-to-term data-centre loan, 2025).",
    )
    tenor_years: int = Field(15, ge=1, le=40, description="Repayment period [years].")


class Finance(_Strict):
    """Project finance: capital, revenue, tax, debt and discount rates."""

    years: int = Field(
        20, ge=1, le=60, description="Operating years analysed after commercial operation."
    )
    revenue: Literal["gpu_hours", "power_sale"] = Field(
        "gpu_hours",
        description="What the project sells: `gpu_hours` (the whole campus) or "
        "`power_sale` (the power plant alone sells its energy to the campus).",
    )
    gpu_hour_price_usd: NonNegative | None = Field(
        None,
        description="Price of one GPU-hour sold [USD]; default compute.gpu_hour_value_usd.",
    )
    gpu_hours_sold_fraction: Fraction = Field(
        0.9,
        description="Share of the GPU-hours of a year that are sold [-]. Assumption: 0.9, "
        "long-term contracted capacity (Abilene: 15-year Oracle lease) less maintenance.",
    )
    power_price_usd_per_mwh: NonNegative | None = Field(
        None, description="Energy price when revenue = power_sale [USD/MWh]; required then."
    )
    facility_capex_usd_per_mw_it: NonNegative = Field(
        12.5e6,
        description="Shell, electrical and mechanical per MW of IT nameplate [USD/MW]. "
        "Default $12.5M/MW: Abilene $15B / 1.2 GW; cited range $10-18M/MW (CBRE $10.7M, "
        "AI-optimised $12-18M; FACTS.md section 6).",
    )
    facility_life_years: float = Field(
        30.0, gt=0.0, le=100.0, description="Economic life of the facility [years]. Assumption."
    )
    facility_om_fraction: Fraction = Field(
        0.02,
        description="Facility O&M (staff, maintenance, insurance, property tax) per year as a "
        "fraction of facility capex [-]. Assumption: 0.02.",
    )
    facility_build_years: int = Field(
        1,
        ge=1,
        le=10,
        description="Years of facility construction before operation. Default 1: Abilene "
        "took about 12 months from groundbreaking to power (FACTS.md section 5).",
    )
    it_capex_usd_per_gpu: NonNegative | None = Field(
        None,
        description="Accelerator system cost per GPU incl. CPUs, memory, network and racks "
        "[USD]. Default: $35M per MW of IT nameplate x the GPU's IT power (NVIDIA: about "
        "$35B of hardware per GW, FACTS.md section 6; read per GW of IT, an assumption).",
    )
    it_refresh_years: float = Field(
        5.0,
        gt=0.0,
        le=20.0,
        description="Accelerator refresh cycle [years]; hardware is re-bought at the same "
        "real cost. Assumption: 5 (hyperscalers depreciate servers over 5-6 years).",
    )
    it_tax_life_years: int = Field(
        5, ge=1, le=20, description="Straight-line tax life of IT hardware [years]."
    )
    facility_tax_life_years: int = Field(
        39,
        ge=1,
        le=50,
        description="Straight-line tax life of the facility [years]. Default 39: IRS "
        "nonresidential real property (Publication 946).",
    )
    macrs_years: dict[str, Literal[5, 7, 15, 20]] = Field(
        default_factory=dict,
        description="MACRS class per power technology key, overriding the default by "
        "carrier (solar, wind, storage 5; gas, uranium, diesel 15; coal 20) [years].",
    )
    tax_rate: Fraction = Field(
        0.21,
        description="Income tax rate [-]. Default 0.21: US federal corporate rate (IRC "
        "section 11); add state tax where it applies (Texas levies none on income).",
    )
    tax_credit: Literal["none", "itc", "ptc"] = Field(
        "none",
        description="Clean-energy credit: `itc` on clean power capex (solar, wind, nuclear, "
        "storage) or `ptc` per MWh of clean generation (storage then takes the ITC).",
    )
    itc_fraction: Fraction = Field(
        0.30,
        description="Investment tax credit share of eligible capex [-]. Default 0.30: IRC "
        "section 48E with prevailing wage; the depreciable basis drops by half the credit.",
    )
    ptc_usd_per_mwh: NonNegative | None = Field(
        None, description="Production tax credit [USD/MWh]; required when tax_credit = ptc."
    )
    ptc_years: int = Field(10, ge=1, le=30, description="Years the PTC is paid [years].")
    discount_rate: Rate | None = Field(
        None,
        description="Real discount rate of the unlevered project [1/yr]; default "
        "economics.wacc (the rate the plan annualised capital with).",
    )
    cost_of_equity: Rate | None = Field(
        None, description="Real discount rate of equity cash flows [1/yr]; default discount_rate."
    )
    inflation: Annotated[float, Field(ge=0.0, le=0.2, allow_inf_nan=False)] = Field(
        0.0,
        description="Inflation [1/yr]: prices and costs escalate with it; tax depreciation "
        "and debt stay nominal. Default 0 (a pure real model).",
    )
    dollars: Literal["real", "nominal"] = Field(
        "real",
        description="Report cash flows, NPV and IRR in `real` (base-year) or `nominal` dollars.",
    )
    draw_schedule: list[Fraction] | None = Field(
        None,
        description="Share of all initial capex spent per construction year, the last being "
        "the year before operation; must sum to 1. Default: power assets over their catalogue "
        "lead time, the facility over facility_build_years, IT in the last year.",
    )
    debt: Debt = Field(default_factory=lambda: Debt(), description="Term debt; see `finance.debt`.")
    sensitivity: Fraction = Field(
        0.2,
        description="Relative swing of each tornado driver (capex, gas price, GPU-hour price, "
        "utilisation) [-]; WACC swings by +-0.02.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Finance:
        if self.revenue == "power_sale" and self.power_price_usd_per_mwh is None:
            raise ValueError(
                "finance.power_price_usd_per_mwh is missing while finance.revenue is "
                "'power_sale'; add the energy price [USD/MWh]"
            )
        if self.tax_credit == "ptc" and self.ptc_usd_per_mwh is None:
            raise ValueError(
                "finance.ptc_usd_per_mwh is missing while finance.tax_credit is 'ptc'; "
                "add the credit [USD/MWh]"
            )
        if self.draw_schedule is not None:
            total = sum(self.draw_schedule)
            if not self.draw_schedule or abs(total - 1.0) > 1e-6:
                raise ValueError(
                    f"finance.draw_schedule sums to {total:.6g}; its shares must sum to 1"
                )
        return self
