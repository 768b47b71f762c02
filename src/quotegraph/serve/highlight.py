"""An article's text as HTML with each statement's words, speaker mention and cue marked.

The text is cut at every span boundary; each piece is escaped on its own and wrapped in the
marks that cover it, so marks may overlap or nest freely and no character of the input ever
reaches the page unescaped. Offsets index ``Article.text`` (``end`` exclusive).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

from quotegraph.serve.urls import urlpart
from quotegraph.types import Span, StatementRecord

# Nesting order, outermost first: a cue or speaker inside a quote stays visible.
_QUOTE, _SPEAKER, _CUE = 0, 1, 2


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    layer: int
    record: StatementRecord


def statement_anchor(statement_id: str) -> str:
    return f"st-{statement_id}"


def _marks(records: Sequence[StatementRecord], length: int) -> list[_Mark]:
    marks = []
    for record in records:
        statement = record.statement
        spans: list[tuple[Span | None, int]] = [(s, _QUOTE) for s in statement.content_spans]
        spans += [(statement.speaker_span, _SPEAKER), (statement.cue_span, _CUE)]
        for span, layer in spans:
            if span is None:
                continue
            start, end = max(0, span[0]), min(length, span[1])
            if start < end:
                marks.append(_Mark(start, end, layer, record))
    return marks


def _open(mark: _Mark) -> Markup:
    statement = mark.record.statement
    sid = escape(statement.statement_id)
    if mark.layer == _QUOTE:
        who = statement.speaker or statement.speaker_mention or "unknown speaker"
        title = escape(f"{who} · {statement.kind}")
        return Markup(
            f'<mark class="quote kind-{escape(statement.kind)}" data-statement="{sid}" '
            f'title="{title}">'
        )
    if mark.layer == _CUE:
        return Markup(f'<span class="cue" data-statement="{sid}">')
    if mark.record.speaker_id:
        href = escape("/speakers/" + urlpart(mark.record.speaker_id))
        return Markup(f'<a class="who" data-statement="{sid}" href="{href}">')
    return Markup(f'<span class="who" data-statement="{sid}">')


def _close(mark: _Mark) -> Markup:
    if mark.layer == _QUOTE:
        return Markup("</mark>")
    if mark.layer == _SPEAKER and mark.record.speaker_id:
        return Markup("</a>")
    return Markup("</span>")


def _anchors(records: Sequence[StatementRecord], length: int) -> dict[int, list[str]]:
    """Offset -> ids of statements that begin there (their earliest marked character)."""
    anchors: dict[int, list[str]] = {}
    for record in records:
        statement = record.statement
        starts = [s[0] for s in statement.content_spans]
        starts += [s[0] for s in (statement.speaker_span, statement.cue_span) if s is not None]
        if starts:
            at = min(max(0, min(starts)), length)
            anchors.setdefault(at, []).append(statement.statement_id)
    return anchors


def highlight(
    text: str, records: Sequence[StatementRecord], window: tuple[int, int] | None = None
) -> Markup:
    """``text`` (or its ``window`` slice) as escaped HTML with the statements marked."""
    lo, hi = window if window is not None else (0, len(text))
    lo, hi = max(0, lo), min(len(text), hi)
    marks = [m for m in _marks(records, len(text)) if m.start < hi and m.end > lo]
    anchors = _anchors(records, len(text))
    cuts = sorted({lo, hi, *(max(lo, m.start) for m in marks), *(min(hi, m.end) for m in marks)})
    out: list[Markup] = []
    for start, end in pairwise(cuts):
        out.extend(
            Markup(f'<span class="anchor" id="{escape(statement_anchor(sid))}"></span>')
            for sid in anchors.get(start, ())
        )
        covering = sorted(
            (m for m in marks if m.start <= start and end <= m.end), key=lambda m: m.layer
        )
        out.extend(_open(m) for m in covering)
        out.append(escape(text[start:end]))
        out.extend(_close(m) for m in reversed(covering))
    return Markup("").join(out)


def context_window(text: str, record: StatementRecord, margin: int = 1) -> tuple[int, int]:
    """The paragraph(s) holding a statement, plus ``margin`` paragraphs either side.

    Paragraphs end at a line break; runs of blank lines count as one break."""
    statement = record.statement
    points = [p for s in statement.content_spans for p in s]
    points += [p for s in (statement.speaker_span, statement.cue_span) if s for p in s]
    if not points:
        return (0, 0)
    start, end = max(0, min(points)), min(len(text), max(points))
    return (_paragraph_start(text, start, margin), _paragraph_end(text, end, margin))


def _paragraph_start(text: str, at: int, margin: int) -> int:
    bound = at
    for _ in range(margin + 1):
        found = text.rfind("\n", 0, bound)
        if found < 0:
            return 0
        start = found + 1
        # Blank lines between paragraphs do not count as paragraphs.
        bound = len(text[:found].rstrip("\n"))
    return start


def _paragraph_end(text: str, at: int, margin: int) -> int:
    bound = at
    for _ in range(margin + 1):
        found = text.find("\n", bound)
        if found < 0:
            return len(text)
        end = found
        bound = len(text) - len(text[found:].lstrip("\n"))
    return end


_WORD = re.compile(r"\w+", re.UNICODE)
_ENDINGS = ("ing", "es", "ed", "s")
"""Cut from a searched word before matching, roughly as the full-text index's stemmer does:
a search for "hospitals" also found "hospital", so that word is marked too."""


def search_terms(q: str | None) -> tuple[str, ...]:
    """The words of a full-text query, case-folded and cut to a stem-like prefix."""
    terms = []
    for word in _WORD.findall(q or ""):
        folded = word.casefold()
        for ending in _ENDINGS:
            if folded.endswith(ending) and len(folded) - len(ending) >= 3:
                folded = folded[: -len(ending)]
                break
        if folded not in terms:
            terms.append(folded)
    return tuple(terms)


def mark_terms(text: str, terms: Sequence[str]) -> Markup:
    """``text`` escaped, with every word that starts with one of ``terms`` in ``<mark>``."""
    if not terms:
        return Markup(escape(text))
    pieces: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        if match.group().casefold().startswith(tuple(terms)):
            pieces.append(escape(text[last : match.start()]))
            pieces.append(Markup('<mark class="hit">{}</mark>').format(match.group()))
            last = match.end()
    pieces.append(escape(text[last:]))
    return Markup("".join(pieces))
