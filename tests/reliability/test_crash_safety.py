"""SIGKILL an ingest at random points, many times, then finish it: nothing lost, nothing twice.

One store is ingested into again and again by ``quotegraph ingest`` in a subprocess, and each
run is killed with SIGKILL (no cleanup, no atexit, no rollback by Python) at a seeded random
point: during interpreter start and model loading, while the schema is being created, at a
random moment of the run, inside a write transaction, and right after a chunk was committed.
After every kill the store must be a consistent prefix of a clean run; after one final
uninterrupted run it must equal a clean run into a fresh store, table by table.

The corpus has 72 articles so that the pipeline writes them in two transactions (its chunks
hold 64), which gives the kills a partly written store to land on as well.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import quotegraph
from quotegraph.errors import QuotegraphError

from .corpus import generate, write_corpus
from .helpers import TABLES, cli_env, exported, integrity, run_cli, script

ARTICLES = 72
FEED_RECORDS = 8
CHUNK = 64
"""pipeline.ingest_paths' default chunk_size: articles written per transaction."""
KILLS = 30
SEED = 20250314

CAN_SEE_LOCKS = sys.platform.startswith("linux")
if CAN_SEE_LOCKS:
    import fcntl

pytestmark = pytest.mark.skipif(
    not CAN_SEE_LOCKS, reason="needs SIGKILL and Linux F_GETLK to find write transactions"
)


