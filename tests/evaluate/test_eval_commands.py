"""``quotegraph eval relations`` and ``quotegraph eval pairs`` end to end, on our own prose."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from tests.evaluate.test_relations_gold import COUNCIL, HARBOUR, pair_line, polnear, side
from typer.testing import CliRunner

from quotegraph.cli import app
from quotegraph.corpus import pair_model
from quotegraph.errors import QuotegraphError

__all__ = ["polnear"]  # the fixture, imported for these tests

FERRY = "dev/harbour-daily_2030-05-02_ferry.txt"
VOTE = "dev/coast-post_2030-05-03_council.txt"


class KeywordScorer:
    """Contradiction when one text says 'no ferry', entailment when both say 'Monday'."""

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        rows = []
        for a, b in pairs:
            if "no ferry" in a or "no ferry" in b:
                rows.append([0.05, 0.05, 0.9])
            elif "Monday" in a and "Monday" in b:
                rows.append([0.9, 0.05, 0.05])
            else:
                rows.append([0.1, 0.8, 0.1])
        return np.array(rows, dtype=np.float32)


def write_gold(path: Path) -> Path:
    brandt = side(FERRY, HARBOUR, "the harbour ferries would run on Monday", "Ilse Brandt")
    reyes = side(FERRY, HARBOUR, "no ferry would sail before the pay deal", "Tomas Reyes")
    okoye = side(VOTE, COUNCIL, "the ferries would be back on Monday", "Ada Okoye")
    lines = [
        pair_line("rel-1", "dev", "contradicts", brandt, reyes),
        pair_line("rel-2", "dev", "agrees", brandt, okoye),
        # the same speaker twice: the judge's "agrees" must be dropped
        pair_line("rel-3", "dev", "neither", brandt, {**okoye, "speaker": "Ilse Brandt"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_eval_relations_judges_each_pair_and_never_relates_a_speaker_to_himself(
    polnear: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pair_model, "load_pair_model", lambda directory=None: KeywordScorer())
    gold = write_gold(tmp_path / "gold.jsonl")
    args = ["eval", "relations", "--gold", str(gold), "--data", str(polnear), "--pairs"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["dev"]["contradicts"]["precision"] == 1.0
    assert report["dev"]["contradicts"]["recall"] == 1.0
    assert report["dev"]["agrees"]["correct"] == 1
    assert report["self_relations"] == []
    verdicts = {p["id"]: p["predicted"] for p in report["pairs"]}
    assert verdicts == {"rel-1": "contradicts", "rel-2": "agrees", "rel-3": None}


def test_eval_pairs_scores_the_shipped_model_on_a_pairs_file(tmp_path: Path) -> None:
    if not pair_model.shipped_model_available():
        pytest.skip("the package carries no pair model")
    rows = [
        (
            "The mayor of Velmar resigned on Friday.",
            "The mayor of Velmar did not resign.",
            "contradiction",
        ),
        (
            "Three people were hurt in the fire at the mill.",
            "People were hurt in a fire.",
            "entailment",
        ),
    ]
    path = tmp_path / "pairs.jsonl"
    path.write_text(
        "\n".join(json.dumps({"premise": p, "hypothesis": h, "label": y}) for p, h, y in rows),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["eval", "pairs", "--data", str(path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["pairs"] == 2
    assert report["scheme"] == "three-way"
    assert set(report["per_class_f1"]) == {"entailment", "neutral", "contradiction"}
    assert report["accuracy"] == 1.0


def test_eval_pairs_names_a_malformed_line(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text('{"premise": "p", "hypothesis": "h", "label": "perhaps"}\n')
    result = CliRunner().invoke(app, ["eval", "pairs", "--data", str(path)])
    assert isinstance(result.exception, QuotegraphError)
    assert result.exception.code == "E075"
    assert result.exception.source == f"{path}:1"
