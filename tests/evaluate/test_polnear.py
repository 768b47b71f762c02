"""Tests for the PolNeAR harness: hand-built brat strings, plus one check on the real dev split."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.polnear import (
    evaluate_polnear,
    gold_statistics,
    gold_to_statements,
    score,
)
from quotegraph.evaluate.polnear_gold import (
    GoldAttribution,
    GoldDocument,
    covered_tokens,
    default_data_dir,
    load_split,
    parse_ann,
    word_tokens,
)
from quotegraph.types import Span, Statement, StatementKind

TEXT = (
    "Mayor quits.\n\n"
    '"We will rebuild the bridge," Mayor Ann Lee said on Monday. '
    "Critics argued that the plan was too expensive. "
    '"It is over," she added, "and we know it." '
    "Reportedly, the bridge is unsafe.\n"
)


def at(piece: str, text: str = TEXT) -> Span:
    """Offsets of the first occurrence of ``piece``."""
    start = text.index(piece)
    return (start, start + len(piece))


def off(span: Span) -> str:
    return f"{span[0]} {span[1]}"


def t_line(ident: int, role: str, *spans: Span) -> str:
    offsets = ";".join(off(span) for span in spans)
    words = " ".join(TEXT[start:end] for start, end in spans)
    return f"T{ident}\t{role} {offsets}\t{words}"


ANN = "\n".join(
    [
        t_line(1, "Content", at('"We will rebuild the bridge,"')),
        t_line(2, "Source", at("Mayor Ann Lee")),
        t_line(3, "Cue", at("said")),
        t_line(4, "Attribution", at("said")),
        "E1\tAttribution:T4 Content:T1 Source:T2 Cue:T3",
        t_line(5, "Source", at("Critics")),
        t_line(6, "Cue", at("argued")),
        t_line(7, "Content", at("that the plan was too expensive")),
        t_line(8, "Attribution", at("argued")),
        "E2\tAttribution:T8 Cue:T6 Source:T5 Content:T7",
        t_line(9, "Content", at('"It is over,"'), at('"and we know it."')),
        t_line(10, "Source", at("she")),
        t_line(11, "Cue", at("added")),
        t_line(12, "Attribution", at("added")),
        "E3\tAttribution:T12 Content:T9 Cue:T11 Source:T10",
        t_line(13, "Cue", at("Reportedly")),
        t_line(14, "Content", at("the bridge is unsafe")),
        t_line(15, "Attribution-no-source", at("Reportedly")),
        "E4\tAttribution-no-source:T15 Cue:T13 Content:T14",
        t_line(16, "Discard", at("Mayor quits.")),
        t_line(17, "Discuss", at("on Monday")),
        t_line(18, "Attribution", at("on")),
        "E5\tAttribution:T18 ",
        "#1\tAnnotatorNotes T16\tIs the title an attribution?",
        "",
    ]
)


def gold_doc(text: str = TEXT, ann: str = ANN, name: str = "doc") -> GoldDocument:
    return GoldDocument(name=name, text=text, attributions=parse_ann(ann))


def stmt(
    content: Sequence[Span],
    speaker: Span | None = None,
    cue: Span | None = None,
    kind: StatementKind = "indirect",
    text: str = TEXT,
) -> Statement:
    return Statement(
        statement_id="s",
        article_id="doc",
        kind=kind,
        content=" ".join(text[start:end] for start, end in content),
        content_spans=tuple(content),
        cue_span=cue,
        speaker_span=speaker,
    )


def one(gold: GoldAttribution, text: str = TEXT) -> GoldDocument:
    return GoldDocument(name="doc", text=text, attributions=(gold,))


def leaves(result: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every precision/recall/F1 block of a ``score`` result."""
    for value in result.values():
        if isinstance(value, Mapping):
            yield from ([value] if "f1" in value else leaves(value))


# --------------------------------------------------------------------------- parsing


