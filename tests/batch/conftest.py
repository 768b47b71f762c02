"""Inputs and outputs shared by the batch tests: the shared three-article corpus plus a
small folder of our own (a JSONL feed with a dateline and an extra field, one broken line,
one empty file), run through the local engine once per session."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import quotegraph
from quotegraph.batch import run_batch
from quotegraph.pipeline import ingest_paths
from quotegraph.store import Store
from quotegraph.types import BatchReport

FEED = [
    {
        "title": "Tram line to Osterby opens a year late",
        "outlet": "Fjordside Post",
        "published": "2025-05-02",
        "desk": "Transport",
        "text": "Tram line to Osterby opens a year late\n\n"
        "OSTERBY — The new tram line to Osterby opened on Friday, a year behind schedule.\n\n"
        '"Every delay was worth it for a line that will run for fifty years," said Runa '
        "Halvorsen, the city's transport commissioner.\n\n"
        "Shopkeepers said the works had cost them some 300 customers a week.",
    },
]


@pytest.fixture(scope="session")
def batch_inputs(tmp_path_factory: pytest.TempPathFactory, news_dir: Path) -> list[Path]:
    """Four articles (three .txt, one JSONL record) and two failures (E011, E002)."""
    extra = tmp_path_factory.mktemp("batch_extra")
    lines = [json.dumps(FEED[0]), '{"title": "cut off", "text": ']
    (extra / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (extra / "empty.txt").write_bytes(b"")
    return [news_dir, extra]


@pytest.fixture(scope="session")
def local_output(tmp_path_factory: pytest.TempPathFactory, batch_inputs: list[Path]) -> BatchReport:
    """The inputs through the local engine, in parts of two records. Read-only."""
    out = tmp_path_factory.mktemp("batch_local") / "out"
    return run_batch(batch_inputs, out, engine="local", workers=1, part_size=2)


@pytest.fixture(scope="session")
def direct_store(tmp_path_factory: pytest.TempPathFactory, batch_inputs: list[Path]) -> Path:
    """The same inputs ingested directly into a store (no corpus passes: loads in these tests
    skip them too, so both stores hold exactly what extraction found). Read-only."""
    path = tmp_path_factory.mktemp("batch_direct") / "direct.db"
    with Store.open(path) as store:
        ingest_paths(store, batch_inputs)
    return path


def shard_rows(out: str | Path, table: str) -> list[dict[str, object]]:
    """Every row of one table of a batch output, in a stable order."""
    rows = [
        row
        for path in sorted(Path(out, table).glob("part-*.parquet"))
        for row in pq.read_table(path).to_pylist()
    ]
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))


def stored_everything(path: Path) -> tuple[list[object], ...]:
    """Statements, articles, figures and failures (without run ids or times) of a store."""
    with quotegraph.open(path, readonly=True) as qg:
        return (
            sorted(qg.statements(), key=lambda r: r.statement.statement_id),
            sorted(qg.articles(), key=lambda a: a.article_id),
            sorted((f.figure for f in qg.figures()), key=lambda f: f.figure_id),
            sorted((f.source, f.code, f.stage) for f in qg.failures()),
        )
