"""Claims: statements grouped by proposition, with sides, a short label and contradictions."""

from __future__ import annotations

from quotegraph.corpus.claims import (
    LABEL_CHARS,
    claim_sides,
    group_claims,
    opposed_pairs,
    proposition_label,
    relation_records,
)
from quotegraph.store import Store
from quotegraph.types import Article, ClaimRecord, Extraction, Relation, Statement

from .test_relations import record


def _rel(a: str, b: str, kind: str, score: float) -> Relation:
    return Relation(a, b, kind, score, "evidence")  # type: ignore[arg-type]


def test_sides_follow_the_strongest_links() -> None:
    records = [record(s, f"statement {s}", speaker=f"Speaker {s}") for s in "abc"]
    # a agrees with b (strong), b contradicts c (strong); a "agrees" with c only weakly,
    # which would put c on both sides: the strong links decide.
    relations = [
        _rel("a", "b", "agrees", 0.95),
        _rel("b", "c", "contradicts", 0.9),
        _rel("a", "c", "agrees", 0.55),
    ]
    [claim] = group_claims(records, relations, "st")
    sides = claim_sides(claim, relations)
    assert sides["a"] == sides["b"] == -sides["c"]
    assert sides[claim.label_statement or ""] == 1


def test_the_label_is_the_shortest_clear_sentence_the_members_talk_about() -> None:
    long_one = (
        "Thank you all for coming. The ferry subsidy will be paid to every island family "
        "before the winter timetable starts, and we have said so for weeks now."
    )
    a = record("a", long_one, speaker="Ana Ferro")
    b = record("b", "Island families get the ferry subsidy before winter.", speaker="Teo Brand")
    c = record("c", "No island family will see a ferry subsidy this year.", speaker="Ida Lund")
    relations = [_rel("a", "b", "agrees", 0.9), _rel("a", "c", "contradicts", 0.9)]
    [claim] = group_claims([a, b, c], relations, "st")
    assert claim.label == "Island families get the ferry subsidy before winter."
    assert claim_sides(claim, relations)["c"] == -1


def test_a_long_label_is_trimmed_at_a_word() -> None:
    words = " ".join(f"harbour{n}" for n in range(60))
    label = proposition_label([record("a", words)], [record("a", words)])
    assert len(label) <= LABEL_CHARS
    assert label.endswith("…")
    assert label[:-1].split()[-1].startswith("harbour")


def test_contradictions_are_read_off_the_sides() -> None:
    a = record("a", "the ferry subsidy is paid", speaker="Ana Ferro")
    b = record("b", "the ferry subsidy is paid in full", speaker="Teo Brand")
    c = record("c", "the ferry subsidy is not paid", speaker="Ida Lund")
    relations = [_rel("a", "b", "agrees", 0.9), _rel("a", "c", "contradicts", 0.9)]
    [claim] = group_claims([a, b, c], relations, "st")
    sides = claim_sides(claim, relations)
    found = opposed_pairs(ClaimRecord(claim, (a, b, c), sides))
    assert found == [("a", "c"), ("b", "c")]


def test_the_pieces_of_an_interrupted_quote_are_labels_of_their_own() -> None:
    quote = "The crisis is behind us … What the valley needs now is teachers and engineers."
    label = proposition_label([record("a", quote)], [record("a", quote)])
    assert label == "The crisis is behind us"


def test_relation_records_leave_out_a_speaker_related_with_himself_but_keep_reversals(
    tmp_path,
):
    # A later speaker merge can make two speakers' pair one speaker's; the listings and the
    # exports then leave it out, as the pages do, unless it is a change of position.
    text = "The harbour board will not meet. The harbour board meets on Friday, Ana Ferro said."
    article = Article(article_id="art1", text=text, title="Harbour", outlet="Lantern Gazette")
    spans = [(0, 31), (33, 63), (0, 15)]
    statements = tuple(
        Statement(f"s{n}", "art1", "indirect", text[s:e], ((s, e),), speaker="Ana Ferro")
        for n, (s, e) in enumerate(spans)
    )
    with Store.open(tmp_path / "q.db") as store:
        store.write_extractions(store.begin_run("t"), [Extraction(article, statements)])
        ids = {store.statement(f"s{n}").speaker_id for n in range(3)}
        assert len(ids) == 1
        assert None not in ids
        store.save_story_analysis(
            "st",
            [
                Relation("s0", "s1", "agrees", 0.9, "same words"),
                Relation("s0", "s2", "contradicts", 0.8, "turned", reversal=True),
            ],
            [],
        )
        listed = [(r.relation.statement_a, r.relation.statement_b) for r in relation_records(store)]
        assert listed == [("s0", "s2")]
        assert [r.relation.relation for r in relation_records(store, limit=1)] == ["contradicts"]
