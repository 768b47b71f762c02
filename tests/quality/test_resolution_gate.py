"""Quality gate: in-article resolution of pronoun and description sources (PolNeAR dev).

``resolution_gold.jsonl`` (see ``resolution_gold.md``) records whom each pronoun or
description source of PolNeAR dev refers to. The floors live in ``resolution_floors.json``
with SHA-256 hashes of the dev data and of the gold file; raising a floor is a commit of its
own. Without ``../shared`` (or ``$QUOTEGRAPH_SHARED``) the gate skips and says why.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from quotegraph.evaluate.polnear_gold import default_data_dir
from quotegraph.evaluate.resolution import SPLIT, evaluate_resolution
from quotegraph.pipeline import statements_for_texts

from .test_polnear_gate import data_hash

HERE = Path(__file__).parent
GOLD = HERE / "resolution_gold.jsonl"
FLOORS = json.loads((HERE / "resolution_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def result() -> dict:
    data = default_data_dir()
    if not (data / SPLIT / "text").is_dir():
        pytest.skip(f"PolNeAR {SPLIT} not found in {data}; set QUOTEGRAPH_SHARED to shared/")
    assert data_hash(data / SPLIT) == FLOORS["data_sha256"], "PolNeAR dev changed: re-measure"
    gold_digest = hashlib.sha256(GOLD.read_bytes()).hexdigest()
    assert gold_digest == FLOORS["gold_sha256"], "the gold changed: re-measure the floors"

    def predict(docs):  # type: ignore[no-untyped-def]
        return dict(statements_for_texts(((d.name, d.text) for d in docs), workers=2))

    return evaluate_resolution(data, GOLD, predict)


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(FLOORS["floors"]))
def test_accuracy_at_or_above_floor(result: dict, path: str) -> None:
    node = result
    for part in path.split("."):
        node = node[part]
    floor = FLOORS["floors"][path]
    assert node >= floor - FLOORS["tolerance"], f"{path}: {node} < {floor}"
