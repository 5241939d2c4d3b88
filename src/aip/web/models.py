"""Response models of the HTTP API (they document the OpenAPI schema)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorResponse(BaseModel):
    """Every error: one line, and the offending field when there is one."""

    error: str = Field(description="One-line message: field, value, what is allowed, the fix.")
    field: str | None = Field(None, description="Dotted path of the offending field.")


class Health(BaseModel):
    """Liveness and load of the server."""

    status: str = Field(description="`ok` when the server answers.")
    version: str = Field(description="aip version.")
    unfinished_jobs: int = Field(description="Jobs queued or running [-].")
    auth: bool = Field(description="Whether /api calls need a bearer token.")


class JobLinks(BaseModel):
    """Where to find a job's status and results."""

    status: str
    result: str
    figures: str
    hourly_csv: str
    inputs_json: str
    report_html: str


class Job(BaseModel):
    """A plan job."""

    id: str = Field(description="Job id (32 hex digits).")
    name: str = Field(description="Scenario name.")
    status: str = Field(description="`queued`, `running`, `succeeded`, `failed`, `interrupted`.")
    created_at: str = Field(description="ISO 8601 UTC.")
    started_at: str | None = None
    finished_at: str | None = None
    error: str | None = Field(None, description="One-line reason when failed or interrupted.")
    field: str | None = Field(None, description="Scenario field the error is about.")
    links: JobLinks


class JobList(BaseModel):
    """Past and current jobs, newest first."""

    jobs: list[Job]


class UploadedWeather(BaseModel):
    """A stored weather upload; use ``id`` as ``site.weather_file``."""

    id: str
    name: str
    latitude: float = Field(description="[deg north]")
    longitude: float = Field(description="[deg east]")
    elevation_m: float = Field(description="[m]")
    hours: int = Field(description="Rows in the file [-].")


class Records(BaseModel):
    """A catalogue as a list of records (columns as in the CLI's `--json`)."""

    items: list[dict[str, Any]]
