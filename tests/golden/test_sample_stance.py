"""The sample corpus's written-in agreements and contradictions, found by the corpus passes.

``sample_expectations.json`` lists every contradiction and agreement written into the
corpus (three contradictions were added after the stance pass found them and a reading of
both articles confirmed them; their ``provenance`` says so). Done means: every listed
contradiction is found, and no contradiction outside the list is reported. Agreements are
held to the same list, minus the one the pass is known to miss (``KNOWN_MISSED_AGREEMENTS``).
A speaker repeating himself (``repeats``) is never a relation.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import quotegraph
from quotegraph.cli import sample_corpus_dir
from quotegraph.types import RelationRecord

HERE = Path(__file__).parent
EXPECTED = json.loads((HERE / "sample_expectations.json").read_text(encoding="utf-8"))[
    "contradictions"
]

# content of side a -> why the pass misses it.
KNOWN_MISSED_AGREEMENTS = {
    "We are ready to sit down with an independent mediator tomorrow morning": (
        "two different wordings of backing a mediator share only the words 'independent "
        "mediator', below the paraphrase rule's three shared words; the static word "
        "vectors score the pair 0.39"
    ),
}


# Agreements only the paraphrase rule found, which no longer decides alone once a pair model
# is shipped (on the PolNeAR train gold pairs it was right 0 times of 4): found when the
# model reads them as agreeing, missed otherwise. content of side a -> why.
MODEL_DEPENDENT_AGREEMENTS = {
    "nearly 40 percent of beds in r": (
        "'nearly 40 percent' and 'four in ten' are one figure in two wordings; the figures "
        "rule sees two different counted things and the interim pair model does not read the "
        "pair as agreeing"
    ),
}


@pytest.fixture(scope="module")
def relations(tmp_path_factory) -> list[RelationRecord]:
    db = tmp_path_factory.mktemp("stance") / "sample.db"
    with quotegraph.open(db) as qg:
        report = qg.ingest([sample_corpus_dir()])
        assert report.failures == ()
        assert report.corpus is not None
        return list(qg.relations())


def _file(record) -> str:
    return Path(record.source_file or "").name


def _matches(side: dict, record) -> bool:
    return _file(record) == side["file"] and side["content_contains"] in record.statement.content


def _pair(expected: dict, found: RelationRecord) -> bool:
    a, b = expected["a"], expected["b"]
    return (_matches(a, found.a) and _matches(b, found.b)) or (
        _matches(a, found.b) and _matches(b, found.a)
    )


def _describe(found: RelationRecord) -> str:
    return (
        f"{found.relation.relation}: {found.a.statement.speaker!r} "
        f"{found.a.statement.content[:70]!r} / {found.b.statement.speaker!r} "
        f"{found.b.statement.content[:70]!r} ({found.relation.evidence})"
    )


@pytest.mark.parametrize(
    "expected",
    [e for e in EXPECTED if e["relation"] == "contradicts"],
    ids=lambda e: e["a"]["content_contains"][:30] + " / " + e["b"]["content_contains"][:30],
)
def test_every_written_contradiction_is_found(expected, relations) -> None:
    hits = [r for r in relations if _pair(expected, r)]
    assert hits, f"not found: {expected['why']}"
    assert all(r.relation.relation == "contradicts" for r in hits), [_describe(r) for r in hits]
    assert all(r.relation.evidence for r in hits)


def test_no_contradiction_beyond_the_written_ones(relations) -> None:
    written = [e for e in EXPECTED if e["relation"] == "contradicts"]
    extra = [
        _describe(r)
        for r in relations
        if r.relation.relation == "contradicts" and not any(_pair(e, r) for e in written)
    ]
    assert extra == []


@pytest.mark.parametrize(
    "expected",
    [e for e in EXPECTED if e["relation"] == "agrees"],
    ids=lambda e: e["a"]["content_contains"][:30] + " / " + e["b"]["content_contains"][:30],
)
def test_written_agreements_are_found(expected, relations) -> None:
    reason = KNOWN_MISSED_AGREEMENTS.get(expected["a"]["content_contains"])
    hits = [r for r in relations if _pair(expected, r)]
    if reason is not None:
        assert not hits, "a known miss is found now: remove it from KNOWN_MISSED_AGREEMENTS"
        pytest.xfail(reason)
    if not hits and expected["a"]["content_contains"][:30] in MODEL_DEPENDENT_AGREEMENTS:
        pytest.xfail(MODEL_DEPENDENT_AGREEMENTS[expected["a"]["content_contains"][:30]])
    assert hits, f"not found: {expected['why']}"
    assert all(r.relation.relation == "agrees" for r in hits), [_describe(r) for r in hits]


@pytest.mark.parametrize(
    "expected",
    [e for e in EXPECTED if e["relation"] == "repeats"],
    ids=lambda e: e["a"]["content_contains"][:30] + " / " + e["b"]["content_contains"][:30],
)
def test_a_speaker_repeating_himself_is_no_relation(expected, relations) -> None:
    assert [_describe(r) for r in relations if _pair(expected, r)] == []


def test_relations_carry_names_scores_and_stories(relations) -> None:
    assert relations
    for found in relations:
        assert found.a.statement.speaker
        assert found.b.statement.speaker
        assert 0.0 < found.relation.score <= 1.0
        assert found.relation.story_id
        if found.relation.relation == "contradicts":
            assert found.a.speaker_id != found.b.speaker_id
