"""The HTTP API with an in-process client: catalogues, a real plan, errors, limits, auth."""

from __future__ import annotations

import gzip
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml

from aip.data import station_weather_path
from aip.errors import ScenarioError
from aip.web import WebSettings, create_app
from aip.web.intake import client_scenario

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

JOB_FILES = ("result", "figures", "hourly.csv", "inputs.json")


def _is_error(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "field"} and "\n" not in body["error"]
    assert "Traceback" not in body["error"]
    if field is not None:
        assert body["field"] == field, body
    return body


def test_health_and_catalogues(client: TestClient) -> None:
    assert client.get("/api/health").json()["status"] == "ok"
    sites = client.get("/api/sites").json()["items"]
    keys = {s["key"] for s in sites}
    assert {"memphis", "ashburn", "abilene"} <= keys
    assert all(-90 <= s["latitude"] <= 90 for s in sites)
    techs = {t["key"] for t in client.get("/api/technologies").json()["items"]}
    assert {"gas_ct", "solar_pv", "battery"} & techs
    accelerators = {a["key"] for a in client.get("/api/accelerators").json()["items"]}
    assert {"h100", "h200"} <= accelerators
    _is_error(client.get("/api/technologies?catalog=nope"), 422, "catalog")


def test_plan_lifecycle_yaml(client: TestClient, loudoun_yaml: str, wait_for: Any) -> None:
    response = client.post(
        "/api/plans", content=loudoun_yaml, headers={"Content-Type": "application/yaml"}
    )
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["status"] in ("queued", "running") and response.headers["location"].endswith(
        job["id"]
    )
    done = wait_for(client, job["id"])
    assert done["status"] == "succeeded", done
    summary = client.get(f"/api/plans/{job['id']}/result").json()
    assert summary["scenario"] == "loudoun-grid" and summary["status"] == "optimal"
    # Grid-only campus: all served energy is grid import, within the 150 MW limit.
    assert summary["energy_mwh"]["grid"] == pytest.approx(
        summary["load"]["facility_energy_mwh"], rel=1e-6
    )
    hourly = client.get(f"/api/plans/{job['id']}/hourly.csv")
    assert hourly.headers["content-type"].startswith("text/csv")
    assert len(hourly.text.strip().splitlines()) == 8761  # header + 8760 hours
    figures = client.get(f"/api/plans/{job['id']}/figures").json()
    assert {"capacity", "dispatch"} <= {f["name"] for f in figures["figures"]}
    report = client.get(f"/api/plans/{job['id']}/report.html")
    assert report.status_code == 200 and "<html" in report.text and "Plotly" in report.text
    listed = client.get("/api/plans").json()["jobs"]
    assert [j["id"] for j in listed] == [job["id"]]


def test_failed_job_is_reported_not_raised(client: TestClient, wait_for: Any) -> None:
    # No grid and no technology: nothing can serve the load under the firm-capacity rule.
    scenario = {
        "name": "nothing",
        "site": {"station": "ashburn"},
        "compute": {"accelerator": "h100", "count": 1000},
        "grid": {"enabled": False},
    }
    job = client.post("/api/plans", json=scenario).json()
    done = wait_for(client, job["id"])
    assert done["status"] == "failed" and done["error"], done
    _is_error(client.get(f"/api/plans/{job['id']}/result"), 409)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x"}, "site"),
        (
            {
                "name": "x",
                "site": {"station": "atlantis"},
                "compute": {"accelerator": "h100", "count": 1},
            },
            "site.station",
        ),
        (
            {
                "name": "x",
                "site": {"station": "memphis"},
                "compute": {"accelerator": "z9", "count": 1},
            },
            "compute.accelerator",
        ),
        (
            {
                "name": "x",
                "site": {"station": "memphis"},
                "compute": {"accelerator": "h100", "count": -1},
            },
            "compute.count",
        ),
        (
            {
                "name": "x",
                "site": {"weather_file": "/etc/passwd"},
                "compute": {"accelerator": "h100", "count": 1},
            },
            "site.weather_file",
        ),
        (
            {
                "name": "x",
                "site": {"weather_file": "../../jobs.db"},
                "compute": {"accelerator": "h100", "count": 1},
            },
            "site.weather_file",
        ),
        (
            {
                "name": "x",
                "site": {"station": "memphis"},
                "compute": {"accelerator": "h100", "count": 1},
                "grid": {"price": {"kind": "hourly", "file": "/etc/hosts"}},
            },
            "grid.price.file",
        ),
        (
            {
                "name": "x",
                "site": {"station": "memphis"},
                "compute": {"accelerator": "h100", "count": 1},
                "technologies": {"warp_core": {}},
            },
            "technologies.warp_core",
        ),
    ],
)
def test_invalid_scenarios_are_422(client: TestClient, body: dict[str, Any], field: str) -> None:
    _is_error(client.post("/api/plans", json=body), 422, field)


