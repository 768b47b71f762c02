"""Quality gate: claim matching on CheckThat! 2020 task-2 dev must not fall below its floors.

The floors live in ``checkthat_floors.json`` with SHA-256 hashes of the files they were
measured on; raising a floor is a commit of its own. The data is third-party and not in the
repository: without ``../shared`` (or ``$QUOTEGRAPH_SHARED``) the gate skips and says why, and
the MiniLM floors skip without the ``[embed]`` extra. Nothing is cached between runs.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from quotegraph.corpus import embed
from quotegraph.corpus.matching import match_claims
from quotegraph.evaluate.checkthat import default_data_dir, evaluate_checkthat, split_files

FLOORS = json.loads((Path(__file__).parent / "checkthat_floors.json").read_text(encoding="utf-8"))


def _files() -> tuple[Path, Path, Path]:
    data = default_data_dir()
    files = split_files(data, FLOORS["split"])
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        pytest.skip(
            f"CheckThat! 2020 task-2 {FLOORS['split']} files not found ({', '.join(missing)}); "
            "set QUOTEGRAPH_SHARED to the shared/ folder"
        )
    for path in files:
        name = path.relative_to(data).as_posix()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest == FLOORS["data_sha256"][name], (
            f"{name} changed: re-measure and re-pin the floors in checkthat_floors.json"
        )
    return files


@pytest.fixture(scope="module", params=sorted(FLOORS["floors"]))
def result(request: pytest.FixtureRequest) -> tuple[str, dict]:
    name = request.param
    if name == "minilm" and not embed.minilm_available():
        pytest.skip("the [embed] extra (MiniLM) is not installed")
    files = _files()
    embedder = embed.load_embedder(name)
    scores = evaluate_checkthat(
        *files, lambda queries, claims: match_claims(queries, claims, k=10, embedder=embedder)
    )
    return name, scores


@pytest.mark.slow
def test_metrics_at_or_above_floor(result):
    name, scores = result
    for metric, floor in FLOORS["floors"][name].items():
        measured = scores[metric]
        assert measured >= floor - FLOORS["tolerance"], f"{name} {metric}: {measured} < {floor}"
