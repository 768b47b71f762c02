"""Find quotations by their marks, before any parsing.

Quote marks are the most reliable signal in news text, and the parser of a small model often
misreads them, so quotations are found at the character level first. The rules follow news
style guides:

* curly marks open and close unambiguously; straight ``"`` toggles within a paragraph;
* a quotation that runs over several paragraphs leaves each paragraph unclosed and opens the
  next one again; those paragraphs form one ``Quotation`` with one piece per paragraph;
* an unclosed quotation whose next paragraph does not reopen it ends at its paragraph's end
  (a stray mark must not swallow the rest of the article);
* two apostrophes (``''``), the quote mark of many newspaper archives (``''We will
  win,'' she said``), count as one straight mark; of three in a row, the pair away from the
  words is that mark and the third closes or opens a single quote nested inside.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from quotegraph.types import Span

OPENING_MARKS = frozenset("“„«‟")
CLOSING_MARKS = frozenset("”»")
STRAIGHT_MARK = '"'
ALL_MARKS = OPENING_MARKS | CLOSING_MARKS | {STRAIGHT_MARK}
DOUBLED_APOSTROPHE = "''"
_PARAGRAPH = re.compile(r"[^\n]+")
# Characters that are trimmed from a quotation's inner edges: a comma that ends the quoted
# clause belongs to the sentence around it, not to the speaker's words.
_INNER_TRIM = " \t\n,"


@dataclass(frozen=True)
class Quotation:
    """A quotation: one piece per paragraph; ``outer`` spans include the marks."""

    outer: tuple[Span, ...]
    inner: tuple[Span, ...]
    closed: bool
    marked: bool = True
    """False for a paragraph quoted without marks after a line ending in a colon."""

    @property
    def start(self) -> int:
        return self.outer[0][0]

    @property
    def end(self) -> int:
        return self.outer[-1][1]


def paragraphs(text: str) -> list[Span]:
    """Spans of the non-empty lines of ``text`` (news paragraphs are lines)."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]


def _is_opening(text: str, i: int, is_open: bool) -> bool:
    char = text[i]
    if char in OPENING_MARKS:
        return True
    if char in CLOSING_MARKS:
        # A closing mark directly after a space or at a paragraph start is a mistyped opener.
        return not is_open and (i == 0 or text[i - 1].isspace())
    return not is_open


def _quotes_in_paragraph(text: str, start: int, end: int) -> tuple[list[Span], int | None]:
    """Closed ``(open, close+1)`` spans in a paragraph and the offset of an unclosed opener."""
    spans: list[Span] = []
    open_at: int | None = None
    i = start
    while i < end:
        width = mark_width(text, i)
        if width == 0:
            i += 1
            continue
        if open_at is None:
            if _opens(text, i, width):
                open_at = i
        elif _closes(text, open_at, i, width):
            spans.append((open_at, i + width))
            open_at = None
        i += width
    return spans, open_at


def _opens(text: str, i: int, width: int) -> bool:
    if width == 2:
        # A doubled apostrophe opens at the start of a word: "''We", not "Jones'' house".
        return i == 0 or text[i - 1].isspace() or text[i - 1] in "([—–-"
    return _is_opening(text, i, is_open=False)


def _closes(text: str, open_at: int, i: int, width: int) -> bool:
    """Whether the mark at ``i`` closes the quotation opened at ``open_at``: a doubled
    apostrophe is closed only by another, after a word; other marks as before."""
    opened_doubled = mark_width(text, open_at) == 2
    if opened_doubled or width == 2:
        return opened_doubled and width == 2 and not text[i - 1].isspace()
    return text[i] not in OPENING_MARKS or _closes_low_opener(text[open_at], text[i])


def mark_width(text: str, i: int) -> int:
    """How many characters the quote mark at ``i`` takes: 1, 2 for a doubled apostrophe,
    0 for no mark. Of three apostrophes in a row, a single quote nested at the edge of a
    doubled one (``''I told them, 'Not here.<3 apostrophes> she said``), the doubled mark is
    the pair away from the words: the last two after a word, the first two before one."""
    if text[i] in ALL_MARKS:
        return 1
    if not text.startswith(DOUBLED_APOSTROPHE, i):
        return 0
    run_start, run_end = i, i + 2
    while run_start > 0 and text[run_start - 1] == "'":
        run_start -= 1
    while run_end < len(text) and text[run_end] == "'":
        run_end += 1
    if run_end - run_start == 2:
        return 2
    if run_end - run_start != 3:
        return 0
    before_words = run_start == 0 or text[run_start - 1].isspace() or text[run_start - 1] in "([—–-"
    return 2 if i == (run_start if before_words else run_start + 1) else 0


