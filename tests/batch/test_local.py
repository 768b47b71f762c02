"""The local engine and ``load``: what a run writes, the round trip into a store (equal to a
direct ingest), refusing incomplete or foreign outputs, and the corpus passes afterwards."""

from __future__ import annotations

import json
import shutil
import sys
import types
from pathlib import Path

import pytest

import quotegraph
from quotegraph.batch import load_shards, run_batch
from quotegraph.batch.manifest import MANIFEST_NAME, read_manifest
from quotegraph.errors import QuotegraphError
from quotegraph.store import Store
from quotegraph.types import BatchReport, CorpusReport, Skipped

from .conftest import shard_rows, stored_everything


def test_a_run_writes_every_table_and_a_manifest(local_output: BatchReport):
    out = Path(local_output.out)
    assert (local_output.articles, local_output.failures) == (4, 2)
    assert local_output.statements >= 4
    assert local_output.figures >= 1
    # Six records in parts of two.
    assert local_output.parts == ("part-00000", "part-00001", "part-00002")
    for table in ("articles", "statements", "figures", "failures"):
        assert sorted(p.stem for p in (out / table).glob("*.parquet")) == list(local_output.parts)
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["engine"] == "local"
    assert manifest["inputs"] == [str(Path(p)) for p in manifest["inputs"]]
    assert read_manifest(out) == local_output
    codes = sorted(row["code"] for row in shard_rows(out, "failures"))
    assert codes == ["E002", "E011"]


def test_loading_gives_the_store_a_direct_ingest_gives(
    tmp_path: Path, local_output: BatchReport, direct_store: Path
):
    target = tmp_path / "loaded.db"
    with quotegraph.open(target) as qg:
        report = qg.load(local_output.out, corpus_passes=False)
    assert (report.parts, report.articles_seen, report.articles_added) == (3, 4, 4)
    assert report.statements_added == local_output.statements
    assert report.failures == 2
    assert report.corpus is None
    loaded, direct = stored_everything(target), stored_everything(direct_store)
    assert loaded[0]  # statements: ids, offsets, speakers, speaker ids, article fields
    for ours, theirs in zip(loaded, direct, strict=True):
        assert ours == theirs


def test_loading_twice_adds_nothing(tmp_path: Path, local_output: BatchReport):
    with Store.open(tmp_path / "twice.db") as store:
        load_shards(store, local_output.out, corpus_passes=False)
        again = load_shards(store, local_output.out, corpus_passes=False)
        assert (again.articles_seen, again.articles_added, again.statements_added) == (4, 0, 0)
        assert store.counts()["statements"] == local_output.statements


def test_two_workers_and_one_part_give_the_same_rows(
    tmp_path: Path, batch_inputs: list[Path], local_output: BatchReport
):
    report = run_batch(batch_inputs, tmp_path / "w2", workers=2)
    assert report.parts == ("part-00000",)
    for table in ("articles", "statements", "figures", "failures"):
        assert shard_rows(report.out, table) == shard_rows(local_output.out, table), table


def test_skipped_records_are_counted_not_written(
    tmp_path: Path, news_dir: Path, monkeypatch: pytest.MonkeyPatch
):
    from quotegraph.batch import local

    real = local.iter_inputs

    def with_a_skip(paths, **kwargs):  # type: ignore[no-untyped-def]
        yield Skipped("archive.warc#0", "non-HTML")
        yield from real(paths, **kwargs)

    monkeypatch.setattr(local, "iter_inputs", with_a_skip)
    report = run_batch([news_dir / "flour_gazette.txt"], tmp_path / "out", workers=1)
    assert (report.records_skipped, report.articles, report.failures) == (1, 1, 0)


# --------------------------------------------------------------------------- refusals


@pytest.fixture
def output_copy(tmp_path: Path, local_output: BatchReport) -> Path:
    """A copy of the session's output that a test may damage."""
    return Path(shutil.copytree(local_output.out, tmp_path / "copy"))


