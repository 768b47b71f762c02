"""Opening, checking and migrating a SQLite connection; write transactions.

Connections run in autocommit mode (``isolation_level=None``) so that every transaction is
explicit: writes use ``BEGIN IMMEDIATE``, which takes the write lock up front and therefore
waits on ``busy_timeout`` instead of failing half-way with "database is locked".
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from quotegraph.errors import QuotegraphError
from quotegraph.store.schema import (
    APPLICATION_ID,
    LATEST_VERSION,
    MIGRATIONS,
    MIGRATIONS_COLUMNS,
    MIGRATIONS_TABLE,
)

MEMORY = ":memory:"
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_NOTADB = 26


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _primary_code(exc: sqlite3.Error) -> int:
    # Extended result codes carry the primary code in their low byte.
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF


def translate(exc: sqlite3.Error, source: str | None) -> QuotegraphError:
    """The coded error for a failed write: busy (E032) or anything else (E033)."""
    busy = _primary_code(exc) in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return QuotegraphError("E032" if busy else "E033", source=source, detail=str(exc))


def connect(
    path: str | os.PathLike[str], *, readonly: bool, busy_timeout: float
) -> sqlite3.Connection:
    """A configured, checked and migrated connection to the store at ``path``.

    Two processes that create one store at once race for it: switching a new file to WAL
    takes an exclusive lock that SQLite's busy handler does not always wait for, so an open
    refused as busy is tried again until ``busy_timeout`` has passed."""
    source = os.fspath(path)
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            return _connect_once(source, readonly=readonly, busy_timeout=busy_timeout)
        except QuotegraphError as exc:
            if exc.code != "E032" or time.monotonic() >= deadline:
                raise
            time.sleep(_OPEN_RETRY_SECONDS)


_OPEN_RETRY_SECONDS = 0.05


def _connect_once(source: str, *, readonly: bool, busy_timeout: float) -> sqlite3.Connection:
    conn = _raw_connect(source, readonly=readonly, busy_timeout=busy_timeout)
    try:
        version = _inspect(conn, source)
        _configure(conn, memory=source == MEMORY, readonly=readonly)
        if readonly and version == 0:
            raise QuotegraphError("E030", source=source, detail="empty database")
        if version < LATEST_VERSION:
            if readonly:
                raise QuotegraphError(
                    "E033", source=source, detail="store needs migrating; open it read-write once"
                )
            migrate(conn, source)
    except sqlite3.Error as exc:
        conn.close()
        raise _open_error(exc, source) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _raw_connect(source: str, *, readonly: bool, busy_timeout: float) -> sqlite3.Connection:
    if readonly and source != MEMORY and not Path(source).is_file():
        raise QuotegraphError("E034", source=source, detail="no such file")
    target = source
    if readonly and source != MEMORY:
        target = f"{Path(source).absolute().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(
            target, timeout=busy_timeout, isolation_level=None, uri=target != source
        )
    except sqlite3.Error as exc:
        raise _open_error(exc, source) from exc
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    return conn


def _open_error(exc: sqlite3.Error, source: str) -> QuotegraphError:
    if _primary_code(exc) == _SQLITE_NOTADB:
        return QuotegraphError("E030", source=source, detail="not an SQLite database")
    return translate(exc, source)


def _inspect(conn: sqlite3.Connection, source: str) -> int:
    """The store's schema version (0 for an empty database), or E030/E031.

    Runs before any PRAGMA that writes, so a foreign database is left exactly as it was.
    """
    if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
        return 0
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    columns = {r[1] for r in conn.execute("PRAGMA table_info(migrations)")}
    if app_id not in (0, APPLICATION_ID) or not columns >= MIGRATIONS_COLUMNS:
        raise QuotegraphError("E030", source=source, detail="no quotegraph migrations table")
    version = conn.execute("SELECT coalesce(max(version), 0) FROM migrations").fetchone()[0]
    if version > LATEST_VERSION:
        raise QuotegraphError(
            "E031", source=source, detail=f"schema {version}, this code knows {LATEST_VERSION}"
        )
    return int(version)


def _configure(conn: sqlite3.Connection, *, memory: bool, readonly: bool) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    # Every listing has an index made for it; an automatic index built mid-query on a
    # misestimated plan only ever cost time (a whole-table build for one page).
    conn.execute("PRAGMA automatic_index = OFF")
    if readonly:
        return  # journal mode is a property of the file; a reader cannot change it
    if not memory:
        # WAL lets readers keep reading while one writer writes; NORMAL is durable in WAL
        # except for the last transactions before a power loss, which ingest can redo.
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


def migrate(conn: sqlite3.Connection, source: str | None = None) -> int:
    """Apply every pending migration in one transaction; returns the resulting version."""
    with write_transaction(conn, source):
        conn.execute(MIGRATIONS_TABLE)
        # Re-read under the write lock: another process may have migrated meanwhile.
        current = conn.execute("SELECT coalesce(max(version), 0) FROM migrations").fetchone()[0]
        for migration in MIGRATIONS:
            if migration.version <= current:
                continue
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, utc_now()),
            )
    return LATEST_VERSION


@contextmanager
def write_transaction(conn: sqlite3.Connection, source: str | None = None) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error; SQLite errors → E032/E033."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise translate(exc, source) from exc
    try:
        yield
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        _rollback(conn)
        raise translate(exc, source) from exc
    except UnicodeEncodeError as exc:
        # Lone surrogates in text cannot be encoded as UTF-8 for SQLite.
        _rollback(conn)
        detail = f"text is not valid Unicode: {exc}"
        raise QuotegraphError("E033", source=source, detail=detail) from exc
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")
