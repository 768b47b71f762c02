"""Records <-> Arrow rows with the explicit schemas, and one part written and read back."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from quotegraph.batch import shards
from quotegraph.errors import QuotegraphError
from quotegraph.types import Article, Dateline, Extraction, Failure, Figure, Statement

TEXT = (
    'HALDEN — "The bridge stays shut," said Ivo Marsk. "Until spring," he added.\n\n'
    "Some 40 ferries will run instead."
)
ARTICLE = Article(
    article_id="a1b2c3d4e5f60718",
    text=TEXT,
    title="Bridge stays shut",
    source_file="feed.jsonl#3",
    outlet="Halden Tidings",
    published="2025-02-01",
    dateline=Dateline(place="HALDEN", span=(0, 8), date="2025-02-01", source="Tidings Wire"),
    input_format="jsonl",
    metadata={"desk": "Städte", "lang": "en"},
)
BARE = Article(article_id="0000000000000000", text="Nothing was said.")
STATEMENT = Statement(
    statement_id="st1",
    article_id=ARTICLE.article_id,
    kind="direct",
    content="The bridge stays shut, Until spring",
    content_spans=((10, 31), (57, 70)),
    cue="said",
    cue_span=(33, 37),
    speaker_mention="Ivo Marsk",
    speaker_span=(38, 47),
    speaker="Ivo Marsk",
    speaker_type="person",
    speaker_role="harbour master",
    confidence=0.8734,
    rule="quote",
)
UNRESOLVED = Statement(
    statement_id="st2",
    article_id=ARTICLE.article_id,
    kind="indirect",
    content="x",
    content_spans=((1, 2),),
)
FIGURE = Figure(
    figure_id="fg1",
    article_id=ARTICLE.article_id,
    value=40.0,
    text="Some 40 ferries",
    span=(79, 94),
    qualifier="some",
    counts="ferries",
)
EXTRACTIONS = [
    Extraction(ARTICLE, statements=(STATEMENT, UNRESOLVED), figures=(FIGURE,)),
    Extraction(BARE),
]
FAILURES = [Failure("feed.jsonl#2", "E011", "E011: bad line", stage="ingest")]


@pytest.mark.parametrize(
    ("record", "to_row", "from_row"),
    [
        (ARTICLE, shards.article_row, shards.row_article),
        (BARE, shards.article_row, shards.row_article),
        (STATEMENT, lambda s: shards.record_row(s, 0), partial(shards.row_record, Statement)),
        (UNRESOLVED, lambda s: shards.record_row(s, 1), partial(shards.row_record, Statement)),
        (FIGURE, lambda f: shards.record_row(f, 0), partial(shards.row_record, Figure)),
        (FAILURES[0], shards.record_row, partial(shards.row_record, Failure)),
    ],
)
def test_record_survives_a_row_round_trip(record, to_row, from_row):
    assert from_row(to_row(record)) == record


def test_part_tables_have_the_explicit_schemas():
    tables = shards.part_tables(EXTRACTIONS, FAILURES)
    assert {name: t.num_rows for name, t in tables.items()} == {
        "articles": 2,
        "statements": 2,
        "figures": 1,
        "failures": 1,
    }
    for name, table in tables.items():
        assert table.schema.equals(shards.SCHEMAS[name])
    spans = tables["statements"].schema.field("content_spans").type
    assert spans == pa.list_(pa.list_(pa.int32()))


def test_a_part_is_read_back_as_the_same_records(tmp_path: Path):
    summary = shards.write_part(tmp_path, "part-00007", EXTRACTIONS, FAILURES)
    assert (summary.articles, summary.statements, summary.figures, summary.failures) == (
        2,
        2,
        1,
        1,
    )
    extractions, failures = shards.read_part(tmp_path, "part-00007")
    assert list(extractions) == EXTRACTIONS
    assert failures == FAILURES
    assert not list(tmp_path.rglob(".*partial"))


def test_empty_tables_are_still_written(tmp_path: Path):
    shards.write_part(tmp_path, "part-00000", [], FAILURES)
    for table in shards.TABLES:
        assert shards.row_count(tmp_path, table, "part-00000") == (table == "failures")


def test_a_foreign_parquet_file_is_refused(tmp_path: Path):
    shards.write_part(tmp_path, "part-00000", EXTRACTIONS, [])
    pq.write_table(pa.table({"article_id": ["x"]}), tmp_path / "articles" / "part-00000.parquet")
    with pytest.raises(QuotegraphError) as info:
        shards.read_part(tmp_path, "part-00000")
    assert info.value.code == "E051"


def test_a_missing_shard_is_an_incomplete_output(tmp_path: Path):
    shards.write_part(tmp_path, "part-00000", EXTRACTIONS, [])
    (tmp_path / "figures" / "part-00000.parquet").unlink()
    with pytest.raises(QuotegraphError) as info:
        shards.read_part(tmp_path, "part-00000")
    assert info.value.code == "E050"
