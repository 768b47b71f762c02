"""Fit and check the confidence of statements against gold attributions.

A predicted statement counts as right when some gold attribution of its article overlaps
both its content and its speaker mention (word tokens, as in ``polnear``). ``fit`` turns
those outcomes into the ``rule|kind|resolution`` table that ``quotegraph.extract.confidence``
ships; ``reliability`` bins predictions by confidence and compares each bin's mean
confidence with how often its statements were right (a calibrated 0.9 is right 9 times in 10).
Fit on train, check on dev.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from quotegraph.evaluate.polnear import GoldDocument, covered_tokens, load_split, word_tokens
from quotegraph.types import Statement

# A bucket with few statements leans on its rule's share; this many pseudo-observations.
SMOOTHING = 5.0
BINS = 10


def outcomes(doc: GoldDocument, statements: Sequence[Statement]) -> list[bool]:
    """For each statement, whether a gold attribution overlaps its content and source."""
    tokens = word_tokens(doc.text)
    gold = [
        (covered_tokens(tokens, g.content), covered_tokens(tokens, g.source))
        for g in doc.attributions
    ]
    results = []
    for statement in statements:
        content = covered_tokens(tokens, statement.content_spans)
        source = covered_tokens(tokens, [statement.speaker_span] if statement.speaker_span else [])
        results.append(
            any(
                content & g_content and (source & g_source if g_source else not source)
                for g_content, g_source in gold
            )
        )
    return results


def fit(
    docs: Sequence[GoldDocument], analysed: Mapping[str, Sequence[tuple[Statement, str]]]
) -> dict[str, Any]:
    """The confidence table: per bucket and per rule, the smoothed share of right statements."""
    by_bucket: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for doc in docs:
        pairs = analysed.get(doc.name, ())
        for (statement, key), right in zip(
            pairs, outcomes(doc, [s for s, _ in pairs]), strict=True
        ):
            for counts in (by_bucket[key], by_rule[statement.rule]):
                counts[0] += right
                counts[1] += 1
    rules = {rule: (hits + 1) / (total + 2) for rule, (hits, total) in by_rule.items()}
    buckets = {
        key: (hits + SMOOTHING * rules[key.split("|")[0]]) / (total + SMOOTHING)
        for key, (hits, total) in by_bucket.items()
    }
    return {
        "buckets": {k: round(v, 4) for k, v in sorted(buckets.items())},
        "rules": {k: round(v, 4) for k, v in sorted(rules.items())},
        "counts": dict(sorted(by_bucket.items())),
    }


def reliability(
    docs: Sequence[GoldDocument], predicted: Mapping[str, Sequence[Statement]]
) -> dict[str, Any]:
    """Reliability table (``BINS`` equal-width bins) and expected calibration error."""
    bins: list[list[float]] = [[0, 0.0, 0] for _ in range(BINS)]  # count, sum conf, right
    for doc in docs:
        statements = predicted.get(doc.name, ())
        for statement, right in zip(statements, outcomes(doc, statements), strict=True):
            row = bins[min(int(statement.confidence * BINS), BINS - 1)]
            row[0] += 1
            row[1] += statement.confidence
            row[2] += right
    total = sum(row[0] for row in bins) or 1
    table = [
        {
            "bin": f"{i / BINS:.1f}-{(i + 1) / BINS:.1f}",
            "count": int(count),
            "mean_confidence": round(conf / count, 4),
            "accuracy": round(right / count, 4),
        }
        for i, (count, conf, right) in enumerate(bins)
        if count
    ]
    ece = sum(r["count"] / total * abs(r["mean_confidence"] - r["accuracy"]) for r in table)
    return {"bins": table, "ece": round(ece, 4), "statements": int(total)}


def train_confidence(data_dir: Path, split: str = "train", *, workers: int = 2) -> dict[str, Any]:
    """Run the extractor over ``split`` and fit the confidence table on its outcomes."""
    from quotegraph.pipeline import analysed_for_texts

    docs = load_split(data_dir, split)
    analysed = dict(analysed_for_texts(((d.name, d.text) for d in docs), workers=workers))
    table = fit(docs, analysed)
    table["trained_on"] = {"data": "PolNeAR", "split": split, "documents": len(docs)}
    return table
