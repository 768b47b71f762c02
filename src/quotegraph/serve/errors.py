"""One error shape for every failure: ``{"error": {"code", "message", "status"}}``.

API paths (``/api/...``) answer JSON; pages answer an HTML error page with the same status,
code and message. Internal errors say nothing about their cause (it is logged instead).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.routing import Match

from quotegraph.errors import QuotegraphError
from quotegraph.serve.backend import Unavailable
from quotegraph.serve.schemas import ErrorResponse
from quotegraph.serve.templating import render_error

logger = logging.getLogger(__name__)

VALIDATION_CODE = "E044"

STATUS_FOR_CODE: dict[str, int] = {
    "E007": 413,  # over a size limit
    "E011": 422,
    "E012": 422,
    "E014": 422,
    "E040": 422,
    "E041": 422,
    "E044": 422,  # invalid argument
    "E032": 503,  # database busy: try again
}
"""Coded errors that are the client's to fix (4xx) or passing (503); all others are 500."""

_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")

SLUG_FOR_STATUS: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    500: "internal_error",
    503: "unavailable",
}


def error_body(
    status: int, code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    info: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details is not None:
        info["details"] = details
    return {"error": info}


def error_json(
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(status, code, message, details), status, headers=headers)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting the error shape for ``statuses``."""
    return {
        status: {"model": ErrorResponse, "description": SLUG_FOR_STATUS.get(status, "error")}
        for status in statuses
    }


def slug(status: int) -> str:
    return SLUG_FOR_STATUS.get(status, f"http_{status}")


def _answer(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if request.url.path.startswith("/api/"):
        return error_json(status, code, message, details, headers)
    page = render_error(request, status=status, code=code, message=message)
    return HTMLResponse(page, status, headers=headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = exc.detail if isinstance(exc.detail, str) else slug(exc.status_code)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return _answer(request, exc.status_code, slug(exc.status_code), message, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path. Starlette names only those of the first
    route matching the path, so GET and POST on one path would report just GET."""
    routes = request.app.router.routes
    return [
        method
        for method in _METHODS
        if any(r.matches({**request.scope, "method": method})[0] == Match.FULL for r in routes)
    ]


def _loc(loc: Sequence[Any]) -> list[str | int]:
    return [part if isinstance(part, int) else str(part) for part in loc]


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # Only where and what: pydantic's "input" may echo a whole (hostile, huge) body back.
    details = [
        {"loc": _loc(e.get("loc", ())), "message": str(e.get("msg", ""))} for e in exc.errors()
    ]
    first = details[0] if details else {"loc": [], "message": "invalid request"}
    where = ".".join(str(part) for part in first["loc"])
    message = f"{where}: {first['message']}" if where else str(first["message"])
    return _answer(request, 422, VALIDATION_CODE, message, details)


async def _quotegraph_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, QuotegraphError)
    status = STATUS_FOR_CODE.get(exc.code, 500)
    if status >= 500:
        logger.error("%s %s failed: %s", request.method, request.url.path, exc.describe())
    message = exc.describe() if status < 500 else f"{exc.code}: {exc.summary}"
    return _answer(request, status, exc.code, message)


async def _unavailable(request: Request, exc: Exception) -> Response:
    return _answer(request, 503, slug(503), str(exc))


async def _internal_error(request: Request, exc: Exception) -> Response:
    logger.exception("%s %s failed", request.method, request.url.path, exc_info=exc)
    return _answer(request, 500, slug(500), "internal server error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(QuotegraphError, _quotegraph_error)
    app.add_exception_handler(Unavailable, _unavailable)
    app.add_exception_handler(Exception, _internal_error)
