"""Request safety: body size limits, the bearer token, security headers, JSON errors.

Every error leaves the server as ``{"error": "<one line>", "field": <dotted path or
null>}`` with a fitting status (401, 404, 413, 422, 429, 500); a stack trace never
does — unexpected exceptions are logged and answered with a plain message.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aip.errors import AipError, InfeasibleError, SolverError
from aip.web.jobs import QueueFullError

log = logging.getLogger("aip.web")

#: Allowance for multipart boundaries and headers around an uploaded file [bytes].
MULTIPART_OVERHEAD = 64_000

bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <token>`")


class RequestTooLargeError(AipError, ValueError):
    """The request body is larger than the server accepts (HTTP 413)."""


class NotAuthorizedError(AipError, PermissionError):
    """Missing or wrong bearer token (HTTP 401)."""


class NotFoundError(AipError, LookupError):
    """No such job or no such result (HTTP 404)."""


class NotReadyError(AipError, RuntimeError):
    """The job has no result (yet): queued, running, failed or interrupted (HTTP 409)."""


def error_body(message: str, field: str | None = None) -> dict[str, Any]:
    """The one JSON error shape of the API."""
    return {"error": " ".join(str(message).split())[:2000], "field": field}


def check_token(expected: str | None, credentials: HTTPAuthorizationCredentials | None) -> None:
    """Raise :class:`NotAuthorizedError` unless the bearer token matches (when one is set)."""
    if expected is None:
        return
    given = credentials.credentials if credentials is not None else ""
    # compare_digest: the time taken must not reveal how much of the token matched.
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise NotAuthorizedError(
            "missing or wrong bearer token; send `Authorization: Bearer <token>`"
        )


class BodyLimitMiddleware:
    """Refuse bodies over the limit, by Content-Length at once or while streaming.

    ``/api/weather`` (uploads) gets ``upload_bytes`` plus the multipart overhead,
    every other path ``body_bytes``.
    """

    def __init__(self, app: ASGIApp, body_bytes: int, upload_bytes: int) -> None:
        self.app = app
        self.body_bytes = body_bytes
        self.upload_bytes = upload_bytes + MULTIPART_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_bytes if scope["path"] == "/api/weather" else self.body_bytes
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            response = JSONResponse(
                error_body(f"request body larger than {limit} bytes; send less", "body"),
                status_code=413,
            )
            await response(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise RequestTooLargeError(f"request body larger than {limit} bytes; send less")
            return message

        await self.app(scope, limited, send)


class SecurityHeadersMiddleware:
    """Headers that stop sniffing, framing and referrer leaks; CSP on the dashboard."""

    DASHBOARD_CSP = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                if path == "/" or path.startswith("/static/"):
                    headers.append((b"content-security-policy", self.DASHBOARD_CSP.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def _status_for(exc: AipError) -> int:
    table: list[tuple[type[AipError], int]] = [
        (NotAuthorizedError, 401),
        (NotFoundError, 404),
        (NotReadyError, 409),
        (RequestTooLargeError, 413),
        (QueueFullError, 429),
        (InfeasibleError, 422),
        (SolverError, 503),
    ]
    for kind, status in table:
        if isinstance(exc, kind):
            return status
    return 422


def install_error_handlers(app: FastAPI) -> None:
    """JSON errors for aip errors, validation errors, HTTP errors and anything else."""

    async def aip_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AipError)
        status = _status_for(exc)
        headers = {"Retry-After": "10"} if status == 429 else None
        if status == 401:
            headers = {"WWW-Authenticate": "Bearer"}
        return JSONResponse(
            error_body(str(exc), getattr(exc, "field", None)), status_code=status, headers=headers
        )

    async def validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = exc.errors()
        if not errors:
            return JSONResponse(error_body("invalid request"), status_code=422)
        first = errors[0]
        loc = [str(p) for p in first.get("loc", ())]
        field = ".".join(loc[1:]) if len(loc) > 1 else ".".join(loc) or None
        where = f"{loc[0]} {field}" if loc and field else (field or "request")
        return JSONResponse(
            error_body(f"{where}: {first.get('msg', 'invalid value')}", field), status_code=422
        )

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return JSONResponse(
            error_body(str(exc.detail)), status_code=exc.status_code, headers=exc.headers
        )

    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse(
            error_body("internal server error; the details are in the server log"),
            status_code=500,
        )

    app.add_exception_handler(AipError, aip_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, internal_error)
