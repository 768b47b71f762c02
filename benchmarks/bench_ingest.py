"""End-to-end ingest throughput against the spaCy-parse-alone ceiling, with peak memory.

Usage::

    python benchmarks/bench_ingest.py [--split dev] [--workers 1 2] [--repeat 1]

Reads PolNeAR articles from ``$QUOTEGRAPH_SHARED/data/polnear`` (default ``../shared``),
writes them as ``.txt`` files into a temporary folder (never into the repository), and runs
each measurement in a fresh subprocess so that model loading and peak memory are counted per
run:

* ``parse``: ``nlp.pipe`` over the texts with N processes (the ceiling);
* ``ingest``: ``quotegraph ingest`` of the folder into a new store with N workers
  (read + parse + extract + write), the attribution tagger off (``QUOTEGRAPH_TAGGER=none``);
* ``ingest+tagger`` (with ``--tagger``): the same with the shipped tagger on
  (``QUOTEGRAPH_TAGGER=on``), whose bar is 0.7 x the parse rate on 2 workers.

Peak memory is the largest resident set of the parent and of any one worker process
(``ru_maxrss``). Prints one JSON object per measurement and a summary table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def polnear_dir() -> Path:
    shared = os.environ.get("QUOTEGRAPH_SHARED")
    base = Path(shared) if shared else REPO.parent / "shared"
    return base / "data" / "polnear"


def write_corpus(split: str, target: Path, repeat: int) -> tuple[int, int]:
    """Copy the split's texts into ``target`` ``repeat`` times; returns (files, words)."""
    source = polnear_dir() / split / "text"
    if not source.is_dir():
        sys.exit(f"PolNeAR {split} split not found at {source}; set QUOTEGRAPH_SHARED")
    files = words = 0
    for copy in range(repeat):
        for path in sorted(source.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            # A marker line keeps repeated copies distinct (content-hash ids would dedupe).
            body = text if copy == 0 else f"{text}\n\n[copy {copy}]\n"
            (target / f"{copy:03d}_{path.name}").write_text(body, encoding="utf-8")
            files += 1
            words += len(body.split())
    return files, words


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def run_parse(folder: Path, workers: int) -> dict:
    from quotegraph.nlp import load_pipeline

    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    nlp = load_pipeline()
    started = time.perf_counter()
    count = sum(1 for _ in nlp.pipe(texts, n_process=workers, batch_size=16))
    seconds = time.perf_counter() - started
    return {"stage": "parse", "workers": workers, "articles": count, "seconds": seconds}


def run_ingest(folder: Path, workers: int) -> dict:
    import quotegraph

    with tempfile.TemporaryDirectory() as tmp, quotegraph.open(Path(tmp) / "bench.db") as qg:
        started = time.perf_counter()
        report = qg.ingest([folder], workers=workers)
        seconds = time.perf_counter() - started
        statements = qg.counts()["statements"]
    return {
        "stage": "ingest",
        "workers": workers,
        "articles": report.articles_added,
        "statements": statements,
        "failures": len(report.failures),
        "seconds": seconds,
    }


def child(stage: str, folder: Path, workers: int) -> None:
    if stage != "parse":
        # Read by every worker process the ingest forks (extract.tagger.tagger_for).
        os.environ["QUOTEGRAPH_TAGGER"] = "on" if stage == "ingest+tagger" else "none"
    result = (run_parse if stage == "parse" else run_ingest)(folder, workers)
    result["stage"] = stage
    result["articles_per_second"] = result["articles"] / result["seconds"]
    result["peak_mb"] = peak_mb()
    print(json.dumps(result))


def measure(stage: str, folder: Path, workers: int) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        stage,
        "--folder",
        str(folder),
        "--workers",
        str(workers),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="Copies of the split.")
    parser.add_argument(
        "--tagger", action="store_true", help="Also ingest with the attribution tagger on."
    )
    parser.add_argument(
        "--child", choices=["parse", "ingest", "ingest+tagger"], help=argparse.SUPPRESS
    )
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder, args.workers[0])
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files, words = write_corpus(args.split, folder, args.repeat)
        print(f"# PolNeAR {args.split} x{args.repeat}: {files} articles, {words} words", flush=True)
        rows = []
        for workers in args.workers:
            stages = ("parse", "ingest", "ingest+tagger") if args.tagger else ("parse", "ingest")
            for stage in stages:
                result = measure(stage, folder, workers)
                print(json.dumps(result), flush=True)
                rows.append(result)
    print(f"\n{'stage':14} {'workers':>7} {'articles/s':>11} {'seconds':>8} {'peak MB':>8}")
    for r in rows:
        print(
            f"{r['stage']:14} {r['workers']:>7} {r['articles_per_second']:>11.2f} "
            f"{r['seconds']:>8.1f} {r['peak_mb']:>8.0f}"
        )
    for workers in args.workers:
        at = {r["stage"]: r["articles_per_second"] for r in rows if r["workers"] == workers}
        for stage in ("ingest", "ingest+tagger"):
            if stage in at:
                ratio = at[stage] / at["parse"]
                print(f"{stage}/parse ratio at {workers} worker(s): {ratio:.2f}")


if __name__ == "__main__":
    main()
