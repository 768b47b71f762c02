"""``ingest_paths`` end to end: good and bad inputs in one batch, duplicates, extraction
errors, progress, worker processes; and ``statements_for_texts`` without a store."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from itertools import pairwise
from pathlib import Path

import pytest
from spacy.tokens import Doc

import quotegraph.pipeline as pipeline
from quotegraph.errors import QuotegraphError
from quotegraph.extract import shown_content
from quotegraph.ingest import article_id_for
from quotegraph.pipeline import Progress, ingest_paths, statements_for_texts
from quotegraph.store import Store
from quotegraph.types import Article, Extraction, IngestReport, Statement

FEED_RECORDS = [
    {
        "title": "Grain barges halted on the Selm canal",
        "outlet": "Riverside Wire",
        "published": "2025-04-07",
        "text": "Grain barges halted on the Selm canal\n\n"
        "Lock keepers on the Selm canal stopped all grain barges on Monday.\n\n"
        '"The locks are not safe until the gates are repaired," said Jonas Ekwall, '
        "the canal authority's chief engineer.",
    },
    {
        "title": "Ferry fares rise on the Oster line",
        "outlet": "Riverside Wire",
        "published": "2025-04-08",
        "text": "Ferry fares rise on the Oster line\n\n"
        "Fares on the Oster ferry will rise by 12 percent in June.\n\n"
        "Pia Lundmark, who commutes daily, said the increase was unfair to island residents.",
    },
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "quotegraph.db") as opened:
        yield opened


@pytest.fixture
def batch(tmp_path: Path, news: dict[str, Path]) -> dict[str, Path]:
    """Two good .txt files and a JSONL feed (2 good lines around a broken one), plus one
    input of each bad kind; name -> path, in the order they are given to ingest."""
    bad = tmp_path / "bad"
    bad.mkdir()
    feed = tmp_path / "feed.jsonl"
    lines = [
        json.dumps(FEED_RECORDS[0]),
        '{"title": "cut off", "text": ',
        json.dumps(FEED_RECORDS[1]),
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (bad / "empty.txt").write_bytes(b"")
    (bad / "blob.txt").write_bytes(b"PK\x03\x04\x00\x00\x08\x00\x1b\x9e\x00\x00binary\x00payload")
    (bad / "slides.pdf").write_bytes(b"%PDF-1.4 not for us")
    return {
        "dikes_gazette.txt": news["dikes_gazette.txt"],
        "flour_gazette.txt": news["flour_gazette.txt"],
        "feed.jsonl": feed,
        "empty.txt": bad / "empty.txt",
        "blob.txt": bad / "blob.txt",
        "slides.pdf": bad / "slides.pdf",
        "missing.txt": bad / "missing.txt",
    }


EXPECTED_FAILURES = {
    "empty.txt": "E002",
    "blob.txt": "E003",
    "feed.jsonl#2": "E011",
    "slides.pdf": "E008",
    "missing.txt": "E001",
}


def _by_name(source: str) -> str:
    return Path(source).name


def _assert_report_matches_store(report: IngestReport, store: Store) -> None:
    """What the report says was added is what the store holds for that run."""
    run = next(r for r in store.runs() if r.run_id == report.run_id)
    assert run.finished_at is not None
    assert (run.articles_seen, run.articles_added, run.statements_added) == (
        report.articles_seen,
        report.articles_added,
        report.statements_added,
    )
    assert (run.figures_added, run.failures) == (report.figures_added, len(report.failures))
    assert list(store.failures(run_id=report.run_id)) == list(report.failures)


# --------------------------------------------------------------------------- one batch


def test_mixed_batch_stores_good_articles_and_records_each_bad_input(store, batch):
    report = ingest_paths(store, list(batch.values()))

    stored = {_by_name(a.source_file or "") for a in store.articles()}
    assert stored == {"dikes_gazette.txt", "flour_gazette.txt", "feed.jsonl#1", "feed.jsonl#3"}
    failures = {_by_name(f.source): f for f in store.failures()}
    assert {name: f.code for name, f in failures.items()} == EXPECTED_FAILURES
    assert {f.stage for f in failures.values()} == {"ingest"}
    for name, failure in failures.items():
        assert failure.message.startswith(f"{failure.code}: "), failure
        assert name in failure.message  # the message names the input it is about
    assert not report.ok

    counts = store.counts()
    assert report.articles_seen == 4
    assert report.articles_added == counts["articles"] == 4
    assert report.articles_skipped_duplicate == 0
    assert report.statements_added == counts["statements"] == len(list(store.statements()))
    assert report.statements_added >= 4  # at least one statement in every good article
    assert report.figures_added == counts["figures"]
    assert counts["failures"] == len(report.failures) == len(EXPECTED_FAILURES)
    _assert_report_matches_store(report, store)


def test_statements_of_a_batch_belong_to_their_articles(store, batch):
    ingest_paths(store, list(batch.values()))
    by_file = {}
    for record in store.statements():
        article = store.article(record.statement.article_id)
        assert article is not None
        assert record.source_file == article.source_file
        statement = record.statement
        assert (
            shown_content(article.text, statement.content_spans, statement.cue_span)
            == statement.content
        )
        by_file.setdefault(_by_name(article.source_file or ""), []).append(statement.speaker)
    assert "Jonas Ekwall" in by_file["feed.jsonl#1"]
    assert "Pia Lundmark" in by_file["feed.jsonl#3"]
    assert "Mara Vellin" in by_file["dikes_gazette.txt"]
    assert "Henrik Dalby" in by_file["flour_gazette.txt"]


def test_reingesting_the_same_batch_adds_nothing(store, batch):
    first = ingest_paths(store, list(batch.values()))
    before = store.counts()

    second = ingest_paths(store, list(batch.values()))

    assert second.run_id != first.run_id
    assert second.articles_seen == first.articles_seen == 4
    assert second.articles_added == 0
    assert second.articles_skipped_duplicate == 4
    assert (second.statements_added, second.figures_added) == (0, 0)
    after = store.counts()
    for table in ("articles", "statements", "speakers", "figures"):
        assert after[table] == before[table], table
    # Bad inputs are still bad: each run records its own failures.
    assert {_by_name(f.source): f.code for f in second.failures} == EXPECTED_FAILURES
    _assert_report_matches_store(second, store)


@pytest.mark.parametrize("chunk_size", [1, 64], ids=["chunk1", "chunk64"])
def test_the_same_text_in_two_files_is_stored_once(store, tmp_path, news_texts, chunk_size):
    text = news_texts["dikes_gazette.txt"]
    first, copy = tmp_path / "a" / "dikes.txt", tmp_path / "b" / "dikes_again.txt"
    for path in (first, copy):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8", newline="\n")
    other = tmp_path / "flour.txt"
    other.write_text(news_texts["flour_gazette.txt"], encoding="utf-8", newline="\n")

    report = ingest_paths(store, [first, copy, other], chunk_size=chunk_size)

    assert report.failures == ()
    assert (report.articles_seen, report.articles_added) == (3, 2)
    assert report.articles_skipped_duplicate == 1
    article = store.article(article_id_for(text))
    assert article is not None
    assert article.source_file == str(first)
    assert store.counts()["articles"] == 2
    assert report.statements_added == store.counts()["statements"]
    ids = [r.statement.statement_id for r in store.statements()]
    assert len(ids) == len(set(ids))


def test_a_bare_string_path_is_one_path(store, news):
    report = ingest_paths(store, str(news["flour_gazette.txt"]))  # type: ignore[arg-type]
    assert report.failures == ()
    assert report.articles_added == 1


# workers=0 is valid: one worker per core.
@pytest.mark.parametrize(("workers", "chunk_size"), [(-1, 8), (1, 0)])
def test_invalid_workers_or_chunk_size_is_refused_before_a_run_starts(
    store, news, workers, chunk_size
):
    with pytest.raises(QuotegraphError) as info:
        ingest_paths(store, [news["flour_gazette.txt"]], workers=workers, chunk_size=chunk_size)
    assert info.value.code == "E044"
    assert list(store.runs()) == []
    assert store.counts()["articles"] == 0


# --------------------------------------------------------------------------- extraction errors


def test_an_extraction_error_becomes_an_E021_failure_and_the_batch_goes_on(
    store, news, monkeypatch
):
    doomed = article_id_for(news["flour_gazette.txt"].read_text(encoding="utf-8"))
    real_extract = pipeline.extract_article

    def extract_or_fail(doc: Doc, article: Article) -> Extraction:
        if article.article_id == doomed:
            raise RuntimeError("tokeniser tripped over a ladle")
        return real_extract(doc, article)

    monkeypatch.setattr(pipeline, "extract_article", extract_or_fail)
    paths = sorted(news.values())
    report = ingest_paths(store, paths, chunk_size=1)

    assert len(report.failures) == 1
    failure = report.failures[0]
    assert failure.code == "E021"
    assert failure.stage == "extract"
    assert failure.source == str(news["flour_gazette.txt"])
    assert "RuntimeError: tokeniser tripped over a ladle" in failure.message
    assert list(store.failures()) == [failure]

    assert store.article(doomed) is None
    assert {_by_name(a.source_file or "") for a in store.articles()} == {
        "dikes_gazette.txt",
        "dikes_courier.txt",
    }
    assert (report.articles_seen, report.articles_added) == (3, 2)
    assert report.articles_skipped_duplicate == 0  # a failed article is not a duplicate
    assert report.statements_added == store.counts()["statements"] > 0
    _assert_report_matches_store(report, store)

    # The failed article was not stored, so the next run tries it again.
    monkeypatch.setattr(pipeline, "extract_article", real_extract)
    retry = ingest_paths(store, paths)
    assert retry.failures == ()
    assert (retry.articles_added, retry.articles_skipped_duplicate) == (1, 2)
    assert store.article(doomed) is not None


# --------------------------------------------------------------------------- progress


def test_on_progress_reports_growing_counts_after_every_chunk(store, news, tmp_path):
    seen: list[Progress] = []
    paths = [tmp_path / "not-there.txt", *sorted(news.values())]

    report = ingest_paths(store, paths, chunk_size=1, on_progress=seen.append)

    # One unique article per chunk of one: a call per written article.
    assert [p.articles_added for p in seen] == [1, 2, 3]
    for earlier, later in pairwise(seen):
        assert later.articles_seen >= earlier.articles_seen
        assert later.statements_added >= earlier.statements_added
        assert later.failures >= earlier.failures
    last = seen[-1]
    assert last == Progress(
        articles_seen=report.articles_seen,
        articles_added=report.articles_added,
        statements_added=report.statements_added,
        failures=len(report.failures),
    )
    assert last.failures == 1
    assert last.statements_added > 0


def test_on_progress_is_optional_and_not_called_when_nothing_is_new(store, news):
    ingest_paths(store, list(news.values()))
    calls: list[Progress] = []
    report = ingest_paths(store, list(news.values()), on_progress=calls.append)
    assert report.articles_added == 0
    assert calls == []


# --------------------------------------------------------------------------- workers


def _statement_keys(store: Store) -> list[tuple]:
    return sorted(
        (
            r.statement.statement_id,
            r.statement.article_id,
            r.statement.kind,
            r.statement.content_spans,
            r.statement.cue_span,
            r.statement.speaker_span,
            r.statement.speaker,
            r.speaker_id,
        )
        for r in store.statements()
    )


@pytest.mark.slow
def test_two_workers_give_the_same_statements_as_one(tmp_path, batch):
    results = {}
    for workers in (1, 2):
        with Store.open(tmp_path / f"workers{workers}.db") as store:
            report = ingest_paths(store, list(batch.values()), workers=workers, chunk_size=2)
            results[workers] = (
                _statement_keys(store),
                sorted((f.source, f.code) for f in report.failures),
                (report.articles_added, report.statements_added, report.figures_added),
            )
    assert results[1][0]  # something to compare
    assert results[2] == results[1]


# --------------------------------------------------------------------------- stopping


def _numbered_articles(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for n in range(count):
        path = folder / f"pier_{n:02d}.txt"
        path.write_text(
            f"Pier {n} to be rebuilt\n\n"
            f'"We will rebuild pier {n} before the storms," said Mara Vellin, the harbour '
            "master.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def test_a_stop_ends_the_run_with_what_it_wrote_and_a_rerun_adds_the_rest(store, tmp_path):
    paths = _numbered_articles(tmp_path / "piers", 40)
    stop = threading.Event()

    first = ingest_paths(store, paths, chunk_size=8, on_progress=lambda _: stop.set(), stop=stop)
    # Set after the first chunk was written: at most the article being parsed follows it.
    assert 8 <= first.articles_added <= 9
    _assert_report_matches_store(first, store)
    assert store.counts()["articles"] == first.articles_added

    rest = ingest_paths(store, paths, chunk_size=8)
    assert rest.articles_added == 40 - first.articles_added
    assert rest.articles_skipped_duplicate == first.articles_added
    assert store.counts()["articles"] == 40


def test_a_stop_before_the_run_starts_no_workers_and_stores_nothing(store, tmp_path, monkeypatch):
    paths = _numbered_articles(tmp_path / "piers", 4)
    stop = threading.Event()
    stop.set()
    monkeypatch.setattr(pipeline, "start_pool", lambda *_: pytest.fail("workers started"))
    report = ingest_paths(store, paths, workers=2, stop=stop)
    assert report.articles_added == 0
    assert store.counts()["articles"] == 0


# --------------------------------------------------------------------------- no store


def _check_offsets(text: str, key: str, statement: Statement) -> None:
    assert statement.article_id == key
    assert shown_content(text, statement.content_spans, statement.cue_span) == statement.content
    if statement.cue_span is not None:
        assert text[slice(*statement.cue_span)] == statement.cue
    if statement.speaker_span is not None:
        assert text[slice(*statement.speaker_span)] == statement.speaker_mention


def test_statements_for_texts_gives_offsets_into_each_text_as_given(news_texts):
    texts: Mapping[str, str] = {
        "gazette": news_texts["dikes_gazette.txt"],
        # Leading blank lines and spaces must not shift the offsets.
        "indented": "\n\n   " + news_texts["flour_gazette.txt"],
        "quiet": "Canal repairs\n\nThe lock gates were painted green on Tuesday.\n",
        "ferry": FEED_RECORDS[1]["text"],
    }

    results = list(statements_for_texts(texts.items()))

    assert [key for key, _ in results] == list(texts)
    found = dict(results)
    assert found["quiet"] == ()
    for key, statements in results:
        for statement in statements:
            _check_offsets(texts[key], key, statement)
    assert {s.speaker for s in found["gazette"]} == {"Mara Vellin"}
    assert {s.kind for s in found["gazette"]} == {"direct", "indirect"}
    assert [s.speaker for s in found["indented"]] == ["Henrik Dalby"]
    dalby = found["indented"][0]
    assert dalby.content == "Bread will cost more for every family in the city"
    assert [s.speaker for s in found["ferry"]] == ["Pia Lundmark"]


def test_statements_for_texts_matches_what_ingest_stores(store, news, news_texts):
    ingest_paths(store, [news["dikes_gazette.txt"]])
    stored = [r.statement for r in store.statements()]
    article_id = article_id_for(news_texts["dikes_gazette.txt"])
    [(key, statements)] = statements_for_texts([(article_id, news_texts["dikes_gazette.txt"])])
    assert key == article_id
    assert statements == tuple(stored)
