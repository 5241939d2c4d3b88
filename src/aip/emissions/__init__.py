"""Emissions: unit conversions, NOx controls as choices, the air-permit view, 24/7 CFE."""

from aip.emissions.controls import control_options, technology_variants
from aip.emissions.conversions import (
    annual_tonnes,
    lb_per_mmbtu_to_ppm,
    lb_per_mmbtu_to_t_per_mwh,
    ppm_to_lb_per_mmbtu,
)
from aip.emissions.permits import permit_view

__all__ = [
    "annual_tonnes",
    "control_options",
    "lb_per_mmbtu_to_ppm",
    "lb_per_mmbtu_to_t_per_mwh",
    "permit_view",
    "ppm_to_lb_per_mmbtu",
    "technology_variants",
]