def _closes_low_opener(opener: str, mark: str) -> bool:
    """German and Czech quotes open low and close high: „so“."""
    return opener == "„" and mark in {"“", "‟"}


def _inner(text: str, outer: Span) -> Span:
    start, end = outer
    if start < end:
        start += mark_width(text, start)
    if end > start and text[end - 1] in ALL_MARKS:
        end -= 1
    elif end - 2 >= start and text[end - 2 : end] == DOUBLED_APOSTROPHE:
        end -= 2
    while start < end and text[start] in _INNER_TRIM:
        start += 1
    while end > start and text[end - 1] in _INNER_TRIM:
        end -= 1
    return start, end


def _starts_with_opener(text: str, para: Span) -> bool:
    stripped = text[para[0] : para[1]].lstrip()
    return bool(stripped) and (
        stripped[0] in OPENING_MARKS | {STRAIGHT_MARK} or stripped.startswith(DOUBLED_APOSTROPHE)
    )


def all_quotations(text: str) -> list[Quotation]:
    """Marked quotations and colon paragraphs together, by start: what attribution uses."""
    return sorted([*find_quotations(text), *find_colon_paragraphs(text)], key=lambda q: q.start)


def find_quotations(text: str) -> list[Quotation]:
    """All quotations in ``text``, in order, with multi-paragraph quotations joined."""
    found: list[Quotation] = []
    pending: list[Span] = []  # outer pieces of a quotation still running over paragraphs
    for para in paragraphs(text):
        closed, open_at = _quotes_in_paragraph(text, *para)
        if pending:
            if closed and closed[0][0] == _first_mark(text, para):
                # The paragraph reopens the running quotation: it continues here.
                pending.append(closed.pop(0))
                found.append(_make(text, pending, closed=True))
                pending = []
            elif not closed and open_at is not None and _starts_with_opener(text, para):
                pending.append((open_at, para[1]))
                continue
            else:
                found.append(_make(text, pending, closed=False))
                pending = []
        found.extend(_make(text, [span], closed=True) for span in closed)
        if open_at is not None:
            pending = [(open_at, para[1])]
    if pending:
        found.append(_make(text, pending, closed=False))
    return [q for q in found if any(s < e for s, e in q.inner)]


def _first_mark(text: str, para: Span) -> int:
    offset = len(text[para[0] : para[1]]) - len(text[para[0] : para[1]].lstrip())
    return para[0] + offset


def _make(text: str, outer: list[Span], *, closed: bool) -> Quotation:
    # A piece holding only marks and punctuation ("“,”") carries no words: drop it, so no
    # statement gets an empty span (a quotation left with no words is dropped by the caller).
    pieces = [(span, _inner(text, span)) for span in outer]
    kept = [(o, i) for o, i in pieces if i[0] < i[1]] or pieces[:1]
    return Quotation(
        outer=tuple(o for o, _ in kept), inner=tuple(i for _, i in kept), closed=closed
    )


def find_colon_paragraphs(text: str) -> list[Quotation]:
    """Paragraphs that follow a paragraph ending in a colon and carry no quote marks.

    News sets a statement off this way ("... told reporters on Monday:" and then the words as
    a paragraph of their own). Whether the line before really holds a cue is for the
    attribution rules to decide; this only finds the candidates.
    """
    found: list[Quotation] = []
    spans = paragraphs(text)
    for previous, current in itertools.pairwise(spans):
        if not text[previous[0] : previous[1]].rstrip().endswith(":"):
            continue
        line = text[current[0] : current[1]]
        start = current[0] + len(line) - len(line.lstrip())
        end = current[0] + len(line.rstrip())
        if start < end and mark_width(text, start) == 0:
            found.append(Quotation((current,), ((start, end),), closed=True, marked=False))
    return found
