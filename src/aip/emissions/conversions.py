"""Unit conversions for stack emissions: ppm, lb/MMBtu, t/MWh and t/yr.

Examples
--------
>>> round(ppm_to_lb_per_mmbtu(2.0), 4)
0.0074
>>> round(lb_per_mmbtu_to_t_per_mwh(0.099, heat_rate_mmbtu_per_mwh=9.447), 6)
0.000424
>>> round(annual_tonnes(0.000424, p_mw=50.0, hours=8760.0), 1)
185.7
"""

from __future__ import annotations

#: Mass of one pound [t] (exact).
TONNE_PER_LB = 0.45359237e-3
#: Density of NO2 (the mass basis of NOx) per ppm at EPA standard conditions
#: (20 degC, 1 atm): 46.01 g/mol / 385.3 dscf/lb-mol -> 1.194e-7 lb/dscf per ppm.
NO2_LB_PER_DSCF_PER_PPM = 1.194e-7
#: EPA Method 19 dry F-factor for natural gas [dscf/MMBtu].
F_D_NATURAL_GAS = 8710.0
#: Oxygen in air [%], the Method 19 correction base.
O2_AIR_PERCENT = 20.9


def ppm_to_lb_per_mmbtu(
    ppm: float,
    *,
    o2_reference_percent: float = 15.0,
    f_d_dscf_per_mmbtu: float = F_D_NATURAL_GAS,
    lb_per_dscf_per_ppm: float = NO2_LB_PER_DSCF_PER_PPM,
) -> float:
    """Concentration limit to an emission factor [lb/MMBtu] (EPA Method 19).

    Notes
    -----
    ``E = C_ppm k F_d 20.9 / (20.9 - %O2_ref)`` with ``k`` the pollutant's mass per dscf
    per ppm (NO2 by default).

    References
    ----------
    40 CFR Part 60, Appendix A-7, Method 19, equation 19-1.
    """
    return (
        ppm
        * lb_per_dscf_per_ppm
        * f_d_dscf_per_mmbtu
        * O2_AIR_PERCENT
        / (O2_AIR_PERCENT - o2_reference_percent)
    )


def lb_per_mmbtu_to_ppm(lb_per_mmbtu: float, *, o2_reference_percent: float = 15.0) -> float:
    """Inverse of :func:`ppm_to_lb_per_mmbtu` for natural gas and NOx [ppmvd]."""
    return lb_per_mmbtu / ppm_to_lb_per_mmbtu(1.0, o2_reference_percent=o2_reference_percent)


def lb_per_mmbtu_to_t_per_mwh(lb_per_mmbtu: float, *, heat_rate_mmbtu_per_mwh: float) -> float:
    """Fuel-input factor to an output rate [t/MWh]: ``lb/MMBtu x HR x 0.45359237e-3``."""
    return lb_per_mmbtu * heat_rate_mmbtu_per_mwh * TONNE_PER_LB


def annual_tonnes(rate_t_per_mwh: float, *, p_mw: float, hours: float = 8760.0) -> float:
    """Emissions of ``p_mw`` running ``hours`` a year at ``rate_t_per_mwh`` [t/yr]."""
    return rate_t_per_mwh * p_mw * hours
