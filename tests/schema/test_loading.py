"""Scenario files: valid ones load, every kind of mistake gives one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import aip
from aip.errors import AipError, ScenarioError
from aip.schema import parse_scenario

EXAMPLES = [
    p
    for p in sorted(Path(__file__).parents[2].joinpath("examples").glob("*.yaml"))
    if "site" in (yaml.safe_load(p.read_text()) or {})  # sweep/portfolio files are not scenarios
]

BASE = {
    "name": "t",
    "site": {"station": "memphis"},
    "compute": {"accelerator": "h100", "count": 10},
}


def with_(path: str, value: object) -> dict:
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in BASE.items()}
    node = data
    keys = path.split(".")
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value
    return data


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_load(path: Path) -> None:
    scenario = aip.load_scenario(path)
    assert scenario.name == path.stem


def test_defaults() -> None:
    s = parse_scenario(BASE)
    assert s.compute.utilization == 0.8
    assert s.economics.wacc == 0.08
    assert s.constraints.n_minus == 1
    assert s.grid.price.kind == "state"


@pytest.mark.parametrize(
    ("data", "pattern"),
    [
        (
            with_("compute.utilisation", 0.5),
            r"compute\.utilisation: unknown field; did you mean 'utilization'",
        ),
        (with_("compute.count", -5), r"compute\.count = -5: .*greater than or equal to 0"),
        (with_("site.latitude", 123.0), r"site\.latitude = 123\.0: .*less than or equal to 90"),
        (with_("economics.wacc", float("nan")), r"economics\.wacc"),
        (
            with_("technologies", {"gas_aero": {"p_nom_min": 10, "p_nom_max": 5}}),
            r"p_nom_min \(10\.0\) is above p_nom_max",
        ),
        (
            with_("technologies", {"gas_aero": {"capex_usd_per_kw": -1}}),
            r"technologies\.gas_aero\.capex_usd_per_kw = -1",
        ),
        (with_("grid.price", {"kind": "flat"}), r"usd_per_mwh is missing"),
        (
            with_("grid.price", {"kind": "state", "usd_per_mwh": 30}),
            r"grid\.price\.usd_per_mwh is given but kind is 'state'.*set kind to 'flat'",
        ),
        (
            with_("technologies", {"pv": {"p_nom_existing": 100, "p_nom_max": 50}}),
            r"p_nom_existing \(100\.0\) is above p_nom_max \(50\.0\)",
        ),
        (
            with_("technologies", {"battery": {"e_nom_existing": 400, "e_nom_max": 100}}),
            r"e_nom_existing \(400\.0\) is above e_nom_max \(100\.0\)",
        ),
        (with_("grid.price", {"kind": "spot"}), r"grid\.price\.kind = 'spot'"),
        (
            {"name": "t", "compute": {"accelerator": "h100", "count": 1}},
            r"site: required field is missing",
        ),
        (with_("site", {"station": "memphis", "weather_file": "x.epw"}), r"not both"),
        ([1, 2], r"must be a mapping"),
        (with_("technologies", {"gas_aero": {"p_nom_maks": 1}}), r"did you mean 'p_nom_max'"),
    ],
)
def test_bad_fields_name_field_value_and_fix(data: object, pattern: str) -> None:
    with pytest.raises(ScenarioError, match=pattern) as info:
        parse_scenario(data)
    assert "\n" not in str(info.value)


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("name: x\nsite:\n  station: memphis\n compute: [\n")
    with pytest.raises(ScenarioError, match=r"YAML syntax error at line \d+"):
        aip.load_scenario(f)


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("name: x\nname: y\n", r"line 2, column 1: key 'name' given twice"),
        ("name: x\ntimeline: {decision_date: 2025-02-30}\n", r"'2025-02-30' is not a date"),
        ("name: x\ndescription: 2025-02-30\n", r"'2025-02-30' is not a date"),
    ],
)
def test_repeated_keys_and_impossible_dates_are_refused(
    tmp_path: Path, text: str, pattern: str
) -> None:
    """PyYAML keeps the last of two equal keys and raises a bare ValueError on 30 Feb."""
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    with pytest.raises(ScenarioError, match=pattern):
        aip.load_scenario(f)


@pytest.mark.parametrize(
    "path",
    [
        "reliability.mttr_h.gas_aerox",
        "finance.macrs_years.Gas_aero",
        "economics.fuel_prices_usd_per_mmbtu.natgas",
    ],
)
def test_override_keys_must_name_something_the_catalogue_has(path: str) -> None:
    """Checked when the model's numbers are prepared (the catalogue is known there) and
    by the web API's intake; a misspelt key was silently ignored."""
    data = with_("technologies", {"gas_aero": {}})
    section, field, key = path.split(".")
    data[section] = {field: {key: 7}}
    guess = "gas" if "fuel" in path else "gas_aero"
    with pytest.raises(ScenarioError, match=rf"{path} = .{key}.: .*\(did you mean .{guess}.\?\)"):
        aip.model_inputs(data)


