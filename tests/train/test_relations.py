"""The pair-model trainer's data handling and loss, without training a model."""

from __future__ import annotations

import csv
import json
import random
from dataclasses import replace
from pathlib import Path

import pytest

from quotegraph.evaluate.fnc1 import is_held_out
from quotegraph.train import relations
from quotegraph.train.relations import (
    NOT_ENTAILMENT,
    RelationTrainSettings,
    TrainPair,
    held_out,
    load_training_pairs,
)


def test_loss_is_cross_entropy_and_not_entailment_takes_either_other_label() -> None:
    torch = pytest.importorskip("torch", reason="the [train] extra (torch) is not installed")
    logits = torch.tensor([[2.0, 0.0, 0.0], [0.0, 1.0, 1.0]])
    log_p = torch.log_softmax(logits, dim=-1)
    three_way = relations._loss(torch, logits[:1], torch.tensor([0]))
    assert three_way.item() == pytest.approx(-log_p[0, 0].item())
    binary = relations._loss(torch, logits[1:], torch.tensor([NOT_ENTAILMENT]))
    assert binary.item() == pytest.approx(-torch.log(log_p[1, 1:].exp().sum()).item())


def test_held_out_share_is_stable_and_about_the_share_asked() -> None:
    pairs = [TrainPair(f"premise {i}", f"hypothesis {i}", 0, "snli") for i in range(4000)]
    chosen = [p for p in pairs if held_out(p, 0.1)]
    assert chosen == [p for p in pairs if held_out(p, 0.1)]
    assert 300 < len(chosen) < 500


def test_batches_cover_every_pair_once_with_similar_lengths() -> None:
    pairs = [TrainPair("w " * (i % 37), "h", 1, "snli") for i in range(500)]
    batches = relations._batches(pairs, 16, random.Random(0))
    assert sorted(id(p) for b in batches for p in b) == sorted(id(p) for p in pairs)
    assert all(len(b) <= 16 for b in batches)


