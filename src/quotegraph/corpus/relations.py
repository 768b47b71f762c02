"""Agreement and contradiction between statements: the stance pass over statement pairs.

Two speech statements are compared only when they belong to the same story and both have a
speaker: inside one article too, never an article with its copy, never one speaker with
himself on one day (one speaker contradicting himself on another day is a *reversal*). With
the learned pair model (``judge.py``), each statement is read with its ``MAX_PARTNERS`` most
similar statements and the model decides; the rules below add their words as evidence, and
those in ``DECIDING_RULES`` relate a pair the model leaves alone. Without the model the rules
decide. For the rules, each statement is cut into sentence-sized units; a pair of units is
related when it shares a topic (word overlap after synonym folding, or embedding cosine) and
then classified by the strongest piece of evidence found:

1. **figures**: the same counted thing with incompatible numbers (``some 3,500
   peacekeepers`` vs ``fewer than 2,000 peacekeepers``), or compatible ones (agreement);
2. **states**: a state word and its opposite (``has ended`` vs ``was continuing``,
   ``behind us`` vs ``far from finished``, ``new money`` vs ``reallocated``), each read with
   its polarity, so ``not safe`` agrees with ``exposed``;
3. **time**: a dated commitment (``withdrawn by June``) against a negated one (``no withdrawal
   date has been set``, ``never committed to a June exit``, ``not ... before the autumn``);
4. **negation**: the same assertion, one side negated or introduced by a denying cue
   (``denied that the strike had ever ended``);
5. **paraphrase**: near-identical wording with the same polarity (agreement only).

Every relation carries a short evidence string quoting the words that decided it, so a user
can check it against the articles. Nothing here touches the store: ``corpus.passes`` feeds it
the statements of one story at a time.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import product
from types import MappingProxyType

import numpy as np

from quotegraph.corpus.judge import PairSide, judge_pairs
from quotegraph.corpus.pair_model import PairScorer
from quotegraph.corpus.relation_lexicon import (
    DENYING_CUES,
    NEGATORS,
    NON_NEGATING,
    OPPOSITE_PREDICATES,
    STATE_WORDS,
    STOP,
    SUBORDINATORS,
    SYNONYMS,
    TIME_WORDS,
)
from quotegraph.types import Figure, Relation, RelationKind, StatementRecord

# Topic thresholds, set on the sample corpus and the reasoning in the module docstring; a
# pair below both is "unrelated" and never reported.
MIN_SHARED_TOPIC_WORDS = 2
MIN_TOPIC_COSINE = 0.55
PARAPHRASE_COSINE = 0.80
PARAPHRASE_WORDING_COSINE = 0.6
"""Wording alone (three shared words) agrees only for statements this alike as wholes: on
PolNeAR train+dev, wording alone related 30 more pairs than this, nearly all wrong."""
PARAPHRASE_OVERLAP = 0.6
PARAPHRASE_MIN_SHARED = 3
# Candidate pairs: keys shared by more statements than this are not evidence of anything;
# each statement is compared with at most this many others (most shared keys first).
MAX_POSTING = 200
MAX_CANDIDATES = 60
# Two figures of the same thing disagree when their ranges are this far apart (relative).
FIGURE_GAP = 0.25

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“‘']?[A-Z])")


@dataclass(frozen=True)
class Unit:
    """A sentence of one statement, with what the pair rules look at."""

    statement_id: str
    text: str
    words: tuple[str, ...]
    """Lower-cased word tokens."""
    topic: frozenset[str]
    """Content words folded through ``SYNONYMS`` (stop words and state words removed)."""
    polarity: int
    """+1 or -1: negations in the sentence and a denying cue flip it."""
    states: Mapping[str, tuple[int, str]]
    """State concept -> (polarity of the state as asserted, the words that express it)."""
    time: str | None
    """The first month or season named (``june``, ``autumn``), if any."""
    time_polarity: int = 1
    """Polarity of the clause that names the time (or a word like "date")."""
    names: frozenset[str] = frozenset()
    """Folded topic words written with a capital inside the sentence (names)."""
    state_subjects: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """State concept -> the topic words of the clause that asserts it (what is in that
    state): two states clash only when said of one subject."""
    dates: frozenset[str] = frozenset()
    """Years, months and weekdays the sentence names: a figure is of one time."""
    time_subject: frozenset[str] = frozenset()
    """The topic words of the clause that names the time (or "date"): what is dated."""


@dataclass(frozen=True)
class Quantity:
    """A figure reduced to what the comparison needs: a range over one counted thing."""

    thing: str
    low: float
    high: float
    text: str


@dataclass(frozen=True)
class Candidate:
    relation: RelationKind
    score: float
    evidence: str
    rule: str = ""
    """Which rule found it (``figures``, ``states``, ``time``, ``negation``, ``paraphrase``)
    or ``model``."""


def relations_between(
    records: Sequence[StatementRecord],
    *,
    vectors: Mapping[str, np.ndarray] | None = None,
    figures: Mapping[str, Sequence[Figure]] | None = None,
    new_ids: Iterable[str] | None = None,
    story_id: str | None = None,
    claim_of: Mapping[str, str] | None = None,
    scorer: PairScorer | None = None,
    copy_of: Mapping[str, str] | None = None,
    stats: PairStats | None = None,
) -> list[Relation]:
    """Relations among ``records`` (the statements of one story).

    ``vectors`` maps statement id -> L2-normalised embedding; ``figures`` maps statement id
    -> the figures inside its content; ``copy_of`` maps a copy's article id to its original's
    (pairs between an article and its copy are never compared). With ``new_ids``, only pairs
    with at least one new statement are compared, which is what makes the pass incremental.

    With a ``scorer`` (the pair model) the model decides: each statement's ``MAX_PARTNERS``
    most similar statements are read with it, and only the rules in ``DECIDING_RULES`` may
    relate a pair the model leaves alone (and not against the model's clear opposite).
    Without one, the rules alone decide.
    """
    usable = [r for r in records if r.statement.speaker and r.statement.act in _CLAIM_ACTS]
    fresh = set(new_ids) if new_ids is not None else None
    units = {r.statement.statement_id: statement_units(r) for r in usable}
    quantities = {
        sid: [q for f in figs if (q := quantity_of(f))] for sid, figs in (figures or {}).items()
    }
    by_id = {r.statement.statement_id: r for r in usable}
    allowed = _PairFilter(by_id, copy_of or {})
    rule_pairs = [p for p in _candidate_pairs(units, quantities, fresh) if allowed(*p)]
    model_pairs: list[tuple[str, str]] = []
    if scorer is not None:
        model_pairs = similar_pairs(usable, vectors or {}, fresh, allowed)
    found: dict[tuple[str, str], Candidate] = {}
    for a_id, b_id in sorted(set(rule_pairs) | set(model_pairs)):
        a, b = by_id[a_id], by_id[b_id]
        best = compare_statements(
            units[a_id],
            units[b_id],
            quantities.get(a_id, ()),
            quantities.get(b_id, ()),
            _cosine(vectors, a_id, b_id),
            _order(a.published, b.published),
            same_time=_days_apart(a.published, b.published) <= FIGURE_DAYS,
            same_article=a.statement.article_id == b.statement.article_id,
        )
        if best is not None and (scorer is None or best.rule in DECIDING_RULES):
            found[(a_id, b_id)] = best
    if scorer is not None:
        model_pairs = sorted(set(model_pairs) | set(found))
        _judge(model_pairs, by_id, scorer, found)
    if stats is not None:
        stats.compared += len(set(rule_pairs) | set(model_pairs))
        stats.scored += len(model_pairs)
    relations = []
    for (a_id, b_id), best in sorted(found.items()):
        a, b = by_id[a_id], by_id[b_id]
        if _same_speaker(a, b) and best.relation != "contradicts":
            continue  # a speaker agreeing with himself is a repetition, not news
        relations.append(_relation(a, b, best, story_id, claim_of or {}))
    return relations


@dataclass
class PairStats:
    """Counts for the benchmarks: pairs compared (rules and model) and read by the model."""

    compared: int = 0
    scored: int = 0


# Rules whose verdict stands when the model finds a pair unrelated (unless it reads the
# opposite relation as clearly likelier, RULE_VETO): those measured right. On the 80 gold
# pairs of PolNeAR train, negation fired twice, both right; figures, states and time never
# fired (they are what the sample corpus's written contradictions test, all found);
# paraphrase fired 4 times, never right (3 pairs that were "neither", one a contradiction),
# so it only lends its words to the model's verdict. Figures need the same quantity (the
# same counted thing, no different names or dates in the two sentences); states one clause
# about one subject.
DECIDING_RULES = frozenset({"figures", "states", "time", "negation"})
RULE_VETO = 0.5
"""How much likelier the model must read the opposite relation to overrule a deciding rule
(the model relating nothing otherwise)."""
MAX_PARTNERS = 3
"""Statements each statement is read with by the model, most similar first: the model's time
stays bounded per statement however large the story. On PolNeAR train + dev (9,146 speech
statements in stories of two or more), 2, 3 and 5 partners give 12,276, 16,988 and 24,664
pairs and reach 19, 24 and 27 of the 67 gold train pairs whose sides are stored (47 of them
speech with speakers in one story)."""
MIN_SIMILARITY = 0.1
"""Cosine (plus the shared-name bonus) below which two statements are not about one matter:
real rebuttals are worded differently (half the gold pairs of one story have a wordllama
cosine under 0.3), so only the plainly unrelated are left out."""
NAME_BONUS = 0.05
"""Added to the cosine per name both statements use (at most ``MAX_NAME_BONUS``)."""
MAX_NAME_BONUS = 0.15


class _PairFilter:
    """Which pairs may be related at all: never an article with its copy, never a speaker
    with himself on one day (a repetition); one speaker on two days may be a reversal."""

    def __init__(self, by_id: Mapping[str, StatementRecord], copy_of: Mapping[str, str]) -> None:
        self.by_id = by_id
        self.copy_of = copy_of

    def __call__(self, a_id: str, b_id: str) -> bool:
        a, b = self.by_id[a_id], self.by_id[b_id]
        article_a, article_b = a.statement.article_id, b.statement.article_id
        if self._original(article_a) == self._original(article_b) and article_a != article_b:
            return False
        if _same_speaker(a, b):
            return article_a != article_b and _order(a.published, b.published) != 0
        # One statement of an article repeating another's words is one assertion.
        same_article = article_a == article_b
        return not (same_article and _repeats_words(a.statement.content, b.statement.content))

    def _original(self, article_id: str) -> str:
        return self.copy_of.get(article_id, article_id)


REPEATED_RUN = 8
"""Words in a row two statements of one article must share for one to repeat the other:
a commentator quoting the candidate's words back ("her statement that she'd put Bill
Clinton 'in charge of revitalizing the economy ...'"), or the same words given to two
speakers by extraction. Either way it is one assertion, not two that agree."""


def _repeats_words(text_a: str, text_b: str) -> bool:
    words_a = [w.lower() for w in _WORD.findall(text_a)]
    words_b = [w.lower() for w in _WORD.findall(text_b)]
    if min(len(words_a), len(words_b)) < REPEATED_RUN:
        return False
    runs = {tuple(words_a[i : i + REPEATED_RUN]) for i in range(len(words_a) - REPEATED_RUN + 1)}
    return any(
        tuple(words_b[i : i + REPEATED_RUN]) in runs for i in range(len(words_b) - REPEATED_RUN + 1)
    )


def similar_pairs(
    records: Sequence[StatementRecord],
    vectors: Mapping[str, np.ndarray],
    fresh: set[str] | None,
    allowed: Callable[[str, str], bool],
) -> list[tuple[str, str]]:
    """Each statement with its ``MAX_PARTNERS`` most similar statements of the story: cosine
    of the statement vectors plus a bonus per shared name, at least ``MIN_SIMILARITY``.

    With ``fresh``, only pairs with a new side are kept, but every statement's partners are
    chosen among all: a new statement among an old one's closest is read too, so a story
    ingested in parts is compared as it would have been at once (a pair an old statement
    chose before the new ones came stays compared).
    """
    ids = [r.statement.statement_id for r in records if r.statement.statement_id in vectors]
    if len(ids) < 2:
        return []
    matrix = np.stack([np.asarray(vectors[sid], dtype=np.float32) for sid in ids])
    names = [_names(r.statement.content) for r in records if r.statement.statement_id in vectors]
    is_fresh = [fresh is None or sid in fresh for sid in ids]
    if not any(is_fresh):
        return []
    pairs: set[tuple[str, str]] = set()
    for i in range(len(ids)):
        similarity = matrix @ matrix[i]
        for j, shared in enumerate(names):
            if names[i] and shared:
                similarity[j] += min(MAX_NAME_BONUS, NAME_BONUS * len(names[i] & shared))
        similarity[i] = -np.inf
        kept = 0
        for j in np.argsort(-similarity, kind="stable"):
            if kept == MAX_PARTNERS or similarity[j] < MIN_SIMILARITY:
                break
            pair = (min(ids[i], ids[j]), max(ids[i], ids[j]))
            if allowed(*pair):
                kept += 1
                if is_fresh[i] or is_fresh[j]:
                    pairs.add(pair)
    return sorted(pairs)


def _names(text: str) -> frozenset[str]:
    """Words written with a capital, not first in their sentence: names, places, parties."""
    tokens = _TOKEN.findall(text)
    found = set()
    for previous, token in zip([".", *tokens], tokens, strict=False):
        if token[:1].isupper() and previous not in ".!?" and token.lower() not in STOP:
            found.add(token.lower())
    return frozenset(found)


def _side(record: StatementRecord) -> PairSide:
    return PairSide(
        record.statement.content,
        record.statement.speaker,
        record.statement.article_id,
        record.published,
    )


def _judge(
    pairs: Sequence[tuple[str, str]],
    by_id: Mapping[str, StatementRecord],
    scorer: PairScorer,
    found: dict[tuple[str, str], Candidate],
) -> None:
    """The model's verdict on ``pairs``, which include those a deciding rule related.

    Where the model relates a pair, its verdict stands, with the rule's words as evidence
    when the rule found the same; the differing words of the two sentences otherwise. Where
    it relates nothing, a deciding rule's verdict stands, unless the model reads the
    opposite relation as likelier than the rule's by ``RULE_VETO`` or more.
    """
    judgements = judge_pairs([(_side(by_id[a]), _side(by_id[b])) for a, b in pairs], scorer)
    for pair, judgement in zip(pairs, judgements, strict=True):
        rule = found.pop(pair, None)
        if judgement.kind is not None:
            same = rule is not None and rule.relation == judgement.kind
            evidence = rule.evidence if rule is not None and same else judgement.evidence
            found[pair] = Candidate(judgement.kind, judgement.probability, evidence, "model")
        elif rule is not None:
            rule_side, other = (judgement.contradicts, judgement.agrees)
            if rule.relation == "agrees":
                rule_side, other = other, rule_side
            if other - rule_side < RULE_VETO:
                found[pair] = rule


def _candidate_pairs(
    units: Mapping[str, Sequence[Unit]],
    quantities: Mapping[str, Sequence[Quantity]],
    fresh: set[str] | None,
) -> list[tuple[str, str]]:
    """Pairs that share at least one key every rule needs (a topic word, a state concept or
    a counted thing), from an inverted index: a large story is never compared all by all.

    A key held by more than ``MAX_POSTING`` statements says nothing about any pair, so it is
    not used; each statement keeps its ``MAX_CANDIDATES`` partners with the most shared keys.
    Both bounds keep the pass linear in the story's size. With ``fresh``, one side of each
    pair is new.
    """
    index: dict[str, list[str]] = defaultdict(list)
    for sid, statement_units_ in units.items():
        for key in _keys(statement_units_, quantities.get(sid, ())):
            index[key].append(sid)
    shared: Counter[tuple[str, str]] = Counter()
    for members in index.values():
        if len(members) > MAX_POSTING:
            continue
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if fresh is None or a in fresh or b in fresh:
                    shared[(a, b)] += 1
    partners: dict[str, int] = defaultdict(int)
    kept = []
    for pair, _ in sorted(shared.items(), key=lambda item: (-item[1], item[0])):
        if partners[pair[0]] < MAX_CANDIDATES and partners[pair[1]] < MAX_CANDIDATES:
            partners[pair[0]] += 1
            partners[pair[1]] += 1
            kept.append(pair)
    return sorted(kept)


def _keys(units: Sequence[Unit], quantities: Sequence[Quantity]) -> set[str]:
    keys = {f"thing:{q.thing}" for q in quantities}
    for unit in units:
        keys |= unit.topic
        keys |= {f"state:{concept}" for concept in unit.states}
    return keys


FIGURE_DAYS = 3
"""Figures published further apart than this are of two times (80 killed in Nice in July, 130
in Paris the November before, chained into one story)."""


def _days_apart(a: str | None, b: str | None) -> int:
    """Days between two publication dates; 0 when either is unknown."""
    if not a or not b:
        return 0
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except ValueError:
        return 0


def _order(a: str | None, b: str | None) -> int:
    if not a or not b or a[:10] == b[:10]:
        return 0
    return -1 if a < b else 1


def _same_speaker(a: StatementRecord, b: StatementRecord) -> bool:
    if a.speaker_id is not None and b.speaker_id is not None:
        return a.speaker_id == b.speaker_id
    return a.statement.speaker == b.statement.speaker


def _cosine(vectors: Mapping[str, np.ndarray] | None, a: str, b: str) -> float | None:
    if not vectors or a not in vectors or b not in vectors:
        return None
    return float(np.dot(vectors[a], vectors[b]))


def _relation(
    a: StatementRecord,
    b: StatementRecord,
    found: Candidate,
    story_id: str | None,
    claim_of: Mapping[str, str],
) -> Relation:
    first, second = sorted((a.statement.statement_id, b.statement.statement_id))
    claim_a, claim_b = claim_of.get(first), claim_of.get(second)
    return Relation(
        statement_a=first,
        statement_b=second,
        relation=found.relation,
        score=round(found.score, 4),
        evidence=found.evidence,
        claim_id=claim_a if claim_a is not None and claim_a == claim_b else None,
        story_id=story_id,
        reversal=found.relation == "contradicts" and _same_speaker(a, b),
    )


# --- one pair of statements -----------------------------------------------------------------


def compare_statements(
    units_a: Sequence[Unit],
    units_b: Sequence[Unit],
    quantities_a: Sequence[Quantity],
    quantities_b: Sequence[Quantity],
    cosine: float | None,
    order: int = 0,
    *,
    same_time: bool = True,
    same_article: bool = False,
) -> Candidate | None:
    """The strongest relation between two statements, or None when they are unrelated.

    ``same_time`` is False when the two were published more than ``FIGURE_DAYS`` apart:
    their figures count at two times, never one quantity. ``same_article``: both come from
    one article, where figures must name their setting alike (``_same_setting``).

    ``order`` is -1 when statement a was published before b, +1 after, 0 when unknown or
    the same day: a state that changes between the two ("the strike continues", two days
    later "the strike has ended") is news, not a contradiction.
    """
    candidates = (
        _figure_relations(units_a, units_b, quantities_a, quantities_b, same_article)
        if same_time
        else []
    )
    for ua, ub in product(units_a, units_b):
        found = compare_units(ua, ub, cosine, order)
        if found is not None:
            candidates.append(found)
    if not candidates:
        return None
    if _different_figures(quantities_a, quantities_b):
        # "raised roughly $15 million" and "raised more than $21 million": the same words
        # around two different sums are two assertions, not one.
        candidates = [c for c in candidates if c.rule != "paraphrase"]
        if not candidates:
            return None
    # A contradiction found anywhere outweighs agreement elsewhere in the same pair: two
    # statements that agree on the facts but clash on one of them are worth a look.
    contradictions = [c for c in candidates if c.relation == "contradicts"]
    pool = contradictions or candidates
    return max(pool, key=lambda c: c.score)


def compare_units(a: Unit, b: Unit, cosine: float | None, order: int = 0) -> Candidate | None:
    shared = a.topic & b.topic
    return (
        _state_relation(a, b, shared, order)
        or _time_relation(a, b, shared)
        or _negation_relation(a, b, shared)
        or _paraphrase_relation(a, b, shared, cosine)
    )


def _state_relation(a: Unit, b: Unit, shared: frozenset[str], order: int) -> Candidate | None:
    """The same state asserted on one side and denied on the other (or on both)."""
    for concept in sorted(a.states.keys() & b.states.keys()):
        (sign_a, words_a), (sign_b, words_b) = a.states[concept], b.states[concept]
        if not _one_subject(a, b, concept, shared) and concept not in _SUBJECTLESS_STATES:
            continue  # "at risk" and "secure channels" said of different things
        evidence = f'{concept}: "{words_a}" vs "{words_b}"'
        if sign_a == sign_b:
            if shared:
                return Candidate("agrees", 0.75, f"same state, {evidence}", "states")
            continue
        if concept in _CHANGING_STATES and order * sign_a > 0:
            continue  # the later statement reports the state reached: a change, not a clash
        if _two_matters(a.state_subjects.get(concept), b.state_subjects.get(concept)):
            continue
        return Candidate("contradicts", 0.85, f"opposite states, {evidence}", "states")
    return None


def _one_subject(a: Unit, b: Unit, concept: str, shared: frozenset[str]) -> bool:
    """Both states are said of one subject. A state word said of anything ("safe", "at
    risk", "cancelled") needs its two clauses to share a topic word (unless a pronoun stands
    for the subject in one of them); the money words ("new money", "reallocated") belong
    to one budget dispute, and the sentences sharing a topic word is enough."""
    if concept not in _SUBJECT_BOUND_STATES:
        return bool(shared)
    subject_a = a.state_subjects.get(concept, frozenset())
    subject_b = b.state_subjects.get(concept, frozenset())
    if subject_a and subject_b:
        return bool(subject_a & subject_b)
    return bool(shared)


def _two_matters(subject_a: frozenset[str] | None, subject_b: frozenset[str] | None) -> bool:
    """The two clauses share one word (the person) and each says more about something else:
    "Trump had not been exposed on his old abortion views" and "Trump was vulnerable on the
    single-payer health care quotes" (a PolNeAR ingest) are two matters, no clash. (Two
    sides that agree on a state may describe one place in other words: not applied there.)"""
    if not subject_a or not subject_b:
        return False
    common = subject_a & subject_b
    return len(common) == 1 and min(len(subject_a - common), len(subject_b - common)) >= 2


_SUBJECT_BOUND_STATES = frozenset({"safe", "cancelled"})


# States whose clash is telling even when the two sentences name different subjects: in one
# story, "the crisis is behind us" and "our work is far from finished" answer the same
# question (is it over?).
_SUBJECTLESS_STATES = frozenset({"over"})
# States that move one way over time: "continuing" then "ended" is what happened.
_CHANGING_STATES = frozenset({"over"})


def _time_relation(a: Unit, b: Unit, shared: frozenset[str]) -> Candidate | None:
    """A dated commitment against a denied one about the same event, or two denials.

    The event must be shared by two pieces of evidence: topic words, or one topic word and
    a month on one side answered by "date"/"timetable" on the other.
    """
    if not shared or not (_about_timing(a) and _about_timing(b)):
        return None
    if not (a.time_subject & b.time_subject) - a.names - b.names:
        return None  # "together in July" and "contest the nomination": two different events
    dated_vs_date = (a.time is None) != (b.time is None)
    if len(shared) + dated_vs_date < 2:
        return None
    if a.time_polarity == b.time_polarity:
        if a.time_polarity > 0 or not (dated_vs_date or a.time == b.time):
            return None
        return Candidate(
            "agrees", 0.7, f'both deny a date: "{_short(a.text)}" / "{_short(b.text)}"', "time"
        )
    positive, negative = (a, b) if a.time_polarity > 0 else (b, a)
    if positive.time is None:
        return None
    return Candidate(
        "contradicts",
        0.8,
        f'time: "{positive.time}" asserted, denied in "{_short(negative.text)}"',
        "time",
    )


def _about_timing(unit: Unit) -> bool:
    return unit.time is not None or bool(unit.topic & _TIMING_WORDS)


_TIMING_WORDS = frozenset({"date", "timetable", "deadline"})

# The plain negation rule needs near-identical topics: most negated sentences in a story
# are about something else than the affirmative ones next to them.
NEGATION_MIN_SHARED = 3
NEGATION_MIN_JACCARD = 0.5


def _negation_relation(a: Unit, b: Unit, shared: frozenset[str]) -> Candidate | None:
    if a.polarity == b.polarity or len(shared) < NEGATION_MIN_SHARED:
        return None
    if len(shared) / len(a.topic | b.topic) < NEGATION_MIN_JACCARD:
        return None
    positive, negative = (a, b) if a.polarity > 0 else (b, a)
    return Candidate(
        "contradicts",
        0.7,
        f'negation: "{_short(negative.text)}" denies "{_short(positive.text)}"',
        "negation",
    )


def _paraphrase_relation(
    a: Unit, b: Unit, shared: frozenset[str], cosine: float | None
) -> Candidate | None:
    """Near-identical wording, same polarity: three shared topic words (a shared month
    counts) covering most of the shorter sentence, or a very close embedding."""
    if a.polarity != b.polarity or _opposite_predicates(a.words, b.words):
        return None
    # Names tell the topic, not the assertion: "talks chaired by the mediator Hanne
    # Lydersen" and "Hanne Lydersen would reconvene talks" say different things.
    common = shared - a.names - b.names
    evidence = len(common) + (a.time is not None and a.time == b.time)
    overlap = _overlap_ratio(a, b, shared)
    wording = evidence >= PARAPHRASE_MIN_SHARED and overlap >= PARAPHRASE_OVERLAP
    close = cosine is not None and cosine >= PARAPHRASE_COSINE and len(shared) >= 2
    alike = cosine is None or cosine >= PARAPHRASE_WORDING_COSINE
    if not ((wording and alike) or close):
        return None
    score = max(overlap, cosine or 0.0)
    words = ", ".join(sorted(shared)[:4])
    return Candidate(
        "agrees", round(0.5 + 0.4 * score, 4), f"same assertion ({words})", "paraphrase"
    )


def _opposite_predicates(words_a: Sequence[str], words_b: Sequence[str]) -> bool:
    """One side uses a word of one pole of ``OPPOSITE_PREDICATES``, the other a word of the
    other pole, and neither uses both."""
    set_a, set_b = set(words_a), set(words_b)
    for one, other in OPPOSITE_PREDICATES:
        a_one, a_other = bool(set_a & one), bool(set_a & other)
        b_one, b_other = bool(set_b & one), bool(set_b & other)
        if (a_one and b_other and not a_other and not b_one) or (
            a_other and b_one and not a_one and not b_other
        ):
            return True
    return False


def _overlap_ratio(a: Unit, b: Unit, shared: frozenset[str]) -> float:
    return len(shared) / max(1, min(len(a.topic), len(b.topic)))


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# --- figures ---------------------------------------------------------------------------------


def quantity_of(figure: Figure) -> Quantity | None:
    """A figure as a range over its counted thing; None when it counts nothing nameable."""
    thing = _thing(figure)
    if thing is None or not math.isfinite(figure.value):
        return None
    low, high = _bounds(figure.value, (figure.qualifier or "").lower())
    return Quantity(thing, low, high, figure.text)


def _thing(figure: Figure) -> str | None:
    """What a figure counts, comparable across articles: ``peacekeeper``, ``money``, or
    ``percent:bed`` (a share is only comparable with a share of the same thing)."""
    unit = (figure.unit or "").lower()
    if unit in _CURRENCY_UNITS:
        return "money"
    if unit in {"percent", "per cent", "%"}:
        counted = _first_content_word(figure.counts or "")
        return f"percent:{counted}" if counted else None
    return _first_content_word(unit) or _first_content_word(figure.counts or "")


def _first_content_word(text: str) -> str | None:
    words = [w for w in _WORD.findall(text.lower()) if w not in STOP]
    return _fold(words[0]) if words else None


_CURRENCY_UNITS = frozenset(
    {"dollars", "euros", "pounds", "yen", "francs", "kronor", "usd", "eur", "gbp"}
)


def _bounds(value: float, qualifier: str) -> tuple[float, float]:
    if qualifier in {"more than", "over", "at least", "upwards of", "above", "no fewer than"}:
        return value, math.inf
    if qualifier in {"fewer than", "less than", "under", "at most", "no more than", "below"}:
        return -math.inf, value
    if qualifier in {"some", "about", "around", "roughly", "nearly", "almost", "approximately"}:
        return value * 0.9, value * 1.1
    return value, value


def _figure_relations(
    units_a: Sequence[Unit],
    units_b: Sequence[Unit],
    quantities_a: Sequence[Quantity],
    quantities_b: Sequence[Quantity],
    same_article: bool = False,
) -> list[Candidate]:
    """Figures of the same counted thing; the sentences around them must share a topic
    word besides the thing."""
    found = []
    for qa, qb in product(quantities_a, quantities_b):
        if qa.thing != qb.thing:
            continue
        context = _figure_context(units_a, qa) & _figure_context(units_b, qb) - {qa.thing}
        context -= _NUMBER_WORDS | _words_of(qa.text) | _words_of(qb.text)
        unit_a, unit_b = _figure_unit(units_a, qa), _figure_unit(units_b, qb)
        if not context or not _same_setting(unit_a, unit_b, same_article):
            continue
        evidence = f'figures: "{qa.text}" vs "{qb.text}" ({qa.thing})'
        if _gap(qa, qb) > FIGURE_GAP and qa.thing not in _MONEY_THINGS:
            # Sums of money differ for good reasons (a part and the whole, two budgets):
            # only a count of the same things is a clash.
            found.append(Candidate("contradicts", 0.9, evidence, "figures"))
        elif _overlap(qa, qb) and len(context) >= 2:
            found.append(Candidate("agrees", 0.8, evidence, "figures"))
    return found


# Words of the number itself say nothing about what is counted: "11 million undocumented
# people" and "2 million people deported" share only "million".
_NUMBER_WORDS = frozenset({"million", "billion", "thousand", "hundred", "percent", "cent", "per"})


def _words_of(text: str) -> frozenset[str]:
    return frozenset(_fold(w) for w in _WORD.findall(text.lower()))


_MONEY_THINGS = frozenset({"money", "eur", "usd", "gbp", "billion", "million"})


def _figure_context(units: Sequence[Unit], quantity: Quantity) -> frozenset[str]:
    for unit in units:
        if quantity.text in unit.text:
            return unit.topic
    return frozenset().union(*(u.topic for u in units)) if units else frozenset()


def _figure_unit(units: Sequence[Unit], quantity: Quantity) -> Unit | None:
    return next((unit for unit in units if quantity.text in unit.text), None)


def _same_setting(a: Unit | None, b: Unit | None, same_article: bool = False) -> bool:
    """Two figures count the same quantity only when their sentences do not name different
    places, people or parties, nor different times: 80 killed in Nice and 130 killed in
    Paris, or a lead of 15 points in Indiana and of four in Iowa, are different quantities."""
    if a is None or b is None:
        return False
    if same_article and a.names != b.names:
        # Inside one article a figure whose sentence names no place answers the article's
        # other topics as often as this one: on PolNeAR train, "80 people were killed" (Nice)
        # against "killed 130 people in Paris", and "15 points in Indiana" against "up a
        # narrow four points" (Iowa, named sentences earlier), were the rule's errors.
        return False
    # Across articles, one side silent about the place or the time takes the story's: "there
    # are no more than 25 ships waiting" answers "more than 60 ships off Saltmere on Saturday".
    places = not (a.names - b.names and b.names - a.names)
    return places and not (a.dates and b.dates and a.dates != b.dates)


def _gap(a: Quantity, b: Quantity) -> float:
    """Relative distance between two ranges (0 when they overlap)."""
    if _overlap(a, b):
        return 0.0
    low, high = (a, b) if a.high < b.low else (b, a)
    scale = max(abs(low.high), abs(high.low), 1.0)
    return (high.low - low.high) / scale


def _overlap(a: Quantity, b: Quantity) -> bool:
    return a.low <= b.high and b.low <= a.high


def _different_figures(a: Sequence[Quantity], b: Sequence[Quantity]) -> bool:
    """Both sides count one thing (or name a sum of money) and no figure of one side fits
    any of the other's."""
    things = {q.thing for q in a} & {q.thing for q in b}
    return bool(things) and not any(
        _overlap(qa, qb) for qa, qb in product(a, b) if qa.thing == qb.thing
    )