def test_overrides_may_name_catalogue_technologies_the_scenario_leaves_out() -> None:
    """A portfolio's or sweep's shared finance names technologies some cases do not allow."""
    data = with_("technologies", {"gas_aero": {}})
    data["finance"] = {"macrs_years": {"gas_cc": 15}}
    data["reliability"] = {"mttr_h": {"nuclear_smr": 100}}
    assert aip.model_inputs(data).generators[0].key == "gas_aero"


def test_merge_keys_still_work_and_bad_map_tags_are_syntax_errors(tmp_path: Path) -> None:
    from aip.schema.loading import read_yaml_file

    f = tmp_path / "merge.yaml"
    f.write_text("base: &b {station: memphis, latitude: 35}\nsite:\n  <<: *b\n  latitude: 36\n")
    assert read_yaml_file(f, "scenario")["site"] == {"station": "memphis", "latitude": 36}
    f.write_text("name: x\nsite: !!map [a, b]\n")
    with pytest.raises(ScenarioError, match=r"YAML syntax error .*expected a mapping node"):
        aip.load_scenario(f)


def test_a_number_yaml_reads_as_text_gets_a_hint(tmp_path: Path) -> None:
    f = tmp_path / "e.yaml"
    f.write_text("name: x\nsite: {station: memphis}\ncompute: {accelerator: h100, count: 1e5}\n")
    with pytest.raises(ScenarioError, match=r"compute\.count = '1e5'.*e\.g\. 100000"):
        aip.load_scenario(f)


def test_missing_file() -> None:
    with pytest.raises(ScenarioError, match="not found"):
        aip.load_scenario("no/such/file.yaml")


def test_relative_weather_file_resolved_against_scenario(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text(
        "name: x\nsite: {weather_file: w/site.epw, latitude: 35, longitude: -90}\n"
        "compute: {accelerator: h100, count: 1}\n"
    )
    s = aip.load_scenario(f)
    assert s.site.weather_file == str((tmp_path / "w" / "site.epw").resolve())


@pytest.mark.parametrize(
    ("data", "pattern"),
    [
        (with_("site.station", "atlantis"), r"unknown station"),
        (with_("compute.accelerator", "tpu-v9"), r"unknown accelerator"),
        (
            with_("technologies", {"fusion": {}}),
            r"technologies\.fusion = 'fusion': unknown technology",
        ),
        (with_("catalog", "lazard"), r"unknown technology catalogue"),
        (with_("facility.cooling", "immersion_magic"), r"unknown cooling archetype"),
    ],
)
def test_unknown_names_are_scenario_errors(data: dict, pattern: str) -> None:
    with pytest.raises(ScenarioError, match=pattern):
        aip.model_inputs(data)


def test_errors_share_one_base() -> None:
    assert issubclass(ScenarioError, AipError)
    assert issubclass(ScenarioError, ValueError)


def test_true_false_where_a_number_belongs_is_refused(tmp_path: Path) -> None:
    """``n_minus: yes`` (YAML's true) was read as 1; booleans stay fine where they belong."""
    text = (
        "name: x\nsite: {station: memphis}\ncompute: {accelerator: h100, count: 1000}\n"
        "constraints: {n_minus: yes, firm_capacity: yes}\n"
    )
    (tmp_path / "s.yaml").write_text(text)
    with pytest.raises(ScenarioError, match=r"constraints\.n_minus = True: a number"):
        aip.load_scenario(tmp_path / "s.yaml")
    (tmp_path / "s.yaml").write_text(text.replace("n_minus: yes", "n_minus: 2"))
    scenario = aip.load_scenario(tmp_path / "s.yaml")
    assert scenario.constraints.n_minus == 2 and scenario.constraints.firm_capacity is True
