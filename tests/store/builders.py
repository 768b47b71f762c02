"""Hand-built records for store tests: small, explicit, with offsets that point into text."""

from __future__ import annotations

from quotegraph.types import Article, Dateline, Extraction, Figure, Statement

TEXT = (
    "NAIROBI (Wire - 12th March, 2020) - The ministry will act, Jane Doe said on Monday. "
    '"We are ready," she said. Some 3,500 peacekeepers are in the region.'
)


def span_of(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return (start, start + len(words))


def article(article_id: str = "a1", **fields: object) -> Article:
    values: dict[str, object] = {
        "text": TEXT,
        "title": f"Title of {article_id}",
        "source_file": f"{article_id}.txt",
        "outlet": "Wire",
        "published": "2020-03-12",
        "author": "A. Reporter",
        "dateline": Dateline("NAIROBI", (0, 36), "2020-03-12", "Wire"),
        "metadata": {"section": "world"},
    }
    values.update(fields)
    return Article(article_id=article_id, **values)  # type: ignore[arg-type]


def statement(
    art: Article,
    seq: int,
    words: str,
    *,
    speaker: str | None = "Jane Doe",
    mention: str | None = "Jane Doe",
    **fields: object,
) -> Statement:
    values: dict[str, object] = {
        "kind": "indirect",
        "cue": "said",
        "cue_span": span_of(art.text, "said"),
        "speaker_mention": mention,
        "speaker_span": span_of(art.text, mention) if mention and mention in art.text else None,
        "speaker": speaker,
        "speaker_type": "person" if speaker else "unknown",
        "speaker_role": None,
        "confidence": 0.8,
        "rule": "indirect_said",
    }
    values.update(fields)
    return Statement(
        statement_id=f"{art.article_id}#s{seq}",
        article_id=art.article_id,
        content=words,
        content_spans=(span_of(art.text, words),),
        **values,  # type: ignore[arg-type]
    )


def figure(art: Article, seq: int = 0) -> Figure:
    return Figure(
        figure_id=f"{art.article_id}#f{seq}",
        article_id=art.article_id,
        value=3500.0,
        text="Some 3,500 peacekeepers",
        span=span_of(art.text, "Some 3,500 peacekeepers"),
        qualifier="some",
        unit=None,
        counts="peacekeepers in the region",
    )


def extraction(article_id: str = "a1", **fields: object) -> Extraction:
    """An article with two statements (one by Jane Doe, one via 'she') and one figure."""
    art = article(article_id, **fields)
    first = statement(art, 0, "The ministry will act", speaker_role="health minister")
    second = statement(art, 1, "We are ready,", mention="she", kind="direct")
    return Extraction(art, (first, second), (figure(art),))
