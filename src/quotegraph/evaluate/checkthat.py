"""Score claim matching on CheckThat! 2020 task 2 (verified claim retrieval, English tweets).

The task (Shaar et al., CLEF 2020): given a tweet and a list of claims already checked by
fact-checkers, rank the claims so that those verifying the tweet come first. The data is
third-party and read from a folder beside the checkout; it is never copied into the package.
Files, all tab-separated UTF-8 with a header line and CSV-style double-quoting::

    verified_claims.docs.tsv        id, vclaim, title
    <split>/tweets.queries.tsv      id, tweet_content
    <split>/tweet-vclaim-pairs.qrels    query_id 0 claim_id relevance    (TREC qrels, no header)

Metrics follow trec_eval as the task's scorer uses it: for a ranking cut at depth k,
``AP@k = (1/R) * sum of precision@i over the ranks i <= k that hold a relevant claim``, where
``R`` is the number of relevant claims of the query (not capped at k); MAP@k is the mean over
every query in the qrels, a query without a ranking counting 0. With one relevant claim,
AP@k is ``1/rank`` when that claim is in the top k. MRR uses the first relevant claim, and
P@1 is the share of queries whose first claim is relevant.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from quotegraph.errors import QuotegraphError
from quotegraph.ingest.known_claims import read_claims_tsv, tsv_rows
from quotegraph.types import ClaimMatch, KnownClaim

Qrels = Mapping[str, frozenset[str]]
"""Query id -> ids of the claims judged relevant to it."""
Rankings = Mapping[str, Sequence[str]]
"""Query id -> claim ids, best first."""

MAP_DEPTHS: tuple[int, ...] = (1, 3, 5, 10)
SPLITS: tuple[str, ...] = ("train", "dev")
CLAIMS_FILE = "verified_claims.docs.tsv"
QUERIES_FILE = "tweets.queries.tsv"
QRELS_FILE = "tweet-vclaim-pairs.qrels"


def default_data_dir() -> Path:
    """``$QUOTEGRAPH_SHARED/data/checkthat2020-task2``, else ``../shared/data/...``."""
    shared = os.environ.get("QUOTEGRAPH_SHARED")
    if shared:
        return Path(shared) / "data" / "checkthat2020-task2"
    repo_root = Path(__file__).resolve().parents[3]
    return repo_root.parent / "shared" / "data" / "checkthat2020-task2"


def split_files(data_dir: Path, split: str) -> tuple[Path, Path, Path]:
    """The (claims, queries, qrels) paths of ``split`` under the task folder."""
    return (
        data_dir / CLAIMS_FILE,
        data_dir / split / QUERIES_FILE,
        data_dir / split / QRELS_FILE,
    )


# --------------------------------------------------------------------------- reading


def read_queries(path: Path) -> list[tuple[str, str]]:
    """``(query_id, text)`` pairs (``id, tweet_content``) in file order."""
    return [(row[0].strip(), row[1].strip()) for row in tsv_rows(path, 2)]


def read_qrels(path: Path) -> dict[str, frozenset[str]]:
    """Relevant claim ids per query from a TREC qrels file (relevance > 0 counts)."""
    if not path.is_file():
        raise QuotegraphError("E043", source=str(path), detail="file not found")
    relevant: defaultdict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 4 or not _is_int(fields[3]):
                raise QuotegraphError(
                    "E062", source=f"{path}:{line_no}", detail="expected: qid 0 docid relevance"
                )
            query_id, _, claim_id, relevance = fields
            if int(relevance) > 0:
                relevant[query_id].add(claim_id)
            else:
                relevant.setdefault(query_id, set())
    return {query: frozenset(claims) for query, claims in relevant.items()}


def _is_int(text: str) -> bool:
    return text.lstrip("-").isdigit()


# --------------------------------------------------------------------------- metrics


def average_precision(ranking: Sequence[str], relevant: frozenset[str] | set[str], k: int) -> float:
    """AP@k as trec_eval computes it: precision at each relevant rank <= k, divided by R."""
    if not relevant:
        return 0.0
    hits = 0
    total = 0.0
    for rank, claim_id in enumerate(ranking[:k], 1):
        if claim_id in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant)


def reciprocal_rank(ranking: Sequence[str], relevant: frozenset[str] | set[str]) -> float:
    """1 / rank of the first relevant claim, 0 when none is ranked."""
    for rank, claim_id in enumerate(ranking, 1):
        if claim_id in relevant:
            return 1.0 / rank
    return 0.0


def score_rankings(rankings: Rankings, qrels: Qrels) -> dict[str, Any]:
    """MAP@1/3/5/10, MRR and P@1 over the queries of ``qrels`` (missing rankings score 0)."""
    judged = [q for q, relevant in qrels.items() if relevant]
    if not judged:
        raise QuotegraphError("E062", detail="the qrels judge no claim relevant")
    result: dict[str, Any] = {}
    for depth in MAP_DEPTHS:
        aps = [average_precision(rankings.get(q, ()), qrels[q], depth) for q in judged]
        result[f"map_at_{depth}"] = round(sum(aps) / len(judged), 4)
    mrr = [reciprocal_rank(rankings.get(q, ()), qrels[q]) for q in judged]
    first = [1.0 if rankings.get(q) and rankings[q][0] in qrels[q] else 0.0 for q in judged]
    result["mrr"] = round(sum(mrr) / len(judged), 4)
    result["precision_at_1"] = round(sum(first) / len(judged), 4)
    result["queries"] = len(judged)
    return result


# --------------------------------------------------------------------------- evaluation

Matcher = Callable[[list[tuple[str, str]], list[KnownClaim]], Iterable[list[ClaimMatch]]]
"""Ranks claims for queries: one list of matches (best first) per query, in query order."""


def evaluate_checkthat(
    claims_path: Path,
    queries_path: Path,
    qrels_path: Path,
    matcher: Matcher,
) -> dict[str, Any]:
    """Read the three files, rank with ``matcher`` and score: the JSON ``eval`` prints."""
    claims = read_claims_tsv(claims_path)
    queries = read_queries(queries_path)
    qrels = read_qrels(qrels_path)
    unknown = {q for q in qrels if qrels[q]} - {query_id for query_id, _ in queries}
    if unknown:
        raise QuotegraphError(
            "E062",
            source=str(qrels_path),
            detail=f"{len(unknown)} judged queries are not in {queries_path.name}",
        )
    started = time.perf_counter()
    rankings: dict[str, list[str]] = {}
    for (query_id, _), matches in zip(queries, matcher(queries, claims), strict=True):
        rankings[query_id] = [m.claim_id for m in matches]
    seconds = time.perf_counter() - started
    result = score_rankings(rankings, qrels)
    result["claims"] = len(claims)
    result["seconds"] = round(seconds, 1)
    return result
