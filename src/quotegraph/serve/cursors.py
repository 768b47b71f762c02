"""Opaque page cursors: ``base64url("s:<statement_id>")`` or ``base64url("o:<offset>")``.

Clients must treat cursors as opaque so the encoding can change (say, to a row id) without
breaking them; a cursor that does not decode is an E044 (422), never a 500.
"""

from __future__ import annotations

import base64
import binascii

from quotegraph.errors import QuotegraphError

STATEMENT = "s"
OFFSET = "o"

MAX_OFFSET = 10_000_000


def encode(kind: str, value: str | int) -> str:
    raw = f"{kind}:{value}".encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(cursor: str, kind: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError) as exc:
        raise _invalid(cursor) from exc
    found, _, value = raw.partition(":")
    if found != kind or not value:
        raise _invalid(cursor)
    return value


def _invalid(cursor: str) -> QuotegraphError:
    return QuotegraphError("E044", detail=f"invalid cursor {cursor[:40]!r}")


def statement_after(cursor: str) -> str:
    """The statement id a statements cursor points after."""
    return _decode(cursor, STATEMENT)


def offset(cursor: str) -> int:
    """The offset an offset cursor points at."""
    value = _decode(cursor, OFFSET)
    if not value.isascii() or not value.isdigit() or int(value) > MAX_OFFSET:
        raise _invalid(cursor)
    return int(value)
