"""Plain-text articles: exact text, title, header metadata, encodings and failures."""

from __future__ import annotations

import codecs

import pytest

from quotegraph.ingest import article_id_for
from quotegraph.types import Article

from .helpers import Writer, ingest, only_article, only_failure

ARTICLE = (
    "Minister defends budget cuts.\n"
    "By JANE KOWALSKI, Staff Reporter\n"
    "Meridian Post | 14 March 2025\n"
    "\n"
    "GENEVA — The finance minister on Friday defended the cuts.\n"
    '"We have no choice," she said.\n'
)


def test_text_is_the_whole_file_and_title_the_first_line(write: Writer) -> None:
    path = write("a.txt", "\n\n  " + ARTICLE)
    article = only_article(path)
    assert article.text == "\n\n  " + ARTICLE
    assert article.title == "Minister defends budget cuts."  # trailing period kept
    assert article.input_format == "txt"
    assert article.source_file == str(path)
    assert article.article_id == article_id_for(article.text)
    assert article.metadata == {}


def test_header_metadata_is_filled_from_the_text(write: Writer) -> None:
    article = only_article(write("a.txt", ARTICLE))
    assert article.author == "Jane Kowalski"
    assert article.outlet == "Meridian Post"
    assert article.published == "2025-03-14"
    assert article.dateline is not None
    assert article.dateline.place == "GENEVA"
    start, end = article.dateline.span
    assert article.text[start:end] == "GENEVA —"


def test_dateline_date_stands_in_for_a_missing_publication_date(write: Writer) -> None:
    text = "Title\n\nNEW YORK, Jan. 5, 2024 /PRNewswire/ -- Acme announced results.\n"
    article = only_article(write("a.txt", text))
    assert article.published == "2024-01-05"


def test_all_caps_title_is_not_taken_for_a_dateline(write: Writer) -> None:
    article = only_article(write("a.txt", "MINISTER QUITS - REPORT\n\nThe minister quit.\n"))
    assert article.dateline is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"Title\r\nLine two\r\n\r\nEnd\r\n", "Title\nLine two\n\nEnd\n"),
        (b"Title\rLine two\r\rEnd", "Title\nLine two\n\nEnd"),
        (b"Title\r\nmixed\rends\n", "Title\nmixed\nends\n"),
    ],
)
def test_offsets_match_the_file_read_with_universal_newlines(
    write: Writer, raw: bytes, expected: str
) -> None:
    path = write("a.txt", raw)
    article = only_article(path)
    assert article.text == expected
    with open(path, encoding="utf-8-sig") as handle:
        assert article.text == handle.read()  # Python's own reading of the same file


def test_offsets_index_non_ascii_characters(write: Writer) -> None:
    text = "Café talks\r\n\r\nZÜRICH — Ministers met at the café 🙂 on Monday.\r\n"
    article = only_article(write("a.txt", text))
    assert article.dateline is not None
    start, end = article.dateline.span
    assert article.text[start:end] == "ZÜRICH —"
    assert article.text.index("🙂") == text.replace("\r\n", "\n").index("🙂")


def test_utf8_bom_is_dropped(write: Writer) -> None:
    article = only_article(write("a.txt", codecs.BOM_UTF8 + b"Title\nBody\n"))
    assert article.text == "Title\nBody\n"
    assert article.title == "Title"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_bom(write: Writer, codec: str) -> None:
    data = "Título\r\nCuerpo del artículo\r\n".encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    article = only_article(write("a.txt", data))
    assert article.text == "Título\nCuerpo del artículo\n"
    assert article.metadata == {"encoding": "utf-16"}


def test_cp1252_text_is_accepted_and_marked(write: Writer) -> None:
    data = "Caf\u00e9 \u201cquoted\u201d \u2013 na\u00efve\nBody\n".encode("cp1252")
    article = only_article(write("a.txt", data))
    assert article.text == "Café “quoted” – naïve\nBody\n"
    assert article.metadata == {"encoding": "cp1252"}


def test_same_text_gives_the_same_id_across_files_and_runs(write: Writer) -> None:
    first = write("a.txt", ARTICLE)
    second = write("copy/b.txt", ARTICLE.replace("\n", "\r\n"))
    third = write("c.txt.gz", ARTICLE)
    results = ingest(first, second, third)
    assert all(isinstance(item, Article) for item in results)
    assert {item.article_id for item in results if isinstance(item, Article)} == {
        article_id_for(ARTICLE)
    }
    assert only_article(first).article_id == only_article(first).article_id


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "E002"),
        (b"  \n\t\r\n \n", "E002"),
        ("\u00a0\u2003\n".encode(), "E002"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "E003"),
        (bytes(range(1, 32)) * 20, "E003"),
        (b"Title\nBody with a bad byte \x81\x8d here\n", "E004"),
        (b"Title\nlatin \xe9 and a control \x02 byte\n", "E004"),
        (b"\xef\xbb\xbfTitle\nBOM says UTF-8 but caf\xe9\n", "E004"),
    ],
    ids=["empty", "whitespace", "unicode-whitespace", "png", "controls", "undefined-cp1252",
         "control-in-cp1252", "bom-then-latin1"],
)  # fmt: skip
def test_unreadable_text_files_fail_with_a_code(write: Writer, content: bytes, code: str) -> None:
    path = write("bad.txt", content)
    failed = only_failure(path)
    assert failed.code == code
    assert failed.source == str(path)
    assert failed.stage == "ingest"
    assert failed.message.startswith(f"{code}: ")
    assert str(path) in failed.message


def test_dateline_agency_stands_in_for_a_missing_outlet(write: Writer) -> None:
    text = "Title\n\nNAIROBI (Example Wire / Partner Daily - 12th March, 2020) - Rain.\n"
    article = only_article(write("a.txt", text))
    assert article.outlet == "Example Wire"
    assert article.dateline is not None
    assert article.dateline.source == "Example Wire / Partner Daily"
    assert article.published == "2020-03-12"
