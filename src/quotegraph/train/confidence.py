"""Fit the statement confidence table (``quotegraph train confidence``).

The extractor runs over a PolNeAR split; each statement is right or wrong by
``evaluate.calibration.outcomes``. ``fit`` turns those outcomes into the
``rule|kind|resolution`` table that ``quotegraph.extract.confidence`` reads: per bucket the
share of right statements, smoothed towards its rule's share. Fit on train, check on dev.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from quotegraph.evaluate.calibration import outcomes
from quotegraph.evaluate.polnear_gold import GoldDocument, load_split
from quotegraph.pipeline import analysed_for_texts
from quotegraph.types import Statement

# A bucket with few statements leans on its rule's share; this many pseudo-observations.
SMOOTHING = 5.0


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


def train_confidence(data_dir: Path, split: str = "train", *, workers: int = 2) -> dict[str, Any]:
    """Run the extractor over ``split`` and fit the confidence table on its outcomes."""
    docs = load_split(data_dir, split)
    analysed = dict(analysed_for_texts(((d.name, d.text) for d in docs), workers=workers))
    table = fit(docs, analysed)
    table["trained_on"] = {"data": "PolNeAR", "split": split, "documents": len(docs)}
    return table
