"""Where trainers write and what a trained model records about its making."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.train.provenance import data_fingerprint, output_path, provenance

NOW = datetime(2026, 3, 10, 8, 30, 5, tzinfo=UTC)


def make_data(root: Path) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "text" / "a.txt").write_text("The Velmora ferry resumed service.", encoding="utf-8")
    (root / "text" / "b.txt").write_text("Brevik library opens on Sundays.", encoding="utf-8")
    return root


def test_fingerprint_is_stable_for_the_same_files(tmp_path: Path) -> None:
    first = make_data(tmp_path / "one")
    second = make_data(tmp_path / "two")
    assert data_fingerprint([first]) == data_fingerprint([second])


@pytest.mark.parametrize("change", ["edit", "rename", "add", "remove"])
def test_fingerprint_changes_with_the_data(tmp_path: Path, change: str) -> None:
    data = make_data(tmp_path / "data")
    before = data_fingerprint([data])
    text = data / "text" / "a.txt"
    if change == "edit":
        text.write_text("The Velmora ferry resumed service!", encoding="utf-8")
    elif change == "rename":
        text.rename(data / "text" / "c.txt")
    elif change == "add":
        (data / "text" / "d.txt").write_text("", encoding="utf-8")
    else:
        text.unlink()
    assert data_fingerprint([data]) != before


def test_provenance_records_data_settings_command_and_date(tmp_path: Path) -> None:
    data = make_data(tmp_path / "data")
    command = "quotegraph train confidence --data corpus"
    record = provenance([data], {"split": "train"}, command=command, now=NOW)
    assert record["data"] == [str(data)]
    assert record["data_sha256"] == data_fingerprint([data])
    assert record["settings"] == {"split": "train"}
    assert record["command"] == command
    assert record["date"] == "2026-03-10T08:30:05+00:00"


def test_without_a_command_the_process_command_line_is_kept(tmp_path: Path) -> None:
    record = provenance([make_data(tmp_path / "data")], {}, now=NOW)
    assert record["command"] == " ".join(sys.argv)


def test_output_path_prefers_out_then_shipped_then_a_new_folder(tmp_path: Path) -> None:
    shipped = tmp_path / "package" / "model.json"
    given = tmp_path / "mine.json"
    assert output_path("m", "model.json", shipped, out=given, replace_shipped=False) == given
    assert output_path("m", "model.json", shipped, out=None, replace_shipped=True) == shipped
    fresh = output_path("m", "model.json", shipped, out=None, replace_shipped=False, now=NOW)
    assert fresh == Path("trained") / "m-20260310-083005" / "model.json"
    folder = output_path("m", None, shipped, out=None, replace_shipped=False, now=NOW)
    assert folder == Path("trained") / "m-20260310-083005"


def test_out_and_replace_shipped_together_are_refused(tmp_path: Path) -> None:
    with pytest.raises(QuotegraphError) as raised:
        output_path("m", "x.json", tmp_path / "x.json", out=tmp_path, replace_shipped=True)
    assert raised.value.code == "E044"
