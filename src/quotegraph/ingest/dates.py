"""Parse the date spellings found in news inputs into ISO 8601 strings.

Accepted: ``2025-03-14``, ``2025/03/14``, ISO date-times (returned exactly as given),
``14 March 2025``, ``12th March, 2020``, ``March 14, 2025``, ``Mar. 14, 2025``, an optional
leading weekday (``Friday, March 14, 2025``) and RFC 2822 feed dates
(``Fri, 14 Mar 2025 09:30:00 GMT``). A date without a year is not a full date and gives
``None``, as does anything ambiguous such as ``03/04/2025``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

MONTHS: dict[str, int] = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10,
    "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip

MONTH_PATTERN = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
"""A month name or its abbreviation, Title-case; compile with IGNORECASE to widen."""

_SPACE = r"[ \t\u00a0]"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
TEXT_DATE_PATTERN = (
    rf"(?:{MONTH_PATTERN}{_SPACE}+{_DAY}(?:,?{_SPACE}+\d{{4}})?"
    rf"|{_DAY}{_SPACE}+(?:of{_SPACE}+)?{MONTH_PATTERN}(?:,?{_SPACE}+\d{{4}})?)"
)
"""A written date with or without its year, for embedding in larger patterns."""

_WEEKDAY = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
_DAY_FIRST = re.compile(
    rf"{_WEEKDAY}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"(?P<month>[a-z]+)\.?,?\s+(?P<year>\d{{4}})",
    re.IGNORECASE,
)
_MONTH_FIRST = re.compile(
    rf"{_WEEKDAY}(?P<month>[a-z]+)\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")
_RFC_2822 = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}.*")


def parse_date(value: str) -> str | None:
    """Return ``value`` as an ISO date (or the ISO date-time as given), else ``None``."""
    text = " ".join(value.split())
    if not text:
        return None
    if _ISO_DATETIME.fullmatch(text):
        return _checked_datetime(text)
    if _RFC_2822.fullmatch(text):
        return _rfc_2822(text)
    for pattern in (_ISO_DATE, _DAY_FIRST, _MONTH_FIRST):
        match = pattern.fullmatch(text)
        if match:
            return _iso(match["year"], match["month"], match["day"])
    return None


def _checked_datetime(text: str) -> str | None:
    # Keep the caller's spelling (time zone, precision): only confirm it is a real instant.
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return None
    return text


def _rfc_2822(text: str) -> str | None:
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _iso(year: str, month: str, day: str) -> str | None:
    month_number = int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))
    if month_number is None:
        return None
    try:
        return date(int(year), month_number, int(day)).isoformat()
    except ValueError:  # 31 February and the like
        return None
