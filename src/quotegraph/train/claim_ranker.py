"""Fit the claim re-ranker (``models/claim_ranker.json``) on CheckThat! 2020 task-2 train.

``quotegraph train claim-ranker --data ../shared/data/checkthat2020-task2`` runs this. For
each main embedder it builds the candidate pools of every train query exactly as matching
does, labels a pool row 1 when it holds a claim the qrels judge relevant, and fits an
L2-regularised logistic regression by Newton's method (numpy only: ten numbers per
embedder do not need scikit-learn). Five-fold cross-validation over train queries gives the
MAP@5 printed with the weights; the dev split is never read here.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from quotegraph.corpus.bm25 import normalize_text
from quotegraph.corpus.embed import load_embedder
from quotegraph.corpus.matching import (
    DEFAULT_POOL,
    FEATURES,
    PREFILTER,
    ClaimIndex,
    Pool,
    RankerModel,
)
from quotegraph.evaluate.checkthat import (
    average_precision,
    read_qrels,
    read_queries,
    split_files,
)
from quotegraph.ingest.known_claims import read_claims_tsv
from quotegraph.types import ClaimMatch

L2 = 1.0
FOLDS = 5
NEWTON_STEPS = 100


def fit_logistic(
    features: np.ndarray, labels: np.ndarray, *, l2: float = L2
) -> tuple[np.ndarray, float]:
    """Weights and bias of an L2-regularised logistic regression (bias not penalised)."""
    design = np.column_stack([features, np.ones(len(features))])
    weights = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(NEWTON_STEPS):
        probability = 1.0 / (1.0 + np.exp(-(design @ weights)))
        gradient = design.T @ (labels - probability) - penalty * weights
        curvature = probability * (1.0 - probability)
        hessian = (
            (design * curvature[:, None]).T @ design
            + np.diag(penalty)
            + 1e-9 * np.eye(design.shape[1])
        )
        step = np.linalg.solve(hessian, gradient)
        weights += step
        if np.abs(step).max() < 1e-9:
            break
    return weights[:-1], float(weights[-1])


def pool_labels(index: ClaimIndex, pool: Pool, relevant: frozenset[str]) -> np.ndarray:
    """1.0 for pool rows that hold a relevant claim."""
    wanted = index.rows_of(relevant)
    return np.array([row in wanted for row in pool.rows], dtype=np.float64)


def ranked_ids(index: ClaimIndex, pool: Pool, model: RankerModel, k: int) -> list[str]:
    """Claim ids of one pool in the order ``model`` ranks them (top ``k``)."""
    matches: list[ClaimMatch] = index.matches("q", pool, k, model=model)
    return [m.claim_id for m in matches]


def _fit_embedder(
    name: str, claims_path: Path, queries_path: Path, qrels_path: Path, pool_size: int
) -> dict[str, Any]:
    started = time.perf_counter()
    claims = read_claims_tsv(claims_path)
    qrels = read_qrels(qrels_path)
    queries = [(q, t) for q, t in read_queries(queries_path) if qrels.get(q)]
    placeholder = RankerModel(embedder=name, weights=(0.0,) * len(FEATURES), bias=0.0)
    index = ClaimIndex(claims, embedder=load_embedder(name), pool=pool_size, model=placeholder)
    pools = index.pools([normalize_text(text) for _, text in queries])
    labels = [
        pool_labels(index, pool, qrels[q]) for (q, _), pool in zip(queries, pools, strict=True)
    ]
    weights, bias = fit_logistic(np.vstack([p.features for p in pools]), np.concatenate(labels))
    model = RankerModel(embedder=name, weights=tuple(weights.tolist()), bias=bias)
    train_map = _map_at_5(index, queries, pools, qrels, model)
    return {
        "weights": [round(float(w), 6) for w in weights],
        "bias": round(bias, 6),
        "train_queries": len(queries),
        "train_pool_recall": round(float(np.mean([lab.any() for lab in labels])), 4),
        "train_map_at_5": round(train_map, 4),
        "cv_map_at_5": round(_cross_validated_map(index, queries, pools, labels, qrels, name), 4),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _map_at_5(
    index: ClaimIndex,
    queries: Sequence[tuple[str, str]],
    pools: Sequence[Pool],
    qrels: dict[str, frozenset[str]],
    model: RankerModel,
) -> float:
    aps = [
        average_precision(ranked_ids(index, pool, model, 5), qrels[q], 5)
        for (q, _), pool in zip(queries, pools, strict=True)
    ]
    return float(np.mean(aps))


def _cross_validated_map(
    index: ClaimIndex,
    queries: Sequence[tuple[str, str]],
    pools: Sequence[Pool],
    labels: Sequence[np.ndarray],
    qrels: dict[str, frozenset[str]],
    name: str,
) -> float:
    order = np.random.default_rng(0).permutation(len(queries))
    aps: list[float] = []
    for held_out in np.array_split(order, FOLDS):
        held = set(held_out.tolist())
        kept = [i for i in range(len(queries)) if i not in held]
        weights, bias = fit_logistic(
            np.vstack([pools[i].features for i in kept]), np.concatenate([labels[i] for i in kept])
        )
        model = RankerModel(embedder=name, weights=tuple(weights.tolist()), bias=bias)
        for i in held_out:
            ranking = ranked_ids(index, pools[i], model, 5)
            aps.append(average_precision(ranking, qrels[queries[i][0]], 5))
    return float(np.mean(aps))


def fit_claim_ranker(
    data_dir: Path,
    split: str = "train",
    *,
    embedders: Sequence[str] = ("minilm", "wordllama"),
    pool: int = DEFAULT_POOL,
) -> dict[str, Any]:
    """The JSON document of ``models/claim_ranker.json``, fitted on ``split``."""
    claims_path, queries_path, qrels_path = split_files(data_dir, split)
    models = {
        name: _fit_embedder(name, claims_path, queries_path, qrels_path, pool) for name in embedders
    }
    return {
        "_about": (
            "Claim re-ranker: score = sigmoid(bias + weights . features) over the candidate "
            f"pool. Fitted on CheckThat! 2020 task 2 '{split}' only, {date.today().isoformat()}, "
            "by `quotegraph train claim-ranker`; cv_map_at_5 is 5-fold cross-validation over "
            "those queries."
        ),
        "features": list(FEATURES),
        "prefilter": PREFILTER,
        "pool": pool,
        "models": models,
    }
