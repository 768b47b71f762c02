"""Unknown query parameters are refused (E081, 400), not ignored.

A misspelt or misplaced filter (``/contradictions?speaker=...``) would otherwise answer as if
there were no filter at all. The names a route takes come from its own declaration: its
query parameters, and the fields of a query model (``Annotated[Model, Query()]``).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute
from pydantic import BaseModel

from quotegraph.errors import QuotegraphError

_NAMES: dict[int, frozenset[str]] = {}
"""Allowed names by route (routes are not hashable; they live as long as their app)."""


async def reject_unknown_query_parameters(request: Request) -> None:
    """A router dependency: E081 naming the first parameter this route does not take."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed = query_parameter_names(route)
    for name in request.query_params:
        if name not in allowed:
            takes = ", ".join(sorted(allowed)) or "no query parameters"
            raise QuotegraphError("E081", source=name[:100], detail=f"{route.path} takes: {takes}")


def query_parameter_names(route: APIRoute) -> frozenset[str]:
    """Every query parameter name ``route`` (and its dependencies) declares."""
    found = _NAMES.get(id(route))
    if found is None:
        found = _NAMES[id(route)] = _declared_names(route)
    return found


def _declared_names(route: APIRoute) -> frozenset[str]:
    names: set[str] = set()
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        pending.extend(dependant.dependencies)
        for param in dependant.query_params:
            model = _model_of(param.field_info.annotation)
            if model is None:
                names.add(param.alias)
            else:
                names.update(f.alias or name for name, f in model.model_fields.items())
    return frozenset(names)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None
