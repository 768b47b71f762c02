"""Throughput and peak memory of ingest and of batch runs (local and Ray), on PolNeAR.

Usage::

    python benchmarks/bench_scale.py [--articles N] [--runs RUN ...] [--json-out FILE]

The corpus is PolNeAR train + dev (924 ``.txt`` files from ``$QUOTEGRAPH_SHARED/data/polnear``,
default ``../shared``), written into a temporary folder (never into the repository). With
``--articles N`` it is repeated (or cut) to N files; every copy after the first gets a marker
line appended, so each file is a new article for the store's content-hash ids.

Runs (each in a fresh process, model loading included; ``KIND:WORKERS``):

* ``parse:N`` - ``nlp.pipe`` over the texts with ``n_process=N`` (the ceiling);
* ``ingest:N`` - ``ingest_paths`` into a new store (read + parse + extract + write, no corpus
  passes);
* ``local:N`` - ``run_batch(engine="local")`` into Parquet shards;
* ``ray:N`` - ``run_batch(engine="ray")`` on a local Ray with N CPUs (Ray's start included);
* ``load`` - ``load_shards`` of the previous batch run's output into a new store;
* ``profile`` - read, parse, extract and write timed separately in one process.

While a run goes, this process samples ``/proc`` every second: peak memory is the largest sum
of PSS (proportional set size: shared pages counted once) over the run's whole process tree,
and the largest peak RSS (``VmHWM``, exact between samples) of any one process in it; it also
adds up the CPU time of every process of the tree. ``/proc/loadavg`` is recorded before and
after each run: figures taken while other work shares the CPU are slower in wall time, while
CPU time per article hardly moves.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SPLITS = ("train", "dev")
SAMPLE_SECONDS = 1.0
"""Sampling /proc is not free (a scan of every process, then ``smaps_rollup`` of each one in
the tree): at 0.2 s the sampler took a quarter of a core from the run it measured."""
TIMELINE_SECONDS = 60.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def polnear_dir() -> Path:
    shared = os.environ.get("QUOTEGRAPH_SHARED")
    base = Path(shared) if shared else REPO.parent / "shared"
    return base / "data" / "polnear"


def source_files() -> list[Path]:
    files = [p for split in SPLITS for p in sorted((polnear_dir() / split / "text").glob("*.txt"))]
    if not files:
        sys.exit(f"PolNeAR texts not found under {polnear_dir()}; set QUOTEGRAPH_SHARED")
    return files


def write_corpus(target: Path, articles: int) -> tuple[int, int]:
    """``articles`` files (0: each PolNeAR file once) into ``target``; returns (files, words)."""
    sources = source_files()
    count = articles or len(sources)
    words = 0
    for n in range(count):
        copy, index = divmod(n, len(sources))
        text = sources[index].read_text(encoding="utf-8")
        # A marker line keeps repeated copies distinct (content-hash ids would dedupe them).
        body = text if copy == 0 else f"{text}\n\n[copy {copy}]\n"
        (target / f"{copy:03d}_{sources[index].name}").write_text(body, encoding="utf-8")
        words += len(body.split())
    return count, words


# --- the measured runs (child side) ----------------------------------------------------------


def run_parse(folder: Path, workers: int, _out: Path) -> dict[str, Any]:
    from quotegraph.nlp import load_pipeline

    started = time.perf_counter()
    texts = (p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt")))
    nlp = load_pipeline()
    count = sum(1 for _ in nlp.pipe(texts, n_process=workers, batch_size=16))
    return {"articles": count, "seconds": time.perf_counter() - started}


def run_ingest(folder: Path, workers: int, out: Path) -> dict[str, Any]:
    from quotegraph.pipeline import ingest_paths
    from quotegraph.store import Store

    with Store.open(out / "ingest.db") as store:
        started = time.perf_counter()
        report = ingest_paths(store, [folder], workers=workers)
        seconds = time.perf_counter() - started
    return {
        "articles": report.articles_seen,
        "added": report.articles_added,
        "statements": report.statements_added,
        "failures": len(report.failures),
        "seconds": seconds,
    }


def run_batch_engine(engine: str) -> Any:
    def run(folder: Path, workers: int, out: Path) -> dict[str, Any]:
        from quotegraph.batch import run_batch

        started = time.perf_counter()
        # Ray is started here with the options run_batch would use, to time its start apart.
        start_seconds = _start_ray(workers, out) if engine == "ray" else 0.0
        report = run_batch([folder], out / "shards", engine=engine, workers=workers)
        return {
            "articles": report.articles,
            "statements": report.statements,
            "failures": report.failures,
            "parts": len(report.parts),
            "seconds": time.perf_counter() - started,
            "ray_start_seconds": start_seconds,
        }

    return run


def _start_ray(workers: int, out: Path) -> float:
    import logging

    import ray

    started = time.perf_counter()
    scratch = out / "ray"
    scratch.mkdir()
    ray.init(
        num_cpus=workers,
        _temp_dir=str(scratch),
        include_dashboard=False,
        log_to_driver=False,
        logging_level=logging.WARNING,
    )
    return time.perf_counter() - started


def run_load(_folder: Path, _workers: int, out: Path) -> dict[str, Any]:
    from quotegraph.batch import load_shards
    from quotegraph.store import Store

    with Store.open(out / "loaded.db") as store:
        started = time.perf_counter()
        report = load_shards(store, out / "shards", corpus_passes=False)
        seconds = time.perf_counter() - started
    return {
        "articles": report.articles_seen,
        "statements": report.statements_added,
        "seconds": seconds,
    }


def run_profile(folder: Path, _workers: int, out: Path) -> dict[str, Any]:
    """Each stage timed on its own, in one process: read everything, then parse, extract and
    write chunk by chunk (the order ``ingest`` uses with one worker)."""
    from quotegraph.extract import extract_article
    from quotegraph.ingest import iter_inputs
    from quotegraph.nlp import load_pipeline
    from quotegraph.store import Store
    from quotegraph.types import Article

    timers = dict.fromkeys(("load_model", "read", "parse", "extract", "write"), 0.0)
    started = time.perf_counter()
    nlp = load_pipeline()
    timers["load_model"] = time.perf_counter() - started
    mark = time.perf_counter()
    articles = [a for a in iter_inputs([folder]) if isinstance(a, Article)]
    timers["read"] = time.perf_counter() - mark
    with Store.open(out / "profile.db") as store:
        run_id = store.begin_run("profile")
        chunk: list[Any] = []
        docs = nlp.pipe(((a.text, a) for a in articles), as_tuples=True, batch_size=16)
        while True:
            mark = time.perf_counter()
            item = next(docs, None)
            timers["parse"] += time.perf_counter() - mark
            if item is None:
                break
            mark = time.perf_counter()
            chunk.append(extract_article(*item))
            timers["extract"] += time.perf_counter() - mark
            if len(chunk) == 64:
                timers["write"] += _timed_write(store, run_id, chunk)
                chunk = []
        timers["write"] += _timed_write(store, run_id, chunk)
    seconds = time.perf_counter() - started
    per_article = {f"{k}_ms_per_article": 1000 * v / len(articles) for k, v in timers.items()}
    return {"articles": len(articles), "seconds": seconds, **timers, **per_article}


def _timed_write(store: Any, run_id: int, chunk: list[Any]) -> float:
    mark = time.perf_counter()
    if chunk:
        store.write_extractions(run_id, chunk)
    return time.perf_counter() - mark


RUNS = {
    "parse": run_parse,
    "ingest": run_ingest,
    "local": run_batch_engine("local"),
    "ray": run_batch_engine("ray"),
    "load": run_load,
    "profile": run_profile,
}


def child(kind: str, folder: Path, workers: int, out: Path) -> None:
    result = RUNS[kind](folder, workers, out)
    result["articles_per_second"] = result["articles"] / result["seconds"]
    print(json.dumps(result), flush=True)


# --- measuring a run (parent side) -----------------------------------------------------------


def _children_by_parent() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields start after the last ')'.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _descendants(root: int) -> Iterator[int]:
    tree = _children_by_parent()
    pending = [root]
    while pending:
        pid = pending.pop()
        yield pid
        pending.extend(tree.get(pid, []))


def _kilobytes(path: str, key: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _cpu_seconds(pid: int) -> tuple[str, float] | None:
    """The command name and user + system CPU time of one process so far."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = stat[stat.find("(") + 1 : stat.rfind(")")]
    fields = stat.rsplit(")", 1)[1].split()
    return name, (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cpu_by_name(cpu: dict[int, tuple[str, float]]) -> dict[str, float]:
    """CPU seconds by command name (Ray names its workers ``ray::...``), largest first."""
    totals: dict[str, float] = {}
    for name, seconds in cpu.values():
        totals[name] = totals.get(name, 0.0) + seconds
    return {name: round(s, 1) for name, s in sorted(totals.items(), key=lambda i: -i[1])}


def sample_tree(root: int, cpu: dict[int, tuple[str, float]]) -> tuple[float, float, int]:
    """(PSS summed over the tree, largest single peak RSS) in MB, and the number of processes;
    records each process's CPU time so far in ``cpu``."""
    pids = list(_descendants(root))
    pss = sum(_kilobytes(f"/proc/{pid}/smaps_rollup", "Pss:") for pid in pids)
    rss = max((_kilobytes(f"/proc/{pid}/status", "VmHWM:") for pid in pids), default=0)
    for pid in pids:
        sample = _cpu_seconds(pid)
        if sample is not None:
            cpu[pid] = sample
    return pss / 1024, rss / 1024, len(pids)


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def measure(kind: str, folder: Path, workers: int, out: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, "--folder", str(folder)]
    command += ["--workers", str(workers), "--out", str(out)]
    before = loadavg()
    peak_pss = peak_rss = 0.0
    most = 0
    cpu: dict[int, tuple[str, float]] = {}
    timeline: list[dict[str, float]] = []
    started = time.monotonic()
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        while process.poll() is None:
            pss, rss, count = sample_tree(process.pid, cpu)
            peak_pss, peak_rss, most = max(peak_pss, pss), max(peak_rss, rss), max(most, count)
            elapsed = time.monotonic() - started
            if elapsed >= TIMELINE_SECONDS * (len(timeline) + 1):
                timeline.append(_moment(elapsed, out, pss, peak_pss))
            time.sleep(SAMPLE_SECONDS)
        output = process.stdout.read() if process.stdout else ""
    if process.returncode != 0:
        sys.exit(f"{kind}:{workers} failed with exit code {process.returncode}")
    result = json.loads(output.strip().splitlines()[-1])
    cpu_seconds = sum(seconds for _, seconds in cpu.values())
    return {
        "run": kind,
        "workers": workers,
        **result,
        # CPU time of the whole tree (up to its last sample), which other work on the machine
        # does not inflate the way it inflates wall time.
        "tree_cpu_seconds": round(cpu_seconds, 1),
        "cpu_seconds_by_process": cpu_by_name(cpu),
        "cpu_ms_per_article": round(1000 * cpu_seconds / result["articles"], 1),
        "peak_tree_pss_mb": round(peak_pss),
        "timeline": timeline,
        "peak_process_rss_mb": round(peak_rss),
        "processes": most,
        "loadavg_before": before,
        "loadavg_after": loadavg(),
    }


def _moment(elapsed: float, out: Path, pss: float, peak_pss: float) -> dict[str, float]:
    """Memory now and so far, with the articles an ingest has stored by now (memory against
    corpus size within one run); printed as it is taken, to follow long runs."""
    moment = {
        "seconds": round(elapsed),
        "articles_stored": _stored_articles(out / "ingest.db"),
        "tree_pss_mb": round(pss),
        "peak_tree_pss_mb": round(peak_pss),
    }
    print(f"# {json.dumps(moment)}", file=sys.stderr, flush=True)
    return moment


def _stored_articles(db: Path) -> int:
    if not db.exists():
        return -1
    try:
        with closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=1)) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return -1


