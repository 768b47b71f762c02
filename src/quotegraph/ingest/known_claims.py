"""Known (fact-checked) claims that statements are matched against: TSV or JSONL files.

The TSV layout is CheckThat!'s ``verified_claims.docs.tsv`` (a header row, then ``id, vclaim,
title``); a JSONL line needs an id (``claim_id`` or ``id``) and a text (``text``, ``claim`` or
``vclaim``), with ``title`` and ``url`` optional. ``quotegraph match-claims`` reads them at run
time and the CheckThat! scorer reads its gold claims through the same functions.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

from quotegraph.errors import QuotegraphError
from quotegraph.types import KnownClaim


def tsv_rows(path: Path, columns: int) -> Iterable[list[str]]:
    """Rows after the header; quoted fields may hold tabs, quotes and line breaks."""
    if not path.is_file():
        raise QuotegraphError("E043", source=str(path), detail="file not found")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader, None)
        for line_no, row in enumerate(reader, 2):
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) < columns:
                raise QuotegraphError(
                    "E062", source=f"{path}:{line_no}", detail=f"expected {columns} columns"
                )
            yield row


def read_claims_tsv(path: Path) -> list[KnownClaim]:
    """Claims from a TSV with a header row and ``id, text, title`` columns, in file order."""
    return [
        KnownClaim(claim_id=row[0].strip(), text=row[1].strip(), title=row[2].strip() or None)
        for row in tsv_rows(path, 3)
    ]


_ID_FIELDS = ("claim_id", "id")
_TEXT_FIELDS = ("text", "claim", "vclaim")


def read_known_claims(path: Path) -> list[KnownClaim]:
    """Known claims from a TSV (``id, vclaim, title`` like CheckThat!) or JSONL file.

    JSONL rows need an id (``claim_id`` or ``id``) and a text (``text``, ``claim`` or
    ``vclaim``); ``title`` and ``url`` are optional. Malformed input raises E061.
    """
    if not path.is_file():
        raise QuotegraphError("E001", source=str(path))
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json"):
        return _read_jsonl_claims(path)
    if suffix in (".tsv", ".txt"):
        try:
            return read_claims_tsv(path)
        except QuotegraphError as exc:
            raise QuotegraphError("E061", source=exc.source, detail=exc.detail) from exc
    raise QuotegraphError("E061", source=str(path), detail="use a .tsv or .jsonl file")


def _read_jsonl_claims(path: Path) -> list[KnownClaim]:
    claims = []
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = f"{path}:{line_no}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise QuotegraphError("E061", source=where, detail=str(exc)) from exc
            claims.append(_claim_from_row(row, where))
    return claims


def _claim_from_row(row: object, where: str) -> KnownClaim:
    if not isinstance(row, dict):
        raise QuotegraphError("E061", source=where, detail="a line must be a JSON object")
    claim_id = next((row[f] for f in _ID_FIELDS if row.get(f) not in (None, "")), None)
    text = next((row[f] for f in _TEXT_FIELDS if isinstance(row.get(f), str)), None)
    if claim_id is None or not text or not text.strip():
        raise QuotegraphError("E061", source=where, detail="needs an id and a text")
    title, url = row.get("title"), row.get("url")
    return KnownClaim(
        claim_id=str(claim_id),
        text=text.strip(),
        title=title.strip() or None if isinstance(title, str) else None,
        url=url if isinstance(url, str) and url else None,
    )
