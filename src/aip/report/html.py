"""Write one self-contained HTML file for a plan: numbers, figures, sources.

The file embeds plotly.js inline (no CDN), uses system fonts only and links to
nothing, so it opens offline and can be mailed as one attachment.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import plotly.io as pio
from plotly.offline import get_plotlyjs

from aip.errors import AipError
from aip.io.atomic import write_atomic
from aip.plot.figures import PLAN_FIGURES
from aip.plot.palette import FONT_FAMILY, color_for
from aip.plot.static import write_png
from aip.plot.view import PlanView, from_result
from aip.report.load import load_plan_dir
from aip.report.markdown import inline, table
from aip.report.sources import assumptions_table, relevant_sources
from aip.results.plan import PlanResult
from aip.results.summary_table import section_lines

# No plotly logo or cloud links in the mode bar: the report must not link out.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

_CSS = f"""
body {{ font-family: {FONT_FAMILY}; color: #222; margin: 0; background: #fafafa; }}
main {{ max-width: 1100px; margin: 0 auto; padding: 24px 32px; background: #fff; }}
h1 {{ margin-bottom: 4px; }} h2 {{ border-bottom: 1px solid #ddd; padding-bottom: 4px; }}
.sub {{ color: #555; margin-top: 0; }}
.screening {{ background: #fff6e0; border-left: 4px solid #e0a800; padding: 0.4em 0.8em; }}
.numbers {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr));
  gap: 10px; }}
.number {{ border: 1px solid #e3e3e3; border-radius: 6px; padding: 8px 12px; }}
.number .v {{ font-size: 20px; font-weight: 600; }} .number .k {{ color: #555; font-size: 12px; }}
table {{ border-collapse: collapse; font-size: 13px; margin: 8px 0 16px; }}
th, td {{ border-bottom: 1px solid #e3e3e3; padding: 4px 8px; text-align: left;
  vertical-align: top; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
.swatch {{ display: inline-block; width: 10px; height: 10px; margin-right: 6px; }}
.figure {{ margin: 12px 0 28px; }} li {{ margin-bottom: 6px; font-size: 13px; }}
footer {{ color: #777; font-size: 12px; margin-top: 32px; }}
"""


def _fmt(value: Any, digits: int = 1, scale: float = 1.0) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "–"
    return f"{value / scale:,.{digits}f}"


def key_numbers(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """The headline numbers as ``(label with unit, formatted value)``."""
    load = summary.get("load", {})
    costs = summary.get("cost_usd_per_year", {})
    emissions = summary.get("emissions_t_per_year", {})
    firm = summary.get("firm_capacity", {})
    return [
        ("GPUs [-]", _fmt(summary.get("gpus"), 0)),
        ("IT peak [MW]", _fmt(load.get("it_mw_peak"))),
        ("Facility peak [MW]", _fmt(load.get("facility_mw_peak"))),
        ("Firm capacity required [MW]", _fmt(firm.get("required_mw"))),
        (f"N+{firm.get('n_minus', 0)} unit losses [MW]", _fmt(firm.get("contingency_mw"))),
        ("Mean PUE [-]", _fmt(load.get("pue_mean"), 3)),
        ("Facility energy [GWh/yr]", _fmt(load.get("facility_energy_mwh"), 0, 1e3)),
        ("Annual cost [million USD/yr]", _fmt(costs.get("total"), 1, 1e6)),
        ("LCOE [USD/MWh]", _fmt(summary.get("lcoe_usd_per_mwh"))),
        ("Power cost [USD/GPU-hour]", _fmt(summary.get("power_cost_usd_per_gpu_hour"), 3)),
        ("CO2 [kt/yr]", _fmt(emissions.get("co2"), 0, 1e3)),
        ("NOx [t/yr]", _fmt(emissions.get("nox"), 0)),
        ("Clean share [-]", _fmt(summary.get("clean_share"), 3)),
        ("Unserved [MWh/yr]", _fmt(summary.get("unserved_mwh"), 0)),
    ]


def _supply_table(view: PlanView) -> str:
    p_nom = view.summary.get("p_nom_mw", {})
    e_nom = view.summary.get("e_nom_mwh", {})
    energy = view.summary.get("energy_mwh", {})
    served = sum(v for k, v in energy.items() if k != "unserved") or 1.0
    rows = []
    for key in [*view.generators, *view.storage, "grid", "unserved"]:
        mwh = float(energy.get(key, 0.0))
        mw = p_nom.get(key)
        if not mwh and not mw:
            continue
        swatch = f'<span class="swatch" style="background:{color_for(key)}"></span>'
        rows.append(
            f"<tr><td>{swatch}{html.escape(view.label(key))}</td>"
            f'<td class="n">{_fmt(mw)}</td><td class="n">{_fmt(e_nom.get(key), 0)}</td>'
            f'<td class="n">{_fmt(mwh, 0, 1e3)}</td>'
            f'<td class="n">{_fmt(mwh / served if key != "unserved" else None, 3)}</td></tr>'
        )
    head = (
        "<tr><th>source</th><th>capacity [MW]</th><th>storage [MWh]</th>"
        "<th>energy [GWh/yr]</th><th>share of supply [-]</th></tr>"
    )
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def _header(view: PlanView) -> str:
    info = view.summary.get("scenario_info", {})
    site = info.get("site", {}) if isinstance(info, dict) else {}
    parts = [f"<h1>{html.escape(view.name)}</h1>"]
    if site:
        where = ", ".join(
            str(x) for x in (site.get("name"), site.get("us_state")) if x not in (None, "")
        )
        lat, lon = site.get("latitude"), site.get("longitude")
        coords = f" ({_fmt(lat, 3)}°N, {_fmt(lon, 3)}°E)" if lat is not None else ""
        region = site.get("avert_region")
        parts.append(
            f'<p class="sub">{html.escape(where)}{coords}'
            + (f"; AVERT region {html.escape(str(region))}" if region else "")
            + (
                f"; catalogue {html.escape(str(info.get('catalog')))}"
                if info.get("catalog")
                else ""
            )
            + "</p>"
        )
    if isinstance(info, dict) and info.get("description"):
        parts.append(f"<p>{inline(str(info['description']))}</p>")
    aggregation = view.summary.get("time_aggregation")
    if isinstance(aggregation, dict):
        # a screened plan says so before any number is read
        lines = section_lines({"time_aggregation": aggregation})
        parts.append(f'<p class="screening">{html.escape("; ".join(lines))}.</p>')
    return "\n".join(parts)


def _figures(view: PlanView) -> tuple[str, dict[str, Any]]:
    blocks: list[str] = []
    figures: dict[str, Any] = {}
    for name, heading, function in PLAN_FIGURES:
        fig = function(view)
        if fig is None:
            continue
        figures[name] = fig
        div = pio.to_html(
            fig,
            full_html=False,
            include_plotlyjs=False,
            include_mathjax=False,
            config=PLOTLY_CONFIG,
            div_id=f"fig-{name}",
        )
        blocks.append(
            f'<section class="figure" id="{name}"><h2>{html.escape(heading)}</h2>{div}</section>'
        )
    return "\n".join(blocks), figures


def render_report(view: PlanView) -> tuple[str, dict[str, Any]]:
    """The report as one HTML string, and the figures it shows by name."""
    numbers = "".join(
        f'<div class="number"><div class="v">{html.escape(v)}</div>'
        f'<div class="k">{html.escape(k)}</div></div>'
        for k, v in key_numbers(view.summary)
    )
    figure_html, figures = _figures(view)
    sources = "".join(
        f"<li>{inline(s)}</li>" for s in relevant_sources(view.summary, view.generators)
    )
    solve = view.summary.get("solve", {})
    status = html.escape(str(view.summary.get("status", "")))
    body = f"""
<main>
{_header(view)}
<h2>Key numbers</h2>
<div class="numbers">{numbers}</div>
<h2>Supply</h2>
{_supply_table(view)}
{figure_html}
<h2>Data sources</h2>
<p>Bundled with aip (<code>aip/data/SOURCES.md</code>); costs in real 2025 USD unless stated.</p>
<ul>{sources}</ul>
<h2>Assumptions</h2>
<p>Numbers the data lack, as stated in <code>aip/data/SOURCES.md</code>. The full resolved
inputs of this plan are in <code>inputs.json</code> and <code>hourly.csv</code> beside
<code>summary.json</code>.</p>
{table(assumptions_table())}
<footer>Solver {html.escape(str(solve.get("solver", "")))}, status {status},
{_fmt(solve.get("seconds"), 2)} s. Report written {dt.date.today().isoformat()} by aip.</footer>
</main>"""
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(view.name)}: aip plan report</title>
<style>{_CSS}</style>
<script type="text/javascript">{get_plotlyjs()}</script>
</head><body>{body}</body></html>
"""
    return page, figures


def write_report(
    source: PlanResult | PlanView | str | Path,
    path: str | Path,
    png_dir: str | Path | None = None,
) -> dict[str, Path]:
    """Write the self-contained HTML report, and optionally one PNG per figure.

    Parameters
    ----------
    source : PlanResult, PlanView, or path
        A plan result, its view, or a folder written by ``aip plan --out``.
    path : str or Path
        HTML file to write (its folder is created).
    png_dir : str or Path, optional
        Folder for ``<figure>.png`` files (matplotlib, offline).

    Returns
    -------
    dict
        ``report`` and ``png_<figure>`` to the paths written.
    """
    if isinstance(source, PlanResult):
        view = from_result(source)
    elif isinstance(source, PlanView):
        view = source
    else:
        view = load_plan_dir(source)
    page, figures = render_report(view)
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, page)
    except OSError as exc:
        raise AipError(f"cannot write report {target}: {exc.strerror or exc}") from None
    written = {"report": target}
    if png_dir is not None:
        for name, fig in figures.items():
            written[f"png_{name}"] = write_png(fig, Path(png_dir) / f"{name}.png")
    return written
