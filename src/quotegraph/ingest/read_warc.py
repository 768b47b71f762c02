"""Web archives (``.warc``, ``.warc.gz``): every archived HTML page becomes an Article.

Records are streamed with warcio one at a time, so an archive of any size is read in
bounded memory. warcio inflates ``.warc.gz`` itself (one gzip member per record), so the
walker's ``.gz`` handling is not applied on top. A ``response`` record with HTTP status 200
and an HTML payload (``text/html`` or ``application/xhtml+xml``; when the header is missing
or generic the first bytes are sniffed, and a PDF or image is never HTML whatever the
header says) is read exactly like an ``.html`` file, through ``read_html.page_article``:

- ``source_file`` is ``path#offset``, the record's byte offset in the file as stored (for
  ``.warc.gz`` the offset of its gzip member), which ``warcio extract path offset`` takes;
- ``url`` is the ``WARC-Target-URI``; ``metadata`` adds ``fetched_at`` (the ``WARC-Date``),
  ``warc_record_id``, ``canonical_url`` (the page's own canonical link, when it differs)
  and ``warc_truncated`` (when the crawler cut the payload);
- ``published`` comes from the page's own markup, never from the fetch date.

Every other record is yielded as ``Skipped``, counted by reason: ``WARC request``,
``WARC revisit``, ``WARC metadata``, ``WARC warcinfo`` ... (by record type), ``not 200``
and ``non-HTML``. Per-record failures: ``E010`` (no main text), ``E007`` (payload over
``max_html_bytes`` / ``max_file_bytes``), ``E003`` (binary payload under an HTML header),
``E047`` (a ``Content-Encoding`` that cannot be undone). ``E045`` ends the archive (not a
WARC, garbage between records, a record or gzip member cut short): the records read before
it are kept. No cap applies to the archive's total size, since nothing accumulates.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped, unused-ignore]
from warcio.bufferedreaders import BufferedReader  # type: ignore[import-untyped, unused-ignore]
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped, unused-ignore]

from quotegraph.errors import QuotegraphError
from quotegraph.ingest.decoding import decode_html, encoding_for_label, looks_binary
from quotegraph.ingest.limits import IngestLimits
from quotegraph.ingest.read_html import html_cap, page_article
from quotegraph.ingest.records import failure, failure_from
from quotegraph.ingest.sources import InputFile
from quotegraph.types import Article, Failure, Skipped

logger = logging.getLogger(__name__)

NOT_200 = "not 200"
NON_HTML = "non-HTML"

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Types servers send when they do not know better; the payload decides.
_GENERIC_TYPES = frozenset(
    {
        "",
        "application/octet-stream",
        "binary/octet-stream",
        "application/unknown",
        "unknown/unknown",
        "application/x-unknown-content-type",
        "text/plain",
    }
)
_SNIFF_BYTES = 1024
# Formats often served under a wrong text/html header: PDF, PNG, GIF, JPEG, ZIP, RIFF, gzip.
_NOT_HTML_MAGIC = (
    b"%PDF-",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"RIFF",
    b"\x1f\x8b",
)
# The tags that mark a payload as HTML in the WHATWG MIME sniffing standard (section 7.1).
_HTML_START = re.compile(
    rb"\s*(?:<!doctype\s+html|<!--|<(?:html|head|body|script|iframe|h1|div|font|table|a|style"
    rb"|title|b|br|p)[\s>/])",
    re.IGNORECASE,
)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_READ_CHUNK = 1 << 16


def read_warc(item: InputFile, limits: IngestLimits) -> Iterator[Article | Failure | Skipped]:
    # ``item.compressed`` is ignored on purpose: warcio detects and inflates gzip members.
    with open(item.location, "rb") as raw:
        size = os.fstat(raw.fileno()).st_size
        if size == 0:
            raise QuotegraphError("E002", source=item.source)
        yield from _read_archive(raw, size, item.source, limits)


def _read_archive(
    raw: IO[bytes], size: int, path: str, limits: IngestLimits
) -> Iterator[Article | Failure | Skipped]:
    """Each record's result in file order, then at most one E045 for a damaged archive."""
    records = ArchiveIterator(raw)
    count = 0
    try:
        for record in records:
            count += 1
            # warcio keeps the current record's start in ``offset`` until it moves past it.
            source = f"{path}#{records.offset}"
            if record.length is None:  # Content-Length is mandatory: the headers were cut
                yield failure("E045", source, detail="record headers incomplete")
                return
            result = _read_record(record, source, limits)
            records.read_to_end()  # consume the rest, so that a short record shows
            if _cut_short(record):
                yield failure("E045", source, detail="record ends early (truncated archive?)")
                return
            yield result
    except ArchiveLoadFailed as exc:
        yield _load_failure(exc, path, records.offset)
        return
    if count == 0:
        raise QuotegraphError("E045", source=path, detail="no complete WARC record")
    if records.offset < size:
        # warcio stops quietly at a record whose headers were cut off.
        yield failure("E045", f"{path}#{records.offset}", detail="unreadable data to the end")


