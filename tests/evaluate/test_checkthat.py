"""CheckThat! 2020 task-2 reading and metrics, on tiny invented files and hand-made rankings."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.checkthat import (
    average_precision,
    evaluate_checkthat,
    read_qrels,
    read_queries,
    reciprocal_rank,
    score_rankings,
    split_files,
)
from quotegraph.ingest.known_claims import read_claims_tsv
from quotegraph.types import ClaimMatch, KnownClaim

# --------------------------------------------------------------------------- metrics


@pytest.mark.parametrize(
    ("ranking", "relevant", "k", "expected"),
    [
        (["a", "b", "c"], {"a"}, 5, 1.0),
        (["b", "a", "c"], {"a"}, 5, 0.5),
        (["b", "c", "d", "e", "f", "a"], {"a"}, 5, 0.0),  # beyond the cut
        (["b", "c", "d", "e", "f", "a"], {"a"}, 10, 1 / 6),
        (["a", "x", "b"], {"a", "b"}, 5, (1 / 1 + 2 / 3) / 2),
        (["x", "a", "y", "b"], {"a", "b"}, 3, (1 / 2) / 2),  # b is cut off but still counts in R
        (["a", "b"], {"a", "b", "c"}, 5, (1 + 1) / 3),  # R, not min(R, retrieved)
        ([], {"a"}, 5, 0.0),
        (["a"], set(), 5, 0.0),
    ],
)
def test_average_precision_follows_trec_eval(ranking, relevant, k, expected):
    assert average_precision(ranking, frozenset(relevant), k) == pytest.approx(expected)


def test_reciprocal_rank_uses_the_first_relevant_claim():
    assert reciprocal_rank(["x", "y", "a", "b"], {"a", "b"}) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"], {"a"}) == 0.0


def test_score_rankings_averages_over_the_judged_queries():
    qrels = {
        "q1": frozenset({"a"}),
        "q2": frozenset({"b", "c"}),
        "q3": frozenset({"d"}),  # never ranked: counts 0
        "q4": frozenset(),  # judged with nothing relevant: left out
    }
    rankings = {"q1": ["a", "x"], "q2": ["x", "b", "c"], "q4": ["z"]}
    result = score_rankings(rankings, qrels)
    assert result["queries"] == 3
    assert result["map_at_1"] == pytest.approx(round((1 + 0 + 0) / 3, 4))
    assert result["map_at_5"] == pytest.approx(round((1 + (1 / 2 + 2 / 3) / 2 + 0) / 3, 4))
    assert result["mrr"] == pytest.approx(round((1 + 1 / 2) / 3, 4))
    assert result["precision_at_1"] == pytest.approx(round(1 / 3, 4))


def test_score_rankings_needs_a_relevant_judgement():
    with pytest.raises(QuotegraphError) as info:
        score_rankings({}, {"q": frozenset()})
    assert info.value.code == "E062"


# --------------------------------------------------------------------------- files

CLAIMS_TSV = (
    "\tvclaim\ttitle\n"
    "10\tThe Korsvik dike levy rose by 40 percent.\tDid the Levy Rise?\n"
    '11\t"The mayor called the plan ""reckless""\tand resigned."\tA Mayor\'s Exit\n'
    '12\t"A claim over\ntwo lines."\t\n'
)
QUERIES_TSV = (
    "\ttweet_content\n"
    "1\tKorsvik pays 40% more for its dikes now — Lantern Gazette (@lantern) April 4, 2025\n"
    '2\t"The mayor quit, calling it ""reckless"""\n'
)
QRELS = "1\t0\t10\t1\n2\t0\t11\t1\n2\t0\t12\t0\n"


@pytest.fixture
def task_dir(tmp_path: Path) -> Path:
    """An invented task folder laid out like the real one."""
    (tmp_path / "dev").mkdir()
    claims, queries, qrels = split_files(tmp_path, "dev")
    claims.write_text(CLAIMS_TSV, encoding="utf-8")
    queries.write_text(QUERIES_TSV, encoding="utf-8")
    qrels.write_text(QRELS, encoding="utf-8")
    return tmp_path


def test_read_claims_handles_quoting_tabs_and_line_breaks(task_dir):
    claims = read_claims_tsv(split_files(task_dir, "dev")[0])
    assert claims == [
        KnownClaim("10", "The Korsvik dike levy rose by 40 percent.", "Did the Levy Rise?"),
        KnownClaim("11", 'The mayor called the plan "reckless"\tand resigned.', "A Mayor's Exit"),
        KnownClaim("12", "A claim over\ntwo lines.", None),
    ]


def test_read_queries_and_qrels(task_dir):
    _, queries, qrels = split_files(task_dir, "dev")
    assert [q for q, _ in read_queries(queries)] == ["1", "2"]
    assert read_queries(queries)[1][1] == 'The mayor quit, calling it "reckless"'
    assert read_qrels(qrels) == {"1": frozenset({"10"}), "2": frozenset({"11"})}


@pytest.mark.parametrize(
    "line", ["1 0 10", "1 0 10 yes", "1 0 10 1 extra"], ids=["short", "text", "long"]
)
def test_a_malformed_qrels_line_is_E062(tmp_path, line):
    path = tmp_path / "bad.qrels"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(QuotegraphError) as info:
        read_qrels(path)
    assert info.value.code == "E062"


def test_a_claims_row_with_too_few_columns_is_E062(tmp_path):
    path = tmp_path / "claims.tsv"
    path.write_text("\tvclaim\ttitle\n1\tno title column\n", encoding="utf-8")
    with pytest.raises(QuotegraphError) as info:
        read_claims_tsv(path)
    assert info.value.code == "E062"


def test_missing_files_are_E043(tmp_path):
    for reader in (read_claims_tsv, read_queries, read_qrels):
        with pytest.raises(QuotegraphError) as info:
            reader(tmp_path / "absent.tsv")
        assert info.value.code == "E043"


# --------------------------------------------------------------------------- evaluation


def test_evaluate_checkthat_scores_what_the_matcher_ranks(task_dir):
    seen: list[tuple[str, str]] = []

    def matcher(queries, claims):
        seen.extend(queries)
        assert [c.claim_id for c in claims] == ["10", "11", "12"]
        # q1: the right claim second; q2: the right claim first.
        yield [ClaimMatch("1", "12", 0.9, 1), ClaimMatch("1", "10", 0.5, 2)]
        yield [ClaimMatch("2", "11", 0.8, 1)]

    result = evaluate_checkthat(*split_files(task_dir, "dev"), matcher)
    assert [q for q, _ in seen] == ["1", "2"]
    assert result["map_at_5"] == pytest.approx((0.5 + 1.0) / 2)
    assert result["map_at_1"] == pytest.approx(0.5)
    assert result["queries"] == 2
    assert result["claims"] == 3


def test_qrels_naming_an_unknown_query_are_E062(task_dir):
    qrels = split_files(task_dir, "dev")[2]
    qrels.write_text(QRELS + "99\t0\t10\t1\n", encoding="utf-8")
    with pytest.raises(QuotegraphError) as info:
        evaluate_checkthat(*split_files(task_dir, "dev"), lambda q, c: iter([[]] * len(q)))
    assert info.value.code == "E062"
