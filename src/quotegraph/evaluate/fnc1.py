"""Score stance predictions against FNC-1 (Fake News Challenge, stage 1) and ARC.

The corpora are third-party text: they are read from CSV files beside the checkout and never
copied into the package. Both come as two files: bodies (``Body ID``, ``articleBody``) and
stances (``Headline``, ``Body ID``, ``Stance``), where a stance is one of ``agree``,
``disagree``, ``discuss`` or ``unrelated``. Bodies hold newlines and quotes, so they are read
with the csv module.

Our own held-out part of FNC-1 train is chosen by body, not by pair, so that no body seen in
training is scored: ``is_held_out`` hashes the body id (``HOLDOUT_PERCENT`` of the bodies).
Tuning uses a second, inner split of the remaining bodies (``is_inner_dev``).

Measures: F1 per class, macro-F1 over the four classes, and the official FNC-1 score, which
gives 0.25 for telling related from unrelated and 0.75 more for the right
agree/disagree/discuss on a related pair.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quotegraph.errors import QuotegraphError
from quotegraph.types import STANCE_LABELS, StanceLabel

HOLDOUT_PERCENT = 12
INNER_DEV_PERCENT = 15
_HOLDOUT_SALT = "quotegraph/fnc1/holdout"
_INNER_SALT = "quotegraph/fnc1/inner-dev"
RELATED: frozenset[str] = frozenset({"agree", "disagree", "discuss"})

BODY_COLUMNS = ("Body ID", "articleBody")
STANCE_COLUMNS = ("Headline", "Body ID", "Stance")
_FIELD_LIMIT = 2**31 - 1


@dataclass(frozen=True)
class StancePair:
    """One annotated pair: a claim (headline), the id of a body and the gold stance."""

    claim: str
    body_id: str
    stance: StanceLabel


# --------------------------------------------------------------------------- reading


def default_data_dir() -> Path:
    """``$QUOTEGRAPH_SHARED/data/fnc-1``, else ``../shared/data/fnc-1`` beside the repo."""
    shared = os.environ.get("QUOTEGRAPH_SHARED")
    if shared:
        return Path(shared) / "data" / "fnc-1"
    repo_root = Path(__file__).resolve().parents[3]
    return repo_root.parent / "shared" / "data" / "fnc-1"


def _rows(path: Path, columns: Sequence[str]) -> Iterable[dict[str, str]]:
    if not path.is_file():
        raise QuotegraphError("E043", source=str(path), detail="FNC-1 style CSV file not found")
    # A body may be longer than the csv module's default field limit (128 KiB); the limit
    # is process-wide, so it is only ever raised (2**31 - 1: a C long on every platform).
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or ())]
            if missing:
                raise QuotegraphError(
                    "E056", source=str(path), detail=f"missing column(s): {', '.join(missing)}"
                )
            yield from reader
    except UnicodeDecodeError as exc:
        raise QuotegraphError("E004", source=str(path)) from exc
    except csv.Error as exc:
        raise QuotegraphError("E056", source=str(path), detail=str(exc)) from exc


def read_bodies(path: Path, prefix: str = "") -> dict[str, str]:
    """Body id → body text; ``prefix`` keeps ids of different corpora apart (``arc:12``)."""
    rows = _rows(path, BODY_COLUMNS)
    return {prefix + row["Body ID"].strip(): row["articleBody"] for row in rows}


def read_stances(path: Path, prefix: str = "") -> list[StancePair]:
    """Every pair of a stances file, in file order; an unknown stance is an error."""
    pairs = []
    for line, row in enumerate(_rows(path, STANCE_COLUMNS), start=2):
        stance = row["Stance"].strip().lower()
        if stance not in STANCE_LABELS:
            raise QuotegraphError(
                "E056", source=f"{path}:{line}", detail=f"unknown stance {row['Stance']!r}"
            )
        pairs.append(StancePair(row["Headline"], prefix + row["Body ID"].strip(), stance))
    return pairs


def check_bodies(pairs: Iterable[StancePair], bodies: Mapping[str, str], source: str) -> None:
    """Every pair's body must exist: a stances file and the wrong bodies file fail early."""
    missing = sorted({p.body_id for p in pairs} - bodies.keys())
    if missing:
        shown = ", ".join(missing[:5])
        raise QuotegraphError(
            "E056",
            source=source,
            detail=f"{len(missing)} body id(s) not in the bodies file: {shown}",
        )


