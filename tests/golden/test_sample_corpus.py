"""The bundled sample corpus, end to end: ingest -> nlp -> extract -> store -> export.

Two kinds of check:

* ``sample_expectations.json`` was written by hand together with the corpus: what a correct
  extractor must find (every attribution form, every resolution kind, figures, datelines).
  Each expectation is a test case. The few the extractor does not meet yet are listed in
  ``KNOWN_MISSES`` with the reason; they run as strict xfails, so fixing one fails the suite
  until it is removed from the list.
* ``sample_statements.golden.jsonl`` / ``sample_figures.golden.jsonl`` are snapshots of the
  full output. Regenerate with ``QUOTEGRAPH_UPDATE_GOLDEN=1 pytest tests/golden`` and review
  the diff like code.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

import quotegraph
from quotegraph.cli import sample_corpus_dir
from quotegraph.export import export_rows, write_rows
from quotegraph.extract import shown_content

HERE = Path(__file__).parent
EXPECTATIONS = json.loads((HERE / "sample_expectations.json").read_text(encoding="utf-8"))
UPDATE = os.environ.get("QUOTEGRAPH_UPDATE_GOLDEN") == "1"

# expectation key -> why the extractor misses it today.
KNOWN_MISSES: dict[str, str] = {}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db = tmp_path_factory.mktemp("golden") / "sample.db"
    with quotegraph.open(db) as qg:
        report = qg.ingest([sample_corpus_dir()])
        assert report.failures == ()
        yield qg


def _file_key(source_file: str | None) -> str:
    return Path(source_file or "").name


def _by_file(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(_file_key(row["source_file"]), []).append(row)
    return grouped


@pytest.fixture(scope="module")
def statements(store) -> dict[str, list[dict]]:
    return _by_file(list(export_rows(store.store, "statements")))


@pytest.fixture(scope="module")
def figures(store) -> dict[str, list[dict]]:
    return _by_file(list(export_rows(store.store, "figures")))


@pytest.fixture(scope="module")
def articles(store) -> dict[str, dict]:
    return {_file_key(row["source_file"]): row for row in export_rows(store.store, "articles")}


def _squash(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def _key(expectation: dict) -> str:
    return f"{expectation['file']}::{expectation['content_contains'][:40]}"


def _cases():
    for expectation in EXPECTATIONS["statements"]:
        key = _key(expectation)
        marks = []
        if key in KNOWN_MISSES:
            marks.append(pytest.mark.xfail(reason=KNOWN_MISSES[key], strict=True))
        yield pytest.param(expectation, id=key, marks=marks)


@pytest.mark.parametrize("expected", list(_cases()))
def test_expected_statement(expected, statements):
    rows = statements.get(expected["file"], [])
    needle = _squash(expected["content_contains"])
    matching = [r for r in rows if needle in _squash(r["content"])]
    assert matching, f"no statement contains {needle!r}"
    # The same words may be reported twice (headline and body): judge the one with the cue.
    same_cue = [r for r in matching if r["cue"].lower() == expected["cue"].lower()]
    row = (same_cue or matching)[0]
    assert row["cue"].lower() == expected["cue"].lower()
    assert _squash(expected["speaker_mention"]).lower() in _squash(row["speaker_mention"]).lower()
    if expected["speaker"] is None:
        assert row["speaker"] is None
        assert row["speaker_type"] in {"anonymous", "group"}
    elif expected["speaker_type"] == "organization":
        assert row["speaker_type"] == "organization"
        assert row["speaker"] is not None
    else:
        assert row["speaker"] == expected["speaker"]
        assert row["speaker_type"] == expected["speaker_type"]


def test_every_form_and_resolution_kind_is_covered():
    forms = {e["form"] for e in EXPECTATIONS["statements"]}
    kinds = {e["resolution"] for e in EXPECTATIONS["statements"]}
    assert forms >= {
        "direct",
        "interrupted",
        "multi_paragraph",
        "indirect",
        "mixed",
        "colon_paragraph",
        "according_to",
    }
    assert kinds >= {"name", "pronoun", "description", "surname", "vague"}


@pytest.mark.parametrize(
    "expected", EXPECTATIONS["figures"], ids=lambda e: f"{e['file']}::{e['text_contains']}"
)
def test_expected_figure(expected, figures):
    rows = figures.get(expected["file"], [])
    matching = [r for r in rows if expected["text_contains"] in r["text"]]
    assert matching, f"no figure contains {expected['text_contains']!r}"
    row = matching[0]
    assert row["value"] == pytest.approx(expected["value"])
    assert (row["qualifier"] or None) == expected["qualifier"]


@pytest.mark.parametrize("expected", EXPECTATIONS["datelines"], ids=lambda e: e["file"])
def test_expected_dateline(expected, articles):
    assert articles[expected["file"]]["dateline"] == expected["place"]


def test_offsets_point_at_the_reported_words(store):
    for record in store.statements():
        article = store.article(record.statement.article_id)
        statement = record.statement
        # Pieces with words left out between them are joined with " … " (issue 24).
        assert (
            shown_content(article.text, statement.content_spans, statement.cue_span)
            == statement.content
        )
        for start, end in statement.content_spans:
            assert article.text[start:end] in statement.content
        if statement.speaker_span:
            assert article.text[slice(*statement.speaker_span)] == statement.speaker_mention


def test_reingesting_adds_nothing(store):
    before = store.counts()
    report = store.ingest([sample_corpus_dir()])
    assert report.articles_added == 0
    assert store.counts()["statements"] == before["statements"]


_SNAPSHOT_FIELDS = {
    "statements": (
        "source_file",
        "kind",
        "content",
        "content_spans",
        "cue",
        "cue_span",
        "speaker_mention",
        "speaker_span",
        "speaker",
        "speaker_type",
        "rule",
    ),
    "figures": ("source_file", "value", "qualifier", "unit", "counts", "text", "span"),
}


@pytest.mark.parametrize("table", sorted(_SNAPSHOT_FIELDS))
def test_snapshot(table, store):
    rows = [
        {
            field: (_file_key(row[field]) if field == "source_file" else row[field])
            for field in _SNAPSHOT_FIELDS[table]
        }
        for row in export_rows(store.store, table)
    ]
    rows.sort(key=lambda r: (r["source_file"], json.dumps(r, sort_keys=True)))
    buffer = io.StringIO()
    write_rows(rows, buffer, "jsonl")
    path = HERE / f"sample_{table}.golden.jsonl"
    if UPDATE:
        path.write_text(buffer.getvalue(), encoding="utf-8")
    assert path.exists(), f"{path.name} missing: run with QUOTEGRAPH_UPDATE_GOLDEN=1"
    assert buffer.getvalue() == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("expected", EXPECTATIONS["articles"], ids=lambda e: e["file"])
def test_article_metadata(expected, articles):
    row = articles[expected["file"]]
    assert row["title"] == expected["title"]
    assert row["outlet"] == expected["outlet"]
    assert (row["published"] or "")[:10] == (expected["published"] or "")[:10]
    assert row["author"] == expected["author"]


def test_stories_match_the_corpus_design(store):
    expected = {frozenset(files) for files in EXPECTATIONS["stories"].values()}
    found = {
        frozenset(_file_key(store.article(a).source_file) for a in summary.story.article_ids)
        for summary in store.stories()
    }
    assert found == expected