# --- statements into units -------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[,;:.!?]")
_CLAUSE_BREAKS = frozenset(
    {",", ";", ":", ".", "!", "?", "but", "because", "while", "whereas", "although", "though"}
)
# A sentence that reports someone else's words ("The minister told us the budget was
# untouched") is not the speaker's own assertion; the pair rules skip it.
_REPORTING = re.compile(
    r"\b(?!(?:i|we)\s)(\w+)\s+(?:never\s+|not\s+)?(?:told|said|says|claimed|insisted)\s+"
    r"(?:us|me|them|reporters|that|['‘\"“])",
    re.IGNORECASE,
)


# Only words said or written are compared: not what the speaker acted on ("local groups
# challenged *its count of 3,500*", act ``action``), nor a belief or intention ascribed to
# them ("Doe believes ...", "Doe wants to ..."), which the speaker did not assert (issue 24).
_CLAIM_ACTS = frozenset({"speech"})


def statement_units(record: StatementRecord) -> list[Unit]:
    """The sentences of a statement, each with topic words, polarity, states and time."""
    statement = record.statement
    if statement.act not in _CLAIM_ACTS:
        return []
    denied = _is_denying(statement.cue)
    units = []
    for piece in _pieces(statement.content, statement.content_spans):
        piece = re.sub(r"^\s*that\s+", "", piece)
        for sentence in _SENTENCE_END.split(piece):
            if sentence.strip() and not _REPORTING.search(sentence):
                units.append(_unit(statement.statement_id, sentence, denied))
    return units


