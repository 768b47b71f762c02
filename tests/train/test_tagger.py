"""``quotegraph train tagger``: gold spans become word-piece tags, and a fitted tagger is
exported as a folder the runtime loads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotegraph.evaluate.polnear_gold import GoldAttribution, GoldDocument
from quotegraph.extract.tagger import PARTS, AttributionTagger, TaggedSpan

TEXT = (
    "Ferry strike ends\n\n"
    "Union leader Ilse Marr said on Monday that the Velmora crews would sail again. "
    "The harbour board welcomed the deal."
)


def gold_document() -> GoldDocument:
    def at(words: str) -> tuple[tuple[int, int], ...]:
        start = TEXT.index(words)
        return ((start, start + len(words)),)

    said = GoldAttribution(
        content=at("the Velmora crews would sail again"),
        source=at("Union leader Ilse Marr"),
        cue=at("said"),
    )
    welcomed = GoldAttribution(
        content=at("the deal"), source=at("The harbour board"), cue=at("welcomed")
    )
    return GoldDocument("ferry", TEXT, (said, welcomed))


@pytest.fixture(scope="module")
def tokenizer():  # type: ignore[no-untyped-def]
    pytest.importorskip("transformers", reason="the [train] extra (transformers) is not installed")
    import transformers

    from quotegraph.train.tagger import base_model_dir

    return transformers.AutoTokenizer.from_pretrained(str(base_model_dir()))


@pytest.mark.slow
def test_gold_spans_become_the_tags_of_their_word_pieces(tokenizer) -> None:  # type: ignore[no-untyped-def]
    from quotegraph.train.tagger import document_windows

    (window,) = document_windows(gold_document(), tokenizer, 256)
    words = tokenizer.convert_ids_to_tokens(list(window.ids))
    tagged = {
        part: [w for w, tags in zip(words, window.tags, strict=True) if tags[k]]
        for k, part in enumerate(PARTS)
    }
    assert tagged["cue"] == ["said", "welcomed"]
    assert tokenizer.convert_tokens_to_string(tagged["source"]) == (
        "union leader ilse marr the harbour board"
    )
    assert tokenizer.convert_tokens_to_string(tagged["content"]) == (
        "the velmora crews would sail again the deal"
    )
    opening = [tags[PARTS.index("source")] for tags in window.tags if tags[PARTS.index("source")]]
    assert opening.count(1) == 2  # one B per source


@pytest.mark.slow
def test_a_fitted_tagger_is_exported_where_the_runtime_loads_it(tmp_path: Path) -> None:
    pytest.importorskip("torch", reason="the [train] extra (torch) is not installed")
    from quotegraph.train.tagger import TaggerSettings, set_threshold, train_tagger

    settings = TaggerSettings(epochs=1.0, batch_size=2, threads=1)
    record = train_tagger([gold_document()], tmp_path, settings, provenance={"command": "test"})
    assert (record["articles"], record["windows"]) == (1, 1)
    config = json.loads((tmp_path / "config.json").read_text(encoding="utf-8"))
    assert config["parts"] == list(PARTS)
    assert config["provenance"] == {"command": "test"}
    tagger = AttributionTagger(tmp_path, threads=1)
    spans = tagger.tag(TEXT)
    assert all(0 <= s.span[0] < s.span[1] <= len(TEXT) for s in spans)
    set_threshold(tmp_path, None)
    assert AttributionTagger(tmp_path, threads=1).threshold == 1.0
    set_threshold(tmp_path, 0.6)
    assert AttributionTagger(tmp_path, threads=1).threshold == 0.6


CRITICAL = "Mara Velt was sharply critical of the harbour plan. The council met later."


def critical_document() -> GoldDocument:
    """An attribution the rules and the verb model miss (no verb of saying or acting)."""

    def at(words: str) -> tuple[tuple[int, int], ...]:
        start = CRITICAL.index(words)
        return ((start, start + len(words)),)

    stance = GoldAttribution(
        content=at("the harbour plan"), source=at("Mara Velt"), cue=at("was sharply critical of")
    )
    return GoldDocument("critical", CRITICAL, (stance,))


class GoldSpans:
    """A tagger that returns the gold spans of ``critical_document`` with one probability."""

    threshold = 0.5

    def __init__(self, probability: float) -> None:
        self.probability = probability

    def tag(self, text: str) -> list[TaggedSpan]:
        return [
            TaggedSpan(part, span, self.probability)
            for attribution in critical_document().attributions
            for part in PARTS
            for span in getattr(attribution, part)
        ]


def test_the_threshold_is_the_highest_that_beats_the_rules() -> None:
    from quotegraph.train.tagger import choose_threshold

    sure = choose_threshold(GoldSpans(0.75), [critical_document()], (0.5, 0.7, 0.8))
    assert sure["rules"] == 0.0
    assert sure["by_threshold"] == {"0.5": 1.0, "0.7": 1.0, "0.8": 0.0}
    assert sure["chosen"] == 0.7  # the highest of the tie
    unsure = choose_threshold(GoldSpans(0.55), [critical_document()], (0.6, 0.9))
    assert unsure["chosen"] is None  # no threshold beats the rules
