"""Human-readable summary of a plan for the terminal (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from aip.results.plan import PlanResult


def print_summary(result: PlanResult, console: Console) -> None:
    """Print capacities, energy, costs and emissions of ``result``."""
    load = result.load
    console.print(
        f"[bold]{result.scenario}[/bold]: {result.gpus:,} GPUs, IT peak {load.it_mw_peak:,.1f} MW, "
        f"facility peak {load.facility_mw_peak:,.1f} MW, mean PUE {load.pue_mean:.3f}, "
        f"{load.facility_energy_mwh / 1e3:,.1f} GWh/yr"
    )
    mix = Table(title="Capacity and energy")
    for column in ("source", "capacity [MW]", "storage [MWh]", "energy [GWh/yr]", "share"):
        mix.add_column(column, justify="right" if column != "source" else "left")
    total = load.facility_energy_mwh or 1.0
    for key, energy in result.energy_mwh.items():
        p_nom = result.p_nom_mw.get(key)
        if key == "grid":
            p_nom = result.inputs.grid.import_limit_mw
        e_nom = result.e_nom_mwh.get(key)
        if (p_nom or 0) < 1e-6 and energy < 1e-6:
            continue
        mix.add_row(
            key,
            "" if p_nom is None else f"{p_nom:,.1f}",
            "" if e_nom is None else f"{e_nom:,.1f}",
            f"{energy / 1e3:,.1f}",
            f"{energy / total:.1%}",
        )
    console.print(mix)
    costs = Table(title="Annual cost")
    costs.add_column("item")
    costs.add_column("USD million/yr", justify="right")
    for key, value in result.cost_usd_per_year.items():
        if abs(value) >= 1.0 or key == "total":
            costs.add_row(key, f"{value / 1e6:,.2f}")
    console.print(costs)
    em = result.emissions_t_per_year
    console.print(
        f"LCOE {result.lcoe_usd_per_mwh:,.1f} USD/MWh; power cost "
        f"{result.power_cost_usd_per_gpu_hour:,.3f} USD/GPU-hour; clean share "
        f"{result.clean_share:.1%}; unserved {result.unserved_mwh:,.1f} MWh"
    )
    console.print(
        f"emissions: CO2 {em['co2']:,.0f} t/yr, NOx {em['nox']:,.1f} t/yr, "
        f"SO2 {em['so2']:,.1f} t/yr, PM2.5 {em['pm25']:,.1f} t/yr"
    )
    console.print(
        f"[dim]solved by {result.solve.solver} in {result.solve.seconds:.2f} s "
        f"({result.solve.n_variables:,} variables, {result.solve.n_constraints:,} rows)[/dim]"
    )