def _pieces(content: str, spans: Sequence[tuple[int, int]]) -> list[str]:
    """The pieces of an interrupted quote, which ``content`` joins with " … " (or a single
    space where a quotation runs on over a paragraph break)."""
    if len(spans) < 2:
        return [content]
    pieces: list[str] = []
    at = 0
    for start, end in spans:
        if pieces:
            joiner = " … " if content.startswith(" … ", at) else " "
            if not content.startswith(joiner, at):
                return [content]
            at += len(joiner)
        pieces.append(content[at : at + end - start])
        at += end - start
    return pieces if at == len(content) else [content]


def _is_denying(cue: str | None) -> bool:
    if not cue:
        return False
    return any(_fold(word) in DENYING_CUES for word in _WORD.findall(cue.lower()))


def _unit(statement_id: str, text: str, denied: bool) -> Unit:
    tokens = _TOKEN.findall(text)
    lowered = [t.lower() for t in tokens]
    flip = -1 if denied else 1
    states = _states(lowered, flip)
    state_words = {w for _, (_, phrase) in states.items() for w in phrase.split()}
    topic = frozenset(
        _fold(w)
        for w in lowered
        if w.isalnum()
        and w not in STOP
        and w not in NEGATORS
        and w not in state_words
        and w not in TIME_WORDS
        and len(w) > 2
    )
    # The main clause decides: "beds had been closed because there were not enough nurses"
    # asserts a closure.
    # A sentence opening with "But" has its main clause after it.
    main_end = next(
        (i for i, w in enumerate(lowered) if w in _CLAUSE_BREAKS and i > 0), len(lowered)
    )
    polarity = flip * (-1 if _negations(lowered, 0, main_end) % 2 else 1)
    time, time_polarity = _time(tokens, lowered, flip)
    subjects = {
        concept: _clause_topic(lowered, phrase, topic) for concept, (_, phrase) in states.items()
    }
    return Unit(
        statement_id,
        text.strip(),
        tuple(lowered),
        topic,
        polarity,
        states,
        time,
        time_polarity,
        frozenset(_fold(t) for t in tokens[1:] if t[:1].isupper()),
        MappingProxyType(subjects),
        frozenset(w for w in lowered if w in TIME_WORDS or w in _WEEKDAYS or _YEAR.fullmatch(w)),
        _time_subject(lowered, topic),
    )


