"""Build the ``Article`` and ``Failure`` records every reader hands on."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from quotegraph.errors import QuotegraphError
from quotegraph.ingest.limits import IngestLimits
from quotegraph.ingest.metadata import find_byline, find_dateline, find_outlet_and_date
from quotegraph.types import Article, Dateline, Failure, InputFormat

ARTICLE_ID_LENGTH = 16
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def article_id_for(text: str) -> str:
    """Content hash of the article text: the same text always gets the same ID."""
    # surrogatepass: a lone surrogate must not make hashing itself fail.
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:ARTICLE_ID_LENGTH]


def failure(code: str, source: str, detail: str | None = None) -> Failure:
    return failure_from(QuotegraphError(code, source=source, detail=detail), source)


def failure_from(error: QuotegraphError, default_source: str) -> Failure:
    # A file name that is not UTF-8 decodes to lone surrogates, which SQLite cannot store.
    source = replace_lone_surrogates(error.source or default_source)
    message = replace_lone_surrogates(error.describe())
    return Failure(source=source, code=error.code, message=message, stage="ingest")


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``, exactly like Python's universal newlines."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def replace_lone_surrogates(text: str) -> str:
    """JSON may escape half a surrogate pair; U+FFFD keeps the length and offsets intact."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def first_line(text: str) -> tuple[str, int] | None:
    """The first non-blank line, stripped, and the offset just past it."""
    for match in re.finditer(r"[^\n]+", text):
        if match.group().strip():
            return match.group().strip(), match.end()
    return None


def check_length(text: str, source: str, limits: IngestLimits) -> None:
    if len(text) > limits.max_article_chars:
        raise QuotegraphError(
            "E007",
            source=source,
            detail=f"article has {len(text):,} characters; max_article_chars is "
            f"{limits.max_article_chars:,}",
        )


def make_article(
    text: str,
    *,
    source_file: str,
    input_format: InputFormat,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    author: str | None = None,
    metadata: Mapping[str, str] | None = None,
) -> Article:
    """An Article whose missing fields are filled from the text's own header lines.

    Fields given by the input (HTML metadata, JSONL/CSV columns) win over what the text
    says; the dateline always comes from the final text so its span indexes ``text``.
    Last resorts: the dateline's date for ``published`` and its agency for ``outlet``.
    """
    byline = find_byline(text)
    text_outlet, text_date = find_outlet_and_date(text)
    dateline = find_dateline(text, start=_title_end(text, title))
    return Article(
        article_id=article_id_for(text),
        text=text,
        title=title,
        source_file=replace_lone_surrogates(source_file),
        url=url,
        outlet=outlet or text_outlet or _dateline_outlet(dateline),
        published=published or text_date or (dateline.date if dateline else None),
        author=author or (byline[0] if byline else None),
        dateline=dateline,
        input_format=input_format,
        metadata=dict(metadata or {}),
    )


def _title_end(text: str, title: str | None) -> int:
    """Where the body starts when the text opens with its own title line, else 0."""
    opening = first_line(text)
    if title and opening and opening[0] == title.strip():
        return opening[1]
    return 0


def _dateline_outlet(dateline: Dateline | None) -> str | None:
    """``VALDHOLM (Continental Wire / Partner Daily) -`` -> ``Continental Wire``."""
    if dateline is None or not dateline.source:
        return None
    return dateline.source.split(" / ")[0].strip() or None
