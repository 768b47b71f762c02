"""Web archives: HTML responses become Articles, every other record is skipped and counted,
a damaged archive keeps what was read before the damage. Archives are written here with
warcio's own writer; every page is invented (fictional towns, people and outlets)."""

from __future__ import annotations

import gzip
import io
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from quotegraph import cli
from quotegraph.extract import shown_content
from quotegraph.ingest import IngestLimits
from quotegraph.ingest.sources import classify
from quotegraph.pipeline import ingest_paths
from quotegraph.store import Store
from quotegraph.types import Article, Failure, IngestReport, Skipped

from .helpers import ingest

FETCHED_AT = "2025-03-15T08:00:00Z"
CANONICAL_URL = "https://courier.example/news/harbour-vote"
PORT_URL = CANONICAL_URL + "?ref=front"

PORT_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour vote delayed | Saltmarsh Courier</title>
<meta property="og:title" content="Harbour vote delayed">
<meta property="og:site_name" content="Saltmarsh Courier">
<meta property="article:published_time" content="2025-03-14T09:30:00Z">
<link rel="canonical" href="https://courier.example/news/harbour-vote">
<meta property="og:url" content="https://courier.example/news/harbour-vote">
</head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article><h1>Harbour vote delayed</h1>
<p>The Saltmarsh harbour council postponed its vote on the new quay on Tuesday after a
long debate about dredging costs and the jobs that depend on the port.</p>
<p>"We need more time to read the engineers' report," said councillor Mira Tollan, who
chairs the finance committee.</p>
<p>Dock workers gathered outside the town hall for most of the afternoon.</p>
</article>
<footer>Copyright 2025 Saltmarsh Courier</footer>
</body></html>
"""

# No Content-Type header at all: the payload is sniffed.
FERRY_PAGE = """<html><head><title>Ferry timetable cut</title></head><body><article>
<h1>Ferry timetable cut</h1>
<p>The island ferry will sail twice a day instead of four times from April, the operator
announced on Wednesday, citing a shortage of trained crew.</p>
<p>Islanders said the change would make it hard to reach the mainland clinic in time.</p>
</article></body></html>
"""

# Served as ISO-8859-2 by the HTTP header only; the page itself declares nothing.
LATIN2_PAGE = """<html><head><title>Mill reopens in Bialowo</title></head><body><article>
<h1>Mill reopens in Bialowo</h1>
<p>The old paper mill in Bialowo reopened on Monday under its new owner, Zofia Kałuża, who
promised forty jobs by the end of the year.</p>
<p>Residents welcomed the news but asked for a new road to keep lorries out of the square.</p>
</article></body></html>
"""

NO_TEXT_PAGE = (
    "<html><head><title></title></head><body><nav><a href='/'>Home</a></nav></body></html>"
)

PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@dataclass(frozen=True)
class Written:
    """An archive written for a test: its path, bytes and the target URI of each record."""

    path: Path
    data: bytes


def _response(
    writer: WARCWriter,
    uri: str,
    payload: bytes,
    *,
    status: str = "200 OK",
    headers: list[tuple[str, str]] | None = None,
) -> None:
    http = StatusAndHeaders(status, headers or [], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        uri,
        "response",
        payload=io.BytesIO(payload),
        http_headers=http,
        warc_headers_dict={"WARC-Date": FETCHED_AT},
    )
    writer.write_record(record)


def _html(content_type: str = "text/html; charset=utf-8") -> list[tuple[str, str]]:
    return [("Content-Type", content_type)]


def _write_crawl(writer: WARCWriter) -> None:
    """One small crawl: 3 pages worth reading, 1 empty page, 8 records to skip, 1 bad one."""
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "test"}))
    request = StatusAndHeaders(
        "GET /news/harbour-vote HTTP/1.1", [("Host", "courier.example")], is_http_request=True
    )
    writer.write_record(writer.create_warc_record(PORT_URL, "request", http_headers=request))
    _response(writer, PORT_URL, PORT_PAGE.encode(), headers=_html())
    _response(writer, "https://courier.example/logo.png", PNG_BYTES, headers=_html("image/png"))
    _response(
        writer,
        "https://courier.example/gone",
        b"<html>gone</html>",
        status="404 Not Found",
        headers=_html(),
    )
    _response(
        writer,
        "https://courier.example/old",
        b"",
        status="301 Moved Permanently",
        headers=[("Location", "/")],
    )
    writer.write_record(
        writer.create_revisit_record(
            PORT_URL,
            digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            refers_to_uri=PORT_URL,
            refers_to_date="2025-03-14T08:00:00Z",
        )
    )
    _response(writer, "https://ferry.example/timetable", FERRY_PAGE.encode())
    # A PDF wrongly served as text/html is still not a page.
    _response(writer, "https://courier.example/report", PDF_BYTES, headers=_html())
    _response(
        writer,
        "https://mill.example/reopens",
        LATIN2_PAGE.encode("iso-8859-2"),
        headers=_html("text/html; charset=ISO-8859-2"),
    )
    _response(writer, "https://courier.example/empty", NO_TEXT_PAGE.encode(), headers=_html())
    _response(
        writer,
        "https://courier.example/packed",
        gzip.compress(FERRY_PAGE.replace("Ferry", "Tram").encode()),
        headers=[*_html(), ("Content-Encoding", "gzip")],
    )
    _response(
        writer,
        "https://courier.example/odd",
        b"\x00\x01\x02 not decodable",
        headers=[*_html(), ("Content-Encoding", "x-squeeze")],
    )
    metadata = writer.create_warc_record(
        PORT_URL,
        "metadata",
        payload=io.BytesIO(b"outlinks: https://courier.example/\n"),
        warc_content_type="application/warc-fields",
    )
    writer.write_record(metadata)


def _archive(path: Path, *, gz: bool) -> Written:
    buffer = io.BytesIO()
    _write_crawl(WARCWriter(buffer, gzip=gz))
    path.write_bytes(buffer.getvalue())
    return Written(path, buffer.getvalue())


@pytest.fixture(params=[True, False], ids=["warc.gz", "warc"])
def crawl(request: pytest.FixtureRequest, tmp_path: Path) -> Written:
    gz: bool = request.param
    return _archive(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"), gz=gz)


def _by_url(results: list[Article | Failure | Skipped]) -> dict[str | None, Article]:
    return {item.url: item for item in results if isinstance(item, Article)}


def test_html_responses_become_articles_with_url_and_fetch_date(crawl: Written) -> None:
    articles = _by_url(ingest(crawl.path))
    assert sorted(articles) == [
        PORT_URL,
        "https://courier.example/packed",  # Content-Encoding: gzip undone by warcio
        "https://ferry.example/timetable",  # no Content-Type: sniffed as HTML
        "https://mill.example/reopens",
    ]
    port = articles[PORT_URL]
    assert port.input_format == "warc"
    assert port.title == "Harbour vote delayed"
    assert port.outlet == "Saltmarsh Courier"
    assert port.published == "2025-03-14T09:30:00Z"  # the page's own date, not the fetch
    assert port.metadata["fetched_at"] == FETCHED_AT
    assert port.metadata["warc_record_id"].startswith("<urn:uuid:")
    assert port.metadata["canonical_url"] == CANONICAL_URL  # the target had a query
    assert "Dock workers gathered" in port.text
    assert "Home" not in port.text  # boilerplate dropped
    assert "Copyright" not in port.text
    assert articles["https://courier.example/packed"].title == "Tram timetable cut"


def test_text_is_title_then_paragraphs_like_html_files(crawl: Written) -> None:
    port = _by_url(ingest(crawl.path))[PORT_URL]
    paragraphs = port.text.split("\n\n")
    assert paragraphs[0] == "Harbour vote delayed"
    assert paragraphs[2].startswith('"We need more time')
    quote = "We need more time to read the engineers' report,"
    start = port.text.index(quote)
    assert port.text[start : start + len(quote)] == quote


def test_http_charset_decodes_a_page_that_declares_none(crawl: Written) -> None:
    mill = _by_url(ingest(crawl.path))["https://mill.example/reopens"]
    assert "Zofia Kałuża" in mill.text


def test_non_pages_are_skipped_and_counted_not_failed(crawl: Written) -> None:
    skipped = [item for item in ingest(crawl.path) if isinstance(item, Skipped)]
    assert Counter(item.reason for item in skipped) == {
        "WARC warcinfo": 1,
        "WARC request": 1,
        "WARC revisit": 1,
        "WARC metadata": 1,
        "non-HTML": 2,  # the PNG and the PDF served as text/html
        "not 200": 2,  # the 404 and the 301
    }


def test_bad_html_records_fail_alone(crawl: Written) -> None:
    results = ingest(crawl.path)
    failures = {item.code: item for item in results if isinstance(item, Failure)}
    assert sorted(failures) == ["E010", "E047"]
    assert "x-squeeze" in failures["E047"].message
    # The records after each failure were still read.
    kinds = [type(item).__name__ for item in results[-4:]]
    assert kinds == ["Failure", "Article", "Failure", "Skipped"]


def test_every_source_is_the_offset_of_its_record(crawl: Written) -> None:
    results = ingest(crawl.path)
    assert len(results) == 14
    offsets = []
    for item in results:
        source = item.source_file if isinstance(item, Article) else item.source
        assert source is not None
        path, _, offset = source.rpartition("#")
        assert path == str(crawl.path)
        offsets.append(int(offset))
    assert offsets == sorted(set(offsets))  # increasing: one offset per record
    for item, offset in zip(results, offsets, strict=True):
        if isinstance(item, Article):  # warcio can reopen the archive right at that record
            record = next(iter(ArchiveIterator(io.BytesIO(crawl.data[offset:]))))
            assert record.rec_headers.get_header("WARC-Target-URI") == item.url


def _cut(written: Written, keep: int, name: str) -> Path:
    path = written.path.with_name(name)
    path.write_bytes(written.data[:keep])
    return path


def _record_offsets(data: bytes) -> list[int]:
    records = ArchiveIterator(io.BytesIO(data))
    offsets = []
    for _ in records:
        offsets.append(records.offset)
    return offsets


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_a_truncated_archive_keeps_what_came_before_and_fails_once(
    tmp_path: Path, gz: bool
) -> None:
    whole = _archive(tmp_path / "whole.warc", gz=gz)
    offsets = _record_offsets(whole.data)
    ferry = offsets[7]  # the sniffed ferry page: cut in the middle of it
    path = _cut(whole, (ferry + offsets[8]) // 2, "cut.warc.gz" if gz else "cut.warc")
    results = ingest(path)
    failures = [item for item in results if isinstance(item, Failure)]
    assert [(f.code, f.source) for f in failures] == [("E045", f"{path}#{ferry}")]
    assert results[-1] is failures[0]
    assert [item.url for item in results if isinstance(item, Article)] == [PORT_URL]
    assert len(results) == 8  # 7 records before the cut, then the failure


def test_an_archive_cut_inside_record_headers_fails_once(tmp_path: Path) -> None:
    whole = _archive(tmp_path / "whole.warc", gz=False)
    third = _record_offsets(whole.data)[2]
    path = _cut(whole, third + 40, "cut.warc")
    results = ingest(path)
    assert [type(item).__name__ for item in results] == ["Skipped", "Skipped", "Failure"]
    assert getattr(results[-1], "code", None) == "E045"


def test_a_cut_warc_gz_member_header_is_noticed(tmp_path: Path) -> None:
    whole = _archive(tmp_path / "whole.warc.gz", gz=True)
    third = _record_offsets(whole.data)[2]
    path = _cut(whole, third + 20, "cut.warc.gz")
    results = ingest(path)
    assert [type(item).__name__ for item in results] == ["Skipped", "Skipped", "Failure"]
    assert getattr(results[-1], "source", None) == f"{path}#{third}"


def test_a_whole_file_gzip_says_how_to_fix_it(tmp_path: Path) -> None:
    plain = _archive(tmp_path / "crawl.warc", gz=False)
    path = tmp_path / "gzipped.warc.gz"
    path.write_bytes(gzip.compress(plain.data))
    failures = [item for item in ingest(path) if isinstance(item, Failure)]
    assert [f.code for f in failures] == ["E045"]
    assert "one gzip stream" in failures[0].message


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", "E002"), (FERRY_PAGE.encode(), "E045"), (b"\n\n\n", "E045")],
    ids=["empty", "html-not-warc", "blank"],
)
def test_a_file_that_is_no_archive_is_one_failure(
    tmp_path: Path, content: bytes, code: str
) -> None:
    path = tmp_path / "odd.warc"
    path.write_bytes(content)
    results = ingest(path)
    assert [(type(r).__name__, getattr(r, "code", None)) for r in results] == [("Failure", code)]


def test_a_page_over_the_size_cap_fails_alone(crawl: Written) -> None:
    limits = IngestLimits(max_html_bytes=len(PORT_PAGE) - 1)
    results = ingest(crawl.path, limits=limits)
    too_big = [item for item in results if isinstance(item, Failure) and item.code == "E007"]
    assert len(too_big) == 1
    assert "larger than" in too_big[0].message
    assert sorted(_by_url(results)) == [  # the smaller pages before and after it are read
        "https://courier.example/packed",
        "https://ferry.example/timetable",
        "https://mill.example/reopens",
    ]


def test_warc_suffixes_are_walked_and_gzip_is_left_to_warcio(crawl: Written) -> None:
    found = classify(str(crawl.path))
    assert found is not None
    assert found.input_format == "warc"
    results = ingest(crawl.path.parent)  # found by walking the directory
    assert sum(isinstance(item, Article) for item in results) == 4


def _clean_crawl(path: Path) -> Path:
    """A crawl without bad records: the harbour page, a request, an image and a 404."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    request = StatusAndHeaders(
        "GET / HTTP/1.1", [("Host", "courier.example")], is_http_request=True
    )
    writer.write_record(writer.create_warc_record(PORT_URL, "request", http_headers=request))
    _response(writer, PORT_URL, PORT_PAGE.encode(), headers=_html())
    _response(writer, "https://courier.example/logo.png", PNG_BYTES, headers=_html("image/png"))
    _response(writer, "https://courier.example/gone", b"gone", status="404 Not Found")
    path.write_bytes(buffer.getvalue())
    return path


