"""Unknown query parameters are refused (E081, 400), not ignored; so is a single-valued one
given twice (E044, 422).

A misspelt or misplaced filter (``/contradictions?speaker=...``) would otherwise answer as if
there were no filter at all, and ``?until=2016-01-01&until=2016-09-01`` as if only the last
had been written. The names a route takes come from its own declaration: its query
parameters, and the fields of a query model (``Annotated[Model, Query()]``).
"""

from __future__ import annotations

from typing import Any, get_args, get_origin

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
    repeatable = _repeatable_names(route)
    for name in request.query_params:
        if name not in repeatable and len(request.query_params.getlist(name)) > 1:
            raise QuotegraphError(
                "E044", source=name[:100], detail="this query parameter takes one value"
            )


def query_parameter_names(route: APIRoute) -> frozenset[str]:
    """Every query parameter name ``route`` (and its dependencies) declares."""
    found = _NAMES.get(id(route))
    if found is None:
        found = _NAMES[id(route)] = _declared_names(route)
    return found


def _declared_names(route: APIRoute, *, lists_only: bool = False) -> frozenset[str]:
    names: set[str] = set()
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        pending.extend(dependant.dependencies)
        for param in dependant.query_params:
            model = _model_of(param.field_info.annotation)
            if model is None:
                if not lists_only or _takes_many(param.field_info.annotation):
                    names.add(param.alias)
            else:
                names.update(
                    f.alias or name
                    for name, f in model.model_fields.items()
                    if not lists_only or _takes_many(f.annotation)
                )
    return frozenset(names)


_LISTS: dict[int, frozenset[str]] = {}


def _repeatable_names(route: APIRoute) -> frozenset[str]:
    """The query parameters of ``route`` that take a list (may be given more than once)."""
    found = _LISTS.get(id(route))
    if found is None:
        found = _LISTS[id(route)] = _declared_names(route, lists_only=True)
    return found


def _takes_many(annotation: Any) -> bool:
    """Whether a parameter's type is a list, set or tuple (alone or in a union with None)."""
    origin = get_origin(annotation)
    if origin in {list, set, tuple, frozenset}:
        return True
    return any(_takes_many(arg) for arg in get_args(annotation)) if origin is not None else False


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None
