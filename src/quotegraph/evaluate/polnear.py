"""Score attributed statements against the PolNeAR gold (Newell et al., LREC 2018).

The corpus is third-party text: it is read from a folder beside the checkout and never copied
into the package. Layout under ``data_dir``::

    metadata.tsv                       compartment, filename, annotators (pipe-separated), ...
    <split>/text/<name>.txt            title, a blank line, then the body
    <split>/attributions/<name>_<annotator>.ann    brat standoff

Every comparison is made on word tokens, not characters, because gold offsets are sometimes
one character off: a token is a run of letters or digits (punctuation and quote marks are
not tokens), and a span covers a token when it covers at least half of its characters. A
part (content, source or cue) becomes the set of token indices its spans cover; a part that
covers no token counts as missing, on the gold and on the predicted side alike.

Predictions are ``Statement`` objects whose offsets point into ``GoldDocument.text`` exactly
as loaded (title line included): run the extractor on an ``Article`` whose ``text`` is that
string.
"""

from __future__ import annotations

import csv
import os
import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from quotegraph.errors import QuotegraphError
from quotegraph.types import Span, Statement

SPLITS: tuple[str, ...] = ("train", "dev")
QUOTE_MARKS = frozenset("\"'“”‘’„‟‚‛«»‹›`")
"""Characters whose presence at the start of a content span makes it a direct quotation."""

PARTS: tuple[str, ...] = ("content", "source", "cue")
METRICS: tuple[str, ...] = (
    *(f"{part}.{mode}" for part in PARTS for mode in ("exact", "lenient")),
    "attribution",
    "attribution_exact_content",
    "direct.content",
    "direct.with_speaker",
)
"""Flat names of every figure ``score`` reports; a dot separates the nesting levels."""

_DIGITS = "0123456789"
_TOKEN = re.compile(r"[^\W_]+")
_TEXT_BOUND = re.compile(r"(T\d+)\t([^\t ]+) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")
_ROLE_FIELDS = {"Content": "content", "Source": "source", "Cue": "cue"}

T = TypeVar("T")


# --------------------------------------------------------------------------- gold records


@dataclass(frozen=True)
class GoldAttribution:
    """One gold attribution; a part the annotator did not mark is an empty tuple."""

    content: tuple[Span, ...]
    source: tuple[Span, ...]
    cue: tuple[Span, ...]


@dataclass(frozen=True)
class GoldDocument:
    """One annotated article: ``text`` is the ``.txt`` file verbatim (offsets point into it)."""

    name: str
    text: str
    attributions: tuple[GoldAttribution, ...]


# --------------------------------------------------------------------------- brat parsing


def parse_ann(text: str) -> tuple[GoldAttribution, ...]:
    """Parse brat standoff into attributions, in the order of their ``E`` lines.

    ``Content2`` (a second content piece) is merged into ``content``. An ``E`` line without
    any content (an unfinished annotation) is dropped. ``Discard``, ``Discuss``, notes,
    orphan text-bound annotations and the continuation lines of multi-line span texts are
    ignored.
    """
    lines = [line.rstrip("\r") for line in text.split("\n")]
    spans = _text_bound_spans(lines)
    found = (_attribution(line, spans) for line in lines if line.startswith("E"))
    return tuple(record for record in found if record is not None)


def _text_bound_spans(lines: Iterable[str]) -> dict[str, tuple[Span, ...]]:
    spans: dict[str, tuple[Span, ...]] = {}
    for line in lines:
        match = _TEXT_BOUND.match(line)
        if match:
            spans[match.group(1)] = _parse_offsets(match.group(3))
    return spans


def _parse_offsets(field: str) -> tuple[Span, ...]:
    pairs = (piece.split() for piece in field.split(";"))
    return tuple((int(start), int(end)) for start, end in pairs)


def _attribution(line: str, spans: Mapping[str, tuple[Span, ...]]) -> GoldAttribution | None:
    parts: dict[str, list[Span]] = {field: [] for field in PARTS}
    _, _, arguments = line.partition("\t")
    for argument in arguments.split():
        role, _, ref = argument.partition(":")
        field = _ROLE_FIELDS.get(role.rstrip(_DIGITS))
        if field is not None:
            parts[field].extend(spans.get(ref, ()))
    if not parts["content"]:
        return None
    content, source, cue = (_normalise(parts[field]) for field in PARTS)
    return GoldAttribution(content=content, source=source, cue=cue)


def _normalise(spans: Iterable[Span]) -> tuple[Span, ...]:
    return tuple(sorted({span for span in spans if span[1] > span[0]}))


# --------------------------------------------------------------------------- loading


