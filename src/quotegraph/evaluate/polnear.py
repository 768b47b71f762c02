"""Score attributed statements against the PolNeAR gold (Newell et al., LREC 2018).

The gold is read by ``polnear_gold``; every comparison is made on its word tokens. A part
(content, source or cue) becomes the set of token indices its spans cover; a part that
covers no token counts as missing, on the gold and on the predicted side alike.

Predictions are ``Statement`` objects whose offsets point into ``GoldDocument.text`` exactly
as loaded (title line included): run the extractor on an ``Article`` whose ``text`` is that
string. This module scores; it never runs the extractor (the CLI wires the two).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.calibration import reliability
from quotegraph.evaluate.polnear_gold import (
    PARTS,
    QUOTE_MARKS,
    GoldAttribution,
    GoldDocument,
    covered_tokens,
    is_quoted,
    load_split,
    word_tokens,
)
from quotegraph.types import Span, Statement

METRICS: tuple[str, ...] = (
    *(f"{part}.{mode}" for part in PARTS for mode in ("exact", "lenient")),
    "attribution",
    "attribution_exact_content",
    "direct.content",
    "direct.with_speaker",
)
"""Flat names of every figure ``score`` reports; a dot separates the nesting levels."""

T = TypeVar("T")


# --------------------------------------------------------------------------- scoring items


@dataclass(frozen=True)
class _Item:
    """An attribution (gold or predicted) as token sets."""

    content: frozenset[int]
    source: frozenset[int]
    cue: frozenset[int]
    direct: bool

    def part(self, name: str) -> frozenset[int]:
        return {"content": self.content, "source": self.source, "cue": self.cue}[name]


@dataclass(frozen=True)
class _Counts:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def __add__(self, other: _Counts) -> _Counts:
        return _Counts(self.tp + other.tp, self.n_pred + other.n_pred, self.n_gold + other.n_gold)

    def report(self) -> dict[str, float | int]:
        precision = self.tp / self.n_pred if self.n_pred else 0.0
        recall = self.tp / self.n_gold if self.n_gold else 0.0
        total = precision + recall
        f1 = 2 * precision * recall / total if total else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "tp": self.tp,
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
        }


def _gold_item(doc: GoldDocument, tokens: Sequence[Span], gold: GoldAttribution) -> _Item:
    return _Item(
        content=covered_tokens(tokens, gold.content),
        source=covered_tokens(tokens, gold.source),
        cue=covered_tokens(tokens, gold.cue),
        direct=is_quoted(doc.text, gold.content),
    )


def _predicted_item(text: str, tokens: Sequence[Span], statement: Statement) -> _Item:
    direct = (
        statement.kind == "direct"
        or is_quoted(text, statement.content_spans)
        or statement.content.lstrip()[:1] in QUOTE_MARKS
    )
    return _Item(
        content=covered_tokens(tokens, statement.content_spans),
        source=covered_tokens(tokens, _optional(statement.speaker_span)),
        cue=covered_tokens(tokens, _optional(statement.cue_span)),
        direct=direct,
    )


def _optional(span: Span | None) -> tuple[Span, ...]:
    return () if span is None else (span,)


# --------------------------------------------------------------------------- matching

MatchKey = tuple[int, ...]


def _lenient_key(gold: frozenset[int], pred: frozenset[int]) -> MatchKey | None:
    shared = len(gold & pred)
    return (shared, -len(gold ^ pred)) if shared else None


def _exact_key(gold: frozenset[int], pred: frozenset[int]) -> MatchKey | None:
    return (len(gold), 0) if gold and gold == pred else None


def _source_key(gold: _Item, pred: _Item) -> MatchKey | None:
    """Sources match leniently; a gold item without a source needs a prediction without one."""
    if not gold.source:
        return None if pred.source else (0, 0)
    return _lenient_key(gold.source, pred.source)


def _attribution_key(gold: _Item, pred: _Item) -> MatchKey | None:
    return _combine(_lenient_key(gold.content, pred.content), _source_key(gold, pred))


def _attribution_exact_key(gold: _Item, pred: _Item) -> MatchKey | None:
    return _combine(_exact_key(gold.content, pred.content), _source_key(gold, pred))


def _combine(content: MatchKey | None, source: MatchKey | None) -> MatchKey | None:
    if content is None or source is None:
        return None
    return (content[0], source[0], content[1] + source[1])


def _matches(gold: Sequence[T], pred: Sequence[T], key: Callable[[T, T], MatchKey | None]) -> int:
    """Greedy one-to-one matching by decreasing overlap; returns the number of pairs."""
    candidates: list[tuple[MatchKey, int, int]] = []
    for i, gold_item in enumerate(gold):
        for j, pred_item in enumerate(pred):
            found = key(gold_item, pred_item)
            if found is not None:
                candidates.append((found, i, j))
    candidates.sort(key=lambda candidate: candidate[0], reverse=True)
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for _, i, j in candidates:
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
    return len(used_gold)


def _count(gold: Sequence[T], pred: Sequence[T], key: Callable[[T, T], MatchKey | None]) -> _Counts:
    return _Counts(tp=_matches(gold, pred, key), n_pred=len(pred), n_gold=len(gold))


def _part_counts(gold: Sequence[_Item], pred: Sequence[_Item]) -> dict[str, _Counts]:
    counts: dict[str, _Counts] = {}
    for part in PARTS:
        gold_sets = [item.part(part) for item in gold if item.part(part)]
        pred_sets = [item.part(part) for item in pred if item.part(part)]
        counts[f"{part}.exact"] = _count(gold_sets, pred_sets, _exact_key)
        counts[f"{part}.lenient"] = _count(gold_sets, pred_sets, _lenient_key)
    return counts


def _attribution_counts(gold: Sequence[_Item], pred: Sequence[_Item]) -> dict[str, _Counts]:
    gold = [item for item in gold if item.content]
    pred = [item for item in pred if item.content]
    gold_direct = [item for item in gold if item.direct]
    pred_direct = [item for item in pred if item.direct]
    return {
        "attribution": _count(gold, pred, _attribution_key),
        "attribution_exact_content": _count(gold, pred, _attribution_exact_key),
        "direct.content": _count(
            [item.content for item in gold_direct],
            [item.content for item in pred_direct],
            _lenient_key,
        ),
        "direct.with_speaker": _count(gold_direct, pred_direct, _attribution_key),
    }


def _document_counts(doc: GoldDocument, predicted: Sequence[Statement]) -> dict[str, _Counts]:
    tokens = word_tokens(doc.text)
    gold = [_gold_item(doc, tokens, attribution) for attribution in doc.attributions]
    pred = [_predicted_item(doc.text, tokens, statement) for statement in predicted]
    return _part_counts(gold, pred) | _attribution_counts(gold, pred)


# --------------------------------------------------------------------------- public scoring


def score(
    gold: Sequence[GoldDocument],
    predicted: Mapping[str, Sequence[Statement]],
    *,
    split: str | None = None,
) -> dict[str, Any]:
    """Micro-averaged precision, recall and F1 of ``predicted`` against ``gold``.

    ``predicted`` maps a document name to its statements; a document missing from it has
    no predictions. A name that is not a gold document raises ``E044`` (it usually means
    the keys were built wrongly, which would otherwise read as recall 0).
    """
    unknown = sorted(set(predicted) - {doc.name for doc in gold})
    if unknown:
        raise QuotegraphError(
            "E044", detail=f"predictions for documents not in the gold set: {unknown[:3]}"
        )
    totals = {metric: _Counts() for metric in METRICS}
    for doc in gold:
        for metric, counts in _document_counts(doc, predicted.get(doc.name, ())).items():
            totals[metric] += counts
    return {"split": split, "documents": len(gold), **_nest(totals)}


def _nest(totals: Mapping[str, _Counts]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for metric, counts in totals.items():
        head, _, tail = metric.partition(".")
        if tail:
            nested.setdefault(head, {})[tail] = counts.report()
        else:
            nested[head] = counts.report()
    return nested


def evaluate_polnear(
    data_dir: Path,
    split: str,
    predict: Callable[[Sequence[GoldDocument]], Mapping[str, Sequence[Statement]]],
    limit: int | None = None,
    offset: int = 0,
) -> dict[str, Any]:
    """Load ``split``, call ``predict`` once on all (or ``limit``) documents after the first
    ``offset`` in name order, score. ``--split train --offset 640`` is the last 200 train
    articles, the part no rule or threshold was tuned on since issue 24.

    Adds ``seconds`` (wall time of ``predict`` alone) and ``articles_per_second``.
    """
    if limit is not None and limit < 0:
        raise QuotegraphError("E044", detail=f"limit must be >= 0, got {limit}")
    if offset < 0:
        raise QuotegraphError("E044", detail=f"offset must be >= 0, got {offset}")
    docs = load_split(data_dir, split)[offset:][:limit]
    started = time.perf_counter()
    predicted = predict(docs)
    seconds = time.perf_counter() - started
    result = score(docs, predicted, split=split)
    result["calibration"] = reliability(docs, predicted)
    result["seconds"] = round(seconds, 4)
    result["articles_per_second"] = round(len(docs) / seconds, 4) if seconds > 0 else 0.0
    return result


# --------------------------------------------------------------------------- helpers


def gold_statistics(docs: Sequence[GoldDocument]) -> dict[str, Any]:
    """Counts (and shares of all attributions) describing the gold of ``docs``."""
    attributions = [a for doc in docs for a in doc.attributions]
    quoted = sum(is_quoted(doc.text, a.content) for doc in docs for a in doc.attributions)
    counts = {
        "quote_mark_content": quoted,
        "no_source": sum(not a.source for a in attributions),
        "no_cue": sum(not a.cue for a in attributions),
        "discontinuous_content": sum(len(a.content) > 1 for a in attributions),
    }
    total = len(attributions)
    shares = {f"{name}_share": round(n / total, 4) if total else 0.0 for name, n in counts.items()}
    per_doc = round(total / len(docs), 4) if docs else 0.0
    return {
        "documents": len(docs),
        "attributions": total,
        "attributions_per_document": per_doc,
        **counts,
        **shares,
    }


def gold_to_statements(doc: GoldDocument) -> tuple[Statement, ...]:
    """The gold of ``doc`` as ``Statement`` objects: an oracle for checking the harness.

    ``Statement`` holds one source and one cue span, so a discontinuous gold source or cue
    becomes the span from its first start to its last end.
    """
    return tuple(
        _gold_statement(doc, index, attribution)
        for index, attribution in enumerate(doc.attributions)
    )


def _gold_statement(doc: GoldDocument, index: int, gold: GoldAttribution) -> Statement:
    source, cue = _hull(gold.source), _hull(gold.cue)
    return Statement(
        statement_id=f"{doc.name}#{index}",
        article_id=doc.name,
        kind="direct" if is_quoted(doc.text, gold.content) else "indirect",
        content=" ".join(doc.text[start:end] for start, end in gold.content),
        content_spans=gold.content,
        cue=None if cue is None else doc.text[cue[0] : cue[1]],
        cue_span=cue,
        speaker_mention=None if source is None else doc.text[source[0] : source[1]],
        speaker_span=source,
        confidence=1.0,
        rule="gold",
    )


def _hull(spans: Sequence[Span]) -> Span | None:
    return (spans[0][0], spans[-1][1]) if spans else None