def _start(corpus: Path, db: Path) -> subprocess.Popen[bytes]:
    # Its own session, so the kill reaches the whole process group, as an OOM killer or a
    # power cut would; output is discarded so a full pipe can never stall the child.
    return subprocess.Popen(
        [str(script()), "ingest", str(corpus), "--db", str(db), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=cli_env(),
        start_new_session=True,
    )


_WAL_WRITE_LOCK = 120
"""Byte of the ``-shm`` file that SQLite's unix VFS locks for the WAL write lock
(``(22 + SQLITE_SHM_NLOCK) * 4`` + lock 0): held exactly while a write transaction is open."""
_FLOCK = "hhqqi"
"""``struct flock`` on Linux (l_type, l_whence, l_start, l_len, l_pid)."""


def _writer_holds_lock(db: Path) -> bool:
    """Whether another process is inside a write transaction, asked of the kernel (F_GETLK).

    The probe is passive on purpose: an SQLite connection opened here would rebuild the WAL
    index or checkpoint the WAL on close, doing the recovery the next ingest must do itself.
    """
    try:
        fd = os.open(f"{db}-shm", os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        query = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, _WAL_WRITE_LOCK, 1, 0)
        answer = struct.unpack(_FLOCK, fcntl.fcntl(fd, fcntl.F_GETLK, query))
        return answer[0] != fcntl.F_UNLCK
    finally:
        os.close(fd)


def _wal_size(db: Path) -> int:
    try:
        return os.stat(f"{db}-wal").st_size
    except FileNotFoundError:
        return 0


def _wait_until(
    proc: subprocess.Popen[bytes], condition: Callable[[], bool], *, pause: float = 0.0005
) -> bool:
    """Poll ``condition`` while the process lives; False if it exited first."""
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(pause)
    return False


def _in_long_write(db: Path) -> bool:
    # A transaction still open 3 ms after it was seen is the schema being created or a
    # chunk being written, not begin_run's one-row insert; a kill then lands inside it.
    if not _writer_holds_lock(db):
        return False
    time.sleep(0.003)
    return _writer_holds_lock(db)


NO_SCHEMA = -1
"""Store state before the schema exists (otherwise the state is the number of articles)."""


def _next_mode(state: int, kills: Counter[str], rng: random.Random) -> str:
    """Where to kill next, from what the store holds: first inside the schema creation, then
    inside the first chunk's write transaction, then right after a commit (a half-written
    store), then at random moments of the now shorter runs."""
    if state == NO_SCHEMA:
        return "in_migration" if kills["in_migration"] < 3 else "after_migration"
    if state == 0:
        return "in_chunk_write" if kills["in_chunk_write"] < 6 else "after_commit"
    return rng.choice(["load", "anywhere"])


def _kill_point(
    mode: str, proc: subprocess.Popen[bytes], db: Path, rng: random.Random, run_seconds: float
) -> bool:
    """Wait for this mode's moment; False if the run finished before it came."""
    if mode == "load":  # interpreter start, imports, store open, spaCy model load
        time.sleep(rng.uniform(0.0, 0.9 * run_seconds))
        return True
    if mode == "anywhere":
        time.sleep(rng.uniform(0.0, run_seconds))
        return True
    if mode == "in_migration":
        # The schema is created in one ~4 ms transaction, the first write of a fresh store:
        # poll without pausing and kill the moment its lock shows.
        return _wait_until(proc, lambda: _writer_holds_lock(db), pause=0)
    if mode == "in_chunk_write":  # ~20 ms for the first chunk of 64 articles
        if not _wait_until(proc, lambda: _in_long_write(db)):
            return False
        time.sleep(rng.uniform(0.0, 0.005))
        return True
    # after_migration / after_commit: a commit appends its pages to the WAL; kill as soon
    # as it has grown and the write lock is free again.
    start = _wal_size(db)
    return _wait_until(proc, lambda: _wal_size(db) > start + 64_000 and not _writer_holds_lock(db))


def _statements_by_article(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["article_id"], []).append(row)
    return grouped


def _snapshot(db: Path, into: Path) -> Path:
    """Copy the store's files as the kill left them, so checking them changes nothing that
    the next ingest will find (a connection here could checkpoint or recover the WAL)."""
    if into.exists():
        shutil.rmtree(into)
    into.mkdir()
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{db}{suffix}")
        if source.exists():
            shutil.copyfile(source, into / f"{db.name}{suffix}")
    return into / db.name


def _check_consistent_prefix(db: Path, clean: dict[str, list[dict[str, Any]]]) -> int:
    """After a kill: an intact file whose articles are whole chunks, each article complete
    with exactly the statements a clean run gives it. Returns the number of articles."""
    if not db.exists():
        return NO_SCHEMA
    db = _snapshot(db, db.parent / "snapshot")
    try:
        store = quotegraph.open(db, readonly=True)
    except QuotegraphError as error:
        if error.code == "E030":  # killed before the schema was created
            return NO_SCHEMA
        raise
    store.close()
    assert integrity(db) == []
    articles = exported(db, "articles")
    assert len(articles) in (0, CHUNK, ARTICLES), len(articles)  # one transaction per chunk
    stored = _statements_by_article(exported(db, "statements"))
    for article in articles:
        assert stored.get(article["article_id"], []) == clean.get(article["article_id"], [])
    return len(articles)


@pytest.mark.slow
def test_sigkill_at_random_points_then_one_full_run_equals_a_clean_run(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", ARTICLES, feed_records=FEED_RECORDS)
    clean_db, crash_db = tmp_path / "clean.db", tmp_path / "crash.db"

    started = time.monotonic()
    done = run_cli(["ingest", corpus, "--db", clean_db, "--workers", "1"])
    clean_seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    expected = {table: exported(clean_db, table) for table in TABLES}
    assert len(expected["articles"]) == ARTICLES
    clean_statements = _statements_by_article(expected["statements"])
    assert len(clean_statements) == ARTICLES  # every generated article holds a statement

    # A run into a full store still starts Python and loads the model: the shortest run,
    # which bounds the random delays once the store has filled up.
    started = time.monotonic()
    assert run_cli(["ingest", corpus, "--db", clean_db, "--workers", "1"]).returncode == 0
    noop_seconds = time.monotonic() - started

    rng = random.Random(SEED)
    kills: Counter[str] = Counter()
    finished_first = 0
    state = NO_SCHEMA
    states_seen = {state}
    for _attempt in range(4 * KILLS):
        if sum(kills.values()) >= KILLS:
            break
        mode = _next_mode(state, kills, rng)
        proc = _start(corpus, crash_db)
        try:
            run_seconds = clean_seconds if state in (NO_SCHEMA, 0) else noop_seconds
            alive = _kill_point(mode, proc, crash_db, rng, run_seconds)
            if alive and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        finally:
            code = proc.wait(timeout=120)
        before, state = state, _check_consistent_prefix(crash_db, clean_statements)
        states_seen.add(state)
        if code == -signal.SIGKILL:
            # A kill aimed inside a transaction counts as such only if nothing of the
            # transaction landed; on a slow machine the commit may win the race.
            if mode == "in_migration" and state != before:
                mode = "after_migration"
            elif mode == "in_chunk_write" and state != before:
                mode = "after_commit"
            kills[mode] += 1
        else:
            assert code == 0, (mode, code)
            finished_first += 1

    print(f"kills by phase: {dict(kills)}; runs that finished before their kill: "
          f"{finished_first}; store states seen: {sorted(states_seen)}")  # fmt: skip
    assert sum(kills.values()) >= KILLS, (kills, finished_first)
    assert kills["in_migration"] >= 1, kills
    assert kills["in_chunk_write"] >= 3, kills
    assert kills["load"] + kills["anywhere"] >= 15, kills
    assert states_seen >= {NO_SCHEMA, 0, CHUNK}, states_seen

    final = run_cli(["ingest", corpus, "--db", crash_db, "--workers", "1"])
    assert final.returncode == 0, final.stderr
    assert integrity(crash_db) == []
    for table in TABLES:
        assert exported(crash_db, table) == expected[table], table

    # Full-text search agrees with the clean store (the FTS index survived every kill).
    words = ["winter", "council", "Vellin", "Ekwall", "harbour", "promised", "strike*"]
    words += [a.speaker.split()[1] for a in generate(5)]
    with (
        quotegraph.open(crash_db, readonly=True) as crashed,
        quotegraph.open(clean_db, readonly=True) as clean,
    ):
        for word in words:
            got = [r.statement.statement_id for r in crashed.statements(q=word)]
            want = [r.statement.statement_id for r in clean.statements(q=word)]
            assert got == want, word
            assert [a.article_id for a in crashed.store.search_articles(word, None)] == [
                a.article_id for a in clean.store.search_articles(word, None)
            ], word
        assert any(list(crashed.statements(q=word)) for word in words)
        assert crashed.counts() == clean.counts()
