"""Reference scenarios (examples/*.yaml) keep their key outputs (docs/validation.md).

Regression values were recorded from ``aip plan --json`` with the bundled data and HiGHS 1
thread. The LP optimum value is unique and HiGHS is deterministic for fixed inputs, options
and thread count, so the objective can only move when the data, the model or the solver
change: rel 1e-3 leaves room for solver tolerances (optimality 1e-7) and HiGHS version
drift while catching any real change (a changed cost or constraint moves it by far more).
Capacities of an LP optimum need not be unique (ties between equally cheap options), but
every recorded capacity here sits at a bound or is forced by the firm-capacity row, so it is
held to rel 1e-3 or 0.5 MW, whichever is looser (0.5 MW is below any unit size).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

import aip
from aip.results.plan import PlanResult

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"

# name -> (objective [USD/yr], capacities [MW], LCOE [USD/MWh], on-site + grid NOx [t/yr])
EXPECTED: dict[str, dict[str, Any]] = {
    "colossus-memphis": {
        "objective": 135_747_244.5,
        "p_nom_mw": {"gas_aero": 166.370, "gas_recip": 0.0, "battery": 0.0},
        "lcoe": 62.938,
        "nox": 755.57,
    },
    "colossus2-southaven": {
        "objective": 527_038_445.3,
        "p_nom_mw": {"gas_aero+scr": 975.541, "battery": 0.0},
        "lcoe": 67.975,
        "nox": 245.86,
    },
    "stargate-abilene": {
        "objective": 259_850_154.8,
        "p_nom_mw": {"gas_cc": 1118.328, "gas_aero": 0.0, "pv": 0.0, "wind": 0.0, "battery": 0.0},
        "lcoe": 46.039,
        "nox": 117.95,
    },
    "vantage-frontier": {
        "objective": 678_575_923.0,
        "p_nom_mw": {"gas_recip": 0.0, "gas_aero": 1209.413, "battery": 0.0},
        "lcoe": 63.277,
        "nox": 4548.3,
    },
    "nuclear-ppa-campus": {
        "objective": 770_316_440.9,
        "p_nom_mw": {"nuclear_ppa": 835.0, "battery": 0.0},
        "lcoe": 102.711,
        "nox": 596.01,
    },
    "gas-campus": {
        "objective": 285_955_449.1,
        "p_nom_mw": {"gas_cc": 888.769, "gas_aero": 0.0, "gas_recip": 0.0, "battery": 0.0},
        "lcoe": 38.128,
        "nox": 168.78,
    },
    "coal-backup": {
        "objective": 477_355_552.0,
        "p_nom_mw": {"coal": 650.0, "gas_aero": 271.465, "battery": 0.0},
        "lcoe": 85.109,
        "nox": 1780.9,
    },
    "loudoun-grid": {"objective": 53_782_298.5, "p_nom_mw": {}, "lcoe": 89.2, "nox": 138.94},
    "cfe-abilene": {
        "objective": 69_973_900.5,
        "p_nom_mw": {"pv": 145.474, "wind": 89.061, "gas_cc": 31.006, "battery": 70.677},
        "lcoe": 129.482,
        "nox": 1.1267,
    },
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def planned(request: pytest.FixtureRequest) -> tuple[str, PlanResult]:
    """One plan per example, shared by every test of this module."""
    return request.param, aip.plan(EXAMPLES / f"{request.param}.yaml")


def test_objective_and_lcoe_regression(planned: tuple[str, PlanResult]) -> None:
    name, result = planned
    want = EXPECTED[name]
    assert result.status == "optimal"
    assert result.objective_usd_per_year == pytest.approx(want["objective"], rel=1e-3)
    assert result.lcoe_usd_per_mwh == pytest.approx(want["lcoe"], rel=1e-3)
    assert result.emissions_t_per_year["nox"] == pytest.approx(want["nox"], rel=1e-3)


def test_capacity_regression(planned: tuple[str, PlanResult]) -> None:
    name, result = planned
    for key, mw in EXPECTED[name]["p_nom_mw"].items():
        assert result.p_nom_mw[key] == pytest.approx(mw, rel=1e-3, abs=0.5), key


def test_public_capacity_limits_hold(planned: tuple[str, PlanResult]) -> None:
    """Capacities the public record fixes are respected (FACTS.md; docs/validation.md)."""
    name, result = planned
    p = result.p_nom_mw
    if name == "colossus-memphis":
        assert p["gas_aero"] <= 420 + 1e-6  # 35 turbines, ~421-422 MW seen on site
    if name == "colossus2-southaven":
        assert p["gas_aero+scr"] <= 1200 + 1e-6  # MDEQ PSD permit: ~1.2 GW
        # SCR at 2 ppm keeps NOx near the ~250 t PSD level even at 0.92 capacity factor
        assert result.sections["permits"]["nox_expected_t_per_year"] < 300
    if name == "nuclear-ppa-campus":
        assert p["nuclear_ppa"] == pytest.approx(835.0)  # Crane restart
        assert result.clean_share > 0.5


def _load_script(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_stargate_programme_sanity_check() -> None:
    """10 GW at the Abilene campus's capital per MW lands within 10 % of the public $500B."""
    numbers = _load_script(EXAMPLES / "stargate_programme.py").programme()
    # regression: $49.07M per MW of IT nameplate, $50.10M per MW of facility peak
    assert numbers["usd_per_mw_it"] == pytest.approx(49.074e6, rel=1e-3)
    assert numbers["usd_per_mw_facility"] == pytest.approx(50.099e6, rel=1e-3)
    for key in ("programme_usd_if_gw_is_it", "programme_usd_if_gw_is_facility"):
        assert numbers[key] == pytest.approx(numbers["public_usd"], rel=0.1)


def test_aip_portfolio_reduced_run() -> None:
    """The AIP portfolio file, cut to four phase-1 options (the full run plans 20 options in
    about 4 minutes on 2 cores; its numbers are in docs/validation.md). All four are picked:
    the 35 % site cap needs at least three sites, and each phase-1 campus has a positive NPV.
    """
    import yaml

    from aip.portfolio.run import run_portfolio

    data = yaml.safe_load((EXAMPLES / "aip-portfolio.yaml").read_text(encoding="utf-8"))
    keep = {"ashburn": "grid_only", "montreal": "grid_only", "columbus": "gas_firm"}
    keep["des-moines"] = "gas_firm"
    data["candidates"] = [
        c | {"strategies": [keep[c["site"]]]} for c in data["candidates"] if c["site"] in keep
    ]
    data["sizes"] = {"phase1": data["sizes"]["phase1"]}
    result = run_portfolio(data, workers=1, folder=EXAMPLES).to_dict()
    assert not any(o["error"] for o in result["options"])
    assert sorted(s["key"] for s in result["selected"]) == [
        "ashburn/phase1/grid_only",
        "columbus/phase1/gas_firm",
        "des-moines/phase1/gas_firm",
        "montreal/phase1/grid_only",
    ]
    totals = result["totals"]
    # N+k on the units built: each gas campus holds its ~160 MW combined-cycle block's loss,
    # not the 600 MW of a full block (35.905e9 when the largest allowed unit counted)
    assert totals["capex_usd"] == pytest.approx(35.166e9, rel=1e-3)
    assert totals["equity_usd"] <= float(
        data["capital"]["equity_usd"]
    )  # YAML 1.1: "30.0e9" is a str
    # the finance section's 0.6 leverage, below the portfolio's 0.7 cap
    assert totals["leverage"] == pytest.approx(0.6, rel=1e-9)