def _cut_short(record: Any) -> bool:
    """True when the record's block held fewer bytes than its Content-Length promised."""
    return getattr(record.raw_stream, "limit", 0) > 0


def _load_failure(error: ArchiveLoadFailed, path: str, offset: int) -> Failure:
    message = str(error)
    if "non-chunked gzip" in message:
        # warcio's offset is meaningless here: it counts from the end of the first member.
        detail = (
            "the whole archive is one gzip stream, not one gzip member per record; "
            "gunzip it, or rewrite it with `warcio recompress`"
        )
        return failure("E045", path, detail=detail)
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    return failure("E045", f"{path}#{offset}", detail=lines[0] if lines else None)


def _read_record(record: Any, source: str, limits: IngestLimits) -> Article | Failure | Skipped:
    if record.rec_type != "response":
        return Skipped(source, f"WARC {record.rec_type}")
    http = record.http_headers
    if http is None:  # dns: and other non-HTTP captures
        return Skipped(source, NON_HTML)
    if http.get_statuscode() != "200":
        return Skipped(source, NOT_200)
    content_type = http.get_header("Content-Type") or ""
    declared = content_type.split(";", 1)[0].strip().lower()
    if declared not in _HTML_TYPES and declared not in _GENERIC_TYPES:
        return Skipped(source, NON_HTML)
    stream = record.content_stream()
    head = _read_up_to(stream, _SNIFF_BYTES)
    if head.startswith(_NOT_HTML_MAGIC) and not _undecoded(http):
        return Skipped(source, NON_HTML)
    if declared not in _HTML_TYPES and not _HTML_START.match(head.removeprefix(_BOMS[0])):
        return Skipped(source, NON_HTML)
    try:
        data = _payload(head, stream, source, limits, http)
        article = page_article(
            _decode(data, source, content_type), source, limits, input_format="warc"
        )
    except QuotegraphError as error:
        return failure_from(error, source)
    return _with_capture_fields(article, record)


def _read_up_to(stream: Any, count: int) -> bytes:
    """Up to ``count`` bytes; warcio's readers may return less than asked before the end."""
    parts: list[bytes] = []
    wanted = count
    while wanted > 0:
        part = stream.read(min(wanted, _READ_CHUNK))
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def _undecoded(http: Any) -> str | None:
    """The Content-Encoding warcio could not undo (e.g. ``br`` without brotli), if any."""
    encoding = (http.get_header("Content-Encoding") or "").strip().lower()
    if not encoding or encoding == "identity":
        return None
    return None if encoding in BufferedReader.get_supported_decompressors() else encoding


def _payload(head: bytes, stream: Any, source: str, limits: IngestLimits, http: Any) -> bytes:
    encoding = _undecoded(http)
    if encoding:
        raise QuotegraphError("E047", source=source, detail=f"Content-Encoding: {encoding}")
    cap = html_cap(limits)
    data = head + _read_up_to(stream, cap + 1 - len(head))
    if len(data) > cap:
        raise QuotegraphError("E007", source=source, detail=f"page larger than {cap:,} bytes")
    if not data.strip():
        raise QuotegraphError("E010", source=source, detail="empty page")
    return data


def _decode(data: bytes, source: str, content_type: str) -> str:
    """Byte order mark, then the HTTP charset, then the page's own declaration (browser order)."""
    found = _CHARSET.search(content_type)
    encoding = encoding_for_label(found.group(1)) if found else None
    if encoding is None or data.startswith(_BOMS):
        return decode_html(data, source)
    if looks_binary(data):
        raise QuotegraphError("E003", source=source, detail="NUL or control bytes found")
    return data.decode(encoding, "replace")


def _with_capture_fields(article: Article, record: Any) -> Article:
    headers = record.rec_headers
    target = headers.get_header("WARC-Target-URI")
    metadata = dict(article.metadata)
    captured = {
        "fetched_at": headers.get_header("WARC-Date"),
        "warc_record_id": headers.get_header("WARC-Record-ID"),
        "warc_truncated": headers.get_header("WARC-Truncated"),
        "canonical_url": article.url if article.url and article.url != target else None,
    }
    metadata.update({key: value for key, value in captured.items() if value})
    return replace(article, url=target or article.url, metadata=metadata)
