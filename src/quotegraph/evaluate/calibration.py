"""Check the confidence of statements against gold attributions.

A predicted statement counts as right when some gold attribution of its article overlaps
both its content and its speaker mention (word tokens, as in ``polnear``). ``reliability``
bins predictions by confidence and compares each bin's mean confidence with how often its
statements were right (a calibrated 0.9 is right 9 times in 10). The table itself is fitted
on train by ``quotegraph.train.confidence`` from the same ``outcomes``; check it on dev.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from quotegraph.evaluate.polnear_gold import GoldDocument, covered_tokens, word_tokens
from quotegraph.types import Statement

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
    # (bin, count, mean confidence, accuracy), the last two rounded as reported
    rows = [
        (i, int(count), round(conf / count, 4), round(right / count, 4))
        for i, (count, conf, right) in enumerate(bins)
        if count
    ]
    ece = sum(count / total * abs(mean - accuracy) for _, count, mean, accuracy in rows)
    table = [
        {
            "bin": f"{i / BINS:.1f}-{(i + 1) / BINS:.1f}",
            "count": count,
            "mean_confidence": mean,
            "accuracy": accuracy,
        }
        for i, count, mean, accuracy in rows
    ]
    return {"bins": table, "ece": round(ece, 4), "statements": int(total)}
