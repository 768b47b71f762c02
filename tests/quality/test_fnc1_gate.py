"""Quality gate: the shipped stance model on our held-out part of FNC-1 train.

The held-out part is the bodies ``quotegraph.evaluate.fnc1.is_held_out`` picks (split by body,
never trained on). Floors live in ``fnc1_floors.json`` with hashes of the two files they were
measured on; raising a floor is a commit of its own. FNC-1 is third-party and not in the
repository: without ``../shared`` (or ``$QUOTEGRAPH_SHARED``) the gate skips and says why.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from quotegraph.corpus.stance import predict_labels
from quotegraph.evaluate.fnc1 import default_data_dir, evaluate_fnc1

FLOORS = json.loads((Path(__file__).parent / "fnc1_floors.json").read_text(encoding="utf-8"))


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def holdout_result() -> dict[str, Any]:
    data = default_data_dir()
    paths = {name: data / name for name in FLOORS["data_sha256"]}
    absent = [str(p) for p in paths.values() if not p.is_file()]
    if absent:
        pytest.skip(
            f"FNC-1 train files not found ({', '.join(absent)}); "
            "set QUOTEGRAPH_SHARED to the shared/ folder"
        )
    for name, path in paths.items():
        assert file_hash(path) == FLOORS["data_sha256"][name], (
            f"{name} changed: re-measure and re-pin the floors in fnc1_floors.json"
        )
    return evaluate_fnc1(
        paths["train_bodies.csv"], paths["train_stances.csv"], holdout=True, predict=predict_labels
    )


def _metric(result: dict[str, Any], path: str) -> float:
    value: Any = result
    for key in path.split("."):
        value = value[key]
    return float(value)


@pytest.mark.slow
def test_held_out_part_is_the_pinned_one(holdout_result: dict[str, Any]) -> None:
    assert holdout_result["bodies"] == FLOORS["holdout_bodies"]
    assert holdout_result["pairs"] == FLOORS["holdout_pairs"]


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(FLOORS["floors"]))
def test_metric_at_or_above_floor(holdout_result: dict[str, Any], path: str) -> None:
    measured = _metric(holdout_result, path)
    floor = FLOORS["floors"][path]
    assert measured >= floor - FLOORS["tolerance"], f"{path}: {measured} < floor {floor}"
