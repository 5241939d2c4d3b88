"""Readers of the bundled cost tables (EIA AEO2026 Table 3, NREL ATB 2024, REopt CHP).

Thin, validated accessors used by :mod:`aip.data.technologies`; see ``SOURCES.md`` for
each table's origin.
"""

from __future__ import annotations

import functools
import json

import numpy as np
import pandas as pd

from aip.data.bundle import bundled_path, read_bundled_csv
from aip.errors import DataError

EIA_TABLE3 = "costs/eia_aeo2026_emm_table3_new_generation.csv"
ATB_TABLE = "costs/nrel_atb2024_moderate_via_reeds.csv"
REOPT_CHP = "costs/reopt_chp_defaults.json"
#: Duration of EIA's and ATB's reference battery, whose total cost is given per kW [h].
BATTERY_REF_DURATION_H = 4.0


def eia_table3() -> dict[str, dict[str, float]]:
    """EIA AEO2026 EMM Table 3 as ``{technology: {column: value}}`` (2025$; NA -> nan)."""
    table = read_bundled_csv(EIA_TABLE3).set_index("technology")
    return {
        str(tech): {str(col): float(val) for col, val in row.items()}
        for tech, row in table.to_dict(orient="index").items()
    }


def reopt_recip_engine(size_class: int) -> tuple[float, float, float]:
    """REopt CHP reciprocating-engine defaults of one size class.

    Returns
    -------
    (float, float, float)
        Installed cost at the top of the class [USD/kW], O&M [USD/MWh] and electric
        efficiency at full load [fraction, HHV].
    """
    try:
        chp = json.loads(bundled_path(REOPT_CHP).read_text(encoding="utf-8"))["recip_engine"]
        capex = float(chp["installed_cost_per_kw"][size_class][-1])
        vom = float(chp["om_cost_per_kwh"][size_class]) * 1000.0  # USD/kWh -> USD/MWh
        eff = float(chp["electric_efficiency_full_load"][size_class])
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise DataError(f"{REOPT_CHP}: unexpected layout ({exc})") from exc
    return capex, vom, eff


def battery_cost_split(
    durations_h: np.ndarray | list[float],
    total_usd_per_kw: np.ndarray | list[float],
    target_total_usd_per_kw: float,
    target_duration_h: float = BATTERY_REF_DURATION_H,
) -> tuple[float, float]:
    """Split a battery's per-kW cost into power [USD/kW] and energy [USD/kWh] parts.

    Parameters
    ----------
    durations_h : array-like
        Durations of the reference systems [h] (ATB: 2, 4, 8).
    total_usd_per_kw : array-like
        Their total capital cost per kW of power [USD/kW].
    target_total_usd_per_kw : float
        Total cost to reproduce at ``target_duration_h`` [USD/kW].
    target_duration_h : float
        Duration of that total [h].

    Returns
    -------
    (float, float)
        ``(capex_usd_per_kw, capex_usd_per_kwh)`` with
        ``capex_usd_per_kw + target_duration_h * capex_usd_per_kwh == target_total``.

    Notes
    -----
    Least-squares line :math:`C(h) = a + b h` through the reference points, then both parts
    scaled by :math:`s = C^* / (a + b h^*)` so the target total is met exactly.

    Examples
    --------
    >>> [round(x, 6) for x in battery_cost_split([2, 4], [600, 1000], 1000)]
    [200.0, 200.0]
    """
    h = np.asarray(durations_h, dtype=float)
    c = np.asarray(total_usd_per_kw, dtype=float)
    b, a = np.polyfit(h, c, 1)
    scale = target_total_usd_per_kw / (a + b * target_duration_h)
    return float(a * scale), float(b * scale)


@functools.lru_cache(maxsize=1)
@functools.lru_cache(maxsize=1)
def _atb_table() -> pd.DataFrame:
    return read_bundled_csv(ATB_TABLE)


def atb_value(tech: str, year: int, column: str) -> float:
    table = _atb_table()
    hit = table[(table["tech"] == tech) & (table["year"] == year)]
    if len(hit) != 1:
        raise DataError(f"{ATB_TABLE}: expected one row for {tech} {year}")
    return float(hit[column].iloc[0])


def atb_battery_shape() -> tuple[list[float], list[float]]:
    # ATB gives 2-, 4- and 8-hour systems together only for 2030; the shape (not level)
    # of that line fixes the power/energy split.
    hours = [2.0, 4.0, 8.0]
    return hours, [atb_value(f"battery_{int(h)}", 2030, "capcost_usd2022_per_kw") for h in hours]