def _load_error(directory: Path, tmp_path: Path) -> str:
    with Store.open(tmp_path / "refused.db") as store:
        with pytest.raises(QuotegraphError) as info:
            load_shards(store, directory, corpus_passes=False)
        assert store.counts()["articles"] == 0
        assert list(store.runs()) == []  # refused before a run was even recorded
    return info.value.code


def _edit_manifest(directory: Path, **changes: object) -> None:
    path = directory / MANIFEST_NAME
    body = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**body, **changes}), encoding="utf-8")


def test_an_output_without_manifest_is_incomplete(output_copy: Path, tmp_path: Path):
    (output_copy / MANIFEST_NAME).unlink()
    assert _load_error(output_copy, tmp_path) == "E050"


def test_a_missing_shard_is_refused_before_anything_is_written(output_copy: Path, tmp_path: Path):
    (output_copy / "statements" / "part-00002.parquet").unlink()
    assert _load_error(output_copy, tmp_path) == "E050"


def test_counts_that_disagree_with_the_manifest_are_refused(output_copy: Path, tmp_path: Path):
    _edit_manifest(output_copy, statements=10_000)
    assert _load_error(output_copy, tmp_path) == "E050"


@pytest.mark.parametrize(
    "changes",
    [{"format_version": 99}, {"format": "something-else"}, {"parts": ["../../etc/passwd"]}],
)
def test_a_foreign_manifest_is_refused(output_copy: Path, tmp_path: Path, changes):
    _edit_manifest(output_copy, **changes)
    assert _load_error(output_copy, tmp_path) == "E051"


def test_a_missing_directory_is_refused(tmp_path: Path):
    assert _load_error(tmp_path / "nowhere", tmp_path) == "E050"


def test_a_run_refuses_a_directory_that_holds_files(tmp_path: Path, news_dir: Path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(QuotegraphError) as info:
        run_batch([news_dir], tmp_path / "out")
    assert info.value.code == "E052"


@pytest.mark.parametrize(
    "arguments",
    [{"engine": "spark"}, {"address": "auto"}, {"workers": -1}, {"part_size": 0}],
)
def test_bad_arguments_are_e044(tmp_path: Path, news_dir: Path, arguments):
    with pytest.raises(QuotegraphError) as info:
        run_batch([news_dir], tmp_path / "out", **arguments)
    assert info.value.code == "E044"
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- corpus passes


def test_the_corpus_passes_run_after_loading(
    tmp_path: Path, local_output: BatchReport, monkeypatch: pytest.MonkeyPatch
):
    seen: list[int] = []

    def run_corpus_passes(store: Store) -> CorpusReport:
        seen.append(store.counts()["articles"])  # every article is in before the passes
        return CorpusReport(stories_created=2)

    fake = types.ModuleType("quotegraph.corpus.passes")
    fake.run_corpus_passes = run_corpus_passes  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "quotegraph.corpus.passes", fake)
    with Store.open(tmp_path / "passes.db") as store:
        report = load_shards(store, local_output.out)
    assert seen == [4]
    assert report.corpus == CorpusReport(stories_created=2)


@pytest.mark.parametrize("part_size", [1, 1000])
def test_a_text_given_twice_is_loaded_once(tmp_path: Path, news_dir: Path, part_size: int):
    twice = tmp_path / "twice"
    twice.mkdir()
    text = (news_dir / "flour_gazette.txt").read_text(encoding="utf-8")
    for name in ("a.txt", "b.txt"):
        (twice / name).write_text(text, encoding="utf-8")
    report = run_batch([twice], tmp_path / "out", workers=1, part_size=part_size)
    # One part keeps one copy; with a part per record each part holds its own copy.
    assert report.articles == (2 if part_size == 1 else 1)
    with Store.open(tmp_path / "once.db") as store:
        loaded = load_shards(store, report.out, corpus_passes=False)
        assert (loaded.articles_seen, loaded.articles_added) == (report.articles, 1)
        assert store.counts()["statements"] == loaded.statements_added > 0
        assert [a.source_file for a in store.articles()] == [str(twice / "a.txt")]
