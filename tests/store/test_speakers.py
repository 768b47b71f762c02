"""Speakers: deterministic ids, aliases and roles, listing, and merging."""

from __future__ import annotations

import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.store import Store, speaker_id_for
from quotegraph.types import Extraction

from .builders import article, extraction, statement


def test_speaker_id_is_deterministic_and_normalised() -> None:
    sid = speaker_id_for("Jane Doe", "person")
    assert sid.startswith("sp_")
    assert len(sid) == 15
    assert int(sid[3:], 16) >= 0
    assert speaker_id_for("  jane\tDOE ", "person") == sid
    assert speaker_id_for("Jane Doe", "organization") != sid
    assert speaker_id_for("Jane Roe", "person") != sid


def _two_speakers(store: Store) -> None:
    art = article("b1")
    by_un = statement(
        art,
        0,
        "The ministry will act",
        speaker="United Nations",
        mention="the UN",
        speaker_type="organization",
    )
    by_jane = statement(art, 1, "We are ready,", speaker="Jane Doe", mention="Ms Doe")
    run_id = store.begin_run("t")
    store.write_extractions(run_id, [extraction("a1"), Extraction(art, (by_un, by_jane))])


def test_speakers_have_aliases_roles_and_counts(store: Store) -> None:
    _two_speakers(store)
    jane, un = list(store.speakers())
    assert jane.speaker_id == speaker_id_for("Jane Doe", "person")
    assert (jane.name, jane.speaker_type, jane.statement_count) == ("Jane Doe", "person", 3)
    assert jane.aliases == ("Jane Doe", "Ms Doe")  # "she" is a pronoun, not an alias
    assert jane.roles == ("health minister",)
    assert (un.name, un.speaker_type, un.statement_count) == ("United Nations", "organization", 1)
    assert un.aliases == ("United Nations", "the UN")
    assert store.speaker(un.speaker_id) == un
    assert [s.name for s in store.speakers(limit=1)] == ["Jane Doe"]
    assert len(list(store.statements(speaker="the un"))) == 1


def test_reassign_speakers_merges(store: Store) -> None:
    _two_speakers(store)
    jane = speaker_id_for("Jane Doe", "person")
    un = speaker_id_for("United Nations", "organization")
    assert store.reassign_speakers({un: jane}) == 1
    assert store.speaker(un) is None
    merged = store.speaker(jane)
    assert merged is not None
    assert merged.statement_count == 4
    assert "the UN" in merged.aliases
    assert {r.speaker_id for r in store.statements()} == {jane}
    # The in-article name stays what the article said.
    assert store.statement("b1#s0").statement.speaker == "United Nations"  # type: ignore[union-attr]
    assert len(list(store.statements(speaker="United Nations"))) == 4
    assert store.counts()["speakers"] == 1


def test_merge_survives_later_ingest(store: Store) -> None:
    _two_speakers(store)
    jane = speaker_id_for("Jane Doe", "person")
    store.reassign_speakers({jane: "sp_canonical0"})
    store.write_extractions(store.begin_run("t2"), [extraction("a9")])
    assert {r.speaker_id for r in store.statements(speaker="Jane Doe")} == {"sp_canonical0"}
    assert store.speaker(jane) is None
    renamed = store.speaker("sp_canonical0")
    assert renamed is not None
    assert (renamed.name, renamed.statement_count) == ("Jane Doe", 5)


def test_reassign_resolves_chains_and_undo(store: Store) -> None:
    _two_speakers(store)
    jane = speaker_id_for("Jane Doe", "person")
    un = speaker_id_for("United Nations", "organization")
    assert store.reassign_speakers({"sp_x": jane, un: "sp_x"}) == 1  # sp_x is no speaker
    assert store.reassign_speakers({un: jane}) == 0  # un was merged away already
    assert store.reassign_speakers({jane: "sp_tmp"}) == 4
    assert store.reassign_speakers({"sp_tmp": jane}) == 4
    store.write_extractions(store.begin_run("t2"), [extraction("a9")])
    assert {r.speaker_id for r in store.statements()} == {jane}


def test_reassign_rejects_cycles_and_ignores_identity(store: Store) -> None:
    _two_speakers(store)
    jane = speaker_id_for("Jane Doe", "person")
    with pytest.raises(QuotegraphError) as err:
        store.reassign_speakers({"a": "b", "b": "a"})
    assert err.value.code == "E044"
    assert store.reassign_speakers({jane: jane}) == 0
    assert store.reassign_speakers({}) == 0
    assert store.counts()["speakers"] == 2
