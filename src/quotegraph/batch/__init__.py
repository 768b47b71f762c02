"""Batch runs: analyse a corpus into Parquet shards, then load them into a store.

``run_batch(inputs, out, engine="local" | "ray")`` reads every article under ``inputs``,
extracts statements and figures, and writes ``out/{articles,statements,figures,failures}/
part-*.parquet`` plus ``out/_manifest.json`` (written last). Both engines give the same
records; ``local`` uses this machine's worker processes, ``ray`` a Ray Data actor pool on one
machine or a cluster. ``load_shards(store, out)`` merges a complete output into a store and
runs the corpus passes.

Parquet needs the ``batch`` extra (pyarrow), Ray the ``ray`` extra; both are imported only
when a run starts, and their absence is E042 naming the extra.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from quotegraph.errors import QuotegraphError
from quotegraph.pipeline import resolve_workers

if TYPE_CHECKING:
    from quotegraph.ingest import IngestLimits
    from quotegraph.store import Store
    from quotegraph.types import BatchReport, LoadReport

ENGINES: tuple[str, ...] = ("local", "ray")
DEFAULT_PART_SIZE = 1000
"""Records (articles plus failures) per part: a few megabytes of Parquet for news text. A Ray
task writes one part per batch of files, smaller when the batch holds fewer records."""

__all__ = ["DEFAULT_PART_SIZE", "ENGINES", "load_shards", "run_batch"]


def run_batch(
    inputs: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    engine: str = "local",
    workers: int = 1,
    address: str | None = None,
    part_size: int = DEFAULT_PART_SIZE,
    files_per_task: int | None = None,
    limits: IngestLimits | None = None,
    stop: threading.Event | None = None,
) -> BatchReport:
    """Analyse every article under ``inputs`` into Parquet shards in ``out`` (a new or empty
    directory, E052 otherwise).

    ``workers`` is the number of worker processes (``local``) or actors (``ray``); 0 means
    one per core (one per cluster CPU with ``address``). ``address`` joins a running Ray
    cluster (``ray``) instead of starting a local one; ``files_per_task`` is how many input
    files a Ray task reads (default: enough tasks for every actor to get about 16).

    Setting ``stop`` ends a ``local`` run early: its workers are ended and no manifest is
    written, so ``load`` refuses the directory (E050); the report counts the parts written.
    A ``ray`` run does not look at it.
    """
    if engine not in ENGINES:
        raise QuotegraphError("E044", detail=f"engine must be one of {', '.join(ENGINES)}")
    if part_size < 1 or (files_per_task is not None and files_per_task < 1):
        raise QuotegraphError("E044", detail="part_size and files_per_task must be at least 1")
    if address is not None and engine != "ray":
        raise QuotegraphError("E044", detail="address is for the ray engine")
    if workers < 0:
        raise QuotegraphError("E044", detail="workers must be 0 (all cores) or more")
    paths = [inputs] if isinstance(inputs, str | os.PathLike) else list(inputs)
    if engine == "ray":
        from quotegraph.batch.ray_engine import run_ray

        return run_ray(
            paths,
            Path(out),
            workers=workers,
            part_size=part_size,
            address=address,
            files_per_task=files_per_task,
            limits=limits,
        )
    from quotegraph.batch.local import run_local

    return run_local(
        paths,
        Path(out),
        workers=resolve_workers(workers),
        part_size=part_size,
        limits=limits,
        stop=stop,
    )


def load_shards(
    store: Store, out: str | os.PathLike[str], *, corpus_passes: bool = True
) -> LoadReport:
    """Merge the complete batch output in ``out`` into ``store`` (see ``batch.load``)."""
    from quotegraph.batch.load import load_shards as load

    return load(store, Path(out), corpus_passes=corpus_passes)
