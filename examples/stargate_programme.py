"""Stargate-scale programme sanity check: ~10 GW for ~$500B.

Stargate (launched 21 Jan 2025) aims at 10 GW for $500B; by Sep 2025 five new sites brought
it to about 7 GW and over $400B, by Oct 2025 past 8 GW and $450B; industry rule of thumb:
1 GW costs about $50B (FACTS.md section 3: centerconsulting, benzinga-sep25, cna25).

A programme of several campuses is not one LP. We plan one campus, examples/stargate-abilene.yaml
(400,000 GB200, project finance as documented there), read its initial capital (power plant,
facility, IT hardware) per MW and scale it linearly to the programme. Linear scaling is an
assumption: it ignores site-to-site differences in power strategy and land, and volume
discounts. Run: ``python examples/stargate_programme.py`` (a few seconds).
"""

from __future__ import annotations

from pathlib import Path

import aip

HERE = Path(__file__).parent
PUBLIC = {"gw": 10.0, "usd": 500e9, "usd_per_gw_rule_of_thumb": 50e9}
"""Public programme targets (FACTS.md section 3)."""


def programme(gw: float = PUBLIC["gw"], scenario: Path = HERE / "stargate-abilene.yaml") -> dict:
    """Initial capital of a ``gw`` programme built like ``scenario`` [USD].

    Parameters
    ----------
    gw : float
        Programme size [GW], read two ways: as IT nameplate and as facility peak power.
    scenario : Path
        A campus scenario with a ``finance`` section.

    Returns
    -------
    dict
        ``usd_per_mw_it`` and ``usd_per_mw_facility`` [USD/MW] of the campus, and the
        programme capital [USD] on each reading, with the public $500B for comparison.
    """
    result = aip.plan(scenario)
    fin = result.sections["finance"]
    per_mw_it = float(fin["capex_usd_per_mw_it"])
    per_mw_fac = float(fin["capex_usd_per_mw_facility_peak"])
    return {
        "campus_capital_usd": float(fin["capital_usd"]["total"]),
        "campus_it_nameplate_mw": float(fin["it_nameplate_mw"]),
        "campus_facility_peak_mw": float(result.load.facility_mw_peak),
        "usd_per_mw_it": per_mw_it,
        "usd_per_mw_facility": per_mw_fac,
        "programme_usd_if_gw_is_it": per_mw_it * gw * 1e3,
        "programme_usd_if_gw_is_facility": per_mw_fac * gw * 1e3,
        "public_usd": PUBLIC["usd"] * gw / PUBLIC["gw"],
        "rule_of_thumb_usd": PUBLIC["usd_per_gw_rule_of_thumb"] * gw,
    }


if __name__ == "__main__":
    for key, value in programme().items():
        print(f"{key:34s} {value:,.0f}")
