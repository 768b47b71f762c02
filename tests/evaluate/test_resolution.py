"""Resolution accuracy: name matching, vague sources, outcomes and the whole evaluation."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.polnear_gold import GoldDocument
from quotegraph.evaluate.resolution import (
    ResolutionItem,
    evaluate_resolution,
    load_resolution_gold,
    name_words,
    names_someone,
    outcome,
    same_referent,
)
from quotegraph.types import SpeakerType, Statement


def test_name_words_drop_titles_case_and_possessives() -> None:
    assert name_words("Mrs. Clinton") == ("clinton",)
    assert name_words("Sen. Marta Okafor's campaign") == ("marta", "okafor", "campaign")
    assert name_words("the Varga campaign") == ("varga", "campaign")


@pytest.mark.parametrize(
    ("predicted", "gold", "same"),
    [
        ("Clinton", "Hillary Clinton", True),
        ("Mrs. Clinton", "Hillary Clinton", True),
        ("Hillary Rodham Clinton", "Hillary Clinton", True),
        ("Bill Clinton", "Hillary Clinton", False),
        ("Hillary", "Hillary Clinton", False),
        ("Varga campaign", "the Varga campaign", True),
        ("Tilde Varga", "the Varga campaign", False),
        ("", "Tilde Varga", False),
    ],
)
def test_same_referent(predicted: str, gold: str, same: bool) -> None:
    assert same_referent(predicted, gold) is same


def _statement(
    speaker: str | None, span: tuple[int, int] | None, kind: SpeakerType = "person"
) -> Statement:
    return Statement(
        statement_id="d#0",
        article_id="d",
        kind="indirect",
        content="x",
        content_spans=((50, 51),),
        speaker_span=span,
        speaker=speaker,
        speaker_type=kind,
    )


@pytest.mark.parametrize(
    ("speaker", "kind", "named"),
    [
        (None, "unknown", False),
        ("two people familiar with the talks", "anonymous", False),
        ("experts", "group", False),
        ("Several Korsvik officials", "group", False),
        ("the Korsvik Water Board", "organization", True),
        ("Tilde Varga", "person", True),
        ("the harbour master", "person", False),
        ("Some analysts", "group", False),
    ],
)
def test_names_someone(speaker: str | None, kind: SpeakerType, named: bool) -> None:
    assert names_someone(_statement(speaker, (0, 5), kind)) is named


def _item(referent: str | None, aliases: tuple[str, ...] = ()) -> ResolutionItem:
    return ResolutionItem("d", 10, 12, "pronoun", referent, aliases)


def test_outcome_takes_the_statement_whose_speaker_span_overlaps_most() -> None:
    statements = [_statement("Piet Rask", (0, 11)), _statement("Tilde Varga", (9, 14))]
    assert outcome(_item("Tilde Varga"), statements) == "correct"
    assert outcome(_item("Piet Rask"), statements) == "wrong"


def test_aliases_count_and_a_missing_statement_is_not_found() -> None:
    statements = [_statement("Korsvik Water Board", (10, 12), "organization")]
    item = _item("Korsvik Regional Water Board", ("Korsvik Water Board",))
    assert outcome(item, statements) == "correct"
    assert outcome(item, [_statement("Korsvik Water Board", (13, 20))]) == "not_found"
    assert outcome(item, [_statement("Korsvik Water Board", None)]) == "not_found"


def test_an_unnamed_source_must_stay_unnamed() -> None:
    assert outcome(_item(None), [_statement("experts", (10, 12), "group")]) == "correct"
    assert outcome(_item(None), [_statement(None, (10, 12))]) == "correct"
    assert outcome(_item(None), [_statement("Tilde Varga", (10, 12))]) == "wrong"


def test_gold_lines_load_and_bad_ones_are_e068(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    line = {"doc": "d", "start": 1, "end": 3, "kind": "pronoun", "referent": None}
    path.write_text(json.dumps(line) + "\n\n", encoding="utf-8")
    assert load_resolution_gold(path) == (ResolutionItem("d", 1, 3, "pronoun", None, ()),)
    for bad in ({**line, "kind": "name"}, {**line, "end": 1}, {"doc": "d"}):
        path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
        with pytest.raises(QuotegraphError) as raised:
            load_resolution_gold(path)
        assert raised.value.code == "E068"


# --------------------------------------------------------------------------- a tiny corpus

TEXT = "Harbour\n\nTilde Varga spoke. She said the port would reopen. Experts said it would not."


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A PolNeAR-like dev folder with one fictional article and an empty annotation."""
    folder = tmp_path / "polnear"
    (folder / "dev" / "text").mkdir(parents=True)
    (folder / "dev" / "attributions").mkdir(parents=True)
    (folder / "dev" / "text" / "wire_harbour.txt").write_text(TEXT, encoding="utf-8")
    (folder / "dev" / "attributions" / "wire_harbour_ann1.ann").write_text("", encoding="utf-8")
    return folder


def _span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def _gold(tmp_path: Path, doc: str = "wire_harbour") -> Path:
    she, experts = _span("She"), _span("Experts")
    lines = [
        {"doc": doc, "start": she[0], "end": she[1], "kind": "pronoun", "referent": "Tilde Varga"},
        {
            "doc": doc,
            "start": experts[0],
            "end": experts[1],
            "kind": "description",
            "referent": None,
        },
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return path


def test_evaluation_reports_accuracy_overall_and_by_kind(corpus: Path, tmp_path: Path) -> None:
    def predict(docs: Sequence[GoldDocument]) -> dict[str, list[Statement]]:
        assert [doc.name for doc in docs] == ["wire_harbour"]
        return {"wire_harbour": [_statement("Piet Rask", _span("She"))]}

    result = evaluate_resolution(corpus, _gold(tmp_path), predict)
    assert result["all"] == {
        "items": 2,
        "correct": 0,
        "wrong": 1,
        "not_found": 1,
        "accuracy": 0.0,
        "accuracy_found": 0.0,
    }
    assert result["by_kind"]["description"]["not_found"] == 1
    assert result["by_referent"]["named"]["wrong"] == 1

    def better(docs: Sequence[GoldDocument]) -> dict[str, list[Statement]]:
        return {
            "wire_harbour": [
                _statement("Tilde Varga", _span("She")),
                _statement("experts", _span("Experts"), "group"),
            ]
        }

    assert evaluate_resolution(corpus, _gold(tmp_path), better)["all"]["accuracy"] == 1.0


def test_a_gold_document_missing_from_the_data_is_e069(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(QuotegraphError) as raised:
        evaluate_resolution(corpus, _gold(tmp_path, "elsewhere"), lambda docs: {})
    assert raised.value.code == "E069"