def _write_shared(root: Path) -> None:
    nli = root / "nli"
    nli.mkdir(parents=True)
    rows = {
        "snli_dev.jsonl": [("A dog runs.", "An animal runs.", "entailment")] * 3
        + [("A cat sleeps.", "-", "-")],
        "snli_test.jsonl": [
            (f"Kids play {i}.", "Nobody plays.", "contradiction") for i in range(5)
        ],
        "mnli_binary_dev.jsonl": [("The mill closed.", "The mill is open.", "not_entailment")],
        "mnli_binary_test.jsonl": [],
        "fever_binary_dev.jsonl": [("Velmar is a port.", "Velmar has a port.", "entailment")],
        "fever_binary_test.jsonl": [],
        "climate_fever_pairs.jsonl": [("Ice grew.", "Ice shrank.", "REFUTES")],
        "rte3_dev_3way.jsonl": [("A ran.", "B ran.", "neutral")],
    }
    for name, items in rows.items():
        lines = [json.dumps({"premise": p, "hypothesis": h, "label": lab}) for p, h, lab in items]
        (nli / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    fnc = root / "fnc-1"
    (fnc / "arc").mkdir(parents=True)
    ids = [str(i) for i in range(40)]
    kept = next(i for i in ids if not is_held_out(i))
    dropped = next(i for i in ids if is_held_out(i))
    for folder, bodies_name, stances_name in (
        (fnc, "train_bodies.csv", "train_stances.csv"),
        (fnc / "arc", "arc_bodies.csv", "arc_stances_train.csv"),
    ):
        with (folder / bodies_name).open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Body ID", "articleBody"])
            writer.writerow([kept, "The ferry tax rises. Rain fell."])
            writer.writerow([dropped, "A held-out body."])
        with (folder / stances_name).open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Headline", "Body ID", "Stance"])
            writer.writerow(["Ferry tax rises", kept, "disagree"])
            writer.writerow(["Held out claim", dropped, "agree"])


def test_loading_caps_each_source_and_never_uses_held_out_fnc_bodies(tmp_path: Path) -> None:
    _write_shared(tmp_path)
    settings = replace(
        RelationTrainSettings(), held_out_share=0.0, limits=(("snli", 4), ("mnli", 10))
    )
    train, held = load_training_pairs(tmp_path, settings)
    by_source: dict[str, list[TrainPair]] = {}
    for pair in train:
        by_source.setdefault(pair.source, []).append(pair)
    assert len(by_source["snli"]) == 4
    assert by_source["mnli"][0].target == NOT_ENTAILMENT
    assert by_source["climate"][0].target == 2
    fnc_claims = {p.hypothesis for p in by_source["fnc"]}
    assert fnc_claims == {"Ferry tax rises"}
    assert by_source["fnc"][0].target == 2
    # ARC bodies are not FNC-1's: its held-out list does not apply there
    assert {p.hypothesis for p in by_source["arc"]} == {"Ferry tax rises", "Held out claim"}
    assert all(not pairs for pairs in held.values())


def test_a_missing_training_file_is_e043(tmp_path: Path) -> None:
    _write_shared(tmp_path)
    (tmp_path / "nli" / "snli_dev.jsonl").unlink()
    with pytest.raises(Exception, match="E043"):
        load_training_pairs(tmp_path, RelationTrainSettings())


def test_a_missing_rte_file_is_e043_before_training(tmp_path: Path) -> None:
    # RTE-3 dev is only measured after training: its absence must stop the run at once.
    _write_shared(tmp_path)
    (tmp_path / relations.RTE_FILE).unlink()
    with pytest.raises(Exception, match="E043"):
        load_training_pairs(tmp_path, RelationTrainSettings())


# --- real-news pairs (a second stage) ---------------------------------------------------------

DOCK = (
    "Dock strike\n\n"
    "The port director Ilse Brandt said the cranes would run again on Monday. "
    "The union leader Tomas Reyes said no crane would move before the pay deal was signed."
)


def _real_news(root: Path, split: str) -> Path:
    """A PolNeAR-shaped folder under ``root/polnear`` and one labelled pair in it."""
    name = "harbour-daily_2030-05-02_dock"
    text_file = root / "polnear" / split / "text" / f"{name}.txt"
    text_file.parent.mkdir(parents=True, exist_ok=True)
    text_file.write_text(DOCK, encoding="utf-8")
    (root / "polnear" / "metadata.tsv").write_text(
        "compartment\tfilename\tpublisher\tpublication_date\n"
        f"{split}\t{name}\tharbour-daily\t2030-05-02\n",
        encoding="utf-8",
    )

    def side(phrase: str, speaker: str) -> dict[str, object]:
        start = DOCK.index(phrase)
        return {
            "doc": f"{split}/{name}.txt",
            "start": start,
            "end": start + len(phrase),
            "speaker": speaker,
        }

    line = {
        "id": "rt-1",
        "split": split,
        "label": "contradicts",
        "kinds": ["inside_article"],
        "a": side("the cranes would run again on Monday", "Ilse Brandt"),
        "b": side("no crane would move before the pay deal was signed", "Tomas Reyes"),
    }
    path = root / "real.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    return path


def test_real_news_pairs_are_read_both_ways_with_their_speakers(tmp_path: Path) -> None:
    path = _real_news(tmp_path, "train")
    pairs = relations.real_news_pairs(path, tmp_path)
    assert [(p.premise, p.hypothesis) for p in pairs] == [
        (
            "Ilse Brandt: the cranes would run again on Monday",
            "Tomas Reyes: no crane would move before the pay deal was signed",
        ),
        (
            "Tomas Reyes: no crane would move before the pay deal was signed",
            "Ilse Brandt: the cranes would run again on Monday",
        ),
    ]
    assert {(p.target, p.source) for p in pairs} == {(2, "real_news")}


def test_a_dev_pair_is_never_trained_on(tmp_path: Path) -> None:
    path = _real_news(tmp_path, "dev")
    with pytest.raises(Exception, match="E044"):
        relations.real_news_pairs(path, tmp_path)


def test_a_real_news_stage_trains_on_those_pairs_alone_repeated(tmp_path: Path) -> None:
    _write_shared(tmp_path)
    path = _real_news(tmp_path, "train")
    settings = replace(
        RelationTrainSettings(), real_news=str(path), real_news_repeat=3, only_real_news=True
    )
    train, held = load_training_pairs(tmp_path, settings)
    assert len(train) == 6
    assert {p.source for p in train} == {"real_news"}
    assert held == {}
    mixed, _ = load_training_pairs(tmp_path, replace(settings, only_real_news=False))
    assert sum(p.source == "real_news" for p in mixed) == 6
    assert {p.source for p in mixed} >= {"snli", "fnc", "real_news"}
