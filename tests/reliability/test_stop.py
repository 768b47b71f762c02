"""Stopping a run: nothing of it keeps running, what it committed stays, a re-run finishes it.

``quotegraph ingest --workers 2`` and ``quotegraph batch --engine local --workers 2`` are
started in a session of their own, so that every process they start (the forked workers
included, even once re-parented to init) can be found by its session id in ``/proc``. Only
the command's own process gets the signal, as from an OOM killer (SIGKILL) or ``timeout``,
a job scheduler or a container stop (SIGTERM); Ctrl-C is SIGINT to the whole process group.
The test's ``finally`` kills whatever is left, so a failing test leaves no orphans either.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import quotegraph

from .corpus import generate, write_corpus
from .helpers import cli_env, integrity, run_cli, script

ARTICLES = 300
"""Enough that a 2-worker ingest is still running well after its first commit (about four
more chunks), and few enough that the re-run which completes it stays short."""
FIRST_CHUNK = 64
"""pipeline.ingest_paths' default chunk_size: the articles of the first commit."""
WORKERS = 2
GONE_WITHIN = 10.0
"""Seconds within which every process of a killed command must have ended."""
STOP_MESSAGE = re.compile(r"stopped after (\d+) articles; run the same command again to continue")

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds processes by session id in /proc"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("stop") / "corpus", ARTICLES)


def live_session_processes(session: int) -> list[str]:
    """Processes of ``session`` that still run (zombies hold no memory and are skipped)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path("/proc", entry, "stat").read_text()
        except OSError:  # ended while we looked
            continue
        # "pid (comm) state ppid pgrp session ...": comm may hold spaces and brackets.
        fields = stat[stat.rindex(")") + 2 :].split()
        state, parent, in_session = fields[0], fields[1], int(fields[3])
        if in_session == session and state != "Z":
            found.append(f"pid {entry} (parent {parent}, state {state})")
    return found


def wait_until_gone(session: int, seconds: float = GONE_WITHIN) -> list[str]:
    deadline = time.monotonic() + seconds
    while (left := live_session_processes(session)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def stored_articles(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    except sqlite3.OperationalError:  # not created yet
        return 0
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # no schema yet, or busy
        return 0
    finally:
        conn.close()


class Command:
    """A CLI command in its own session; its output goes to files, so no pipe can fill."""

    def __init__(self, args: list[str], directory: Path) -> None:
        self.stdout_path = directory / "stdout.txt"
        self.stderr_path = directory / "stderr.txt"
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            self.process = subprocess.Popen(
                [str(script()), *args],
                stdout=out,
                stderr=err,
                env=cli_env(),
                start_new_session=True,
            )
        self.pid = self.process.pid

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, condition: Callable[[], bool], what: str, seconds: float = 300) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if self.process.poll() is not None:
                pytest.fail(f"exited ({self.process.returncode}) before {what}: {self.stderr()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} within {seconds:.0f}s: {self.stderr()}")
            time.sleep(0.1)

    def wait_for_workers(self) -> None:
        self.wait_for(lambda: len(live_session_processes(self.pid)) > WORKERS, "workers")

    def kill_what_is_left(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def started(tmp_path: Path) -> Iterator[Callable[[list[str]], Command]]:
    commands: list[Command] = []

    def start(args: list[str]) -> Command:
        commands.append(Command(args, tmp_path))
        return commands[-1]

    yield start
    for command in commands:
        command.kill_what_is_left()


def ingest_args(corpus: Path, db: Path) -> list[str]:
    return ["ingest", str(corpus), "--db", str(db), "--workers", str(WORKERS)]


def batch_args(corpus: Path, out: Path) -> list[str]:
    return ["batch", str(corpus), "--out", str(out), "--engine", "local", "--workers", "2"]


@pytest.mark.slow
def test_sigkill_of_an_ingest_leaves_no_process_of_it(
    corpus: Path, tmp_path: Path, started: Callable[[list[str]], Command]
) -> None:
    db = tmp_path / "store.db"
    command = started(ingest_args(corpus, db))
    command.wait_for_workers()
    command.wait_for(lambda: stored_articles(db) >= FIRST_CHUNK, "first commit")
    os.kill(command.pid, signal.SIGKILL)
    command.process.wait()
    left = wait_until_gone(command.pid)
    assert not left, f"still running {GONE_WITHIN:.0f}s after the ingest was killed: {left}"


@pytest.mark.slow
def test_sigkill_of_a_local_batch_leaves_no_process_of_it(
    corpus: Path, tmp_path: Path, started: Callable[[list[str]], Command]
) -> None:
    pytest.importorskip("pyarrow", reason="batch needs the 'batch' extra")
    command = started(batch_args(corpus, tmp_path / "shards"))
    command.wait_for_workers()
    time.sleep(3)  # the workers load the model and start parsing
    os.kill(command.pid, signal.SIGKILL)
    command.process.wait()
    left = wait_until_gone(command.pid)
    assert not left, f"still running {GONE_WITHIN:.0f}s after the batch was killed: {left}"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "whole_group"),
    [(signal.SIGTERM, False), (signal.SIGINT, True)],
    ids=["sigterm-to-the-command", "ctrl-c-to-the-group"],
)
def test_a_signal_stops_an_ingest_which_a_rerun_completes(
    corpus: Path,
    tmp_path: Path,
    started: Callable[[list[str]], Command],
    signum: signal.Signals,
    whole_group: bool,
) -> None:
    db = tmp_path / "store.db"
    command = started(ingest_args(corpus, db))
    command.wait_for_workers()
    command.wait_for(lambda: stored_articles(db) >= FIRST_CHUNK, "first commit")
    if whole_group:
        os.killpg(command.pid, signum)
    else:
        os.kill(command.pid, signum)
    try:
        code = command.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running 60s after {signum.name}: {command.stderr()}")
    stderr = command.stderr()
    assert code == 128 + signum, stderr
    assert "Traceback" not in stderr
    message = STOP_MESSAGE.search(stderr)
    assert message, stderr
    stored = stored_articles(db)
    assert int(message.group(1)) == stored
    assert FIRST_CHUNK <= stored < ARTICLES
    assert not wait_until_gone(command.pid)
    assert integrity(db) == []

    rerun = run_cli(ingest_args(corpus, db), timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert stored_articles(db) == ARTICLES
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        sources = [row[0] for row in conn.execute("SELECT source_file FROM articles")]
        without_statements = conn.execute(
            "SELECT count(*) FROM articles WHERE article_id NOT IN "
            "(SELECT article_id FROM statements)"
        ).fetchone()[0]
    finally:
        conn.close()
    assert sorted(Path(s).name for s in sources) == sorted(p.name for p in corpus.iterdir())
    # Every generated article holds a quotation: none was stored without its statements.
    assert without_statements == 0
    assert integrity(db) == []


@pytest.mark.slow
def test_sigterm_stops_a_local_batch_without_a_manifest(
    corpus: Path, tmp_path: Path, started: Callable[[list[str]], Command]
) -> None:
    pytest.importorskip("pyarrow", reason="batch needs the 'batch' extra")
    out = tmp_path / "shards"
    command = started(batch_args(corpus, out))
    command.wait_for_workers()
    time.sleep(3)
    os.kill(command.pid, signal.SIGTERM)
    try:
        code = command.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running 60s after SIGTERM: {command.stderr()}")
    stderr = command.stderr()
    assert code == 128 + signal.SIGTERM, stderr
    assert re.search(r"stopped after \d+ articles; .* is an unfinished run", stderr), stderr
    assert "Traceback" not in stderr
    assert not (out / "_manifest.json").exists()
    assert not wait_until_gone(command.pid)


# A parent that forks one worker the way the pool does, with the kernel's parent-death
# signal unavailable (as off Linux), prints the worker's pid and kills itself.
_ORPHAN_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys, time
    import quotegraph.workers as workers

    workers._set_parent_death_signal = lambda: False
    parent = os.getpid()
    child = os.fork()
    if child == 0:
        workers.die_with_parent(parent)
        time.sleep(120)
        os._exit(0)
    print(child, flush=True)
    time.sleep(0.5)
    os.kill(parent, signal.SIGKILL)
    """
)


