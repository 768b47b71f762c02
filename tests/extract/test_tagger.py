"""The attribution tagger's windows, gold tags, decoding and the statements made of its
spans (issue 24, item 5). A fake tagger stands in for the network, so these run without it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.extract import analyse_statements
from quotegraph.extract.attribution import (
    Candidate,
    QuoteIndex,
    find_candidates,
    introduced_quotations,
)
from quotegraph.extract.quotes import all_quotations
from quotegraph.extract.tagger import (
    PARTS,
    AttributionTagger,
    TaggedSpan,
    decode,
    join_fragments,
    piece_tags,
    tagged_act,
    tagged_candidates,
    windows,
)
from quotegraph.nlp import parse


def word_offsets(text: str) -> list[tuple[int, int]]:
    out, start = [], None
    for i, char in enumerate(text + " "):
        if char.isspace():
            if start is not None:
                out.append((start, i))
            start = None
        elif start is None:
            start = i
    return out


def test_windows_break_at_paragraphs_and_never_exceed_the_length() -> None:
    text = "a b c\nd e f g\nh i\nj k l m n o p q"
    offsets = word_offsets(text)
    cut = windows(offsets, text, 5)
    # "a b c" alone: the next paragraph would not fit; the last paragraph is cut inside.
    assert cut == [(0, 3), (3, 7), (7, 9), (9, 14), (14, 17)]
    assert [i for start, end in cut for i in range(start, end)] == list(range(len(offsets)))


def test_a_paragraph_longer_than_a_window_is_cut_inside() -> None:
    text = " ".join("w" * 3 for _ in range(12))
    assert windows(word_offsets(text), text, 5) == [(0, 5), (5, 10), (10, 12)]


def test_piece_tags_open_each_run_with_b() -> None:
    text = "Ann Vogel said the dam would hold ."
    offsets = word_offsets(text)
    spans = {"source": [(0, 9)], "cue": [(10, 14)], "content": [(15, 32)]}
    tags = piece_tags(offsets, spans)
    k = {part: PARTS.index(part) for part in PARTS}
    assert [row[k["source"]] for row in tags] == [1, 2, 0, 0, 0, 0, 0, 0]
    assert [row[k["cue"]] for row in tags] == [0, 0, 1, 0, 0, 0, 0, 0]
    assert [row[k["content"]] for row in tags] == [0, 0, 0, 1, 2, 2, 2, 0]


def test_overlapping_spans_of_one_part_are_one_run_and_parts_are_independent() -> None:
    offsets = word_offsets("x y z w")
    tags = piece_tags(offsets, {"content": [(0, 3), (2, 5)], "cue": [(2, 3)]})
    k = PARTS.index("content")
    assert [row[k] for row in tags] == [1, 2, 2, 0]
    assert [row[PARTS.index("cue")] for row in tags] == [0, 1, 0, 0]


def probabilities_for(tags: list[tuple[int, int, int]], sure: float = 0.9) -> np.ndarray:
    out = np.full((len(tags), len(PARTS), 3), (1 - sure) / 2)
    for i, row in enumerate(tags):
        for k, tag in enumerate(row):
            out[i, k, tag] = sure
    return out


def test_decode_gives_runs_with_their_mean_probability() -> None:
    offsets = word_offsets("Ann Vogel said the dam holds")
    c, s, t = PARTS.index("cue"), PARTS.index("source"), PARTS.index("content")
    rows = [[0, 0, 0] for _ in offsets]
    rows[0][s], rows[1][s] = 1, 2
    rows[2][c] = 1
    rows[3][t], rows[4][t] = 1, 2
    rows[5][t] = 1  # a B right after a run opens a new run
    spans = decode(offsets, probabilities_for([tuple(r) for r in rows]))  # type: ignore[misc]
    found = {(span.part, span.span) for span in spans}
    assert found == {
        ("source", (0, 9)),
        ("cue", (10, 14)),
        ("content", (15, 22)),
        ("content", (23, 28)),
    }
    assert all(abs(span.probability - 0.95) < 1e-9 for span in spans)


def test_an_i_after_o_still_opens_a_run() -> None:
    offsets = word_offsets("a b c")
    k = PARTS.index("content")
    rows = [[0, 0, 0], [0, 0, 0], [0, 0, 0]]
    rows[1][k] = 2
    spans = decode(offsets, probabilities_for([tuple(r) for r in rows]))  # type: ignore[misc]
    assert [(s.part, s.span) for s in spans] == [("content", (2, 3))]


@dataclass
class FakeTagger:
    """Spans given by hand, as the network would return them."""

    spans: list[TaggedSpan]
    threshold: float = 0.5

    def tag(self, text: str) -> list[TaggedSpan]:
        return self.spans


def span_of(text: str, words: str, part: str, probability: float = 0.9) -> TaggedSpan:
    start = text.index(words)
    return TaggedSpan(part, (start, start + len(words)), probability)


def statement_spans(text: str, source: str, cue: str, content: str) -> list[TaggedSpan]:
    """The source, cue and content spans of one tagged statement."""
    return [
        span_of(text, source, "source"),
        span_of(text, cue, "cue"),
        span_of(text, content, "content"),
    ]


TEXT = "Mara Velt was sharply critical of the harbour plan. The council met later."


def test_a_tagged_statement_is_added_where_the_rules_found_none() -> None:
    doc = parse(TEXT)
    tagger = FakeTagger(
        [
            span_of(TEXT, "Mara Velt", "source"),
            span_of(TEXT, "was sharply critical of", "cue"),
            span_of(TEXT, "the harbour plan", "content", 0.8),
        ]
    )
    without = analyse_statements(doc, "a1")
    with_tagger = analyse_statements(doc, "a1", tagger=tagger)
    added = [s for s, _ in with_tagger if s.rule == "tagger"]
    assert not [s for s, _ in without if s.content == "the harbour plan"]
    assert len(added) == 1
    statement = added[0]
    assert (statement.content, statement.cue, statement.speaker) == (
        "the harbour plan",
        "was sharply critical of",
        "Mara Velt",
    )
    assert statement.act == "action"  # no verb of saying: a stance, not words


def tagged(text: str, spans: list[TaggedSpan], threshold: float = 0.5) -> list[tuple]:
    doc = parse(text)
    quotations = introduced_quotations(doc, all_quotations(text))
    index = QuoteIndex(doc, quotations)
    found = find_candidates(doc, quotations)
    return [
        (c.content, c.cue, c.source, c.rule)
        for c in tagged_candidates(doc, index, found, spans, threshold)
    ]


def test_no_statement_below_the_threshold_or_without_a_source() -> None:
    weak_cue = [
        span_of(TEXT, "Mara Velt", "source"),
        span_of(TEXT, "was sharply critical of", "cue", 0.4),
        span_of(TEXT, "the harbour plan", "content"),
    ]
    assert tagged(TEXT, weak_cue) == []
    assert tagged(TEXT, weak_cue, threshold=0.3) != []
    no_source = [
        span_of(TEXT, "was sharply critical of", "cue"),
        span_of(TEXT, "the harbour plan", "content"),
    ]
    assert tagged(TEXT, no_source) == []


def test_a_source_span_is_cut_to_its_sentence_and_line_and_needs_a_letter() -> None:
    text = "The board met twice. Dock workers were sharply critical of the harbour plan."
    cue = span_of(text, "were sharply critical of", "cue")
    content = span_of(text, "the harbour plan", "content")
    # The network's run crosses the sentence break: only the sentence's own words name.
    across = TaggedSpan("source", (text.index("twice"), text.index(" were")), 0.9)
    found = analyse_statements(parse(text), "a1", tagger=FakeTagger([across, cue, content]))
    assert [s.speaker_mention for s, _ in found if s.rule == "tagger"] == ["Dock workers"]
    number = "On 26\nDock workers were sharply critical of the harbour plan."
    line = TaggedSpan("source", (number.index("26"), number.index(" were")), 0.9)
    spans = [line, span_of(number, "were sharply critical of", "cue")]
    spans.append(span_of(number, "the harbour plan", "content"))
    found = analyse_statements(parse(number), "a1", tagger=FakeTagger(spans))
    assert [s.speaker_mention for s, _ in found if s.rule == "tagger"] == ["Dock workers"]
    digits = [span_of(number, "26", "source"), *spans[1:]]
    assert tagged(number, digits) == []


def test_content_a_rule_already_holds_gives_no_second_statement() -> None:
    text = "Mara Velt said the harbour plan was sound."
    spans = statement_spans(text, "Mara Velt", "said", "the harbour plan was sound")
    assert tagged(text, spans) == []


def test_each_content_goes_to_the_nearest_cue_of_its_sentence() -> None:
    text = "Ilse Marr was critical of the levy, and Tomas Brandt was wary of the tunnel."
    spans = statement_spans(text, "Ilse Marr", "was critical of", "the levy")
    spans += statement_spans(text, "Tomas Brandt", "was wary of", "the tunnel")
    found = tagged(text, spans)
    by_content = {text[c[0][0][0] : c[0][-1][1]]: c for c in found}
    assert {k: text[c[1][0] : c[1][1]] for k, c in by_content.items()} == {
        "the levy": "was critical of",
        "the tunnel": "was wary of",
    }
    # Each takes the source nearest its cue.
    sources = {k: c[2] for k, c in by_content.items()}
    assert sources["the levy"][0] == 0
    assert sources["the tunnel"][0] > sources["the levy"][0]


def tagged_alone(text: str, spans: list[TaggedSpan]) -> list[Candidate]:
    """The tagger's candidates as if the rules had found nothing in ``text``."""
    doc = parse(text)
    index = QuoteIndex(doc, introduced_quotations(doc, all_quotations(text)))
    return tagged_candidates(doc, index, [], spans, 0.5)


