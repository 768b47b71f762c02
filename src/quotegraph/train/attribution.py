"""Fit the learned attribution model (``learned.py``) on brat-annotated articles.

Examples come from the verbs the model will see at run time (``learnable_predicates``:
outside quotations, not a rule's cue, not inside a rule's content). A verb is a positive cue
example when it is the last verb of an annotated cue whose attribution has content. Every
dependent of a positive verb is an argument example: ``inner`` when its own word is not in
the annotated content but at least half of the phrase below it (``inner_child``) is,
``content`` when at least half of its phrase lies in the annotated content, ``source`` when
at least half lies in the annotated source, ``none`` otherwise.

Both models are L2-regularised logistic regressions (scikit-learn, the ``[train]`` extra);
features seen fewer than ``MIN_FEATURE_COUNT`` times are dropped. The cue threshold is
chosen on a tuning split (dev) by the whole-attribution F1 of the full extractor, among
``THRESHOLDS``; nothing else is tuned there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, Token

from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.polnear import score
from quotegraph.evaluate.polnear_gold import GoldAttribution, GoldDocument, load_split
from quotegraph.extract import analyse_statements
from quotegraph.extract.attribution import (
    QuoteIndex,
    find_rule_candidates,
    introduced_quotations,
    learnable_predicates,
)
from quotegraph.extract.learned import (
    ARGUMENT_CLASSES,
    argument_children,
    argument_features,
    content_phrases,
    cue_features,
    inner_child,
    model_from_json,
)
from quotegraph.extract.quotes import all_quotations
from quotegraph.nlp import parse_texts
from quotegraph.types import Span

MIN_FEATURE_COUNT = 2
REGULARISATION_C = 0.5
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)


@dataclass
class Examples:
    """Feature lists and labels for the two models."""

    cue_features: list[list[str]]
    cue_labels: list[int]
    argument_features: list[list[str]]
    argument_labels: list[str]


def collect_examples(pairs: Iterable[tuple[GoldDocument, Doc]]) -> Examples:
    examples = Examples([], [], [], [])
    for gold, doc in pairs:
        _add_document(examples, gold, doc)
    return examples


def _add_document(examples: Examples, gold: GoldDocument, doc: Doc) -> None:
    index = QuoteIndex(doc, introduced_quotations(doc, all_quotations(gold.text)))
    annotated = _annotated_cues(gold.attributions, doc)
    for verb, context in learnable_predicates(doc, index, find_rule_candidates(doc, index)):
        examples.cue_features.append(cue_features(verb, context))
        attribution = annotated.get(verb.i)
        examples.cue_labels.append(int(attribution is not None))
        if attribution is not None:
            _add_arguments(examples, doc, verb, attribution)


def gold_tokens(doc: Doc, spans: Iterable[Span]) -> set[int]:
    """The indices of the word tokens (not punctuation) that annotated spans cover."""
    covered: set[int] = set()
    for start, end in spans:
        piece = doc.char_span(start, end, alignment_mode="expand")
        if piece is not None:
            covered.update(t.i for t in piece if not (t.is_punct or t.is_space))
    return covered


def cue_verb(doc: Doc, attribution: GoldAttribution) -> Token | None:
    """The last verb of an annotated cue ("has *called* for" -> called)."""
    verbs = [doc[i] for i in gold_tokens(doc, attribution.cue) if doc[i].pos_ == "VERB"]
    return max(verbs, key=lambda t: t.i) if verbs else None


def _annotated_cues(
    attributions: Sequence[GoldAttribution], doc: Doc
) -> dict[int, GoldAttribution]:
    """Annotated attributions with content, by the index of their cue's last verb."""
    out = {}
    for attribution in attributions:
        verb = cue_verb(doc, attribution) if attribution.content else None
        if verb is not None:
            out[verb.i] = attribution
    return out


def _add_arguments(examples: Examples, doc: Doc, verb: Token, gold: GoldAttribution) -> None:
    content, source = gold_tokens(doc, gold.content), gold_tokens(doc, gold.source)
    for child in argument_children(verb):
        phrase = [t.i for t in child.subtree]
        if _holds_inner_content(child, content):
            label = "inner"
        elif 2 * len(content.intersection(phrase)) >= len(phrase):
            label = "content"
        elif 2 * len(source.intersection(phrase)) >= len(phrase):
            label = "source"
        else:
            label = "none"
        examples.argument_features.append(argument_features(verb, child))
        examples.argument_labels.append(label)


def _holds_inner_content(child: Token, content: set[int]) -> bool:
    """Whether the content lies below ``child`` rather than in it: the noun itself is not
    content, and at least half of its ``inner_child`` phrase is."""
    inner = inner_child(child)
    if inner is None or child.i in content:
        return False
    phrase = [t.i for p in content_phrases(inner) for t in p.subtree]
    return bool(phrase) and 2 * len(content.intersection(phrase)) >= len(phrase)


def fit_linear(
    features: list[list[str]], labels: Sequence[Any], classes: Sequence[Any]
) -> dict[str, Any]:
    """A logistic regression as the JSON part ``learned._linear`` reads."""
    try:
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import MultiLabelBinarizer
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise ImportError("training needs scikit-learn: pip install 'quotegraph[train]'") from exc
    if len(set(labels)) < 2:
        raise QuotegraphError("E073", detail=f"only one label among {len(labels)} examples")
    counts = Counter(feature for row in features for feature in set(row))
    vocabulary = sorted(f for f, n in counts.items() if n >= MIN_FEATURE_COUNT)
    binarizer = MultiLabelBinarizer(classes=vocabulary, sparse_output=True)
    kept = set(vocabulary)
    matrix = binarizer.fit_transform([[f for f in set(row) if f in kept] for row in features])
    model = LogisticRegression(C=REGULARISATION_C, max_iter=2000, solver="lbfgs")
    model.fit(matrix, [classes.index(label) for label in labels])
    coefficients, intercepts = _full_width(model, len(classes))
    weights = {
        feature: [round(float(w), 4) for w in row]
        for feature, row in zip(vocabulary, coefficients, strict=True)
        if max(abs(float(w)) for w in row) >= 1e-3
    }
    return {
        "classes": list(map(str, classes)),
        "bias": [round(float(b), 4) for b in intercepts],
        "weights": weights,
    }


