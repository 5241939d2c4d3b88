"""``aip`` command line: a thin Typer adapter over the Python API.

Human output by default (rich tables on stdout), ``--json`` for machines (only
JSON on stdout). Errors print one line on stderr and exit with status 2 (bad
input) or 3 (no feasible plan / solver failure).
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from aip.errors import AipError, InfeasibleError, SolverError

if TYPE_CHECKING:
    from aip.schema import Scenario

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
TypicalDays = Annotated[
    int | None,
    typer.Option(
        "--typical-days",
        help="Screen on this many typical days (sets solver.typical_days; docs/model.md).",
    ),
]


def _scenario(path: Path, **solver: object) -> Path | Scenario:
    """The scenario file, or its fields with the given ``solver`` options replaced
    (those left ``None`` or ``False`` keep the file's)."""
    given = {key: value for key, value in solver.items() if value is not None}
    given = {key: value for key, value in given.items() if value is not False}  # 0 is a value
    if not given:
        return path
    import aip

    data = aip.load_scenario(path).model_dump(exclude_unset=True)
    data.setdefault("solver", {}).update(given)
    flags = " ".join("--" + key.replace("_", "-") for key in given)
    return aip.parse_scenario(data, source=f"{path} with {flags}")


@app.command()
def plan(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML/JSON file.")],
    json_output: JsonFlag = False,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Write summary.json, hourly.csv and inputs.json here."),
    ] = None,
    report: Annotated[
        bool, typer.Option("--report", help="Also write OUT/report.html (needs --out).")
    ] = False,
    typical_days: TypicalDays = None,
    check_full_year: Annotated[
        bool,
        typer.Option(
            "--check-full-year",
            help="With --typical-days: also dispatch the screened plan over 8760 h.",
        ),
    ] = False,
    calibrate_targets: Annotated[
        bool,
        typer.Option(
            "--calibrate-targets",
            help="With --typical-days: tighten the typical days' targets until the full "
            "year meets them (docs/model.md).",
        ),
    ] = False,
) -> None:
    """Plan the cheapest power supply for a campus."""
    if report and out_dir is None:
        from aip.errors import ScenarioError

        raise ScenarioError.for_field("--report", True, "--report with --out DIR", "add --out DIR")
    import aip
    from aip.results.export import to_json, write_plan

    with err.status(f"planning {scenario} ..."):
        result = aip.plan(
            _scenario(
                scenario,
                typical_days=typical_days,
                check_full_year=check_full_year,
                calibrate_targets=calibrate_targets,
            )
        )
    written = write_plan(result, out_dir) if out_dir is not None else {}
    if report and out_dir is not None:
        from aip.report import write_report

        written.update(write_report(result, out_dir / "report.html"))
    if json_output:
        sys.stdout.write(to_json(result.summary()) + "\n")
        return
    from aip.results.summary_table import print_summary

    print_summary(result, out)
    for role, path in written.items():
        out.print(f"wrote {role}: {path}")


@app.command()
def report(
    result_dir: Annotated[Path, typer.Argument(help="Plan output folder (aip plan --out DIR).")],
    out_file: Annotated[
        Path | None,
        typer.Option("-o", "--out", help="HTML file to write (default RESULT_DIR/report.html)."),
    ] = None,
    png_dir: Annotated[
        Path | None, typer.Option("--png", help="Also write one PNG per figure into this folder.")
    ] = None,
) -> None:
    """Write a self-contained HTML report (figures, key numbers, sources) of a plan."""
    from aip.report import write_report

    target = out_file if out_file is not None else result_dir / "report.html"
    for role, path in write_report(result_dir, target, png_dir=png_dir).items():
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
    from aip.io.atomic import check_output_file, write_atomic

    check_output_file(out_file, "--out")
    table = aip.hourly_profiles(scenario)
    write_atomic(out_file, table.to_csv(float_format="%.6g"))
    out.print(
        f"wrote {len(table)} hours to {out_file}: peak facility load "
        f"{table['facility_load_mw'].max():,.1f} MW, mean PUE {table['pue'].mean():.3f}, "
        f"PV cf {table['cf_pv'].mean():.3f}, wind cf {table['cf_wind'].mean():.3f}"
    )