def test_a_cue_without_a_source_of_its_own_takes_the_one_before_it() -> None:
    # One subject serves two cues and lies nearer the first; the second shares it.
    text = "Mara Velt praised the harbour plan and was sharply critical of the tunnel levy."
    spans = [
        span_of(text, "Mara Velt", "source"),
        span_of(text, "praised", "cue"),
        span_of(text, "the harbour plan", "content"),
        span_of(text, "was sharply critical of", "cue"),
        span_of(text, "the tunnel levy", "content"),
    ]
    found = {text[c.content[0][0] : c.content[-1][1]]: c.source for c in tagged_alone(text, spans)}
    assert found == {"the harbour plan": (0, 2), "the tunnel levy": (0, 2)}


def test_a_tagged_source_must_hold_a_noun_a_name_or_a_pronoun() -> None:
    text = "The members were sharply critical of the harbour plan."
    rest = [
        span_of(text, "were sharply critical of", "cue"),
        span_of(text, "the harbour plan", "content"),
    ]
    assert tagged_alone(text, [span_of(text, "The", "source"), *rest]) == []
    assert len(tagged_alone(text, [span_of(text, "The members", "source"), *rest])) == 1
    possessive = "Her aides were sharply critical of the harbour plan."
    spans = statement_spans(possessive, "Her", "were sharply critical of", "the harbour plan")
    assert tagged_alone(possessive, spans) == []


