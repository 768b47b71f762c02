"""The stance pass with the pair model deciding (a hand-built model stands in for it)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from quotegraph.corpus import relations as relations_module
from quotegraph.corpus.relations import PairStats, relations_between
from quotegraph.types import Figure, Relation

from .fake_pairs import FakePairScorer, both_ways
from .test_relations import record

NOT_QUALIFIED = "Mr Hale lacks the experience to chair the harbour board"
QUALIFIED = "Mr Hale is overwhelmingly qualified to chair the harbour board"
CONTRADICTION = (0.02, 0.08, 0.9)
AGREEMENT = (0.9, 0.08, 0.02)


def _vectors(*ids: str) -> dict[str, np.ndarray]:
    """Near-identical vectors: every pair is similar enough to be a candidate."""
    return {sid: np.array([1.0, 0.01 * n]) / np.hypot(1.0, 0.01 * n) for n, sid in enumerate(ids)}


def _relate(*records, scorer, **kwargs):
    ids = [r.statement.statement_id for r in records]
    found = relations_between(list(records), vectors=_vectors(*ids), scorer=scorer, **kwargs)
    return sorted((r.statement_a, r.statement_b, r.relation, r.reversal) for r in found)


def test_the_model_finds_a_contradiction_inside_one_article() -> None:
    a = record("a", NOT_QUALIFIED, article="x", speaker="Ida Lund")
    b = record("b", QUALIFIED, article="x", speaker="Teo Brand")
    # The rules alone miss it: no negation, and the shared words read as agreement.
    assert _kinds(relations_between([a, b])) <= {"agrees"}
    scorer = FakePairScorer(both_ways(NOT_QUALIFIED, QUALIFIED, CONTRADICTION))
    found = relations_between([a, b], vectors=_vectors("a", "b"), scorer=scorer)
    assert [(r.relation, r.reversal) for r in found] == [("contradicts", False)]
    assert found[0].score == 0.9
    assert "(differ: lacks experience / overwhelmingly qualified)" in found[0].evidence
    assert any(text.startswith("Ida Lund: ") for pair in scorer.asked for text in pair)


def test_no_relation_between_an_article_and_its_copy() -> None:
    a = record("a", NOT_QUALIFIED, article="orig", speaker="Ida Lund")
    b = record("b", QUALIFIED, article="copy", speaker="Teo Brand")
    scorer = FakePairScorer(both_ways(NOT_QUALIFIED, QUALIFIED, CONTRADICTION))
    assert _relate(a, b, scorer=scorer, copy_of={"copy": "orig"}) == []
    assert scorer.asked == []
    # Two copies of one original are the same words twice as well.
    c = record("c", QUALIFIED, article="copy2", speaker="Teo Brand")
    assert _relate(b, c, scorer=scorer, copy_of={"copy": "orig", "copy2": "orig"}) == []


def test_a_speaker_repeating_himself_is_never_compared() -> None:
    a = record("a", NOT_QUALIFIED, article="x", speaker="Ida Lund", published="2031-05-02")
    b = record("b", QUALIFIED, article="y", speaker="Ida Lund", published="2031-05-02")
    scorer = FakePairScorer(both_ways(NOT_QUALIFIED, QUALIFIED, CONTRADICTION))
    assert _relate(a, b, scorer=scorer) == []
    assert scorer.asked == []


def test_one_speaker_on_opposite_sides_on_two_days_is_a_reversal() -> None:
    a = record("a", NOT_QUALIFIED, article="x", speaker="Ida Lund", published="2031-05-02")
    b = record("b", QUALIFIED, article="y", speaker="Ida Lund", published="2031-06-10")
    scorer = FakePairScorer(both_ways(NOT_QUALIFIED, QUALIFIED, CONTRADICTION))
    assert _relate(a, b, scorer=scorer) == [("a", "b", "contradicts", True)]
    # Saying the same thing again later is a repetition, not an agreement.
    again = FakePairScorer(both_ways(NOT_QUALIFIED, QUALIFIED, AGREEMENT))
    assert _relate(a, b, scorer=again) == []


def test_the_model_reads_at_most_max_partners_per_statement(monkeypatch) -> None:
    monkeypatch.setattr(relations_module, "MAX_PARTNERS", 2)
    records = [
        record(f"s{n}", f"the harbour board meets on day {n}", speaker=f"Speaker {n}")
        for n in range(8)
    ]
    stats = PairStats()
    scorer = FakePairScorer({})
    _relate(*records, scorer=scorer, new_ids={"s0"}, stats=stats)
    assert stats.scored == 2
    assert {b for _, b in scorer.asked} <= {
        f"Speaker {n}: the harbour board meets on day {n}" for n in range(8)
    }
    stats = PairStats()
    _relate(*records, scorer=FakePairScorer({}), stats=stats)
    assert stats.scored <= 2 * len(records)


def test_dissimilar_statements_are_not_read_by_the_model() -> None:
    a = record("a", NOT_QUALIFIED, speaker="Ida Lund")
    b = record("b", QUALIFIED, speaker="Teo Brand")
    far = {"a": np.array([1.0, 0.0]), "b": np.array([0.0, 1.0])}
    scorer = FakePairScorer(both_ways(NOT_QUALIFIED, QUALIFIED, CONTRADICTION))
    assert relations_between([a, b], vectors=far, scorer=scorer) == []


def test_a_rule_stands_where_the_model_is_silent_but_not_against_its_clear_opposite() -> None:
    a = record("a", "The blockade of the river port is over", speaker="Ana Ferro")
    b = record("b", "the blockade of the river port was continuing", speaker="Teo Brand")
    assert relations_between([a, b])[0].relation == "contradicts"  # the state rule
    found = relations_between([a, b], vectors=_vectors("a", "b"), scorer=FakePairScorer({}))
    assert [r.relation for r in found] == ["contradicts"]
    assert found[0].evidence.startswith("opposite states")
    # The model reads them as agreeing (though not enough to say so): the rule is overruled.
    opposite = FakePairScorer(
        both_ways(a.statement.content, b.statement.content, (0.58, 0.4, 0.02))
    )
    assert _relate(a, b, scorer=opposite) == []


def test_a_paraphrase_alone_is_no_agreement_with_a_model() -> None:
    a = record("a", "the clinic budget doubles next year for rural patients", speaker="A B")
    b = record("b", "rural patients see the clinic budget doubled next year", speaker="C D")
    assert [r.relation for r in relations_between([a, b])] == ["agrees"]  # the rule
    assert _relate(a, b, scorer=FakePairScorer({})) == []


def _kinds(found: list[Relation]) -> set[str]:
    return {r.relation for r in found}


def _figure(sid: str, value: float, text: str, counts: str = "people") -> Figure:
    return Figure(f"f-{sid}", f"art-{sid}", value, text, (0, len(text)), None, None, counts)


def test_figures_of_different_places_do_not_contradict() -> None:
    a = record("a", "The attack in Nice killed 80 people on the promenade", speaker="Ana Ferro")
    b = record("b", "The attack in Paris killed 130 people in the city", speaker="Teo Brand")
    figures = {"a": [_figure("a", 80, "80 people")], "b": [_figure("b", 130, "130 people")]}
    assert _kinds(relations_between([a, b], figures=figures)) <= {"agrees"}
    # The same place (or one side silent about it) is the same quantity.
    c = record("c", "The attack in Nice killed 130 people", speaker="Teo Brand")
    figures["c"] = [_figure("c", 130, "130 people")]
    assert [r.relation for r in relations_between([a, c], figures=figures)] == ["contradicts"]


def test_figures_of_different_days_do_not_contradict() -> None:
    a = record("a", "the queue held 400 trucks at the border on Monday", speaker="Ana Ferro")
    b = record("b", "the queue held 90 trucks at the border on Friday", speaker="Teo Brand")
    figures = {
        "a": [_figure("a", 400, "400 trucks", "trucks")],
        "b": [_figure("b", 90, "90 trucks", "trucks")],
    }
    assert _kinds(relations_between([a, b], figures=figures)) <= {"agrees"}


def test_a_state_word_said_of_another_subject_does_not_clash() -> None:
    a = record(
        "a", "Our election count went smoothly, but the staff laptops are at risk", speaker="A B"
    )
    b = record("b", "the election count used secure channels", speaker="C D")
    assert relations_between([a, b]) == []
    c = record("c", "the staff laptops are secure", speaker="C D")
    assert [r.relation for r in relations_between([a, c])] == ["contradicts"]


def test_figures_published_months_apart_do_not_contradict() -> None:
    a = record("a", "that 80 people were killed on the promenade", published="2031-07-15")
    b = record(
        "b", "130 people were killed in the attacks", speaker="Teo Brand", published="2030-11-14"
    )
    figures = {"a": [_figure("a", 80, "80 people")], "b": [_figure("b", 130, "130 people")]}
    assert "contradicts" not in _kinds(relations_between([a, b], figures=figures))
    close = record("c", "130 people were killed on the promenade", speaker="Teo Brand")
    figures["c"] = [_figure("c", 130, "130 people")]
    assert _kinds(
        relations_between([a, replace(close, published="2031-07-16")], figures=figures)
    ) == {"contradicts"}


def test_a_date_said_of_another_matter_does_not_clash() -> None:
    # The two share only a name: "together in July" and "hurt ... before July" are two matters.
    a = record("a", "the Harbour Party will come together in July", speaker="A B")
    b = record("b", "he does not think the contest will hurt the Harbour Party before July")
    b = replace(b, statement=replace(b.statement, speaker="C D"), speaker_id="sp-C D")
    assert "contradicts" not in _kinds(relations_between([a, b]))


def test_not_just_is_no_denial() -> None:
    a = record("a", "that the governor is a loser, a liar and a whiner", speaker="A B")
    b = record("b", "the governor isn't just a loser, he is a liar and a whiner", speaker="C D")
    assert "contradicts" not in _kinds(relations_between([a, b]))
