"""``quotegraph batch`` and ``quotegraph load`` through typer's CliRunner, and ``ingest``'s
all-cores default."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import quotegraph
from quotegraph import cli
from quotegraph.errors import QuotegraphError
from quotegraph.types import IngestReport


def run(*args: object) -> Result:
    return CliRunner().invoke(cli.app, [str(a) for a in args])


def plain(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(autouse=True)
def unwrapped_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    for console in (cli.console, cli.errors):
        monkeypatch.setattr(console, "soft_wrap", True)


def test_batch_then_load_fills_the_store(tmp_path: Path, news_dir: Path):
    out = tmp_path / "shards"
    result = run("batch", news_dir, "--out", out, "--engine", "local", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "3 articles" in plain(result.output)
    assert "(local, 1 workers)" in plain(result.output)
    db = tmp_path / "loaded.db"
    result = run("load", out, "--db", db, "--no-corpus-passes")
    assert result.exit_code == 0, result.output
    assert "3 articles added (0 already stored)" in plain(result.output)
    with quotegraph.open(db, readonly=True) as qg:
        assert qg.counts()["articles"] == 3


def test_batch_exits_1_when_inputs_failed(tmp_path: Path, batch_inputs: list[Path]):
    result = run("batch", *batch_inputs, "--out", tmp_path / "shards", "--workers", "1")
    assert result.exit_code == 1
    assert "2 failures" in plain(result.output)


def test_load_of_an_unfinished_run_is_a_coded_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    (tmp_path / "shards" / "articles").mkdir(parents=True)
    argv = ["quotegraph", "load", str(tmp_path / "shards"), "--db", str(tmp_path / "x.db")]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == 2


def test_ingest_uses_every_core_by_default(
    tmp_path: Path, news_dir: Path, monkeypatch: pytest.MonkeyPatch
):
    seen: list[int] = []

    def spy(self, paths, *, workers=1, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(workers)
        return IngestReport(1, 1, 1, 0, 2, 0, seconds=1.0)

    monkeypatch.setattr(quotegraph.Quotegraph, "ingest", spy)
    result = run("ingest", news_dir / "flour_gazette.txt", "--db", tmp_path / "one.db")
    assert result.exit_code == 0, result.output
    assert seen == [0]  # 0 = one worker per core, resolved by the pipeline


def test_workers_0_resolves_to_the_available_cores(monkeypatch: pytest.MonkeyPatch):
    from quotegraph import pipeline

    monkeypatch.setattr(pipeline.os, "sched_getaffinity", lambda _pid: {0, 1, 2})
    assert pipeline.resolve_workers(0) == 3
    assert pipeline.resolve_workers(2) == 2
    with pytest.raises(QuotegraphError) as info:
        pipeline.resolve_workers(-1)
    assert info.value.code == "E044"
