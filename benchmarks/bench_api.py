"""Latency of ``GET /api/v1/statements`` on a large store, through a real uvicorn server.

Usage::

    python benchmarks/bench_api.py [--statements 1000000] [--db PATH] [--requests 100]

Builds (or reuses, with ``--db`` pointing at an existing file) a store of about
``--statements`` statements by replicating the bundled sample corpus: the sample is ingested
once with the real pipeline, then its extractions are copied with distinct article and
statement ids, texts and publication dates (one copy per ``k``, dates spread over years) and
written through ``Store.write_extractions``. spaCy runs 13 times, not a million. Figures are
not copied: nothing here reads them.

Then it starts ``quotegraph serve`` on a free loopback port and times each query type,
sequentially from one client, printing p50/p95/p99 per type in milliseconds next to the time
the same ``Store.statements`` call takes in-process (the SQL part of the request).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx2

import quotegraph
from quotegraph.cli import sample_corpus_dir
from quotegraph.serve import cursors
from quotegraph.store import Store
from quotegraph.types import Article, Extraction, Statement
from served import free_port, start_server

BATCH_ARTICLES = 2_000


def _id(*parts: object) -> str:
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:16]


def sample_extractions(workdir: Path) -> list[Extraction]:
    """The sample corpus through the real pipeline, read back as extractions."""
    db = workdir / "sample.db"
    with quotegraph.open(db) as qg:
        qg.ingest(sample_corpus_dir())
        return [
            Extraction(
                article,
                tuple(r.statement for r in qg.statements(article_id=article.article_id)),
            )
            for article in qg.articles()
        ]


def _shifted(published: str | None, days: int) -> str | None:
    if not published:
        return published
    day = date.fromisoformat(published[:10]) + timedelta(days=days)
    return day.isoformat() + published[10:]


def copy_extraction(template: Extraction, k: int) -> Extraction:
    """Copy ``k`` of an extraction: new ids and text, same offsets, a later date."""
    article = template.article
    # Appending keeps every offset valid; the marker makes each copy's text distinct.
    text = f"{article.text}\n\n[copy {k}]"
    new_article: Article = replace(
        article,
        article_id=_id(article.article_id, k),
        text=text,
        source_file=f"bench/{k}/{Path(article.source_file or 'x').name}",
        # Eight copies per day: about 100 statements a day over the years a million spans.
        published=_shifted(article.published, k // 8),
    )
    statements: list[Statement] = [
        replace(s, statement_id=_id(s.statement_id, k), article_id=new_article.article_id)
        for s in template.statements
    ]
    return Extraction(new_article, tuple(statements))


def build_store(db: Path, target: int, workdir: Path) -> None:
    templates = sample_extractions(workdir)
    per_copy = sum(len(t.statements) for t in templates)
    copies = math.ceil(target / per_copy)
    print(f"building {db}: {copies:,} copies x {per_copy} statements", file=sys.stderr)
    started = time.perf_counter()
    with Store.open(db) as store:
        run_id = store.begin_run("bench_api build")
        batch: list[Extraction] = []
        added = [0, 0]
        for k in range(copies):
            batch.extend(copy_extraction(t, k) for t in templates)
            if len(batch) >= BATCH_ARTICLES or k == copies - 1:
                articles, statements, _ = store.write_extractions(run_id, batch)
                added = [added[0] + articles, added[1] + statements]
                batch = []
                if k % 500 < 1 + BATCH_ARTICLES // len(templates):
                    rate = added[1] / (time.perf_counter() - started)
                    print(f"  {added[1]:,} statements ({rate:,.0f}/s)", file=sys.stderr)
        store.finish_run(
            run_id,
            articles_seen=added[0],
            articles_added=added[0],
            statements_added=added[1],
            figures_added=0,
            failures=0,
        )
    print(f"built in {time.perf_counter() - started:.0f}s", file=sys.stderr)


def percentiles(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": max(samples)}


def timed_get(client: httpx2.Client, params: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    response = client.get("/api/v1/statements", params=params)
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed, response.json()


def repeat(client: httpx2.Client, params: dict[str, Any], n: int) -> list[float]:
    for _ in range(3):  # warm the page cache and the server's code paths
        timed_get(client, params)
    return [timed_get(client, params)[0] for _ in range(n)]


def walk(client: httpx2.Client, params: dict[str, Any], n: int) -> list[float]:
    """``n`` successive pages, each request passing the previous page's cursor."""
    samples = []
    page_params = dict(params)
    for _ in range(n):
        elapsed, page = timed_get(client, page_params)
        samples.append(elapsed)
        if page["next_cursor"] is None:
            break
        page_params = {**params, "cursor": page["next_cursor"]}
    return samples


