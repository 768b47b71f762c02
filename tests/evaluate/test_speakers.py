"""B-cubed scoring, the speaker gold format, and the evaluation on a tiny fictional corpus."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.speakers import (
    GoldMention,
    GoldText,
    b_cubed,
    evaluate_speakers,
    load_gold_texts,
    load_speaker_gold,
    resolved_in_article,
)
from quotegraph.predictors import linked_speaker_ids
from quotegraph.types import Statement

# --------------------------------------------------------------------------- B-cubed

# Bagga & Baldwin (1998), figure 4: twelve mentions in three entities, and two responses that
# each merge two of them. Worked by hand:
# response A joins {6,7} with {8..12}: mentions 1-5 score precision 1, mentions 6-7 score 2/7,
# mentions 8-12 score 5/7, so precision = (5 + 2*2/7 + 5*5/7) / 12 = 16/21, recall 1.
# response B joins {1..5} with {8..12}: ten mentions score 5/10, two score 1, so precision =
# (10/2 + 2) / 12 = 7/12, recall 1.
TRUTH = {m: "A" if m <= 5 else "B" if m <= 7 else "C" for m in range(1, 13)}
RESPONSE_A = {m: "x" if m <= 5 else "y" for m in range(1, 13)}
RESPONSE_B = {m: "y" if 6 <= m <= 7 else "x" for m in range(1, 13)}


def test_textbook_example_a_merging_a_small_entity_into_a_large_one() -> None:
    assert b_cubed(TRUTH, RESPONSE_A) == {
        "precision": round(16 / 21, 4),
        "recall": 1.0,
        "f1": round(32 / 37, 4),
    }


def test_textbook_example_b_merging_two_large_entities_costs_more() -> None:
    assert b_cubed(TRUTH, RESPONSE_B) == {
        "precision": round(7 / 12, 4),
        "recall": 1.0,
        "f1": round(14 / 19, 4),
    }


def test_identical_clusterings_score_one_whatever_the_labels() -> None:
    renamed = {m: f"cluster-{label}" for m, label in TRUTH.items()}
    assert b_cubed(TRUTH, renamed) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_all_singletons_and_all_in_one() -> None:
    truth = {"a": "P", "b": "P", "c": "Q"}
    # Singletons: recall (1/2 + 1/2 + 1) / 3 = 2/3, precision 1, F1 0.8.
    assert b_cubed(truth, {"a": 1, "b": 2, "c": 3}) == {
        "precision": 1.0,
        "recall": round(2 / 3, 4),
        "f1": 0.8,
    }
    # One cluster: precision (2/3 + 2/3 + 1/3) / 3 = 5/9, recall 1, F1 = 10/14.
    assert b_cubed(truth, dict.fromkeys(truth, 0)) == {
        "precision": round(5 / 9, 4),
        "recall": 1.0,
        "f1": round(10 / 14, 4),
    }


def test_a_mention_the_system_lacks_is_a_cluster_of_its_own() -> None:
    truth = {"a": "P", "b": "P"}
    assert b_cubed(truth, {"a": 1}) == b_cubed(truth, {"a": 1, "b": 2})
    assert b_cubed({}, {"a": 1}) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_mentions_outside_the_gold_are_not_scored() -> None:
    assert b_cubed({"a": "P"}, {"a": 1, "z": 1})["precision"] == 1.0


# --------------------------------------------------------------------------- gold file


def test_gold_lines_load_and_bad_ones_are_e065(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(
        '{"doc": "d1", "start": 0, "end": 4, "entity": "anna_vogel"}\n\n', encoding="utf-8"
    )
    assert load_speaker_gold(path) == (GoldMention("d1", 0, 4, "anna_vogel"),)
    for bad in (
        "not json",
        '{"doc": "d1", "start": 0}',
        '{"doc": "d", "start": 5, "end": 5, "entity": "x"}',
    ):
        path.write_text(bad + "\n", encoding="utf-8")
        with pytest.raises(QuotegraphError) as raised:
            load_speaker_gold(path)
        assert raised.value.code == "E065"


# --------------------------------------------------------------------------- a tiny corpus

DOCS = {
    "wire_2025-03-10_budget": ("2025-03-10", "Budget\n\nAnna Vogel said the budget would pass."),
    "post_2025-03-12_budget": ("2025-03-12", "Budget vote\n\nVogel said the vote was close."),
    "wire_2025-03-11_strike": ("2025-03-11", "Strike\n\nPiet Rask said the strike would go on."),
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A PolNeAR-like folder of fictional articles (train/text/*.txt and metadata.tsv)."""
    folder = tmp_path / "polnear"
    (folder / "train" / "text").mkdir(parents=True)
    rows = ["compartment\tfilename\tpublisher\tpublication_date"]
    for name, (published, text) in DOCS.items():
        (folder / "train" / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
        rows.append(f"train\t{name}\t{name.split('_')[0]}\t{published}")
    (folder / "metadata.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def _said(name: str, text: str, mention: str, speaker: str | None) -> Statement:
    start = text.index(mention)
    cue = text.index(" said") + 1
    return Statement(
        statement_id=f"{name}#0",
        article_id=name,
        kind="indirect",
        content=text[cue + 5 :],
        content_spans=((cue + 5, len(text)),),
        cue="said",
        cue_span=(cue, cue + 4),
        speaker_mention=mention,
        speaker_span=(start, start + len(mention)),
        speaker=speaker,
        speaker_type="person",
    )


def predict(docs: Sequence[GoldText]) -> dict[str, list[Statement]]:
    speakers = {"Anna Vogel": "Anna Vogel", "Vogel": "Vogel", "Piet Rask": "Piet Rask"}
    found: dict[str, list[Statement]] = {}
    for doc in docs:
        mention = next(m for m in speakers if doc.text.split("\n\n")[1].startswith(m))
        found[doc.name] = [_said(doc.name, doc.text, mention, speakers[mention])]
    return found


def _gold_file(tmp_path: Path, entities: dict[str, str]) -> Path:
    lines = []
    for name, entity in entities.items():
        text = DOCS[name][1]
        body = text.index("\n\n") + 2
        end = text.index(" said")
        lines.append(json.dumps({"doc": name, "start": body, "end": end, "entity": entity}))
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_texts_load_in_publication_order_and_a_missing_document_is_e066(corpus: Path) -> None:
    texts = load_gold_texts(corpus, list(DOCS))
    assert [t.published for t in texts] == ["2025-03-10", "2025-03-11", "2025-03-12"]
    assert texts[0].outlet == "wire"
    with pytest.raises(QuotegraphError) as raised:
        load_gold_texts(corpus, ["nowhere_2025-01-01_x"])
    assert raised.value.code == "E066"


def test_linking_lifts_b_cubed_above_the_in_article_baseline(corpus: Path, tmp_path: Path) -> None:
    gold = _gold_file(
        tmp_path,
        {
            "wire_2025-03-10_budget": "anna_vogel",
            "post_2025-03-12_budget": "anna_vogel",
            "wire_2025-03-11_strike": "piet_rask",
        },
    )
    result = evaluate_speakers(corpus, gold, predict, linked_speaker_ids)
    assert (result["precision"], result["recall"], result["f1"]) == (1.0, 1.0, 1.0)
    # Without linking "Vogel" is an id of its own: recall (1/2 + 1/2 + 1) / 3.
    assert result["baseline"] == {"precision": 1.0, "recall": round(2 / 3, 4), "f1": 0.8}
    assert (result["mentions"], result["entities"], result["documents"]) == (3, 2, 3)
    assert result["speaker_ids_merged"] == 1
    assert result["unmatched_mentions"] == 0
    assert result["resolved_in_article"]["mentions"] == 3


def test_unknown_mentions_are_excluded_and_lost_mentions_stand_alone(
    corpus: Path, tmp_path: Path
) -> None:
    gold = _gold_file(
        tmp_path,
        {"wire_2025-03-10_budget": "anna_vogel", "post_2025-03-12_budget": "unknown"},
    )
    result = evaluate_speakers(corpus, gold, lambda docs: {}, linked_speaker_ids)
    assert (result["mentions"], result["excluded_unknown"]) == (1, 1)
    assert result["unmatched_mentions"] == 1


def test_resolved_in_article_drops_mentions_whose_name_means_someone_else() -> None:
    text = "Budget\n\nAnna Vogel said it. Anna Vogel said so. Anna Vogel said no."
    starts = [i for i in range(len(text)) if text.startswith("Anna Vogel", i)]
    statements = [
        Statement(
            statement_id=f"s{n}",
            article_id="d",
            kind="indirect",
            content="it",
            content_spans=((0, 2),),
            speaker_span=(start, start + 10),
            speaker="Anna Vogel",
            speaker_type="person",
        )
        for n, start in enumerate(starts)
    ]
    gold = [
        GoldMention("d", starts[0], starts[0] + 10, "anna_vogel"),
        GoldMention("d", starts[1], starts[1] + 10, "anna_vogel"),
        GoldMention("d", starts[2], starts[2] + 10, "piet_rask"),
    ]
    kept = resolved_in_article(gold, {"d": statements})
    assert [m.entity for m in kept] == ["anna_vogel", "anna_vogel"]