# The bias of a class that never occurred in training: it is never predicted.
_ABSENT_CLASS_BIAS = -30.0


def _full_width(model: Any, n_classes: int) -> tuple[Any, list[float]]:
    """Coefficients (one row per feature) and intercepts with one column per class, even
    when some class never occurred (scikit-learn then fits fewer columns)."""
    if n_classes == 2:
        return model.coef_.T, list(model.intercept_)
    present = [int(k) for k in model.classes_]
    coefficients = np.zeros((model.coef_.shape[1], n_classes))
    intercepts = [_ABSENT_CLASS_BIAS] * n_classes
    if len(present) == 2:
        # A binary fit scores the second class against the first.
        coefficients[:, present[1]] = model.coef_[0]
        intercepts[present[0]], intercepts[present[1]] = 0.0, float(model.intercept_[0])
    else:
        for column, k in enumerate(present):
            coefficients[:, k] = model.coef_[column]
            intercepts[k] = float(model.intercept_[column])
    return coefficients, intercepts


def fit_attribution_model(pairs: Iterable[tuple[GoldDocument, Doc]], source: str) -> dict[str, Any]:
    """The JSON document of ``attribution_model.json`` (threshold 0.5 until tuned)."""
    examples = collect_examples(pairs)
    if not examples.argument_labels:
        raise QuotegraphError("E073", source=source)
    return {
        "_about": (
            f"Learned attribution model fitted on {source} on {date.today().isoformat()} by "
            "`quotegraph train attribution` (train/attribution.py); see attribution_model.md."
        ),
        "training": {
            "cue_examples": len(examples.cue_labels),
            "cue_positives": sum(examples.cue_labels),
            "argument_examples": len(examples.argument_labels),
            "min_feature_count": MIN_FEATURE_COUNT,
            "C": REGULARISATION_C,
        },
        "threshold": 0.5,
        "cue": fit_linear(
            examples.cue_features,
            ["cue" if label else "none" for label in examples.cue_labels],
            ["none", "cue"],
        ),
        "argument": fit_linear(
            examples.argument_features, examples.argument_labels, list(ARGUMENT_CLASSES)
        ),
    }


def choose_threshold(
    document: dict[str, Any], attribution_f1: Callable[[dict[str, Any]], float]
) -> tuple[float, dict[float, float]]:
    """The threshold in ``THRESHOLDS`` whose ``attribution_f1(document)``, averaged with its
    neighbours', is best. On 84 dev articles the curve wobbles by a few thousandths from one
    step to the next (2026-12-07: 0.7585, 0.7607, 0.7584, 0.7602 at 0.30 … 0.45), so a lone
    peak is mostly noise; the middle of the best stretch is the choice that holds up."""
    scores = {}
    for threshold in THRESHOLDS:
        scores[threshold] = attribution_f1({**document, "threshold": threshold})
    best = max(scores, key=lambda t: (smoothed(scores, t), scores[t], t))
    return best, scores


def smoothed(scores: dict[float, float], threshold: float) -> float:
    """The mean score of ``threshold`` and the thresholds next to it in the sweep."""
    ordered = sorted(scores)
    k = ordered.index(threshold)
    window = ordered[max(0, k - 1) : k + 2]
    return sum(scores[t] for t in window) / len(window)


def train_attribution(
    data_dir: Path, split: str = "train", *, tune_split: str | None = "dev", workers: int = 2
) -> dict[str, Any]:
    """Fit the model on ``split`` of a PolNeAR-shaped folder of brat annotations and choose
    its threshold on ``tune_split`` (kept at 0.5 without one). The result carries the tuning
    split's figures at each threshold under ``tuning``."""
    train_pairs = _parsed(data_dir, split, workers)
    document = fit_attribution_model(train_pairs, f"'{split}' of {Path(data_dir).name}")
    if tune_split is None:
        return document
    tune_pairs = _parsed(data_dir, tune_split, workers)
    threshold, scores = choose_threshold(document, lambda d: _attribution_f1(d, tune_pairs))
    document["threshold"] = threshold
    document["tuning"] = {
        "split": tune_split,
        "attribution_f1": {str(t): s for t, s in scores.items()},
    }
    return document


def _parsed(data_dir: Path, split: str, workers: int) -> list[tuple[GoldDocument, Doc]]:
    gold = load_split(data_dir, split)
    return [(g, doc) for doc, g in parse_texts(((g.text, g) for g in gold), n_process=workers)]


def _attribution_f1(document: dict[str, Any], pairs: Sequence[tuple[GoldDocument, Doc]]) -> float:
    """Whole-attribution F1 of the full extractor with this model on ``pairs``."""
    model = model_from_json(document)
    predicted = {
        gold.name: [statement for statement, _ in analyse_statements(doc, gold.name, model=model)]
        for gold, doc in pairs
    }
    result = score([gold for gold, _ in pairs], predicted)
    return round(float(result["attribution"]["f1"]), 4)
