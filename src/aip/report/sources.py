"""Pick the entries of the bundled ``SOURCES.md`` that a plan relied on.

A report names its data: the weather station's row, the cost catalogue, the
emission rates (AVERT, AP-42), grid prices and accelerator data, and the table
of stated assumptions. Entries are copied from ``aip/data/SOURCES.md`` so the
report and the package never disagree.
"""

from __future__ import annotations

from typing import Any

from aip.data.bundle import read_bundled_text

# Bullets of SOURCES.md to cite per catalogue (file names as they appear there).
_CATALOG_FILES = {
    "eia-aeo2026": ("eia_aeo2026_emm_table3", "nrel_atb2024"),
    "nrel-atb2024": ("nrel_atb2024",),
}


def _sections(text: str) -> dict[str, str]:
    """Level-2 sections of a markdown file by heading text."""
    out: dict[str, str] = {}
    heading = ""
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
            out[heading] = ""
        elif heading:
            out[heading] += line + "\n"
    return out


def _bullets(section: str) -> list[str]:
    """Top-level ``- `` bullets of a section, continuation lines joined."""
    items: list[str] = []
    for line in section.splitlines():
        if line.startswith("- "):
            items.append(line[2:].strip())
        elif items and line.startswith("  ") and line.strip():
            items[-1] += " " + line.strip()
    return items


def _section(sections: dict[str, str], prefix: str) -> str:
    return next((body for name, body in sections.items() if name.startswith(prefix)), "")


def relevant_sources(summary: dict[str, Any], generators: tuple[str, ...]) -> list[str]:
    """Markdown snippets (one per data source) that this plan used.

    Parameters
    ----------
    summary : dict
        The plan summary; its ``scenario_info`` section names station and catalogue.
    generators : tuple of str
        Technology keys of the plan (selects the engine row source).
    """
    sections = _sections(read_bundled_text("SOURCES.md"))
    info = summary.get("scenario_info", {}) if isinstance(summary, dict) else {}
    site = info.get("site", {}) if isinstance(info, dict) else {}
    out: list[str] = []
    weather = str(site.get("weather_source", ""))
    rows = [
        line
        for line in _section(sections, "weather/").splitlines()
        if line.startswith("| ")
        and line.split("|")[1].strip()
        and line.split("|")[1].strip() in weather
    ]
    if rows:
        cells = [c.strip() for c in rows[0].strip("|").split("|")]
        out.append(
            f"Weather: {cells[0]}, station {cells[1]}, standing for `{cells[2]}`; "
            f"{cells[3]}; licence: {cells[4]}."
        )
    elif weather:
        out.append(f"Weather: {weather} (user-supplied).")
    catalog = str(info.get("catalog", "eia-aeo2026"))
    wanted = list(_CATALOG_FILES.get(catalog, ()))
    if "gas_recip" in generators:
        wanted.append("reopt_chp_defaults")
    out += [b for b in _bullets(_section(sections, "costs/")) if any(w in b for w in wanted)]
    out += _bullets(_section(sections, "emissions/"))
    if summary.get("energy_mwh", {}).get("grid", 0.0) > 0 or info.get("grid_price_kind") == "state":
        out += _bullets(_section(sections, "prices/"))
    out += _bullets(_section(sections, "hardware/"))
    return out


def assumptions_table() -> str:
    """The markdown table of stated assumptions from SOURCES.md."""
    body = _section(_sections(read_bundled_text("SOURCES.md")), "Stated assumptions")
    return "\n".join(line for line in body.splitlines() if line.startswith("|"))
