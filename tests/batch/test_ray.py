"""The Ray engine on a local two-CPU Ray: the same rows as the local engine, and a load of
its output gives the same store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import quotegraph
from quotegraph.batch import run_batch
from quotegraph.types import BatchReport

from .conftest import shard_rows, stored_everything

ray = pytest.importorskip("ray", reason="the 'ray' extra is not installed")

pytestmark = [
    pytest.mark.slow,  # Ray's start and two model loads: about 30 s on 2 cores
    # Ray Data itself reads its deprecated settings when it copies its context.
    pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.*"),
]


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    scratch = tmp_path_factory.mktemp("ray")
    ray.init(num_cpus=2, _temp_dir=str(scratch), include_dashboard=False)
    try:
        yield
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def ray_output(
    local_ray: None, tmp_path_factory: pytest.TempPathFactory, batch_inputs: list[Path]
) -> BatchReport:
    out = tmp_path_factory.mktemp("batch_ray") / "out"
    return run_batch(batch_inputs, out, engine="ray", workers=2, files_per_task=2)


def test_ray_writes_the_rows_the_local_engine_writes(
    ray_output: BatchReport, local_output: BatchReport
):
    assert ray_output.engine == "ray"
    assert ray_output.workers == 2
    for field in ("articles", "statements", "figures", "failures"):
        assert getattr(ray_output, field) == getattr(local_output, field), field
    for table in ("articles", "statements", "figures", "failures"):
        assert shard_rows(ray_output.out, table) == shard_rows(local_output.out, table), table


def test_loading_the_ray_output_gives_the_direct_ingest_store(
    ray_output: BatchReport, direct_store: Path, tmp_path: Path
):
    target = tmp_path / "ray.db"
    with quotegraph.open(target) as qg:
        report = qg.load(ray_output.out, corpus_passes=False)
    assert report.articles_added == 4
    assert stored_everything(target) == stored_everything(direct_store)
