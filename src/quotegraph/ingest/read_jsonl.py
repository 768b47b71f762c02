"""JSON Lines: one article object per line, streamed line by line.

Field names and aliases are described in ``quotegraph.ingest.fields``. Each line is
``path#N`` (N = 1-based physical line number) in ``source_file`` and in failures. Blank
lines are skipped. A line that is not UTF-8 is ``E004``, not a JSON object ``E011``, longer
than ``max_file_bytes`` ``E007``; the lines around it are still read.
"""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Iterator

from quotegraph.errors import QuotegraphError
from quotegraph.ingest.fields import record_to_article
from quotegraph.ingest.limits import IngestLimits
from quotegraph.ingest.records import failure
from quotegraph.ingest.sources import InputFile, open_input, skip_line
from quotegraph.types import Article, Failure


def read_jsonl(item: InputFile, limits: IngestLimits) -> Iterator[Article | Failure]:
    records = 0
    with open_input(item, limits) as stream:
        for number, line in _numbered_lines(stream, limits.max_file_bytes):
            if line is not None and not line.strip():
                continue
            records += 1
            source = f"{item.source}#{number}"
            if line is None:
                yield failure("E007", source, detail=f"line over {limits.max_file_bytes:,} bytes")
            else:
                yield _parse_line(line, source, limits)
    if records == 0:
        raise QuotegraphError("E002", source=item.source, detail="no JSON lines")


def _numbered_lines(stream: io.BufferedReader, cap: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)``; ``None`` for a line over ``cap``, which is skipped unread."""
    number = 0
    while line := stream.readline(cap + 1):
        number += 1
        if len(line) > cap and not line.endswith(b"\n"):
            skip_line(stream)
            yield number, None
            continue
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        yield number, line


def _parse_line(line: bytes, source: str, limits: IngestLimits) -> Article | Failure:
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return failure("E004", source, detail=f"not UTF-8: {exc.reason} at byte {exc.start}")
    try:
        record = json.loads(decoded)
    except json.JSONDecodeError as exc:
        return failure("E011", source, detail=f"{exc.msg} at column {exc.colno}")
    except ValueError as exc:  # e.g. an integer past Python's 4300-digit conversion limit
        return failure("E011", source, detail=str(exc))
    except RecursionError:
        return failure("E011", source, detail="nested too deeply")
    if not isinstance(record, dict):
        return failure("E011", source, detail=f"got a JSON {type(record).__name__}, not an object")
    return record_to_article(record, source=source, input_format="jsonl", limits=limits)
