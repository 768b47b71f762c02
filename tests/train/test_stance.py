"""Training the stance model end to end on a tiny fictional FNC-1/ARC folder (invented towns,
people and events): files in, model files out, and the CLI around it."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotegraph.cli import app
from quotegraph.corpus.stance import VOCAB_FILE, WEIGHTS_FILE, StanceModel, model_dir
from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.fnc1 import is_held_out
from quotegraph.train.stance import StanceTrainSettings, load_split, train_stance

pytest.importorskip("sklearn")

EVENTS = [
    ("Velmora ferry resumes service", "The Velmora ferry resumed service on Monday after repairs."),
    ("Ostrany flour tax withdrawn", "Officials denied that the Ostrany flour tax was withdrawn."),
    ("Corvel marathon moved to October", "Organisers reportedly may move the Corvel marathon."),
    (
        "Brevik library opens on Sundays",
        "The Brevik library will open on Sundays, the council said.",
    ),
]
STANCES = ("agree", "disagree", "discuss", "agree")
TINY = StanceTrainSettings(
    claim_vocab_size=50, claim_min_df=1, body_vocab_size=80, body_min_df=1,
    hidden_units=4, epochs=3, batch_size=4,
)  # fmt: skip


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def body_ids(count: int, *, held_out: bool) -> list[str]:
    return [str(n) for n in range(10_000) if is_held_out(str(n)) == held_out][:count]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Four trainable FNC bodies, one held-out body, and an ARC part in the same shape."""
    ids = body_ids(4, held_out=False) + body_ids(1, held_out=True)
    bodies = [(i, EVENTS[n % 4][1]) for n, i in enumerate(ids)]
    stances = [(EVENTS[n % 4][0], i, STANCES[n % 4]) for n, i in enumerate(ids)]
    stances += [(EVENTS[(n + 1) % 4][0], i, "unrelated") for n, i in enumerate(ids)]
    write_csv(tmp_path / "train_bodies.csv", ["Body ID", "articleBody"], bodies)
    write_csv(tmp_path / "train_stances.csv", ["Headline", "Body ID", "Stance"], stances)
    write_csv(tmp_path / "arc" / "arc_bodies.csv", ["Body ID", "articleBody"], bodies[:4])
    write_csv(tmp_path / "arc" / "arc_stances_train.csv", ["Headline", "Body ID", "Stance"],
              stances[:4] + stances[5:9])  # fmt: skip
    return tmp_path


def test_held_out_bodies_never_reach_training(data_dir: Path) -> None:
    split = load_split(data_dir, TINY, tune=False)
    fnc_ids = {p.body_id for p in split.train if not p.body_id.startswith("arc:")}
    assert fnc_ids == set(body_ids(4, held_out=False))
    assert sum(p.body_id.startswith("arc:") for p in split.train) == 8


def test_train_writes_a_loadable_model(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "model"
    report = train_stance(data_dir, out, TINY)
    assert report["training_pairs"] == 16
    assert (out / WEIGHTS_FILE).is_file()
    assert (out / VOCAB_FILE).is_file()
    model = StanceModel.load(out)
    assert model.info["settings"]["hidden_units"] == 4
    probabilities = model.probabilities([(EVENTS[0][0], EVENTS[0][1])])
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-5)


def test_tune_scores_the_inner_dev_and_writes_nothing(data_dir: Path) -> None:
    report = train_stance(data_dir, None, TINY, tune=True)
    assert "written_to" not in report
    assert "inner_dev" in report


def test_missing_data_is_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(QuotegraphError) as caught:
        train_stance(tmp_path, None, TINY)
    assert caught.value.code == "E057"


# The CLI trains with the shipped settings, whose batch is larger than this tiny data set.
@pytest.mark.filterwarnings("ignore:Got `batch_size`:UserWarning")
def test_cli_train_then_eval_with_that_model(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli-model"
    runner = CliRunner()
    trained = runner.invoke(app, ["train", "stance", "--data", str(data_dir), "--out", str(out)])
    assert trained.exit_code == 0, trained.output
    assert json.loads(trained.output)["written_to"] == str(out)
    evaluated = runner.invoke(
        app,
        ["eval", "fnc1", "--bodies", str(data_dir / "train_bodies.csv"),
         "--stances", str(data_dir / "train_stances.csv"), "--holdout", "--model", str(out)],
    )  # fmt: skip
    assert evaluated.exit_code == 0, evaluated.output
    report = json.loads(evaluated.output)
    assert report["pairs"] == 2  # the held-out body's related and unrelated pair
    assert report["bodies"] == 1


def test_cli_without_out_writes_a_new_folder_with_provenance(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = model_dir() / VOCAB_FILE
    before = shipped.read_bytes()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    trained = CliRunner().invoke(app, ["train", "stance", "--data", str(data_dir)])
    assert trained.exit_code == 0, trained.output
    written = Path(json.loads(trained.output)["written_to"])
    assert written.parent == Path("trained")
    assert written.name.startswith("stance-")
    info = json.loads((work / written / VOCAB_FILE).read_text(encoding="utf-8"))["info"]
    record = info["provenance"]
    assert record["command"].startswith(f"quotegraph train stance --data {data_dir}")
    assert len(record["data_sha256"]) == 64
    assert record["settings"]["seed"] == 0
    assert shipped.read_bytes() == before  # the shipped model is never the default target
