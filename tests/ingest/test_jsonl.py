"""JSON Lines: field aliases, metadata, per-line failures that never stop the stream."""

from __future__ import annotations

import json

import pytest

from quotegraph.ingest import IngestLimits, article_id_for
from quotegraph.types import Article, Failure

from .helpers import Writer, ingest, only_article, only_failure


def lines(*records: object) -> str:
    return "".join(
        (record if isinstance(record, str) else json.dumps(record)) + "\n" for record in records
    )


def test_canonical_fields(write: Writer) -> None:
    record = {
        "text": "GENEVA — The minister said.\r\nSecond line.",
        "title": " Minister speaks ",
        "url": "https://example.org/a",
        "outlet": "Meridian Post",
        "published": "2025-03-14T09:30:00+01:00",
        "author": "Jane Kowalski",
    }
    path = write("a.jsonl", lines(record))
    article = only_article(path)
    assert article.text == "GENEVA — The minister said.\nSecond line."  # no title prepended
    assert article.title == "Minister speaks"
    assert article.url == "https://example.org/a"
    assert article.outlet == "Meridian Post"
    assert article.published == "2025-03-14T09:30:00+01:00"
    assert article.author == "Jane Kowalski"
    assert article.source_file == f"{path}#1"
    assert article.input_format == "jsonl"
    assert article.metadata == {}
    assert article.dateline is not None
    assert article.dateline.span == (0, 8)


def test_aliases_and_unknown_fields(write: Writer) -> None:
    record = {
        "Body": "The text.",
        "headline": "A headline",
        "link": "https://example.org/b",
        "publisher": "Northgate Daily",
        "publication_date": "14 March 2025",
        "byline": "Omar Haddad",
        "id": 17,
        "paywalled": True,
        "tags": ["a", "b"],
        "extra": {"k": [1, 2]},
        "note": "plain",
        "nothing": None,
    }
    article = only_article(write("a.jsonl", lines(record)))
    assert (article.text, article.title, article.url) == (
        "The text.",
        "A headline",
        "https://example.org/b",
    )
    assert (article.outlet, article.published, article.author) == (
        "Northgate Daily",
        "2025-03-14",
        "Omar Haddad",
    )
    assert article.metadata == {
        "id": "17",
        "paywalled": "true",
        "tags": '["a", "b"]',
        "extra": '{"k": [1, 2]}',
        "note": "plain",
    }


@pytest.mark.parametrize("alias", ["text", "body", "content", "article"])
def test_every_text_alias(write: Writer, alias: str) -> None:
    assert only_article(write("a.jsonl", lines({alias: "Words."}))).text == "Words."


def test_unparseable_date_is_kept_in_metadata(write: Writer) -> None:
    article = only_article(write("a.jsonl", lines({"text": "T.", "date": "last Tuesday"})))
    assert article.published is None
    assert article.metadata == {"date": "last Tuesday"}


def test_author_list_is_joined(write: Writer) -> None:
    article = only_article(write("a.jsonl", lines({"text": "T.", "authors": ["A B", "C D"]})))
    assert article.author == "A B; C D"


def test_text_metadata_fills_only_missing_fields(write: Writer) -> None:
    text = "By Jane Kowalski\nMeridian Post | 14 March 2025\n\nBody."
    record = {"text": text, "outlet": "Given Outlet"}
    article = only_article(write("a.jsonl", lines(record)))
    assert article.outlet == "Given Outlet"
    assert article.author == "Jane Kowalski"
    assert article.published == "2025-03-14"


def test_bad_lines_do_not_stop_the_good_ones(write: Writer) -> None:
    content = lines(
        {"text": "First."},
        "{not json",
        "",
        "   ",
        '["a", "list"]',
        {"title": "no text"},
        {"text": "   "},
        {"text": 42},
        {"text": ["a"]},
        {"text": "Ok", "title": {"nested": 1}},
        '{"text": "big", "n": ' + "9" * 5000 + "}",
        {"text": "Last."},
    )
    path = write("mixed.jsonl", content)
    results = ingest(path)
    summary = [
        (item.source_file, item.text) if isinstance(item, Article) else (item.source, item.code)
        for item in results
    ]
    assert summary == [
        (f"{path}#1", "First."),
        (f"{path}#2", "E011"),
        (f"{path}#5", "E011"),
        (f"{path}#6", "E012"),
        (f"{path}#7", "E012"),
        (f"{path}#8", "E014"),
        (f"{path}#9", "E014"),
        (f"{path}#10", "E014"),
        (f"{path}#11", "E011"),
        (f"{path}#12", "Last."),
    ]
    failure = results[1]
    assert isinstance(failure, Failure)
    assert failure.message.startswith(f"E011: JSONL line is not a valid JSON object [{path}#2]")


def test_line_that_is_not_utf8(write: Writer) -> None:
    path = write("a.jsonl", b'{"text": "caf\xe9"}\n{"text": "ok"}\n')
    first, second = ingest(path)
    assert isinstance(first, Failure)
    assert (first.code, first.source) == ("E004", f"{path}#1")
    assert isinstance(second, Article)


def test_bom_crlf_and_lone_surrogates(write: Writer) -> None:
    raw = b'\xef\xbb\xbf{"text": "a\\ud800b"}\r\n{"text": "c"}\r\n'
    first, second = ingest(write("a.jsonl", raw))
    assert isinstance(first, Article)
    assert isinstance(second, Article)
    assert first.text == "a\ufffdb"
    assert first.article_id == article_id_for("a\ufffdb")


def test_overlong_line_is_skipped_without_losing_the_next(write: Writer) -> None:
    path = write("a.jsonl", lines({"text": "x" * 5000}, {"text": "short"}))
    limits = IngestLimits(max_file_bytes=1000)
    first, second = ingest(path, limits=limits)
    assert isinstance(first, Failure)
    assert (first.code, first.source) == ("E007", f"{path}#1")
    assert isinstance(second, Article)
    assert second.text == "short"


def test_text_over_max_article_chars(write: Writer) -> None:
    path = write("a.jsonl", lines({"text": "x" * 50}))
    assert only_failure(path, limits=IngestLimits(max_article_chars=10)).code == "E007"


def test_file_without_records_is_e002(write: Writer) -> None:
    assert only_failure(write("a.jsonl", "\n  \n")).code == "E002"


def test_duplicate_records_get_identical_ids(write: Writer) -> None:
    path = write("a.jsonl", lines({"text": "Same."}, {"text": "Same.", "title": "Other"}))
    first, second = ingest(path)
    assert isinstance(first, Article)
    assert isinstance(second, Article)
    assert first.article_id == second.article_id == article_id_for("Same.")
