"""The shipped pair model (int8 ONNX cross-encoder) and its loader."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from quotegraph.corpus import pair_model
from quotegraph.corpus.pair_model import (
    CONTRADICTION,
    ENTAILMENT,
    PAIR_LABELS,
    OnnxPairModel,
    body_excerpt,
    load_pair_model,
)
from quotegraph.errors import QuotegraphError

PAIRS = [
    ("Three people were hurt in the fire at the Korsvik mill.", "People were hurt in a fire."),
    ("The mayor of Velmar resigned on Friday.", "The mayor of Velmar did not resign."),
    ("Mayor Ilse Tarn said the budget is balanced.", "The town fair drew large crowds."),
]
# The shipped model reads an explicit negation as a contradiction, but not opposite words:
# "reopened" vs "stayed closed" came out as entailment (RELATIONS_MODEL.md, what it misses).


@pytest.fixture(scope="module")
def model() -> OnnxPairModel:
    return load_pair_model()


def test_the_package_ships_the_pair_model() -> None:
    assert pair_model.shipped_model_available()
    config = json.loads((pair_model.model_dir() / pair_model.CONFIG_FILE).read_text())
    assert config["labels"] == list(PAIR_LABELS)
    assert config["provenance"]["command"].startswith("quotegraph train relations")


def test_probabilities_are_rows_that_sum_to_one(model: OnnxPairModel) -> None:
    rows = model.probabilities(PAIRS)
    assert rows.shape == (3, 3)
    assert np.allclose(rows.sum(axis=1), 1.0, atol=1e-5)
    assert model.probabilities([]).shape == (0, 3)


def test_batching_by_length_keeps_each_pair_in_its_row(model: OnnxPairModel) -> None:
    together = model.probabilities(PAIRS)
    alone = np.vstack([model.probabilities([pair]) for pair in PAIRS])
    assert np.allclose(together, alone, atol=1e-4)


def test_it_tells_a_paraphrase_from_a_contradiction(model: OnnxPairModel) -> None:
    paraphrase, contradiction, _ = model.probabilities(PAIRS)
    assert paraphrase.argmax() == ENTAILMENT
    assert contradiction.argmax() == CONTRADICTION


def test_a_folder_without_the_files_is_e074(tmp_path: Path) -> None:
    with pytest.raises(QuotegraphError) as caught:
        load_pair_model(tmp_path)
    assert caught.value.code == "E074"


def test_a_model_with_other_labels_is_e074(tmp_path: Path) -> None:
    shutil.copytree(pair_model.model_dir(), tmp_path / "m")
    config = tmp_path / "m" / pair_model.CONFIG_FILE
    config.write_text(json.dumps({"labels": ["yes", "no"]}))
    with pytest.raises(QuotegraphError, match="expected labels"):
        load_pair_model(tmp_path / "m")


def test_thread_setting_must_be_a_positive_integer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pair_model.THREADS_VARIABLE, "two")
    with pytest.raises(QuotegraphError) as caught:
        OnnxPairModel(pair_model.model_dir())
    assert caught.value.code == "E044"


def test_body_excerpt_keeps_the_sentences_about_the_claim_in_body_order() -> None:
    body = (
        "The council met on Tuesday. Rain fell all week. "
        "The ferry tax will rise next year, the council said. "
        "Fishermen oppose the ferry tax. Schools close in June."
    )
    excerpt = body_excerpt("Council raises ferry tax", body, sentences=2)
    assert excerpt == (
        "The ferry tax will rise next year, the council said. Fishermen oppose the ferry tax."
    )
    assert body_excerpt("anything", "One sentence only.") == "One sentence only."