def _time_subject(words: Sequence[str], topic: frozenset[str]) -> frozenset[str]:
    at = next((i for i, w in enumerate(words) if w in TIME_WORDS or w in _TIMING_WORDS), None)
    if at is None:
        return frozenset()
    start, end = _clause_start(words, at), at
    while end < len(words) and words[end] not in _CLAUSE_BREAKS:
        end += 1
    return frozenset(_fold(w) for w in words[start:end]) & topic


_WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)
_YEAR = re.compile(r"(?:19|20)\d\d")


def _clause_topic(words: Sequence[str], phrase: str, topic: frozenset[str]) -> frozenset[str]:
    """The topic words of the clause in which ``phrase`` (a state's words) stands: what it
    is said of. None when a pronoun stands for the subject ("called it new money", "this is
    over"): the subject is then in another sentence."""
    size = len(phrase.split())
    at = next((i for i in range(len(words)) if " ".join(words[i : i + size]) == phrase), 0)
    before = [w for w in words[max(0, at - 3) : at] if w not in _COPULAS]
    if before and before[-1] in _PRONOUNS:
        return frozenset()
    start, end = _clause_start(words, at), at + size
    while end < len(words) and words[end] not in _CLAUSE_BREAKS:
        end += 1
    return frozenset(_fold(w) for w in words[start:end]) & topic


