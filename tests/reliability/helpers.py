"""Helpers shared by the reliability tests: the console script, exports and store checks."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import quotegraph

TABLES = ("articles", "statements", "figures", "speakers")


def script() -> Path:
    """The installed ``quotegraph`` console script (what users run)."""
    path = Path(sys.executable).with_name("quotegraph")
    assert path.exists(), f"console script not installed next to {sys.executable}"
    return path


def cli_env(**extra: str) -> dict[str, str]:
    # Wide and colourless, so every failure stays on one line and can be matched.
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}}
    return env | {"COLUMNS": "400", "NO_COLOR": "1", **extra}


def run_cli(
    args: Sequence[str | os.PathLike[str]], *, timeout: float = 180, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI; on timeout kill its whole process group (the CLI and its ingest workers,
    which ``subprocess.run`` would leave behind as orphans) and raise ``TimeoutExpired``."""
    command = [str(script()), *map(str, args)]
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(),
        cwd=cwd,
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def exported(db: Path, table: str) -> list[dict[str, Any]]:
    """One table exported as JSONL by the library, parsed, sorted by its first column."""
    buffer = io.StringIO()
    with quotegraph.open(db, readonly=True) as qg:
        qg.export(table, buffer, "jsonl")
    rows = [json.loads(line) for line in buffer.getvalue().splitlines()]
    key = next(iter(rows[0])) if rows else ""
    return sorted(rows, key=lambda row: str(row[key]))


def integrity(db: Path) -> list[str]:
    """``PRAGMA integrity_check`` plus the FTS5 indexes' own consistency checks.

    A raw connection is used on purpose: this checks the file, not quotegraph's reading of it.
    The FTS5 'integrity-check' command compares each external-content index with its table,
    which is what a crash between a row write and its trigger would break.
    """
    problems: list[str] = []
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            problems.extend(rows)
        problems.extend(str(tuple(r)) for r in conn.execute("PRAGMA foreign_key_check"))
        for fts in ("statements_fts", "articles_fts"):
            try:
                # Constant table names from the tuple above; nothing user-supplied.
                conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as exc:
                problems.append(f"{fts}: {exc}")
    finally:
        conn.close()
    return problems
