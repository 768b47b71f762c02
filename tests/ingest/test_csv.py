"""CSV: header-named fields, row numbers, big fields, delimiters, missing text column."""

from __future__ import annotations

import codecs

from quotegraph.ingest import IngestLimits
from quotegraph.types import Article, Failure

from .helpers import Writer, ingest, only_article, only_failure


def test_rows_become_articles(write: Writer) -> None:
    content = (
        "Headline,Body,Source,Date,Byline,section\r\n"
        'First,"WASHINGTON (AP) — Line one.\r\nLine two, with comma.",'
        "Wire,2025-03-14,Ann Lee,World\r\n"
        "Second,Plain text.,,,,\r\n"
    )
    path = write("a.csv", content)
    first, second = ingest(path)
    assert isinstance(first, Article)
    assert isinstance(second, Article)
    assert first.text == "WASHINGTON (AP) — Line one.\nLine two, with comma."
    assert first.title == "First"
    assert (first.outlet, first.published, first.author) == ("Wire", "2025-03-14", "Ann Lee")
    assert first.metadata == {"section": "World"}
    assert first.source_file == f"{path}#1"
    assert first.input_format == "csv"
    assert first.dateline is not None
    assert first.dateline.source == "AP"
    assert second.source_file == f"{path}#2"
    assert second.metadata == {}


def test_large_field(write: Writer) -> None:
    body = "word " * 100_000  # far beyond the csv module's default 128 KiB field limit
    article = only_article(write("a.csv", f"title,text\nBig,{body}\n"))
    assert article.text == body


def test_field_over_the_limit_fails_only_its_row(write: Writer) -> None:
    path = write("a.csv", "text\n" + "x" * 3000 + "\nsmall\n")
    results = ingest(path, limits=IngestLimits(max_file_bytes=2000))
    codes = [item.code if isinstance(item, Failure) else item.text for item in results]
    assert codes == ["E007", "small"]


def test_missing_text_column_is_one_e013(write: Writer) -> None:
    path = write("a.csv", "title,url\nA,https://a\nB,https://b\n")
    failure = only_failure(path)
    assert (failure.code, failure.source) == ("E013", str(path))


def test_row_without_text_is_e012(write: Writer) -> None:
    path = write("a.csv", "title,text\nNo text,\nHas text,Words.\n")
    first, second = ingest(path)
    assert isinstance(first, Failure)
    assert (first.code, first.source) == ("E012", f"{path}#1")
    assert isinstance(second, Article)
    assert second.source_file == f"{path}#2"


def test_semicolon_and_tab_delimiters(write: Writer) -> None:
    assert only_article(write("a.csv", "title;text\nT;Semi text.\n")).text == "Semi text."
    assert only_article(write("b.csv", "title\ttext\nT\tTab text.\n")).text == "Tab text."


def test_bom_and_utf16(write: Writer) -> None:
    bom = codecs.BOM_UTF8 + "text,title\nÜber,T\n".encode()
    assert only_article(write("a.csv", bom)).text == "Über"
    utf16 = "text,title\r\nÜber,T\r\n".encode("utf-16")
    assert only_article(write("b.csv", utf16)).text == "Über"


def test_extra_cells_go_to_metadata(write: Writer) -> None:
    article = only_article(write("a.csv", "text\nWords.,surplus\n"))
    assert article.metadata == {"_extra": '["surplus"]'}


def test_undecodable_csv_stops_with_e004(write: Writer) -> None:
    path = write("a.csv", b"text\ngood\n" + b"bad \xff\xfe\n")
    results = ingest(path)
    assert isinstance(results[-1], Failure)
    assert results[-1].code == "E004"


def test_empty_and_header_only(write: Writer) -> None:
    assert only_failure(write("a.csv", "")).code == "E002"
    assert only_failure(write("b.csv", "text,title\n")).code == "E002"


def test_binary_csv_is_e003(write: Writer) -> None:
    assert only_failure(write("a.csv", b"text\n\x00\x01\x02\x03")).code == "E003"


def test_blank_rows_are_skipped_but_counted(write: Writer) -> None:
    path = write("a.csv", "text\nOne\n\n,\nFour\n")
    results = ingest(path)
    assert [item.source_file for item in results if isinstance(item, Article)] == [
        f"{path}#1",
        f"{path}#4",
    ]
    assert only_failure(write("b.csv", "text\n\n\n")).code == "E002"
