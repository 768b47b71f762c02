"""CSV: a header row naming the fields (see ``quotegraph.ingest.fields``), one article a row.

Rows are streamed. ``source_file`` is ``path#N`` with N the 1-based data row (the header
is not counted, blank rows are). The delimiter is the most frequent of ``,`` ``\\t`` ``;``
in the header line. Encoding: UTF-8 (BOM optional) or UTF-16 with a BOM; a decoding error
stops the file with ``E004``. Values beyond the header's columns go to metadata ``_extra``.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
from collections.abc import Callable, Iterator
from typing import TypeVar

from quotegraph.errors import QuotegraphError
from quotegraph.ingest.decoding import BINARY_SAMPLE_BYTES, looks_binary
from quotegraph.ingest.fields import TEXT_ALIASES, record_to_article
from quotegraph.ingest.limits import IngestLimits
from quotegraph.ingest.records import failure
from quotegraph.ingest.sources import InputFile, open_input
from quotegraph.types import Article, Failure

T = TypeVar("T")
DELIMITERS = (",", "\t", ";")
_C_LONG_MAX = 2**31 - 1  # csv.field_size_limit takes a C long, 32 bits on Windows


def read_csv(item: InputFile, limits: IngestLimits) -> Iterator[Article | Failure]:
    _allow_fields_of(limits.max_file_bytes)
    with open_input(item, limits) as raw:
        text = io.TextIOWrapper(raw, encoding=_encoding(item, raw), newline="")
        try:
            yield from _read_rows(item, text, limits)
        finally:
            text.detach()  # the binary stream is closed by open_input, not by the wrapper


def _allow_fields_of(size: int) -> None:
    # The csv module's limit is process-global (default 128 KiB, far below an article);
    # only ever raise it, so other users of csv never see it shrink.
    wanted = min(size, _C_LONG_MAX)
    if csv.field_size_limit() < wanted:
        csv.field_size_limit(wanted)


def _encoding(item: InputFile, raw: io.BufferedReader) -> str:
    start = raw.peek(BINARY_SAMPLE_BYTES)
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if looks_binary(start):
        raise QuotegraphError("E003", source=item.source, detail="NUL or control bytes found")
    return "utf-8-sig"


# Headers of real tables are short; this bounds memory and messages for hostile ones.
MAX_HEADER_CHARS = 65_536


def _brief(names: list[str], *, most: int = 12, width: int = 40) -> str:
    """The first few column names, each cut short, for an error message."""
    shown = [name if len(name) <= width else name[: width - 1] + "…" for name in names[:most]]
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(repr(name) for name in shown) + more


def _read_rows(
    item: InputFile, text: io.TextIOWrapper, limits: IngestLimits
) -> Iterator[Article | Failure]:
    header_line = _decoded(lambda: text.readline(MAX_HEADER_CHARS + 1), item.source)
    if len(header_line) > MAX_HEADER_CHARS and not header_line.endswith("\n"):
        # A header this long is not a table's header (and would cost ~4 bytes a character).
        raise QuotegraphError(
            "E013",
            source=item.source,
            detail=f"header row longer than {MAX_HEADER_CHARS} characters",
        )
    if not header_line.strip():
        raise QuotegraphError("E002", source=item.source, detail="no header row")
    reader = csv.reader(itertools.chain([header_line], text), delimiter=_delimiter(header_line))
    names = [name.strip() for name in next(reader)]
    if not {name.lower() for name in names} & set(TEXT_ALIASES):
        raise QuotegraphError("E013", source=item.source, detail=f"columns: {_brief(names)}")
    rows = 0
    for number, row in _numbered_rows(reader, item.source):
        if isinstance(row, list) and not any(cell.strip() for cell in row):
            continue  # a blank row still counts for the numbering, but is no record
        rows += 1
        source = f"{item.source}#{number}"
        if isinstance(row, csv.Error):
            yield failure(_csv_error_code(row), source, detail=str(row))
        elif any(len(cell) > limits.max_file_bytes for cell in row):
            # The csv limit is process-wide and may be higher than ours: check again.
            yield failure("E007", source, detail=f"field over {limits.max_file_bytes:,} chars")
        else:
            yield record_to_article(
                _record(names, row), source=source, input_format="csv", limits=limits
            )
    if rows == 0:
        raise QuotegraphError("E002", source=item.source, detail="header row but no data rows")


def _delimiter(header_line: str) -> str:
    # max() keeps the first of equal counts, so a header without any falls back to ",".
    return max(DELIMITERS, key=header_line.count)


def _numbered_rows(
    reader: Iterator[list[str]], source: str
) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """Data rows numbered from 1; a row csv cannot parse is reported in its place."""
    for number in itertools.count(1):
        try:
            row = _decoded(lambda: next(reader), f"{source}#{number}")
        except StopIteration:
            return
        except csv.Error as exc:  # the reader resumes on the next line
            yield number, exc
            continue
        yield number, row


def _decoded(read: Callable[[], T], source: str) -> T:
    try:
        return read()
    except UnicodeDecodeError as exc:
        raise QuotegraphError("E004", source=source, detail=f"not UTF-8: {exc.reason}") from exc


def _csv_error_code(error: csv.Error) -> str:
    # An oversized field is a size-limit problem; anything else leaves no usable text.
    return "E007" if "field larger than field limit" in str(error) else "E012"


def _record(names: list[str], row: list[str]) -> dict[str, str]:
    record = dict(zip(names, row, strict=False))
    if len(row) > len(names):
        record["_extra"] = json.dumps(row[len(names) :], ensure_ascii=False)
    return record
