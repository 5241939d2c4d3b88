"""Show and write a portfolio: rich tables, JSON/CSV files and a self-contained HTML page."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import plotly.io as pio
from plotly.offline import get_plotlyjs
from rich.console import Console
from rich.table import Table

from aip.errors import AipError, InfeasibleError, ScenarioError
from aip.io.atomic import write_file_set
from aip.portfolio.run import PortfolioResult


def _bn(value: float | None) -> str:
    return "" if value is None else f"{value / 1e9:,.2f}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f} %"


def allocation_rows(summary: dict[str, Any]) -> list[list[str]]:
    """Rows of the allocation table (money in USD bn)."""
    return [
        [
            s["site"],
            s["country"] + (f"-{s['us_state']}" if s.get("us_state") else ""),
            f"{s['p_it_mw']:,.0f}",
            s["strategy"],
            _bn(s["capex_usd"]),
            _bn(s["equity_usd"]),
            _bn(s["debt_usd"]),
            str(s["online_year"]),
            _pct(s["equity_irr"]),
        ]
        for s in summary["selected"]
    ]


_HEAD = [
    "site",
    "country",
    "IT_MW",
    "strategy",
    "capex_$bn",
    "equity_$bn",
    "debt_$bn",
    "online",
    "equity_IRR",
]


def print_portfolio(summary: dict[str, Any], console: Console) -> None:
    """Allocation, totals against budgets and partners as rich tables."""
    table = Table(title=f"{summary['name']}: selected campuses", title_justify="left")
    for head in _HEAD:
        table.add_column(head.replace("_", " "))
    for row in allocation_rows(summary):
        table.add_row(*row)
    console.print(table)
    t, cap = summary["totals"], summary["capital"]
    budget = Table(title="Totals against budgets", title_justify="left")
    for head in ("item", "total", "limit"):
        budget.add_column(head)
    budget.add_row("equity [USD bn]", _bn(t["equity_usd"]), _bn(cap["equity_usd"]))
    budget.add_row("debt / capex", _pct(t["leverage"]), _pct(cap["max_leverage"]))
    budget.add_row("capex [USD bn]", _bn(t["capex_usd"]), "")
    budget.add_row("IT [MW]", f"{t['p_it_mw']:,.0f}", "")
    budget.add_row("CO2 [Mt/yr]", f"{t['co2_t_per_year'] / 1e6:,.2f}", "")
    budget.add_row("NOx [t/yr]", f"{t['nox_t_per_year']:,.0f}", "")
    console.print(budget)
    people = Table(title="Partners", title_justify="left")
    for head in ("partner", "commitment $bn", "equity $bn", "IRR", "target", "met"):
        people.add_column(head)
    for p in summary["partners"]:
        met = "" if p["meets_target"] is None else ("yes" if p["meets_target"] else "no")
        people.add_row(
            p["name"],
            _bn(p["commitment_usd"]),
            _bn(p["equity_usd"]),
            _pct(p["irr"]),
            _pct(p["return_target"]),
            met,
        )
    console.print(people)
    failed = [o for o in summary["options"] if o.get("error")]
    console.print(
        f"MILP {summary['status']}, gap {summary['mip_gap']:.2g}, "
        f"{len(summary['options'])} options planned, {len(failed)} not feasible"
    )


def render_html(summary: dict[str, Any]) -> str:
    """One self-contained HTML page (plotly.js inline, no links out)."""
    from aip.plot.portfolio import PORTFOLIO_FIGURES

    head = "".join(f"<th>{html.escape(h.replace('_', ' '))}</th>" for h in _HEAD)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
        for row in allocation_rows(summary)
    )
    partners = "".join(
        f"<tr><td>{html.escape(p['name'])}</td><td>{_bn(p['equity_usd'])}</td>"
        f"<td>{_pct(p['irr'])}</td></tr>"
        for p in summary["partners"]
    )
    figures = "".join(
        f"<h2>{html.escape(heading)}</h2>"
        + pio.to_html(
            function(summary),
            full_html=False,
            include_plotlyjs=False,
            config={"displaylogo": False},
            div_id=f"fig-{name}",
        )
        for name, heading, function in PORTFOLIO_FIGURES
    )
    t = summary["totals"]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(summary["name"])}</title>
<style>body {{ font-family: Helvetica, Arial, sans-serif; max-width: 1100px; margin: auto; }}
td, th {{ border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; }}</style>
<script type="text/javascript">{get_plotlyjs()}</script></head><body>
<h1>{html.escape(summary["name"])}: aip portfolio</h1>
<p>Equity {_bn(t["equity_usd"])} bn USD, debt {_bn(t["debt_usd"])} bn, capex
{_bn(t["capex_usd"])} bn, {t["p_it_mw"]:,.0f} MW of IT; MILP {html.escape(summary["status"])},
gap {summary["mip_gap"]:.2g}.</p>
<table><tr>{head}</tr>{body}</table>
<h2>Partners</h2><table><tr><th>partner</th><th>equity $bn</th><th>IRR</th></tr>{partners}
</table>{figures}</body></html>
"""


def write_portfolio(result: PortfolioResult, out_dir: str | Path) -> dict[str, Path]:
    """Write portfolio.json, options.csv, selected.csv, cash_flows.csv and report.html."""
    folder = Path(out_dir)
    summary = result.to_dict()
    files = {
        "portfolio.json": json.dumps(summary, indent=2),
        "options.csv": result.options.drop(columns=["equity_flows"]).to_csv(index=False),
        "selected.csv": result.selected.drop(columns=["equity_flows"]).to_csv(index=False),
        "cash_flows.csv": result.cash_flows.to_csv(),
        "report.html": render_html(summary),
    }
    try:
        written = write_file_set(folder, files, may_share=set())
    except OSError as exc:
        raise AipError(f"cannot write portfolio output to {folder}: {exc}") from None
    return {Path(name).stem: path for name, path in written.items()}


def check_something_chosen(result: PortfolioResult) -> None:
    """Raise :class:`InfeasibleError` (exit 3) when no option could be chosen, after the
    caller has shown or written what was planned."""
    if result.selection.status != "no eligible option":
        return
    name = result.portfolio.name
    if result.options.empty:
        raise InfeasibleError(
            f"portfolio {name!r} has no option to plan; give it at least one size and one strategy"
        )
    errors = result.options.get("error")
    reasons = [str(e) for e in errors.dropna() if str(e)] if errors is not None else []
    if reasons:
        why = f"{len(reasons)} plans failed, e.g. {reasons[0]}; fix the candidates"
    else:
        why = "every plan is below limits.min_equity_irr; relax it or improve the options"
    raise InfeasibleError(
        f"portfolio {name!r}: none of its {len(result.options)} options can be chosen ({why})"
    )


def run_portfolio_cli(path: Path, workers: int | None, console: Console) -> PortfolioResult:
    """Run a portfolio file with a progress bar (one tick per planned option) on stderr."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    if workers is not None and workers < 1:  # as aip sweep's --workers
        raise ScenarioError.for_field("--workers", workers, "an integer >= 1")

    from aip.portfolio.run import run_portfolio

    with Progress(
        "[bold]planning options",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        "{task.fields[last]}",
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("plan", total=None, last="")

        def start(n: int) -> None:
            progress.update(task, total=n)

        def done(row: dict[str, Any]) -> None:
            note = "infeasible" if row.get("error") else "ok"
            progress.update(task, advance=1, last=f"{row['key']} {note}")

        return run_portfolio(path, workers=workers, on_start=start, on_done=done)