def test_speech_of_one_or_two_unquoted_words_is_typed_as_an_action() -> None:
    text = "Mara Velt announced tolls, and Tomas Brandt announced a toll on every lorry."
    spans = statement_spans(text, "Mara Velt", "announced", "tolls")
    spans += statement_spans(text, "Tomas Brandt", "announced a", "toll on every lorry")
    acts = {text[c.content[0][0] : c.content[-1][1]]: c.act for c in tagged_alone(text, spans)}
    assert acts == {"tolls": "action", "toll on every lorry": "speech"}


def test_tagged_act_types_unknown_verbs_as_actions_and_speech_verbs_as_speech() -> None:
    assert tagged_act("indirect", "back") == "action"
    assert tagged_act("indirect", "say") == "speech"
    assert tagged_act("indirect", "believe") == "belief"
    assert tagged_act("direct", "back") == "speech"


def test_a_missing_model_folder_is_e088(tmp_path: Path) -> None:
    with pytest.raises(QuotegraphError) as caught:
        AttributionTagger(tmp_path)
    assert caught.value.code == "E088"


def test_fragments_of_one_part_cut_by_word_pieces_are_joined() -> None:
    text = "the Chicago Sun-Times reported that it haven't rained"
    pieces = [
        TaggedSpan("source", (12, 15), 0.6),  # "Sun"
        TaggedSpan("source", (16, 21), 0.8),  # "Times" after the hyphen
        TaggedSpan("cue", (22, 30), 0.9),  # "reported": another part, kept apart
        TaggedSpan("content", (31, 35), 0.7),  # "that"
        TaggedSpan("content", (39, 44), 0.7),  # "haven": a word between, kept apart
    ]
    joined = join_fragments(pieces, text)
    assert [(s.part, text[s.span[0] : s.span[1]]) for s in joined] == [
        ("source", "Sun-Times"),
        ("cue", "reported"),
        ("content", "that"),
        ("content", "haven"),
    ]
    assert abs(joined[0].probability - (0.6 * 3 + 0.8 * 5) / 8) < 1e-9


SHIPPED_TAGGER = Path(__file__).resolve().parents[2] / "src/quotegraph/extract/models/tagger"


@pytest.mark.skipif(
    not (SHIPPED_TAGGER / "model.onnx").is_file(), reason="no tagger model is shipped"
)
def test_the_shipped_tagger_marks_a_plain_attribution() -> None:
    tagger = AttributionTagger(SHIPPED_TAGGER, threads=1)
    text = (
        "Harbour master Ilse Marr said on Monday that the new breakwater would be finished "
        "before the winter storms.\n\nThe council has not yet voted on its budget."
    )
    spans = tagger.tag(text)
    by_part = {
        part: [text[a:b] for s in spans if s.part == part for a, b in [s.span]] for part in PARTS
    }
    assert any("Ilse Marr" in words for words in by_part["source"])
    assert any(words.startswith("said") for words in by_part["cue"])
    assert any("breakwater would be finished" in words for words in by_part["content"])
    assert all(
        0.0 <= s.probability <= 1.0 and 0 <= s.span[0] < s.span[1] <= len(text) for s in spans
    )


def test_the_setting_names_the_tagger_and_the_environment_overrides_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quotegraph.extract import tagger as module

    assert module.tagger_for("none") is None
    monkeypatch.setattr(module, "TAGGER_ADDS", False)
    monkeypatch.delenv(module.SETTING_VARIABLE, raising=False)
    assert module.tagger_for("shipped") is None
    monkeypatch.setenv(module.SETTING_VARIABLE, str(tmp_path))  # a folder without a model
    with pytest.raises(QuotegraphError) as caught:
        module.tagger_for("shipped")
    assert caught.value.code == "E088"
    monkeypatch.setenv(module.SETTING_VARIABLE, "none")
    assert module.tagger_for("shipped") is None
