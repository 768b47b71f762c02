"""The Ray Data batch engine: the same parts as the local engine, on one machine or a cluster.

The driver expands the inputs into files (``ingest.walk``) and hands them to Ray Data as
rows; a fixed pool of actors (``ExtractActor``, one spaCy pipeline loaded per actor) reads a
few files per task with ``iter_inputs``, analyses them with ``pipeline.analyse_articles`` and
writes the resulting part itself (``part-<random>``), returning only the part's row counts.
Reading inside the actor keeps every CPU on the model (a separate read stage would compete
for the same CPUs); writing there keeps article texts off the driver, which on a cluster
would otherwise receive every byte of the corpus. Inputs and ``out`` must therefore be on a
file system every node sees. A part written by a task that failed and was retried is not in
the manifest, so ``load`` never reads it.

Ray is imported lazily: without the ``ray`` extra this raises E042 when a run starts.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from quotegraph.batch.manifest import prepare_output, write_manifest
from quotegraph.batch.shards import PartSummary, write_part
from quotegraph.batch.stream import InputTally, analysed_inputs, batch_report, write_parts
from quotegraph.errors import QuotegraphError, missing_extra
from quotegraph.extract.tagger import SETTING_VARIABLE, THREADS_VARIABLE
from quotegraph.ingest import IngestLimits, iter_inputs
from quotegraph.ingest.walk import iter_files
from quotegraph.nlp import load_pipeline
from quotegraph.pipeline import available_cores
from quotegraph.types import BatchReport, Failure

MAX_FILES_PER_TASK = 256
WORKER_VARIABLES: tuple[str, ...] = (SETTING_VARIABLE, THREADS_VARIABLE)
"""The driver's settings that change what extraction does: Ray workers on other machines do
not inherit the driver's environment, so the actors are given them."""
TASKS_PER_ACTOR = 16
"""Tasks per actor the default task size aims at, so no actor idles long at the end."""
_SUMMARY_KEYS = ("part", "articles", "statements", "figures", "failures", "skipped")


def import_ray() -> ModuleType:
    """The ``ray`` module with Ray Data, or E042 naming the extra to install."""
    try:
        import ray
        import ray.data  # plain `ray` lacks Ray Data's dependencies (pandas, pyarrow)
    except ImportError as exc:
        raise missing_extra("ray", "ray") from exc
    return ray


class ExtractActor:
    """A Ray Data UDF: loads the pipeline once, then turns batches of file paths into parts."""

    def __init__(self, out: str, part_size: int, limits: IngestLimits | None) -> None:
        load_pipeline()
        self.out = Path(out)
        self.part_size = part_size
        self.limits = limits

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        tally = InputTally()
        items = iter_inputs([str(path) for path in batch["path"]], limits=self.limits)
        results = analysed_inputs(items, workers=1, tally=tally)
        names = _random_part_names()
        parts = list(write_parts(results, self.out, part_size=self.part_size, names=names))
        return _summary_columns(parts, tally.skipped)


def _random_part_names() -> Iterator[str]:
    # Random, not numbered: actors on many machines name parts without coordinating.
    while True:
        yield f"part-{uuid.uuid4().hex[:16]}"


def _summary_columns(parts: list[PartSummary], skipped: int) -> dict[str, list[Any]]:
    """One row per written part; the skipped count rides on the first row (a task that only
    skipped records gives one row with an empty part name)."""
    rows = [[p.name, p.articles, p.statements, p.figures, p.failures, 0] for p in parts]
    rows = rows or [["", 0, 0, 0, 0, 0]]
    rows[0][-1] = skipped
    return {key: [row[i] for row in rows] for i, key in enumerate(_SUMMARY_KEYS)}


