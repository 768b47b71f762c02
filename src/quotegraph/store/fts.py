"""Turning what a user types into an FTS5 query that cannot be a syntax error.

FTS5 has its own query language (``AND``/``OR``/``NOT``, ``NEAR(...)``, ``col:``, ``^``,
parentheses, quotes, ``*``); passing user input through would let a stray quote raise and
let operators change the meaning. Instead every whitespace-separated term becomes a quoted
FTS5 string (inner ``"`` doubled), which FTS5 treats as a literal phrase, and the terms are
ANDed. A trailing ``*`` on a term is kept as a prefix search because it is the one operator
people expect from a search box.
"""

from __future__ import annotations

MAX_TERMS = 32
"""Cap on terms so a pasted article cannot become an expensive query."""


def _term(raw: str) -> str | None:
    prefix = raw.endswith("*")
    word = raw.rstrip("*")
    # Terms without a letter or digit tokenize to nothing; dropping them keeps
    # '--', ';' or a bare '*' from meaning anything.
    if not any(ch.isalnum() for ch in word):
        return None
    quoted = '"' + word.replace('"', '""') + '"'
    return quoted + "*" if prefix else quoted


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for ``text``, or None when nothing in it is searchable."""
    # FTS5 reads its query as a C string: a NUL would cut a quoted term short and leave
    # it unterminated, so NUL separates terms like whitespace does.
    words = text.replace("\x00", " ").split()
    terms = [t for t in (_term(raw) for raw in words) if t is not None]
    return " ".join(terms[:MAX_TERMS]) or None
