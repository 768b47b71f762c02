"""The ``quotegraph`` command line: commands through typer's CliRunner, ``main()``'s coded-error
handling in-process, and the installed console script in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import quotegraph
from quotegraph import cli
from quotegraph.errors import QuotegraphError
from quotegraph.extract import shown_content

STATEMENT_KEYS = [
    "statement_id",
    "article_id",
    "source_file",
    "article_title",
    "outlet",
    "published",
    "kind",
    "act",
    "content",
    "content_spans",
    "cue",
    "cue_span",
    "speaker_mention",
    "speaker_span",
    "speaker",
    "speaker_id",
    "speaker_type",
    "speaker_role",
    "confidence",
    "rule",
]
OTHER_KEYS = {
    "figures": [
        "figure_id",
        "article_id",
        "source_file",
        "article_title",
        "value",
        "qualifier",
        "unit",
        "counts",
        "text",
        "span",
    ],
    "articles": [
        "article_id",
        "source_file",
        "title",
        "outlet",
        "published",
        "dateline",
        "dateline_date",
        "author",
        "url",
        "input_format",
        "metadata",
        "text_length",
        "copy_of",
    ],
    "speakers": ["speaker_id", "name", "speaker_type", "aliases", "roles", "statement_count"],
}
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def plain(text: str) -> str:
    """Output without colour codes, every run of white space made one space."""
    return " ".join(_ANSI.sub("", text).split())


@pytest.fixture(autouse=True)
def unwrapped_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich wraps at 80 columns when not on a terminal; long tmp paths would be split."""
    for console in (cli.console, cli.errors):
        monkeypatch.setattr(console, "soft_wrap", True)


def run(*args: object) -> Result:
    return CliRunner().invoke(cli.app, [str(a) for a in args])


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, news_dir: Path) -> Path:
    """The shared corpus and one missing input, ingested once; tests only read it."""
    path = tmp_path_factory.mktemp("cli") / "news.db"
    with quotegraph.open(path) as qg:
        report = qg.ingest([news_dir, news_dir / "withdrawn.txt"])
        assert report.articles_added == 3
    return path


def _one_line_with(lines: list[str], *pieces: str) -> bool:
    """Whether one line holds every piece (the layout around them may change)."""
    return any(all(piece in line for piece in pieces) for line in lines)


def main(monkeypatch: pytest.MonkeyPatch, *args: object) -> int:
    """Run ``cli.main()`` as the console script would; returns its exit code."""
    monkeypatch.setattr(sys, "argv", ["quotegraph", *map(str, args)])
    with pytest.raises(SystemExit) as info:
        cli.main()
    code = info.value.code
    return code if isinstance(code, int) else 1


# --------------------------------------------------------------------------- ingest


def test_ingest_exits_0_on_good_input(tmp_path, news):
    target = tmp_path / "out.db"
    result = run("ingest", news["dikes_gazette.txt"].parent, "--db", target)
    assert result.exit_code == 0, result.output
    report = plain(result.stdout)
    assert "3 articles added" in report
    assert "(0 already stored)" in report
    assert "4 statements" in report
    assert "failed" not in result.stderr
    with quotegraph.open(target, readonly=True) as qg:
        assert qg.counts()["articles"] == 3

    again = run("ingest", *sorted(news.values()), "--db", target)
    assert again.exit_code == 0, again.output
    assert "0 articles added (3 already stored)" in plain(again.stdout)


def test_ingest_exits_1_and_lists_every_failed_input(tmp_path, news):
    empty, blob = tmp_path / "empty.txt", tmp_path / "blob.txt"
    empty.write_bytes(b"   \n\n")
    blob.write_bytes(b"\x00\x01\x02\x03 not words \x00")
    missing = tmp_path / "gone" / "away.txt"
    target = tmp_path / "out.db"

    result = run("ingest", news["flour_gazette.txt"], empty, blob, missing, "--db", target)

    assert result.exit_code == 1, result.output
    assert "1 articles added" in plain(result.stdout)
    assert "3 input(s) failed:" in plain(result.stderr)
    lines = _ANSI.sub("", result.stderr).splitlines()
    for code, path in (("E002", empty), ("E003", blob), ("E001", missing)):
        assert _one_line_with(lines, code, str(path)), (code, result.stderr)
    with quotegraph.open(target, readonly=True) as qg:  # the good article is still stored
        assert qg.counts()["articles"] == 1
        assert sorted(f.code for f in qg.failures()) == ["E001", "E002", "E003"]


