"""Jinja2 templates shipped in the package, autoescaped everywhere.

Every article, title, name and quote is hostile input. Templates never use ``|safe``: the
only ``Markup`` they receive comes from ``highlight`` and ``svg``, which escape every piece of
text they put in. Links from input data pass ``safe_href`` (http and https only), and values
put into URLs pass ``urlpart`` / ``query``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from starlette.requests import Request

from quotegraph import __version__
from quotegraph.serve.highlight import mark_terms
from quotegraph.serve.urls import urlpart

NAV = (
    ("/", "Overview"),
    ("/stories", "Stories"),
    ("/speakers", "Speakers"),
    ("/claims", "Claims"),
    ("/contradictions", "Contradictions"),
    ("/api", "API"),
)


def query(params: Mapping[str, Any] | None = None, **more: Any) -> str:
    """``?a=1&b=2`` from the parameters that have a value (empty string when none do)."""
    merged = {**(params or {}), **more}
    kept = {k: v for k, v in merged.items() if v not in (None, "")}
    return "?" + urlencode(kept) if kept else ""


def safe_href(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) link, else None (no ``javascript:`` links)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def day(published: str | None) -> str:
    """``2025-03-10T09:30:00Z`` -> ``10 Mar 2025``; unparseable values are shown as given."""
    if not published:
        return "undated"
    try:
        return date.fromisoformat(published[:10]).strftime("%-d %b %Y")
    except ValueError:
        return published


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else (many or singular + 's')}"


def shorten(text: str | None, width: int = 160) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


_CODE = re.compile(r"`([^`]+)`")


def inline_code(text: str | None) -> Markup:
    """Documentation text as HTML: escaped, with `backticked` words as ``<code>``."""
    escaped = str(escape(" ".join((text or "").split())))
    return Markup(_CODE.sub(r"<code>\1</code>", escaped))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("quotegraph.serve", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        urlpart=urlpart,
        safe_href=safe_href,
        day=day,
        shorten=shorten,
        marked=mark_terms,
        inline_code=inline_code,
    )
    env.globals.update(nav=NAV, query=query, plural=plural, version=__version__)
    return env


def render(request: Request, name: str, **context: Any) -> str:
    """Render template ``name`` with ``context`` plus the request (for the active nav)."""
    template = environment().get_template(name)
    return template.render(request=request, path=request.url.path, **context)


def render_error(request: Request, *, status: int, code: str, message: str) -> str:
    return render(request, "error.html", status=status, code=code, message=message)
