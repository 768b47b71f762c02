"""Metadata written into the article text itself: dateline, byline, outlet and date.

All functions are pure: they take the article text and return values (and offsets into that
same text). They only look at the first few non-empty lines, where news layouts put these
items, so a sentence deep in the body is never mistaken for a header.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from quotegraph.ingest.dates import TEXT_DATE_PATTERN, parse_date
from quotegraph.types import Dateline, Span

__all__ = ["find_byline", "find_dateline", "find_outlet_and_date", "parse_date"]

HEADER_LINES = 8
"""How many non-empty lines count as "the top": title, byline, outlet line and the first
few body paragraphs."""

MAX_HEADER_CHARS = 200
"""Byline and outlet/date lines are short; longer lines are body text and are skipped."""

_LINE = re.compile(r"[^\n]+")
_SPACE = r"[ \t\u00a0]"


def _top_lines(text: str, limit: int = HEADER_LINES, start: int = 0) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, line)`` for the first ``limit`` non-blank lines from ``start``."""
    seen = 0
    for match in _LINE.finditer(text, start):
        if match.group().strip():
            yield match.start(), match.group()
            seen += 1
            if seen == limit:
                return


# --- datelines ------------------------------------------------------------------------

_PLACE_WORD = r"[^\W\d_](?:[^\W\d_]|[.'’\-])*"
_REGION_WORD = r"(?:(?:[A-Z]\.){2,}|[^\W\d_][^\W\d_'’\-]*\.?)"
_CONNECTOR = r"(?:and|of|de|del|da|do|la|le|the|y|e)"
_DATELINE = re.compile(
    rf"""
    {_SPACE}*
    (?P<place>{_PLACE_WORD}(?:{_SPACE}{_PLACE_WORD}){{0,3}})
    (?:,{_SPACE}+(?P<region>{_REGION_WORD}(?:{_SPACE}+(?:{_CONNECTOR}{_SPACE}+)?{_REGION_WORD}){{0,3}}))?
    (?:,{_SPACE}+(?P<date>{TEXT_DATE_PATTERN}))?
    (?:{_SPACE}*\((?P<paren>[^()\n]{{1,100}})\))?
    (?:{_SPACE}+/(?P<slash>[^/\n]{{1,60}})/)?
    (?P<dash>{_SPACE}*[—–]|{_SPACE}+--?(?={_SPACE}))
    (?={_SPACE}*\S)
    """,
    re.VERBOSE,
)
_PAREN_WITH_DATE = re.compile(
    rf"(?P<source>.*?)(?:{_SPACE}*[-–—,]{_SPACE}*|{_SPACE}+)(?P<date>{TEXT_DATE_PATTERN})"
)

# Headline kickers and organisations that open sentences followed by a dash.
# fmt: off
_NOT_PLACES = frozenset((
    "BREAKING", "EXCLUSIVE", "UPDATE", "UPDATED", "CORRECTION", "CORRECTED", "ANALYSIS",
    "OPINION", "EDITORIAL", "COMMENT", "WATCH", "LIVE", "FACTBOX", "EXPLAINER",
    "INTERVIEW", "REFILE", "REVIEW", "NOTE", "PHOTOS", "VIDEO", "NATO", "OPEC", "NASA",
    "UNICEF", "UNESCO", "UNHCR", "WHO", "IMF", "FBI", "CIA", "NSA", "WTO", "OECD", "ASEAN",
    "USA",
))
# fmt: on


def find_dateline(text: str, *, start: int = 0) -> Dateline | None:
    """The dateline opening one of the first paragraphs, e.g. ``WASHINGTON (AP) —``.

    ``place`` is the place as written (``LISBON, Portugal``), ``date`` an ISO date only when
    day, month and year are all given, ``source`` the agency inside parentheses or slashes.
    ``span`` runs from the first letter of the place through the closing dash (offsets into
    ``text``). Pass ``start`` = the end of a known title line so that an all-caps headline
    such as ``MINISTER QUITS - REPORT`` is not read as a dateline.
    """
    for offset, line in _top_lines(text, start=start):
        match = _DATELINE.match(line)
        if match and _is_place(match["place"], match["region"]):
            return _dateline_from(match, offset)
    return None


