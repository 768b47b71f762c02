"""Stores for the story and coverage tests, built without spaCy.

The bundled sample corpus is read with the ingest readers (no NLP); its statements come from
the reviewed snapshot ``tests/golden/sample_statements.golden.jsonl``, which holds what the
extractor finds in it. Hand-built articles are fictional.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from quotegraph.cli import sample_corpus_dir
from quotegraph.ingest import iter_inputs
from quotegraph.store import Store
from quotegraph.types import Article, Extraction, Statement

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
EXPECTED_STORIES: dict[str, list[str]] = json.loads(
    (GOLDEN / "sample_expectations.json").read_text(encoding="utf-8")
)["stories"]


def file_key(source_file: str | None) -> str:
    return Path(source_file or "").name


def _span(value: list[int] | None) -> tuple[int, int] | None:
    return None if value is None else (value[0], value[1])


def _statement(article_id: str, seq: int, row: dict) -> Statement:
    digest = hashlib.sha256(f"{article_id}:{seq}".encode()).hexdigest()[:16]
    return Statement(
        statement_id=f"{article_id}-{digest}",
        article_id=article_id,
        kind=row["kind"],
        content=row["content"],
        content_spans=tuple((s, e) for s, e in row["content_spans"]),
        cue=row["cue"],
        cue_span=_span(row["cue_span"]),
        speaker_mention=row["speaker_mention"],
        speaker_span=_span(row["speaker_span"]),
        speaker=row["speaker"],
        speaker_type=row["speaker_type"],
        confidence=0.8,
        rule=row["rule"],
    )


def sample_extractions() -> list[Extraction]:
    """The sample corpus as extractions, in file order, with the snapshot's statements."""
    rows: dict[str, list[dict]] = {}
    with (GOLDEN / "sample_statements.golden.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            rows.setdefault(file_key(row["source_file"]), []).append(row)
    extractions = []
    for item in iter_inputs([sample_corpus_dir()]):
        assert isinstance(item, Article), item
        found = rows.get(file_key(item.source_file), [])
        statements = tuple(_statement(item.article_id, n, r) for n, r in enumerate(found))
        extractions.append(Extraction(item, statements))
    return extractions


def input_file(extraction: Extraction) -> str:
    """The file an extraction came from (both JSONL rows share one)."""
    return file_key(extraction.article.source_file).split("#")[0]


def write(store: Store, extractions: Iterable[Extraction]) -> None:
    run_id = store.begin_run("test")
    store.write_extractions(run_id, extractions)


def groups_by_file(store: Store) -> set[frozenset[str]]:
    """The stored stories as sets of the sample's file keys."""
    found = set()
    for story in store.stories():
        keys = []
        for article_id in story.article_ids:
            article = store.article(article_id)
            assert article is not None
            keys.append(file_key(article.source_file))
        found.add(frozenset(keys))
    return found


def expected_groups() -> set[frozenset[str]]:
    return {frozenset(files) for files in EXPECTED_STORIES.values()}


def article(
    key: str,
    text: str,
    *,
    title: str,
    outlet: str = "Lantern Gazette",
    published: str | None = "2031-05-02",
) -> Article:
    """A hand-built article; ``key`` makes its id readable in failures."""
    return Article(
        article_id=f"{key}-{hashlib.sha256(text.encode()).hexdigest()[:8]}",
        text=text,
        title=title,
        source_file=f"{key}.txt",
        outlet=outlet,
        published=published,
    )


def said(item: Article, seq: int, speaker: str | None, content: str) -> Statement:
    """A statement of ``item`` by ``speaker`` (None: an unnamed source)."""
    start = item.text.find(content)
    assert start >= 0, content
    return Statement(
        statement_id=f"{item.article_id}-s{seq}",
        article_id=item.article_id,
        kind="direct",
        content=content,
        content_spans=((start, start + len(content)),),
        cue="said",
        speaker=speaker,
        speaker_mention=speaker or "officials",
        speaker_type="person" if speaker else "anonymous",
        confidence=0.9,
        rule="quote",
    )


def ordered_files(extractions: Sequence[Extraction]) -> list[list[Extraction]]:
    """The extractions grouped by input file, in file order."""
    by_file: dict[str, list[Extraction]] = {}
    for extraction in extractions:
        by_file.setdefault(input_file(extraction), []).append(extraction)
    return list(by_file.values())
