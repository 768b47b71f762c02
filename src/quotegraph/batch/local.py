"""The local batch engine: this machine's cores, no Ray.

Reading happens in this process, parsing and extraction in ``workers`` worker processes
(the machinery ``ingest`` uses, ``pipeline.analyse_articles``), and parts are written here in
input order as ``part-00000``, ``part-00001``, ...
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Sequence
from itertools import count
from pathlib import Path

from quotegraph.batch.manifest import prepare_output, write_manifest
from quotegraph.batch.stream import InputTally, analysed_inputs, batch_report, write_parts
from quotegraph.ingest import IngestLimits, iter_inputs
from quotegraph.types import BatchReport


def numbered_parts() -> Iterator[str]:
    return (f"part-{n:05d}" for n in count())


def run_local(
    inputs: Sequence[str | os.PathLike[str]],
    out: Path,
    *,
    workers: int,
    part_size: int,
    limits: IngestLimits | None = None,
    stop: threading.Event | None = None,
) -> BatchReport:
    """Analyse every article under ``inputs`` and write Parquet shards into ``out``.

    A run ended by ``stop`` writes the parts of what was analysed but no manifest: the
    directory is then an unfinished run, which ``load`` refuses (E050)."""
    started = time.perf_counter()
    prepare_output(out)
    tally = InputTally()
    items = iter_inputs(inputs, limits=limits)
    results = analysed_inputs(items, workers=workers, tally=tally, stop=stop)
    parts = list(write_parts(results, out, part_size=part_size, names=numbered_parts()))
    report = batch_report(
        out, "local", workers, parts, skipped=tally.skipped, seconds=time.perf_counter() - started
    )
    if stop is None or not stop.is_set():
        write_manifest(report, [os.fspath(p) for p in inputs])
    return report
