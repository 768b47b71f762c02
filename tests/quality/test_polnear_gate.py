"""Quality gate: attribution on PolNeAR dev must not fall below the pinned floors.

The floors live in ``polnear_floors.json`` with a hash of the data they were measured on;
raising a floor is a commit of its own. The data is third-party and not in the repository:
without ``../shared`` (or ``$QUOTEGRAPH_SHARED``) the gate skips and says why.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from quotegraph.evaluate.polnear import evaluate_polnear
from quotegraph.evaluate.polnear_gold import default_data_dir
from quotegraph.pipeline import statements_for_texts

FLOORS = json.loads((Path(__file__).parent / "polnear_floors.json").read_text(encoding="utf-8"))


def data_hash(split_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(split_dir.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(split_dir).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def dev_result():
    data = default_data_dir()
    split_dir = data / FLOORS["split"]
    if not split_dir.is_dir():
        pytest.skip(
            f"PolNeAR {FLOORS['split']} split not found at {split_dir} "
            "(set QUOTEGRAPH_SHARED to the shared/ folder)"
        )
    assert data_hash(split_dir) == FLOORS["data_sha256"], (
        "PolNeAR data changed: re-measure and re-pin the floors in polnear_floors.json"
    )

    def predict(docs):
        return dict(statements_for_texts(((d.name, d.text) for d in docs), workers=2))

    return evaluate_polnear(data, FLOORS["split"], predict)


def _metric(result: dict, path: str) -> float:
    value = result
    for key in path.split("."):
        value = value[key]
    return value


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(FLOORS["floors"]))
def test_metric_at_or_above_floor(dev_result, path):
    measured = _metric(dev_result, path)
    floor = FLOORS["floors"][path]
    assert measured >= floor - FLOORS["tolerance"], f"{path}: {measured} < floor {floor}"


@pytest.mark.slow
def test_confidence_is_calibrated(dev_result):
    """A statement with confidence 0.9 is right about 9 times in 10 (fit on train only)."""
    calibration = dev_result["calibration"]
    assert calibration["ece"] <= FLOORS["max_calibration_error"], calibration
