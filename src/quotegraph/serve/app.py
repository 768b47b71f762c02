"""Assemble the FastAPI app: API and UI routers, static files, error handlers, middleware."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from quotegraph import __version__
from quotegraph.serve import api, web
from quotegraph.serve.backend import Backend
from quotegraph.serve.config import ServeConfig
from quotegraph.serve.errors import install_error_handlers
from quotegraph.serve.middleware import BodyLimit, SecurityHeaders

DESCRIPTION = """\
Who said what, when, where: attributed statements extracted from news.

Reads are open. Writes (`POST /api/v1/articles`) need the bearer token the server was
started with; a server started without one answers them with 403.
Every error has one shape: `{"error": {"code", "message", "status"}}`, its code from the
same catalogue as the command line's (E080 not found, E081 an unknown query parameter, E044
an invalid value, ...). Filters have one name everywhere (`story`, `speaker`, `outlet`).
List endpoints answer `{"items": [...], "next_cursor": ...}`; pass `next_cursor` back as
`cursor` for the next page until it is null.
"""


def _operation_id(route: APIRoute) -> str:
    """The handler's name (``list_statements``), not FastAPI's path-and-method compound."""
    return route.name


def build_app(config: ServeConfig) -> FastAPI:
    app = FastAPI(
        title="quotegraph",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        # The bundled documentation pages load their scripts from a CDN; /api lists the
        # operations instead, served from here.
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=_operation_id,
    )
    app.state.backend = Backend(config)
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(packages=[("quotegraph.serve", "static")]), name="static")
    # Added last runs first: headers go on every answer, including a 413.
    app.add_middleware(BodyLimit, max_bytes=config.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app