def test_ingest_of_inputs_that_do_not_exist_creates_no_store(tmp_path):
    target = tmp_path / "m1.db"
    result = run("ingest", tmp_path / "does-not-exist", "--db", target)
    assert isinstance(result.exception, QuotegraphError)
    assert result.exception.code == "E001"
    assert str(tmp_path / "does-not-exist") in result.exception.describe()
    assert "articles added" not in plain(result.stdout)
    assert not target.exists()


def test_ingest_of_a_folder_without_articles_names_what_it_skipped(tmp_path):
    folder = tmp_path / "pictures"
    folder.mkdir()
    (folder / "harbour.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / "settings.yaml").write_text("a: 1\n", encoding="utf-8")
    target = tmp_path / "m1.db"
    result = run("ingest", folder, "--db", target)
    assert isinstance(result.exception, QuotegraphError)
    assert result.exception.code == "E009"
    described = result.exception.describe()
    assert "no supported articles" in described
    assert str(folder) in described
    assert "skipped: 1 .jpg, 1 .yaml" in described
    assert not target.exists()


def test_ingest_says_where_it_creates_a_new_store(tmp_path, news):
    target = tmp_path / "fresh.db"
    result = run("ingest", news["flour_gazette.txt"], "--db", target)
    assert result.exit_code == 0, result.output
    assert f"creating a new store at {target}" in plain(result.stderr)
    again = run("ingest", news["flour_gazette.txt"], "--db", target)
    assert "creating" not in plain(again.stderr)


def test_ingest_without_paths_is_a_usage_error(tmp_path):
    result = run("ingest", "--db", tmp_path / "out.db")
    assert result.exit_code == 2
    assert not (tmp_path / "out.db").exists()


# --------------------------------------------------------------------------- export


def _jsonl(result: Result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_export_statements_jsonl_has_the_documented_keys_and_true_spans(db):
    rows = _jsonl(run("export", "statements", "--format", "jsonl", "--db", db))
    assert len(rows) == 4
    with quotegraph.open(db, readonly=True) as qg:
        for row in rows:
            assert list(row) == STATEMENT_KEYS
            article = qg.article(row["article_id"])
            assert article is not None
            assert row["source_file"] == article.source_file
            assert row["article_title"] == article.title
            pieces = [article.text[start:end] for start, end in row["content_spans"]]
            assert (
                shown_content(article.text, row["content_spans"], row["cue_span"]) == row["content"]
            )
            assert all(piece.strip() and piece == piece.strip() for piece in pieces)
            assert article.text[slice(*row["cue_span"])] == row["cue"]
            assert article.text[slice(*row["speaker_span"])] == row["speaker_mention"]
        speaker_ids = {s.name: s.speaker_id for s in qg.speakers()}
    by_speaker = {(r["speaker"], r["kind"]): r for r in rows}
    assert set(by_speaker) == {
        ("Mara Vellin", "direct"),
        ("Mara Vellin", "indirect"),
        ("Ottilie Sandqvist", "indirect"),
        ("Henrik Dalby", "direct"),
    }
    vellin = by_speaker[("Mara Vellin", "direct")]
    assert vellin["content"] == "We cannot wait for another flood to tell us the dikes are too low"
    assert (vellin["cue"], vellin["speaker_mention"]) == ("said", "Vellin")
    assert (vellin["outlet"], vellin["published"]) == ("Lantern Gazette", "2025-04-04")
    assert vellin["speaker_type"] == "person"
    assert vellin["speaker_id"] == speaker_ids["Mara Vellin"]
    assert 0 < vellin["confidence"] <= 1
    assert vellin["rule"]


def test_export_defaults_to_jsonl_on_stdout(db):
    assert len(_jsonl(run("export", "statements", "--db", db))) == 4


def test_export_csv_to_a_file_writes_a_header_and_one_row_per_record(db, tmp_path):
    out = tmp_path / "statements.csv"
    result = run("export", "statements", "--format", "csv", "--out", out, "--db", db)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"4 statements rows written to {out}" in plain(result.stderr)

    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(STATEMENT_KEYS)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4
    jsonl = {r["statement_id"]: r for r in _jsonl(run("export", "statements", "--db", db))}
    for row in rows:
        assert json.loads(row["content_spans"]) == jsonl[row["statement_id"]]["content_spans"]
        assert row["content"] == jsonl[row["statement_id"]]["content"]


@pytest.mark.parametrize("table", sorted(OTHER_KEYS))
def test_export_other_tables_have_their_documented_keys(db, table, tmp_path):
    rows = _jsonl(run("export", table, "--db", db))
    assert rows
    for row in rows:
        assert list(row) == OTHER_KEYS[table]
    with quotegraph.open(db, readonly=True) as qg:
        assert len(rows) == qg.counts()[table]

    out = tmp_path / f"{table}.csv"
    assert run("export", table, "--format", "csv", "--out", out, "--db", db).exit_code == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(OTHER_KEYS[table])


def test_export_stories_gives_one_row_per_story_with_outlets_and_speakers(db, tmp_path):
    rows = _jsonl(run("export", "stories", "--db", db))
    assert [r["title"].rsplit(" (", 1)[0] for r in rows] == [
        "Water board to raise Korsvik river dikes before autumn storms",
        "Bakers close shops over flour tax in Amberlund",
    ]
    assert rows[0]["title"].endswith(" (4–6 Apr 2025)")  # a story's title carries its dates
    dikes = rows[0]
    assert dikes["outlets"] == ["Lantern Gazette", "Harbour Courier"]
    assert (dikes["first_published"], dikes["last_published"]) == ("2025-04-04", "2025-04-06")
    quoted = {
        outlet: sorted(dikes["speakers"][sid] for sid in counts)
        for outlet, counts in dikes["outlet_speakers"].items()
    }
    assert quoted == {"Lantern Gazette": ["Mara Vellin"], "Harbour Courier": ["Ottilie Sandqvist"]}
    assert [dikes["speakers"][sid] for sid in dikes["left_out"]["Harbour Courier"]] == [
        "Mara Vellin"
    ]
    out = tmp_path / "stories.csv"
    assert run("export", "stories", "--format", "csv", "--out", out, "--db", db).exit_code == 0
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("story_id,title,")


def test_export_rows_carry_the_corpus_values(db):
    articles = {
        Path(r["source_file"]).name: r for r in _jsonl(run("export", "articles", "--db", db))
    }
    gazette = articles["dikes_gazette.txt"]
    assert (gazette["title"], gazette["outlet"], gazette["author"]) == (
        "Water board to raise Korsvik river dikes before autumn storms",
        "Lantern Gazette",
        "Tomas Brekke",
    )
    assert (gazette["dateline"], gazette["input_format"]) == ("KORSVIK", "txt")
    speakers = {r["name"]: r for r in _jsonl(run("export", "speakers", "--db", db))}
    assert speakers["Mara Vellin"]["statement_count"] == 2
    assert "Vellin" in speakers["Mara Vellin"]["aliases"]
    figures = _jsonl(run("export", "figures", "--db", db))
    assert any(r["value"] == 180_000_000 and "180 million" in r["text"] for r in figures)


@pytest.mark.parametrize(
    ("args", "code"),
    [(["export", "quotes"], "E040"), (["export", "statements", "--format", "xml"], "E041")],
)
def test_export_raises_coded_errors(db, args, code):
    result = run(*args, "--db", db)
    assert isinstance(result.exception, QuotegraphError)
    assert result.exception.code == code
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args", [["export", "statment"], ["export", "statements", "--format", "xlsx"]]
)
def test_a_rejected_export_leaves_an_existing_out_file_alone(db, tmp_path, args):
    out = tmp_path / "statements.jsonl"
    out.write_text('{"kept": "from last week"}\n', encoding="utf-8")
    result = run(*args, "--out", out, "--db", db)
    assert isinstance(result.exception, QuotegraphError)
    assert out.read_text(encoding="utf-8") == '{"kept": "from last week"}\n'


# --------------------------------------------------------------------------- summary / demo


def test_summary_prints_each_story_with_its_speakers(db):
    result = run("summary", "--db", db)
    assert result.exit_code == 0, result.output
    lines = _ANSI.sub("", result.stdout).splitlines()
    heads = [i for i, line in enumerate(lines) if "Story " in line]
    assert len(heads) == 2, result.stdout
    assert (
        "Story 1: Water board to raise Korsvik river dikes before autumn storms" in lines[heads[0]]
    )
    assert "Story 2: Bakers close shops over flour tax in Amberlund" in lines[heads[1]]
    story_one, story_two = lines[heads[0] : heads[1]], lines[heads[1] :]

    assert _one_line_with(story_one, "Lantern Gazette, Harbour Courier", "2025-04-04", "2025-04-06")
    assert _one_line_with(
        story_one,
        "2025-04-04",
        "Lantern Gazette",
        "Mara Vellin",
        "direct",
        "We cannot wait for another flood to tell us the dikes are too low",
    )
    assert _one_line_with(story_one, "2025-04-06", "Harbour Courier", "Ottilie Sandqvist")
    text_one = "\n".join(story_one)
    assert text_one.index("Mara Vellin") < text_one.index("Ottilie Sandqvist")  # by date
    assert "Henrik Dalby" not in text_one
    assert _one_line_with(story_two, "Henrik Dalby", "direct", "Bread will cost more")
    assert "Mara Vellin" not in "\n".join(story_two)


def test_summary_takes_an_act(db):
    every = run("summary", "--db", db, "--act", "all")
    assert every.exit_code == 0, every.output
    speech = run("summary", "--db", db)
    assert len(every.stdout) >= len(speech.stdout)
    assert ", action)" not in speech.stdout
    wrong = run("summary", "--db", db, "--act", "shouted")
    assert isinstance(wrong.exception, QuotegraphError)
    assert wrong.exception.code == "E044"


def test_summary_does_not_create_a_missing_store(tmp_path):
    result = run("summary", "--db", tmp_path / "none.db")
    assert isinstance(result.exception, QuotegraphError)
    assert result.exception.code == "E034"
    assert not (tmp_path / "none.db").exists()


def test_summary_prints_titles_with_square_brackets_verbatim(tmp_path, news_texts):
    text = news_texts["flour_gazette.txt"].replace(
        "Bakers close shops over flour tax in Amberlund",
        "Bakers close shops over flour tax [updated]",
    )
    article = tmp_path / "updated.txt"
    article.write_text(text, encoding="utf-8")
    target = tmp_path / "out.db"
    assert run("ingest", article, "--db", target).exit_code == 0
    result = run("summary", "--db", target)
    assert result.exit_code == 0, result.output
    assert "Story 1: Bakers close shops over flour tax [updated]" in plain(result.stdout)


def test_demo_ingests_the_bundled_sample_and_prints_its_stories(tmp_path):
    target = tmp_path / "demo.db"
    result = run("demo", "--db", target)
    assert result.exit_code == 0, result.output
    out = plain(result.stdout)
    assert "13 articles added (0 already stored)" in out
    with quotegraph.open(target, readonly=True) as qg:
        assert qg.counts()["articles"] == 13
        assert qg.counts()["failures"] == 0
        stories = qg.stories()
    assert len(stories) >= 2
    for number, summary in enumerate(stories, 1):
        assert f"Story {number}: {summary.story.title}" in out

    again = run("demo", "--db", target)
    assert again.exit_code == 0, again.output
    assert "0 articles added (13 already stored)" in plain(again.stdout)


# --------------------------------------------------------------------------- stats / failures


def test_stats_json_gives_every_count_for_scripts(db):
    result = run("stats", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    counts = json.loads(_ANSI.sub("", result.stdout))
    assert counts == {
        "articles": 3,
        "statements": 4,
        "speakers": 3,
        "figures": 4,
        "failures": 1,
        "stories": 2,
        "claims": 0,
        "contradictions": 0,
        "agreements": 0,
        "outlets": 2,
        "first_published": "2025-04-04",
        "last_published": "2025-04-06",
        "statements_by_kind": {"direct": 2, "indirect": 2},
    }


def test_stats_prints_a_table_a_person_can_read(db):
    result = run("stats", "--db", db)
    assert result.exit_code == 0, result.output
    lines = _ANSI.sub("", result.stdout).splitlines()
    assert not result.stdout.lstrip().startswith("{")
    assert _one_line_with(lines, "articles", "3", "from 2 outlets", "2025-04-04 to 2025-04-06")
    assert _one_line_with(lines, "statements", "4", "2 direct", "2 indirect")
    assert _one_line_with(lines, "stories", "2")
    assert _one_line_with(lines, "contradictions", "0")
    assert _one_line_with(lines, "failures", "1")


def test_failures_lists_code_stage_and_source(db, news_dir):
    result = run("failures", "--db", db)
    assert result.exit_code == 0, result.output
    lines = [line for line in _ANSI.sub("", result.stdout).splitlines() if line.strip()]
    assert len(lines) == 1
    missing = str(news_dir / "withdrawn.txt")
    assert _one_line_with(lines, "E001", "ingest", missing, "input path does not exist")


def test_failures_of_a_clean_store_says_so_on_stderr(tmp_path, news):
    target = tmp_path / "clean.db"
    assert run("ingest", news["flour_gazette.txt"], "--db", target).exit_code == 0
    result = run("failures", "--db", target)
    assert result.exit_code == 0
    assert result.stdout.strip() == ""  # nothing for a script to read
    assert f"no failures in {target}" in plain(result.stderr)


@pytest.mark.parametrize(
    "command",
    [["summary"], ["stats"], ["failures"], ["export", "statements"], ["serve"]],
    ids=lambda c: c[0],
)
def test_commands_that_read_a_store_refuse_a_path_that_does_not_exist(
    tmp_path, monkeypatch, command
):
    served: list[object] = []
    monkeypatch.setattr("quotegraph.serve.run_server", lambda *a, **k: served.append(a))
    target = tmp_path / "typo.db"
    result = run(*command, "--db", target)
    assert isinstance(result.exception, QuotegraphError), result.output
    assert result.exception.code == "E034"
    assert served == []
    assert not target.exists()


def test_version_and_short_help():
    version = run("--version")
    assert version.exit_code == 0
    assert version.stdout.strip() == f"quotegraph {quotegraph.__version__}"
    for args in (["-h"], ["ingest", "-h"], ["eval", "polnear", "-h"], ["train", "-h"]):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        assert "Usage:" in result.stdout, args


def test_help_shows_flags_without_a_type():
    for args in (["load", "--help"], ["stats", "--help"], ["train", "stance", "--help"]):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert "<bool>" not in result.stdout, args
    assert "--corpus-passes / --no-corpus-passes" in run("load", "--help").stdout


def test_demo_stores_sample_paths_not_paths_inside_the_installed_package(tmp_path):
    target = tmp_path / "demo.db"
    assert run("demo", "--db", target).exit_code == 0
    with quotegraph.open(target, readonly=True) as qg:
        sources = {a.source_file or "" for a in qg.articles()}
    assert "sample/harbor_ledger_2025-03-10_mission-drawdown.txt" in sources
    assert all(s.startswith("sample/") for s in sources), sources


def test_ingest_keeps_relative_paths_relative(tmp_path, news, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("ingest", "news", "--db", "rel.db").exit_code == 0
    with quotegraph.open(tmp_path / "rel.db", readonly=True) as qg:
        sources = sorted(a.source_file or "" for a in qg.articles())
    assert sources == ["news/dikes_courier.txt", "news/dikes_gazette.txt", "news/flour_gazette.txt"]


def test_demo_output_is_short(tmp_path):
    result = run("demo", "--db", tmp_path / "demo.db")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) < 80, len(lines)
    assert "and 18 more" in result.stdout  # contradictions beyond the first three
    assert f"quotegraph summary --db {tmp_path / 'demo.db'}" in plain(result.stdout)


# --------------------------------------------------------------------------- eval polnear

POLNEAR_TEXT = "Bridge to reopen\n\nThe old bridge will reopen in May, Ilse Varga said.\n"


def _at(piece: str) -> str:
    start = POLNEAR_TEXT.index(piece)
    return f"{start} {start + len(piece)}"


@pytest.fixture
def polnear_dir(tmp_path: Path) -> Path:
    """A one-article PolNeAR-shaped folder: dev/text, dev/attributions, metadata.tsv."""
    root = tmp_path / "polnear"
    (root / "dev" / "text").mkdir(parents=True)
    (root / "dev" / "attributions").mkdir()
    (root / "dev" / "text" / "x.txt").write_text(POLNEAR_TEXT, encoding="utf-8", newline="\n")
    content = "The old bridge will reopen in May"
    ann = [
        f"T1\tSource {_at('Ilse Varga')}\tIlse Varga",
        f"T2\tCue {_at('said')}\tsaid",
        f"T3\tContent {_at(content)}\t{content}",
        f"T4\tAttribution {_at('said')}\tsaid",
        "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3",
        "",
    ]
    (root / "dev" / "attributions" / "x_ann1.ann").write_text("\n".join(ann), encoding="utf-8")
    # A second annotator who marked nothing: metadata.tsv says ann1 comes first.
    (root / "dev" / "attributions" / "x_ann0.ann").write_text("", encoding="utf-8")
    (root / "metadata.tsv").write_text(
        "compartment\tfilename\tannotators\ndev\tx\tann1|ann0\n", encoding="utf-8"
    )
    return root


def test_eval_polnear_prints_scores_as_json(polnear_dir):
    result = run("eval", "polnear", "--data", polnear_dir, "--workers", 1)
    assert result.exit_code == 0, result.output
    scores = json.loads(_ANSI.sub("", result.stdout))
    assert (scores["split"], scores["documents"]) == ("dev", 1)
    for part in ("content", "source", "cue"):
        for mode in ("exact", "lenient"):
            assert scores[part][mode]["n_gold"] == 1, (part, mode)
        assert scores[part]["lenient"]["tp"] == 1, part
    assert scores["content"]["exact"] == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "tp": 1,
        "n_pred": 1,
        "n_gold": 1,
    }
    assert scores["attribution"]["tp"] == scores["attribution"]["n_gold"] == 1
    assert scores["attribution"]["f1"] == 1.0
    assert scores["seconds"] >= 0


def test_eval_polnear_on_a_missing_folder_raises_E043(tmp_path):
    result = run("eval", "polnear", "--data", tmp_path / "nowhere", "--workers", 1)
    assert isinstance(result.exception, QuotegraphError)
    assert result.exception.code == "E043"


# --------------------------------------------------------------------------- main()


def test_main_turns_a_coded_error_into_exit_2_and_one_error_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(monkeypatch, "eval", "polnear", "--data", "nowhere", "--workers", 1) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    error = plain(captured.err)
    assert error.startswith("error E043: evaluation data not found")


def test_main_exits_0_on_success(db, monkeypatch, capsys):
    assert main(monkeypatch, "stats", "--db", db, "--json") == 0
    assert json.loads(_ANSI.sub("", capsys.readouterr().out))["articles"] == 3


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["eval", "polnear", "--data", "{tmp}/nowhere", "--workers", "1"], id="E043"),
        pytest.param(["summary", "--db", "{tmp}/none.db"], id="E034"),
    ],
)
def test_main_reports_errors_about_absolute_paths(tmp_path, monkeypatch, capsys, args):
    argv = [arg.format(tmp=tmp_path) for arg in args]
    assert main(monkeypatch, *argv) == 2
    assert str(tmp_path) in plain(capsys.readouterr().err)