def test_malformed_bodies(client: TestClient) -> None:
    _is_error(client.post("/api/plans", content=b"{not json"), 422)
    _is_error(client.post("/api/plans", content=b"[1, 2]"), 422)
    _is_error(client.post("/api/plans", content=b"\xff\xfe"), 422)
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nname: *b\n"
    body = _is_error(
        client.post("/api/plans", content=bomb, headers={"Content-Type": "application/yaml"}), 422
    )
    assert "alias" in body["error"]
    twice = _is_error(client.post("/api/plans", content=b'{"name": "a", "name": "b"}'), 422)
    assert "'name' given twice" in twice["error"]
    yaml_twice = b"name: a\nname: b\n"
    headers = {"Content-Type": "application/yaml"}
    body = _is_error(client.post("/api/plans", content=yaml_twice, headers=headers), 422)
    assert "'name' given twice" in body["error"]
    body = _is_error(client.post("/api/plans", content=b"name: 2025-02-30\n", headers=headers), 422)
    assert "is not a date" in body["error"]
    _is_error(
        client.post("/api/plans", content=b"name: x", headers={"Content-Type": "text/plain"}),
        422,
        "Content-Type",
    )
    _is_error(client.post("/api/plans", content=b"[" * 100_000), 422)
    _is_error(client.post("/api/plans", content=b" " * 1_000_001), 413)
    _is_error(client.get("/api/plans/abc"), 422, "job_id")
    _is_error(client.get("/api/plans/" + "0" * 32), 404)
    _is_error(client.get("/api/nothing"), 404)
    _is_error(client.get("/api/plans?limit=0"), 422, "limit")


def test_time_limit_and_threads_are_capped(tmp_path: Path) -> None:
    settings = WebSettings(db=tmp_path / "jobs.db", max_time_limit_s=5.0)
    scenario, stored = client_scenario(
        {
            "name": "x",
            "site": {"station": "memphis"},
            "compute": {"accelerator": "h100", "count": 1},
            "solver": {"time_limit_s": 9000, "threads": 64},
        },
        settings,
    )
    assert scenario.solver.time_limit_s == 5.0 and scenario.solver.threads == 1
    assert '"time_limit_s": 9000' in stored  # what the client asked for is kept


def test_token_required_off_loopback(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="--host"):
        WebSettings(db=tmp_path / "a.db", host="0.0.0.0")
    settings = WebSettings(db=tmp_path / "a.db", host="0.0.0.0", token="s3cret-token")
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        assert c.get("/api/health").status_code == 200  # liveness stays open
        _is_error(c.get("/api/sites"), 401)
        _is_error(c.get("/api/sites", headers={"Authorization": "Bearer wrong-token"}), 401)
        ok = c.get("/api/sites", headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200


def test_queue_full_is_429(tmp_path: Path, loudoun_yaml: str, wait_for: Any) -> None:
    settings = WebSettings(db=tmp_path / "jobs.db", max_workers=1, max_queue=0)
    headers = {"Content-Type": "application/yaml"}
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        first = c.post("/api/plans", content=loudoun_yaml, headers=headers)
        assert first.status_code == 202
        response = c.post("/api/plans", content=loudoun_yaml, headers=headers)
        _is_error(response, 429)
        assert response.headers["retry-after"]


def test_weather_upload(client: TestClient, settings: WebSettings) -> None:
    epw = gzip.decompress(Path(station_weather_path("abilene")).read_bytes())
    response = client.post(
        "/api/weather", files={"file": ("../../../evil.epw", epw, "application/octet-stream")}
    )
    assert response.status_code == 201, response.text
    info = response.json()
    assert info["hours"] == 8760 and info["latitude"] == pytest.approx(32.4, abs=0.2)
    stored = list(settings.uploads.iterdir())
    assert [p.name for p in stored] == [f"{info['id']}.epw"]
    assert not (settings.db.parent.parent / "evil.epw").exists()
    body = {
        "name": "uploaded",
        "site": {"weather_file": info["id"], "us_state": "TX", "avert_region": "TE"},
        "compute": {"accelerator": "h100", "count": 1000},
        "grid": {"import_limit_mw": 10},
    }
    assert client.post("/api/plans", json=body).status_code == 202
    bad = client.post("/api/weather", files={"file": ("x.epw", b"not,an,epw\n", "text/plain")})
    _is_error(bad, 422)
    assert str(settings.uploads) not in bad.text and ".upload-" not in bad.text  # no server path
    _is_error(client.post("/api/weather", files={"file": ("x.epw", b"", "text/plain")}), 422)


def test_openapi_documents_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/health",
        "/api/sites",
        "/api/technologies",
        "/api/accelerators",
        "/api/plans",
        "/api/plans/{job_id}",
        "/api/plans/{job_id}/result",
        "/api/plans/{job_id}/hourly.csv",
        "/api/plans/{job_id}/report.html",
    } <= paths
    body = schema["paths"]["/api/plans"]["post"]["requestBody"]["content"]
    assert {"application/json", "application/yaml"} <= set(body)
    assert "Scenario" in schema["components"]["schemas"]
    assert yaml.safe_load(client.get("/openapi.json").text)  # strict JSON, no Infinity