@app.command("cfe-curve")
def cfe_curve(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML/JSON file.")],
    shares: Annotated[
        str, typer.Option(help="Comma-separated 24/7 CFE shares in [0, 1].")
    ] = "0,0.5,0.7,0.8,0.9,0.95,0.98,1",
    out_file: Annotated[Path | None, typer.Option("--out", help="CSV file to write.")] = None,
    html: Annotated[Path | None, typer.Option(help="Write the curve as an HTML figure.")] = None,
    json_output: JsonFlag = False,
    typical_days: TypicalDays = None,
) -> None:
    """Cost of the campus at each hourly-matched (24/7) carbon-free share."""
    import aip
    from aip.emissions.cfe import cfe_cost_curve, write_curve
    from aip.errors import ScenarioError
    from aip.io.atomic import check_output_file

    try:
        values = [float(x) for x in shares.split(",") if x.strip()]
    except ValueError:
        values = []
    if not values or not all(0.0 <= v <= 1.0 for v in values):
        raise ScenarioError.for_field(
            "--shares", shares, "comma-separated numbers in [0, 1]", "e.g. --shares 0,0.5,0.9"
        )
    for option, path in (("--out", out_file), ("--html", html)):
        if path is not None:  # before the solves, which take minutes
            check_output_file(path, option)
    inputs = aip.model_inputs(_scenario(scenario, typical_days=typical_days))
    with err.status("solving ...") as status:
        frame = cfe_cost_curve(
            inputs, values, progress=lambda s: status.update(f"solving CFE share {s:g} ...")
        )
    if out_file is not None:
        write_curve(frame, out_file)
    if html is not None:
        from aip.plot.cfe import cfe_cost_figure
        from aip.report.figure_page import write_figure_page

        page = write_figure_page(cfe_cost_figure(frame, inputs.name), html, inputs.name)
        err.print(f"wrote {page}")
    if json_output:
        sys.stdout.write(frame.to_json(orient="records", indent=2) + "\n")
        return
    columns = ["cfe_share", "status", "objective_usd_per_year", "cost_increase", "lcoe_usd_per_mwh"]
    _print_frame(frame.set_index("cfe_share"), "Cost of 24/7 carbon-free energy", False, columns)


@app.command()
def headroom(
    load_csv: Annotated[Path, typer.Argument(help="CSV of hourly existing load [MW].")],
    limit_mw: Annotated[
        float | None, typer.Option(help="Limit [MW]; default the series' peak (Duke).")
    ] = None,
    column: Annotated[str | None, typer.Option(help="Load column; default load_mw.")] = None,
    json_output: JsonFlag = False,
) -> None:
    """Largest flat new load that fits at 0.25/0.5/1/5 % curtailment (Duke method)."""
    import pandas as pd

    from aip.reliability.headroom import headroom_table, read_load_csv

    rows = headroom_table(read_load_csv(load_csv, column), limit_mw)
    frame = pd.DataFrame([r.to_dict() for r in rows])
    columns = ["new_load_mw", "curtailed_mwh", "curtailed_hours", "events", "mean_event_hours"]
    _print_frame(frame, "Curtailment-enabled headroom", json_output, columns)


@app.command()
def sites(json_output: JsonFlag = False) -> None:
    """List the bundled weather stations with coordinates and grid regions."""
    from aip.data import stations_frame

    columns = ["label", "latitude", "longitude", "elevation_m", "us_state", "avert_region"]
    _print_frame(stations_frame(), "Bundled sites", json_output, columns)


@app.command()
def sweep(
    sweep_file: Annotated[Path, typer.Argument(help="Sweep YAML file (see docs/sweep.md).")],
    engine: Annotated[str, typer.Option(help="`local` (process pool) or `dask`.")] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address; default a LocalCluster.")
    ] = None,
    db: Annotated[Path | None, typer.Option(help="DuckDB results file.")] = None,
    workers: Annotated[int | None, typer.Option(help="Parallel workers.")] = None,
    retry_failed: Annotated[bool, typer.Option(help="Re-run failed cases.")] = False,
    json_output: JsonFlag = False,
) -> None:
    """Run a parameter grid / Monte Carlo sweep; re-running resumes where it stopped."""
    from aip.sweep.report import check_something_solved, print_sweep_summary, run_sweep_cli

    summary = run_sweep_cli(sweep_file, db, engine, scheduler, workers, retry_failed)
    print_sweep_summary(summary, out, json_output)
    check_something_solved(summary)


