"""News feeds: RSS 2.0, RSS 1.0 and Atom (``.rss``, ``.atom``, and ``.xml`` files that are feeds).

feedparser reads the file's bytes (handed over as a stream, so it never takes them for a URL
or a path: no network, no other file). Item N (1-based, in file order) becomes an Article
with ``source_file`` ``path#N``:

- ``text`` is ``title + "\\n\\n" + body``, like an HTML page. The body is the item's full
  text (``content:encoded``, Atom ``content``), HTML converted by the same trafilatura path
  as ``.html`` files, paragraphs separated by blank lines. An item with only a summary
  (``description``, Atom ``summary``) uses it when it holds at least
  ``MIN_SUMMARY_SENTENCES`` sentences; otherwise it is ``Skipped`` (``no full text in feed``).
- ``url`` the item's link, ``published`` its publication (else update) date in ISO 8601,
  ``author`` its author(s) joined with ``"; "``, ``outlet`` the feed's title; ``metadata``
  keeps ``guid``, ``categories`` (JSON list) and ``feed_text`` (``content`` or ``summary``).

A ``.xml`` file whose root element is not ``rss``, ``feed`` or ``RDF`` is ``Skipped``
(``not a feed``). A feed feedparser cannot read and that yields no items is ``E046``; a
well-formed feed without items is ``E002``. The file is read whole, up to ``max_file_bytes``.
"""

from __future__ import annotations

import html as html_entities
import io
import json
import logging
import os
import re
import time
from collections.abc import Iterator, Mapping
from typing import Any

import feedparser  # type: ignore[import-untyped, unused-ignore]

from quotegraph.errors import QuotegraphError
from quotegraph.ingest.dates import parse_date
from quotegraph.ingest.limits import IngestLimits
from quotegraph.ingest.read_html import html_to_text
from quotegraph.ingest.records import (
    check_length,
    failure_from,
    make_article,
    normalise_newlines,
    replace_lone_surrogates,
)
from quotegraph.ingest.sources import GZIP_SUFFIX, InputFile, open_input, read_document
from quotegraph.types import Article, Failure, Skipped

logger = logging.getLogger(__name__)

MIN_SUMMARY_SENTENCES = 3
"""A summary this long is an article in brief; a one-line teaser would only add noise."""
NO_FULL_TEXT = "no full text in feed"
NOT_A_FEED = "not a feed"

_SNIFF_BYTES = 8192
_FEED_ROOT = re.compile(
    r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<(?:[\w.-]+:)?(?:rss|feed|RDF)[\s>/]",
    re.DOTALL | re.IGNORECASE,
)
_TAG = re.compile(r"<[A-Za-z!/][^>]*>")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A sentence ends at ., ! or ? (closing quotes and brackets allowed) before a space or the end.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*(?:\s+|$)")
_MIN_SENTENCE_WORDS = 3


def read_rss(item: InputFile, limits: IngestLimits) -> Iterator[Article | Failure | Skipped]:
    if _is_xml(item.source) and not _sniffs_as_feed(item, limits):
        yield Skipped(item.source, NOT_A_FEED)
        return
    data = read_document(item, limits, limits.max_file_bytes)
    if not data.strip():
        raise QuotegraphError("E002", source=item.source)
    parsed = feedparser.parse(io.BytesIO(data))
    entries = parsed.get("entries") or []
    if not entries:
        raise _no_items(parsed, item.source)
    outlet = _plain(parsed.get("feed", {}).get("title"), "text/plain")
    for number, entry in enumerate(entries, 1):
        yield _entry_result(entry, f"{item.source}#{number}", outlet, limits)


def _is_xml(path: str) -> bool:
    return os.path.basename(path).lower().removesuffix(GZIP_SUFFIX).endswith(".xml")


