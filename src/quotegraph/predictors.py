"""The system side of the evaluations: run the pipeline and corpus passes on gold texts.

``quotegraph.evaluate`` reads gold data and scores whatever it is given; it never runs the
extractor. The functions here produce that input (statements per gold document, speaker ids
after the cross-article pass), and the CLI passes them to the scorers. Runtime code imports
neither this module nor ``evaluate``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from quotegraph.corpus.speakers import link_speakers
from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.speakers import GoldText, MentionKey
from quotegraph.pipeline import statements_for_texts
from quotegraph.store import Store
from quotegraph.types import Article, Extraction, Statement


class NamedText(Protocol):
    """A gold document as far as the extractor is concerned: a name and its text."""

    @property
    def name(self) -> str: ...

    @property
    def text(self) -> str: ...


def statements_by_name(
    workers: int,
) -> Callable[[Sequence[NamedText]], dict[str, tuple[Statement, ...]]]:
    """A predictor for the PolNeAR scorers: gold documents → extracted statements by name."""

    def predict(docs: Sequence[NamedText]) -> dict[str, tuple[Statement, ...]]:
        return dict(statements_for_texts(((d.name, d.text) for d in docs), workers=workers))

    return predict


def linked_speaker_ids(
    texts: Sequence[GoldText], predicted: Mapping[str, Sequence[Statement]], batches: int = 1
) -> tuple[dict[MentionKey, str | None], int]:
    """Write the documents into a fresh store in ``batches`` ingests (oldest first), running
    the speaker pass after each; returns the final speaker id per predicted mention and the
    number of ids merged."""
    if batches < 1:
        raise QuotegraphError("E044", detail="batches must be at least 1")
    merged = 0
    with Store.open(":memory:") as store:
        run_id = store.begin_run("eval speakers")
        size = -(-len(texts) // batches) or 1
        for first in range(0, len(texts), size):
            chunk = texts[first : first + size]
            store.write_extractions(run_id, (_extraction(t, predicted) for t in chunk))
            merged += link_speakers(store)
        found = {
            (record.statement.article_id, *record.statement.speaker_span): record.speaker_id
            for t in texts
            for record in store.statements(article_id=t.name)
            if record.statement.speaker_span is not None
        }
    return found, merged


def _extraction(text: GoldText, predicted: Mapping[str, Sequence[Statement]]) -> Extraction:
    article = Article(
        article_id=text.name,
        text=text.text,
        title=text.text.split("\n", 1)[0].strip() or None,
        source_file=text.name,
        outlet=text.outlet,
        published=text.published,
    )
    return Extraction(article, tuple(predicted.get(text.name, ())))
