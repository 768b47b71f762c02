"""HTML pages: main text and metadata via trafilatura, boilerplate and comments dropped.

The article text is ``title + "\\n\\n" + body``, with the body's blocks (paragraphs,
headings, lists, tables, quotes) separated by a blank line; a line break inside a block
stays a single ``\\n``. trafilatura gives ``title``, ``author`` (several joined with
``"; "``), ``date`` (-> published), ``sitename`` (-> outlet) and ``url`` (canonical link or
og:url); ``description``, ``categories``, ``tags`` and ``hostname`` go into metadata (lists
as JSON). ``published`` keeps the time of day from the page's ``article:published_time`` /
``datePublished`` markup when it agrees with trafilatura's date.
"""

from __future__ import annotations

import html as html_entities
import json
import logging
import re
from collections.abc import Iterator
from copy import deepcopy
from typing import TYPE_CHECKING

import trafilatura
from trafilatura.xml import xmltotxt

from quotegraph.errors import QuotegraphError
from quotegraph.ingest.dates import parse_date
from quotegraph.ingest.decoding import decode_html
from quotegraph.ingest.limits import IngestLimits
from quotegraph.ingest.records import check_length, make_article, normalise_newlines
from quotegraph.ingest.sources import InputFile, read_document
from quotegraph.types import Article, Failure, InputFormat

if TYPE_CHECKING:
    # lxml ships no type stubs; the ignore is inert where lxml-stubs are installed.
    from lxml.etree import _Element  # type: ignore[import-untyped, unused-ignore]
    from trafilatura.settings import Document

logger = logging.getLogger(__name__)

# htmldate's "extensive search" guesses dates from free text and happily returns the
# copyright year ("© 2021" -> 2021-01-01); only trust dates the page marks up as such.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_METADATA_FIELDS = ("description", "categories", "tags", "hostname")
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_PUBLISHED_KEYS = frozenset(
    {"article:published_time", "datepublished", "pubdate", "publishdate", "dc.date.issued"}
)
_JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{1,64})"')


def read_html(item: InputFile, limits: IngestLimits) -> Iterator[Article | Failure]:
    data = read_document(item, limits, html_cap(limits))
    if not data.strip():
        raise QuotegraphError("E002", source=item.source)
    yield page_article(decode_html(data, item.source), item.source, limits)


def html_cap(limits: IngestLimits) -> int:
    """Most bytes of one HTML page read into memory and handed to trafilatura."""
    return min(limits.max_file_bytes, limits.max_html_bytes)


def page_article(
    html: str, source: str, limits: IngestLimits, *, input_format: InputFormat = "html"
) -> Article:
    """The Article for one decoded HTML page (a file, or a page inside a web archive).

    Raises ``E010`` when the page has no main text and ``E007`` when it is too long.
    """
    html = _prepare(html)
    document = _extract(html, source)
    title = _clean(document.title)
    body = _body_text(document.body, title)
    if not body:
        raise QuotegraphError("E010", source=source, detail="no main text found")
    text = normalise_newlines(f"{title}\n\n{body}" if title else body)
    check_length(text, source, limits)
    return make_article(
        text,
        source_file=source,
        input_format=input_format,
        title=title,
        url=_clean(document.url),
        outlet=_clean(document.sitename),
        published=_published(document.date, html),
        author=_clean(document.author),
        metadata=_metadata(document),
    )


def html_to_text(html: str, source: str) -> str:
    """The main text of an HTML page or fragment, blocks separated by blank lines.

    The same trafilatura path as whole pages, without the title; ``""`` when nothing is
    left. Raises ``E010`` when trafilatura fails on the markup.
    """
    document = _extract(_prepare(html), source)
    return normalise_newlines(_body_text(document.body, None))


def _prepare(html: str) -> str:
    """Make the string palatable to trafilatura's loader.

    lxml refuses a str that still carries an XML encoding declaration (trafilatura then
    re-parses the UTF-8 bytes under the declared, now wrong, charset), and trafilatura
    rejects input whose first 50 characters do not mention "html" unless it parses into
    several blocks, which drops HTML fragments; a doctype in front avoids both.
    """
    html = _XML_DECLARATION.sub("", html, count=1)
    if "html" not in html[:50].lower():
        html = "<!DOCTYPE html>\n" + html
    return html


def _extract(html: str, source: str) -> Document:
    try:
        document = trafilatura.bare_extraction(
            html,
            include_comments=False,
            with_metadata=True,
            include_tables=True,
            include_images=False,
            include_links=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as exc:  # lxml/htmldate can fail in many ways on one bad page
        logger.debug("trafilatura failed on %s: %r", source, exc)
        raise QuotegraphError("E010", source=source, detail=f"extraction failed: {exc}") from exc
    if document is None or isinstance(document, dict):
        raise QuotegraphError("E010", source=source)
    return document


def _body_text(body: _Element | None, title: str | None) -> str:
    """Render each top-level block on its own, so blocks are joined by blank lines."""
    if body is None:
        return ""
    blocks = [block for child in body if (block := _render_block(child))]
    if title:
        # trafilatura keeps the <h1>, sometimes after a kicker line; the title is prepended
        # anyway, and a repeated headline would be read as a second statement.
        head = [b for b in blocks[:_HEADLINE_SEARCH] if not _same_words(b, title)]
        blocks = head + blocks[_HEADLINE_SEARCH:]
    return "\n\n".join(blocks)


# The <h1> stands among the first few blocks (after a kicker or a section label at most).
_HEADLINE_SEARCH = 3


def _render_block(element: _Element) -> str:
    block = deepcopy(element)
    block.tail = None  # the tail belongs to the parent's flow, not to this block
    text = xmltotxt(block, include_formatting=False)
    lines = (line.strip() for line in text.split("\n"))
    # Only single newlines inside a block, so "\n\n" always means a new paragraph.
    return "\n".join(line for line in lines if line)


def _same_words(left: str, right: str) -> bool:
    return " ".join(left.split()).casefold() == " ".join(right.split()).casefold()


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    return " ".join(value.split()) or None


def _published(extracted: str | None, html: str) -> str | None:
    """The publication date, with its time of day when the page marks one up.

    htmldate (inside trafilatura) reduces ``2025-03-13T09:30:00Z`` to ``2025-03-13``; the
    page's own published-time value is kept as given when it agrees with that day.
    """
    day = parse_date(extracted) if extracted else None
    precise = _marked_up_published(html)
    if precise and (day is None or precise.startswith(day)):
        return precise
    return day


def _marked_up_published(html: str) -> str | None:
    for tag in _META_TAG.findall(html):
        attributes = _attributes(tag)
        key = attributes.get("property") or attributes.get("name") or attributes.get("itemprop")
        if key and key.lower() in _PUBLISHED_KEYS and attributes.get("content"):
            return parse_date(html_entities.unescape(attributes["content"]))
    found = _JSON_LD_PUBLISHED.search(html)
    return parse_date(found.group(1)) if found else None


def _attributes(tag: str) -> dict[str, str]:
    """Attributes of one start tag; the three groups are the three ways of quoting."""
    return {
        name.lower(): double or single or bare
        for name, double, single, bare in _ATTRIBUTE.findall(tag)
    }


def _metadata(document: Document) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in _METADATA_FIELDS:
        value = getattr(document, name, None)
        if isinstance(value, list) and value:
            found[name] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, str) and value.strip():
            found[name] = value.strip()
    return found
