"""Transparent .gz reading: every format, truncation, corruption and gzip bombs."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from quotegraph.ingest import IngestLimits
from quotegraph.types import Article, Failure

from .helpers import Writer, ingest, only_article, only_failure


@pytest.mark.parametrize(
    ("name", "content", "text"),
    [
        ("a.txt.gz", "Title\r\nBody\r\n", "Title\nBody\n"),
        ("a.jsonl.gz", json.dumps({"text": "Json body."}) + "\n", "Json body."),
        ("a.csv.gz", "text\nCsv body.\n", "Csv body."),
        ("a.TXT.GZ", "Upper\n", "Upper\n"),
    ],
)
def test_each_format_reads_through_gzip(write: Writer, name: str, content: str, text: str) -> None:
    path = write(name, content)
    article = only_article(path)
    assert article.text == text
    assert article.source_file is not None
    assert article.source_file.startswith(str(path))


def test_gz_and_plain_give_the_same_article(write: Writer) -> None:
    plain = only_article(write("a.txt", "Title\nBody\n"))
    packed = only_article(write("b.txt.gz", "Title\nBody\n"))
    assert packed.article_id == plain.article_id
    assert packed.text == plain.text


@pytest.mark.parametrize("name", ["cut.txt.gz", "cut.jsonl.gz", "cut.csv.gz", "cut.html.gz"])
def test_truncated_gzip_is_e006(tmp_path: Path, name: str) -> None:
    packed = gzip.compress(b"text\n" + b"Lorem ipsum dolor sit amet. " * 2000)
    path = tmp_path / name
    path.write_bytes(packed[: len(packed) // 2])
    results = ingest(path)
    assert isinstance(results[-1], Failure)
    assert results[-1].code == "E006"
    assert results[-1].source == str(path)


def test_not_gzip_at_all_is_e006(tmp_path: Path) -> None:
    path = tmp_path / "fake.txt.gz"
    path.write_bytes(b"this is plain text, not gzip")
    assert only_failure(path).code == "E006"


def test_corrupt_gzip_data_is_e006(tmp_path: Path) -> None:
    packed = bytearray(gzip.compress(b"Title\nBody text here.\n" * 50))
    packed[20:30] = b"\xff" * 10
    path = tmp_path / "bad.txt.gz"
    path.write_bytes(bytes(packed))
    assert only_failure(path).code == "E006"


def test_gzip_bomb_stops_at_the_cap(write: Writer) -> None:
    path = write("bomb.txt.gz", b"A" * 5_000_000)
    assert path.stat().st_size < 20_000
    failure = only_failure(path, limits=IngestLimits(max_decompressed_bytes=100_000))
    assert failure.code == "E007"
    assert "max_decompressed_bytes" in failure.message


def test_gzip_bomb_in_jsonl_keeps_records_read_before_the_cap(write: Writer) -> None:
    line = json.dumps({"text": "Some article text."}) + "\n"
    path = write("bomb.jsonl.gz", line * 20_000)
    results = ingest(path, limits=IngestLimits(max_decompressed_bytes=100_000))
    assert isinstance(results[-1], Failure)
    assert results[-1].code == "E007"
    articles = [item for item in results if isinstance(item, Article)]
    assert 0 < len(articles) < 20_000