def test_parse_ann_reads_parts_in_order() -> None:
    mayor, critics, she, reportedly = parse_ann(ANN)
    assert mayor.content == (at('"We will rebuild the bridge,"'),)
    assert mayor.source == (at("Mayor Ann Lee"),)
    assert mayor.cue == (at("said"),)
    assert critics.source == (at("Critics"),)
    assert she.content == (at('"It is over,"'), at('"and we know it."'))
    assert reportedly.source == ()
    assert reportedly.cue == (at("Reportedly"),)


def test_parse_ann_drops_content_less_events_and_other_roles() -> None:
    parsed = parse_ann(ANN)
    assert len(parsed) == 4
    discard = at("Mayor quits.")
    assert all(discard not in gold.content for gold in parsed)


def test_parse_ann_merges_content2_and_ignores_continuation_lines() -> None:
    ann = "\n".join(
        [
            t_line(1, "Content", at('"It is over,"')),
            t_line(2, "Source", at("she")),
            t_line(3, "Cue", at("added")),
            t_line(4, "Content", at('"and we know it."')),
            "E1\tAttribution:T5 Cue:T3 Source:T2 Content:T1 Content2:T4",
            "a continuation line of a span text that held a newline",
            "E2\tAttribution:T9 Content:T99",
        ]
    )
    (gold,) = parse_ann(ann)
    assert gold.content == (at('"It is over,"'), at('"and we know it."'))


def test_parse_ann_sorts_discontinuous_pieces_and_accepts_crlf() -> None:
    first, second = at("Critics"), at("that the plan")
    ann = f"T1\tContent {off(second)};{off(first)}\tx\r\nE1\tAttribution:T2 Content:T1\r\n"
    (gold,) = parse_ann(ann)
    assert gold.content == (first, second)
    assert gold.source == ()
    assert gold.cue == ()


# --------------------------------------------------------------------------- tokens


def test_word_tokens_skip_punctuation_and_quote_marks() -> None:
    text = "“Don’t,” she said — 3,500."
    assert [text[s:e] for s, e in word_tokens(text)] == ["Don", "t", "she", "said", "3", "500"]


def test_a_span_covers_a_token_from_half_its_characters() -> None:
    text = "alpha beta"
    tokens = word_tokens(text)
    assert covered_tokens(tokens, [(0, 2)]) == frozenset()
    assert covered_tokens(tokens, [(0, 3)]) == {0}
    assert covered_tokens(tokens, [(4, 8)]) == {1}
    assert covered_tokens(tokens, [(0, 1), (1, 3)]) == {0}
    assert covered_tokens(tokens, []) == frozenset()


# --------------------------------------------------------------------------- span figures


def test_one_char_off_gold_offsets_still_match_exactly() -> None:
    start, end = at("that the plan was too expensive")
    doc = one(GoldAttribution(content=((start + 1, end - 1),), source=(), cue=()))
    result = score([doc], {"doc": [stmt([(start, end)])]})
    assert result["content"]["exact"]["tp"] == 1


def test_quote_marks_included_or_not_still_match_exactly() -> None:
    outer = at('"We will rebuild the bridge,"')
    inner = at("We will rebuild the bridge")
    doc = one(GoldAttribution(content=(outer,), source=(), cue=()))
    result = score([doc], {"doc": [stmt([inner])]})
    assert result["content"]["exact"]["f1"] == 1.0


def test_lenient_accepts_a_partial_content_that_exact_rejects() -> None:
    result = score([gold_doc()], {"doc": [stmt([at("the plan was")])]})
    assert result["content"]["lenient"]["tp"] == 1
    assert result["content"]["exact"]["tp"] == 0


def test_discontinuous_gold_needs_both_pieces_for_exact() -> None:
    pieces = [at('"It is over,"'), at('"and we know it."')]
    both = score([gold_doc()], {"doc": [stmt(pieces)]})
    assert both["content"]["exact"]["tp"] == 1
    first_only = score([gold_doc()], {"doc": [stmt(pieces[:1])]})
    assert first_only["content"]["exact"]["tp"] == 0
    assert first_only["content"]["lenient"]["tp"] == 1


