"""Speaker resolution within an article, scored on a hand-labelled set of PolNeAR dev sources.

PolNeAR marks the *source* of every attribution, but many sources are a pronoun ("he",
"who", "we") or a description ("the senator", "attorneys for the family") rather than a
name. The gold set (``tests/quality/resolution_gold.jsonl``, see its ``.md``) takes every
such dev source and records whom it refers to: a name with the other forms the article uses
(``referent``, ``aliases``), or no name at all (``referent`` null) when the article never
names the source ("experts", "people familiar with the talks"). Each line is
``{"doc", "start", "end", "kind", "referent", "aliases"}``: offsets of PolNeAR's source span
into the article's ``.txt``, ``kind`` ``pronoun`` or ``description``; no article text.

The system's answer for a gold source is the statement whose ``speaker_span`` overlaps it
most. Its resolved ``speaker`` is right when

* the gold names a referent and the speaker names the same one: after dropping case,
  punctuation, titles and articles, one name's words contain the other's and both end in
  the same word ("Clinton" and "Mrs. Clinton" for "Hillary Clinton"; not "Bill Clinton");
* the gold names no one and the speaker names no one either: no speaker, a speaker typed
  ``anonymous`` or ``group`` ("Republican officials"), or a description with no capitalised
  word after its first.

A source that no statement's speaker span overlaps counts as ``not_found``: accuracy is
given over all gold sources and over those found, so that a resolver is not flattered by an
extractor that finds few of the hard cases.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.gold_lines import read_gold_lines
from quotegraph.evaluate.polnear_gold import GoldDocument, load_split
from quotegraph.types import Statement

SourceKind = Literal["pronoun", "description"]
Outcome = Literal["correct", "wrong", "not_found"]
SPLIT = "dev"
"""The PolNeAR split the gold set was drawn from."""

# Words that are not part of a name: articles, titles, roles (str.split keeps the list short).
_TITLES = frozenset(
    """the a an mr mrs ms miss dr sen senator rep representative gov governor president
    secretary gen general judge justice rev prof former vice presidential candidate
    nominee""".split()  # noqa: SIM905
)
_DETERMINERS = frozenset(
    "some many several two three four most other others all both these those this that".split()  # noqa: SIM905
)
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


@dataclass(frozen=True)
class ResolutionItem:
    """One gold source: its offsets, its kind and whom it refers to (None: no one named)."""

    doc: str
    start: int
    end: int
    kind: SourceKind
    referent: str | None
    aliases: tuple[str, ...] = ()


Predict = Callable[[Sequence[GoldDocument]], Mapping[str, Sequence[Statement]]]


def load_resolution_gold(path: Path) -> tuple[ResolutionItem, ...]:
    """Read the gold JSONL (E068 for a malformed line)."""
    return read_gold_lines(path, _gold_line)


def _gold_line(line: str, where: str) -> ResolutionItem:
    try:
        record = json.loads(line)
        referent = record["referent"]
        item = ResolutionItem(
            doc=str(record["doc"]),
            start=int(record["start"]),
            end=int(record["end"]),
            kind=record["kind"],
            referent=None if referent is None else str(referent),
            aliases=tuple(str(alias) for alias in record.get("aliases", ())),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise QuotegraphError("E068", source=where, detail=str(exc)) from exc
    if item.kind not in ("pronoun", "description") or item.start >= item.end:
        raise QuotegraphError("E068", source=where, detail="bad kind or empty span")
    return item


# --------------------------------------------------------------------------- matching


def name_words(name: str) -> tuple[str, ...]:
    """The words of ``name`` without case, punctuation, titles or articles; a possessive
    ``'s`` is dropped ("Trump's campaign" -> trump, campaign)."""
    words = [w.casefold().removesuffix("'s") for w in _WORD.findall(name.replace("’", "'"))]
    return tuple(w for w in words if w and w not in _TITLES)


def same_referent(predicted: str, gold: str) -> bool:
    """Whether two names name the same referent: one's words contain the other's and both
    end in the same word."""
    mine, theirs = name_words(predicted), name_words(gold)
    if not mine or not theirs or mine[-1] != theirs[-1]:
        return False
    return set(mine) <= set(theirs) or set(theirs) <= set(mine)


def names_someone(statement: Statement) -> bool:
    """Whether a statement's resolved speaker is a name rather than no one or a vague source."""
    speaker = statement.speaker
    if not speaker or statement.speaker_type in ("anonymous", "group"):
        return False
    words = speaker.split()
    return any(word[:1].isupper() for word in words[1:]) or (
        words[0][:1].isupper() and words[0].casefold() not in _TITLES | _DETERMINERS
    )


def outcome(item: ResolutionItem, statements: Sequence[Statement]) -> Outcome:
    """How the system did on one gold source (see the module docstring)."""
    statement = _overlapping(item, statements)
    if statement is None:
        return "not_found"
    if item.referent is None:
        return "wrong" if names_someone(statement) else "correct"
    speaker = statement.speaker
    names = (item.referent, *item.aliases)
    if speaker and any(same_referent(speaker, name) for name in names):
        return "correct"
    return "wrong"


def _overlapping(item: ResolutionItem, statements: Sequence[Statement]) -> Statement | None:
    best, best_overlap = None, 0
    for statement in statements:
        if statement.speaker_span is None:
            continue
        start, end = statement.speaker_span
        overlap = min(end, item.end) - max(start, item.start)
        if overlap > best_overlap:
            best, best_overlap = statement, overlap
    return best


# --------------------------------------------------------------------------- evaluation


def evaluate_resolution(data_dir: Path, gold_path: Path, predict: Predict) -> dict[str, Any]:
    """Accuracy of in-article speaker resolution on the gold sources (JSON-ready)."""
    items = load_resolution_gold(gold_path)
    wanted = {item.doc for item in items}
    docs = [doc for doc in load_split(data_dir, SPLIT) if doc.name in wanted]
    missing = wanted - {doc.name for doc in docs}
    if missing:
        raise QuotegraphError(
            "E069", source=str(gold_path), detail=f"not in PolNeAR {SPLIT}: {sorted(missing)[:3]}"
        )
    predicted = predict(docs)
    outcomes = [(item, outcome(item, predicted.get(item.doc, ()))) for item in items]
    return {
        "split": SPLIT,
        "documents": len(docs),
        "all": _summary([o for _, o in outcomes]),
        "by_kind": {
            kind: _summary([o for item, o in outcomes if item.kind == kind])
            for kind in ("pronoun", "description")
        },
        "by_referent": {
            group: _summary([o for item, o in outcomes if (item.referent is None) == unnamed])
            for group, unnamed in (("named", False), ("unnamed", True))
        },
    }


def _summary(outcomes: Sequence[Outcome]) -> dict[str, float | int]:
    counts = Counter(outcomes)
    found = counts["correct"] + counts["wrong"]
    return {
        "items": len(outcomes),
        "correct": counts["correct"],
        "wrong": counts["wrong"],
        "not_found": counts["not_found"],
        "accuracy": round(counts["correct"] / len(outcomes), 4) if outcomes else 0.0,
        "accuracy_found": round(counts["correct"] / found, 4) if found else 0.0,
    }
