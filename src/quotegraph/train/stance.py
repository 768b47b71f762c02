"""Train the stance model on FNC-1 train (minus our held-out bodies) and ARC train.

Needs the ``train`` extra (scikit-learn, for its MLP and Adam); the result is plain numpy
arrays that ``quotegraph.corpus.stance`` runs without scikit-learn.

Data folder layout (``../shared/data/fnc-1``)::

    train_bodies.csv, train_stances.csv           FNC-1 train
    arc/arc_bodies.csv, arc/arc_stances_train.csv  ARC train (its test file is never read)

FNC-1 bodies in our held-out part (``evaluate.fnc1.is_held_out``) are never read for
training. With ``tune=True`` the model is fitted on the inner-train bodies only and scored on
the inner-dev bodies; that is the only place settings may be chosen.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from quotegraph.corpus import stance_features as features
from quotegraph.corpus.stance import MlpWeights, StanceModel
from quotegraph.errors import QuotegraphError, missing_extra
from quotegraph.evaluate.fnc1 import (
    StancePair,
    check_bodies,
    is_held_out,
    is_inner_dev,
    read_bodies,
    read_stances,
    score,
)
from quotegraph.train.provenance import provenance
from quotegraph.types import STANCE_LABELS

FNC_FILES = ("train_bodies.csv", "train_stances.csv")
ARC_FILES = ("arc/arc_bodies.csv", "arc/arc_stances_train.csv")
ARC_PREFIX = "arc:"


@dataclass(frozen=True)
class StanceTrainSettings:
    """Every choice that shapes the model (chosen on the inner dev split, see the model card)."""

    claim_vocab_size: int = 3000
    claim_min_df: int = 2
    body_vocab_size: int = 6000
    body_min_df: int = 3
    hidden_units: int = 200
    l2_alpha: float = 1e-4
    epochs: int = 10
    batch_size: int = 256
    learning_rate: float = 1e-3
    class_weight_power: float = 0.5
    """Class weights are ``(n / (4 * n_class)) ** power``: 0.5 lifts the rare ``disagree``."""
    seed: int = 0
    use_arc: bool = True
    arc_weight: float = 0.5
    """ARC pairs count half: ARC helps ``disagree`` but its user posts are not news."""


@dataclass(frozen=True)
class TrainingSplit:
    train: tuple[StancePair, ...]
    dev: tuple[StancePair, ...]
    bodies: Mapping[str, str]


def load_split(data_dir: Path, settings: StanceTrainSettings, *, tune: bool) -> TrainingSplit:
    """FNC-1 train outside the held-out part (+ ARC train); with ``tune``, the inner split."""
    for name in FNC_FILES + (ARC_FILES if settings.use_arc else ()):
        if not (data_dir / name).is_file():
            raise QuotegraphError("E057", source=str(data_dir / name), detail="file not found")
    bodies = read_bodies(data_dir / FNC_FILES[0])
    fnc = [p for p in read_stances(data_dir / FNC_FILES[1]) if not is_held_out(p.body_id)]
    check_bodies(fnc, bodies, str(data_dir / FNC_FILES[1]))
    dev = [p for p in fnc if is_inner_dev(p.body_id)] if tune else []
    train = [p for p in fnc if not is_inner_dev(p.body_id)] if tune else fnc
    if settings.use_arc:
        arc_bodies = read_bodies(data_dir / ARC_FILES[0], prefix=ARC_PREFIX)
        arc = read_stances(data_dir / ARC_FILES[1], prefix=ARC_PREFIX)
        check_bodies(arc, arc_bodies, str(data_dir / ARC_FILES[1]))
        bodies |= arc_bodies
        train += arc
    return TrainingSplit(tuple(train), tuple(dev), bodies)


# --------------------------------------------------------------------------- features


@dataclass(frozen=True)
class EncodedPairs:
    """Views of the distinct claims and bodies, and each pair's (claim, body) indices."""

    claims: list[features.ClaimView]
    bodies: list[features.BodyView]
    pairs: list[tuple[int, int]]


def encode_pairs(
    pairs: Sequence[StancePair],
    bodies: Mapping[str, str],
    claim_vocab: features.Vocabulary,
    body_vocab: features.Vocabulary,
) -> EncodedPairs:
    claim_texts = sorted({p.claim for p in pairs})
    body_ids = sorted({p.body_id for p in pairs})
    claim_index = {text: i for i, text in enumerate(claim_texts)}
    body_index = {body_id: i for i, body_id in enumerate(body_ids)}
    return EncodedPairs(
        features.claim_views(claim_texts, claim_vocab, body_vocab),
        features.body_views([bodies[b] for b in body_ids], body_vocab),
        [(claim_index[p.claim], body_index[p.body_id]) for p in pairs],
    )


def design_matrix(
    encoded: EncodedPairs, dense: np.ndarray, claim_width: int, body_width: int
) -> Any:
    """Sparse rows ``[claim TF-IDF | body TF-IDF | scaled dense block]``, the model's input."""
    from scipy import sparse

    columns, values, lengths = [], [], []
    dense_columns = np.arange(dense.shape[1], dtype=np.int32) + claim_width + body_width
    for row, (c, b) in enumerate(encoded.pairs):
        claim_cols, claim_vals = encoded.claims[c].tfidf_claim
        body_cols, body_vals = encoded.bodies[b].tfidf
        columns += [claim_cols, body_cols + claim_width, dense_columns]
        values += [claim_vals, body_vals, dense[row]]
        lengths.append(len(claim_cols) + len(body_cols) + len(dense_columns))
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    shape = (len(encoded.pairs), claim_width + body_width + dense.shape[1])
    return sparse.csr_matrix(
        (np.concatenate(values), np.concatenate(columns), indptr), shape=shape, dtype=np.float32
    )


