"""The learned attribution model: which verbs attribute, and which of their dependents hold
the speaker and the content.

The rules know verbs of saying with a clausal complement, quotations and "according to".
PolNeAR's annotators mark far more: "Trump *backed* the bill", "she *asked* the court to rule",
"the senator *voted* against it", "they *seem* to agree". Which uses of which verbs are
attributions depends on the verb, its dependents and its subject, so it is learned:

* the **cue model** scores a verb (outside quotations, not negated, not already a rule's
  cue, not inside a rule's content) from its lemma, tag, dependency label, the labels,
  prepositions and objects of its dependents, and the kind of its subject: the probability
  that the annotators made it the cue of an attribution;
* the **argument model** scores each dependent of a cue verb as ``content``, ``source``,
  ``inner`` or ``none`` from its label, its side of the verb, its preposition, its part of
  speech and its siblings' labels, each also paired with the verb's lemma. ``inner`` is an
  object noun that joins the cue while the content hangs below it ("expressed *concern*
  that ...").

Both are logistic regressions over sparse binary features, fitted by
``quotegraph train attribution`` (``train/attribution.py``) on PolNeAR train and shipped as
``attribution_model.json`` (feature -> weight). Scoring is a sum of dictionary lookups: no
numerical library is needed at run time and the cost is a few microseconds per verb.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from spacy.tokens import Token

from quotegraph.errors import QuotegraphError

MODEL_PATH = Path(__file__).parent / "attribution_model.json"
ARGUMENT_CLASSES = ("none", "content", "source", "inner")
# Dependents that are never an argument (they are part of the cue or of no phrase).
SKIPPED_DEPS = frozenset({"punct", "aux", "auxpass", "neg", "cc", "mark", "prt", "space"})
_PRONOUN_TAGS = frozenset({"PRP", "PRP$", "WP"})
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Dependents that are a preposition with its object ("called *for* an inquiry").
PREPOSITION_DEPS = frozenset({"prep", "agent", "dative"})
# Dependents of a noun that can hold the content of an attribution whose cue ends in that
# noun: "expressed *concern* that ...", "his *support* for ...", "a new *phrase*, ...".
INNER_DEPS = frozenset({"prep", "acl", "ccomp", "appos"})


@dataclass(frozen=True)
class LinearModel:
    """A logistic regression over binary features: one weight vector per class."""

    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]

    def probabilities(self, features: Iterable[str]) -> dict[str, float]:
        scores = list(self.bias)
        for feature in features:
            row = self.weights.get(feature)
            if row is not None:
                for k, weight in enumerate(row):
                    scores[k] += weight
        if len(self.classes) == 2:
            # A binary model stores one weight vector, for its second class.
            p = _sigmoid(scores[0])
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        return dict(zip(self.classes, _softmax(scores), strict=True))


@dataclass(frozen=True)
class AttributionModel:
    """The cue and argument models with the cue threshold chosen on dev."""

    cue: LinearModel
    argument: LinearModel
    threshold: float

    def cue_probability(self, verb: Token, context: str) -> float:
        return self.cue.probabilities(cue_features(verb, context))["cue"]

    def argument_roles(self, verb: Token) -> list[tuple[Token, str]]:
        """The most probable role of each dependent of ``verb`` that may be an argument."""
        out = []
        for child in argument_children(verb):
            probabilities = self.argument.probabilities(argument_features(verb, child))
            out.append((child, max(probabilities, key=probabilities.__getitem__)))
        return out


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def _softmax(scores: Sequence[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


# --- features ---------------------------------------------------------------------------------


def is_predicate(token: Token) -> bool:
    """The tokens the cue model scores."""
    return token.pos_ == "VERB"


def argument_children(verb: Token) -> list[Token]:
    return [child for child in verb.children if child.dep_ not in SKIPPED_DEPS]


def cue_features(verb: Token, context: str) -> list[str]:
    """Binary features of a verb for the cue model. ``context`` says how the verb relates to
    the rules' statements: ``free``, or ``conj_of_cue`` when it is conjoined to a rule's cue
    ("said X and criticized Y")."""
    lemma = verb.lemma_.lower()
    features = [
        f"lemma={lemma}",
        f"tag={verb.tag_}",
        f"dep={verb.dep_}",
        f"lemma+dep={lemma}|{verb.dep_}",
        f"head={verb.head.lemma_.lower()}|{verb.dep_}",
        f"context={context}",
    ]
    for child in argument_children(verb):
        features += _child_features(lemma, child)
    return features + _subject_features(verb)


def _child_features(lemma: str, child: Token) -> list[str]:
    side = "after" if child.i > child.head.i else "before"
    features = [f"child={child.dep_}|{side}", f"lemma+child={lemma}|{child.dep_}"]
    if child.dep_ in PREPOSITION_DEPS:
        word = child.lower_
        features += [f"prep={word}", f"lemma+prep={lemma}|{word}"]
    elif child.dep_ in {"dobj", "attr", "oprd"}:
        features.append(f"lemma+obj={lemma}|{child.lemma_.lower()}")
        if child.ent_type_:
            features.append(f"obj_ent={child.ent_type_}")
    elif child.dep_ in {"xcomp", "ccomp", "advcl"}:
        features.append(f"lemma+comp={lemma}|{child.dep_}|{child.lemma_.lower()}")
    return features


def _subject_features(verb: Token) -> list[str]:
    subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
    if subject is None:
        return ["subject=none"]
    return [f"subject={subject.dep_}|{subject_kind(subject)}"]


def subject_kind(token: Token) -> str:
    """A coarse type of a noun phrase's head: a pronoun, an entity type, or a noun."""
    if token.tag_ in _PRONOUN_TAGS:
        return f"pron:{token.lower_}"
    if token.ent_type_:
        return token.ent_type_
    return token.pos_


