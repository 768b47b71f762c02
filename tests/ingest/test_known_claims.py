"""Reading known-claim files (TSV and JSONL). Every claim here is invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.ingest.known_claims import read_known_claims
from quotegraph.types import KnownClaim


def test_read_known_claims_from_jsonl(tmp_path):
    path = tmp_path / "claims.jsonl"
    rows = [
        {"id": 7, "text": " Velmar will close its ferry line. ", "title": "Ferry?"},
        {"claim_id": "b", "claim": "Bakers went on strike.", "url": "https://example.org/b"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    assert read_known_claims(path) == [
        KnownClaim("7", "Velmar will close its ferry line.", "Ferry?"),
        KnownClaim("b", "Bakers went on strike.", None, "https://example.org/b"),
    ]


def test_read_known_claims_from_tsv_with_quoted_fields(tmp_path):
    path = tmp_path / "claims.tsv"
    path.write_text(
        '\tvclaim\ttitle\n1\t"A ""quoted"" claim\twith a tab"\tA title\n2\tPlain claim.\t\n',
        encoding="utf-8",
    )
    assert read_known_claims(path) == [
        KnownClaim("1", 'A "quoted" claim\twith a tab', "A title"),
        KnownClaim("2", "Plain claim.", None),
    ]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("bad.jsonl", "{not json}\n", "E061"),
        ("list.jsonl", "[1, 2]\n", "E061"),
        ("noid.jsonl", json.dumps({"text": "a claim"}) + "\n", "E061"),
        ("notext.jsonl", json.dumps({"id": "1", "text": " "}) + "\n", "E061"),
        ("short.tsv", "\tvclaim\ttitle\n1\tonly two\n", "E061"),
        ("claims.xml", "<claims/>", "E061"),
    ],
)
def test_malformed_claim_files_are_coded(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(QuotegraphError) as info:
        read_known_claims(path)
    assert info.value.code == code


def test_a_missing_claims_file_is_E001(tmp_path):
    with pytest.raises(QuotegraphError) as info:
        read_known_claims(Path(tmp_path / "absent.tsv"))
    assert info.value.code == "E001"
