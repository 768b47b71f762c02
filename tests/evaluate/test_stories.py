"""Scoring stories and copies against event and reprint gold (hand-built inputs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.stories import (
    GoldEvent,
    GoldReprint,
    b_cubed,
    load_events,
    load_reprints,
    score_stories,
)

EVENTS = (
    GoldEvent("strike", "Ferry strike", "tune", ("a", "b")),
    GoldEvent("fire", "Library fire", "heldout", ("c",)),
)
ARTICLE_OF = {"a": "id-a", "b": "id-b", "c": "id-c", "d": "id-d", "e": "id-e"}


def test_b_cubed_counts_other_articles_in_a_gold_story_against_it() -> None:
    gold = {"id-a": "strike", "id-b": "strike"}
    system = {"id-a": "s1", "id-b": "s1", "id-x": "s1", "id-y": "s1"}
    whole = b_cubed(gold, system)
    assert (whole["precision"], whole["recall"]) == (0.5, 1.0)
    cut = b_cubed(gold, system, whole_clusters=False)
    assert (cut["precision"], cut["recall"], cut["f1"]) == (1.0, 1.0, 1.0)


def test_an_unplaced_article_is_a_story_of_its_own() -> None:
    result = b_cubed({"id-a": "strike", "id-b": "strike"}, {"id-a": "s1"})
    assert (result["precision"], result["recall"]) == (1.0, 0.5)


def test_scores_by_split_and_reprints_found_through_a_common_original() -> None:
    story_of = {"id-a": "s1", "id-b": "s1", "id-c": "s1"}
    reprints = (
        GoldReprint("a", "d"),  # d is a copy of a
        GoldReprint("d", "e"),  # both copies of a
        GoldReprint("b", "c"),  # not linked
        GoldReprint("a", "missing"),
    )
    copy_of = {"id-d": "id-a", "id-e": "id-a"}
    result = score_stories(EVENTS, reprints, ARTICLE_OF, story_of, copy_of)
    assert result["tune"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["heldout"]["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert result["gold_only"]["heldout"]["f1"] == 1.0
    assert result["all"]["recall"] == 1.0
    assert result["reprints"]["found"] == 2
    assert result["reprints"]["share"] == 0.5
    assert result["reprints"]["missed"] == ["b ~ c", "a ~ missing"]


def test_identical_files_are_one_stored_article_and_count_as_found() -> None:
    article_of = {"a": "same", "b": "same"}
    result = score_stories((), (GoldReprint("a", "b"),), article_of, {}, {})
    assert result["reprints"]["share"] == 1.0


def test_malformed_gold_lines_are_e078(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text('{"event": "x", "title": "t", "split": "later", "articles": ["a"]}\n')
    with pytest.raises(QuotegraphError) as err:
        load_events(events)
    assert err.value.code == "E078"
    reprints = tmp_path / "reprints.jsonl"
    reprints.write_text('{"original": "a"}\n')
    with pytest.raises(QuotegraphError) as err:
        load_reprints(reprints)
    assert err.value.code == "E078"
