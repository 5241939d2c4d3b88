"""The FastAPI application: HTTP API, job queue and dashboard in one ASGI app.

``create_app(settings)`` builds everything from a :class:`WebSettings`; the app's
lifespan starts the job workers (marking jobs of a dead server ``interrupted``)
and on exit kills running jobs and marks them ``interrupted``. See docs/web.md.
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.staticfiles import StaticFiles

import aip
from aip.schema import Scenario
from aip.web import models
from aip.web.intake import client_scenario, read_body
from aip.web.jobs import JobManager, Target
from aip.web.safety import (
    BodyLimitMiddleware,
    NotFoundError,
    NotReadyError,
    RequestTooLargeError,
    SecurityHeadersMiddleware,
    bearer,
    check_token,
    install_error_handlers,
)
from aip.web.settings import WebSettings
from aip.web.store import JobRecord, JobStatus, JobStore
from aip.web.uploads import store_weather
from aip.web.worker import run_job

STATIC = files("aip.web") / "static"
JobId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{32}$", description="Job id.")]
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": models.ErrorResponse, "description": text}
    for code, text in [
        (401, "Missing or wrong bearer token"),
        (404, "No such job"),
        (409, "The job has no result"),
        (413, "Body too large"),
        (422, "Invalid request"),
        (429, "Queue full"),
    ]
}


@cache
def _plotly_js() -> bytes:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().encode("utf-8")


def _records(frame: Any) -> dict[str, Any]:
    """A catalogue frame as JSON records (NaN becomes null)."""
    if frame.index.name is not None:
        frame = frame.reset_index()
    return {"items": json.loads(frame.to_json(orient="records"))}


def _links(job_id: str) -> dict[str, str]:
    base = f"/api/plans/{job_id}"
    return {
        "status": base,
        "result": f"{base}/result",
        "figures": f"{base}/figures",
        "hourly_csv": f"{base}/hourly.csv",
        "inputs_json": f"{base}/inputs.json",
        "report_html": f"{base}/report.html",
    }


def _job(record: JobRecord) -> dict[str, Any]:
    return {**record.to_dict(), "links": _links(record.id)}


def _finite_defaults(node: Any) -> Any:
    """Drop non-finite defaults (``p_nom_max = inf``): JSON has no Infinity."""
    if isinstance(node, dict):
        return {
            k: _finite_defaults(v)
            for k, v in node.items()
            if not (k == "default" and isinstance(v, float) and not math.isfinite(v))
        }
    if isinstance(node, list):
        return [_finite_defaults(v) for v in node]
    return node


def create_app(settings: WebSettings, target: Target = run_job) -> FastAPI:
    """Build the web application.

    Parameters
    ----------
    settings : WebSettings
        Database, limits and token.
    target : callable, optional
        What a job's process runs (tests substitute a stub); default
        :func:`aip.web.worker.run_job`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from aip.web import WebSettings, create_app
    >>> app = create_app(WebSettings(db=pathlib.Path(tempfile.mkdtemp()) / "jobs.db"))
    >>> "/api/plans" in app.openapi()["paths"]
    True
    """
    store = JobStore(settings.db)
    manager = JobManager(store, settings, target)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        manager.start()
        try:
            yield
        finally:
            manager.shutdown()

    app = FastAPI(
        title="aip: AI Infrastructure Planner",
        version=aip.__version__,
        description="Plan the power supply of AI campuses. Submit a scenario (docs/scenario.md) "
        "as a job, poll it, fetch results. Errors are `{error, field}` JSON. See docs/web.md.",
        lifespan=lifespan,
        responses=ERRORS,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.jobs = manager
    install_error_handlers(app)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(
        BodyLimitMiddleware,
        body_bytes=settings.max_scenario_bytes,
        upload_bytes=settings.max_upload_bytes,
    )

    def authorized(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> None:
        check_token(settings.token, credentials)

    Auth = [Depends(authorized)]

    def job_or_404(job_id: str) -> JobRecord:
        record = store.get(job_id)
        if record is None:
            raise NotFoundError(f"no job {job_id}; list jobs with GET /api/plans")
        return record

    def result_file(job_id: str, name: str) -> bytes:
        record = job_or_404(job_id)
        if record.status is not JobStatus.SUCCEEDED:
            reason = f": {record.error}" if record.error else "; poll it until it has succeeded"
            raise NotReadyError(f"job {job_id} is {record.status}{reason}")
        data = store.file(job_id, name)
        if data is None:
            raise NotFoundError(f"job {job_id} has no {name}")
        return data

    @app.get("/api/health", response_model=models.Health, tags=["service"])
    def health() -> dict[str, Any]:
        """Liveness; needs no token."""
        return {
            "status": "ok",
            "version": aip.__version__,
            "unfinished_jobs": store.count_unfinished(),
            "auth": settings.token is not None,
        }

    @app.get("/api/sites", response_model=models.Records, dependencies=Auth, tags=["data"])
    def sites() -> dict[str, Any]:
        """Bundled weather stations with coordinates and grid regions."""
        from aip.data import stations_frame

        return _records(stations_frame())

    @app.get("/api/technologies", response_model=models.Records, dependencies=Auth, tags=["data"])
    def technologies(
        catalog: Annotated[str, Query(max_length=40, description="Catalogue name.")] = (
            "eia-aeo2026"
        ),
    ) -> dict[str, Any]:
        """Technologies of a catalogue with costs, heat rates and sources (USD 2025)."""
        from aip.data import catalog_frame

        return _records(catalog_frame(catalog))

    @app.get("/api/accelerators", response_model=models.Records, dependencies=Auth, tags=["data"])
    def accelerators() -> dict[str, Any]:
        """Accelerators with power and throughput."""
        from aip.data import accelerators_frame

        return _records(accelerators_frame())

    @app.get("/api/cooling", response_model=models.Records, dependencies=Auth, tags=["data"])
    def cooling() -> dict[str, Any]:
        """Cooling archetypes for ``facility.cooling``."""
        from aip.profiles.pue import list_cooling_archetypes

        return {"items": [{"key": k} for k in list_cooling_archetypes()]}

    @app.post(
        "/api/weather",
        status_code=201,
        response_model=models.UploadedWeather,
        dependencies=Auth,
        tags=["data"],
    )
    def upload_weather(file: UploadFile) -> dict[str, Any]:
        """Upload an EPW weather file; use the returned ``id`` as ``site.weather_file``."""
        data = file.file.read(settings.max_upload_bytes + 1)
        if len(data) > settings.max_upload_bytes:
            raise RequestTooLargeError(
                f"file: larger than {settings.max_upload_bytes} bytes; upload one EPW year"
            )
        return store_weather(data, settings.uploads)

    @app.post(
        "/api/plans",
        status_code=202,
        response_model=models.Job,
        dependencies=Auth,
        tags=["plans"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "description": "A scenario (docs/scenario.md) as JSON or YAML.",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}},
                    "application/yaml": {"schema": {"type": "string"}},
                },
            }
        },
    )
    async def submit_plan(request: Request) -> JSONResponse:
        """Queue a plan; answers 202 with the job (poll ``links.status``)."""
        data = read_body(await request.body(), request.headers.get("content-type"))
        scenario, stored = client_scenario(data, settings)
        record = manager.submit(scenario, stored)
        return JSONResponse(
            _job(record), status_code=202, headers={"Location": f"/api/plans/{record.id}"}
        )

    @app.get("/api/plans", response_model=models.JobList, dependencies=Auth, tags=["plans"])
    def list_plans(
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> dict[str, Any]:
        """Past and current jobs, newest first."""
        return {"jobs": [_job(r) for r in store.list(limit, offset)]}

    @app.get("/api/plans/{job_id}", response_model=models.Job, dependencies=Auth, tags=["plans"])
    def plan_status(job_id: JobId) -> dict[str, Any]:
        """Status of a job."""
        return _job(job_or_404(job_id))

    @app.get("/api/plans/{job_id}/result", dependencies=Auth, tags=["plans"])
    def plan_result(job_id: JobId) -> Response:
        """The plan's JSON summary (docs/results.md)."""
        return Response(result_file(job_id, "summary.json"), media_type="application/json")

    @app.get("/api/plans/{job_id}/figures", dependencies=Auth, tags=["plans"])
    def plan_figures(job_id: JobId) -> Response:
        """The plan's figures as Plotly JSON: ``{"figures": [{name, title, figure}]}``."""
        return Response(result_file(job_id, "figures.json"), media_type="application/json")

    @app.get("/api/plans/{job_id}/inputs.json", dependencies=Auth, tags=["plans"])
    def plan_inputs(job_id: JobId) -> Response:
        """The resolved model inputs (reproduce the LP elsewhere)."""
        return Response(
            result_file(job_id, "inputs.json"),
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="{job_id}-inputs.json"'},
        )

    @app.get("/api/plans/{job_id}/hourly.csv", dependencies=Auth, tags=["plans"])
    def plan_hourly(job_id: JobId) -> Response:
        """Hourly inputs and dispatch [MW], one row per snapshot."""
        return Response(
            result_file(job_id, "hourly.csv"),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{job_id}-hourly.csv"'},
        )

    @app.get("/api/plans/{job_id}/report.html", dependencies=Auth, tags=["plans"])
    def plan_report(job_id: JobId) -> Response:
        """Self-contained HTML report (figures, key numbers, sources), made on request."""
        from aip.report import write_report

        names = ("summary.json", "hourly.csv", "inputs.json")
        contents = {name: result_file(job_id, name) for name in names}
        with tempfile.TemporaryDirectory(prefix="aip-report-") as tmp:
            folder = Path(tmp)
            for name, data in contents.items():
                (folder / name).write_bytes(data)
            write_report(folder, folder / "report.html")
            page = (folder / "report.html").read_bytes()
        return Response(page, media_type="text/html; charset=utf-8")

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(str(STATIC / "index.html"), media_type="text/html")

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        return Response(
            _plotly_js(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            scenario = Scenario.model_json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(_finite_defaults(scenario.pop("$defs", {})))
            components["Scenario"] = _finite_defaults(scenario)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