_COPULAS = frozenset({"is", "was", "are", "were", "be", "been", "being", "'s"})
_PRONOUNS = frozenset({"it", "this", "that", "they", "these", "those"})


def _clause_start(words: Sequence[str], index: int) -> int:
    start = index
    while start > 0 and words[start - 1] not in _CLAUSE_BREAKS:
        start -= 1
    return start


def _clause_polarity(words: Sequence[str], index: int, flip: int, *, whole: bool = False) -> int:
    """+1/-1: the negations in the clause up to ``index`` (or in all of it), and a denying
    cue."""
    end = index
    if whole:
        while end < len(words) and words[end] not in _CLAUSE_BREAKS:
            end += 1
    negations = _negations(words, _clause_start(words, index), end)
    return flip * (-1 if negations % 2 else 1)


def _negations(words: Sequence[str], start: int, end: int) -> int:
    count = 0
    for i in range(start, end):
        word = words[i]
        pair = " ".join(words[i : i + 2])
        triple = " ".join(words[i : i + 3])
        if pair in NON_NEGATING or triple in NON_NEGATING:
            continue
        if (word.endswith("n't") or word == "not") and words[i + 1 : i + 2] in (["just"], ["only"]):
            continue  # "you aren't just a loser, you are a liar" asserts more, not less
        if word in NEGATORS or word.endswith("n't") or pair == "far from":
            count += 1
    return count