def _is_place(place: str, region: str | None) -> bool:
    # All-caps is what separates "GENEVA —" from "Geneva —"; three letters keeps out
    # "I —" and "UN —", and the stop list keeps out kickers such as "EXCLUSIVE —".
    if not place.isupper() or sum(char.isalpha() for char in place) < 3:
        return False
    if place.split()[0] in _NOT_PLACES or place in _NOT_PLACES:
        return False
    connectors = {"and", "of", "de", "del", "da", "do", "la", "le", "the", "y", "e"}
    words = [] if region is None else [w for w in region.split() if w not in connectors]
    return all(word[0].isupper() for word in words)


def _dateline_from(match: re.Match[str], offset: int) -> Dateline:
    place = match["place"] if match["region"] is None else f"{match['place']}, {match['region']}"
    source, paren_date = _split_paren(match["paren"])
    if source is None and match["slash"]:
        source = match["slash"].strip()
    # "BERLIN, March 14 (Wire - 14 March, 2025) -": whichever written date is complete wins.
    written = [when for when in (match["date"], paren_date) if when]
    full_dates = [iso for when in written if (iso := parse_date(when))]
    return Dateline(
        place=place,
        span=(offset + match.start("place"), offset + match.end("dash")),
        date=full_dates[0] if full_dates else None,
        source=source,
    )


def _split_paren(paren: str | None) -> tuple[str | None, str | None]:
    """Split ``Example Wire / Partner Daily - 12th March, 2020`` into source and date."""
    if paren is None:
        return None, None
    match = _PAREN_WITH_DATE.fullmatch(paren.strip())
    if match is None:
        if re.fullmatch(TEXT_DATE_PATTERN, paren.strip()):
            return None, paren.strip()
        return paren.strip() or None, None
    return match["source"].strip() or None, match["date"]


# --- bylines --------------------------------------------------------------------------

_BYLINE = re.compile(rf"{_SPACE}*(?P<line>[Bb][Yy]{_SPACE}*:?{_SPACE}+(?P<rest>.*?)){_SPACE}*")
_BYLINE_SPLIT = re.compile(r"\s*,\s*|\s+(?:and|&)\s+", re.IGNORECASE)
_NAME_TOKEN = re.compile(r"(?:[A-Z]\.)+|[^\W\d_][\w'’\-]*\.?")
# fmt: off
_PARTICLES = frozenset((
    "de", "da", "di", "du", "dos", "das", "del", "della", "van", "von", "der", "den",
    "ter", "la", "le", "bin", "al",
))
_ROLE_WORDS = frozenset((
    "staff", "reporter", "reporters", "correspondent", "correspondents", "editor",
    "editors", "writer", "writers", "bureau", "chief", "contributor", "contributing",
    "columnist", "analyst", "producer", "desk", "news", "press", "agency", "wire",
    "service", "special", "senior", "political", "foreign", "team", "associated",
    "reuters", "afp", "ap",
))
# fmt: on
MAX_BYLINE_CHARS = 120


def find_byline(text: str) -> tuple[str, Span] | None:
    """A ``By Jane Kowalski and Omar Haddad`` line near the top: names and span.

    Several names are joined with ``"; "`` (as trafilatura joins HTML authors); all-caps
    names get normal capitalisation. The span covers the whole byline line from ``By``,
    so later stages can skip it.
    """
    for offset, line in _top_lines(text):
        match = _BYLINE.fullmatch(line) if len(line) <= MAX_HEADER_CHARS else None
        if match is None or len(match["line"]) > MAX_BYLINE_CHARS:
            continue
        names = _byline_names(match["rest"])
        if names:
            return "; ".join(names), (offset + match.start("line"), offset + match.end("line"))
    return None


def _byline_names(rest: str) -> list[str]:
    """Leading person names of a byline; a role such as ``Staff Reporter`` ends the list."""
    names: list[str] = []
    for segment in _BYLINE_SPLIT.split(rest.strip().rstrip(".")):
        person = re.sub(r"\s+in\s+.*$", "", segment.strip())  # "Jane Doe in Geneva"
        if not _looks_like_name(person):
            # Only roles may follow the names; anything else means this is prose, not a byline.
            return names if names and len(segment.split()) <= 6 else []
        names.append(_normalise_name(person))
    return names


