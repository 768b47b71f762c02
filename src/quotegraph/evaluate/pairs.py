"""Score a pair model on labelled sentence pairs (``quotegraph eval pairs``).

A pairs file is JSONL, one ``{"premise", "hypothesis", "label"}`` a line. Labels are three-way
(``entailment`` / ``neutral`` / ``contradiction``) or two-way (``entailment`` /
``not_entailment``); Climate-FEVER's ``SUPPORTS`` / ``REFUTES`` / ``NOT_ENOUGH_INFO`` read as
the three-way ones. A three-way file is scored by the most probable label; a two-way file by
whether entailment outweighs the other two together. Only scoring lives here: the
probabilities come from the caller.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from quotegraph.errors import QuotegraphError

THREE_WAY = ("entailment", "neutral", "contradiction")
TWO_WAY = ("entailment", "not_entailment")
ALIASES = {"SUPPORTS": "entailment", "REFUTES": "contradiction", "NOT_ENOUGH_INFO": "neutral"}
UNLABELLED = frozenset({"-", ""})
"""SNLI's "no consensus" mark: such pairs have no gold label."""


@dataclass(frozen=True)
class LabelledPair:
    premise: str
    hypothesis: str
    label: str
    """One of ``THREE_WAY`` or ``TWO_WAY``."""


def read_pairs(path: Path) -> list[LabelledPair]:
    """Every labelled pair of a JSONL file (no-consensus pairs left out); a malformed line is
    E075 with its line number."""
    if not path.is_file():
        raise QuotegraphError("E043", source=str(path), detail="pairs file not found")
    pairs = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            pair = _pair(line, f"{path}:{number}")
            if pair is not None:
                pairs.append(pair)
    _check_one_scheme(pairs, str(path))
    return pairs


def _check_one_scheme(pairs: Sequence[LabelledPair], where: str) -> None:
    """A file is scored in one scheme: two-way as soon as one label is ``not_entailment``,
    when every ``neutral`` or ``contradiction`` gold would count as wrong whatever the
    model said. A file mixing them is refused rather than scored that way."""
    labels = {pair.label for pair in pairs}
    two_way_only = labels & (set(TWO_WAY) - set(THREE_WAY))
    three_way_only = labels & (set(THREE_WAY) - set(TWO_WAY))
    if two_way_only and three_way_only:
        detail = f"mixes two-way and three-way labels: {sorted(two_way_only | three_way_only)}"
        raise QuotegraphError("E075", source=where, detail=detail)


def _pair(line: str, where: str) -> LabelledPair | None:
    try:
        row = json.loads(line)
    except ValueError as exc:
        raise QuotegraphError("E075", source=where, detail=str(exc)) from exc
    if not isinstance(row, dict):
        raise QuotegraphError("E075", source=where, detail="a line must be a JSON object")
    missing = [k for k in ("premise", "hypothesis", "label") if not isinstance(row.get(k), str)]
    if missing:
        raise QuotegraphError("E075", source=where, detail=f"missing {', '.join(missing)}")
    label = ALIASES.get(row["label"], row["label"])
    if label in UNLABELLED:
        return None
    if label not in THREE_WAY and label not in TWO_WAY:
        raise QuotegraphError("E075", source=where, detail=f"unknown label {row['label']!r}")
    return LabelledPair(row["premise"], row["hypothesis"], label)


def predicted_labels(labels: Sequence[str], probabilities: np.ndarray) -> list[str]:
    """The model's answers in the gold labels' scheme: two-way if any gold is two-way."""
    if _two_way(labels):
        return ["entailment" if r[0] > r[1] + r[2] else "not_entailment" for r in probabilities]
    return [THREE_WAY[int(np.argmax(row))] for row in probabilities]


def _two_way(labels: Sequence[str]) -> bool:
    return "not_entailment" in labels


def score_pairs(labels: Sequence[str], probabilities: np.ndarray) -> dict[str, Any]:
    """Accuracy, macro-F1 and per-class F1 of the model's answers against ``labels``."""
    if len(labels) != len(probabilities):
        raise ValueError("one probability row per label is needed")
    answers = predicted_labels(labels, probabilities)
    classes = TWO_WAY if _two_way(labels) else THREE_WAY
    per_class = {c: round(_f1(labels, answers, c), 4) for c in classes}
    right = sum(a == g for a, g in zip(answers, labels, strict=True))
    return {
        "pairs": len(labels),
        "scheme": "two-way" if classes == TWO_WAY else "three-way",
        "accuracy": round(right / len(labels), 4) if labels else 0.0,
        "macro_f1": round(sum(per_class.values()) / len(classes), 4),
        "per_class_f1": per_class,
    }


def _f1(gold: Sequence[str], answers: Sequence[str], label: str) -> float:
    hits = sum(g == a == label for g, a in zip(gold, answers, strict=True))
    predicted = sum(a == label for a in answers)
    wanted = sum(g == label for g in gold)
    if not hits:
        return 0.0
    precision, recall = hits / predicted, hits / wanted
    return 2 * precision * recall / (precision + recall)