def test_a_gold_item_matches_one_prediction_only() -> None:
    doc = one(GoldAttribution(content=(at("that the plan was too expensive"),), source=(), cue=()))
    predicted = {"doc": [stmt([at("that the plan")]), stmt([at("was too expensive")])]}
    lenient = score([doc], predicted)["content"]["lenient"]
    assert (lenient["tp"], lenient["n_pred"], lenient["n_gold"]) == (1, 2, 1)
    assert (lenient["precision"], lenient["recall"]) == (0.5, 1.0)


def test_greedy_matching_prefers_the_larger_overlap() -> None:
    first = GoldAttribution(content=(at("Critics argued that the plan"),), source=(), cue=())
    second = GoldAttribution(content=(at("was too expensive"),), source=(), cue=())
    doc = GoldDocument("doc", TEXT, (first, second))
    wide, narrow = at("Critics argued that the plan was"), at("too expensive")
    result = score([doc], {"doc": [stmt([narrow]), stmt([wide])]})
    assert result["content"]["lenient"]["tp"] == 2


def test_source_and_cue_figures_skip_gold_without_that_part() -> None:
    result = score([gold_doc()], {})
    assert result["source"]["exact"]["n_gold"] == 3
    assert result["cue"]["exact"]["n_gold"] == 4
    assert result["content"]["exact"]["n_gold"] == 4


# --------------------------------------------------------------------------- attributions


def test_attribution_needs_content_and_source() -> None:
    content = [at("that the plan was too expensive")]
    wrong = score([gold_doc()], {"doc": [stmt(content, speaker=at("Mayor Ann Lee"))]})
    assert wrong["content"]["lenient"]["tp"] == 1
    assert wrong["attribution"]["tp"] == 0
    missing = score([gold_doc()], {"doc": [stmt(content)]})
    assert missing["attribution"]["tp"] == 0
    right = score([gold_doc()], {"doc": [stmt(content, speaker=at("Critics"))]})
    assert right["attribution"]["tp"] == 1


def test_gold_without_source_needs_a_prediction_without_speaker() -> None:
    content = [at("the bridge is unsafe")]
    with_speaker = score([gold_doc()], {"doc": [stmt(content, speaker=at("Critics"))]})
    assert with_speaker["attribution"]["tp"] == 0
    without = score([gold_doc()], {"doc": [stmt(content)]})
    assert without["attribution"]["tp"] == 1


def test_attribution_exact_content_is_stricter() -> None:
    prediction = stmt([at("the plan was too expensive")], speaker=at("Critics"))
    result = score([gold_doc()], {"doc": [prediction]})
    assert result["attribution"]["tp"] == 1
    assert result["attribution_exact_content"]["tp"] == 0


def test_direct_subset_selects_quoted_gold_and_direct_predictions() -> None:
    quote = at("We will rebuild the bridge")
    predicted = {
        "doc": [
            stmt([quote], speaker=at("Mayor Ann Lee"), kind="direct"),
            stmt([at("that the plan was too expensive")], speaker=at("Critics")),
            stmt([at('"It is over,"')], speaker=at("Mayor Ann Lee")),
        ]
    }
    direct = score([gold_doc()], predicted)["direct"]
    assert direct["content"]["n_gold"] == 2
    assert direct["content"]["n_pred"] == 2
    assert direct["content"]["tp"] == 2
    assert direct["with_speaker"]["tp"] == 1


# --------------------------------------------------------------------------- whole runs


def test_perfect_predictions_score_one_everywhere() -> None:
    doc = gold_doc()
    result = score([doc], {"doc": gold_to_statements(doc)}, split="hand")
    assert result["split"] == "hand"
    assert result["documents"] == 1
    assert all(block["f1"] == 1.0 for block in leaves(result))


def test_empty_predictions_give_zero_without_error() -> None:
    result = score([gold_doc()], {"doc": []})
    for block in leaves(result):
        assert (block["precision"], block["recall"], block["f1"], block["n_pred"]) == (0, 0, 0, 0)
    assert result["attribution"]["n_gold"] == 4


def test_predictions_for_unknown_documents_are_an_error() -> None:
    with pytest.raises(QuotegraphError) as caught:
        score([gold_doc()], {"doc.txt": []})
    assert caught.value.code == "E044"


