"""The system side of the evaluations: run the pipeline and corpus passes on gold texts.

``quotegraph.evaluate`` reads gold data and scores whatever it is given; it never runs the
extractor. The functions here produce that input (statements per gold document, speaker ids
after the cross-article pass), and the CLI passes them to the scorers. Runtime code imports
neither this module nor ``evaluate``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Protocol

from quotegraph.corpus.judge import Judgement, PairSide, judge_pairs
from quotegraph.corpus.pair_model import PairScorer
from quotegraph.corpus.speakers import link_speakers
from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.relations import GoldPair
from quotegraph.evaluate.speakers import GoldText, MentionKey
from quotegraph.extract.tagger import SHIPPED
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
    workers: int, tagger: str = SHIPPED
) -> Callable[[Sequence[NamedText]], dict[str, tuple[Statement, ...]]]:
    """A predictor for the PolNeAR scorers: gold documents → extracted statements by name
    (``tagger``: which attribution tagger adds statements, see ``tagger_for``)."""

    def predict(docs: Sequence[NamedText]) -> dict[str, tuple[Statement, ...]]:
        texts = ((d.name, d.text) for d in docs)
        return dict(statements_for_texts(texts, workers=workers, tagger=tagger))

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


def judged_gold_pairs(gold: Sequence[GoldPair], scorer: PairScorer) -> list[Judgement]:
    """The pair model's judge on each gold pair (both sides with their gold speakers), with
    the stance pass's rule for one speaker: never agreeing with himself, and contradicting
    himself only on another day (a reversal)."""
    sides = [
        (
            PairSide(pair.a.text, pair.a.speaker, pair.a.doc, pair.a.date),
            PairSide(pair.b.text, pair.b.speaker, pair.b.doc, pair.b.date),
        )
        for pair in gold
    ]
    judged = judge_pairs(sides, scorer)
    return [_one_speaker_rule(pair, j) for pair, j in zip(gold, judged, strict=True)]


def _one_speaker_rule(pair: GoldPair, judged: Judgement) -> Judgement:
    if pair.a.speaker.casefold() != pair.b.speaker.casefold() or judged.kind is None:
        return judged
    if judged.kind == "contradicts" and pair.a.date != pair.b.date:
        return judged
    return replace(judged, kind=None, evidence="one speaker: a repetition, not a relation")