# --------------------------------------------------------------------------- splits


def _bucket(body_id: str, salt: str) -> int:
    digest = hashlib.sha256(f"{salt}:{body_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100


def is_held_out(body_id: str) -> bool:
    """Whether this FNC-1 body belongs to our held-out part of train (never trained on)."""
    return _bucket(body_id, _HOLDOUT_SALT) < HOLDOUT_PERCENT


def is_inner_dev(body_id: str) -> bool:
    """Whether a training body belongs to the inner dev split used for tuning."""
    return _bucket(body_id, _INNER_SALT) < INNER_DEV_PERCENT


# --------------------------------------------------------------------------- measures


def per_class_f1(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """F1 of each of the four stances (0.0 for a class neither side ever uses)."""
    _check_lengths(gold, predicted)
    result: dict[str, float] = {}
    for label in STANCE_LABELS:
        hits = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        gold_n = sum(1 for g in gold if g == label)
        pred_n = sum(1 for p in predicted if p == label)
        result[label] = 2 * hits / (gold_n + pred_n) if gold_n + pred_n else 0.0
    return result


def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float]:
    """The official FNC-1 score and the best score these gold labels allow."""
    _check_lengths(gold, predicted)
    score = 0.0
    for g, p in zip(gold, predicted, strict=True):
        if (g in RELATED) == (p in RELATED):
            score += 0.25
        if g in RELATED and g == p:
            score += 0.75
    best = sum(1.0 if g in RELATED else 0.25 for g in gold)
    return score, best


def confusion(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, dict[str, int]]:
    """Gold stance → predicted stance → count."""
    counts = Counter(zip(gold, predicted, strict=True))
    return {g: {p: counts[(g, p)] for p in STANCE_LABELS} for g in STANCE_LABELS}


def score(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Every measure for one run as a JSON-ready dict."""
    f1 = per_class_f1(gold, predicted)
    raw, best = fnc_score(gold, predicted)
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    return {
        "pairs": len(gold),
        "macro_f1": round(sum(f1.values()) / len(f1), 4),
        "per_class_f1": {label: round(value, 4) for label, value in f1.items()},
        "fnc_score": raw,
        "fnc_score_max": best,
        "fnc_score_relative": round(raw / best, 4) if best else 0.0,
        "accuracy": round(correct / len(gold), 4) if gold else 0.0,
        "gold_counts": dict(Counter(gold)),
        "confusion": confusion(gold, predicted),
    }


def _check_lengths(gold: Sequence[str], predicted: Sequence[str]) -> None:
    if len(gold) != len(predicted):
        raise QuotegraphError(
            "E044", detail=f"{len(gold)} gold labels but {len(predicted)} predictions"
        )


# --------------------------------------------------------------------------- evaluation

Predictor = Callable[[Sequence[tuple[str, str]]], Sequence[str]]
"""(claim, body text) pairs → one predicted stance per pair."""


def evaluate_fnc1(
    bodies_path: Path,
    stances_path: Path,
    *,
    holdout: bool = False,
    predict: Predictor,
) -> dict[str, Any]:
    """Score ``predict`` (the CLI passes the shipped stance model) on a bodies/stances pair.

    With ``holdout`` only the pairs whose body is in our held-out part are scored, so the
    FNC-1 train files can measure the shipped model, which never saw those bodies.
    """
    bodies = read_bodies(bodies_path)
    pairs = read_stances(stances_path)
    check_bodies(pairs, bodies, str(stances_path))
    if holdout:
        pairs = [p for p in pairs if is_held_out(p.body_id)]
    if not pairs:
        raise QuotegraphError("E044", source=str(stances_path), detail="no pairs to evaluate")
    predicted = list(predict([(p.claim, bodies[p.body_id]) for p in pairs]))
    result = score([p.stance for p in pairs], predicted)
    result["bodies"] = len({p.body_id for p in pairs})
    result["holdout"] = holdout
    return result
