"""The learned pair model's verdict on two statements: agrees, contradicts, or neither.

The pair model (``corpus/pair_model.py``) reads ``premise`` then ``hypothesis``; agreement
and contradiction between two statements have no direction, so each pair is read both ways
and the two rows of probabilities are averaged. The model sees each statement with its
resolved speaker in front (``"Comey: no reasonable prosecutor ..."``): on the gold pairs of
PolNeAR train that context helped the model tell two sides apart (``docs/measurements.md``).

``judge_pairs`` is the one entry point for a list of pairs of plain statement sides; the
stance pass (``corpus/relations.py``) and ``quotegraph eval relations`` both call it, so what
is measured on the gold pairs is what the pass stores.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from quotegraph.corpus.pair_model import CONTRADICTION, ENTAILMENT, PairScorer
from quotegraph.corpus.relation_lexicon import NEGATORS, STOP
from quotegraph.types import RelationKind

MODEL_DECIDES = False
"""Whether the stance pass lets the shipped pair model decide relations by default. A model
earns it on the real-news gold pairs of PolNeAR train: some threshold must keep precision at
0.8 or more (``lowest_threshold``). The shipped model reaches no such threshold (its ranking
of those pairs is near chance: contradiction AUC 0.43, agreement 0.56; docs/measurements.md),
so the pass relates pairs by its rules and the model is read only when a caller hands it in
(``run_corpus_passes(store, pair_scorer=...)``) and by ``quotegraph eval relations``."""
CONTRADICTS_THRESHOLD = 0.5
"""Combined contradiction probability at or above which a pair contradicts. No threshold
reaches precision 0.8 on the gold pairs of PolNeAR train with the shipped model; 0.5 is the
plain majority reading."""
AGREES_THRESHOLD = 0.6
"""Combined entailment probability at or above which a pair agrees."""
SECOND_ORDER_GATE = 0.15
"""The reverse order is read only when the first one gives entailment or contradiction at
least this much: a pair the model finds neutral one way is never related, and skipping it
halves the model's time on the many unrelated candidates."""
MAX_CHARS = 600
"""Characters of a statement shown to the model; the claim is usually stated first."""


@dataclass(frozen=True)
class PairSide:
    """One statement as the judge sees it: its words and who said them."""

    text: str
    speaker: str | None = None
    doc: str | None = None
    """Where it comes from (an article id or a gold file name), for evidence only."""
    date: str | None = None


@dataclass(frozen=True)
class Judgement:
    """The verdict on one pair: the kind (None: unrelated), its probability, the evidence."""

    kind: RelationKind | None
    probability: float
    """The combined probability of ``kind`` (of the likelier relation when ``kind`` is None)."""
    evidence: str
    agrees: float
    """Combined entailment probability."""
    contradicts: float
    """Combined contradiction probability."""


def model_text(side: PairSide) -> str:
    """What the model reads for one side: the speaker's name, then the words."""
    text = " ".join(side.text.split())[:MAX_CHARS]
    return f"{side.speaker}: {text}" if side.speaker else text


def combined_probabilities(
    pairs: Sequence[tuple[PairSide, PairSide]], scorer: PairScorer
) -> np.ndarray:
    """(n, 3) probabilities, each row the mean of the two reading orders.

    A pair whose first reading is neutral beyond ``SECOND_ORDER_GATE`` keeps that one row.
    """
    if not pairs:
        return np.zeros((0, 3), dtype=np.float32)
    texts = [(model_text(a), model_text(b)) for a, b in pairs]
    forward = np.asarray(scorer.probabilities(texts), dtype=np.float32)
    related = np.maximum(forward[:, ENTAILMENT], forward[:, CONTRADICTION])
    again = [i for i in range(len(pairs)) if related[i] >= SECOND_ORDER_GATE]
    combined = forward.copy()
    if again:
        backward = np.asarray(
            scorer.probabilities([(texts[i][1], texts[i][0]) for i in again]), dtype=np.float32
        )
        combined[again] = (forward[again] + backward) / 2
    return combined