def argument_features(verb: Token, child: Token) -> list[str]:
    """Binary features of one dependent of a cue verb for the argument model."""
    lemma = verb.lemma_.lower()
    side = "after" if child.i > verb.i else "before"
    passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)
    features = [
        f"dep={child.dep_}|{side}",
        f"dep+pos={child.dep_}|{child.pos_}",
        f"kind={subject_kind(child)}",
        f"lemma+dep={lemma}|{child.dep_}",
        f"passive+dep={passive}|{child.dep_}",
        f"size={min(len(list(child.subtree)), 8)}",
    ]
    if child.dep_ in PREPOSITION_DEPS:
        features += [f"prep={child.lower_}", f"lemma+prep={lemma}|{child.lower_}"]
    elif child.dep_ in {"dobj", "attr", "oprd"}:
        features += [f"obj={child.lemma_.lower()}", f"lemma+obj={lemma}|{child.lemma_.lower()}"]
    # What else hangs on the verb decides what this dependent is: in "called the plan a
    # disaster" or "urged the council to act" the object is not the content, its sibling is.
    own = _argument_label(child)
    inner = inner_child(child)
    if inner is not None:
        below = _argument_label(inner)
        features += [
            f"inner={own}|{below}",
            f"obj+inner={child.lemma_.lower()}|{below}",
            f"lemma+inner={lemma}|{below}",
        ]
    for sibling in argument_children(verb):
        if sibling is not child and sibling.dep_ not in _SUBJECT_DEPS:
            other = _argument_label(sibling)
            features += [f"sib={own}|{other}", f"lemma+sib={lemma}|{own}|{other}"]
    return features


def content_phrases(child: Token) -> list[Token]:
    """The phrases of a content dependent. A preposition belongs to the cue, not the content
    ("called *for* an inquiry", "spoke *about* trade"), as PolNeAR's annotators mark it."""
    if child.dep_ in PREPOSITION_DEPS:
        return [c for c in child.children if c.dep_ in {"pobj", "pcomp"}]
    return [child]


def inner_child(token: Token) -> Token | None:
    """The first dependent after a noun that may hold content (``INNER_DEPS``)."""
    if token.pos_ not in {"NOUN", "PROPN"}:
        return None
    return next((c for c in token.rights if c.dep_ in INNER_DEPS), None)


def _argument_label(token: Token) -> str:
    """A dependent's label, with its word when it is a preposition ("prep:on")."""
    return f"{token.dep_}:{token.lower_}" if token.dep_ in PREPOSITION_DEPS else token.dep_


# --- the shipped model ------------------------------------------------------------------------


def load_model(path: Path = MODEL_PATH) -> AttributionModel:
    """The shipped attribution model (E072 if the file is missing or malformed)."""
    return _load(str(path))


@cache
def _load(path: str) -> AttributionModel:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        return model_from_json(document)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise QuotegraphError("E072", source=path, detail=f"{type(exc).__name__}: {exc}") from exc


def model_from_json(document: Mapping[str, Any]) -> AttributionModel:
    return AttributionModel(
        cue=_linear(document["cue"]),
        argument=_linear(document["argument"]),
        threshold=float(document["threshold"]),
    )


def _linear(part: Mapping[str, Any]) -> LinearModel:
    classes = tuple(part["classes"])
    width = 1 if len(classes) == 2 else len(classes)
    bias = tuple(float(b) for b in part["bias"])
    weights = {feature: tuple(float(w) for w in row) for feature, row in part["weights"].items()}
    if len(bias) != width or any(len(row) != width for row in weights.values()):
        raise ValueError(f"expected {width} weights per feature for classes {classes}")
    return LinearModel(classes=classes, bias=bias, weights=weights)