def _states(words: Sequence[str], flip: int) -> dict[str, tuple[int, str]]:
    """State concepts asserted in a sentence, each with the polarity of its own clause,
    skipping those inside a temporal or conditional clause ("once the dispute was over"
    asserts nothing about the dispute)."""
    found: dict[str, tuple[int, str]] = {}
    for i in range(len(words)):
        for size in (3, 2, 1):
            phrase = " ".join(words[i : i + size])
            entry = STATE_WORDS.get(phrase)
            if entry is None or _subordinate(words, i) or _partial(words, i):
                continue
            if _not_a_state(words, i, size):
                continue
            concept, sign = entry
            found.setdefault(concept, (sign * _clause_polarity(words, i, flip), phrase))
            break
    return found


def _not_a_state(words: Sequence[str], index: int, size: int) -> bool:
    """A state word that asserts no state: a verb of going on with a complement ("continues
    to put out this fiction", "continuing on to New Hampshire") says someone keeps doing
    something, and an adjective no linking verb ties to a subject ("the right to safe and
    legal gun ownership", "secure channels", "to secure the border") names a kind of thing
    or an act. Both were the rule's errors on a PolNeAR ingest."""
    word, after = words[index], words[index + size : index + size + 1]
    following = after[0] if after else ""
    if word in _GOING_ON_WORDS:
        return following in {"to", "on", "with"}
    if word in _STATE_ADJECTIVES and size == 1:
        before = words[max(_clause_start(words, index), index - 4) : index]
        if any(_links(w) for w in before):
            return False  # "the port is safe", "kept the city safe", "it's not secure"
        return bool(following) and following not in _CLAUSE_BREAKS
    return False