def judge_pairs(
    pairs: Sequence[tuple[PairSide, PairSide]],
    scorer: PairScorer,
    *,
    contradicts_at: float = CONTRADICTS_THRESHOLD,
    agrees_at: float = AGREES_THRESHOLD,
) -> list[Judgement]:
    """The model's verdict on each pair, in order."""
    probabilities = combined_probabilities(pairs, scorer)
    return [
        verdict(a, b, float(row[ENTAILMENT]), float(row[CONTRADICTION]), contradicts_at, agrees_at)
        for (a, b), row in zip(pairs, probabilities, strict=True)
    ]


def verdict(
    a: PairSide,
    b: PairSide,
    agrees: float,
    contradicts: float,
    contradicts_at: float = CONTRADICTS_THRESHOLD,
    agrees_at: float = AGREES_THRESHOLD,
) -> Judgement:
    kind: RelationKind | None = None
    if contradicts >= contradicts_at and contradicts >= agrees:
        kind = "contradicts"
    elif agrees >= agrees_at:
        kind = "agrees"
    probability = {"contradicts": contradicts, "agrees": agrees, None: max(agrees, contradicts)}
    evidence = decisive_words(a.text, b.text) if kind else ""
    return Judgement(kind, round(probability[kind], 4), evidence, agrees, contradicts)


# --- thresholds from labelled pairs ----------------------------------------------------------

MIN_PRECISION = 0.8
"""What ``lowest_threshold`` asks of a relation on the pairs it is chosen on."""


def lowest_threshold(
    probabilities: Sequence[float],
    is_kind: Sequence[bool],
    *,
    min_precision: float = MIN_PRECISION,
    min_pairs: int = 3,
) -> float | None:
    """The lowest probability threshold (so the highest recall) at which the pairs at or above
    it are of the kind at least ``min_precision`` of the time, over at least ``min_pairs``
    pairs; None when no threshold gets there. For choosing ``CONTRADICTS_THRESHOLD`` and
    ``AGREES_THRESHOLD`` on labelled train pairs (never on the pairs one reports)."""
    ranked = sorted(zip(probabilities, is_kind, strict=True), key=lambda item: -item[0])
    best: float | None = None
    right = 0
    for taken, (probability, kind) in enumerate(ranked, start=1):
        right += kind
        at_end = taken == len(ranked) or ranked[taken][0] < probability
        if at_end and taken >= min_pairs and right / taken >= min_precision:
            best = float(probability)
    return best


# --- the words a journalist checks -----------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“‘']?[A-Z])")
EVIDENCE_WORDS = 4
"""Differing words quoted per side."""


def decisive_words(text_a: str, text_b: str) -> str:
    """The two closest sentences (most content words in common) and the words each has that
    the other lacks: ``"not qualified" vs "overwhelmingly qualified" (differ: not /
    overwhelmingly)``. Negations always count as differing words: they are what flips a
    claim."""
    sentence_a, sentence_b = closest_sentences(text_a, text_b)
    words_a, words_b = _content_words(sentence_a), _content_words(sentence_b)
    only_a = [w for w in words_a if w not in words_b][:EVIDENCE_WORDS]
    only_b = [w for w in words_b if w not in words_a][:EVIDENCE_WORDS]
    differ = f"{' '.join(only_a) or '-'} / {' '.join(only_b) or '-'}"
    return f'"{_short(sentence_a)}" vs "{_short(sentence_b)}" (differ: {differ})'


def closest_sentences(text_a: str, text_b: str) -> tuple[str, str]:
    sentences_a, sentences_b = _sentences(text_a), _sentences(text_b)
    best = (-1, sentences_a[0], sentences_b[0])
    for sa in sentences_a:
        words_a = set(_content_words(sa))
        for sb in sentences_b:
            shared = len(words_a & set(_content_words(sb)))
            if shared > best[0]:
                best = (shared, sa, sb)
    return best[1], best[2]


def _sentences(text: str) -> list[str]:
    found = [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]
    return found or [text.strip()]


def _content_words(text: str) -> list[str]:
    """Lower-cased words that carry meaning, in order, each once; negators kept."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        if word in NEGATORS or word.endswith("n't") or (word not in STOP and len(word) > 2):
            seen.setdefault(word, None)
    return list(seen)


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
