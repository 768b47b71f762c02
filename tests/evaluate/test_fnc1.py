"""Tests for the FNC-1 harness: measures on hand-made label lists, CSV reading on tiny
fictional files (invented outlets, towns and events), the body split and the CLI."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotegraph.cli import app
from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.fnc1 import (
    HOLDOUT_PERCENT,
    check_bodies,
    evaluate_fnc1,
    fnc_score,
    is_held_out,
    is_inner_dev,
    per_class_f1,
    read_bodies,
    read_stances,
    score,
)

GOLD = ["agree", "disagree", "discuss", "unrelated", "unrelated", "agree"]
PRED = ["agree", "discuss", "discuss", "unrelated", "agree", "disagree"]

BODIES = {
    "7": "The Velmora ferry will resume service on Monday, the harbour office said.\n\n"
    'Captain Ilse Brandt called the repairs "finished, at last".',
    "8": "Bakers in Ostrany denied reports that the flour tax had been withdrawn.",
    "9": "The Corvel marathon was moved to October because of the heat, organisers said.",
}
STANCES = [
    ("Velmora ferry to sail again on Monday", "7", "agree"),
    ("Ostrany flour tax withdrawn", "8", "disagree"),
    ("Corvel marathon moved, say organisers", "9", "discuss"),
    ("Velmora ferry to sail again on Monday", "8", "unrelated"),
]


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    bodies = write_csv(tmp_path / "bodies.csv", ["Body ID", "articleBody"], list(BODIES.items()))
    stances = write_csv(tmp_path / "stances.csv", ["Headline", "Body ID", "Stance"], STANCES)
    return bodies, stances


# --------------------------------------------------------------------------- measures


def test_per_class_f1_by_hand() -> None:
    f1 = per_class_f1(GOLD, PRED)
    # agree: 1 hit, 2 gold, 2 predicted -> 2/4; disagree: 0 hits; discuss: 1 hit, 1 gold,
    # 2 predicted -> 2/3; unrelated: 1 hit, 2 gold, 1 predicted -> 2/3.
    assert f1 == pytest.approx(
        {"agree": 0.5, "disagree": 0.0, "discuss": 2 / 3, "unrelated": 2 / 3}
    )


def test_fnc_score_by_hand() -> None:
    # agree->agree 1.0; disagree->discuss 0.25; discuss->discuss 1.0; unrelated->unrelated
    # 0.25; unrelated->agree 0; agree->disagree 0.25. Best: 4 related + 2 * 0.25.
    assert fnc_score(GOLD, PRED) == (2.75, 4.5)


def test_score_report() -> None:
    result = score(GOLD, PRED)
    assert result["macro_f1"] == pytest.approx((0.5 + 0 + 2 / 3 + 2 / 3) / 4, abs=1e-4)
    assert result["fnc_score"] == 2.75
    assert result["fnc_score_relative"] == pytest.approx(2.75 / 4.5, abs=1e-4)
    assert result["accuracy"] == pytest.approx(0.5)
    assert result["confusion"]["unrelated"]["agree"] == 1
    assert set(result["per_class_f1"]) == {"agree", "disagree", "discuss", "unrelated"}


def test_perfect_and_empty_predictions() -> None:
    assert score(GOLD, GOLD)["macro_f1"] == 1.0
    assert score(GOLD, GOLD)["fnc_score_relative"] == 1.0
    assert per_class_f1([], []) == {"agree": 0, "disagree": 0, "discuss": 0, "unrelated": 0}


def test_lengths_must_match() -> None:
    with pytest.raises(QuotegraphError) as caught:
        fnc_score(GOLD, PRED[:-1])
    assert caught.value.code == "E044"


# --------------------------------------------------------------------------- reading


def test_read_csvs_with_newlines_and_quotes(files: tuple[Path, Path]) -> None:
    bodies_path, stances_path = files
    bodies = read_bodies(bodies_path)
    assert bodies == BODIES
    pairs = read_stances(stances_path)
    assert [(p.claim, p.body_id, p.stance) for p in pairs] == STANCES
    assert read_stances(stances_path, prefix="arc:")[0].body_id == "arc:7"


def test_unknown_stance_is_an_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", ["Headline", "Body ID", "Stance"], [("x", "1", "maybe")])
    with pytest.raises(QuotegraphError) as caught:
        read_stances(path)
    assert caught.value.code == "E056"
    assert "s.csv:2" in str(caught.value)


def test_missing_column_and_missing_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "b.csv", ["Body ID", "text"], [("1", "A body.")])
    with pytest.raises(QuotegraphError) as caught:
        read_bodies(path)
    assert caught.value.code == "E056"
    with pytest.raises(QuotegraphError) as caught:
        read_bodies(tmp_path / "absent.csv")
    assert caught.value.code == "E043"


def test_pairs_must_name_known_bodies(files: tuple[Path, Path]) -> None:
    pairs = read_stances(files[1])
    with pytest.raises(QuotegraphError) as caught:
        check_bodies(pairs, {"7": "only one body"}, "stances.csv")
    assert caught.value.code == "E056"


# --------------------------------------------------------------------------- split


def test_split_is_deterministic_and_about_the_right_size() -> None:
    ids = [str(n) for n in range(4000)]
    held = [i for i in ids if is_held_out(i)]
    assert held == [i for i in ids if is_held_out(i)]
    assert abs(len(held) / len(ids) - HOLDOUT_PERCENT / 100) < 0.02
    inner = {i for i in ids if is_inner_dev(i)}
    # The inner split is drawn independently of the held-out one.
    assert 0 < len(inner & set(held)) < len(held)


# --------------------------------------------------------------------------- evaluation


def keyword_predictor(pairs: Sequence[tuple[str, str]]) -> list[str]:
    """A stand-in model: 'disagree' when the body denies, 'unrelated' when no word is shared."""
    labels = []
    for claim, body in pairs:
        shared = {w.lower() for w in claim.split()} & {w.lower() for w in body.split()}
        if not shared:
            labels.append("unrelated")
        elif "denied" in body:
            labels.append("disagree")
        else:
            labels.append("agree")
    return labels


def test_evaluate_with_a_stand_in_model(files: tuple[Path, Path]) -> None:
    result = evaluate_fnc1(*files, predict=keyword_predictor)
    assert result["pairs"] == 4
    assert result["bodies"] == 3
    # agree right, disagree right, discuss->agree, unrelated->unrelated (no word shared).
    assert result["per_class_f1"]["disagree"] == 1.0
    assert result["per_class_f1"]["discuss"] == 0.0
    assert result["fnc_score"] == 1.0 + 1.0 + 0.25 + 0.25


def test_holdout_keeps_only_held_out_bodies(tmp_path: Path) -> None:
    held = next(str(n) for n in range(1000) if is_held_out(str(n)))
    kept = next(str(n) for n in range(1000) if not is_held_out(str(n)))
    bodies = write_csv(tmp_path / "b.csv", ["Body ID", "articleBody"], [(held, "x"), (kept, "y")])
    stances = write_csv(
        tmp_path / "s.csv",
        ["Headline", "Body ID", "Stance"],
        [("a", held, "unrelated"), ("b", kept, "agree"), ("c", kept, "agree")],
    )
    result = evaluate_fnc1(bodies, stances, holdout=True, predict=keyword_predictor)
    assert result["pairs"] == 1
    assert result["holdout"] is True
    assert evaluate_fnc1(bodies, stances, predict=keyword_predictor)["pairs"] == 3


def test_cli_prints_one_json_object(files: tuple[Path, Path]) -> None:
    bodies, stances = files
    result = CliRunner().invoke(
        app, ["eval", "fnc1", "--bodies", str(bodies), "--stances", str(stances)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["pairs"] == 4
    assert set(report) >= {"macro_f1", "per_class_f1", "fnc_score", "fnc_score_relative"}
    assert 0.0 <= report["fnc_score_relative"] <= 1.0
