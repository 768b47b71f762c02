"""Serve a store over HTTP: a JSON API under ``/api/v1`` and a server-rendered web UI.

Needs the ``web`` extra (FastAPI, uvicorn, Jinja2): ``pip install 'quotegraph[web]'``. Like the
CLI this is a front end only: every answer comes from ``Store``'s public methods and from
``quotegraph.corpus``; there is no SQL and no NLP in this package.

>>> from quotegraph.serve import ServeConfig, create_app        # doctest: +SKIP
>>> app = create_app(ServeConfig(db=Path("news.db"), token="s3cret"))
"""

from __future__ import annotations

import gc
import importlib
import logging
from typing import TYPE_CHECKING

from quotegraph.errors import missing_extra
from quotegraph.serve.config import ServeConfig

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["ServeConfig", "create_app", "run_server"]

logger = logging.getLogger(__name__)

_WEB_MODULES = ("fastapi", "uvicorn", "jinja2")


def require_web_extra() -> None:
    """Raise E042 naming the ``[web]`` extra when one of its packages is missing."""
    for module in _WEB_MODULES:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise missing_extra("web", module) from exc


def create_app(config: ServeConfig) -> FastAPI:
    """The ASGI app over the store ``config.db`` (created and migrated if needed)."""
    require_web_extra()
    from quotegraph.serve.app import build_app

    return build_app(config)


def run_server(config: ServeConfig, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``config.db`` with uvicorn until interrupted."""
    app = create_app(config)
    import uvicorn

    # What is loaded by now (spaCy, FastAPI, the app) lives as long as the server. Frozen out
    # of the cyclic collector, it is no longer walked by every full collection, which large
    # pages trigger every few requests (60-100 ms pauses at the p95 of limit=500 otherwise).
    gc.freeze()

    logger.info("serving %s on http://%s:%d", config.db, host, port)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
