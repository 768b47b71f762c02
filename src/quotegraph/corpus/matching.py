"""Match texts (statements, tweets) against claims that fact-checkers have already checked.

Two stages, so that the slow sentence encoder only sees a few claims per query:

1. **Candidates** over every known claim, cheap: Okapi BM25 on the claim's words and
   headline (``corpus/bm25.py``) plus wordllama cosines to the claim and to its headline.
   Both are z-scored over all claims and added; the best ``pool`` claims go on.
2. **Re-ranking** of the pool with a logistic model over ``FEATURES``: cosines of the main
   embedder (MiniLM when installed) between the query and the claim's text and headline,
   the same two cosines for the query's best-matching sentence (a tweet often wraps the
   claim in comment, and carries a "- Name (@handle) date" signature), ``log(1 + BM25 /
   max idf)`` (BM25 in units of the heaviest possible term, so its scale does not grow with
   the number of claims), the two wordllama cosines, and how many numbers the query and
   the claim share and how many of the claim's numbers the query lacks. The weights are
   fitted on the CheckThat! 2020 task-2 *train* split only (``quotegraph train
   claim-ranker``) and ship in ``models/claim_ranker.json``.

The score of a match is the model's probability that the claim is the one the query makes.
It was fitted on pools drawn from 10,375 claims where every query had a match, so read it as
a ranking confidence rather than a calibrated probability for other claim lists.

Claims whose text and headline are the same after normalisation (the same claim listed twice,
with straight and curly quotes) share one set of scores; among equal scores the claim listed
first ranks first. The index of claims is built once; main-embedder vectors of claims (text
and headline) are computed the first time a claim enters a pool and then kept, so a long
stream of queries costs at most one encoder pass per claim.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import islice
from pathlib import Path

import numpy as np

from quotegraph.corpus.bm25 import BM25Index, normalize_text, tokenize
from quotegraph.corpus.embed import Embedder, load_embedder
from quotegraph.errors import QuotegraphError
from quotegraph.types import ClaimMatch, KnownClaim, StatementRecord

FEATURES: tuple[str, ...] = (
    "dense_text_cos",
    "dense_title_cos",
    "sentence_text_cos",
    "sentence_title_cos",
    "bm25_log",
    "prefilter_text_cos",
    "prefilter_title_cos",
    "numbers_shared",
    "numbers_missing",
)
"""The re-ranker's inputs, in the order of its weights. Chosen by 5-fold cross-validation
over CheckThat! train queries at a pool of 30 (MiniLM MAP@5 0.915 with the first
four-feature model, 0.923 with these); title-and-text joint vectors, pool-relative gaps,
separate BM25 for text and headline, a contrastive query adapter over MiniLM and
non-linear re-rankers (small MLP, gradient boosting) did no better there."""
PREFILTER = "wordllama"
"""The embedder of the candidate stage: fast enough to compare a query with every claim."""
DEFAULT_POOL = 100
"""Claims per query that reach the re-ranker. On CheckThat! train the gold claim is in the
pool for 97.4% of queries at 30, 98.5% at 100 and 99.1% at 200. The re-ranker's 5-fold
cross-validated MAP@5 on train (``quotegraph train claim-ranker``) is 0.923 at 30 and 0.926
at 100; a quicker estimate over cached pools gave the same at 30 and 50 and 0.002 more at
150 and 200 than at 100, which is one or two queries of 800, not worth half as many claims
again through the slow encoder."""
QUERY_BATCH = 64
MIN_SENTENCE_CHARS = 16
"""Shorter pieces ("Wow!", "- Name") are too short to stand for a claim on their own."""
MODEL_PATH = Path(__file__).parent / "models" / "claim_ranker.json"


@dataclass(frozen=True)
class RankerModel:
    """Logistic re-ranker: ``score = sigmoid(bias + weights . features)``."""

    embedder: str
    weights: tuple[float, ...]
    bias: float

    def score(self, features: np.ndarray) -> np.ndarray:
        logits = features @ np.asarray(self.weights, dtype=np.float64) + self.bias
        return 1.0 / (1.0 + np.exp(-logits))


@dataclass(frozen=True)
class Pool:
    """One query's candidates: unique-claim rows and their feature matrix (rows x FEATURES)."""

    rows: np.ndarray
    features: np.ndarray


