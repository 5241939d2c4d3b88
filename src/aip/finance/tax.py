"""Tax depreciation schedules: MACRS (energy assets) and straight line (IT, buildings).

References
----------
.. [1] IRS Publication 946, *How to Depreciate Property*, Appendix A, Table A-1
   (GDS, half-year convention; 5- and 7-year 200 % DB, 15- and 20-year 150 % DB).
.. [2] IRC section 168(e)(3)(B)(vi): solar and wind property is 5-year property;
   Rev. Proc. 87-56 asset classes 49.13 (combustion turbine plant, 15-year),
   49.12 (nuclear, 15-year) and 49.11 (steam plant, 20-year).
"""

from __future__ import annotations

from aip.errors import ScenarioError

# Table A-1 of IRS Publication 946, percent of basis per tax year, as fractions.
# fmt: off
MACRS: dict[int, tuple[float, ...]] = {
    5: (0.20, 0.32, 0.192, 0.1152, 0.1152, 0.0576),
    7: (0.1429, 0.2449, 0.1749, 0.1249, 0.0893, 0.0892, 0.0893, 0.0446),
    15: (0.05, 0.095, 0.0855, 0.077, 0.0693, 0.0623, 0.059, 0.059,
         0.0591, 0.059, 0.0591, 0.059, 0.0591, 0.059, 0.0591, 0.0295),
    20: (0.0375, 0.07219, 0.06677, 0.06177, 0.05713, 0.05285, 0.04888, 0.04522,
         0.04462, 0.04461, 0.04462, 0.04461, 0.04462, 0.04461, 0.04462, 0.04461,
         0.04462, 0.04461, 0.04462, 0.04461, 0.02231),
}
# fmt: on

# MACRS class by carrier (reference [2]); storage ("electricity") is 5-year energy
# property like the solar it usually pairs with. Diesel gensets: assumption, same
# class as combustion turbines.
MACRS_CLASS_BY_CARRIER: dict[str, int] = {
    "solar": 5,
    "wind": 5,
    "electricity": 5,
    "gas": 15,
    "uranium": 15,
    "diesel": 15,
    "coal": 20,
}


def macrs(years: int) -> tuple[float, ...]:
    """MACRS fractions of the depreciable basis per tax year, half-year convention.

    Examples
    --------
    >>> macrs(5)
    (0.2, 0.32, 0.192, 0.1152, 0.1152, 0.0576)
    >>> round(sum(macrs(20)), 6)
    1.0
    """
    if years not in MACRS:
        raise ScenarioError.for_field(
            "finance.macrs_years", years, f"one of {sorted(MACRS)}", "pick a MACRS class"
        )
    return MACRS[years]


def straight_line(years: int) -> tuple[float, ...]:
    """Equal fractions of the basis over ``years`` tax years.

    Examples
    --------
    >>> straight_line(4)
    (0.25, 0.25, 0.25, 0.25)
    """
    if years < 1:
        raise ScenarioError.for_field("tax life", years, "at least 1 year")
    return tuple(1.0 / years for _ in range(years))


def macrs_class(carrier: str, key: str, overrides: dict[str, int]) -> int:
    """MACRS class of a power technology: the scenario's override, else by carrier."""
    if key in overrides:
        return int(overrides[key])
    return MACRS_CLASS_BY_CARRIER.get(carrier, 15)
