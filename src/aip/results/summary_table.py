"""Human-readable summary of a plan for the terminal (rich)."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console
from rich.table import Table

from aip.reliability.target import metric_column
from aip.results.plan import PlanResult

#: Share of the facility's energy left unserved above which the summary warns [-]: an
#: assumption; a plan with firm capacity serves everything, so any such share means the
#: unserved cost made leaving load unserved the cheaper choice.
UNSERVED_WARNING = 0.01


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
            # storage moves energy the sources made: a share of it would count it twice
            "" if e_nom is not None else f"{energy / total:.1%}",
        )
    console.print(mix)
    costs = Table(title="Annual cost")
    costs.add_column("item")
    costs.add_column("USD million/yr", justify="right")
    for key, value in result.cost_usd_per_year.items():
        if abs(value) >= 1.0 or key == "total":
            costs.add_row(key, f"{value / 1e6:,.2f}")
    console.print(costs)
    em = {k: v + 0.0 for k, v in result.emissions_t_per_year.items()}  # no "-0.0"
    console.print(
        f"LCOE {_per_unit(result.lcoe_usd_per_mwh, ',.1f')} USD/MWh; power cost "
        f"{_per_unit(result.power_cost_usd_per_gpu_hour, ',.3f')} USD/GPU-hour; clean share "
        f"{result.clean_share:.1%}; unserved {result.unserved_mwh:,.1f} MWh"
    )
    console.print(
        f"emissions: CO2 {em['co2']:,.0f} t/yr, NOx {em['nox']:,.1f} t/yr, "
        f"SO2 {em['so2']:,.1f} t/yr, PM2.5 {em['pm25']:,.1f} t/yr"
    )
    if load.facility_energy_mwh <= 0.0:
        console.print(
            "[yellow]warning: the campus draws no energy (check compute.count and "
            "compute.utilization); per-MWh and per-GPU-hour costs are undefined[/yellow]"
        )
    elif (unserved := result.unserved_mwh / load.facility_energy_mwh) > UNSERVED_WARNING:
        console.print(
            f"[yellow]warning: {unserved:.1%} of the facility's energy is not served: leaving it "
            "unserved is cheaper than supplying it (raise economics.unserved_cost_usd_per_mwh or "
            "compute.gpu_hour_value_usd, or set constraints.max_unserved_fraction)[/yellow]"
        )
    for line in section_lines(result.sections):
        console.print(line)
    console.print(
        f"[dim]solved by {result.solve.solver} in {result.solve.seconds:.2f} s "
        f"({result.solve.n_variables:,} variables, {result.solve.n_constraints:,} rows)[/dim]"
    )


def _per_unit(value: float, spec: str) -> str:
    """A cost per MWh or GPU-hour, ``n/a`` where nothing was served."""
    return format(value, spec) if math.isfinite(value) else "n/a"


def section_lines(sections: dict[str, Any]) -> list[str]:
    """One line per analysis section present (permits, schedule, finance, ...)."""
    lines = []
    contingency = sections.get("contingency")
    if contingency:
        c = contingency
        loss, allowed = c["unit_loss_mw"], c["largest_allowed_unit_mw"]
        smaller = f"; the largest allowed, {allowed:,.1f} MW, is not" if loss < allowed else ""
        lines.append(
            f"N+{c['n_minus']}: firm capacity covers {c['contingency_mw']:,.1f} MW of unit "
            f"losses (the largest unit built, {loss:,.1f} MW{smaller}); "
            f"{c['lps_solved']} LP(s) in {c['seconds']:.2f} s"
        )
        if not c.get("complete", True):
            lines.append(
                "[yellow]warning: the N+k search stopped before every level was solved "
                "(time limit or solver error): a cheaper plan may exist (see the contingency "
                "section; raise solver.time_limit_s)[/yellow]"
            )
    permits = sections.get("permits")
    if permits:
        lines.append(
            f"air permit: NOx potential {permits['nox_potential_t_per_year']:,.0f} t/yr, "
            f"expected {permits['nox_expected_t_per_year']:,.0f} t/yr; {permits['verdict']}"
        )
    schedule = sections.get("schedule")
    if schedule:
        lines.append(
            f"time to power: first power {schedule.get('first_power_date')}, full power "
            f"{schedule.get('full_power_date')}, cost of delay "
            f"{(schedule.get('cost_of_delay_usd') or 0) / 1e6:,.1f} M USD, bridge leases "
            f"{(schedule.get('lease_usd') or 0) / 1e6:,.1f} M USD"
        )
    finance = sections.get("finance")
    if finance:
        npv_billion = (finance.get("npv_usd") or 0) / 1e9
        all_in = finance.get("all_in_cost_usd_per_gpu_hour") or float("nan")
        lines.append(
            f"finance: project IRR {_pct(finance.get('project_irr'))}, equity IRR "
            f"{_pct(finance.get('equity_irr'))}, NPV {npv_billion:,.2f} B USD, "
            f"all-in {all_in:,.2f} USD/GPU-hour"
        )
    reliability = sections.get("reliability")
    if reliability and "availability" in reliability:
        lines.append(
            f"reliability: availability {reliability['availability']:.5f}, expected unserved "
            f"{reliability.get('expected_unserved_mwh', float('nan')):,.1f} MWh/yr"
        )
        target = reliability.get("target")
        if isinstance(target, dict) and target.get("target") is not None:
            lines.append(_target_line(target))
    aggregation = sections.get("time_aggregation")
    if aggregation:
        lines.append(
            f"screening on {aggregation['typical_days']} typical days (not the full 8760 h)"
        )
        calibration = aggregation.get("calibration")
        if calibration and calibration["targets"]:
            lines.append(_calibration_line(calibration))
        check = aggregation.get("full_year_check")
        if check:
            lines.append(_full_year_line(check))
    return lines


def _target_line(target: dict[str, Any]) -> str:
    """Where the availability target is met: this plan, a stricter re-plan, or none."""
    rows, goal = target["table"], target["target"]
    metric = metric_column(target.get("metric", "time"))
    if not target["met"]:
        best = max(row[metric] for row in rows)
        return (
            f"availability target {goal}: not met in {len(rows)} plans (best {best:.5f}); "
            "raise reliability.max_plans or allow more firm capacity"
        )
    chosen = next(row for row in rows if row["step"] == target["chosen_step"])
    if chosen["step"] == 0:
        return f"availability target {goal}: met by this plan"
    extra = (chosen["cost_usd_per_year"] - rows[0]["cost_usd_per_year"]) / 1e6
    return (
        f"availability target {goal}: not met by this plan; met by re-planning with N+"
        f"{chosen['n_minus']}, reserve margin {chosen['reserve_margin']:g} "
        f"({chosen[metric]:.5f}, {extra:+,.2f} M USD/yr; reliability.target.table)"
    )


def _calibration_line(calibration: dict[str, Any]) -> str:
    """One line on the targets the typical days were solved with."""
    targets = ", ".join(
        f"{name} {calibration['screened_at'][name]:.4g} (target {value:.4g})"
        for name, value in calibration["targets"].items()
    )
    how = (
        "as calibrated on an earlier plan"
        if calibration["reused"]
        else f"after {calibration['checks']} full-year check(s)"
    )
    line = f"calibrated targets: {targets}, {how}"
    return line + (f"; {calibration['note']}" if calibration.get("note") else "")


def _full_year_line(check: dict[str, Any]) -> str:
    """One line on the screened plan dispatched over the full year."""
    if "error" in check:
        return f"full-year check failed: {check['error']}"
    difference = check["difference"]
    versus = f"{difference:+.1%}" if math.isfinite(difference) else "n/a"
    line = (
        f"full-year check: the screened plan costs {check['cost_usd_per_year'] / 1e6:,.2f} "
        f"M USD/yr over 8760 h ({versus} on the screening estimate)"
    )
    if check.get("unserved_mwh", 0.0) > 0.5:
        line += f", leaving {check['unserved_mwh']:,.0f} MWh/yr unserved"
    missed = check["targets_missed"]
    if not missed:
        return line + "; targets met"
    parts = [f"{name} {v['reached']:.4g} (target {v['target']:.4g})" for name, v in missed.items()]
    return line + "; misses " + ", ".join(parts) + ": plan at full resolution"


def _pct(value: object) -> str:
    return f"{value:.1%}" if isinstance(value, float) else "n/a"