# --------------------------------------------------------------------------- fitting


def _class_weights(labels: np.ndarray, power: float) -> np.ndarray:
    counts = np.bincount(labels, minlength=len(STANCE_LABELS)).astype(np.float64)
    weights = (len(labels) / (len(STANCE_LABELS) * np.maximum(counts, 1.0))) ** power
    per_example: np.ndarray = weights[labels]
    return per_example


def fit_stance_model(
    pairs: Sequence[StancePair], bodies: Mapping[str, str], settings: StanceTrainSettings
) -> tuple[StanceModel, dict[str, float]]:
    """Fit vocabularies, feature scaling and the MLP; also return the seconds each step took."""
    started = time.perf_counter()
    claim_vocab = features.fit_vocabulary(
        [features.terms(features.tokens(c)) for c in sorted({p.claim for p in pairs})],
        settings.claim_vocab_size,
        settings.claim_min_df,
    )
    body_vocab = features.fit_vocabulary(
        [features.terms(features.tokens(bodies[b])) for b in sorted({p.body_id for p in pairs})],
        settings.body_vocab_size,
        settings.body_min_df,
    )
    encoded = encode_pairs(pairs, bodies, claim_vocab, body_vocab)
    dense = features.dense_block(encoded.claims, encoded.bodies, encoded.pairs)
    mean, scale = dense.mean(axis=0), dense.std(axis=0) + 1e-6
    matrix = design_matrix(encoded, (dense - mean) / scale, len(claim_vocab), len(body_vocab))
    labels = np.array([STANCE_LABELS.index(p.stance) for p in pairs])
    featurised = time.perf_counter()
    from_arc = np.array([p.body_id.startswith(ARC_PREFIX) for p in pairs])
    mlp = fit_mlp(matrix, labels, settings, np.where(from_arc, settings.arc_weight, 1.0))
    fitted = time.perf_counter()
    info = {"settings": asdict(settings), "training_pairs": len(pairs)}
    model = StanceModel(claim_vocab, body_vocab, mlp_weights(mlp, mean, scale), info)
    return model, {"features": featurised - started, "fit": fitted - featurised}


def fit_mlp(
    matrix: Any,
    labels: np.ndarray,
    settings: StanceTrainSettings,
    pair_weights: np.ndarray | None = None,
) -> Any:
    """scikit-learn's MLP (Adam, one ReLU layer, softmax) for a fixed number of epochs.

    Each pair weighs its class weight times its ``pair_weights`` entry (default 1).
    """
    try:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier
    except ImportError as exc:
        raise missing_extra("train", "scikit-learn") from exc
    mlp = MLPClassifier(
        hidden_layer_sizes=(settings.hidden_units,),
        alpha=settings.l2_alpha,
        batch_size=settings.batch_size,
        learning_rate_init=settings.learning_rate,
        max_iter=settings.epochs,
        n_iter_no_change=settings.epochs + 1,
        random_state=settings.seed,
    )
    with warnings.catch_warnings():
        # A fixed number of epochs is the setting, not a failure to converge.
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = _class_weights(labels, settings.class_weight_power)
        mlp.fit(matrix, labels, sample_weight=weights * _or_ones(pair_weights, len(labels)))
    if list(mlp.classes_) != list(range(len(STANCE_LABELS))):
        raise QuotegraphError("E057", detail="training data lacks some of the four stances")
    return mlp


def _or_ones(weights: np.ndarray | None, size: int) -> np.ndarray:
    return np.ones(size) if weights is None else np.asarray(weights, dtype=np.float64)


def mlp_weights(mlp: Any, dense_mean: np.ndarray, dense_scale: np.ndarray) -> MlpWeights:
    """The fitted MLP's arrays in the form ``StanceModel`` runs."""
    return MlpWeights(
        hidden=mlp.coefs_[0].astype(np.float32),
        hidden_bias=mlp.intercepts_[0].astype(np.float32),
        out=mlp.coefs_[1].astype(np.float32),
        out_bias=mlp.intercepts_[1].astype(np.float32),
        dense_mean=dense_mean.astype(np.float32),
        dense_scale=dense_scale.astype(np.float32),
    )


def train_stance(
    data_dir: Path,
    out_dir: Path | None,
    settings: StanceTrainSettings | None = None,
    *,
    tune: bool = False,
    command: str | None = None,
) -> dict[str, Any]:
    """Fit the model and write it to ``out_dir``; with ``tune``, score the inner dev instead.

    Returns a JSON-ready report: data sizes, seconds per step, and with ``tune`` the inner dev
    figures (``inner_dev``). A tuning run writes nothing unless ``out_dir`` is given.
    """
    settings = settings or StanceTrainSettings()
    split = load_split(data_dir, settings, tune=tune)
    model, seconds = fit_stance_model(split.train, split.bodies, settings)
    counts = {label: sum(1 for p in split.train if p.stance == label) for label in STANCE_LABELS}
    report: dict[str, Any] = {
        "training_pairs": len(split.train),
        "training_bodies": len({p.body_id for p in split.train}),
        "training_counts": counts,
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "settings": asdict(settings),
    }
    if tune:
        pairs = [(p.claim, split.bodies[p.body_id]) for p in split.dev]
        predicted = [STANCE_LABELS[i] for i in model.probabilities(pairs).argmax(axis=1)]
        report["inner_dev"] = score([p.stance for p in split.dev], predicted)
    if out_dir is not None:
        used = [data_dir / name for name in FNC_FILES + (ARC_FILES if settings.use_arc else ())]
        record = provenance(used, asdict(settings), command=command)
        model.info = {**model.info, "provenance": record}
        model.save(out_dir)
        report["written_to"] = str(out_dir)
    return report