def load_ranker(embedder: str, path: Path = MODEL_PATH) -> RankerModel:
    """The fitted weights for main embedder ``embedder`` (E063 if absent or malformed)."""
    return _load_ranker(embedder, str(path))


@cache
def _load_ranker(embedder: str, path: str) -> RankerModel:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        if tuple(document["features"]) != FEATURES:
            raise ValueError(f"features {document['features']} are not {list(FEATURES)}")
        entry = document["models"][embedder]
        weights = tuple(float(w) for w in entry["weights"])
        if len(weights) != len(FEATURES):
            raise ValueError("one weight per feature expected")
        return RankerModel(embedder=embedder, weights=weights, bias=float(entry["bias"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise QuotegraphError(
            "E063", source=path, detail=f"{type(exc).__name__}: {exc} (embedder {embedder!r})"
        ) from exc


def zscore(values: np.ndarray) -> np.ndarray:
    """``values`` centred and scaled to unit deviation; constant input gives zeros."""
    spread = float(values.std())
    if spread == 0.0 or not math.isfinite(spread):
        return np.zeros_like(values, dtype=np.float64)
    scaled: np.ndarray = (values - values.mean()) / spread
    return scaled


# The dash first, so that "Really? - Name" loses the dash along with the space.
_SENTENCE_BREAK = re.compile(r"\s+-\s+|(?<=[.!?])\s+")


def query_sentences(text: str) -> list[str]:
    """The sentences of a (normalised) query that are long enough to carry a claim.

    Splits after ``.``, ``!`` or ``?`` and at a spaced dash (the dash before a tweet's
    "Name (@handle) date" signature, folded to ``-`` by ``normalize_text``). A query with no
    long enough piece is its own only sentence.
    """
    pieces = [piece.strip() for piece in _SENTENCE_BREAK.split(text)]
    return [piece for piece in pieces if len(piece) >= MIN_SENTENCE_CHARS] or [text]


def numbers_in(tokens: Iterable[str]) -> frozenset[str]:
    """The numbers among ``tokenize`` output ("3,500" is already "3500" there)."""
    return frozenset(token for token in tokens if token[0].isdigit())


def top_rows(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` highest scores, best first; equal scores keep index order."""
    n = min(n, len(scores))
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    if n < len(scores):
        # Everything tied with the n-th best stays in play, so ties still break by index.
        threshold = np.partition(scores, len(scores) - n)[len(scores) - n]
        chosen = np.flatnonzero(scores >= threshold)
    else:
        chosen = np.arange(len(scores))
    order = np.lexsort((chosen, -scores[chosen]))
    return chosen[order][:n]


class ClaimIndex:
    """Known claims prepared once for matching: BM25 index, wordllama matrix, dense cache."""

    def __init__(
        self,
        claims: Sequence[KnownClaim],
        *,
        embedder: Embedder | None = None,
        prefilter: Embedder | None = None,
        pool: int = DEFAULT_POOL,
        model: RankerModel | None = None,
    ) -> None:
        if not claims:
            raise QuotegraphError("E064", detail="the list of known claims is empty")
        self.claims = list(claims)
        self.embedder = embedder or load_embedder("auto")
        self.prefilter = prefilter or load_embedder(PREFILTER)
        self.model = model or load_ranker(self.embedder.name)
        self.pool = pool
        self._by_id: dict[str, KnownClaim] = {}
        for claim in reversed(self.claims):
            self._by_id[claim.claim_id] = claim
        self._group_claims()
        texts = [self._texts[row] for row in range(self.size)]
        titles = [self._titles[row] for row in range(self.size)]
        tokens = [tokenize(f"{t} {h}") for t, h in zip(texts, titles, strict=True)]
        self._bm25 = BM25Index(tokens)
        self._numbers = [numbers_in(row_tokens) for row_tokens in tokens]
        self._pre_text = self.prefilter.embed(texts)
        self._pre_title = self.prefilter.embed(titles)
        self._dense_text = np.zeros((self.size, self.embedder.dim), dtype=np.float32)
        self._dense_title = np.zeros((self.size, self.embedder.dim), dtype=np.float32)
        self._have_dense = np.zeros(self.size, dtype=bool)

    def _group_claims(self) -> None:
        # Unique rows: one per distinct (text, headline) after normalisation, in list order.
        row_of_key: dict[tuple[str, str], int] = {}
        self._texts: list[str] = []
        self._titles: list[str] = []
        self._members: list[list[int]] = []
        for position, claim in enumerate(self.claims):
            text = normalize_text(claim.text)
            title = normalize_text(claim.title or "")
            key = (text.casefold(), title.casefold())
            row = row_of_key.get(key)
            if row is None:
                row = row_of_key[key] = len(self._texts)
                self._texts.append(text)
                self._titles.append(title)
                self._members.append([])
            self._members[row].append(position)
        self.size = len(self._texts)

    def claim(self, claim_id: str) -> KnownClaim | None:
        """The known claim with id ``claim_id`` (the first one listed, if repeated)."""
        return self._by_id.get(claim_id)

    @property
    def dense_computed(self) -> int:
        """How many distinct claims the main embedder has encoded so far."""
        return int(self._have_dense.sum())

    def rows_of(self, claim_ids: Iterable[str]) -> set[int]:
        """The unique rows holding any of ``claim_ids`` (for labelling training pools)."""
        wanted = set(claim_ids)
        return {
            row
            for row, members in enumerate(self._members)
            if any(self.claims[m].claim_id in wanted for m in members)
        }

    def pools(self, texts: Sequence[str], size: int | None = None) -> list[Pool]:
        """Candidates (``size`` rows, default the index's pool) and their re-ranker features
        for each (already normalised) query text."""
        size = size or self.pool
        pre_queries = self.prefilter.embed(texts)
        dense_queries = self.embedder.embed(texts)
        sentence_vectors = self._sentence_vectors(texts, dense_queries)
        first_stage = [
            self._candidates(t, q, size) for t, q in zip(texts, pre_queries, strict=True)
        ]
        self._ensure_dense(np.unique(np.concatenate([stage[0] for stage in first_stage])))
        pools = []
        for text, (rows, *lexical), dense_query, sentences in zip(
            texts, first_stage, dense_queries, sentence_vectors, strict=True
        ):
            text_vectors, title_vectors = self._dense_text[rows], self._dense_title[rows]
            shared, missing = self._number_overlap(text, rows)
            features = np.column_stack(
                [
                    text_vectors @ dense_query,
                    title_vectors @ dense_query,
                    (text_vectors @ sentences.T).max(axis=1),
                    (title_vectors @ sentences.T).max(axis=1),
                    *lexical,
                    shared,
                    missing,
                ]
            ).astype(np.float64)
            pools.append(Pool(rows=rows, features=features))
        return pools

    def _sentence_vectors(self, texts: Sequence[str], whole: np.ndarray) -> list[np.ndarray]:
        """Main-embedder rows of each query's sentences (one encoder pass for all queries);
        a one-sentence query reuses its whole-text vector."""
        split = [query_sentences(text) for text in texts]
        pending = [
            s
            for text, sentences in zip(texts, split, strict=True)
            if sentences != [text]
            for s in sentences
        ]
        vectors = iter(self.embedder.embed(pending)) if pending else iter(())
        result = []
        for position, (text, sentences) in enumerate(zip(texts, split, strict=True)):
            if sentences == [text]:
                result.append(whole[position : position + 1])
            else:
                result.append(np.vstack([next(vectors) for _ in sentences]))
        return result

    def _number_overlap(self, text: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row: numbers the query and the claim share, and claim numbers the query lacks
        (a claim about 12 percent is not one about 40 percent)."""
        query_numbers = numbers_in(tokenize(text))
        shared = [len(self._numbers[row] & query_numbers) for row in rows]
        missing = [len(self._numbers[row] - query_numbers) for row in rows]
        return np.array(shared, dtype=np.float64), np.array(missing, dtype=np.float64)

    def _candidates(self, text: str, pre_query: np.ndarray, size: int) -> tuple[np.ndarray, ...]:
        """Pool rows, then the features known at this stage (bm25_log, wordllama cosines)."""
        bm25 = self._bm25.scores(tokenize(text))
        pre_text = self._pre_text @ pre_query
        pre_title = self._pre_title @ pre_query
        rows = top_rows(zscore(bm25) + zscore(pre_text + pre_title), size)
        # BM25 in units of the heaviest possible term, so that its scale (and the score's)
        # does not grow with the number of known claims.
        bm25_units = bm25[rows] / self._bm25.max_idf
        return rows, np.log1p(bm25_units), pre_text[rows], pre_title[rows]

    def _ensure_dense(self, rows: np.ndarray) -> None:
        missing = rows[~self._have_dense[rows]]
        if len(missing):
            self._dense_text[missing] = self.embedder.embed([self._texts[r] for r in missing])
            self._dense_title[missing] = self.embedder.embed([self._titles[r] for r in missing])
            self._have_dense[missing] = True

    def rank(self, queries: Sequence[tuple[str, str]], k: int = 5) -> list[list[ClaimMatch]]:
        """The ``k`` best claims for each ``(query_id, text)``, best first."""
        texts = [normalize_text(text) for _, text in queries]
        live = [i for i, text in enumerate(texts) if text]
        results: list[list[ClaimMatch]] = [[] for _ in queries]
        if not live:
            return results
        pools = self.pools([texts[i] for i in live], max(self.pool, k))
        for i, pool in zip(live, pools, strict=True):
            results[i] = self.matches(queries[i][0], pool, k)
        return results

    def matches(
        self, query_id: str, pool: Pool, k: int, *, model: RankerModel | None = None
    ) -> list[ClaimMatch]:
        """The ``k`` best claims of one pool under ``model`` (default: the index's)."""
        scores = (model or self.model).score(pool.features)
        first_member = np.array([self._members[r][0] for r in pool.rows])
        order = np.lexsort((first_member, -scores))
        matches: list[ClaimMatch] = []
        for position in order:
            for member in self._members[pool.rows[position]]:
                if len(matches) == k:
                    return matches
                claim_id = self.claims[member].claim_id
                score = round(float(scores[position]), 6)
                matches.append(ClaimMatch(query_id, claim_id, score, len(matches) + 1))
        return matches


def match_claims(
    queries: Iterable[tuple[str, str]],
    claims: Sequence[KnownClaim] | ClaimIndex,
    *,
    k: int = 5,
    embedder: Embedder | None = None,
    pool: int = DEFAULT_POOL,
    batch_size: int = QUERY_BATCH,
) -> Iterator[list[ClaimMatch]]:
    """For each ``(query_id, text)``, the ``k`` best known claims (best first), lazily.

    ``claims`` is a list of ``KnownClaim`` (indexed once here) or a prepared ``ClaimIndex``;
    ``embedder`` is the main embedder (default: MiniLM if installed, else wordllama). Queries
    are read and ranked in batches of ``batch_size``; a blank query gets an empty list.
    """
    if k < 1 or pool < 1 or batch_size < 1:
        raise QuotegraphError("E044", detail="k, pool and batch_size must be at least 1")
    if isinstance(claims, ClaimIndex):
        index = claims
    else:
        index = ClaimIndex(claims, embedder=embedder, pool=pool)
    iterator = iter(queries)
    while batch := list(islice(iterator, batch_size)):
        yield from index.rank(batch, k)


def match_statements(
    records: Iterable[StatementRecord],
    index: ClaimIndex,
    *,
    k: int = 5,
    min_score: float = 0.0,
) -> Iterator[tuple[StatementRecord, ClaimMatch]]:
    """Each stored statement with its matches that score at least ``min_score``."""
    iterator = iter(records)
    while batch := list(islice(iterator, QUERY_BATCH)):
        queries = [(r.statement.statement_id, r.statement.content) for r in batch]
        for record, matches in zip(batch, index.rank(queries, k), strict=True):
            for match in matches:
                if match.score >= min_score:
                    yield record, match
