"""The permit view: what a plan could emit and will emit, against air-permit thresholds.

Potential to emit (PTE) is the Clean Air Act's yardstick: every on-site unit at full
capacity for all 8,760 hours, before any enforceable operating limit. Expected
emissions come from the plan's dispatch. A source whose PTE of any criteria pollutant
(NOx, SO2, PM2.5 here) reaches the Title V threshold is a *major source*; the PSD
threshold is 250 t/yr, or 100 t/yr for listed categories such as fossil-fuel fired steam
electric plants above 250 MMBtu/h (combined cycle, coal).

Grid imports are the utility's emissions and are reported apart: they need no site
permit.
"""

from __future__ import annotations

from typing import Any

from aip.optimize.inputs import POLLUTANTS
from aip.results.plan import PlanResult
from aip.schema.permits import PermitOptions

CRITERIA = ("nox", "so2", "pm25")
#: Technologies in the PSD "fossil-fuel fired steam electric plant" category.
STEAM_ELECTRIC = {"gas_cc", "coal"}
#: Heat input above which a steam electric plant is a listed PSD source [MMBtu/h].
STEAM_ELECTRIC_MMBTU_PER_H = 250.0
HOURS_PER_YEAR = 8760.0


def permit_view(
    result: PlanResult, options: PermitOptions, nox_cap_t_per_year: float | None = None
) -> dict[str, Any]:
    """Potential and expected on-site emissions against thresholds, with the verdict.

    Returns
    -------
    dict
        ``nox_potential_t_per_year``, ``nox_expected_t_per_year``, ``major_source``,
        ``psd_major_source``, per-pollutant ``potential_t_per_year`` and
        ``expected_t_per_year``, per-unit ``units``, the thresholds used and a one-line
        ``verdict``.

    Examples
    --------
    >>> from aip.optimize import optimize
    >>> from aip.optimize.examples import two_hour_example
    >>> view = permit_view(optimize(two_hour_example()), PermitOptions())
    >>> view["major_source"]
    False
    """
    inputs = result.inputs
    w = inputs.weights
    potential = dict.fromkeys(POLLUTANTS, 0.0)
    expected = dict.fromkeys(POLLUTANTS, 0.0)
    units = []
    steam_heat_input = 0.0
    for g in inputs.generators:
        rates = g.emissions_t_per_mwh
        if not any(rates.values()):
            continue
        p_nom = result.p_nom_mw[g.key]
        energy = result.energy_mwh[g.key]
        unit_potential = {p: rates[p] * p_nom * HOURS_PER_YEAR for p in POLLUTANTS}
        unit_expected = {p: rates[p] * energy for p in POLLUTANTS}
        for p in POLLUTANTS:
            potential[p] += unit_potential[p]
            expected[p] += unit_expected[p]
        if g.group_key in STEAM_ELECTRIC:
            steam_heat_input += p_nom * g.heat_rate_mmbtu_per_mwh
        if p_nom > 0:
            units.append(
                {
                    "technology": g.key,
                    "p_nom_mw": p_nom,
                    "capacity_factor": energy / (p_nom * float(w.sum())) if p_nom else 0.0,
                    "nox_t_per_mwh": rates["nox"],
                    "potential_t_per_year": unit_potential,
                    "expected_t_per_year": unit_expected,
                }
            )
    listed = steam_heat_input > STEAM_ELECTRIC_MMBTU_PER_H
    psd_threshold = options.psd_listed_t_per_year if listed else options.psd_t_per_year
    major = any(potential[p] >= options.major_source_t_per_year for p in CRITERIA)
    psd = any(potential[p] >= psd_threshold for p in CRITERIA)
    within_cap = (
        None if nox_cap_t_per_year is None else expected["nox"] <= nox_cap_t_per_year + 1e-6
    )
    worst = max(CRITERIA, key=lambda p: potential[p])
    if psd:
        verdict = (
            f"PSD major source: potential {worst.upper()} {potential[worst]:,.0f} t/yr >= "
            f"{psd_threshold:g}; needs a PSD permit with BACT, or enforceable limits"
        )
    elif major:
        verdict = (
            f"Title V major source: potential {worst.upper()} {potential[worst]:,.0f} t/yr >= "
            f"{options.major_source_t_per_year:g}"
        )
    else:
        verdict = "minor source: every criteria pollutant below the major-source threshold"
    return {
        "nox_potential_t_per_year": potential["nox"],
        "nox_expected_t_per_year": expected["nox"],
        "major_source": major,
        "psd_major_source": psd,
        "psd_listed_category": listed,
        "nox_cap_t_per_year": nox_cap_t_per_year,
        "within_nox_cap": within_cap,
        "potential_t_per_year": potential,
        "expected_t_per_year": expected,
        "thresholds_t_per_year": {
            "major_source": options.major_source_t_per_year,
            "psd": psd_threshold,
        },
        "grid_t_per_year": {
            p: float((w * inputs.grid.emissions_t_per_mwh[p]) @ result.hourly["grid_import_mw"])
            for p in POLLUTANTS
        },
        "units": units,
        "verdict": verdict,
    }
