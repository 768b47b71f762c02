"""The relations gold: its loader and scorer on a small invented corpus, and the committed
real-news file (``tests/quality/relations_gold.jsonl``) checked against PolNeAR."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.polnear_gold import default_data_dir
from quotegraph.evaluate.relations import (
    GoldPair,
    GoldSide,
    is_self_pair,
    load_relations_gold,
    score_relations,
)

GOLD = Path(__file__).parents[1] / "quality" / "relations_gold.jsonl"
TRAIN = Path(__file__).parents[1] / "quality" / "relations_train.jsonl"

# The committed file must not shrink below what was labelled (see relations_gold.md).
MIN_PAIRS = 201
MIN_DEV = {"pairs": 121, "contradicts": 51, "agrees": 33}
MIN_TRAIN = 80
# The fine-tuning set (relations_train.md): labels counted when it was committed.
MIN_TRAIN_SET = {"pairs": 332, "contradicts": 92, "agrees": 81, "neither": 159}

# Our own invented news, laid out as PolNeAR is: <split>/text/<name>.txt and metadata.tsv.
HARBOUR = (
    "Ferry strike ends\n\n"
    "Mayor Ilse Brandt said the harbour ferries would run on Monday. "
    "The union leader Tomas Reyes said no ferry would sail before the pay deal was signed."
)
COUNCIL = (
    "Council vote\n\n"
    "Councillor Ada Okoye said the ferries would be back on Monday, as the mayor had promised."
)
BUDGET = "Budget\n\nThe treasurer Pim Voss said the harbour budget would grow by four percent."
METADATA = (
    "compartment\tfilename\tpublisher\tpublication_date\n"
    "dev\tharbour-daily_2030-05-02_ferry\tharbour-daily\t2030-05-02\n"
    "dev\tcoast-post_2030-05-03_council\tcoast-post\t2030-05-03\n"
)


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def side(doc: str, text: str, phrase: str, speaker: str) -> dict[str, Any]:
    start, end = span(text, phrase)
    return {"doc": doc, "start": start, "end": end, "speaker": speaker}


def pair_line(pair_id: str, split: str, label: str, a: dict[str, Any], b: dict[str, Any]) -> str:
    row = {"id": pair_id, "split": split, "label": label, "kinds": ["inside_article"]}
    return json.dumps({**row, "a": a, "b": b, "note": "invented"})


@pytest.fixture
def polnear(tmp_path: Path) -> Path:
    root = tmp_path / "polnear"
    files = {
        "dev/text/harbour-daily_2030-05-02_ferry.txt": HARBOUR,
        "dev/text/coast-post_2030-05-03_council.txt": COUNCIL,
        "train/text/harbour-daily_2030-04-01_budget.txt": BUDGET,
        "metadata.tsv": METADATA,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


FERRY = "dev/harbour-daily_2030-05-02_ferry.txt"
MAYOR = ("the harbour ferries would run on Monday", "Ilse Brandt")
UNION = ("no ferry would sail before the pay deal was signed", "Tomas Reyes")


def write_gold(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_loader_reads_the_text_at_the_offsets_with_outlet_and_date(
    polnear: Path, tmp_path: Path
) -> None:
    council = "dev/coast-post_2030-05-03_council.txt"
    budget = "train/harbour-daily_2030-04-01_budget.txt"
    gold = write_gold(
        tmp_path,
        pair_line(
            "r1", "dev", "contradicts", side(FERRY, HARBOUR, *MAYOR), side(FERRY, HARBOUR, *UNION)
        ),
        "",
        pair_line(
            "r2",
            "dev",
            "agrees",
            side(FERRY, HARBOUR, *MAYOR),
            side(council, COUNCIL, "the ferries would be back on Monday", "Ada Okoye"),
        ),
        pair_line(
            "r3",
            "train",
            "neither",
            side(FERRY, HARBOUR, *MAYOR),
            side(budget, BUDGET, "the harbour budget would grow by four percent", "Pim Voss"),
        ),
    )
    pairs = load_relations_gold(gold, polnear)
    assert [p.pair_id for p in pairs] == ["r1", "r2", "r3"]
    first = pairs[0]
    assert (first.split, first.label, first.kinds) == ("dev", "contradicts", ("inside_article",))
    assert first.a == GoldSide(
        FERRY, *span(HARBOUR, MAYOR[0]), "Ilse Brandt", MAYOR[0], "harbour-daily", "2030-05-02"
    )
    assert first.b.text == UNION[0]
    assert pairs[1].b.outlet == "coast-post"
    # An article missing from metadata.tsv still loads, without outlet or date.
    assert (pairs[2].b.outlet, pairs[2].b.date) == (None, None)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda row: "{not json", "not a pair"),
        (lambda row: json.dumps({k: v for k, v in row.items() if k != "label"}), "label"),
        (lambda row: json.dumps({**row, "label": "supports"}), "label one of"),
        (lambda row: json.dumps({**row, "split": "test"}), "split must be"),
        (lambda row: json.dumps({**row, "kinds": "inside_article"}), "kinds"),
        (lambda row: json.dumps({**row, "a": {**row["a"], "start": "12"}}), "whole numbers"),
        (
            lambda row: json.dumps({**row, "a": {**row["a"], "end": row["a"]["start"]}}),
            "start < end",
        ),
        (lambda row: json.dumps({**row, "a": {**row["a"], "end": 10_000}}), "past the end"),
        (lambda row: json.dumps({**row, "a": {**row["a"], "speaker": " "}}), "speaker"),
        (lambda row: json.dumps({**row, "b": {**row["b"], "doc": "../secret.txt"}}), "doc must be"),
        (lambda row: json.dumps({**row, "split": "train"}), "make it 'dev'"),
    ],
)
def test_a_malformed_line_raises_e076_naming_its_line(
    polnear: Path, tmp_path: Path, change: Any, message: str
) -> None:
    good = pair_line(
        "r1", "dev", "agrees", side(FERRY, HARBOUR, *MAYOR), side(FERRY, HARBOUR, *UNION)
    )
    row = json.loads(good)
    gold = write_gold(tmp_path, good, change(row))
    with pytest.raises(QuotegraphError) as caught:
        load_relations_gold(gold, polnear)
    assert caught.value.code == "E076"
    assert f"{gold}:2" in str(caught.value)
    assert message in str(caught.value)


def test_a_blank_span_is_malformed(polnear: Path, tmp_path: Path) -> None:
    blank = {"doc": FERRY, "start": HARBOUR.index("\n\n"), "end": HARBOUR.index("\n\n") + 2}
    line = pair_line("r1", "dev", "agrees", {**blank, "speaker": "x"}, side(FERRY, HARBOUR, *UNION))
    with pytest.raises(QuotegraphError, match="blank") as caught:
        load_relations_gold(write_gold(tmp_path, line), polnear)
    assert caught.value.code == "E076"


def test_a_document_not_in_the_data_raises_e077(polnear: Path, tmp_path: Path) -> None:
    missing = {"doc": "dev/nowhere_2030-01-01_gone.txt", "start": 0, "end": 4, "speaker": "x"}
    line = pair_line("r1", "dev", "agrees", side(FERRY, HARBOUR, *MAYOR), missing)
    with pytest.raises(QuotegraphError) as caught:
        load_relations_gold(write_gold(tmp_path, line), polnear)
    assert caught.value.code == "E077"
    assert "nowhere_2030-01-01_gone" in str(caught.value)


# --------------------------------------------------------------------------- scoring


def gold_pair(pair_id: str, label: str, split: str = "dev", **extra: Any) -> GoldPair:
    speakers = extra.get("speakers", ("Ilse Brandt", "Tomas Reyes"))
    a = GoldSide(FERRY, 0, 5, speakers[0], "Ferry", None, None)
    b = GoldSide(FERRY, 6, 12, speakers[1], "strike", None, None)
    return GoldPair(pair_id, split, label, tuple(extra.get("kinds", ())), a, b)


def test_scores_precision_recall_and_confusion_per_split() -> None:
    gold = [
        gold_pair("c1", "contradicts"),
        gold_pair("c2", "contradicts"),
        gold_pair("c3", "contradicts", "train"),
        gold_pair("a1", "agrees"),
        gold_pair("a2", "agrees", "train"),
        gold_pair("n1", "neither"),
        gold_pair("n2", "neither", "train"),
    ]
    predicted = ["contradicts", None, "contradicts", "contradicts", "agrees", "agrees", None]
    result = score_relations(gold, predicted)
    everything = result["all"]
    assert everything["pairs"] == 7
    assert everything["contradicts"] == {
        "precision": 0.6667,
        "recall": 0.6667,
        "f1": 0.6667,
        "gold": 3,
        "predicted": 3,
        "correct": 2,
    }
    assert everything["agrees"] == {
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "gold": 2,
        "predicted": 2,
        "correct": 1,
    }
    assert everything["confusion"] == {
        "contradicts": {"contradicts": 2, "agrees": 0, "none": 1},
        "agrees": {"contradicts": 1, "agrees": 1, "none": 0},
        "neither": {"contradicts": 0, "agrees": 1, "none": 1},
    }
    dev = result["dev"]
    assert dev["pairs"] == 4
    assert (dev["contradicts"]["precision"], dev["contradicts"]["recall"]) == (0.5, 0.5)
    assert dev["agrees"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "gold": 1,
        "predicted": 1,
        "correct": 0,
    }
    train = result["train"]
    assert (train["contradicts"]["f1"], train["agrees"]["f1"]) == (1.0, 1.0)
    assert json.loads(json.dumps(result)) == result


def test_nothing_predicted_scores_zero_not_an_error() -> None:
    result = score_relations([gold_pair("c1", "contradicts")], [None])
    assert result["all"]["contradicts"]["precision"] == 0.0
    assert result["train"]["pairs"] == 0


def test_a_speaker_related_to_himself_is_listed_unless_it_is_a_reversal() -> None:
    same = ("Tomas Reyes", "tomas  reyes")
    gold = [
        gold_pair("s1", "neither", kinds=["self_repeat"]),
        gold_pair("s2", "neither", speakers=same),
        gold_pair("s3", "contradicts", speakers=same, kinds=["reversal"]),
        gold_pair("s4", "neither", kinds=["self_repeat"]),
        gold_pair("o1", "agrees"),
    ]
    assert [is_self_pair(p) for p in gold] == [True, True, True, True, False]
    result = score_relations(gold, ["agrees", "contradicts", "contradicts", None, "agrees"])
    assert result["self_pairs"] == 4
    assert result["self_relations"] == [
        {"id": "s1", "split": "dev", "speaker": "Ilse Brandt", "predicted": "agrees"},
        {"id": "s2", "split": "dev", "speaker": "Tomas Reyes", "predicted": "contradicts"},
    ]


def test_predictions_must_match_the_gold_one_for_one() -> None:
    with pytest.raises(ValueError, match="2 predictions for 1"):
        score_relations([gold_pair("c1", "contradicts")], [None, None])
    with pytest.raises(ValueError, match="must be one of"):
        score_relations([gold_pair("c1", "contradicts")], ["neither"])


# --------------------------------------------------------------------------- the committed file


@pytest.fixture(scope="module")
def committed() -> list[GoldPair]:
    data = default_data_dir()
    if not (data / "dev" / "text").is_dir() or not (data / "train" / "text").is_dir():
        pytest.skip(f"PolNeAR not found at {data} (set QUOTEGRAPH_SHARED to the shared/ folder)")
    return load_relations_gold(GOLD, data)


def test_committed_gold_is_large_enough_and_has_unique_ids(committed: list[GoldPair]) -> None:
    assert len(committed) >= MIN_PAIRS
    ids = [pair.pair_id for pair in committed]
    assert len(set(ids)) == len(ids)
    dev = Counter(pair.label for pair in committed if pair.split == "dev")
    assert sum(dev.values()) >= MIN_DEV["pairs"]
    assert dev["contradicts"] >= MIN_DEV["contradicts"]
    assert dev["agrees"] >= MIN_DEV["agrees"]
    assert sum(pair.split == "train" for pair in committed) >= MIN_TRAIN


def pair_key(pair: GoldPair) -> frozenset[tuple[str, int, int]]:
    """The two spans of a pair, in either order."""
    return frozenset(
        {(pair.a.doc, pair.a.start, pair.a.end), (pair.b.doc, pair.b.start, pair.b.end)}
    )


def assert_real_text_and_distinct(pairs: list[GoldPair]) -> None:
    data = default_data_dir()
    seen = set()
    for pair in pairs:
        for one in (pair.a, pair.b):
            assert one.text, pair.pair_id
            assert one.text.strip() == one.text, pair.pair_id
            # Offsets were widened to whole words: no span starts or ends inside a word.
            split, name = one.doc.split("/")
            whole = (data / split / "text" / name).read_bytes().decode("utf-8")
            assert not (whole[one.start - 1 : one.start + 1].isalnum() and one.start), pair.pair_id
            assert not whole[one.end - 1 : one.end + 1].isalnum(), pair.pair_id
        key = pair_key(pair)
        assert len(key) == 2, f"{pair.pair_id} pairs a span with itself"
        assert key not in seen, f"{pair.pair_id} repeats another pair"
        seen.add(key)


def assert_self_kinds_labelled(pairs: list[GoldPair]) -> None:
    for pair in pairs:
        if "self_repeat" in pair.kinds:
            assert pair.label == "neither", pair.pair_id
        if "reversal" in pair.kinds:
            assert pair.label == "contradicts", pair.pair_id


def test_committed_gold_spans_are_real_text_and_pairs_are_distinct(
    committed: list[GoldPair],
) -> None:
    assert_real_text_and_distinct(committed)


def test_committed_self_repeats_are_never_labelled_a_relation(committed: list[GoldPair]) -> None:
    assert_self_kinds_labelled(committed)


# --------------------------------------------------------------------------- the training set


@pytest.fixture(scope="module")
def train_set() -> list[GoldPair]:
    data = default_data_dir()
    if not (data / "train" / "text").is_dir():
        pytest.skip(f"PolNeAR not found at {data} (set QUOTEGRAPH_SHARED to the shared/ folder)")
    return load_relations_gold(TRAIN, data)


def test_train_set_is_train_articles_only_and_never_repeats_the_gold(
    train_set: list[GoldPair], committed: list[GoldPair]
) -> None:
    ids = [pair.pair_id for pair in train_set]
    assert len(set(ids)) == len(ids)
    for pair in train_set:
        assert pair.split == "train", pair.pair_id
        assert pair.a.doc.startswith("train/"), pair.pair_id
        assert pair.b.doc.startswith("train/"), pair.pair_id
    # The measuring gold and the fine-tuning set share no pair, in either order.
    gold_keys = {pair_key(pair) for pair in committed}
    assert [p.pair_id for p in train_set if pair_key(p) in gold_keys] == []


def test_train_set_spans_are_real_text_and_its_counts_never_shrink(
    train_set: list[GoldPair],
) -> None:
    assert_real_text_and_distinct(train_set)
    assert_self_kinds_labelled(train_set)
    labels = Counter(pair.label for pair in train_set)
    assert len(train_set) >= MIN_TRAIN_SET["pairs"]
    for label in ("contradicts", "agrees", "neither"):
        assert labels[label] >= MIN_TRAIN_SET[label], label
