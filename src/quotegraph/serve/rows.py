"""JSON rows for the API, on top of ``quotegraph.export``'s row functions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from quotegraph.corpus.overview import SpeakerActivity, story_voices
from quotegraph.export import (
    Row,
    article_row,
    figure_row,
    relation_row,
    speaker_row,
    statement_row,
)
from quotegraph.serve.listing import Page
from quotegraph.types import (
    Article,
    DayCount,
    FigureRecord,
    RelationRecord,
    SpeakerTimeline,
    StatementRecord,
    Story,
    StoryCoverage,
    StorySummary,
)

T = TypeVar("T")


def page_json(page: Page[T], to_row: Callable[[T], Row]) -> dict[str, Any]:
    return {"items": [to_row(item) for item in page.items], "next_cursor": page.next_cursor}


def empty_page() -> dict[str, Any]:
    return {"items": [], "next_cursor": None}


def story_row(story: Story) -> Row:
    return {
        "story_id": story.story_id,
        "title": story.title,
        "article_ids": list(story.article_ids),
        "outlets": list(story.outlets),
        "first_published": story.first_published,
        "last_published": story.last_published,
        "statement_count": story.statement_count,
    }


def _days(days: Iterable[DayCount]) -> list[Row]:
    return [{"day": d.day, "count": d.count} for d in days]


def coverage_json(coverage: StoryCoverage) -> Row:
    return {
        "story_id": coverage.story.story_id,
        "title": coverage.story.title,
        "speakers": [
            {"speaker_id": s.speaker_id, "name": s.name, "statements": s.statements}
            for s in coverage.speakers
        ],
        "outlets": [
            {
                "outlet": o.outlet,
                "article_ids": list(o.article_ids),
                "statements": o.statements,
                "quoted": dict(o.quoted),
                "unattributed": o.unattributed,
                "left_out": list(o.left_out),
            }
            for o in coverage.outlets
        ],
        "timeline": _days(coverage.days),
    }


def timeline_json(timeline: SpeakerTimeline) -> Row:
    return {
        "speaker_id": timeline.speaker_id,
        "name": timeline.name,
        "timeline": _days(timeline.days),
        "undated": timeline.undated,
        "stories": [
            {"story_id": s.story_id, "title": s.title, "timeline": _days(s.days)}
            for s in timeline.stories
        ],
    }


def story_detail(
    summary: StorySummary,
    articles: Iterable[Article],
    relations: Iterable[RelationRecord] = (),
) -> Row:
    voices = [
        {
            "outlet": group.outlet,
            "voices": [
                {"label": v.label, "speaker_id": v.speaker_id, "statements": v.statements}
                for v in group.voices
            ],
        }
        for group in story_voices(summary)
    ]
    related = list(relations)
    return {
        **story_row(summary.story),
        "articles": [article_row(a) for a in articles],
        "voices": voices,
        "statements": [statement_row(r) for r in summary.statements],
        "agreements": [relation_row(r) for r in related if r.relation.relation == "agrees"],
        "contradictions": [
            relation_row(r) for r in related if r.relation.relation == "contradicts"
        ],
    }


def speaker_detail(activity: SpeakerActivity) -> Row:
    return {
        **speaker_row(activity.speaker),
        "by_kind": dict(activity.by_kind),
        "by_outlet": dict(activity.by_outlet),
        "timeline": [{"day": d.day, "count": d.count} for d in activity.per_day],
        "article_ids": list(activity.article_ids),
    }


def article_detail(
    article: Article,
    statements: Iterable[StatementRecord],
    figures: Iterable[FigureRecord],
    story_id: str | None,
    also_published_as: Iterable[str] = (),
) -> Row:
    return {
        **article_row(article),
        "text": article.text,
        "statements": [statement_row(r) for r in statements],
        "figures": [figure_row(f) for f in figures],
        "story_id": story_id,
        "also_published_as": list(also_published_as),
    }


@dataclass(frozen=True)
class ApiOperation:
    """One operation of the OpenAPI schema, as the API page lists it."""

    method: str
    path: str
    operation_id: str
    summary: str
    description: str
    parameters: list[tuple[str, str, str]]
    """(name, where: query or path, description); deprecated names are left out."""


def api_operations(schema: Mapping[str, Any]) -> list[ApiOperation]:
    """The operations of an OpenAPI document in path order."""
    found = []
    for path, methods in schema.get("paths", {}).items():
        for method, spec in methods.items():
            params = [
                (p["name"], p.get("in", ""), _param_text(p))
                for p in spec.get("parameters", [])
                if not p.get("deprecated") and not p.get("schema", {}).get("deprecated")
            ]
            found.append(
                ApiOperation(
                    method=method.upper(),
                    path=path,
                    operation_id=spec.get("operationId", ""),
                    summary=spec.get("summary", ""),
                    description=spec.get("description", ""),
                    parameters=params,
                )
            )
    return found


def _param_text(param: Mapping[str, Any]) -> str:
    return str(param.get("description") or param.get("schema", {}).get("description") or "")