def test_main_error_line_names_the_bad_input(db, monkeypatch, capsys):
    assert main(monkeypatch, "export", "nosuchtable", "--db", db) == 2
    assert "error E040: unknown export table [nosuchtable] - choose one of:" in plain(
        capsys.readouterr().err
    )


# --------------------------------------------------------------------------- console script


def _script() -> Path:
    script = Path(sys.executable).with_name("quotegraph")
    assert script.exists(), f"console script not installed next to {sys.executable}"
    return script


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}}
    return env | {"COLUMNS": "200", **extra}


def test_console_script_help():
    done = subprocess.run(
        [_script(), "--help"], capture_output=True, text=True, env=_environment(), timeout=120
    )
    assert done.returncode == 0, done.stderr
    for command in ("ingest", "demo", "summary", "export", "failures", "stats", "eval"):
        assert re.search(rf"\b{command}\b", done.stdout), command


def test_console_script_output_to_a_pipe_is_one_line_per_record(db):
    env = {k: v for k, v in _environment().items() if k != "COLUMNS"}
    done = subprocess.run(
        [_script(), "summary", "--db", db], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    quote = "We cannot wait for another flood to tell us the dikes are too low"
    lines = [line for line in done.stdout.splitlines() if "Mara Vellin" in line]
    assert any(quote in line and "2025-04-04" in line for line in lines), done.stdout
    title = "Story 1: Water board to raise Korsvik river dikes before autumn storms (4–6 Apr 2025)"
    assert title in done.stdout.splitlines()


def test_console_script_prints_a_red_error_line_and_exits_2(tmp_path):
    quotegraph.open(tmp_path / "x.db").close()
    done = subprocess.run(
        [_script(), "export", "nosuchtable", "--db", "x.db"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_environment(FORCE_COLOR="1"),
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert re.match(r"\x1b\[[0-9;]*31[0-9;]*merror\x1b\[0m E040", done.stderr), done.stderr
    assert plain(done.stderr).startswith("error E040: unknown export table")
    assert "Traceback" not in done.stderr


def test_eval_resolution_scores_a_labelled_source(polnear_dir, tmp_path):
    start = POLNEAR_TEXT.index("Ilse Varga")
    gold = tmp_path / "resolution.jsonl"
    line = {"doc": "x", "start": start, "end": start + 10, "kind": "description"}
    gold.write_text(json.dumps({**line, "referent": "Ilse Varga"}) + "\n", encoding="utf-8")
    result = run("eval", "resolution", "--gold", gold, "--data", polnear_dir, "--workers", 1)
    assert result.exit_code == 0, result.output
    scores = json.loads(_ANSI.sub("", result.stdout))
    assert scores["all"]["items"] == scores["all"]["correct"] == 1
    gold.write_text(json.dumps({**line, "referent": "Piet Rask"}) + "\n", encoding="utf-8")
    result = run("eval", "resolution", "--gold", gold, "--data", polnear_dir, "--workers", 1)
    assert json.loads(_ANSI.sub("", result.stdout))["all"]["wrong"] == 1


def test_eval_stories_stores_the_articles_runs_the_passes_and_scores(tmp_path):
    # A PolNeAR-shaped folder of our own: two versions of one article and an unrelated one.
    body = (
        "The Orvel council voted on Monday to raise the river dikes before the autumn storms, "
        "and the water board will start work in May. Mayor Ida Brandt said the vote was the "
        "most important of her term, and farmers along the Orvel welcomed it at the meeting."
    )
    texts = {
        "gazette_2031-05-02_dikes": "Orvel votes to raise its dikes\n\n" + body,
        "gazette_2031-05-03_dikes-print": "Council backs higher dikes\n\n" + body,
        "courier_2031-05-02_flour": "Bakers strike over flour tax\n\nBakers in Amberlund "
        "closed their shops on Monday in protest at a new flour tax, said Tove Lind.",
    }
    folder = tmp_path / "polnear"
    (folder / "train" / "text").mkdir(parents=True)
    (folder / "dev" / "text").mkdir(parents=True)
    rows = ["compartment\tfilename\tpublisher\tpublication_date"]
    for name, text in texts.items():
        (folder / "train" / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
        outlet, day = name.split("_")[:2]
        rows.append(f"train\t{name}\t{outlet}\t{day}")
    (folder / "metadata.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    events = tmp_path / "events.jsonl"
    events.write_text(
        '{"event": "dikes", "title": "t", "split": "tune", "articles": '
        '["gazette_2031-05-02_dikes", "gazette_2031-05-03_dikes-print"]}\n'
        '{"event": "flour", "title": "t", "split": "heldout", "articles": '
        '["courier_2031-05-02_flour"]}\n',
        encoding="utf-8",
    )
    reprints = tmp_path / "reprints.jsonl"
    reprints.write_text(
        '{"original": "gazette_2031-05-02_dikes", "copy": "gazette_2031-05-03_dikes-print"}\n',
        encoding="utf-8",
    )
    result = run("eval", "stories", "--events", events, "--reprints", reprints, "--data", folder)
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["reprints"] == {"pairs": 1, "found": 1, "share": 1.0, "missed": []}
    assert scores["all"]["f1"] == 1.0  # the copy joined its original's story, flour apart
    assert set(scores) >= {"all", "tune", "heldout", "gold_only", "events"}
