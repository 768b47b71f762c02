"""The store's dispute queries on a hand-built store: pairs between two different speakers,
filtered by speaker, outlet, article, story, claim and relation; claims with two sides first;
dispute counts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quotegraph.store import Store
from quotegraph.types import Claim, DisputeCounts, Extraction, Relation

from .builders import article, statement

# Three articles, two outlets, four speakers; Jane Doe and Ann Poe each speak twice.
ARTICLES = {
    "a1": ("Wire", "2020-03-12", "Jane Doe said the bridge is safe. John Roe said it is unsafe."),
    "a2": ("Gazette", "2020-03-13", "Jane Doe said the bridge is sound. Ann Poe agreed with her."),
    "a3": ("Wire", "2020-03-14", "Ann Poe said the tolls will rise. Tom Coe said they go up."),
}
SAID = {
    "a1": (("Jane Doe", "the bridge is safe"), ("John Roe", "it is unsafe")),
    "a2": (("Jane Doe", "the bridge is sound"), ("Ann Poe", "agreed with her")),
    "a3": (("Ann Poe", "the tolls will rise"), ("Tom Coe", "they go up")),
}


def _relation(a: str, b: str, kind: str, score: float) -> Relation:
    return Relation(a, b, kind, score, f"test {a} {b}", None, "st_x")  # type: ignore[arg-type]


R1 = _relation("a1#s0", "a1#s1", "contradicts", 0.9)  # Jane vs John, inside one article
R2 = _relation("a1#s0", "a2#s0", "agrees", 0.8)  # Jane with herself
R3 = _relation("a2#s0", "a2#s1", "agrees", 0.7)  # Jane and Ann
R5 = _relation("a3#s0", "a3#s1", "agrees", 0.6)  # Ann and Tom
R6 = _relation("a2#s1", "a3#s1", "agrees", 0.5)  # Ann and Tom again
R7 = _relation("a2#s1", "a3#s0", "contradicts", 0.4)  # Ann against herself
# The small claim holds the only contradiction between two speakers; the big one holds
# more statements, but its only contradiction is Ann against herself.
SMALL = Claim("cl_small", "the bridge is safe", ("a1#s0", "a1#s1"), "a1#s0", "st_x")
BIG = Claim("cl_big", "the tolls will rise", ("a2#s0", "a2#s1", "a3#s0", "a3#s1"), "a3#s0", "st_x")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    db: Path = tmp_path_factory.mktemp("disputes") / "disputes.db"
    with Store.open(db) as writing:
        extractions = []
        for article_id, (outlet, published, text) in ARTICLES.items():
            art = article(article_id, text=text, outlet=outlet, published=published, dateline=None)
            said = [
                statement(art, seq, words, speaker=name, mention=name)
                for seq, (name, words) in enumerate(SAID[article_id])
            ]
            extractions.append(Extraction(art, tuple(said)))
        writing.write_extractions(writing.begin_run("test"), extractions)
        writing.save_story_analysis("st_x", [R1, R2, R3, R5, R6, R7], [SMALL, BIG])
    with Store.open(db, readonly=True) as reading:
        yield reading


def pairs(store: Store, **filters: object) -> list[tuple[str, str]]:
    found = store.relations_between_speakers(**filters)  # type: ignore[arg-type]
    return [(r.statement_a, r.statement_b) for r in found]


def ids(*relations: Relation) -> list[tuple[str, str]]:
    return [(r.statement_a, r.statement_b) for r in relations]


def test_a_speaker_is_never_paired_with_himself(store):
    assert len(list(store.relations())) == 6
    assert pairs(store) == ids(R1, R3, R5, R6)
    assert pairs(store, relation="contradicts") == ids(R1)
    assert pairs(store, relation="agrees") == ids(R3, R5, R6)


def test_pairs_by_speaker_name_or_id_outlet_article_statement_and_claim(store):
    john = store.speakers_called("John Roe")[0].speaker_id
    assert pairs(store, speaker="jane doe") == ids(R1, R3)
    assert pairs(store, speaker=john) == ids(R1)
    assert pairs(store, outlet="GAZETTE") == ids(R3, R6)
    assert pairs(store, article_id="a3") == ids(R5, R6)
    assert pairs(store, statement_id="a2#s1") == ids(R3, R6)
    assert pairs(store, claim_id="cl_big") == ids(R3, R5, R6)
    assert pairs(store, story_id="st_x", relation="agrees", limit=2, offset=1) == ids(R5, R6)
    assert pairs(store, speaker="Nobody Here") == []
    assert pairs(store, story_id="st_nope") == []


def test_speaker_and_outlet_must_hold_for_the_same_statement(store):
    # Jane spoke in the Wire (a1) and in the Gazette (a2): only her Gazette words count.
    assert pairs(store, speaker="Jane Doe", outlet="Gazette") == ids(R3)
    assert pairs(store, speaker="John Roe", outlet="Gazette") == []


def claim_ids(store: Store, **filters: object) -> list[str]:
    return [c.claim_id for c in store.claims_disputed_first(**filters)]  # type: ignore[arg-type]


def test_claims_with_two_sides_come_first(store):
    assert [c.claim_id for c in store.claims()] == ["cl_big", "cl_small"]  # by size
    assert claim_ids(store) == ["cl_small", "cl_big"]
    assert claim_ids(store, relation="contradicts") == ["cl_small"]
    assert claim_ids(store, relation="agrees") == ["cl_big"]
    assert claim_ids(store, speaker="tom coe") == ["cl_big"]
    assert claim_ids(store, outlet="wire") == ["cl_small", "cl_big"]
    assert claim_ids(store, speaker="Jane Doe", outlet="Gazette") == ["cl_big"]
    assert claim_ids(store, story_id="st_x", limit=1, offset=1) == ["cl_big"]
    assert claim_ids(store, speaker="Nobody Here") == []
    assert next(store.claims_disputed_first()).statement_ids == SMALL.statement_ids


def test_dispute_counts_leave_out_a_speaker_with_himself(store):
    counts = store.dispute_counts()
    assert (counts.contradictions, counts.agreements) == (1, 3)
    assert (counts.claims, counts.disputed_claims) == (2, 1)
    assert store.dispute_counts("st_x") == counts
    assert store.dispute_counts("st_nope") == DisputeCounts(0, 0, 0, 0)


def test_a_reversal_is_listed_and_counted_but_makes_no_claim_two_sided(tmp_path: Path) -> None:
    said = {
        "r1": ("Wire", "2020-04-01", "Ann Poe said the tolls will rise.", "the tolls will rise"),
        "r2": ("Wire", "2020-04-09", "Ann Poe said the tolls will not rise.", "will not rise"),
        "r3": ("Wire", "2020-04-10", "Ann Poe said again the tolls will not rise.", "not rise"),
    }
    db = tmp_path / "reversal.db"
    with Store.open(db) as writing:
        extractions = []
        for article_id, (outlet, published, text, words) in said.items():
            art = article(article_id, text=text, outlet=outlet, published=published, dateline=None)
            said_here = statement(art, 0, words, speaker="Ann Poe", mention="Ann Poe")
            extractions.append(Extraction(art, (said_here,)))
        writing.write_extractions(writing.begin_run("test"), extractions)
        turn = Relation("r1#s0", "r2#s0", "contradicts", 0.9, "turn", "cl_t", "st_t", True)
        repeat = Relation("r2#s0", "r3#s0", "agrees", 0.8, "repeat", "cl_t", "st_t")
        claim = Claim("cl_t", "the tolls will rise", ("r1#s0", "r2#s0", "r3#s0"), "r1#s0", "st_t")
        writing.save_story_analysis("st_t", [turn, repeat], [claim])
    with Store.open(db, readonly=True) as reading:
        listed = list(reading.relations_between_speakers())
        assert [(r.statement_a, r.statement_b, r.reversal) for r in listed] == [
            ("r1#s0", "r2#s0", True)
        ]
        counts = reading.dispute_counts()
        assert (counts.contradictions, counts.agreements) == (1, 0)
        assert counts.disputed_claims == 0
