"""Ingest: read news articles from files into ``Article`` records (or coded ``Failure``\\ s).

``iter_inputs`` streams over files and directories (walked recursively, sorted) of
``.txt``, ``.html``/``.htm``, ``.jsonl`` and ``.csv`` inputs, web archives (``.warc``, and
``.warc.gz`` read by warcio record by record) and news feeds (``.rss``, ``.atom``, and
``.xml`` files that are feeds), each optionally gzipped (``x.jsonl.gz``). Nothing is read
ahead: each article is yielded as soon as it is read, and one bad file or record becomes a
Failure without stopping the stream. Records passed over on purpose (a WARC request or image
record, a feed item without full text) come out as ``Skipped``.

Error codes produced here:

- ``E001`` path does not exist (or is a broken symlink)
- ``E002`` empty or whitespace-only file; JSONL/CSV with no records
- ``E003`` binary file (NUL or many control bytes)
- ``E004`` not UTF-8 / UTF-16-with-BOM / clean windows-1252 text
- ``E005`` I/O error, permission denied, not a regular file
- ``E006`` truncated or corrupt ``.gz``
- ``E007`` over a size limit in ``IngestLimits``
- ``E008`` explicitly named file of an unsupported format
- ``E010`` HTML without extractable main text
- ``E011`` JSONL line that is not a JSON object
- ``E012`` record without text (or an unparseable CSV row)
- ``E013`` CSV without a text column
- ``E014`` record field of the wrong type
- ``E045`` WARC archive truncated, corrupt or not a WARC file (the records before are kept)
- ``E046`` feed that feedparser cannot read and that has no items
- ``E047`` WARC record with a ``Content-Encoding`` that cannot be undone
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator

from quotegraph.errors import QuotegraphError
from quotegraph.ingest.limits import IngestLimits
from quotegraph.ingest.read_csv import read_csv
from quotegraph.ingest.read_html import read_html
from quotegraph.ingest.read_jsonl import read_jsonl
from quotegraph.ingest.read_rss import read_rss
from quotegraph.ingest.read_txt import read_txt
from quotegraph.ingest.read_warc import read_warc
from quotegraph.ingest.records import article_id_for, failure, failure_from
from quotegraph.ingest.sources import FORMATS_BY_SUFFIX, InputFile
from quotegraph.ingest.walk import check_inputs, iter_files, survey_inputs
from quotegraph.types import Article, Failure, InputFormat, Skipped

__all__ = [
    "SUPPORTED_SUFFIXES",
    "IngestLimits",
    "article_id_for",
    "check_inputs",
    "iter_inputs",
    "survey_inputs",
]

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(sorted(FORMATS_BY_SUFFIX))
"""File name endings read by ingest; each may also carry ``.gz``."""

Reader = Callable[[InputFile, IngestLimits], Iterator[Article | Failure | Skipped]]
_READERS: dict[InputFormat, Reader] = {
    "txt": read_txt,
    "html": read_html,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "warc": read_warc,
    "rss": read_rss,
}


def iter_inputs(
    paths: Iterable[str | os.PathLike[str]],
    *,
    limits: IngestLimits | None = None,
    relative_to: str | os.PathLike[str] | None = None,
) -> Iterator[Article | Failure | Skipped]:
    """Yield an Article for every article found under ``paths``, a Failure for every input
    (file, JSONL line, CSV row, WARC record, feed item) that could not be read, in path then
    file order, and a ``Skipped`` for every record passed over on purpose (WARC records
    that are not HTML pages fetched with status 200, feed items without full text, ``.xml``
    files that are not feeds).

    ``Skipped`` is neither an error nor an article: a consumer that only acts on
    ``isinstance(item, Article)`` and ``isinstance(item, Failure)`` may ignore it (the
    ingest pipeline counts it by ``reason`` into ``IngestReport.skipped_reasons``).

    A bare ``str`` passed by mistake is read as one path, not iterated letter by letter.
    Sources are the paths as given (relative ones stay relative), or with ``relative_to``
    the paths from that folder.
    """
    limits = limits or IngestLimits()
    for item in iter_files(paths, relative_to=relative_to):
        if isinstance(item, Failure):
            yield item
        else:
            yield from _read(item, limits)


def _read(item: InputFile, limits: IngestLimits) -> Iterator[Article | Failure | Skipped]:
    """Run one reader; an error it raises ends that file only, as a Failure."""
    logger.debug("reading %s as %s", item.source, item.input_format)
    try:
        yield from _READERS[item.input_format](item, limits)
    except QuotegraphError as error:
        yield failure_from(error, item.source)
    except OSError as exc:
        yield failure("E005", item.source, detail=exc.strerror or str(exc))
