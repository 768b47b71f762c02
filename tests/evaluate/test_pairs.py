"""Scoring labelled sentence pairs (``quotegraph eval pairs``) on hand-built files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.pairs import LabelledPair, predicted_labels, read_pairs, score_pairs

ENTAIL, NEUTRAL, CONTRA = [0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]


def write(tmp_path: Path, rows: list[object]) -> Path:
    path = tmp_path / "pairs.jsonl"
    lines = [r if isinstance(r, str) else json.dumps(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reads_pairs_maps_climate_labels_and_skips_no_consensus(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            {
                "premise": "The ferry runs daily.",
                "hypothesis": "A ferry runs.",
                "label": "entailment",
            },
            {"premise": "p", "hypothesis": "h", "label": "-"},
            {"premise": "Snow fell.", "hypothesis": "No snow fell.", "label": "REFUTES"},
            "",
        ],
    )
    assert read_pairs(path) == [
        LabelledPair("The ferry runs daily.", "A ferry runs.", "entailment"),
        LabelledPair("Snow fell.", "No snow fell.", "contradiction"),
    ]


@pytest.mark.parametrize(
    ("row", "detail"),
    [
        ("{not json", "Expecting"),
        ('["a list"]', "JSON object"),
        ({"premise": "p", "label": "neutral"}, "missing hypothesis"),
        ({"premise": "p", "hypothesis": "h", "label": "maybe"}, "unknown label 'maybe'"),
    ],
)
def test_malformed_line_is_e075_with_its_line_number(
    tmp_path: Path, row: object, detail: str
) -> None:
    good = {"premise": "p", "hypothesis": "h", "label": "neutral"}
    path = write(tmp_path, [good, row])
    with pytest.raises(QuotegraphError) as caught:
        read_pairs(path)
    assert caught.value.code == "E075"
    assert caught.value.source == f"{path}:2"
    assert detail in str(caught.value)


def test_missing_file_is_e043(tmp_path: Path) -> None:
    with pytest.raises(QuotegraphError) as caught:
        read_pairs(tmp_path / "absent.jsonl")
    assert caught.value.code == "E043"


def test_three_way_scores() -> None:
    labels = ["entailment", "entailment", "neutral", "contradiction"]
    probabilities = np.array([ENTAIL, CONTRA, NEUTRAL, CONTRA])
    result = score_pairs(labels, probabilities)
    # entailment: 1 hit, 1 predicted, 2 gold -> F1 2/3; neutral 1.0; contradiction: P 1/2 R 1
    assert result["accuracy"] == 0.75
    assert result["scheme"] == "three-way"
    assert result["per_class_f1"] == {"entailment": 0.6667, "neutral": 1.0, "contradiction": 0.6667}
    assert result["macro_f1"] == round((2 / 3 + 1 + 2 / 3) / 3, 4)


def test_two_way_needs_entailment_to_outweigh_the_rest() -> None:
    labels = ["entailment", "not_entailment", "not_entailment"]
    # 0.45 is the largest single probability but not more than the other two together
    probabilities = np.array([[0.45, 0.3, 0.25], CONTRA, NEUTRAL])
    assert predicted_labels(labels, probabilities) == ["not_entailment"] * 3
    result = score_pairs(labels, probabilities)
    assert result["scheme"] == "two-way"
    assert result["accuracy"] == round(2 / 3, 4)
    assert result["per_class_f1"] == {"entailment": 0.0, "not_entailment": 0.8}


def test_rows_must_match_labels() -> None:
    with pytest.raises(ValueError, match="one probability row per label"):
        score_pairs(["neutral"], np.array([NEUTRAL, NEUTRAL]))


def test_a_file_mixing_two_way_and_three_way_labels_is_e075(tmp_path: Path) -> None:
    # Scored two-way, its neutral and contradiction pairs would all count as wrong.
    path = write(
        tmp_path,
        [
            {"premise": "p", "hypothesis": "h", "label": "not_entailment"},
            {"premise": "p", "hypothesis": "h", "label": "contradiction"},
        ],
    )
    with pytest.raises(QuotegraphError) as caught:
        read_pairs(path)
    assert caught.value.code == "E075"
    assert "mixes two-way and three-way labels" in str(caught.value)
