"""Learn the verb frames of ``frames.py`` from brat-annotated articles (PolNeAR train).

For every annotated attribution whose cue holds a verb, the last verb of the cue is taken
as its head, and the dependents of that verb whose phrase lies at least half inside the
annotated content make its *pattern* ("dobj", "dobj+prep", ...). For every verb with a
subject in the same articles, annotated or not, the lemma is counted. A lemma becomes a
frame when

* it was an annotated cue at least ``min_support`` times,
* at least ``min_precision`` of its uses with a subject were annotated cues,
* its most frequent pattern is made only of object-like dependents (``OBJECT_DEPS``): verbs
  whose content is a clause are the ``clause`` rule's, and stay there.

Nothing here reads the dev split; the thresholds were set before any dev measurement.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Token

from quotegraph.evaluate.polnear import GoldAttribution, GoldDocument, load_split
from quotegraph.nlp import parse_texts
from quotegraph.types import Span

OBJECT_DEPS = frozenset({"dobj", "prep", "oprd", "dative"})
_IGNORED_DEPS = frozenset(
    {"nsubj", "punct", "aux", "neg", "advmod", "cc", "conj", "mark", "npadvmod"}
)
MIN_SUPPORT = 8
MIN_PRECISION = 0.5


def _tokens(doc: Doc, spans: Iterable[Span]) -> set[int]:
    covered: set[int] = set()
    for start, end in spans:
        piece = doc.char_span(start, end, alignment_mode="expand")
        if piece is not None:
            covered.update(t.i for t in piece if not (t.is_punct or t.is_space))
    return covered


def _cue_verb(doc: Doc, attribution: GoldAttribution) -> Token | None:
    verbs = [doc[i] for i in _tokens(doc, attribution.cue) if doc[i].pos_ == "VERB"]
    return max(verbs, key=lambda t: t.i) if verbs else None


def _pattern(verb: Token, content: set[int]) -> frozenset[str]:
    """The dependents of ``verb`` whose phrase lies at least half inside ``content``."""
    deps = set()
    for child in verb.children:
        if child.dep_ in _IGNORED_DEPS:
            continue
        phrase = [t.i for t in child.subtree]
        if 2 * len(content.intersection(phrase)) >= len(phrase):
            deps.add(child.dep_)
    return frozenset(deps)


def _has_subject(verb: Token) -> bool:
    return any(child.dep_ == "nsubj" for child in verb.children)


def count_frames(
    pairs: Iterable[tuple[GoldDocument, Doc]],
) -> tuple[Counter[str], Counter[str], dict[str, Counter[frozenset[str]]]]:
    """Per lemma: uses with a subject, annotated cues among them, and their patterns."""
    uses: Counter[str] = Counter()
    cues: Counter[str] = Counter()
    patterns: dict[str, Counter[frozenset[str]]] = defaultdict(Counter)
    for gold, doc in pairs:
        content_of: dict[int, set[int]] = {}
        for attribution in gold.attributions:
            verb = _cue_verb(doc, attribution) if attribution.content else None
            if verb is not None:
                content_of[verb.i] = _tokens(doc, attribution.content)
        for token in doc:
            if token.pos_ != "VERB" or not _has_subject(token):
                continue
            lemma = token.lemma_.lower()
            uses[lemma] += 1
            if token.i in content_of:
                cues[lemma] += 1
                patterns[lemma][_pattern(token, content_of[token.i])] += 1
    return uses, cues, patterns


def select_frames(
    uses: Counter[str],
    cues: Counter[str],
    patterns: dict[str, Counter[frozenset[str]]],
    *,
    min_support: int = MIN_SUPPORT,
    min_precision: float = MIN_PRECISION,
) -> dict[str, dict[str, Any]]:
    """The frames that pass the thresholds, as JSON-ready entries by lemma."""
    frames = {}
    for lemma in sorted(cues):
        support, precision = cues[lemma], cues[lemma] / uses[lemma]
        if support < min_support or precision < min_precision:
            continue
        pattern, count = patterns[lemma].most_common(1)[0]
        if not pattern or not pattern <= OBJECT_DEPS:
            continue
        frames[lemma] = {
            "deps": sorted(pattern),
            "precision": round(precision, 4),
            "support": support,
            "pattern_share": round(count / support, 4),
        }
    return frames


def fit_verb_frames(data_dir: Path, split: str = "train", *, workers: int = 2) -> dict[str, Any]:
    """The JSON document of ``verb_frames.json``, learned from the brat annotations of
    ``split`` in a PolNeAR-shaped folder (``text/*.txt`` and ``attributions/*.ann``)."""
    gold = load_split(data_dir, split)
    parsed = parse_texts(((doc.text, doc) for doc in gold), n_process=workers)
    uses, cues, patterns = count_frames((doc, parse) for parse, doc in parsed)
    return {
        "_about": (
            f"Verb frames learned from PolNeAR '{split}' on {date.today().isoformat()} by "
            "`quotegraph train verb-frames` (see extract/frames_fit.py): lemma -> dependents "
            "holding the content, share of subject-bearing uses annotated as cues "
            f"(precision >= {MIN_PRECISION}), annotated cues (support >= {MIN_SUPPORT})."
        ),
        "frames": select_frames(uses, cues, patterns),
    }