def test_statements_come_out_of_an_archived_page(tmp_path: Path) -> None:
    archive = _clean_crawl(tmp_path / "crawl.warc.gz")
    with Store.open(tmp_path / "quotegraph.db") as store:
        report = ingest_paths(store, [archive])
        assert (report.articles_added, report.failures) == (1, ())
        assert report.records_skipped == 3
        assert report.skipped_reasons == {"WARC request": 1, "non-HTML": 1, "not 200": 1}
        (record,) = [
            r for r in store.statements() if r.statement.content.startswith("We need more time")
        ]
        article = store.article(record.statement.article_id)
    statement = record.statement
    assert statement.speaker == "Mira Tollan"
    assert statement.cue == "said"
    assert article is not None
    spans = statement.content_spans
    assert shown_content(article.text, spans, statement.cue_span) == statement.content
    assert article.source_file == f"{archive}#{_record_offsets(archive.read_bytes())[1]}"
    assert article.url == PORT_URL
    assert article.input_format == "warc"
    assert article.metadata["fetched_at"] == FETCHED_AT


def test_the_cli_report_counts_skipped_records_by_reason(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.console, "soft_wrap", True)
    report = IngestReport(
        run_id=1,
        articles_seen=4,
        articles_added=4,
        articles_skipped_duplicate=0,
        statements_added=9,
        figures_added=0,
        records_skipped=15,
        skipped_reasons={"non-HTML": 12, "not 200": 3},
    )
    cli._print_report(report, Path("q.db"))
    assert "15 records skipped: 12 non-HTML, 3 not 200" in capsys.readouterr().out
    cli._print_report(replace(report, records_skipped=0, skipped_reasons={}), Path("q.db"))
    assert "skipped" not in capsys.readouterr().out
