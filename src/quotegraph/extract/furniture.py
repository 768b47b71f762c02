"""Lines of page furniture in plain text: comment prompts, share and subscribe lines,
lists of related articles. Text saved from a web page keeps them; they are no one's words,
so no statement may come from them. The text and its offsets stay as they are: only the
lines' character ranges are found, and statements inside them are dropped."""

from __future__ import annotations

import re

from quotegraph.types import Span

# A whole line (up to this length) that opens with one of these is furniture; a longer
# line is prose that happens to start the same way.
_MAX_LINE = 300
_FURNITURE = re.compile(
    r"""^\s*(?:
        (?:please\s+)?let\s+us\s+know\s+if\s+you['’]?re\s+having\s+(?:issues|trouble|problems)
      | (?:leave|post|add|view|show|read|see)\s+(?:a\s+|the\s+|all\s+)?(?:\d+\s+)?comments?\b
      | \d+\s+comments?\s*$
      | comments?\s*(?:\(\d+\)|:)?\s*$
      | share\s+(?:this|on|via|with|the\s+story)\b
      | share\s*$
      | (?:click\s+here\s+to\s+)?subscribe\b
      | sign\s+up\s+(?:for|to|here|now)\b
      | want\s+(?:to\s+receive|more\s+updates)\b
      | related(?:\s+(?:articles?|stories|coverage|reading|content|links?))?\s*:
      | related\s+(?:articles?|stories|coverage)\s*$
      | (?:read|see)\s+more\s*(?::|$)
      | more\s+(?:from|on)\s+[^.!?]{0,60}:\s*
      | follow\s+us\s+on\b
      | advertisement\s*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def furniture_lines(text: str) -> list[Span]:
    """Character ranges of the lines of ``text`` that are page furniture."""
    found: list[Span] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip() and len(line) <= _MAX_LINE and _FURNITURE.match(line):
            found.append((start, end))
        start = end + 1
    return found
