"""``aip`` command line: a thin Typer adapter over the Python API.

Human output by default (rich tables on stdout), ``--json`` for machines (only
JSON on stdout). Errors print one line on stderr and exit with status 2 (bad
input) or 3 (no feasible plan / solver failure).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from aip.errors import AipError, InfeasibleError, SolverError

app = typer.Typer(
    name="aip",
    help="AI Infrastructure Planner: from GPUs to gigawatts to dollars.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
catalog_app = typer.Typer(help="Bundled catalogues.", no_args_is_help=True)
app.add_typer(catalog_app, name="catalog")

out = Console()
err = Console(stderr=True, soft_wrap=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON only on stdout.")]


@app.command()
def plan(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML/JSON file.")],
    json_output: JsonFlag = False,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Write summary.json, hourly.csv and inputs.json here."),
    ] = None,
) -> None:
    """Plan the cheapest power supply for a campus."""
    import aip
    from aip.results.export import to_json, write_plan

    with err.status(f"planning {scenario} ..."):
        result = aip.plan(scenario)
    written = write_plan(result, out_dir) if out_dir is not None else {}
    if json_output:
        sys.stdout.write(to_json(result.summary()) + "\n")
        return
    from aip.results.summary_table import print_summary

    print_summary(result, out)
    for role, path in written.items():
        out.print(f"wrote {role}: {path}")


@app.command()
def profiles(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML/JSON file.")],
    out_file: Annotated[Path, typer.Option("--out", help="CSV file to write.")] = Path(
        "hourly.csv"
    ),
) -> None:
    """Write the hourly site profiles and loads (one row per hour) to CSV."""
    import aip

    table = aip.hourly_profiles(scenario)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_file, float_format="%.6g")
    out.print(
        f"wrote {len(table)} hours to {out_file}: peak facility load "
        f"{table['facility_load_mw'].max():,.1f} MW, mean PUE {table['pue'].mean():.3f}, "
        f"PV cf {table['cf_pv'].mean():.3f}, wind cf {table['cf_wind'].mean():.3f}"
    )


@app.command()
def sites(json_output: JsonFlag = False) -> None:
    """List the bundled weather stations with coordinates and grid regions."""
    from aip.data import stations_frame

    columns = ["label", "latitude", "longitude", "elevation_m", "us_state", "avert_region"]
    _print_frame(stations_frame(), "Bundled sites", json_output, columns)


@catalog_app.command("technologies")
def catalog_technologies(
    name: Annotated[str, typer.Option("--catalog", help="Catalogue name.")] = "eia-aeo2026",
    json_output: JsonFlag = False,
) -> None:
    """List technologies with costs, heat rates and sources."""
    from aip.data import catalog_frame

    columns = [
        "carrier",
        "capex_usd_per_kw",
        "capex_usd_per_kwh",
        "fixed_om_usd_per_kw_year",
        "variable_om_usd_per_mwh",
        "heat_rate_mmbtu_per_mwh",
        "lifetime_years",
        "unit_size_mw",
    ]
    _print_frame(catalog_frame(name), f"Technologies ({name}, USD 2025)", json_output, columns)


@catalog_app.command("accelerators")
def catalog_accelerators(json_output: JsonFlag = False) -> None:
    """List accelerators with power and throughput."""
    from aip.data import accelerators_frame

    columns = ["label", "gpus_per_unit", "it_power_w_per_gpu", "bf16_dense_tflops", "memory_gb"]
    _print_frame(accelerators_frame(), "Accelerators", json_output, columns)


def _print_frame(frame: object, title: str, json_output: bool, columns: list[str]) -> None:
    """Print a catalogue: all columns as JSON, or the chosen ``columns`` as a table."""
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    if frame.index.name is not None:
        frame = frame.reset_index()
    if json_output:
        sys.stdout.write(frame.to_json(orient="records", indent=2) + "\n")
        return
    table = Table(title=title)
    shown = [
        frame.columns[0],
        *[c for c in columns if c in frame.columns and c != frame.columns[0]],
    ]
    for column in shown:
        table.add_column(str(column))
    for _, row in frame.iterrows():
        table.add_row(*[_cell(row[c]) for c in shown])
    out.print(table)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}"
    return "" if value is None else str(value)


def _fail(exc: Exception, code: int) -> None:
    """One line on stderr, no traceback, and the exit status."""
    message = " ".join(str(exc).split())
    sys.stderr.write(f"error: {message}\n")
    raise SystemExit(code) from None


def main() -> None:
    """Console entry point: run the app, turn aip errors into one line and an exit code."""
    try:
        app(standalone_mode=False)
    except (InfeasibleError, SolverError) as exc:
        _fail(exc, 3)
    except AipError as exc:
        _fail(exc, 2)
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:
        err.print("aborted")
        raise SystemExit(130) from None
    except Exception as exc:
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            raise SystemExit(exc.exit_code) from None
        raise