def test_gold_statistics_counts_the_hand_built_document() -> None:
    stats = gold_statistics([gold_doc()])
    assert stats["attributions"] == 4
    assert stats["quote_mark_content"] == 2
    assert stats["no_source"] == 1
    assert stats["discontinuous_content"] == 1
    assert stats["no_source_share"] == 0.25


# --------------------------------------------------------------------------- loading


def write_split(root: Path) -> Path:
    """A tiny PolNeAR-shaped folder: ``doc`` by two annotators, ``other`` by an unlisted one."""
    (root / "dev" / "text").mkdir(parents=True)
    (root / "dev" / "attributions").mkdir()
    for name in ("other", "doc", "unannotated"):
        (root / "dev" / "text" / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    attributions = root / "dev" / "attributions"
    (attributions / "doc_bbbb.ann").write_text(ANN, encoding="utf-8")
    (attributions / "doc_aaaa.ann").write_text("", encoding="utf-8")
    (attributions / "other_zzzz.ann").write_text(ANN, encoding="utf-8")
    (attributions / "other_yyyy.ann").write_text("", encoding="utf-8")
    (root / "metadata.tsv").write_text(
        "compartment\tfilename\tannotators\n"
        "dev\tdoc\tbbbb|aaaa\n"
        "dev\tother\tcccc\n"
        "train\tdoc\taaaa\n",
        encoding="utf-8",
    )
    return root


def test_load_split_picks_the_first_listed_annotator_then_falls_back(tmp_path: Path) -> None:
    docs = load_split(write_split(tmp_path), "dev")
    assert [doc.name for doc in docs] == ["doc", "other"]
    assert len(docs[0].attributions) == 4
    assert docs[1].attributions == ()
    assert docs[0].text == TEXT


def test_load_split_raises_e043_when_the_folder_is_missing(tmp_path: Path) -> None:
    with pytest.raises(QuotegraphError) as caught:
        load_split(tmp_path, "dev")
    assert caught.value.code == "E043"


def test_evaluate_polnear_times_the_predictor(tmp_path: Path) -> None:
    def oracle(docs: Sequence[GoldDocument]) -> dict[str, tuple[Statement, ...]]:
        return {doc.name: gold_to_statements(doc) for doc in docs}

    result = evaluate_polnear(write_split(tmp_path), "dev", oracle, limit=1)
    assert result["documents"] == 1
    assert result["split"] == "dev"
    assert result["attribution"]["f1"] == 1.0
    assert result["seconds"] >= 0
    assert "articles_per_second" in result


def test_evaluate_polnear_offset_skips_the_first_documents(tmp_path: Path) -> None:
    seen: list[str] = []

    def oracle(docs: Sequence[GoldDocument]) -> dict[str, tuple[Statement, ...]]:
        seen.extend(doc.name for doc in docs)
        return {doc.name: gold_to_statements(doc) for doc in docs}

    result = evaluate_polnear(write_split(tmp_path), "dev", oracle, offset=1)
    assert seen == ["other"]
    assert result["documents"] == 1
    with pytest.raises(QuotegraphError):
        evaluate_polnear(write_split(tmp_path / "again"), "dev", oracle, offset=-1)


def test_default_data_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEGRAPH_SHARED", "/somewhere/shared")
    assert default_data_dir() == Path("/somewhere/shared/data/polnear")


# --------------------------------------------------------------------------- real data

POLNEAR = default_data_dir()


@pytest.mark.skipif(
    not (POLNEAR / "dev" / "text").is_dir(),
    reason=f"PolNeAR data not found at {POLNEAR} (set QUOTEGRAPH_SHARED to the shared/ folder)",
)
def test_dev_split_loads_and_gold_scores_one_against_itself() -> None:
    docs = load_split(POLNEAR, "dev")
    assert len(docs) == 84
    result = score(docs, {doc.name: gold_to_statements(doc) for doc in docs}, split="dev")
    assert result["documents"] == 84
    assert all(block["f1"] == 1.0 for block in leaves(result))
