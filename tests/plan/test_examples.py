"""The bundled examples plan end to end; every hour balances and costs add up."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import aip
from aip.results.export import write_plan

ROOT = Path(__file__).parents[2]
EXAMPLES = ["colossus-memphis", "stargate-abilene", "loudoun-grid"]


@pytest.fixture(scope="module", params=EXAMPLES)
def planned(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    result = aip.plan(ROOT / "examples" / f"{request.param}.yaml")
    out = tmp_path_factory.mktemp(request.param)
    write_plan(result, out)
    return result, out


pytestmark = pytest.mark.slow


def test_every_hour_balances(planned) -> None:
    result, _ = planned
    h = result.hourly
    supply = sum(h[f"p_{g.key}_mw"] for g in result.inputs.generators)
    for s in result.inputs.storage:
        supply = supply + h[f"discharge_{s.key}_mw"] - h[f"charge_{s.key}_mw"]
    supply = supply + h["grid_import_mw"] + h["unserved_mw"] - h["spill_mw"]
    if "curtail_mw" in h:
        supply = supply + h["curtail_mw"]
    # HiGHS primal feasibility tolerance is 1e-7 (absolute); loads are O(100-1000) MW.
    np.testing.assert_allclose(supply, h["facility_load_mw"], rtol=0, atol=1e-6)


def test_cost_breakdown_sums_to_objective(planned) -> None:
    result, _ = planned
    costs = result.cost_usd_per_year
    parts = sum(v for k, v in costs.items() if k != "total")
    assert parts == pytest.approx(costs["total"], rel=1e-12)
    # recomputed from dispatch vs the solver's objective: optimality tolerance 1e-7
    assert costs["total"] == pytest.approx(result.objective_usd_per_year, rel=1e-6)


def test_capacity_respects_limits_and_firm_requirement(planned) -> None:
    result, _ = planned
    inputs = result.inputs
    firm = sum(result.p_nom_mw[g.key] * g.capacity_credit for g in inputs.generators)
    firm += inputs.grid.firm_fraction * inputs.grid.import_limit_mw
    assert firm >= inputs.firm_requirement_mw - 1e-6
    for g in inputs.generators:
        assert result.p_nom_mw[g.key] <= g.p_nom_max + 1e-6
    assert result.hourly["grid_import_mw"].max() <= inputs.grid.import_limit_mw + 1e-6


def test_exported_files_describe_the_model(planned) -> None:
    result, out = planned
    doc = json.loads((out / "inputs.json").read_text())
    hourly = pd.read_csv(out / "hourly.csv", index_col="timestamp")
    assert len(hourly) == doc["n_snapshots"] == 8760
    assert hourly[doc["load_column"]].to_numpy() == pytest.approx(result.inputs.load_mw)
    for g in doc["generators"]:
        assert {
            "capital_cost_usd_per_mw_year",
            "fixed_om_usd_per_mw_year",
            "marginal_cost_usd_per_mwh",
            "emissions_t_per_mwh",
            "p_nom_max",
        } <= set(g)
        if g["cf_column"]:
            assert hourly[g["cf_column"]].between(0, 1).all()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["objective_usd_per_year"] == pytest.approx(result.objective_usd_per_year)


def test_headline_numbers_are_plausible(planned) -> None:
    """Broad sanity bounds from public figures (FACTS.md): power is a few cents per GPU-hour
    (all-in H100 rental is ~$2/h) and LCOE sits between cheap gas and retail prices."""
    result, _ = planned
    assert 20.0 < result.lcoe_usd_per_mwh < 200.0
    assert 0.01 < result.power_cost_usd_per_gpu_hour < 0.5
    assert 1.0 <= result.load.pue_mean < 1.6
