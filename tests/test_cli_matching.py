"""``quotegraph eval checkthat`` and ``quotegraph match-claims`` on invented claims and news."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import quotegraph
from quotegraph import cli
from quotegraph.errors import QuotegraphError

ROW_KEYS = ["statement_id", "speaker", "content", "claim_id", "claim_text", "score", "rank"]

KNOWN_CLAIMS = [
    {"id": "dikes-cost", "text": "Raising the Korsvik dikes will cost 180 million crowns.",
     "title": "Will the Korsvik Dikes Cost 180 Million?"},
    {"id": "flood-homes", "text": "The Lower Korsvik flood last winter ruined about 40 homes."},
    {"id": "bread-price", "text": "The flour tax will make bread dearer for every family in "
     "Amberlund."},
    {"id": "ferry", "text": "The Velmar ferry line will stop serving the northern islands."},
]  # fmt: skip


def run(*args: object) -> Result:
    return CliRunner().invoke(cli.app, [str(a) for a in args])


@pytest.fixture(autouse=True)
def unwrapped_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    for console in (cli.console, cli.errors):
        monkeypatch.setattr(console, "soft_wrap", True)


@pytest.fixture(scope="module")
def claims_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("claims") / "claims.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in KNOWN_CLAIMS), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, news_dir: Path) -> Path:
    """The shared invented corpus, ingested once."""
    path = tmp_path_factory.mktemp("match") / "news.db"
    with quotegraph.open(path) as qg:
        assert qg.ingest([news_dir]).articles_added == 3
    return path


def _rows(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


# --------------------------------------------------------------------------- match-claims


def test_match_claims_writes_k_rows_per_stored_statement(db, claims_file):
    result = run("match-claims", "--claims", claims_file, "--db", db, "--k", 2,
                 "--embedder", "wordllama")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    with quotegraph.open(db, readonly=True) as qg:
        statements = {r.statement.statement_id: r.statement for r in qg.statements()}
    assert len(rows) == 2 * len(statements)
    assert all(list(row) == ROW_KEYS for row in rows)
    for row in rows:
        statement = statements[row["statement_id"]]
        assert (row["speaker"], row["content"]) == (statement.speaker, statement.content)
    texts = {c["id"]: c["text"] for c in KNOWN_CLAIMS}
    assert all(row["claim_text"] == texts[row["claim_id"]] for row in rows)
    cost = next(r for r in rows if "180 million crowns" in r["content"] and r["rank"] == 1)
    assert cost["claim_id"] == "dikes-cost"
    bread = next(r for r in rows if "Bread will cost more" in r["content"] and r["rank"] == 1)
    assert bread["claim_id"] == "bread-price"


def test_min_score_drops_weaker_matches_and_out_writes_a_file(db, claims_file, tmp_path):
    everything = _rows(run("match-claims", "--claims", claims_file, "--db", db,
                           "--embedder", "wordllama").stdout)  # fmt: skip
    threshold = sorted({r["score"] for r in everything}, reverse=True)[2]
    out = tmp_path / "matches.jsonl"
    result = run("match-claims", "--claims", claims_file, "--db", db, "--embedder", "wordllama",
                 "--min-score", threshold, "--out", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    kept = _rows(out.read_text(encoding="utf-8"))
    assert kept == [r for r in everything if r["score"] >= threshold]
    assert 0 < len(kept) < len(everything)
    assert f"{len(kept)} matches written" in result.stderr


def test_match_claims_text_matches_one_ad_hoc_text(claims_file):
    result = run("match-claims", "--claims", claims_file, "--embedder", "wordllama",
                 "--text", "Ferries will no longer sail to Velmar's northern islands.")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert [r["rank"] for r in rows] == [1, 2, 3, 4]
    assert list(rows[0]) == ["claim_id", "claim_text", "score", "rank"]
    assert rows[0]["claim_id"] == "ferry"


@pytest.mark.parametrize(
    ("content", "options", "code"),
    [
        ("{broken\n", (), "E061"),
        (json.dumps(KNOWN_CLAIMS[0]) + "\n", ("--embedder", "glove"), "E060"),
    ],
)
def test_match_claims_errors_are_coded(tmp_path, content, options, code):
    path = tmp_path / "claims.jsonl"
    path.write_text(content, encoding="utf-8")
    result = run("match-claims", "--claims", path, "--text", "dikes", *options)
    assert isinstance(result.exception, QuotegraphError)
    assert result.exception.code == code


# --------------------------------------------------------------------------- eval checkthat


@pytest.fixture
def task_files(tmp_path: Path) -> list[Path]:
    claims = tmp_path / "claims.tsv"
    claims.write_text(
        "\tvclaim\ttitle\n"
        + "".join(f"{c['id']}\t{c['text']}\t{c.get('title', '')}\n" for c in KNOWN_CLAIMS),
        encoding="utf-8",
    )
    queries = tmp_path / "queries.tsv"
    queries.write_text(
        "\ttweet_content\n"
        "1\tKorsvik's higher dikes: a 180 million crown bill — Harbour Courier (@courier) "
        "April 6, 2025\n"
        "2\tNo more ferries to the northern islands, says the Velmar line.\n",
        encoding="utf-8",
    )
    qrels = tmp_path / "pairs.qrels"
    qrels.write_text("1\t0\tdikes-cost\t1\n2\t0\tferry\t1\n", encoding="utf-8")
    return [claims, queries, qrels]


def test_eval_checkthat_prints_one_json_object(task_files):
    claims, queries, qrels = task_files
    result = run("eval", "checkthat", "--claims", claims, "--queries", queries, "--qrels", qrels,
                 "--embedder", "wordllama")  # fmt: skip
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["map_at_5"] == 1.0
    assert scores["queries"] == 2
    assert scores["embedder"] == "wordllama"
    assert {"map_at_1", "map_at_3", "map_at_10", "mrr", "precision_at_1"} <= set(scores)


def test_eval_checkthat_on_a_missing_file_is_E043(task_files, tmp_path):
    claims, queries, _ = task_files
    result = run("eval", "checkthat", "--claims", claims, "--queries", queries,
                 "--qrels", tmp_path / "absent.qrels", "--embedder", "wordllama")  # fmt: skip
    assert isinstance(result.exception, QuotegraphError)
    assert result.exception.code == "E043"
