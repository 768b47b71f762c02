"""Tests for the stance model: features, the numpy forward pass, the model files and the
shipped model, on fictional claims and bodies (invented towns, people and events)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from quotegraph.corpus import stance_features as features
from quotegraph.corpus.stance import (
    VOCAB_FILE,
    WEIGHTS_FILE,
    MlpWeights,
    StanceModel,
    article_stance,
    load_stance_model,
    model_dir,
)
from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.fnc1 import StancePair
from quotegraph.types import STANCE_LABELS, StancePrediction

CLAIM = "Giant squid found in Lake Morvane, fishermen say"
AGREEING = (
    "Fishermen on Lake Morvane have hauled a giant squid into their boat, the Morvane "
    "fisheries office confirmed on Tuesday.\n\nThe animal, nearly four metres long, was found "
    "near the northern pier. Officials said it was the first giant squid ever seen in the lake."
)
REFUTING = (
    "The Morvane fisheries office said on Tuesday that reports of a giant squid in Lake "
    "Morvane were a hoax.\n\nThe photo was fake, officials said: no squid was found, and the "
    "story was a prank by two students."
)
UNRELATED = (
    "The city council of Brevik approved a new budget for its public libraries on Monday. "
    "Opening hours will be extended on weekends, and two reading rooms will be renovated."
)
PAIRS = [(CLAIM, AGREEING), (CLAIM, REFUTING), (CLAIM, UNRELATED), ("", "")]


# --------------------------------------------------------------------------- text features


def test_tokens_terms_and_sentences() -> None:
    words = features.tokens("The Mayor’s plan isn't final, Ilse Brandt said.")
    assert words == ["the", "mayor's", "plan", "isn't", "final", "ilse", "brandt", "said"]
    assert features.terms(["the", "giant", "squid", "not", "found"]) == [
        "giant", "squid", "not", "found", "giant squid", "squid not", "not found",
    ]  # fmt: skip
    assert features.sentences("One. Two?\nThree") == ["One.", "Two?", "Three"]


def test_vocabulary_and_tfidf() -> None:
    docs = [features.terms(features.tokens(t)) for t in (AGREEING, REFUTING, UNRELATED)]
    vocab = features.fit_vocabulary(docs, size=50, min_df=2)
    assert 0 < len(vocab) <= 50
    assert "squid" in vocab.index
    assert "libraries" not in vocab.index  # in one text only: below min_df
    columns, values = vocab.sparse(features.terms(features.tokens(CLAIM + " zebra")))
    assert np.linalg.norm(values) == pytest.approx(1.0, abs=1e-6)
    assert vocab.index["squid"] in columns
    assert vocab.sparse([])[0].size == 0
    dense = vocab.vector(["squid"])
    assert dense.shape == (len(vocab),)
    assert dense[vocab.index["squid"]] == pytest.approx(1.0)


def test_embeddings_are_unit_or_zero() -> None:
    vectors = features.embed([CLAIM, AGREEING, ""])
    assert vectors.shape == (3, features.EMBED_DIM)
    assert np.linalg.norm(vectors[:2], axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)
    assert not vectors[2].any()
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ features.embed([UNRELATED])[0])


@pytest.fixture(scope="module")
def fictional_vocabs() -> tuple[features.Vocabulary, features.Vocabulary]:
    texts = [AGREEING, REFUTING, UNRELATED, CLAIM]
    vocab = features.fit_vocabulary(
        [features.terms(features.tokens(t)) for t in texts], size=200, min_df=1
    )
    return vocab, vocab


def test_dense_features_separate_related_from_unrelated(fictional_vocabs) -> None:
    claim_vocab, body_vocab = fictional_vocabs
    claims = features.claim_views([CLAIM], claim_vocab, body_vocab)
    bodies = features.body_views([AGREEING, REFUTING, UNRELATED], body_vocab)
    block = features.dense_block(claims, bodies, [(0, 0), (0, 1), (0, 2)])
    assert block.shape == (3, len(features.DENSE_NAMES))
    column = {name: i for i, name in enumerate(features.DENSE_NAMES)}
    for name in ("tfidf_cos", "emb_cos", "emb_cos_best_sentence", "word_overlap"):
        assert block[0, column[name]] > block[2, column[name]], name
        assert block[1, column[name]] > block[2, column[name]], name
    # Refuting words (hoax, fake, prank, no) sit near the claim in the refuting body only.
    assert block[1, column["near_refute"]] > block[0, column["near_refute"]]
    assert block[1, column["body_refute_rate"]] > block[0, column["body_refute_rate"]]


def test_empty_texts_give_finite_features(fictional_vocabs) -> None:
    claim_vocab, body_vocab = fictional_vocabs
    claims = features.claim_views(["", CLAIM], claim_vocab, body_vocab)
    bodies = features.body_views(["", "   "], body_vocab)
    block = features.dense_block(claims, bodies, [(0, 0), (1, 1)])
    assert np.isfinite(block).all()


# --------------------------------------------------------------------------- forward pass


def random_model(claim_vocab, body_vocab, hidden: int = 6, seed: int = 1) -> StanceModel:
    rng = np.random.default_rng(seed)
    width = len(claim_vocab) + len(body_vocab) + len(features.DENSE_NAMES)
    weights = MlpWeights(
        hidden=rng.normal(size=(width, hidden)).astype(np.float32),
        hidden_bias=rng.normal(size=hidden).astype(np.float32),
        out=rng.normal(size=(hidden, 4)).astype(np.float32),
        out_bias=rng.normal(size=4).astype(np.float32),
        dense_mean=rng.normal(size=len(features.DENSE_NAMES)).astype(np.float32),
        dense_scale=rng.uniform(0.5, 2, size=len(features.DENSE_NAMES)).astype(np.float32),
    )
    return StanceModel(claim_vocab, body_vocab, weights)


def full_input_forward(model: StanceModel, claim: str, body: str) -> np.ndarray:
    """The textbook forward pass over the whole input vector, to check the factored one."""
    claims = features.claim_views([claim], model.claim_vocab, model.body_vocab)
    bodies = features.body_views([body], model.body_vocab)
    dense = features.dense_block(claims, bodies, [(0, 0)])[0]
    body_row = np.zeros(len(model.body_vocab), np.float32)
    body_row[bodies[0].tfidf[0]] = bodies[0].tfidf[1]
    claim_row = np.zeros(len(model.claim_vocab), np.float32)
    claim_row[claims[0].tfidf_claim[0]] = claims[0].tfidf_claim[1]
    w = model.weights
    x = np.concatenate([claim_row, body_row, (dense - w.dense_mean) / w.dense_scale])
    logits = np.maximum(x @ w.hidden + w.hidden_bias, 0) @ w.out + w.out_bias
    return np.exp(logits) / np.exp(logits).sum()


def test_factored_forward_equals_full_forward(fictional_vocabs) -> None:
    model = random_model(*fictional_vocabs)
    probabilities = model.probabilities(PAIRS)
    assert probabilities.shape == (len(PAIRS), 4)
    assert probabilities.sum(axis=1) == pytest.approx(np.ones(len(PAIRS)), abs=1e-5)
    for row, (claim, body) in zip(probabilities, PAIRS, strict=True):
        assert row == pytest.approx(full_input_forward(model, claim, body), abs=1e-5)


def test_predict_gives_frozen_predictions(fictional_vocabs) -> None:
    model = random_model(*fictional_vocabs)
    predictions = model.predict(PAIRS[:2])
    assert all(isinstance(p, StancePrediction) for p in predictions)
    first = predictions[0]
    assert first.label in STANCE_LABELS
    assert first.probability == max(first.probabilities.values())
    assert sum(first.probabilities.values()) == pytest.approx(1.0, abs=1e-5)
    assert model.predict([]) == []


def test_save_and_load_round_trip(tmp_path: Path, fictional_vocabs) -> None:
    model = random_model(*fictional_vocabs)
    model.save(tmp_path)
    loaded = StanceModel.load(tmp_path)
    # float16 storage of the first layer changes the outputs only a little.
    assert loaded.probabilities(PAIRS) == pytest.approx(model.probabilities(PAIRS), abs=2e-2)
    assert loaded.claim_vocab.index == model.claim_vocab.index


def test_wrong_shapes_and_broken_files_are_coded_errors(tmp_path: Path, fictional_vocabs) -> None:
    claim_vocab, body_vocab = fictional_vocabs
    good = random_model(claim_vocab, body_vocab)
    tiny = features.Vocabulary.from_terms(["squid"], np.ones(1, np.float32))
    misfit = random_model(tiny, body_vocab).weights
    with pytest.raises(QuotegraphError) as caught:
        StanceModel(claim_vocab, body_vocab, misfit)
    assert caught.value.code == "E055"
    good.save(tmp_path)
    (tmp_path / WEIGHTS_FILE).write_bytes(b"not a zip file")
    with pytest.raises(QuotegraphError) as caught:
        StanceModel.load(tmp_path)
    assert caught.value.code == "E055"
    with pytest.raises(QuotegraphError) as caught:
        StanceModel.load(tmp_path / "absent")
    assert caught.value.code == "E055"


# --------------------------------------------------------------------------- training parity


def test_numpy_model_matches_sklearn_after_training(fictional_vocabs) -> None:
    """Features as trained (sparse design matrix) and as run (factored numpy) agree."""
    pytest.importorskip("sklearn")
    from quotegraph.train.stance import (
        StanceTrainSettings,
        design_matrix,
        encode_pairs,
        fit_mlp,
        mlp_weights,
    )

    bodies = {"a": AGREEING, "r": REFUTING, "u": UNRELATED}
    pairs = [
        StancePair(CLAIM, "a", "agree"),
        StancePair(CLAIM, "r", "disagree"),
        StancePair(CLAIM, "u", "unrelated"),
        StancePair("Brevik libraries to open on weekends", "u", "discuss"),
    ]
    claim_vocab, body_vocab = fictional_vocabs
    encoded = encode_pairs(pairs, bodies, claim_vocab, body_vocab)
    dense = features.dense_block(encoded.claims, encoded.bodies, encoded.pairs)
    mean, scale = dense.mean(axis=0), dense.std(axis=0) + 1e-6
    matrix = design_matrix(encoded, (dense - mean) / scale, len(claim_vocab), len(body_vocab))
    settings = StanceTrainSettings(hidden_units=5, epochs=5, batch_size=2)
    mlp = fit_mlp(matrix, np.array([0, 1, 3, 2]), settings)
    model = StanceModel(claim_vocab, body_vocab, mlp_weights(mlp, mean, scale))
    texts = [(p.claim, bodies[p.body_id]) for p in pairs]
    assert model.probabilities(texts) == pytest.approx(mlp.predict_proba(matrix), abs=1e-4)


# --------------------------------------------------------------------------- shipped model


def test_shipped_model_loads_once() -> None:
    assert (model_dir() / WEIGHTS_FILE).is_file()
    assert (model_dir() / VOCAB_FILE).is_file()
    model = load_stance_model()
    assert model is load_stance_model()
    assert len(model.claim_vocab) > 100
    assert len(model.body_vocab) > 100
    assert model.info["settings"]["use_arc"] is True


def test_shipped_model_on_a_clearly_related_and_unrelated_pair() -> None:
    related = article_stance(CLAIM, AGREEING)
    unrelated = article_stance(CLAIM, UNRELATED)
    assert related.label != "unrelated"
    assert unrelated.label == "unrelated"
    assert unrelated.probabilities["unrelated"] > 0.5
    assert sum(related.probabilities.values()) == pytest.approx(1.0, abs=1e-5)