def _links(word: str) -> bool:
    word = word.replace("’", "'")
    if word.endswith("'s"):
        return word[:-2] in _CONTRACTING  # "it's safe", not the possessive "Obama's secure"
    return (
        word in _LINKING_VERBS
        or word.endswith(("'re", "'m"))
        or (word.endswith("n't") and word[:-3] in _LINKING_VERBS)
    )


_CONTRACTING = frozenset({"it", "that", "he", "she", "there", "what", "who", "this", "where"})


_GOING_ON_WORDS = frozenset({"continuing", "continues", "goes", "go"})
_STATE_ADJECTIVES = frozenset({"safe", "secure", "unsafe", "fragile", "vulnerable", "exposed"})
_LINKING_VERBS = frozenset(
    {"is", "are", "was", "were", "be", "been", "being", "am", "remain", "remains", "remained"}
    | {"stay", "stays", "stayed", "feel", "feels", "felt", "seem", "seems", "seemed"}
    | {"look", "looks", "looked", "become", "becomes", "became", "keep", "keeps", "kept"}
    | {"make", "makes", "made", "get", "gets", "got", "left", "ai", "wo", "does", "did"}
)


def _subordinate(words: Sequence[str], index: int) -> bool:
    start = _clause_start(words, index)
    window = words[max(start, index - 6) : index]
    joined = " ".join(window)
    return any(w in SUBORDINATORS for w in window) or "every day" in joined


