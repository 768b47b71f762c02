"""``quotegraph train story-vectors``: the export gives a model the story pass can load, and
the shipped files are what the command produces."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from quotegraph.corpus.embed import OnnxMiniLMEmbedder, story_vectors_dir

TEXTS = [
    "Velmora ferry crews strike. Ferry crews in the port of Velmora walked out on Monday.",
    "Karsk islanders stranded as the Velmora ferry strike drags on into its third day.",
    "Bakers in Amberlund closed their shops over a new tax on imported flour.",
]


@pytest.mark.slow
def test_export_writes_a_loadable_int8_model_close_to_the_shipped_one(tmp_path: Path) -> None:
    pytest.importorskip("torch", reason="the [train] extra (torch) is not installed")
    pytest.importorskip("transformers", reason="the [train] extra (transformers) is not installed")
    from quotegraph.train.story_vectors import export_story_vectors

    report = export_story_vectors(tmp_path, TEXTS, provenance={"command": "test"})
    config = json.loads((tmp_path / "config.json").read_text(encoding="utf-8"))
    assert (config["dim"], config["max_length"], config["pooling"]) == (384, 64, "mean")
    assert config["provenance"] == {"command": "test"}
    assert report["texts"] == 3
    # Quantisation costs a little; a broken export (no pooling mask, wrong graph) far more.
    assert report["cosine_with_float_same_length_mean"] > 0.85
    assert report["model_bytes"] < 30_000_000
    exported = OnnxMiniLMEmbedder(tmp_path, threads=1).embed(TEXTS)
    shipped = OnnxMiniLMEmbedder(story_vectors_dir(), threads=1).embed(TEXTS)
    assert np.min(np.sum(exported * shipped, axis=1)) > 0.99