def _sniffs_as_feed(item: InputFile, limits: IngestLimits) -> bool:
    """Whether the first element of the document is a feed's root."""
    with open_input(item, limits) as stream:
        head = stream.read(_SNIFF_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    else:  # tag names are ASCII; latin-1 never fails and keeps every byte in place
        text = head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    return _FEED_ROOT.match(text) is not None


def _no_items(parsed: Any, source: str) -> QuotegraphError:
    if parsed.get("bozo") or not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        detail = f"{type(problem).__name__}: {problem}" if problem else "no RSS or Atom root"
        return QuotegraphError("E046", source=source, detail=detail)
    return QuotegraphError("E002", source=source, detail="feed has no items")


def _entry_result(
    entry: Mapping[str, Any], source: str, outlet: str | None, limits: IngestLimits
) -> Article | Failure | Skipped:
    try:
        return _entry_article(entry, source, outlet, limits)
    except QuotegraphError as error:
        return failure_from(error, source)


def _entry_article(
    entry: Mapping[str, Any], source: str, outlet: str | None, limits: IngestLimits
) -> Article | Skipped:
    title_detail = entry.get("title_detail") or {}
    title = _plain(entry.get("title"), title_detail.get("type", "text/plain"))
    body, origin = _body(entry, source)
    if not body:
        return Skipped(source, NO_FULL_TEXT)
    text = replace_lone_surrogates(f"{title}\n\n{body}" if title else body)
    check_length(text, source, limits)
    return make_article(
        text,
        source_file=source,
        input_format="rss",
        title=title,
        url=_link(entry),
        outlet=outlet,
        published=_published(entry),
        author=_authors(entry),
        metadata=_metadata(entry, origin),
    )


def _body(entry: Mapping[str, Any], source: str) -> tuple[str, str]:
    """The full text and where it came from (``content``), else a long enough summary."""
    contents = [
        _as_text(part.get("value") or "", part.get("type") or "text/html", source)
        for part in entry.get("content") or []
    ]
    full = max(contents, key=len, default="")
    if full:
        return full, "content"
    summary_detail = entry.get("summary_detail") or {}
    summary_type = summary_detail.get("type") or "text/html"
    summary = _as_text(entry.get("summary") or "", summary_type, source)
    if _sentence_count(summary) >= MIN_SUMMARY_SENTENCES:
        return summary, "summary"
    return "", ""


def _as_text(value: str, media_type: str, source: str) -> str:
    """Feed HTML through the page path; plain text keeps its own paragraph breaks."""
    is_html = "html" in media_type
    if is_html and _TAG.search(value):
        try:
            return html_to_text(value, source).strip()
        except QuotegraphError:
            logger.debug("no text from the HTML of %s", source, exc_info=True)
            return ""
    plain = html_entities.unescape(value) if is_html else value
    return _paragraphs(plain)


def _paragraphs(text: str) -> str:
    blocks = _PARAGRAPH_BREAK.split(normalise_newlines(text).strip())
    cleaned = (
        "\n".join(" ".join(line.split()) for line in b.split("\n") if line.strip()) for b in blocks
    )
    return "\n\n".join(block for block in cleaned if block)


def _sentence_count(text: str) -> int:
    pieces = _SENTENCE_END.split(text)
    return sum(1 for piece in pieces if len(piece.split()) >= _MIN_SENTENCE_WORDS)


def _plain(value: str | None, media_type: str) -> str | None:
    """A one-line field (title, feed title) as plain text."""
    if not value:
        return None
    if "html" in media_type:
        value = html_entities.unescape(_TAG.sub(" ", value))
    return replace_lone_surrogates(" ".join(value.split())) or None


def _stripped(value: Any) -> str | None:
    return replace_lone_surrogates(value.strip()) or None if isinstance(value, str) else None


def _link(entry: Mapping[str, Any]) -> str | None:
    link = _stripped(entry.get("link"))
    # Without a <link>, feedparser lends the guid; an Atom "urn:..." id is no address.
    if link and entry.get("guidislink") and not link.lower().startswith(("http:", "https:")):
        return None
    return link


def _published(entry: Mapping[str, Any]) -> str | None:
    for key in ("published", "updated"):
        raw = entry.get(key)
        found = parse_date(raw) if isinstance(raw, str) else None
        if found:
            return found
    # feedparser also reads date spellings parse_date does not; it gives them in UTC.
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else None


def _authors(entry: Mapping[str, Any]) -> str | None:
    names = [_plain(a.get("name"), "text/plain") for a in entry.get("authors") or []]
    joined = "; ".join(name for name in names if name)
    return joined or _plain(entry.get("author"), "text/plain")


def _metadata(entry: Mapping[str, Any], origin: str) -> dict[str, str]:
    found = {"feed_text": origin}
    guid = _stripped(entry.get("id"))
    if guid:
        found["guid"] = guid
    terms = [t.get("term") for t in entry.get("tags") or [] if t.get("term")]
    if terms:
        found["categories"] = replace_lone_surrogates(json.dumps(terms, ensure_ascii=False))
    return found
