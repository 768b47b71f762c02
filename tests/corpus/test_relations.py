"""The stance pass on hand-built statements (fictional people and events)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from quotegraph.corpus.claims import claim_sides, group_claims
from quotegraph.corpus.relations import relations_between, statement_units
from quotegraph.types import Figure, Statement, StatementRecord


def record(
    sid: str,
    content: str,
    *,
    article: str | None = None,
    speaker: str | None = "Ana Ferro",
    speaker_id: str | None = None,
    cue: str = "said",
    published: str | None = "2031-05-02",
) -> StatementRecord:
    statement = Statement(
        statement_id=sid,
        article_id=article or f"art-{sid}",
        kind="indirect",
        content=content,
        content_spans=((0, len(content)),),
        cue=cue,
        speaker=speaker,
    )
    return StatementRecord(
        statement=statement,
        speaker_id=speaker_id or (f"sp-{speaker}" if speaker else None),
        source_file=None,
        article_title=None,
        outlet=None,
        published=published,
    )


def relate(*records: StatementRecord, **kwargs: object) -> list[tuple[str, str, str]]:
    found = relations_between(list(records), **kwargs)  # type: ignore[arg-type]
    return sorted((r.statement_a, r.statement_b, r.relation) for r in found)


def test_opposite_states_contradict() -> None:
    a = record("a", "The blockade of the river port is over", speaker="Ana Ferro")
    b = record("b", "the blockade of the river port was continuing", speaker="Teo Brand")
    assert relate(a, b) == [("a", "b", "contradicts")]


def test_a_state_reached_later_is_a_change_not_a_contradiction() -> None:
    earlier = record(
        "a", "the blockade was continuing", speaker="Teo Brand", published="2031-05-01"
    )
    later = record("b", "The blockade is over", speaker="Ana Ferro", published="2031-05-04")
    assert relate(earlier, later) == []
    # The other way round it is a clash: the state was said to be over, then to go on.
    assert relate(
        record("c", "The blockade is over", speaker="Ana Ferro", published="2031-05-01"),
        record("d", "the blockade was continuing", speaker="Teo Brand", published="2031-05-04"),
    ) == [("c", "d", "contradicts")]


def test_a_state_word_that_asserts_no_state_gives_no_relation() -> None:
    # An adjective before a noun, or a verb to do: no linking verb ties it to a subject.
    attributive = record(
        "a", "the council never respected the right to safe and legal ferry crossings"
    )
    predicative = record("b", "ferry crossings on the northern route are safe", speaker="Teo Brand")
    assert relate(attributive, predicative) == []
    assert relate(
        record("c", "the ferry crossings are not safe"),
        predicative,
    ) == [("b", "c", "contradicts")]
    # "continues to" says someone keeps doing something, not that something goes on.
    doing = record("d", "the harbour board continues to put out this fiction about the blockade")
    over = record("e", "the blockade of the harbour is over", speaker="Teo Brand")
    assert relate(doing, over) == []
    assert relate(record("f", "the blockade of the harbour continues"), over) == [
        ("e", "f", "contradicts")
    ]


def test_one_person_in_two_states_about_two_matters_is_no_clash() -> None:
    a = record("a", "that Varga had not been exposed on his old harbour tax votes")
    b = record("b", "that Varga was vulnerable on the ferry subsidy quotes", speaker="Teo Brand")
    assert relate(a, b) == []
    c = record("c", "that Varga was vulnerable on his old harbour tax votes", speaker="Teo Brand")
    assert relate(a, c) == [("a", "c", "contradicts")]


def test_a_possessive_is_no_linking_verb() -> None:
    units = statement_units(record("a", "the ferry board's secure channels were used"))
    assert "safe" not in units[0].states
    units = statement_units(record("b", "it's secure now, the ferry board said"))
    assert "safe" in units[0].states


def test_a_state_inside_a_temporal_clause_is_not_asserted() -> None:
    a = record("a", "the shops would reopen once the blockade was over", speaker="Ana Ferro")
    b = record("b", "the blockade was continuing", speaker="Teo Brand")
    assert relate(a, b) == []


def test_negated_state_agrees_with_its_opposite_word() -> None:
    a = record("a", "Families along the northern road are still not safe", speaker="Ana Ferro")
    b = record("b", "Families on the northern road remain exposed", speaker="Teo Brand")
    assert relate(a, b) == [("a", "b", "agrees")]


def test_a_date_against_a_denied_date_contradicts() -> None:
    a = record("a", "The new bridge will be finished by October", speaker="Ana Ferro")
    b = record("b", "No completion date for the new bridge has been set", speaker="Teo Brand")
    c = record(
        "c", "the council never promised an October date for the new bridge", speaker="Ida Lund"
    )
    found = relate(a, b, c)
    assert ("a", "b", "contradicts") in found
    assert ("a", "c", "contradicts") in found
    assert ("b", "c", "agrees") in found


def test_a_denying_cue_flips_the_content() -> None:
    a = record("a", "the ferry talks had collapsed in the capital", speaker="Ana Ferro")
    b = record(
        "b", "the ferry talks had collapsed in the capital", speaker="Teo Brand", cue="denied"
    )
    assert relate(a, b) == [("a", "b", "contradicts")]


def _figure(sid: str, value: float, qualifier: str | None, text: str) -> Figure:
    return Figure(f"f-{sid}", f"art-{sid}", value, text, (0, len(text)), qualifier, "trucks")


def test_incompatible_counts_of_the_same_thing_contradict() -> None:
    a = record("a", "More than 400 trucks were waiting at the border crossing")
    b = record("b", "no more than 90 trucks are waiting at the border", speaker="Teo Brand")
    figures = {
        "a": [_figure("a", 400, "more than", "More than 400 trucks")],
        "b": [_figure("b", 90, "no more than", "no more than 90 trucks")],
    }
    assert relate(a, b, figures=figures) == [("a", "b", "contradicts")]
    same = {"a": figures["a"], "b": [_figure("b", 410, "about", "about 410 trucks")]}
    b2 = record("b", "about 410 trucks are waiting at the border crossing", speaker="Teo Brand")
    assert relate(a, b2, figures=same) == [("a", "b", "agrees")]


def test_the_same_words_around_two_different_sums_are_no_agreement() -> None:
    a = record("a", "the Varga campaign raised roughly $15 million in January")
    b = record(
        "b", "the Holm campaign raised more than $21 million in January", speaker="Teo Brand"
    )

    def money(sid: str, value: float, qualifier: str, text: str) -> Figure:
        return replace(_figure(sid, value, qualifier, text), unit="dollars")

    figures = {
        "a": [money("a", 15e6, "roughly", "roughly $15 million")],
        "b": [money("b", 21e6, "more than", "more than $21 million")],
    }
    assert relate(a, b) == [("a", "b", "agrees")]  # the wording alone reads as one claim
    assert relate(a, b, figures=figures) == []
    fitting = {"a": figures["a"], "b": [money("b", 15.5e6, "about", "about $15.5 million")]}
    assert relate(a, b, figures=fitting) == [("a", "b", "agrees")]


def test_opposite_predicates_over_the_same_words_are_no_agreement() -> None:
    undo = record("a", "they will undo the harbour levy reforms of the Varga government")
    keep = record(
        "b",
        "he would continue the harbour levy reforms of the Varga government",
        speaker="Teo Brand",
    )
    assert relate(undo, keep) == []
    again = record(
        "c", "she will undo the harbour levy reforms of the Varga government", speaker="Teo Brand"
    )
    assert relate(undo, again) == [("a", "c", "agrees")]


def test_a_statement_repeating_anothers_words_in_one_article_is_no_agreement() -> None:
    words = "the tram line will run every ten minutes from the harbour to the market"
    promise = record("a", words, article="x")
    quoted = record(
        "b", f"her promise that '{words}' was made in 2029", article="x", speaker="Teo Brand"
    )
    assert relate(promise, quoted) == []
    elsewhere = replace(quoted, statement=replace(quoted.statement, article_id="y"))
    assert relate(promise, elsewhere) == [("a", "b", "agrees")]


def test_speakers_are_compared_within_an_article_but_not_with_themselves() -> None:
    a = record("a", "The blockade is over", article="x", speaker="Ana Ferro")
    b = record("b", "the blockade was continuing", article="x", speaker="Teo Brand")
    assert relate(a, b) == [("a", "b", "contradicts")]  # two sides quoted in one article
    same = record("s", "the blockade of the port is over", article="x", speaker="Ana Ferro")
    assert relate(a, same) == []  # one speaker's statements in one article
    c = record("c", "the blockade was continuing", speaker="Ana Ferro")
    assert relate(a, c) == []  # a speaker is not reported contradicting herself
    d = record("d", "the blockade was continuing", speaker=None)
    assert relate(a, d) == []  # nobody to contradict


def test_unrelated_statements_give_nothing() -> None:
    a = record("a", "The harvest festival drew record crowds this year")
    b = record("b", "the tram line will not open before the winter", speaker="Teo Brand")
    assert relate(a, b) == []


def test_only_pairs_with_a_new_statement_are_compared() -> None:
    a = record("a", "The blockade is over", speaker="Ana Ferro")
    b = record("b", "the blockade was continuing", speaker="Teo Brand")
    assert relate(a, b, new_ids={"z"}) == []
    assert relate(a, b, new_ids={"b"}) == [("a", "b", "contradicts")]


def test_embedding_cosine_supports_a_paraphrase() -> None:
    a = record("a", "the clinic budget doubles next year for rural patients")
    b = record("b", "rural patients see the clinic budget doubled", speaker="Teo Brand")
    close = {"a": np.array([1.0, 0.0]), "b": np.array([0.95, 0.312])}
    far = {"a": np.array([1.0, 0.0]), "b": np.array([0.0, 1.0])}
    assert relate(a, b, vectors=close) == [("a", "b", "agrees")]
    assert relate(a, b, vectors=far) == [("a", "b", "agrees")] or relate(a, b, vectors=far) == []


def test_interrupted_quote_pieces_are_separate_sentences() -> None:
    text = "The blockade is over"
    rest = "we will not stay silent"
    content = f"{text} {rest}"
    statement = Statement(
        "q", "art-q", "direct", content, ((10, 10 + len(text)), (50, 50 + len(rest)))
    )
    units = statement_units(StatementRecord(statement, None, None, None, None, None))
    assert [u.text for u in units] == [text, rest]
    assert units[0].states["over"][0] == 1  # the "not" of the second piece does not leak


@pytest.mark.parametrize("cue", ["denied", "rejected", "disputed"])
def test_denying_cues(cue: str) -> None:
    units = statement_units(record("a", "the strike had ended", cue=cue))
    assert units[0].states["over"][0] == -1


def test_what_a_speaker_acted_on_is_not_their_claim() -> None:
    # "Local groups challenged its count of 3,500 peacekeepers": the figure is not theirs.
    challenged = record("a", "its count of 3,500 peacekeepers", cue="challenged")
    acted_on = replace(
        challenged, statement=replace(challenged.statement, rule="learned", act="action")
    )
    assert statement_units(acted_on) == []
    # Nor is a belief or an intention ascribed to someone what they asserted (issue 24).
    for act in ("belief", "intention"):
        ascribed = replace(challenged, statement=replace(challenged.statement, act=act))
        assert statement_units(ascribed) == []
    # "called the blockade over" asserts something: a learned claim keeps its units.
    called = record("b", "the blockade over", cue="called")
    claim = replace(called, statement=replace(called.statement, rule="learned_claim"))
    assert [u.text for u in statement_units(claim)] == ["the blockade over"]


def test_claims_group_linked_statements_with_their_sides() -> None:
    a = record("a", "The blockade of the port is over", speaker="Ana Ferro")
    b = record("b", "the blockade of the port was continuing", speaker="Teo Brand")
    c = record("c", "the blockade of the port goes on", speaker="Ida Lund")
    d = record("d", "The harvest festival drew record crowds", speaker="Ola Berg")
    records = [a, b, c, d]
    relations = relations_between(records)
    claims = group_claims(records, relations, "st_1")
    assert len(claims) == 1
    claim = claims[0]
    assert set(claim.statement_ids) == {"a", "b", "c"}
    sides = claim_sides(claim, relations)
    assert sides[claim.label_statement] == 1
    assert sides["b"] == sides["c"] == -sides["a"]


def test_a_state_said_of_a_part_concedes_the_rest() -> None:
    a = record("a", "the road money had been reallocated from existing budgets")
    b = record("b", "Part of the road money is fresh borrowing", speaker="Teo Brand")
    assert relate(a, b) == []


def test_a_sentence_comparing_two_months_denies_no_date() -> None:
    a = record("a", "the clinics would receive their money by May")
    b = record("b", "Money in May does not help clinics that close in March", speaker="Teo Brand")
    assert relate(a, b) == []
