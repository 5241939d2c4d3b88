"""Air-permit thresholds the permit view compares a plan's emissions with."""

from __future__ import annotations

from pydantic import Field

from aip.schema.base import NonNegative, _Strict


class PermitOptions(_Strict):
    """Thresholds for the permit view (US Clean Air Act defaults, attainment areas)."""

    major_source_t_per_year: NonNegative = Field(
        100.0,
        description="Title V major-source threshold for any criteria pollutant [t/yr] "
        "(42 U.S.C. 7661(2), 7602(j): 100 tons/yr; lower in serious-or-worse ozone "
        "nonattainment areas: 50, 25 or 10). aip treats tons as tonnes (10 % apart, noted).",
    )
    psd_t_per_year: NonNegative = Field(
        250.0,
        description="PSD major stationary source threshold for sources not in the 28 listed "
        "categories [t/yr] (40 CFR 52.21(b)(1)(i)).",
    )
    psd_listed_t_per_year: NonNegative = Field(
        100.0,
        description="PSD threshold for listed categories, including fossil-fuel fired steam "
        "electric plants above 250 MMBtu/h heat input (coal, combined cycle) [t/yr].",
    )