def test_a_worker_without_the_death_signal_still_ends_with_its_parent() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", _ORPHAN_SCRIPT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(),
        start_new_session=True,
    ) as parent:
        try:
            stdout, stderr = parent.communicate(timeout=60)
            assert parent.returncode == -signal.SIGKILL, stderr
            assert stdout.strip().isdigit(), stderr
            left = wait_until_gone(parent.pid)
            assert not left, f"the orphaned worker still runs: {left}"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(parent.pid, signal.SIGKILL)


TOKEN = "stop-test-token"


@pytest.mark.slow
def test_serve_answers_the_request_in_flight_then_ends_on_sigterm(
    tmp_path: Path, started: Callable[[list[str]], Command]
) -> None:
    """A POST whose body is still arriving when SIGTERM comes is answered in full (the
    article is parsed and stored), new connections are refused, and the server ends
    without a traceback."""
    pytest.importorskip("uvicorn", reason="serve needs the 'web' extra")
    with socket.socket() as probe:  # a free loopback port (released just before use)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    db = tmp_path / "served.db"
    quotegraph.open(db).close()  # serve refuses a store that does not exist (E034)
    command = started(["serve", "--db", str(db), "--port", str(port), "--token", TOKEN])
    command.wait_for(lambda: _answers(port), "server start", seconds=120)

    article = generate(1, seed=26)[0]
    body = json.dumps({"title": article.title, "text": article.text}).encode()
    head = (
        f"POST /api/v1/articles HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=180) as client:
        client.sendall(head + body[:10])
        time.sleep(1.0)  # the server has read the request's head: it is in flight
        os.kill(command.pid, signal.SIGTERM)
        time.sleep(2.0)  # uvicorn looks at its exit flag every 0.1 s
        assert command.process.poll() is None, "ended with a request in flight"
        assert not _answers(port), "still accepting new connections after SIGTERM"
        client.sendall(body[10:])
        response = _read_until_closed(client)
    response_head, _, payload = response.partition(b"\r\n\r\n")
    assert response_head.startswith(b"HTTP/1.1 201"), response[:500]
    assert json.loads(payload)["articles_added"] == 1
    code = command.process.wait(timeout=60)
    stderr = command.stderr()
    assert code in (0, -signal.SIGTERM), stderr
    assert "Traceback" not in stderr
    assert "Finished server process" in stderr
    assert stored_articles(db) == 1


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
            conn.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return _read_until_closed(conn).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def _read_until_closed(conn: socket.socket) -> bytes:
    received = []
    while chunk := conn.recv(65536):
        received.append(chunk)
    return b"".join(received)