def _looks_like_name(candidate: str) -> bool:
    tokens = candidate.split()
    if not 2 <= len(tokens) <= 5:
        return False
    for index, token in enumerate(tokens):
        if token.lower().strip(".") in _ROLE_WORDS or not _NAME_TOKEN.fullmatch(token):
            return False
        if not token[0].isupper() and not (index > 0 and token.lower() in _PARTICLES):
            return False
    return True


def _normalise_name(name: str) -> str:
    """``JANE O'BRIEN-SMITH`` -> ``Jane O'Brien-Smith``; mixed-case names are left alone."""
    if not name.isupper():
        return name
    words = []
    for index, word in enumerate(name.split()):
        if index > 0 and word.lower() in _PARTICLES:
            words.append(word.lower())
        else:
            words.append(re.sub(r"[^\W\d_]+", lambda part: part.group().capitalize(), word))
    return " ".join(words)


# --- outlet and date header lines ----------------------------------------------------

_PUBLISHED_BY_ON = re.compile(
    r"\s*Published\s+by\s+(?P<outlet>.+?)\s+on\s+(?P<date>.+?)\.?\s*", re.IGNORECASE
)
_PUBLISHED_ON_BY = re.compile(
    r"\s*Published\s+(?:on\s+)?(?P<date>.+?)\s+by\s+(?P<outlet>.+?)\.?\s*", re.IGNORECASE
)
_OUTLET_LABEL = re.compile(
    r"\s*(?:Source|Outlet|Publication|Publisher)\s*:\s*(?P<outlet>.+?)\s*", re.IGNORECASE
)
_DATE_LABEL = re.compile(
    r"\s*(?:Date|Published(?:\s+on)?|Publication\s+date)\s*:\s*(?P<date>.+?)\s*", re.IGNORECASE
)
_HEADER_SEPARATOR = re.compile(rf"{_SPACE}+[|•·—–-]{_SPACE}+|{_SPACE}*\|{_SPACE}*")
MAX_OUTLET_WORDS = 8


def find_outlet_and_date(text: str) -> tuple[str | None, str | None]:
    """Outlet and ISO date from header lines such as ``Meridian Post | 14 March 2025`` or
    ``Published by Northgate Daily on 2025-03-14``; either may be ``None``."""
    outlet: str | None = None
    published: str | None = None
    for _, line in _top_lines(text):
        if len(line) > MAX_HEADER_CHARS:
            continue  # a body paragraph, not a header; and not worth regex time
        found_outlet, found_date = _header_line(line)
        outlet = outlet or found_outlet
        published = published or found_date
        if outlet and published:
            break
    return outlet, published


def _header_line(line: str) -> tuple[str | None, str | None]:
    for pattern in (_PUBLISHED_BY_ON, _PUBLISHED_ON_BY):
        match = pattern.fullmatch(line)
        if match and (when := parse_date(match["date"])) and _is_outlet(match["outlet"]):
            return match["outlet"].strip(), when
    if match := _OUTLET_LABEL.fullmatch(line):
        return (match["outlet"] if _is_outlet(match["outlet"]) else None), None
    if match := _DATE_LABEL.fullmatch(line):
        return None, parse_date(match["date"])
    return _separated_header(line)


def _separated_header(line: str) -> tuple[str | None, str | None]:
    """``Outlet | date`` (any order, more parts allowed), or a line that is only a date."""
    parts = [part.strip() for part in _HEADER_SEPARATOR.split(line.strip())]
    dates = [when for part in parts if (when := parse_date(part))]
    if not dates:
        return None, None
    others = [part for part in parts if not parse_date(part)]
    outlet = others[0] if others and _is_outlet(others[0]) else None
    return outlet, dates[0]


def _is_outlet(candidate: str) -> bool:
    words = candidate.split()
    return (
        0 < len(words) <= MAX_OUTLET_WORDS
        and (candidate[0].isupper() or candidate[0].isdigit())
        and not candidate.rstrip().endswith((".", "!", "?", ":"))
    )
