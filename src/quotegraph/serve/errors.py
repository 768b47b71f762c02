"""One error shape for every failure: ``{"error": {"code", "message", "status"}}``.

Every code comes from the one catalogue (``quotegraph.errors``), plain HTTP failures included
(404 is E080, 401 E082, ...). API paths (``/api/...``) answer JSON; pages answer an HTML
error page with the same status, code and message. Messages are plain words: a validation
error names the parameter and what it must be, never pydantic's internals or a pattern.
Internal errors say nothing about their cause (it is logged instead).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.routing import Match

from quotegraph.errors import CATALOGUE, QuotegraphError
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
    "E080": 404,
    "E081": 400,  # unknown query parameter
    "E082": 401,
    "E083": 403,
    "E084": 405,
    "E085": 415,
    "E087": 503,
}
"""Coded errors that are the client's to fix (4xx) or passing (503); all others are 500."""

CODE_FOR_STATUS: dict[int, str] = {
    400: "E044",
    401: "E082",
    403: "E083",
    404: "E080",
    405: "E084",
    413: "E007",
    415: "E085",
    422: "E044",
    500: "E086",
    503: "E087",
}
"""The catalogue code of an HTTP failure raised without one (a route that does not exist,
a missing token); any other status is reported as E044 below 500 and E086 from 500 up."""

_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


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
        status: {
            "model": ErrorResponse,
            "description": f"{code_for(status)}: {CATALOGUE[code_for(status)]}",
        }
        for status in statuses
    }


def code_for(status: int) -> str:
    return CODE_FOR_STATUS.get(status, "E086" if status >= 500 else "E044")


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
    code = code_for(exc.status_code)
    # Starlette's own details ("Not Found") are replaced by the catalogue's words.
    given = exc.detail if isinstance(exc.detail, str) else ""
    message = given if given and given != _STARLETTE_DETAIL.get(exc.status_code) else None
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
        message = f"{request.method} is not allowed here; use {headers['Allow']}"
    text = message or f"{CATALOGUE[code]}: {request.url.path}"
    return _answer(request, exc.status_code, code, text, headers=headers)


_STARLETTE_DETAIL = {404: "Not Found", 405: "Method Not Allowed"}


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path. Starlette names only those of the first
    route matching the path, so GET and POST on one path would report just GET."""
    routes = request.app.router.routes
    return [
        method
        for method in _METHODS
        if any(r.matches({**request.scope, "method": method})[0] == Match.FULL for r in routes)
    ]


_PLACES = ("query", "path", "body", "header", "cookie")

DATE_PARAMETERS = frozenset({"since", "until"})
"""Parameters whose pattern is a date: their message gives examples, not the pattern."""


def _loc(loc: Sequence[Any]) -> list[str | int]:
    """Where the problem is, without pydantic's union branches (``literal['a','b']``)."""
    kept: list[str | int] = []
    for part in loc:
        if isinstance(part, int):
            kept.append(part)
        elif part in _PLACES or not kept or "[" not in str(part):
            kept.append(str(part))
    return kept


def _where(loc: list[str | int]) -> str:
    """``limit``, ``body``, ``body item 2``: the parameter as a client would name it."""
    if len(loc) >= 2 and loc[0] in ("query", "path", "header", "cookie"):
        return str(loc[1])
    rest = [f"item {p + 1}" if isinstance(p, int) else p for p in loc[1:]]
    return " ".join(["body", *map(str, rest)]) if loc and loc[0] == "body" else "request"


def plain_words(error: Mapping[str, Any], where: str) -> str:
    """What a parameter must be, in words (pydantic's type and context, never its input)."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        return f"must be {_choices(str(ctx.get('expected', '')))}"
    if kind == "string_pattern_mismatch":
        if where in DATE_PARAMETERS:
            return "must be a date such as 2025-03-10 (or 2025-03, 2025, 2025-03-10T09:30)"
        return "has the wrong form"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "must be a whole number"
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters long"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "missing":
        return "is required"
    if kind == "json_invalid":
        return "is not valid JSON"
    if kind in ("model_attributes_type", "dict_type", "model_type", "list_type"):
        return "must be a JSON object with the article's fields, or a list of them"
    if kind == "string_type":
        return "must be text"
    return "is not valid here"


def _choices(expected: str) -> str:
    """``'a', 'b' or ''`` -> ``'a' or 'b'``: the blank a form may send is not a choice."""
    values = [v for v in re.findall(r"'([^']*)'", expected) if v]
    if not values:
        return "one of the listed values"
    quoted = [f"'{v}'" for v in values]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # Only where and what: pydantic's "input" may echo a whole (hostile, huge) body back.
    details: list[dict[str, Any]] = []
    seen: set[str] = set()
    for error in exc.errors():
        loc = _loc(error.get("loc", ()))
        where = _where(loc)
        if where in seen:
            continue  # a union reports each branch; the first says enough
        seen.add(where)
        details.append({"loc": loc, "message": f"{where} {plain_words(error, where)}"})
    message = details[0]["message"] if details else "the request is not valid"
    return _answer(request, 422, VALIDATION_CODE, message, details)


async def _quotegraph_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, QuotegraphError)
    status = STATUS_FOR_CODE.get(exc.code, 500)
    if status >= 500:
        logger.error("%s %s failed: %s", request.method, request.url.path, exc.describe())
    message = exc.describe() if status < 500 else f"{exc.code}: {exc.summary}"
    return _answer(request, status, exc.code, message)


async def _unavailable(request: Request, exc: Exception) -> Response:
    return _answer(request, 503, "E087", str(exc))


async def _internal_error(request: Request, exc: Exception) -> Response:
    logger.exception("%s %s failed", request.method, request.url.path, exc_info=exc)
    return _answer(request, 500, "E086", "internal server error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(QuotegraphError, _quotegraph_error)
    app.add_exception_handler(Unavailable, _unavailable)
    app.add_exception_handler(Exception, _internal_error)
