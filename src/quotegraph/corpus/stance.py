"""Does this article agree with this claim? The shipped stance model (FNC-1 + ARC).

A small multilayer perceptron (one hidden ReLU layer, softmax over agree, disagree, discuss
and unrelated) over the features of ``stance_features``, trained by
``train/stance.py`` (see ``models/STANCE_MODEL.md``). Inference is numpy only.
Because the first layer is linear, its claim part is computed once per distinct claim and its
body part once per distinct body, so a batch where many claims meet the same bodies (or the
reverse) costs little more than its dense features.

Files, under ``models/``: ``stance_mlp.npz`` (weights, dense-feature scaling, IDF weights) and
``stance_vocab.json`` (labels, both vocabularies, feature names, training settings).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from quotegraph.corpus import stance_features as features
from quotegraph.errors import QuotegraphError
from quotegraph.types import STANCE_LABELS, StanceLabel, StancePrediction

WEIGHTS_FILE = "stance_mlp.npz"
VOCAB_FILE = "stance_vocab.json"
FORMAT_VERSION = 1
BATCH_PAIRS = 1024
"""Pairs per forward pass: bounds the memory of the hidden layer and dense block."""


def model_dir() -> Path:
    """Where the shipped model lives (inside the package)."""
    return Path(__file__).resolve().parent / "models"


@dataclass(frozen=True)
class MlpWeights:
    """One hidden layer: ``softmax(relu(x @ hidden + hidden_bias) @ out + out_bias)``.

    Rows of ``hidden`` are ordered ``[claim TF-IDF | body TF-IDF | dense block]``; the dense
    block is standardised with ``dense_mean`` and ``dense_scale`` first.
    """

    hidden: np.ndarray
    hidden_bias: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray
    dense_mean: np.ndarray
    dense_scale: np.ndarray


class StanceModel:
    """The fitted vocabularies and weights; ``predict`` labels (claim, body) pairs."""

    def __init__(
        self,
        claim_vocab: features.Vocabulary,
        body_vocab: features.Vocabulary,
        weights: MlpWeights,
        info: Mapping[str, Any] | None = None,
    ):
        expected = len(claim_vocab) + len(body_vocab) + len(features.DENSE_NAMES)
        if weights.hidden.shape[0] != expected or weights.out.shape[1] != len(STANCE_LABELS):
            raise QuotegraphError(
                "E055",
                detail=f"weights of shape {weights.hidden.shape} x {weights.out.shape} do not "
                f"fit {expected} features and {len(STANCE_LABELS)} labels",
            )
        self.claim_vocab = claim_vocab
        self.body_vocab = body_vocab
        self.weights = weights
        self.info: Mapping[str, Any] = dict(info or {})
        # Shipped as float16 to halve the file; computed in float32.
        hidden = weights.hidden.astype(np.float32)
        body_end = len(claim_vocab) + len(body_vocab)
        self._claim_rows = hidden[: len(claim_vocab)]
        self._body_rows = hidden[len(claim_vocab) : body_end]
        self._dense_rows = hidden[body_end:]

    # ------------------------------------------------------------------ prediction

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Probabilities (one row per (claim, body) pair, columns in ``STANCE_LABELS`` order)."""
        result = np.zeros((len(pairs), len(STANCE_LABELS)), dtype=np.float32)
        for start in range(0, len(pairs), BATCH_PAIRS):
            batch = pairs[start : start + BATCH_PAIRS]
            result[start : start + len(batch)] = self._batch_probabilities(batch)
        return result

    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[StancePrediction]:
        """A label and its probability (and all four probabilities) per (claim, body) pair."""
        return [_prediction(row) for row in self.probabilities(pairs)]

    def _batch_probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        claim_texts, claim_of = _distinct(claim for claim, _ in pairs)
        body_texts, body_of = _distinct(body for _, body in pairs)
        claims = features.claim_views(claim_texts, self.claim_vocab, self.body_vocab)
        bodies = features.body_views(body_texts, self.body_vocab)
        dense = features.dense_block(claims, bodies, list(zip(claim_of, body_of, strict=True)))
        return self.forward(
            np.stack([self._first_layer(view.tfidf_claim, self._claim_rows) for view in claims]),
            np.stack([self._first_layer(view.tfidf, self._body_rows) for view in bodies]),
            dense,
            np.asarray(claim_of),
            np.asarray(body_of),
        )

    @staticmethod
    def _first_layer(row: features.SparseRow, weights: np.ndarray) -> np.ndarray:
        columns, values = row
        product: np.ndarray = values @ weights[columns]
        return product

    def forward(
        self,
        claim_part: np.ndarray,
        body_part: np.ndarray,
        dense: np.ndarray,
        claim_of: np.ndarray,
        body_of: np.ndarray,
    ) -> np.ndarray:
        """Softmax outputs from the first layer's claim and body parts and the dense block."""
        w = self.weights
        scaled = (dense - w.dense_mean) / w.dense_scale
        hidden = claim_part[claim_of] + body_part[body_of] + scaled @ self._dense_rows
        hidden = np.maximum(hidden + w.hidden_bias, 0.0)
        logits = hidden @ w.out + w.out_bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        softmax: np.ndarray = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
        return softmax

    # ------------------------------------------------------------------ files

    def save(self, directory: Path) -> None:
        """Write the two model files into ``directory`` (created if needed)."""
        directory.mkdir(parents=True, exist_ok=True)
        w = self.weights
        np.savez_compressed(
            directory / WEIGHTS_FILE,
            hidden=w.hidden.astype(np.float16),
            hidden_bias=w.hidden_bias.astype(np.float32),
            out=w.out.astype(np.float32),
            out_bias=w.out_bias.astype(np.float32),
            dense_mean=w.dense_mean.astype(np.float32),
            dense_scale=w.dense_scale.astype(np.float32),
            claim_idf=self.claim_vocab.idf,
            body_idf=self.body_vocab.idf,
        )
        vocab = {
            "format": FORMAT_VERSION,
            "labels": list(STANCE_LABELS),
            "dense_names": list(features.DENSE_NAMES),
            "claim_terms": self.claim_vocab.ordered_terms(),
            "body_terms": self.body_vocab.ordered_terms(),
            "info": dict(self.info),
        }
        text = json.dumps(vocab, ensure_ascii=False, separators=(",", ":"))
        (directory / VOCAB_FILE).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> StanceModel:
        """Read a model written by ``save``; any problem is a coded error (E055)."""
        try:
            vocab = json.loads((directory / VOCAB_FILE).read_text(encoding="utf-8"))
            with np.load(directory / WEIGHTS_FILE) as arrays:
                loaded = {name: arrays[name] for name in arrays.files}
        except (OSError, ValueError) as exc:
            raise QuotegraphError("E055", source=str(directory), detail=str(exc)) from exc
        _check_header(vocab, directory)
        try:
            return cls(
                features.Vocabulary.from_terms(vocab["claim_terms"], loaded["claim_idf"]),
                features.Vocabulary.from_terms(vocab["body_terms"], loaded["body_idf"]),
                MlpWeights(
                    hidden=loaded["hidden"],
                    hidden_bias=loaded["hidden_bias"],
                    out=loaded["out"],
                    out_bias=loaded["out_bias"],
                    dense_mean=loaded["dense_mean"],
                    dense_scale=loaded["dense_scale"],
                ),
                vocab.get("info"),
            )
        except KeyError as exc:
            raise QuotegraphError("E055", source=str(directory), detail=f"no {exc}") from exc


