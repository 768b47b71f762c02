"""The statement act (speech, belief, intention, action): stored, read back, filtered, and
filled in for statements stored before the column existed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quotegraph.store import Store, connection
from quotegraph.store.schema import MIGRATIONS
from quotegraph.types import Extraction

from .builders import article, statement


def _mixed_acts() -> Extraction:
    art = article("a1")
    said = statement(art, 0, "The ministry will act")
    acted = statement(art, 1, "We are ready,", act="action", rule="learned")
    return Extraction(art, (said, acted))


def test_act_round_trips_and_filters(store: Store) -> None:
    run_id = store.begin_run("t")
    store.write_extractions(run_id, [_mixed_acts()])
    assert [r.statement.act for r in store.statements()] == ["speech", "action"]
    assert [r.statement.act for r in store.statements(act="speech")] == ["speech"]
    assert [r.statement.act for r in store.statements(act="action")] == ["action"]
    assert list(store.statements(act="belief")) == []


def test_counts_follow_the_act_filter(store: Store) -> None:
    # The search page's "N statements match" must count what the listing shows.
    run_id = store.begin_run("t")
    store.write_extractions(run_id, [_mixed_acts()])
    assert store.count_statements() == 2
    assert store.count_statements(act="speech") == 1
    assert store.count_statements(act="action", speaker="nobody") == 0


def test_migration_types_stored_learned_statements_as_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    act_version = next(m.version for m in MIGRATIONS if m.name.startswith("statement act"))
    with monkeypatch.context() as patched:
        # A store as it was right after the act migration; later migrations come on reopening.
        patched.setattr(connection, "MIGRATIONS", MIGRATIONS[:act_version])
        with Store.open(path) as store:
            store.write_extractions(store.begin_run("t"), [_mixed_acts()])
    # Undo the act migration, as a store made before it would be.
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("ALTER TABLE statements DROP COLUMN act")
    conn.execute("DELETE FROM migrations WHERE version >= ?", (act_version,))
    conn.close()
    with Store.open(path) as store:
        assert [r.statement.act for r in store.statements()] == ["speech", "action"]