def store_ms(db: Path, params: dict[str, Any], n: int = 20) -> float:
    """Median time of the same query as a direct Store call (the SQL share of a request)."""
    filters = {k: v for k, v in params.items() if k not in ("limit", "cursor")}
    after = cursors.statement_after(params["cursor"]) if "cursor" in params else None
    with Store.open(db, readonly=True) as store:
        times = []
        for _ in range(n):
            started = time.perf_counter()
            list(store.statements(**filters, limit=params.get("limit", 50) + 1, after=after))
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def middle_cursor(db: Path) -> str:
    """A cursor half-way through the store, so deep pages are measured too."""
    with Store.open(db, readonly=True) as store:
        days = [a.published for a in store.articles(limit=1)]
        last = list(store.articles(limit=1, offset=store.counts()["articles"] - 1))
        first_day = date.fromisoformat((days[0] or "2025-01-01")[:10])
        last_day = date.fromisoformat((last[0].published or "2025-01-01")[:10])
        middle = first_day + (last_day - first_day) / 2
        record = next(store.statements(since=middle.isoformat(), limit=1))
    return cursors.encode(cursors.STATEMENT, record.statement.statement_id)


def queries(db: Path) -> Iterator[tuple[str, dict[str, Any], str]]:
    """(name, params, mode): mode ``repeat`` re-sends one URL, ``walk`` follows cursors."""
    middle = middle_cursor(db)
    yield "no filter, first page", {"limit": 50}, "repeat"
    yield "no filter, page after a mid cursor", {"limit": 50, "cursor": middle}, "repeat"
    yield "no filter, 100 successive pages", {"limit": 50}, "walk"
    yield "q=hospital (common)", {"q": "hospital"}, "repeat"
    yield "q=dialysis (rare)", {"q": "dialysis"}, "repeat"
    yield "q=hospital, 100 pages", {"q": "hospital"}, "walk"
    yield "q=hospital, after mid cursor", {"q": "hospital", "cursor": middle}, "repeat"
    yield "speaker=Lena Rask", {"speaker": "Lena Rask"}, "repeat"
    yield "speaker=Lena Rask, 100 pages", {"speaker": "Lena Rask"}, "walk"
    yield "speaker=rask (two speakers)", {"speaker": "rask"}, "repeat"
    yield "outlet=Meridian Post", {"outlet": "Meridian Post"}, "repeat"
    yield "kind=mixed", {"kind": "mixed"}, "repeat"
    yield "kind=direct, after mid cursor", {"kind": "direct", "cursor": middle}, "repeat"
    yield "since/until one month", {"since": "2026-01-01", "until": "2026-01-31"}, "repeat"
    yield "limit=500", {"limit": 500}, "repeat"


def measure(db: Path, requests: int) -> list[dict[str, Any]]:
    port = free_port()
    server = start_server(db, port)
    results = []
    try:
        with httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            for name, params, mode in queries(db):
                run = walk if mode == "walk" else repeat
                samples = run(client, {"limit": 50, **params}, requests)
                row = {"query": name, "n": len(samples), **percentiles(samples)}
                row["store_p50"] = store_ms(db, {"limit": 50, **params})
                results.append(row)
                print(
                    json.dumps(
                        {k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()}
                    ),
                    file=sys.stderr,
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def print_table(results: list[dict[str, Any]], counts: dict[str, int], size_mb: float) -> None:
    print(
        f"\nstore: {counts['statements']:,} statements, {counts['articles']:,} articles, "
        f"{counts['speakers']:,} speakers, {size_mb:,.0f} MB"
    )
    print(f"{'query':40} {'n':>4} {'p50':>8} {'p95':>8} {'p99':>8} {'store p50':>10}  (ms)")
    for r in results:
        print(
            f"{r['query']:40} {r['n']:>4} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} "
            f"{r['store_p50']:>10.1f}"
        )


def query_plans(db: Path) -> list[tuple[str, list[str]]]:
    """EXPLAIN QUERY PLAN of the first-page statements query of each filter."""
    # The store's own query builder, so the plans are those of the requests timed above.
    from quotegraph.store import reader

    cases: dict[str, dict[str, Any]] = {
        "no filter": {},
        "speaker=Lena Rask": {"speaker": "Lena Rask"},
        "speaker=rask": {"speaker": "rask"},
        "kind=mixed": {"kind": "mixed"},
        "outlet=Meridian Post": {"outlet": "Meridian Post"},
        "since/until": {"since": "2026-01-01", "until": "2026-01-31"},
        "q=hospital": {"q": "hospital"},
    }
    plans = []
    with Store.open(db, readonly=True) as store:
        conn = store._conn
        middle = cursors.statement_after(middle_cursor(db))
        for name, filters in cases.items():
            for after in (None, middle):
                query = reader.statement_query(conn, reader.StatementFilter(**filters), after)
                if query is None:
                    continue
                sql, params = query.sql(51)
                rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
                label = name if after is None else f"{name}, after cursor"
                plans.append((label, [str(r[3]) for r in rows]))
    return plans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="store to build, or to reuse if it exists")
    parser.add_argument("--requests", type=int, default=100, help="samples per query type")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_api_") as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if not db.exists():
            build_store(db, args.statements, Path(tmp))
        with Store.open(db, readonly=True) as store:
            counts = store.counts()
        size_mb = sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6
        results = measure(db, args.requests)
        plans = query_plans(db)
    print_table(results, counts, size_mb)
    print("\nquery plans (first page; after a mid cursor):")
    for label, lines in plans:
        print(f"  {label}: " + " | ".join(lines))


if __name__ == "__main__":
    main()
