"""Matching texts against known claims. Every claim and query here is invented."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from quotegraph.corpus import embed
from quotegraph.corpus.embed import load_embedder
from quotegraph.corpus.matching import (
    DEFAULT_POOL,
    FEATURES,
    MODEL_PATH,
    ClaimIndex,
    RankerModel,
    load_ranker,
    match_claims,
    match_statements,
    numbers_in,
    query_sentences,
    top_rows,
    zscore,
)
from quotegraph.errors import QuotegraphError
from quotegraph.types import KnownClaim, Statement, StatementRecord

CLAIMS = [
    KnownClaim(
        "levy-40",
        "The Korsvik water board raised the river dike levy by 40 percent.",
        "Did Korsvik Raise Its Dike Levy by 40 Percent?",
    ),
    KnownClaim(
        "flour-strike",
        "Amberlund bakers closed every shop for a week over the flour tax.",
        "Did Amberlund Bakers Strike for a Week?",
    ),
    KnownClaim(
        "flood-homes", "Mayor Ottilie Sandqvist said the Lower Korsvik flood ruined 40 homes."
    ),
    KnownClaim(
        "crane",
        "A photograph shows the harbour crane of Velmar collapsing in a storm.",
        "Is This the Velmar Crane Falling Down?",
    ),
    KnownClaim(
        "ferry",
        "The Velmar ferry line will stop running to the northern islands in May.",
        "Will Velmar Ferries Stop Serving the Northern Islands?",
    ),
    KnownClaim("guild", "Henrik Dalby was elected head of the bakers' guild in Amberlund."),
    KnownClaim(
        "levy-12",
        "The Korsvik water board raised the river dike levy by 12 percent.",
        "Did Korsvik Raise Its Dike Levy by 12 Percent?",
    ),
]

needs_minilm = pytest.mark.skipif(
    not embed.minilm_available(), reason="the [embed] extra (MiniLM) is not installed"
)


class CountingEmbedder:
    """wordllama, counting the texts it is asked to embed."""

    def __init__(self) -> None:
        self._inner = load_embedder("wordllama")
        self.name = self._inner.name
        self.dim = self._inner.dim
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        self.texts += list(texts)
        return self._inner.embed(texts, batch_size)


class BlindEmbedder:
    """Gives every text the same vector: cosines cannot tell claims apart."""

    name = "wordllama"
    dim = 4

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        rows[:, 0] = 1.0
        return rows


def _ids(matches) -> list[str]:
    return [m.claim_id for m in matches]


def _rank_one(text: str, claims=CLAIMS, **options) -> list:
    embedder = options.pop("embedder", load_embedder("wordllama"))
    return next(match_claims([("q", text)], claims, embedder=embedder, **options))


# --------------------------------------------------------------------------- ranking


def test_a_paraphrase_ranks_its_claim_first():
    matches = _rank_one(
        "Households in Korsvik will pay 40% more for flood defences after the water board "
        "hiked its levy, the board chair confirmed."
    )
    assert _ids(matches)[0] == "levy-40"


def test_the_claim_with_the_query_number_beats_the_same_claim_with_another_number():
    ids = _ids(_rank_one("The dike levy in Korsvik went up by 12 percent this spring."))
    assert ids.index("levy-12") < ids.index("levy-40")
    ids = _ids(_rank_one("The dike levy in Korsvik went up by 40 percent this spring."))
    assert ids.index("levy-40") < ids.index("levy-12")


def test_bm25_decides_when_the_embeddings_cannot_tell_claims_apart():
    blind = BlindEmbedder()
    model = load_ranker("wordllama")
    index = ClaimIndex(CLAIMS, embedder=blind, prefilter=blind, model=model)
    ranking = _ids(index.rank([("q", "Who heads the bakers guild of Amberlund?")], k=3)[0])
    assert ranking[0] == "guild"
    assert ranking[1] == "flour-strike"  # shares "Amberlund" and "bakers"


@needs_minilm
@pytest.mark.slow
def test_minilm_finds_a_paraphrase_with_little_word_overlap():
    matches = _rank_one(
        "Boats to the islands up north are being cancelled from spring onwards.",
        embedder=load_embedder("minilm"),
    )
    assert _ids(matches)[0] == "ferry"


def test_scores_are_probabilities_in_rank_order():
    matches = _rank_one("A storm brought down the big crane in Velmar harbour.", k=4)
    assert [m.rank for m in matches] == [1, 2, 3, 4]
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert matches[0].claim_id == "crane"
    assert {m.query_id for m in matches} == {"q"}


def test_the_same_claim_listed_twice_ranks_together_first_listed_first():
    # The same claim with straight and with curly quotes, as fact-check lists often hold it.
    straight = KnownClaim("port-a", 'The Velmar port chief called the strike "illegal".')
    curly = KnownClaim("port-b", "The Velmar port chief called the strike “illegal”.")
    query = "Velmar's port chief says the dockers' strike is illegal."
    matches = _rank_one(query, [straight, *CLAIMS, curly])
    assert _ids(matches)[:2] == ["port-a", "port-b"]
    assert matches[0].score == matches[1].score
    assert _ids(_rank_one(query, [curly, *CLAIMS, straight]))[:2] == ["port-b", "port-a"]


def test_k_caps_the_list_and_a_blank_query_gets_nothing():
    assert len(_rank_one("dike levy", k=2)) == 2
    assert len(_rank_one("dike levy", k=50)) == len(CLAIMS)
    assert len(_rank_one("dike levy", k=5, pool=2)) == 5  # the pool grows to k
    assert _rank_one("   ") == []


def test_queries_are_read_lazily_in_batches_and_answered_in_order():
    read: list[str] = []

    def queries() -> Iterator[tuple[str, str]]:
        for number, text in enumerate(["flour tax strike", "ferry islands", "crane storm"]):
            read.append(text)
            yield (f"q{number}", text)

    results = match_claims(queries(), CLAIMS, embedder=load_embedder("wordllama"), batch_size=2)
    first = next(results)
    assert len(read) == 2  # the first batch only
    rest = list(results)
    assert [m[0].query_id for m in [first, *rest]] == ["q0", "q1", "q2"]
    assert [m[0].claim_id for m in [first, *rest]] == ["flour-strike", "ferry", "crane"]


def test_claim_vectors_are_computed_once_for_many_queries():
    counting = CountingEmbedder()
    index = ClaimIndex(CLAIMS, embedder=counting, pool=3)
    index.rank([("a", "flour tax"), ("b", "bakers flour tax")])
    first = len(counting.texts)
    index.rank([("c", "flour tax bakers")])
    # Only the new query is embedded: its pool's claim vectors are already known.
    assert len(counting.texts) == first + 1
    assert index.dense_computed <= len(CLAIMS)


@pytest.mark.parametrize(
    ("claims", "options", "code"),
    [([], {}, "E064"), (CLAIMS, {"k": 0}, "E044"), (CLAIMS, {"pool": 0}, "E044")],
)
def test_bad_arguments_raise_coded_errors(claims, options, code):
    with pytest.raises(QuotegraphError) as info:
        _rank_one("dike levy", claims, **options)
    assert info.value.code == code


def test_match_statements_keeps_matches_at_or_above_min_score():
    def record(statement_id: str, content: str) -> StatementRecord:
        statement = Statement(statement_id, "art", "indirect", content, ((0, len(content)),))
        return StatementRecord(statement, None, None, None, None, None)

    records = [
        record("s1", "the water board raised the Korsvik dike levy by 40 percent"),
        record("s2", "we will open a new library next year"),
    ]
    index = ClaimIndex(CLAIMS, embedder=load_embedder("wordllama"))
    everything = list(match_statements(records, index, k=2))
    assert [(r.statement.statement_id, m.rank) for r, m in everything] == [
        ("s1", 1),
        ("s1", 2),
        ("s2", 1),
        ("s2", 2),
    ]
    best = everything[0][1].score
    kept = list(match_statements(records, index, k=2, min_score=best))
    assert [(r.statement.statement_id, m.claim_id) for r, m in kept] == [("s1", "levy-40")]


# --------------------------------------------------------------------------- helpers


def test_top_rows_orders_by_score_and_breaks_ties_by_position():
    scores = np.array([0.5, 0.9, 0.5, 0.1, 0.9])
    assert top_rows(scores, 3).tolist() == [1, 4, 0]
    assert top_rows(scores, 10).tolist() == [1, 4, 0, 2, 3]
    assert top_rows(scores, 0).tolist() == []


def test_zscore_of_a_constant_is_zero():
    assert zscore(np.array([2.0, 2.0])).tolist() == [0.0, 0.0]
    assert np.allclose(zscore(np.array([1.0, 3.0])), [-1.0, 1.0])


def test_the_shipped_ranker_has_weights_for_both_embedders():
    for name in ("minilm", "wordllama"):
        model = load_ranker(name)
        assert len(model.weights) == len(FEATURES)
        assert model.embedder == name


def test_the_story_pass_encoder_has_no_ranker_weights_and_says_so():
    # minilm-int8 serves the story pass; claim matching was fitted for the other two.
    assert "minilm-int8" in embed.EMBEDDERS
    with pytest.raises(QuotegraphError) as info:
        load_ranker("minilm-int8")
    assert info.value.code == "E063"
    assert "minilm-int8" in str(info.value)


def test_the_shipped_ranker_was_fitted_on_pools_of_the_default_size():
    # The weights depend on what a pool holds: refit (`quotegraph train claim-ranker`) when
    # DEFAULT_POOL changes.
    document = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert document["pool"] == DEFAULT_POOL


@pytest.mark.parametrize(
    "document",
    [
        "not json",
        json.dumps({"features": ["x"], "models": {}}),
        json.dumps({"features": list(FEATURES), "models": {"wordllama": {"weights": [1.0]}}}),
    ],
)
def test_a_malformed_ranker_file_is_E063(tmp_path, document):
    path = tmp_path / "ranker.json"
    path.write_text(document, encoding="utf-8")
    with pytest.raises(QuotegraphError) as info:
        load_ranker("wordllama", path)
    assert info.value.code == "E063"


def test_query_sentences_split_at_sentence_ends_and_the_signature_dash():
    tweet = (
        "Unbelievable! The Korsvik board raised the dike levy again. Who pays? "
        "- Ottilie Sandqvist (Ottilie Sandqvist) May 3, 2019"
    )
    assert query_sentences(tweet) == [
        "The Korsvik board raised the dike levy again.",
        "Ottilie Sandqvist (Ottilie Sandqvist) May 3, 2019",
    ]


def test_a_query_without_a_long_enough_sentence_is_its_own_sentence():
    assert query_sentences("Wow. No way!") == ["Wow. No way!"]
    assert query_sentences("well-known dike levy") == ["well-known dike levy"]


def test_numbers_in_keeps_only_number_tokens():
    assert numbers_in(["dike", "3500", "2.5", "levy"]) == frozenset({"3500", "2.5"})


def test_pool_features_count_shared_and_missing_numbers():
    index = ClaimIndex(CLAIMS, embedder=load_embedder("wordllama"), pool=len(CLAIMS))
    (pool,) = index.pools(["The Korsvik dike levy rose 12 percent, up from 3 percent."])
    assert pool.features.shape == (len(CLAIMS), len(FEATURES))
    columns = {name: pool.features[:, FEATURES.index(name)] for name in FEATURES}
    by_id = {index.claims[row].claim_id: position for position, row in enumerate(pool.rows)}
    assert columns["numbers_shared"][by_id["levy-12"]] == 1.0
    assert columns["numbers_missing"][by_id["levy-12"]] == 0.0
    assert columns["numbers_shared"][by_id["levy-40"]] == 0.0
    assert columns["numbers_missing"][by_id["levy-40"]] == 1.0
    # A claim without a headline has a zero headline cosine, not NaN.
    assert columns["dense_title_cos"][by_id["guild"]] == 0.0
    assert np.isfinite(pool.features).all()


def test_the_best_sentence_of_a_long_query_is_at_least_as_close_as_the_whole():
    index = ClaimIndex(CLAIMS, embedder=load_embedder("wordllama"), pool=len(CLAIMS))
    query = (
        "What a week it has been for everyone in town, honestly. "
        "Boats to the northern islands will stop running in May."
    )
    (pool,) = index.pools([query])
    position = [index.claims[row].claim_id for row in pool.rows].index("ferry")
    whole = pool.features[position, FEATURES.index("dense_text_cos")]
    best = pool.features[position, FEATURES.index("sentence_text_cos")]
    assert best > whole


def test_ranker_model_score_is_a_sigmoid():
    model = RankerModel("wordllama", (1.0, 0.0, 0.0, 0.0), -1.0)
    scores = model.score(np.array([[1.0, 5.0, 5.0, 5.0], [3.0, 0.0, 0.0, 0.0]]))
    assert np.allclose(scores, [0.5, 1 / (1 + np.exp(-2.0))])
