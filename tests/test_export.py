"""The JSON/CSV edge: exact columns, and files that parse back to the same rows."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest

from quotegraph.corpus.stories import place_articles, story_id_for
from quotegraph.errors import QuotegraphError
from quotegraph.export import (
    EXPORT_TABLES,
    article_row,
    export_rows,
    figure_row,
    speaker_row,
    statement_row,
    write_rows,
)
from quotegraph.store import Store, speaker_id_for
from quotegraph.types import (
    Article,
    Claim,
    Dateline,
    Extraction,
    Figure,
    FigureRecord,
    Relation,
    Speaker,
    Statement,
    StatementRecord,
)

TEXT = 'GENEVA - "We need 3,500 more staff," Dr. Ana Núñez said, citing «urgent» needs.'

ARTICLE = Article(
    article_id="art-1",
    text=TEXT,
    title="Agency asks for staff",
    source_file="feed.jsonl#3",
    url="https://example.org/a",
    outlet="Wire",
    published="2024-05-01",
    author="R. Porter",
    dateline=Dateline("GENEVA", (0, 9)),
    input_format="jsonl",
    metadata={"section": "health", "lang": "en"},
)

STATEMENT = Statement(
    statement_id="art-1#s0",
    article_id="art-1",
    kind="direct",
    content="We need 3,500 more staff,",
    content_spans=((10, 35),),
    cue="said",
    cue_span=(51, 55),
    speaker_mention="Dr. Ana Núñez",
    speaker_span=(37, 50),
    speaker="Ana Núñez",
    speaker_type="person",
    speaker_role=None,
    confidence=0.876543,
    rule="direct_said",
)

FIGURE = Figure(
    figure_id="art-1#f0",
    article_id="art-1",
    value=3500.0,
    text="3,500 more staff",
    span=(18, 34),
    unit=None,
    counts="more staff",
)

STATEMENT_KEYS = [
    "statement_id",
    "article_id",
    "source_file",
    "article_title",
    "outlet",
    "published",
    "kind",
    "act",
    "content",
    "content_spans",
    "cue",
    "cue_span",
    "speaker_mention",
    "speaker_span",
    "speaker",
    "speaker_id",
    "speaker_type",
    "speaker_role",
    "confidence",
    "rule",
]
FIGURE_KEYS = [
    "figure_id",
    "article_id",
    "source_file",
    "article_title",
    "value",
    "qualifier",
    "unit",
    "counts",
    "text",
    "span",
]
ARTICLE_KEYS = [
    "article_id",
    "source_file",
    "title",
    "outlet",
    "published",
    "dateline",
    "dateline_date",
    "author",
    "url",
    "input_format",
    "metadata",
    "text_length",
    "copy_of",
]
SPEAKER_KEYS = ["speaker_id", "name", "speaker_type", "aliases", "roles", "statement_count"]
STORY_KEYS = [
    "story_id",
    "title",
    "first_published",
    "last_published",
    "article_ids",
    "outlets",
    "statement_count",
    "speakers",
    "outlet_speakers",
    "outlet_unattributed",
    "left_out",
]


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as s:
        s.write_extractions(s.begin_run("t"), [Extraction(ARTICLE, (STATEMENT,), (FIGURE,))])
        place_articles(s)  # the corpus passes' story pass: one article, one story
        yield s


STATEMENT_B = Statement(
    statement_id="art-2#s0",
    article_id="art-2",
    kind="indirect",
    content="that the agency did not need 3,500 more staff",
    content_spans=((20, 66),),
    cue="said",
    speaker="Ola Berg",
    speaker_type="person",
)
ARTICLE_B = Article(
    article_id="art-2",
    text="A ministry spokesman said that the agency did not need 3,500 more staff.",
    title="Ministry rejects staff call",
    outlet="Courier",
    published="2024-05-02",
)


@pytest.fixture
def stance_store() -> Iterator[Store]:
    """Two statements in one story, one contradiction between them, one claim."""
    with Store.open(":memory:") as s:
        run = s.begin_run("t")
        s.write_extractions(
            run, [Extraction(ARTICLE, (STATEMENT,)), Extraction(ARTICLE_B, (STATEMENT_B,))]
        )
        story = story_id_for(ARTICLE.article_id)
        relation = Relation(
            "art-1#s0", "art-2#s0", "contradicts", 0.7, "negation: test", None, story
        )
        claim = Claim("cl_1", STATEMENT.content, ("art-1#s0", "art-2#s0"), "art-1#s0", story)
        s.save_story_analysis(story, [relation], [claim])
        yield s


def _table_store(request: pytest.FixtureRequest, table: str) -> Store:
    name = "stance_store" if table in {"claims", "contradictions"} else "store"
    return request.getfixturevalue(name)


def test_relation_row_names_both_sides(stance_store: Store) -> None:
    row = next(export_rows(stance_store, "contradictions"))
    assert list(row)[:7] == [
        "statement_a",
        "statement_b",
        "speaker_a",
        "speaker_b",
        "relation",
        "score",
        "evidence",
    ]
    assert (row["speaker_a"], row["speaker_b"]) == ("Ana Núñez", "Ola Berg")
    assert row["relation"] == "contradicts"
    assert row["claim_id"] == "cl_1"  # both statements are in the claim
    assert row["content_spans_b"] == [[20, 66]]


def test_claim_row_lists_statements_with_sides(stance_store: Store) -> None:
    row = next(export_rows(stance_store, "claims"))
    assert row["claim_id"] == "cl_1"
    assert [(m["statement_id"], m["side"]) for m in row["statements"]] == [
        ("art-1#s0", 1),
        ("art-2#s0", -1),
    ]


def _record() -> StatementRecord:
    return StatementRecord(STATEMENT, "sp_x", "feed.jsonl#3", "Agency asks", "Wire", None)


def test_statement_row_keys_and_values() -> None:
    row = statement_row(_record())
    assert list(row) == STATEMENT_KEYS
    assert row["content_spans"] == [[10, 35]]
    assert row["cue_span"] == [51, 55]
    assert row["speaker_span"] == [37, 50]
    assert row["confidence"] == 0.8765
    assert row["speaker"] == "Ana Núñez"
    assert row["speaker_id"] == "sp_x"


def test_statement_row_null_spans() -> None:
    bare = Statement("s", "a", "indirect", "x", ((0, 1),))
    row = statement_row(StatementRecord(bare, None, None, None, None, None))
    assert (row["cue_span"], row["speaker_span"], row["speaker_id"]) == (None, None, None)


def test_figure_row_keys() -> None:
    row = figure_row(FigureRecord(FIGURE, "feed.jsonl#3", "Agency asks"))
    assert list(row) == FIGURE_KEYS
    assert row["span"] == [18, 34]
    assert row["value"] == 3500.0


def test_article_row_keys() -> None:
    row = article_row(ARTICLE)
    assert list(row) == ARTICLE_KEYS
    assert (row["dateline"], row["dateline_date"]) == ("GENEVA", None)
    assert row["metadata"] == {"section": "health", "lang": "en"}
    assert row["text_length"] == len(TEXT)
    undated = article_row(Article("b", "text"))
    assert (undated["dateline"], undated["metadata"]) == (None, {})


def test_speaker_row_keys() -> None:
    row = speaker_row(Speaker("sp_1", "Ana", "person", ("Ana", "Dr. Ana"), ("doctor",), 4))
    assert list(row) == SPEAKER_KEYS
    assert (row["aliases"], row["roles"], row["statement_count"]) == (
        ["Ana", "Dr. Ana"],
        ["doctor"],
        4,
    )


def test_export_tables_cover_the_tables() -> None:
    assert set(EXPORT_TABLES) == {
        "statements",
        "figures",
        "articles",
        "speakers",
        "stories",
        "claims",
        "contradictions",
    }


@pytest.mark.parametrize(
    ("table", "keys"),
    [
        ("statements", STATEMENT_KEYS),
        ("figures", FIGURE_KEYS),
        ("articles", ARTICLE_KEYS),
        ("speakers", SPEAKER_KEYS),
        ("stories", STORY_KEYS),
    ],
)
def test_export_rows_from_store(store: Store, table: str, keys: list[str]) -> None:
    rows = export_rows(store, table)
    assert not isinstance(rows, list)  # streamed, not collected
    (row,) = list(rows)
    assert list(row) == keys


def test_exported_story_has_articles_outlets_and_speakers_per_outlet(store: Store) -> None:
    (row,) = export_rows(store, "stories")
    speaker_id = speaker_id_for("Ana Núñez", "person")
    assert row["story_id"] == story_id_for("art-1")
    assert row["title"] == "Agency asks for staff (1 May 2024)"
    assert (row["first_published"], row["last_published"]) == ("2024-05-01", "2024-05-01")
    assert (row["article_ids"], row["outlets"]) == (["art-1"], ["Wire"])
    assert row["statement_count"] == 1
    assert row["speakers"] == {speaker_id: "Ana Núñez"}
    assert row["outlet_speakers"] == {"Wire": {speaker_id: 1}}
    assert row["outlet_unattributed"] == {"Wire": 0}
    assert row["left_out"] == {"Wire": []}


def test_exported_statement_carries_speaker_id(store: Store) -> None:
    (row,) = export_rows(store, "statements")
    assert row["speaker_id"] == speaker_id_for("Ana Núñez", "person")
    assert row["published"] == "2024-05-01"


def test_unknown_table_is_e040(store: Store) -> None:
    with pytest.raises(QuotegraphError) as err:
        export_rows(store, "sqlite_master")
    assert err.value.code == "E040"


def test_unknown_format_is_e041() -> None:
    with pytest.raises(QuotegraphError) as err:
        write_rows(iter([]), io.StringIO(), "xlsx")
    assert err.value.code == "E041"


@pytest.mark.parametrize("table", sorted(EXPORT_TABLES))
def test_jsonl_parses_back(request: pytest.FixtureRequest, table: str) -> None:
    store = _table_store(request, table)
    out = io.StringIO()
    assert write_rows(export_rows(store, table), out, "jsonl") == 1
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == list(export_rows(store, table))
    assert ", " not in lines[0].split('"text"')[0]  # compact separators


def test_jsonl_keeps_unicode_readable(store: Store) -> None:
    out = io.StringIO()
    write_rows(export_rows(store, "statements"), out, "jsonl")
    assert "Núñez" in out.getvalue()


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@pytest.mark.parametrize("table", sorted(EXPORT_TABLES))
def test_csv_parses_back(request: pytest.FixtureRequest, table: str) -> None:
    store = _table_store(request, table)
    out = io.StringIO()
    assert write_rows(export_rows(store, table), out, "csv") == 1
    parsed = list(csv.DictReader(io.StringIO(out.getvalue())))
    expected = [{k: _csv_cell(v) for k, v in row.items()} for row in export_rows(store, table)]
    assert parsed == expected
    assert out.getvalue().splitlines()[0].split(",") == list(expected[0])


def test_csv_quotes_commas_quotes_and_newlines() -> None:
    rows = [{"a": 'say "hi", then\nleave', "b": [1, 2]}, {"a": "", "b": {"k": "v"}}]
    out = io.StringIO()
    assert write_rows(iter(rows), out, "csv") == 2
    parsed = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert parsed == [{"a": 'say "hi", then\nleave', "b": "[1, 2]"}, {"a": "", "b": '{"k": "v"}'}]


def test_empty_rows_write_nothing() -> None:
    for fmt in ("jsonl", "csv"):
        out = io.StringIO()
        assert write_rows(iter([]), out, fmt) == 0
        assert out.getvalue() == ""


def test_write_rows_streams() -> None:
    """Rows are written as they come: the writer never holds the whole iterable."""
    out = io.StringIO()
    seen: list[int] = []

    def rows() -> Iterator[dict[str, int]]:
        for i in range(3):
            # Everything before row i is already written when row i is produced.
            seen.append(out.getvalue().count("\n"))
            yield {"i": i}

    write_rows(rows(), out, "jsonl")
    assert seen == [0, 1, 2]