def _partial(words: Sequence[str], index: int) -> bool:
    """ "Part of the package is fresh borrowing": a state said of a part concedes the rest."""
    clause = " ".join(words[_clause_start(words, index) : index])
    return any(marker in clause for marker in _PARTIAL_MARKERS)


_PARTIAL_MARKERS = ("part of", "partly", "in part")


def _time(tokens: Sequence[str], lowered: Sequence[str], flip: int) -> tuple[str | None, int]:
    """The first month or season named (``May`` only with its capital), or failing that a
    word like "date", with the polarity of its clause."""
    named = [
        i
        for i, (token, word) in enumerate(zip(tokens, lowered, strict=True))
        if word in TIME_WORDS and (word != "may" or token == "May")
    ]
    if len({lowered[i] for i in named}) > 1:
        # "Money in May does not reopen a ward in March" compares two times; it does not
        # deny a date.
        return None, 1
    if named:
        return lowered[named[0]], _clause_polarity(lowered, named[0], flip, whole=True)
    for i, word in enumerate(lowered):
        if word in _TIMING_WORDS:
            return None, _clause_polarity(lowered, i, flip, whole=True)
    return None, 1


def _fold(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word in SYNONYMS:
        return SYNONYMS[word]
    for suffix in ("ing", "ed", "es", "s"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 4:
            return SYNONYMS.get(stem, stem)
    return word
