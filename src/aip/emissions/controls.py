"""NOx controls as technology variants the optimiser can choose between.

A scenario lists the controls it allows per technology
(``technologies.gas_aero.emission_controls: [dln, scr]``); each becomes its own
column of capacity in the LP, with the control's emission factor and added cost,
and the variants share the technology's capacity limits. Under a NOx cap the
optimiser buys SCR exactly when it is the cheapest way to stay under the cap.

Keys: the catalogue's own control keeps the technology key (``gas_aero``); any
other control gets ``<key>+<control>`` (``gas_aero+scr``).
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import pandas as pd

from aip.data import TechnologyData
from aip.data.bundle import read_bundled_csv
from aip.emissions.conversions import TONNE_PER_LB
from aip.errors import ScenarioError

#: Which control table applies to which catalogue technology.
TECHNOLOGY_CLASS = {
    "gas_aero": "gas_turbine",
    "gas_frame": "gas_turbine",
    "gas_cc": "gas_turbine",
    "gas_recip": "recip_engine",
}

#: The control each catalogue row assumes (its NOx factor equals this control's; tested).
CATALOGUE_CONTROL = {
    "gas_aero": "dln",
    "gas_frame": "dln",
    "gas_cc": "scr",
    "gas_recip": "uncontrolled",
}


@functools.lru_cache(maxsize=1)
def control_table() -> pd.DataFrame:
    """The bundled NOx control options (``emissions/nox_controls.csv``)."""
    return read_bundled_csv("emissions/nox_controls.csv")


def control_options(key: str) -> list[str]:
    """Controls available for a catalogue technology (empty if it has no choice)."""
    cls = TECHNOLOGY_CLASS.get(key)
    if cls is None:
        return []
    table = control_table()
    return [str(c) for c in table.loc[table["technology_class"] == cls, "control"]]


def _control_row(technology_class: str, control: str) -> dict[str, Any]:
    table = control_table()
    match = table[(table["technology_class"] == technology_class) & (table["control"] == control)]
    return {str(k): v for k, v in match.iloc[0].items()}


def variant_key(key: str, control: str) -> str:
    """``key`` for the catalogue's own control, ``key+control`` otherwise."""
    return key if CATALOGUE_CONTROL.get(key) == control else f"{key}+{control}"


def apply_control(tech: TechnologyData, control: str, field: str) -> TechnologyData:
    """The technology with ``control`` fitted: its NOx factor and added costs.

    Costs are added relative to the catalogue's own control (whose row carries its
    costs already): ``capex' = capex + c(control) - c(catalogue control)``.
    """
    options = control_options(tech.key)
    if control not in options:
        allowed = ", ".join(options) if options else "none (this technology has no choice)"
        raise ScenarioError.for_field(field, control, f"one of: {allowed}", "pick a listed control")
    cls = TECHNOLOGY_CLASS[tech.key]
    row = _control_row(cls, control)
    base = _control_row(cls, CATALOGUE_CONTROL[tech.key])
    emissions = dict(tech.emissions_t_per_mmbtu)
    emissions["nox"] = float(row["nox_lb_per_mmbtu"]) * TONNE_PER_LB
    label = tech.label if control == CATALOGUE_CONTROL[tech.key] else f"{tech.label} + {control}"
    return dataclasses.replace(
        tech,
        key=variant_key(tech.key, control),
        label=label,
        capex_usd_per_kw=tech.capex_usd_per_kw
        + float(row["capex_usd_per_kw"] - base["capex_usd_per_kw"]),
        fixed_om_usd_per_kw_year=tech.fixed_om_usd_per_kw_year
        + float(row["fixed_om_usd_per_kw_year"] - base["fixed_om_usd_per_kw_year"]),
        variable_om_usd_per_mwh=tech.variable_om_usd_per_mwh
        + float(row["variable_om_usd_per_mwh"] - base["variable_om_usd_per_mwh"]),
        emissions_t_per_mmbtu=emissions,
        emission_control=control,
        source=f"{tech.source}; NOx control {control}: {row['source']}",
    )


def technology_variants(
    tech: TechnologyData, controls: list[str] | None, field: str
) -> list[TechnologyData]:
    """One technology per allowed control (the catalogue row itself when none are listed)."""
    if not controls:
        return [tech]
    if len(set(controls)) != len(controls):
        raise ScenarioError.for_field(field, controls, "a list without repeats")
    return [apply_control(tech, c, f"{field}[{i}]") for i, c in enumerate(controls)]
