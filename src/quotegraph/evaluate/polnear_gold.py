"""Read the PolNeAR gold (Newell et al., LREC 2018) and the word tokens it is scored on.

The corpus is third-party text: it is read from a folder beside the checkout and never copied
into the package. Layout under ``data_dir``::

    metadata.tsv                       compartment, filename, annotators (pipe-separated), ...
    <split>/text/<name>.txt            title, a blank line, then the body
    <split>/attributions/<name>_<annotator>.ann    brat standoff

Every comparison is made on word tokens, not characters, because gold offsets are sometimes
one character off: a token is a run of letters or digits (punctuation and quote marks are
not tokens), and a span covers a token when it covers at least half of its characters.
Scoring (``polnear``), calibration checks (``calibration``) and the trainers in
``quotegraph.train`` all read the gold through this module.
"""

from __future__ import annotations

import csv
import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from quotegraph.errors import QuotegraphError
from quotegraph.types import Span

SPLITS: tuple[str, ...] = ("train", "dev")
QUOTE_MARKS = frozenset("\"'“”‘’„‟‚‛«»‹›`")
"""Characters whose presence at the start of a content span makes it a direct quotation."""

PARTS: tuple[str, ...] = ("content", "source", "cue")

_DIGITS = "0123456789"
_TOKEN = re.compile(r"[^\W_]+")
_TEXT_BOUND = re.compile(r"(T\d+)\t([^\t ]+) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")
_ROLE_FIELDS = {"Content": "content", "Source": "source", "Cue": "cue"}


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


# --------------------------------------------------------------------------- metadata


class ArticleMetadata(NamedTuple):
    """What ``metadata.tsv`` says of an article: its outlet and publication date."""

    outlet: str | None
    published: str | None


NO_METADATA = ArticleMetadata(None, None)


def article_metadata(data_dir: Path) -> dict[str, ArticleMetadata]:
    """Outlet (``publisher``) and date (``publication_date``) per file name; empty without
    a ``metadata.tsv``."""
    path = Path(data_dir) / "metadata.tsv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {
            row["filename"]: ArticleMetadata(
                row.get("publisher") or None, row.get("publication_date") or None
            )
            for row in rows
            if row.get("filename")
        }
