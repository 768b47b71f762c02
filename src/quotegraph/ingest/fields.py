"""Map one JSONL object or CSV row onto an Article.

Field names are matched case-insensitively, ignoring surrounding spaces; for each field the
first alias present with a non-empty value is used:

============  ===========================================================
Article       accepted input names, in order of preference
============  ===========================================================
text          ``text``, ``body``, ``content``, ``article``
title         ``title``, ``headline``
url           ``url``, ``link``
outlet        ``outlet``, ``source``, ``site``, ``publisher``
published     ``published``, ``date``, ``published_at``, ``publication_date``
author        ``author``, ``byline``, ``authors``
============  ===========================================================

Every other non-empty field is kept in ``Article.metadata`` as a string (numbers, booleans
and nested values as JSON). The text is used as given except that ``\\r\\n`` becomes
``\\n`` and lone UTF-16 surrogates (possible in JSON escapes) become U+FFFD. A ``published``
value that ``parse_date`` cannot read is left out of ``published`` and kept in metadata under
its own name. ``author`` may also be a list of strings (joined with ``"; "``); any other
non-string value for a known field is an ``E014`` failure.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from quotegraph.errors import QuotegraphError
from quotegraph.ingest.dates import parse_date
from quotegraph.ingest.limits import IngestLimits
from quotegraph.ingest.records import (
    check_length,
    failure_from,
    make_article,
    replace_lone_surrogates,
)
from quotegraph.types import Article, Failure, InputFormat

FIELD_ALIASES: Mapping[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "site", "publisher"),
    "published": ("published", "date", "published_at", "publication_date"),
    "author": ("author", "byline", "authors"),
}
TEXT_ALIASES = FIELD_ALIASES["text"]


def record_to_article(
    record: Mapping[str, Any], *, source: str, input_format: InputFormat, limits: IngestLimits
) -> Article | Failure:
    """The Article for one record, or the Failure that explains why there is none."""
    try:
        return _build(record, source, input_format, limits)
    except QuotegraphError as error:
        return failure_from(error, source)


def _build(
    record: Mapping[str, Any], source: str, input_format: InputFormat, limits: IngestLimits
) -> Article:
    chosen = _choose_fields(record)
    if "text" not in chosen:
        raise QuotegraphError("E012", source=source, detail=f"expected one of {TEXT_ALIASES}")
    values = {field: _as_string(field, key, record[key], source) for field, key in chosen.items()}
    text = replace_lone_surrogates(values["text"].replace("\r\n", "\n"))
    check_length(text, source, limits)
    published = parse_date(values["published"]) if "published" in values else None
    used = {key for field, key in chosen.items() if field != "published" or published}
    return make_article(
        text,
        source_file=source,
        input_format=input_format,
        title=_stripped(values.get("title")),
        url=_stripped(values.get("url")),
        outlet=_stripped(values.get("outlet")),
        published=published,
        author=_stripped(values.get("author")),
        metadata=_metadata(record, used),
    )


def check_field_types(record: Mapping[str, Any], source: str) -> None:
    """E014 for any known field name (every alias, not only the one chosen) holding
    something other than text, null or, for ``author``, a list of strings. The reader
    itself checks only the fields it uses; the API declares every alias as text and
    holds posts to that."""
    for key, value in record.items():
        name = key.strip().lower() if isinstance(key, str) else None
        field = _FIELD_OF_ALIAS.get(name) if name else None
        if field is not None and not _is_blank(value):
            _as_string(field, str(key), value, source)


_FIELD_OF_ALIAS = {alias: field for field, aliases in FIELD_ALIASES.items() for alias in aliases}


def _choose_fields(record: Mapping[str, Any]) -> dict[str, str]:
    """For each Article field, the record key it is taken from."""
    by_name: dict[str, str] = {}
    for key in record:
        if isinstance(key, str):
            by_name.setdefault(key.strip().lower(), key)
    chosen: dict[str, str] = {}
    for field, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            found = by_name.get(alias)
            if found is not None and not _is_blank(record[found]):
                chosen[field] = found
                break
    return chosen


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_string(field: str, key: str, value: Any, source: str) -> str:
    if isinstance(value, str):
        return value
    if field == "author" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(v.strip() for v in value if v.strip())
    raise QuotegraphError(
        "E014", source=source, detail=f"'{key}' must be a string, not {type(value).__name__}"
    )


def _stripped(value: str | None) -> str | None:
    if value is None:
        return None
    return replace_lone_surrogates(value.strip()) or None


def _metadata(record: Mapping[str, Any], used: set[str]) -> dict[str, str]:
    kept: dict[str, str] = {}
    for key, value in record.items():
        if key in used or value is None or value == "":
            continue  # empty CSV cells and nulls carry nothing worth keeping
        as_text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        kept[replace_lone_surrogates(str(key))] = replace_lone_surrogates(as_text)
    return kept
