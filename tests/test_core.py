"""The Python API (``quotegraph.open`` -> ``Quotegraph``) over the shared hand-written corpus."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

import quotegraph
from quotegraph import Quotegraph, QuotegraphError
from quotegraph.extract import shown_content
from quotegraph.ingest import IngestLimits, article_id_for


@pytest.fixture(scope="module")
def qg(tmp_path_factory: pytest.TempPathFactory, news_dir: Path) -> Iterator[Quotegraph]:
    """The shared corpus plus one missing path, ingested once; tests only read from it."""
    db = tmp_path_factory.mktemp("core") / "news.db"
    with quotegraph.open(db) as opened:
        report = opened.ingest([news_dir, news_dir / "withdrawn.txt"])
        assert report.articles_added == 3
        yield opened


def _ids(records) -> set[tuple[str, str]]:
    return {(r.statement.speaker or "", r.statement.kind) for r in records}


# --------------------------------------------------------------------------- open / ingest


def test_open_is_a_context_manager_that_closes_and_persists(tmp_path, news):
    db = tmp_path / "api.db"
    with quotegraph.open(db) as qg:
        assert isinstance(qg, Quotegraph)
        report = qg.ingest(news["flour_gazette.txt"])
        assert report.articles_added == 1
    with pytest.raises(sqlite3.ProgrammingError):
        qg.counts()  # closed on leaving the block
    qg.close()  # closing twice is harmless

    with quotegraph.open(db, readonly=True) as again:
        assert again.counts()["articles"] == 1
        assert [r.statement.speaker for r in again.statements()] == ["Henrik Dalby"]


def test_open_closes_the_store_when_the_block_raises(tmp_path):
    with pytest.raises(KeyError), quotegraph.open(tmp_path / "api.db") as qg:
        raise KeyError("boom")
    with pytest.raises(sqlite3.ProgrammingError):
        qg.counts()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param(lambda news: str(news["flour_gazette.txt"]), 1, id="str-file"),
        pytest.param(lambda news: news["flour_gazette.txt"], 1, id="path-file"),
        pytest.param(lambda news: str(news["flour_gazette.txt"].parent), 3, id="str-dir"),
        pytest.param(lambda news: news["flour_gazette.txt"].parent, 3, id="path-dir"),
        pytest.param(lambda news: [news["flour_gazette.txt"]], 1, id="list-of-one"),
        pytest.param(lambda news: sorted(news.values()), 3, id="list"),
        pytest.param(lambda news: (p for p in sorted(news.values())), 3, id="generator"),
    ],
)
def test_ingest_takes_one_path_or_many(tmp_path, news, given, expected):
    with quotegraph.open(tmp_path / "api.db") as qg:
        report = qg.ingest(given(news))
        assert report.failures == ()
        assert report.articles_seen == report.articles_added == expected
        assert qg.counts()["articles"] == expected
        assert {a.source_file for a in qg.articles()} <= {str(p) for p in news.values()}


def test_ingest_passes_limits_and_progress_through(tmp_path, news):
    calls = []
    cap = news["dikes_gazette.txt"].stat().st_size - 1
    assert all(p.stat().st_size <= cap for n, p in news.items() if n != "dikes_gazette.txt")
    with quotegraph.open(tmp_path / "api.db") as qg:
        report = qg.ingest(
            sorted(news.values()),
            limits=IngestLimits(max_file_bytes=cap),
            on_progress=calls.append,
        )
        too_big = {Path(f.source).name for f in report.failures if f.code == "E007"}
        assert too_big == {"dikes_gazette.txt"}
        assert report.articles_added == 2
    assert calls
    assert calls[-1].articles_added == 2


def test_readonly_store_refuses_to_ingest(tmp_path, news):
    db = tmp_path / "api.db"
    quotegraph.open(db).close()
    with quotegraph.open(db, readonly=True) as qg, pytest.raises(QuotegraphError) as info:
        qg.ingest(news["flour_gazette.txt"])
    assert info.value.code == "E033"


# --------------------------------------------------------------------------- statements


def test_statements_unfiltered(qg):
    assert _ids(qg.statements()) == {
        ("Mara Vellin", "direct"),
        ("Mara Vellin", "indirect"),
        ("Ottilie Sandqvist", "indirect"),
        ("Henrik Dalby", "direct"),
    }
    published = [r.published for r in qg.statements()]
    assert published == sorted(published)  # in publication order


@pytest.mark.parametrize("who", ["Mara Vellin", "mara  VELLIN", "Vellin"])
def test_statements_by_speaker_name_or_alias(qg, who):
    records = list(qg.statements(speaker=who))
    assert _ids(records) == {("Mara Vellin", "direct"), ("Mara Vellin", "indirect")}
    indirect = next(r.statement for r in records if r.statement.kind == "indirect")
    assert indirect.speaker_mention == "She"  # resolved through the pronoun
    assert indirect.content == "the dike work would cost 180 million crowns and take three summers"


def test_statements_by_speaker_id(qg):
    vellin = next(s for s in qg.speakers() if s.name == "Mara Vellin")
    records = list(qg.statements(speaker=vellin.speaker_id))
    assert len(records) == 2
    assert {r.speaker_id for r in records} == {vellin.speaker_id}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": "direct"}, {("Mara Vellin", "direct"), ("Henrik Dalby", "direct")}),
        ({"kind": "indirect"}, {("Mara Vellin", "indirect"), ("Ottilie Sandqvist", "indirect")}),
        ({"kind": "mixed"}, set()),
        ({"speaker": "Mara Vellin", "kind": "indirect"}, {("Mara Vellin", "indirect")}),
        ({"speaker": "Nobody Atall"}, set()),
        ({"q": "bread"}, {("Henrik Dalby", "direct")}),
        ({"q": "flood"}, {("Mara Vellin", "direct"), ("Ottilie Sandqvist", "indirect")}),
        ({"q": "flood winter"}, {("Ottilie Sandqvist", "indirect")}),
        ({"q": "summ*"}, {("Mara Vellin", "indirect")}),
        ({"q": "volcano"}, set()),
        ({"q": '"'}, set()),
        ({"outlet": "harbour courier"}, {("Ottilie Sandqvist", "indirect")}),
        ({"since": "2025-04-05"}, {("Henrik Dalby", "direct"), ("Ottilie Sandqvist", "indirect")}),
        ({"until": "2025-04-04"}, {("Mara Vellin", "direct"), ("Mara Vellin", "indirect")}),
    ],
    # Sets are named sorted: their repr follows the hash seed, which differs between the
    # processes of a parallel run, and every process must collect the same test ids.
    ids=lambda value: repr(sorted(value)) if isinstance(value, set) else repr(value),
)
def test_statement_filters(qg, filters, expected):
    assert _ids(qg.statements(**filters)) == expected


def test_statement_limit(qg):
    assert len(list(qg.statements(limit=1))) == 1
    with pytest.raises(QuotegraphError) as info:
        list(qg.statements(limit=-1))
    assert info.value.code == "E044"


def test_statement_offsets_point_into_the_stored_text(qg):
    for record in qg.statements():
        statement = record.statement
        article = qg.article(statement.article_id)
        assert article is not None
        assert (
            shown_content(article.text, statement.content_spans, statement.cue_span)
            == statement.content
        )
        assert statement.cue_span is not None
        assert article.text[slice(*statement.cue_span)] == statement.cue
        assert statement.speaker_span is not None
        assert article.text[slice(*statement.speaker_span)] == statement.speaker_mention


# --------------------------------------------------------------------------- speakers etc.


def test_speakers_lists_resolved_speakers_with_aliases(qg):
    speakers = list(qg.speakers())
    assert speakers[0].name == "Mara Vellin"  # most quoted first
    assert {s.name for s in speakers} == {"Mara Vellin", "Ottilie Sandqvist", "Henrik Dalby"}
    vellin = speakers[0]
    assert vellin.speaker_type == "person"
    assert vellin.statement_count == 2
    assert {"Mara Vellin", "Vellin"} <= set(vellin.aliases)
    assert "She" not in vellin.aliases  # pronouns are not names
    assert "board chair" in vellin.roles
    assert qg.speaker(vellin.speaker_id) == vellin
    assert qg.speaker("sp_000000000000") is None
    assert len(list(qg.speakers(limit=1))) == 1


def test_articles_and_article(qg, news_texts):
    articles = {Path(a.source_file or "").name: a for a in qg.articles()}
    assert set(articles) == set(news_texts)
    gazette = articles["dikes_gazette.txt"]
    assert gazette.text == news_texts["dikes_gazette.txt"]
    assert gazette.article_id == article_id_for(gazette.text)
    assert gazette.title == "Water board to raise Korsvik river dikes before autumn storms"
    assert (gazette.outlet, gazette.published, gazette.author) == (
        "Lantern Gazette",
        "2025-04-04",
        "Tomas Brekke",
    )
    assert gazette.dateline is not None
    assert gazette.dateline.place == "KORSVIK"
    assert qg.article(gazette.article_id) == gazette
    assert qg.article("0" * 16) is None
    assert [a.outlet for a in qg.articles(outlet="Harbour Courier")] == ["Harbour Courier"]


def test_figures(qg):
    records = list(qg.figures())
    for record in records:
        article = qg.article(record.figure.article_id)
        assert article is not None
        assert article.text[slice(*record.figure.span)] == record.figure.text
        assert record.source_file == article.source_file
    values = {(Path(r.source_file or "").name, r.figure.value) for r in records}
    assert ("dikes_gazette.txt", 180_000_000) in values
    assert ("dikes_courier.txt", 40) in values
    homes = next(r.figure for r in records if r.figure.value == 40)
    assert "homes" in (homes.counts or "")
    gazette_id = next(r.figure.article_id for r in records if r.figure.value == 180_000_000)
    assert {r.figure.article_id for r in qg.figures(article_id=gazette_id)} == {gazette_id}


def test_failures(qg, news_dir):
    failures = list(qg.failures())
    assert [(f.code, f.stage, f.source) for f in failures] == [
        ("E001", "ingest", str(news_dir / "withdrawn.txt"))
    ]
    assert list(qg.failures(run_id=1)) == failures
    assert list(qg.failures(run_id=99)) == []


def test_counts(qg):
    assert qg.counts() == {
        "articles": 3,
        "statements": len(list(qg.statements())),
        "speakers": 3,
        "figures": len(list(qg.figures())),
        "failures": 1,
    }
    assert qg.counts()["statements"] == 4


def test_stories_group_the_same_event_and_keep_others_apart(qg):
    stories = qg.stories()
    grouped = [
        sorted(Path(qg.article(a).source_file or "").name for a in s.story.article_ids)
        for s in stories
    ]
    assert grouped == [["dikes_courier.txt", "dikes_gazette.txt"], ["flour_gazette.txt"]]

    dikes = stories[0]
    # A story's title: the headline nearest its centroid, with its dates; two members are
    # equally near their own centroid, and the tie goes to the earlier one.
    assert dikes.story.title == (
        "Water board to raise Korsvik river dikes before autumn storms (4–6 Apr 2025)"
    )
    assert dikes.story.outlets == ("Lantern Gazette", "Harbour Courier")
    assert (dikes.story.first_published, dikes.story.last_published) == (
        "2025-04-04",
        "2025-04-06",
    )
    speakers = [r.statement.speaker for r in dikes.statements]
    assert speakers == ["Mara Vellin", "Mara Vellin", "Ottilie Sandqvist"]  # in date order
    flour = stories[1]
    assert flour.story.title.startswith("Bakers close shops over flour tax in Amberlund (")
    assert [r.statement.speaker for r in flour.statements] == ["Henrik Dalby"]
    assert stories[0].story.story_id != stories[1].story.story_id


# --------------------------------------------------------------------------- export


@pytest.mark.parametrize(
    ("table", "rows"), [("statements", 4), ("speakers", 3), ("articles", 3), ("figures", None)]
)
def test_export_jsonl_returns_the_row_count(qg, table, rows):
    out = io.StringIO()
    count = qg.export(table, out, "jsonl")
    lines = out.getvalue().splitlines()
    assert count == len(lines) == (rows if rows is not None else qg.counts()["figures"])
    records = [json.loads(line) for line in lines]
    assert all(isinstance(record, dict) for record in records)


def test_export_defaults_to_jsonl_and_csv_has_a_header(qg):
    default = io.StringIO()
    assert qg.export("statements", default) == 4
    assert json.loads(default.getvalue().splitlines()[0])["statement_id"]

    out = io.StringIO()
    assert qg.export("speakers", out, "csv") == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["name"] == "Mara Vellin"
    assert json.loads(rows[0]["aliases"])[:1] == ["Mara Vellin"]


@pytest.mark.parametrize(
    ("table", "fmt", "code"), [("quotes", "jsonl", "E040"), ("statements", "xml", "E041")]
)
def test_export_rejects_unknown_tables_and_formats(qg, table, fmt, code):
    out = io.StringIO()
    with pytest.raises(QuotegraphError) as info:
        qg.export(table, out, fmt)
    assert info.value.code == code
    assert out.getvalue() == ""


# --------------------------------------------------------------------------- foreign files


def test_opening_another_apps_sqlite_file_raises_E030_and_leaves_it_alone(tmp_path):
    db = tmp_path / "recipes.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
    conn.execute("INSERT INTO recipes VALUES ('barley soup', 40)")
    conn.commit()
    conn.close()
    before = db.read_bytes()

    for readonly in (False, True):
        with pytest.raises(QuotegraphError) as info:
            quotegraph.open(db, readonly=readonly)
        assert info.value.code == "E030"
        assert info.value.source == str(db)
    assert db.read_bytes() == before
    assert not (tmp_path / "recipes.db-wal").exists()


def test_opening_a_file_that_is_not_sqlite_raises_E030(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("shopping list: barley, leeks\n", encoding="utf-8")
    with pytest.raises(QuotegraphError) as info:
        quotegraph.open(path)
    assert info.value.code == "E030"
    assert path.read_text(encoding="utf-8") == "shopping list: barley, leeks\n"


def test_opening_a_missing_file_readonly_raises_E034_and_creates_nothing(tmp_path):
    path = tmp_path / "absent.db"
    with pytest.raises(QuotegraphError) as info:
        quotegraph.open(path, readonly=True)
    assert info.value.code == "E034"
    assert not path.exists()
