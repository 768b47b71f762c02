"""Agreement and contradiction between statements, scored against real-news gold pairs.

The gold set (``tests/quality/relations_gold.jsonl``, described in ``relations_gold.md``)
holds pairs of speech statements from PolNeAR train and dev articles, each labelled
``contradicts``, ``agrees`` or ``neither``. A line refers to the article text by file and
character offsets and never copies it::

    {"id": "rel-001", "split": "dev", "label": "contradicts", "kinds": ["inside_article"],
     "a": {"doc": "dev/<name>.txt", "start": 123, "end": 200, "speaker": "..."},
     "b": {...}, "note": "..."}

``split`` is the PolNeAR split of both articles (a pair with a train article is ``train``):
dev pairs are the reporting set nobody tunes on, train pairs are for choosing thresholds.
The loader reads each side's text at its offsets from the PolNeAR folder, with the outlet
and date from ``metadata.tsv``.

The scorer takes one prediction per gold pair (``"contradicts"``, ``"agrees"`` or ``None``
for no relation) and gives precision, recall and F1 of each relation, the confusion matrix,
per split and over all pairs, and lists the pairs of one speaker with himself (a repeated
statement, kind ``self_repeat``, or the same speaker on both sides) that were related: a
speaker never agrees with or contradicts himself by repeating, so that list must be empty
except for a reversal. Nothing here runs the system: the caller decides how a pair is
predicted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.gold_lines import read_gold_lines
from quotegraph.evaluate.polnear_gold import NO_METADATA, ArticleMetadata, article_metadata

LABELS: tuple[str, ...] = ("contradicts", "agrees", "neither")
RELATIONS: tuple[str, ...] = ("contradicts", "agrees")
SPLITS: tuple[str, ...] = ("dev", "train")
SELF_KINDS = frozenset({"self_repeat"})
"""Kinds that mark a pair of one speaker with himself; a ``reversal`` is not among them."""

_NO_RELATION = "none"
_DOC = re.compile(r"(dev|train)/([^/\\]+)\.txt")


@dataclass(frozen=True)
class GoldSide:
    """One statement of a gold pair: where it is, who says it and the text at the offsets."""

    doc: str
    """``<split>/<name>.txt`` as written in the gold file."""
    start: int
    end: int
    speaker: str
    text: str
    outlet: str | None
    date: str | None


@dataclass(frozen=True)
class GoldPair:
    pair_id: str
    split: str
    label: str
    kinds: tuple[str, ...]
    a: GoldSide
    b: GoldSide


# --------------------------------------------------------------------------- loading


def load_relations_gold(path: Path, polnear_root: Path) -> list[GoldPair]:
    """Every pair of the gold file at ``path``, with each side's text read from the PolNeAR
    folder ``polnear_root`` (holding ``dev/text``, ``train/text`` and ``metadata.tsv``).

    A malformed line raises ``E076`` naming the file and line; a document that is not in
    ``polnear_root`` raises ``E077``.
    """
    root = Path(polnear_root)
    reader = _SideReader(root, article_metadata(root))
    return list(read_gold_lines(Path(path), lambda line, where: _pair(line, where, reader)))


class _SideReader:
    """Reads side texts from the PolNeAR folder, each article file once."""

    def __init__(self, root: Path, metadata: Mapping[str, ArticleMetadata]) -> None:
        self._root = root
        self._metadata = metadata
        self._texts: dict[str, str] = {}

    def side(self, row: Mapping[str, Any], where: str) -> GoldSide:
        doc, start, end, speaker = _side_fields(row, where)
        text = self._text(doc, where)
        if end > len(text):
            detail = f"offsets {start}-{end} run past the end of {doc} ({len(text)} characters)"
            raise QuotegraphError("E076", source=where, detail=detail)
        quoted = text[start:end]
        if not quoted.strip():
            raise QuotegraphError("E076", source=where, detail=f"{doc} {start}-{end} is blank")
        meta = self._metadata.get(_name_of(doc), NO_METADATA)
        return GoldSide(doc, start, end, speaker, quoted, meta.outlet, meta.published)

    def _text(self, doc: str, where: str) -> str:
        if doc not in self._texts:
            split, name = doc.split("/", 1)
            file = self._root / split / "text" / name
            if not file.is_file():
                raise QuotegraphError("E077", source=where, detail=f"{doc} not in {self._root}")
            # Offsets count characters of the file as it is: no newline translation.
            self._texts[doc] = file.read_bytes().decode("utf-8")
        return self._texts[doc]


def _pair(line: str, where: str, reader: _SideReader) -> GoldPair:
    try:
        row = json.loads(line)
        pair_id, split, label = str(row["id"]), row["split"], row["label"]
        kinds, sides = row["kinds"], (row["a"], row["b"])
    except (ValueError, KeyError, TypeError) as exc:
        raise QuotegraphError("E076", source=where, detail=f"not a pair: {exc}") from exc
    if split not in SPLITS or label not in LABELS:
        detail = f"split must be one of {SPLITS} and label one of {LABELS}"
        raise QuotegraphError("E076", source=where, detail=detail)
    if not isinstance(kinds, list) or not all(isinstance(kind, str) for kind in kinds):
        raise QuotegraphError("E076", source=where, detail="kinds must be a list of names")
    a, b = (reader.side(side, where) for side in sides)
    _check_split(split, (a.doc, b.doc), where)
    return GoldPair(pair_id, split, label, tuple(kinds), a, b)


def _side_fields(row: object, where: str) -> tuple[str, int, int, str]:
    if not isinstance(row, Mapping):
        raise QuotegraphError("E076", source=where, detail="a side must be an object")
    try:
        doc, start, end, speaker = row["doc"], row["start"], row["end"], row["speaker"]
    except KeyError as exc:
        raise QuotegraphError("E076", source=where, detail=f"a side lacks {exc}") from exc
    if not isinstance(doc, str) or not _DOC.fullmatch(doc):
        detail = f"doc must be 'dev/<name>.txt' or 'train/<name>.txt', got {doc!r}"
        raise QuotegraphError("E076", source=where, detail=detail)
    if not _offsets_ok(start, end):
        detail = f"start and end must be whole numbers with 0 <= start < end, got {start}, {end}"
        raise QuotegraphError("E076", source=where, detail=detail)
    if not isinstance(speaker, str) or not speaker.strip():
        raise QuotegraphError("E076", source=where, detail="a side needs a speaker")
    return doc, start, end, speaker.strip()


def _offsets_ok(start: object, end: object) -> bool:
    # bool is an int in Python; ``true`` is not an offset.
    numbers = all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end))
    return numbers and 0 <= start < end  # type: ignore[operator]


def _check_split(split: str, docs: Sequence[str], where: str) -> None:
    # A pair is dev only when both articles are dev: dev is the untouched reporting set.
    expected = "dev" if all(doc.startswith("dev/") for doc in docs) else "train"
    if split != expected:
        detail = f"split is {split!r} but its articles make it {expected!r}"
        raise QuotegraphError("E076", source=where, detail=detail)


def _name_of(doc: str) -> str:
    return doc.split("/", 1)[1].removesuffix(".txt")


# --------------------------------------------------------------------------- scoring


def score_relations(gold: Sequence[GoldPair], predicted: Sequence[str | None]) -> dict[str, Any]:
    """Score ``predicted[i]`` (``"contradicts"``, ``"agrees"`` or ``None``) against
    ``gold[i]``; returns a JSON-serialisable dict: ``all``, ``dev`` and ``train`` each with
    ``pairs``, per relation ``precision``/``recall``/``f1`` and the counts behind them
    (``gold``, ``predicted``, ``correct``), and ``confusion`` (gold label -> predicted label
    or ``none`` -> count); ``self_relations`` lists the pairs of a speaker with himself that
    were related, ``self_pairs`` how many such pairs there are."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(predicted)} predictions for {len(gold)} gold pairs")
    for value in predicted:
        if value is not None and value not in RELATIONS:
            raise ValueError(f"a prediction must be one of {RELATIONS} or None, got {value!r}")
    outcomes = list(zip(gold, predicted, strict=True))
    result: dict[str, Any] = {"all": _scores(outcomes)}
    for split in SPLITS:
        result[split] = _scores([(pair, guess) for pair, guess in outcomes if pair.split == split])
    own = [(pair, guess) for pair, guess in outcomes if is_self_pair(pair)]
    result["self_pairs"] = len(own)
    result["self_relations"] = [
        {"id": pair.pair_id, "split": pair.split, "speaker": pair.a.speaker, "predicted": guess}
        for pair, guess in own
        if guess is not None and "reversal" not in pair.kinds
    ]
    return result


def is_self_pair(pair: GoldPair) -> bool:
    """A pair of one speaker with himself: kind ``self_repeat`` or the same speaker name."""
    same = _speaker_key(pair.a.speaker) == _speaker_key(pair.b.speaker)
    return same or bool(SELF_KINDS.intersection(pair.kinds))


def _speaker_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _scores(outcomes: Sequence[tuple[GoldPair, str | None]]) -> dict[str, Any]:
    confusion = {label: dict.fromkeys((*RELATIONS, _NO_RELATION), 0) for label in LABELS}
    for pair, guess in outcomes:
        confusion[pair.label][guess or _NO_RELATION] += 1
    result: dict[str, Any] = {"pairs": len(outcomes)}
    for relation in RELATIONS:
        found = sum(row[relation] for row in confusion.values())
        result[relation] = _prf(
            sum(confusion[relation].values()), found, confusion[relation][relation]
        )
    result["confusion"] = confusion
    return result


def _prf(gold: int, predicted: int, correct: int) -> dict[str, Any]:
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "gold": gold,
        "predicted": predicted,
        "correct": correct,
    }