def default_data_dir() -> Path:
    """``$QUOTEGRAPH_SHARED/data/polnear``, else ``../shared/data/polnear`` beside the repo."""
    shared = os.environ.get("QUOTEGRAPH_SHARED")
    if shared:
        return Path(shared) / "data" / "polnear"
    repo_root = Path(__file__).resolve().parents[3]
    return repo_root.parent / "shared" / "data" / "polnear"


def load_split(data_dir: Path, split: str) -> list[GoldDocument]:
    """Load every annotated article of ``split`` (``train`` or ``dev``), sorted by name.

    Where several annotators did the same article, the first one listed in ``metadata.tsv``
    is used; when that file is missing, the first available ``.ann`` in sorted order.
    Articles without any ``.ann`` are skipped.
    """
    _check_split_name(split)
    folder = Path(data_dir) / split
    if not (folder / "text").is_dir():
        raise QuotegraphError(
            "E043",
            source=str(folder),
            detail=f"no '{split}/text' folder; point QUOTEGRAPH_SHARED at the shared/ folder",
        )
    preferred = _preferred_annotators(Path(data_dir) / "metadata.tsv", split)
    docs = [_load_document(path, preferred.get(path.stem)) for path in folder.glob("text/*.txt")]
    return sorted((doc for doc in docs if doc is not None), key=lambda doc: doc.name)


def _check_split_name(split: str) -> None:
    if not split or split in {".", ".."} or "/" in split or "\\" in split:
        detail = f"split must be a folder name such as 'dev', got {split!r}"
        raise QuotegraphError("E044", detail=detail)


def _preferred_annotators(metadata: Path, split: str) -> dict[str, str]:
    if not metadata.is_file():
        return {}
    with metadata.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return {
        row["filename"]: row["annotators"].split("|")[0].strip()
        for row in rows
        if row.get("compartment") == split and row.get("filename") and row.get("annotators")
    }


def _load_document(text_path: Path, annotator: str | None) -> GoldDocument | None:
    ann_path = _annotation_file(text_path.parent.parent / "attributions", text_path.stem, annotator)
    if ann_path is None:
        return None
    return GoldDocument(
        name=text_path.stem,
        text=_read(text_path),
        attributions=parse_ann(_read(ann_path)),
    )


def _annotation_file(folder: Path, name: str, annotator: str | None) -> Path | None:
    if annotator:
        preferred = folder / f"{name}_{annotator}.ann"
        if preferred.is_file():
            return preferred
    # ``name_annotator.ann`` as PolNeAR names them; plain ``name.ann`` for a user's own data.
    candidates = sorted(
        path
        for path in folder.glob("*.ann")
        if path.stem == name or path.stem.rsplit("_", 1)[0] == name
    )
    return candidates[0] if candidates else None


def _read(path: Path) -> str:
    """The file's text with every character kept (no newline translation, BOMs kept)."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QuotegraphError("E004", source=str(path)) from exc


# --------------------------------------------------------------------------- word tokens


def word_tokens(text: str) -> tuple[Span, ...]:
    """Offsets of the word tokens of ``text``: maximal runs of letters and digits."""
    return tuple(match.span() for match in _TOKEN.finditer(text))


def covered_tokens(tokens: Sequence[Span], spans: Iterable[Span]) -> frozenset[int]:
    """Indices of the tokens of which ``spans`` (together) cover at least half the characters."""
    starts = [start for start, _ in tokens]
    ends = [end for _, end in tokens]
    overlap: dict[int, int] = {}
    for start, end in spans:
        for index in range(bisect_right(ends, start), bisect_left(starts, end)):
            shared = min(end, ends[index]) - max(start, starts[index])
            overlap[index] = overlap.get(index, 0) + max(shared, 0)
    return frozenset(i for i, n in overlap.items() if 2 * n >= ends[i] - starts[i])


def is_quoted(text: str, spans: Sequence[Span]) -> bool:
    """Whether the first span, stripped of white space, starts with a quote mark."""
    if not spans:
        return False
    start, end = min(spans)
    return text[start:end].strip()[:1] in QUOTE_MARKS


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
) -> dict[str, Any]:
    """Load ``split``, call ``predict`` once on all (or the first ``limit``) documents, score.

    Adds ``seconds`` (wall time of ``predict`` alone) and ``articles_per_second``.
    """
    if limit is not None and limit < 0:
        raise QuotegraphError("E044", detail=f"limit must be >= 0, got {limit}")
    docs = load_split(data_dir, split)[:limit]
    started = time.perf_counter()
    predicted = predict(docs)
    seconds = time.perf_counter() - started
    result = score(docs, predicted, split=split)
    from quotegraph.evaluate.calibration import reliability  # it builds on this module

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
