"""Learned verb frames: the rule that uses them and the counting that learns them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.polnear import GoldAttribution, GoldDocument
from quotegraph.extract import extract_statements
from quotegraph.extract.frames import load_frames
from quotegraph.extract.frames_fit import count_frames, select_frames
from quotegraph.nlp import parse


def frame_statements(text: str) -> list[tuple[str | None, str | None, str, str | None]]:
    return [
        (s.speaker, s.cue, s.content, s.speaker_mention)
        for s in extract_statements(parse(text), "a1")
        if s.rule == "frame"
    ]


def test_shipped_frames_cover_verbs_that_attribute_through_their_object() -> None:
    frames = load_frames()
    assert "dobj" in frames["criticize"].deps
    assert frames["call"].deps == frozenset({"dobj", "oprd"})
    assert all(0.5 <= frame.precision <= 1.0 and frame.support >= 8 for frame in frames.values())
    assert "say" not in frames  # a clause verb: the clause rule's


def test_a_verb_and_its_object_make_a_statement() -> None:
    text = "Mayor Tilde Varga criticized the harbour plan on Monday."
    assert frame_statements(text) == [
        ("Tilde Varga", "criticized", "the harbour plan", "Mayor Tilde Varga")
    ]


def test_every_dependent_of_the_frame_but_a_preposition_must_be_there() -> None:
    assert frame_statements("The dockworkers' union called a strike at the port.") == []
    statements = frame_statements("Piet Rask called the plan a disaster for the port.")
    assert [(s[1], s[2]) for s in statements] == [("called", "the plan a disaster for the port")]


@pytest.mark.parametrize(
    "text",
    [
        "Tilde Varga did not criticize the harbour plan.",
        "The harbour plan was criticized by Tilde Varga.",
        "Tilde Varga said: \u201cWe criticized the harbour plan for years.\u201d",
    ],
)
def test_negated_passive_or_quoted_verbs_make_no_frame_statement(text: str) -> None:
    assert frame_statements(text) == []


def _gold(text: str, parts: list[tuple[str, str]]) -> GoldDocument:
    """Attributions given as (cue word, content words), each found in ``text``."""
    attributions = []
    for cue, content in parts:
        c, t = text.index(cue), text.index(content)
        attributions.append(
            GoldAttribution(content=((t, t + len(content)),), source=(), cue=((c, c + len(cue)),))
        )
    return GoldDocument(name="d", text=text, attributions=tuple(attributions))


def test_frames_are_counted_from_annotated_cues_and_all_uses() -> None:
    text = (
        "Tilde Varga praised the new ferry. Piet Rask praised the old bridge. "
        "Anna Holm praised the weather. Ilse Marten said that the dam held."
    )
    gold = _gold(
        text,
        [
            ("praised", "the new ferry"),
            ("praised the old", "the old bridge"),
            ("said", "that the dam held"),
        ],
    )
    uses, cues, patterns = count_frames([(gold, parse(text))])
    assert (uses["praise"], cues["praise"]) == (3, 2)
    assert patterns["praise"].most_common(1)[0][0] == frozenset({"dobj"})
    frames = select_frames(uses, cues, patterns, min_support=1, min_precision=0.5)
    assert frames["praise"]["deps"] == ["dobj"]
    assert frames["praise"]["precision"] == pytest.approx(0.6667)
    assert "say" not in frames  # its content is a clause
    assert select_frames(uses, cues, patterns, min_support=3) == {}


def test_a_malformed_frames_file_is_e071(tmp_path: Path) -> None:
    path = tmp_path / "frames.json"
    path.write_text(json.dumps({"frames": {"praise": {"deps": ["dobj"]}}}), encoding="utf-8")
    with pytest.raises(QuotegraphError) as raised:
        load_frames(path)
    assert raised.value.code == "E071"
