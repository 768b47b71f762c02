"""Quality gate: cross-article speaker identity on the PolNeAR speaker gold (B-cubed).

The gold (``speaker_gold.jsonl``, offsets and entity keys only) was labelled by hand; see
``speaker_gold.md``. Floors live in ``speaker_floors.json`` with hashes of the article texts
and of the gold they were measured on. PolNeAR is third-party and not in the repository:
without ``../shared`` (or ``$QUOTEGRAPH_SHARED``) the gate skips and says why.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from quotegraph.evaluate.polnear_gold import default_data_dir
from quotegraph.evaluate.speakers import evaluate_speakers, load_gold_texts, load_speaker_gold
from quotegraph.predictors import linked_speaker_ids, statements_by_name

HERE = Path(__file__).parent
GOLD = HERE / "speaker_gold.jsonl"
FLOORS = json.loads((HERE / "speaker_floors.json").read_text(encoding="utf-8"))


def texts_hash(data: Path) -> str:
    gold = load_speaker_gold(GOLD)
    digest = hashlib.sha256()
    for text in sorted(load_gold_texts(data, [m.doc for m in gold]), key=lambda t: t.name):
        digest.update(text.name.encode())
        digest.update(text.text.encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    data = default_data_dir()
    if not (data / "train" / "text").is_dir():
        pytest.skip(f"PolNeAR not found at {data} (set QUOTEGRAPH_SHARED to the shared/ folder)")
    assert hashlib.sha256(GOLD.read_bytes()).hexdigest() == FLOORS["gold_sha256"], (
        "speaker gold changed: re-measure and re-pin speaker_floors.json"
    )
    assert texts_hash(data) == FLOORS["texts_sha256"], (
        "PolNeAR texts changed: re-measure and re-pin speaker_floors.json"
    )

    return evaluate_speakers(data, GOLD, statements_by_name(workers=2), linked_speaker_ids)


def _metric(values: dict[str, Any], path: str) -> float:
    for key in path.split("."):
        values = values[key]
    return float(values)  # type: ignore[arg-type]


def _baseline_path(path: str) -> str:
    head, _, _ = path.rpartition("linked.")
    return f"{head}baseline.f1" if head else "baseline.f1"


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(FLOORS["floors"]))
def test_b_cubed_at_or_above_floor(result: dict[str, Any], path: str) -> None:
    measured, floor = _metric(result, path), FLOORS["floors"][path]
    assert measured >= floor - FLOORS["tolerance"], f"{path}: {measured} < floor {floor}"


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(FLOORS["min_gain_over_baseline"]))
def test_linking_beats_the_in_article_baseline(result: dict[str, Any], path: str) -> None:
    gain = _metric(result, path) - _metric(result, _baseline_path(path))
    assert gain >= FLOORS["min_gain_over_baseline"][path], f"{path}: gain {gain:.4f}"


@pytest.mark.slow
def test_every_gold_mention_is_still_predicted(result: dict[str, Any]) -> None:
    """The gold labels predicted mentions: if the extractor moved them, re-label the gold."""
    assert result["unmatched_mentions"] <= 0.02 * result["mentions"], result