def _check_header(vocab: Mapping[str, Any], directory: Path) -> None:
    if vocab.get("format") != FORMAT_VERSION:
        detail = f"format {vocab.get('format')!r}, expected {FORMAT_VERSION}"
    elif tuple(vocab.get("labels", ())) != STANCE_LABELS:
        detail = f"labels {vocab.get('labels')!r}"
    elif tuple(vocab.get("dense_names", ())) != features.DENSE_NAMES:
        detail = "the dense features differ from this version's (retrain the model)"
    else:
        return
    raise QuotegraphError("E055", source=str(directory), detail=detail)


def _distinct(texts: Iterable[str]) -> tuple[list[str], list[int]]:
    """The distinct texts in first-seen order, and each input's index among them."""
    index: dict[str, int] = {}
    positions = [index.setdefault(text, len(index)) for text in texts]
    return list(index), positions


def _prediction(row: np.ndarray) -> StancePrediction:
    best = int(np.argmax(row))
    label: StanceLabel = STANCE_LABELS[best]
    return StancePrediction(
        label=label,
        probability=float(row[best]),
        probabilities={name: float(p) for name, p in zip(STANCE_LABELS, row, strict=True)},
    )


# --------------------------------------------------------------------------- public functions


@cache
def _shipped_model() -> StanceModel:
    return StanceModel.load(model_dir())


def load_stance_model(directory: Path | None = None) -> StanceModel:
    """The model in ``directory``, or the shipped one (loaded once per process)."""
    return _shipped_model() if directory is None else StanceModel.load(directory)


def article_stance(claim: str, body: str) -> StancePrediction:
    """How ``body`` (an article's text) stands towards ``claim``, by the shipped model."""
    return load_stance_model().predict([(claim, body)])[0]


def predict_labels(
    pairs: Sequence[tuple[str, str]], directory: Path | None = None
) -> list[StanceLabel]:
    """The most probable stance of each (claim, body) pair."""
    probabilities = load_stance_model(directory).probabilities(pairs)
    return [STANCE_LABELS[int(i)] for i in probabilities.argmax(axis=1)]