def run_ray(
    inputs: Sequence[str | os.PathLike[str]],
    out: Path,
    *,
    workers: int,
    part_size: int,
    address: str | None = None,
    files_per_task: int | None = None,
    limits: IngestLimits | None = None,
) -> BatchReport:
    """Analyse every article under ``inputs`` with Ray Data and write shards into ``out``.

    Without ``address`` (and no Ray already initialised in this process) a local Ray
    instance with ``workers`` CPUs is started and stopped again; with one, the run joins
    that cluster. ``workers`` is the number of actors; 0 means one per CPU Ray offers.
    On a cluster, relative input paths are made absolute (other nodes have another working
    directory), so the ``source_file`` of the records is the absolute path.
    """
    ray = import_ray()
    started = time.perf_counter()
    out = out.resolve()
    prepare_output(out)
    given = [Path(p).absolute() if address else p for p in inputs]
    files, failures = _expand(given)
    parts = [write_part(out, "part-inputs", [], failures)] if failures else []
    with _session(ray, address, workers):
        actors = workers or int(ray.cluster_resources().get("CPU", 1))
        task_size = files_per_task or _task_size(len(files), actors)
        rows, skipped = _execute(ray, files, out, actors, task_size, part_size, limits)
    parts += rows
    report = batch_report(
        out, "ray", actors, parts, skipped=skipped, seconds=time.perf_counter() - started
    )
    write_manifest(report, [os.fspath(p) for p in inputs])
    return report


def _expand(inputs: Sequence[str | os.PathLike[str]]) -> tuple[list[str], list[Failure]]:
    files: list[str] = []
    failures: list[Failure] = []
    for item in iter_files(inputs):
        if isinstance(item, Failure):
            failures.append(item)
        else:
            files.append(item.source)
    return files, failures


def _task_size(files: int, actors: int) -> int:
    return max(1, min(MAX_FILES_PER_TASK, files // (actors * TASKS_PER_ACTOR)))


def actor_options() -> dict[str, Any]:
    """Ray options of each extraction actor: one CPU, and the driver's extraction settings
    (``WORKER_VARIABLES``) set in the actor's environment wherever it runs."""
    settings = {
        name: os.environ[name] for name in WORKER_VARIABLES if os.environ.get(name, "").strip()
    }
    options: dict[str, Any] = {"num_cpus": 1}
    if settings:
        options["runtime_env"] = {"env_vars": settings}
    return options


@contextmanager
def _session(ray: ModuleType, address: str | None, workers: int) -> Iterator[None]:
    """Use the Ray this process already initialised, or start (and later stop) one."""
    if ray.is_initialized():
        yield
        return
    scratch = None
    options: dict[str, Any] = {"address": address}
    if address is None:
        # A short private directory: Ray's socket paths must stay under the Unix length limit.
        scratch = tempfile.mkdtemp(prefix="qg-ray-")
        options.update(num_cpus=workers or available_cores(), _temp_dir=scratch)
    try:
        ray.init(
            **options, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING
        )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise QuotegraphError("E053", source=address or "local", detail=str(exc)) from exc
    try:
        yield
    finally:
        ray.shutdown()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _execute(
    ray: ModuleType,
    files: list[str],
    out: Path,
    actors: int,
    task_size: int,
    part_size: int,
    limits: IngestLimits | None,
) -> tuple[list[PartSummary], int]:
    """Run the dataset; returns the written parts in input order and the skipped count."""
    if not files:
        return [], 0
    parts: list[PartSummary] = []
    skipped = 0
    with _ordered_and_quiet(ray):
        dataset = ray.data.from_items([{"path": path} for path in files]).map_batches(
            ExtractActor,
            fn_constructor_kwargs={"out": str(out), "part_size": part_size, "limits": limits},
            compute=ray.data.ActorPoolStrategy(size=actors, max_tasks_in_flight_per_actor=2),
            batch_size=task_size,
            **actor_options(),
        )
        try:
            for row in dataset.iter_rows():
                skipped += int(row["skipped"])
                if row["part"]:
                    counts = (int(row[k]) for k in _SUMMARY_KEYS[1:5])
                    parts.append(PartSummary(str(row["part"]), *counts))
        except ray.exceptions.RayError as exc:
            raise QuotegraphError("E054", detail=f"{type(exc).__name__}: {exc}") from exc
    return parts, skipped


@contextmanager
def _ordered_and_quiet(ray: ModuleType) -> Iterator[None]:
    """Parts in input order (a deterministic manifest) and no progress bars (library code
    prints nothing); the caller's own Ray Data settings are restored afterwards."""
    context = ray.data.DataContext.get_current()
    saved = (context.enable_progress_bars, context.execution_options.preserve_order)
    context.enable_progress_bars = False
    context.execution_options.preserve_order = True
    try:
        yield
    finally:
        context.enable_progress_bars, context.execution_options.preserve_order = saved
