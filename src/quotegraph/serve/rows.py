"""JSON rows for the API, on top of ``quotegraph.export``'s row functions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from quotegraph.corpus.overview import SpeakerActivity, story_voices
from quotegraph.export import Row, article_row, figure_row, speaker_row, statement_row
from quotegraph.serve.listing import Page
from quotegraph.types import Article, FigureRecord, StatementRecord, StorySummary

T = TypeVar("T")


def page_json(page: Page[T], to_row: Callable[[T], Row]) -> dict[str, Any]:
    return {"items": [to_row(item) for item in page.items], "next_cursor": page.next_cursor}


def empty_page() -> dict[str, Any]:
    return {"items": [], "next_cursor": None}


def story_row(summary: StorySummary) -> Row:
    story = summary.story
    return {
        "story_id": story.story_id,
        "title": story.title,
        "article_ids": list(story.article_ids),
        "outlets": list(story.outlets),
        "first_published": story.first_published,
        "last_published": story.last_published,
        "statement_count": len(summary.statements),
    }


def story_detail(summary: StorySummary, articles: Iterable[Article]) -> Row:
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
    return {
        **story_row(summary),
        "articles": [article_row(a) for a in articles],
        "voices": voices,
        "statements": [statement_row(r) for r in summary.statements],
        # Filled by the claims pass, which has not landed yet.
        "agreements": [],
        "contradictions": [],
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
) -> Row:
    return {
        **article_row(article),
        "text": article.text,
        "statements": [statement_row(r) for r in statements],
        "figures": [figure_row(f) for f in figures],
        "story_id": story_id,
    }