@app.command()
def portfolio(
    portfolio_file: Annotated[Path, typer.Argument(help="Portfolio YAML (docs/portfolio.md).")],
    json_output: JsonFlag = False,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Write portfolio.json, CSVs, report.html.")
    ] = None,
    workers: Annotated[int | None, typer.Option(help="Parallel planning processes.")] = None,
) -> None:
    """Choose campuses, sizes and power strategies for a consortium's capital."""
    from aip.portfolio.report import (
        check_something_chosen,
        print_portfolio,
        run_portfolio_cli,
        write_portfolio,
    )
    from aip.results.export import to_json

    result = run_portfolio_cli(portfolio_file, workers, err)
    written = write_portfolio(result, out_dir) if out_dir is not None else {}
    if json_output:
        sys.stdout.write(to_json(result.to_dict()) + "\n")
    else:
        print_portfolio(result.to_dict(), out)
        for role, path in written.items():
            out.print(f"wrote {role}: {path}")
    check_something_chosen(result)


@app.command()
def results(
    db: Annotated[Path, typer.Argument(help="DuckDB results file of a sweep.")],
    sql: Annotated[str | None, typer.Option(help="DuckDB query over `cases`, `runs`.")] = None,
    json_output: JsonFlag = False,
    plot: Annotated[
        str | None, typer.Option(help="X,Y[,GROUP] columns to draw as a sweep curve.")
    ] = None,
    html: Annotated[Path | None, typer.Option(help="Write the --plot figure here.")] = None,
) -> None:
    """Show or query the results of a sweep, or draw a curve of them (--plot, --html)."""
    if plot is None:
        from aip.sweep.report import print_results

        print_results(db, sql, out, json_output)
        return
    from aip.errors import ScenarioError
    from aip.io.atomic import check_output_file
    from aip.plot.sweep import sweep_figure
    from aip.report.figure_page import write_figure_page
    from aip.sweep import read_results

    columns = [c.strip() for c in plot.split(",") if c.strip()]
    if len(columns) not in (2, 3) or html is None:
        raise ScenarioError.for_field(
            "--plot", plot, "X,Y or X,Y,GROUP columns together with --html FILE"
        )
    check_output_file(html, "--html")
    figure = sweep_figure(read_results(db, sql), *columns)
    out.print(f"wrote {write_figure_page(figure, html, f'Sweep: {db.name}')}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface; non-loopback needs --token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=0, max=65535)] = 8000,
    token: Annotated[
        str | None, typer.Option(envvar="AIP_TOKEN", help="Bearer token for /api calls.")
    ] = None,
    db: Annotated[
        Path | None, typer.Option(help="SQLite jobs file (default aip-web/jobs.db).")
    ] = None,
    workers: Annotated[int, typer.Option(help="Plans solved at once.", min=1)] = 2,
) -> None:
    """Serve the web dashboard and HTTP API (see docs/web.md)."""
    from aip.web.serve import serve as run_server

    run_server(host=host, port=port, token=token, db=db, workers=workers)


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
        table.add_column(str(column), overflow="fold")  # narrow terminals: wrap, never cut
    for _, row in frame.iterrows():
        table.add_row(*[_cell(row[c]) for c in shown])
    out.print(table)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:,.4g}"  # a missing value (no US state)
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
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("aborted\n")
        raise SystemExit(130) from None
    except Exception as exc:
        # usage errors (unknown command or option, missing argument) come from the click
        # that Typer bundles; they know how to show themselves and their exit code (2)
        show = getattr(exc, "show", None)
        if callable(show) and isinstance(getattr(exc, "exit_code", None), int):
            show()
            raise SystemExit(exc.exit_code) from None  # type: ignore[attr-defined]
        if os.environ.get("AIP_DEBUG"):
            raise
        _fail(
            RuntimeError(
                f"internal error ({type(exc).__name__}: {exc}); this is a bug in aip - "
                "rerun with AIP_DEBUG=1 for the traceback and report it"
            ),
            1,
        )
