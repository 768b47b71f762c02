"""URL pieces shared by the templates and the article highlighter."""

from __future__ import annotations

from urllib.parse import quote


def urlpart(value: object) -> str:
    """``value`` as one URL path segment: ``/`` and everything else special is %-escaped."""
    return quote(str(value), safe="")
