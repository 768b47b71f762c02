"""The pair model's verdict on plain statement pairs (a hand-built model stands in)."""

from __future__ import annotations

import pytest

from quotegraph.corpus.judge import (
    AGREES_THRESHOLD,
    CONTRADICTS_THRESHOLD,
    PairSide,
    decisive_words,
    judge_pairs,
    model_text,
)

from .fake_pairs import FakePairScorer, both_ways

NOT_QUALIFIED = "He is not qualified to run the harbour board."
QUALIFIED = "He is overwhelmingly qualified to run the harbour board."


def test_the_model_reads_each_side_with_its_speaker_in_front() -> None:
    assert model_text(PairSide("the ferry is late", "Ana Ferro")) == "Ana Ferro: the ferry is late"
    assert model_text(PairSide("  the ferry\n is late ")) == "the ferry is late"


def test_both_orders_are_read_and_averaged() -> None:
    scorer = FakePairScorer(
        {(NOT_QUALIFIED, QUALIFIED): (0.0, 0.2, 0.8), (QUALIFIED, NOT_QUALIFIED): (0.0, 0.6, 0.4)}
    )
    [judged] = judge_pairs([(PairSide(NOT_QUALIFIED, "Ida Lund"), PairSide(QUALIFIED))], scorer)
    assert len(scorer.asked) == 2
    assert scorer.asked[0] == (f"Ida Lund: {NOT_QUALIFIED}", QUALIFIED)
    assert scorer.asked[1] == (QUALIFIED, f"Ida Lund: {NOT_QUALIFIED}")
    assert judged.contradicts == pytest.approx(0.6)
    assert judged.kind == "contradicts"
    assert judged.probability == pytest.approx(0.6)


def test_a_pair_neutral_one_way_is_not_read_the_other_way() -> None:
    scorer = FakePairScorer({})
    [judged] = judge_pairs([(PairSide("the tram runs"), PairSide("the port is shut"))], scorer)
    assert len(scorer.asked) == 1
    assert judged.kind is None
    assert judged.evidence == ""


@pytest.mark.parametrize(
    ("row", "kind"),
    [
        ((0.05, 0.9 - CONTRADICTS_THRESHOLD, CONTRADICTS_THRESHOLD + 0.05), "contradicts"),
        ((0.05, 0.95 - CONTRADICTS_THRESHOLD, CONTRADICTS_THRESHOLD - 0.05), None),
        ((AGREES_THRESHOLD + 0.05, 0.9 - AGREES_THRESHOLD, 0.05), "agrees"),
        ((AGREES_THRESHOLD - 0.05, 1.0 - AGREES_THRESHOLD, 0.05), None),
    ],
)
def test_thresholds_decide_the_kind(row: tuple[float, float, float], kind: str | None) -> None:
    scorer = FakePairScorer(both_ways("a b c", "d e f", row))
    [judged] = judge_pairs([(PairSide("a b c"), PairSide("d e f"))], scorer)
    assert judged.kind == kind


def test_evidence_quotes_the_closest_sentences_and_their_differing_words() -> None:
    a = "The weather was fine. He is not qualified to run the harbour board."
    evidence = decisive_words(a, QUALIFIED)
    assert evidence.startswith(f'"{NOT_QUALIFIED}" vs "{QUALIFIED}"')
    assert evidence.endswith("(differ: not / overwhelmingly)")


def test_a_contradiction_carries_its_words_and_probability() -> None:
    scorer = FakePairScorer(both_ways(NOT_QUALIFIED, QUALIFIED, (0.02, 0.08, 0.9)))
    [judged] = judge_pairs([(PairSide(NOT_QUALIFIED), PairSide(QUALIFIED))], scorer)
    assert judged.kind == "contradicts"
    assert judged.probability == pytest.approx(0.9)
    assert "differ: not / overwhelmingly" in judged.evidence


def test_the_lowest_threshold_keeps_the_precision() -> None:
    from quotegraph.corpus.judge import lowest_threshold

    probabilities = [0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5]
    is_kind = [True, True, True, True, False, True, False]
    # At 0.6: 5 of 6 right (0.83); at 0.5: 5 of 7 (0.71).
    assert lowest_threshold(probabilities, is_kind) == 0.6
    assert lowest_threshold(probabilities, is_kind, min_precision=0.9) == 0.8
    assert lowest_threshold([0.9, 0.8], [False, False]) is None
    # Ties are taken together: a threshold cannot split equal probabilities.
    assert lowest_threshold([0.9, 0.9, 0.9, 0.9], [True, True, True, False]) is None