def parse_run(text: str) -> tuple[str, int]:
    kind, _, workers = text.partition(":")
    if kind not in RUNS:
        raise argparse.ArgumentTypeError(f"unknown run {kind!r}; one of {', '.join(RUNS)}")
    return kind, int(workers or 1)


def print_table(rows: list[dict[str, Any]]) -> None:
    print(
        f"\n{'run':8} {'workers':>7} {'articles':>8} {'seconds':>8} {'art/s':>7} "
        f"{'CPU ms/art':>10} {'tree PSS MB':>11} {'max RSS MB':>10}  loadavg before / after"
    )
    for r in rows:
        print(
            f"{r['run']:8} {r['workers']:>7} {r['articles']:>8} {r['seconds']:>8.1f} "
            f"{r['articles_per_second']:>7.2f} {r['cpu_ms_per_article']:>10} "
            f"{r['peak_tree_pss_mb']:>11} {r['peak_process_rss_mb']:>10}  "
            f"{r['loadavg_before']} / {r['loadavg_after']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=0, help="0: PolNeAR train+dev once.")
    parser.add_argument(
        "--runs",
        type=parse_run,
        nargs="+",
        default=[parse_run(r) for r in ("parse:2", "ingest:1", "ingest:2", "local:2", "ray:2")],
    )
    parser.add_argument("--json-out", type=Path, help="Append each result as a JSON line.")
    parser.add_argument("--child", choices=sorted(RUNS), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder, args.workers, args.out)
        return
    with tempfile.TemporaryDirectory(prefix="qg-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        files, words = write_corpus(folder, args.articles)
        print(f"# PolNeAR train+dev as {files} articles, {words} words", flush=True)
        rows = []
        out = Path(tmp) / "run-0"
        for number, (kind, workers) in enumerate(args.runs, 1):
            if kind != "load":  # load reads the shards of the run before it
                out = Path(tmp) / f"run-{number}"
                out.mkdir()
            measured = measure(kind, folder, workers, out)
            result = {"corpus_articles": files, "corpus_words": words, **measured}
            print(json.dumps(result), flush=True)
            if args.json_out:
                with args.json_out.open("a", encoding="utf-8") as sink:
                    sink.write(json.dumps(result) + "\n")
            rows.append(result)
    print_table(rows)


if __name__ == "__main__":
    main()
