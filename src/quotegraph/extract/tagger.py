"""The attribution tagger: MiniLM fine-tuned to mark the cue, source and content of every
attribution as word-piece BIO tags, run as int8 ONNX.

The rules and the learned verb model read a parse; the tagger reads the words. It is
trained by ``quotegraph train tagger`` (``train/tagger.py``) on PolNeAR train and shipped in
``models/tagger/`` beside its card (``TAGGER.md``). Each of the three parts has its own tag
head (``O``/``B``/``I``), so a cue inside a content is still part of that content.

An article is cut into windows of whole paragraphs of at most ``max_length`` word pieces,
and each window is one call to the network: its int8 activations are quantised over the
whole call, so a window's tags never depend on the windows beside it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from spacy.tokens import Doc

from quotegraph.errors import QuotegraphError
from quotegraph.extract.acts import act_of
from quotegraph.extract.attribution import Candidate, QuoteIndex, classify, cue_verb_at
from quotegraph.extract.docs import Coverage, doc_text
from quotegraph.extract.lexicon import COGNITION_VERBS, INTENTION_VERBS, QUOTE_CUE_VERBS
from quotegraph.networks import load_session, load_tokenizer, threads_from
from quotegraph.types import Act, Span, StatementKind

MODEL_DIR = Path(__file__).parent / "models" / "tagger"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "config.json"
PARTS: tuple[str, ...] = ("cue", "source", "content")
TAGS: tuple[str, ...] = ("O", "B", "I")
MAX_LENGTH = 256
"""Word pieces per window, the two special pieces included."""
THREADS_VARIABLE = "QUOTEGRAPH_TAGGER_THREADS"
TAGGER_RULE = "tagger"
TAGGER_ADDS = False
"""Whether extraction adds the shipped tagger's statements by default. False: on the rules
of 2026-12-07 it gains +0.013 / +0.015 whole attribution on dev / unseen train, short of the
+0.02 asked (``models/tagger/TAGGER.md``)."""
SHIPPED = "shipped"
NONE = "none"
ON = "on"
SETTING_VARIABLE = "QUOTEGRAPH_TAGGER"
"""Overrides ``shipped`` for a whole run (``none``, ``on`` or a folder): how ``ingest``, the
batch engines and the benchmarks choose without a flag on every command."""


class SpanTagger(Protocol):
    """What extraction needs of a tagger: its spans of a text, and the probability from
    which a cue and its parts are kept."""

    threshold: float

    def tag(self, text: str) -> list[TaggedSpan]: ...


@dataclass(frozen=True)
class TaggedSpan:
    """A run of word pieces tagged as one part; ``probability`` is the mean, over its
    pieces, of the probability that the piece is inside the part (``B`` or ``I``)."""

    part: str
    span: Span
    probability: float


# --------------------------------------------------------------------------- windows


def windows(offsets: Sequence[Span], text: str, max_pieces: int) -> list[tuple[int, int]]:
    """``[start, end)`` ranges of piece indices, each at most ``max_pieces`` long, breaking
    at paragraph starts where one fits (a window of whole paragraphs reads like the text)
    and anywhere in a paragraph longer than a window."""
    breaks = paragraph_starts(offsets, text)
    out: list[tuple[int, int]] = []
    start = 0
    while start < len(offsets):
        limit = start + max_pieces
        if limit >= len(offsets):
            out.append((start, len(offsets)))
            break
        fitting = [b for b in breaks if start < b <= limit]
        end = fitting[-1] if fitting else limit
        out.append((start, end))
        start = end
    return out


def paragraph_starts(offsets: Sequence[Span], text: str) -> list[int]:
    """Indices of the pieces that open a paragraph (a line break before them)."""
    return [i for i in range(1, len(offsets)) if "\n" in text[offsets[i - 1][1] : offsets[i][0]]]


def piece_tags(
    offsets: Sequence[Span], spans_by_part: Mapping[str, Sequence[Span]]
) -> list[tuple[int, ...]]:
    """The gold tag index of each piece for each part (in ``PARTS`` order): a piece is
    inside a part when the part's spans cover at least half its characters; ``B`` opens
    each run. Spans of one part are merged first, so a run is a stretch of the union."""
    tags: list[list[int]] = [[0] * len(PARTS) for _ in offsets]
    for k, part in enumerate(PARTS):
        inside = _covered(offsets, _merged(spans_by_part.get(part, ())))
        for i, run in enumerate(inside):
            if run is None:
                continue
            opens = i == 0 or inside[i - 1] != run
            tags[i][k] = 1 if opens else 2
    return [tuple(row) for row in tags]


def _merged(spans: Sequence[Span]) -> list[Span]:
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(start, end) for start, end in out]


def _covered(offsets: Sequence[Span], spans: Sequence[Span]) -> list[int | None]:
    """For each piece, the index of the merged span covering half of it, else None."""
    out: list[int | None] = [None] * len(offsets)
    j = 0
    for i, (start, end) in enumerate(offsets):
        while j < len(spans) and spans[j][1] <= start:
            j += 1
        if j < len(spans) and end > start:
            shared = min(end, spans[j][1]) - max(start, spans[j][0])
            if 2 * shared >= end - start:
                out[i] = j
    return out


# --------------------------------------------------------------------------- decoding


def decode(offsets: Sequence[Span], probabilities: np.ndarray[Any, Any]) -> list[TaggedSpan]:
    """Runs of ``B``/``I`` pieces per part from ``probabilities`` (pieces x parts x tags),
    in text order. A run opens at a ``B`` or at an ``I`` after an ``O``."""
    found: list[TaggedSpan] = []
    best = probabilities.argmax(axis=-1)
    for k, part in enumerate(PARTS):
        run: list[int] = []
        for i in range(len(offsets) + 1):
            tag = int(best[i, k]) if i < len(offsets) else 0
            if run and tag != 2:
                found.append(_span(part, offsets, probabilities, run, k))
                run = []
            if tag != 0:
                run.append(i)
    return sorted(found, key=lambda s: (s.span, s.part))


# Runs of one part with only this much punctuation or space between them are one span cut
# by the word pieces ("Sun" "-" "Times", "haven" "'" "t", a "B" on the second word of a name).
_MAX_GAP = 3


def join_fragments(spans: Sequence[TaggedSpan], text: str) -> list[TaggedSpan]:
    """``spans`` with neighbouring runs of one part joined where no letter or digit, and at
    most three characters, stand between them; the probability is the length-weighted mean."""
    joined: list[TaggedSpan] = []
    for part in PARTS:
        for span in sorted((s for s in spans if s.part == part), key=lambda s: s.span):
            last = joined[-1] if joined and joined[-1].part == part else None
            gap = text[last.span[1] : span.span[0]] if last else ""
            if last and len(gap) <= _MAX_GAP and not any(ch.isalnum() for ch in gap):
                a, b = last.span[1] - last.span[0], span.span[1] - span.span[0]
                mean = (last.probability * a + span.probability * b) / max(a + b, 1)
                joined[-1] = TaggedSpan(part, (last.span[0], span.span[1]), mean)
            else:
                joined.append(span)
    return sorted(joined, key=lambda s: (s.span, s.part))


def _span(
    part: str,
    offsets: Sequence[Span],
    probabilities: np.ndarray[Any, Any],
    run: Sequence[int],
    k: int,
) -> TaggedSpan:
    inside = probabilities[run, k, 1:].sum(axis=-1)
    return TaggedSpan(part, (offsets[run[0]][0], offsets[run[-1]][1]), float(inside.mean()))


# --------------------------------------------------------------------------- the network


class AttributionTagger:
    """The shipped (or a given) tagger folder: ``model.onnx``, ``tokenizer.json`` and
    ``config.json`` (its window length and how it was made)."""

    def __init__(self, folder: Path = MODEL_DIR, *, threads: int | None = None) -> None:
        config_path = folder / CONFIG_FILE
        if not (folder / MODEL_FILE).is_file() or not config_path.is_file():
            raise QuotegraphError(
                "E088", source=str(folder), detail="no model.onnx and config.json there"
            )
        self.config: dict[str, Any] = json.loads(config_path.read_text(encoding="utf-8"))
        self.max_length = int(self.config.get("max_length", MAX_LENGTH))
        self.threshold = float(self.config.get("threshold", 0.5))
        self.tokenizer = load_tokenizer(folder / TOKENIZER_FILE, "E088")
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        count = threads if threads is not None else threads_from(THREADS_VARIABLE)
        self.session = load_session(folder / MODEL_FILE, count, "E088")
        self._cls = self.tokenizer.token_to_id("[CLS]")
        self._sep = self.tokenizer.token_to_id("[SEP]")

    def tag(self, text: str) -> list[TaggedSpan]:
        """Every tagged span of ``text``, offsets into ``text``."""
        encoding = self.tokenizer.encode(text, add_special_tokens=False)
        offsets: list[Span] = [(start, end) for start, end in encoding.offsets]
        ids = encoding.ids
        found: list[TaggedSpan] = []
        for start, end in windows(offsets, text, self.max_length - 2):
            probabilities = self.probabilities(ids[start:end])
            found += decode(offsets[start:end], probabilities)
        return join_fragments(found, text)

    def probabilities(self, piece_ids: Sequence[int]) -> np.ndarray[Any, Any]:
        """Tag probabilities (pieces x parts x tags) of one window of piece ids."""
        row = np.array([[self._cls, *piece_ids, self._sep]], dtype=np.int64)
        logits = self.session.run(None, {"input_ids": row, "attention_mask": np.ones_like(row)})[0][
            0, 1:-1
        ]
        shaped = logits.reshape(len(piece_ids), len(PARTS), len(TAGS))
        shaped = shaped - shaped.max(axis=-1, keepdims=True)
        exps = np.exp(shaped)
        return exps / exps.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


def tagger_for(setting: str) -> AttributionTagger | None:
    """The tagger a setting names, loaded once per process: ``shipped`` (the package's
    default: the shipped tagger when ``TAGGER_ADDS``, unless ``$QUOTEGRAPH_TAGGER`` names
    another setting), ``none``, ``on`` (the shipped tagger whatever the default) or a model
    folder (E088 when it holds no tagger)."""
    if setting == SHIPPED:
        setting = os.environ.get(SETTING_VARIABLE, "").strip() or SHIPPED
    return _loaded(setting)


@cache
def _loaded(setting: str) -> AttributionTagger | None:
    if setting == NONE or (setting == SHIPPED and not TAGGER_ADDS):
        return None
    if setting in {SHIPPED, ON}:
        return AttributionTagger(MODEL_DIR)
    return AttributionTagger(Path(setting))


# --------------------------------------------------------------------------- statements


def tagged_candidates(
    doc: Doc,
    index: QuoteIndex,
    found: Sequence[Candidate],
    spans: Sequence[TaggedSpan],
    threshold: float,
) -> list[Candidate]:
    """Statements made of the tagger's spans where the rules and the verb model found
    nothing: each cue of at least ``threshold`` takes the nearest source of its sentence and
    the contents of its sentence that lie nearer to it than to any other cue there. A cue
    without a source or content, or whose content a found statement already holds, gives
    none (as for the verb model, a statement with no speaker is mostly noise)."""
    text = doc_text(doc)
    claimed = Coverage(len(text))
    claimed.add(span for candidate in found for span in candidate.content)
    claimed.add(candidate.cue for candidate in found if candidate.cue)
    cues = [s for s in spans if s.part == "cue" and s.probability >= threshold]
    # The found statements' cues compete for the parts too: a content nearer to a rule's
    # cue belongs to that statement, not to the tagger's next cue.
    cues += [TaggedSpan("cue", c.cue, 1.0) for c in found if c.cue]
    new: list[Candidate] = []
    for sentence in doc.sents:
        bounds = (sentence.start_char, sentence.end_char)
        rivals = [c for c in cues if _inside(c.span, bounds)]
        here = [c for c in rivals if not claimed.overlaps([c.span])]
        if not here:
            continue
        parts = [
            s
            for s in (_source_in(span, bounds, text) for span in spans)
            if s is not None
            and s.part != "cue"
            and _meets(s.span, bounds)
            and not claimed.overlaps([s.span])
        ]
        for cue in here:
            candidate = _candidate(doc, index, cue, rivals, parts, threshold)
            if candidate is not None and not claimed.overlaps(candidate.content):
                new.append(candidate)
                claimed.add(candidate.content)
    return new


def _candidate(
    doc: Doc,
    index: QuoteIndex,
    cue: TaggedSpan,
    cues: Sequence[TaggedSpan],
    parts: Sequence[TaggedSpan],
    threshold: float,
) -> Candidate | None:
    mine = [
        s
        for s in parts
        if s.probability >= threshold
        and not _meets(s.span, cue.span)
        and min(cues, key=lambda c: _distance(c.span, s.span)) is cue
    ]
    contents = sorted(s.span for s in mine if s.part == "content")
    if not contents:
        return None
    sources = [s for s in mine if s.part == "source" and not _meets_any(s.span, contents)]
    chosen = (
        min(sources, key=lambda s: _distance(cue.span, s.span))
        if sources
        else _shared_source(cue, parts, contents, threshold)
    )
    if chosen is None:
        return None
    source = _token_range(doc, chosen.span)
    cue_tokens = _token_range(doc, cue.span)
    pieces = [r for r in (_token_range(doc, span) for span in contents) if r is not None]
    if source is None or cue_tokens is None or not pieces or not _names_someone(doc, source):
        return None
    verb = cue_verb_at(doc, cue.span)
    used = [cue, chosen, *(s for s in mine if s.part == "content")]
    probability = min(s.probability for s in used)
    cue_words = doc[cue_tokens[0] : cue_tokens[1]]
    candidate = classify(doc, index, pieces, cue_words, source, TAGGER_RULE, probability)
    if candidate is None:
        return None
    lemma = verb.lemma_.lower() if verb is not None else None
    act = tagged_act(candidate.kind, lemma)
    if act == "speech" and _too_short_to_say(doc_text(doc), candidate):
        act = "action"  # PolNeAR counts it; the speech listings must not show a fragment
    return replace(candidate, act=act)


def _shared_source(
    cue: TaggedSpan, parts: Sequence[TaggedSpan], contents: Sequence[Span], threshold: float
) -> TaggedSpan | None:
    """The source nearest before ``cue`` in its sentence, for a cue with contents but no
    source of its own: one subject often serves two cues ("Trump cited the policies, which
    he said ...", "He called it ... and also noted ..."), and lies nearer the other."""
    before = [
        s
        for s in parts
        if s.part == "source"
        and s.probability >= threshold
        and s.span[1] <= cue.span[0]
        and not _meets_any(s.span, contents)
    ]
    return max(before, key=lambda s: s.span[1]) if before else None


def _names_someone(doc: Doc, source: tuple[int, int]) -> bool:
    """Whether a tagged source holds a word that can name a speaker: a noun, a name or a
    pronoun, not a possessive ("Her") and not an article or adverb alone ("the",
    "famously"), which the network tags at the edge of a source it half sees."""
    return any(
        t.pos_ in {"NOUN", "PROPN", "PRON"} and t.tag_ != "PRP$" for t in doc[source[0] : source[1]]
    )


_QUOTE_MARKS = "\"“”‘’'«»"
_MAX_FRAGMENT_WORDS = 2


def _too_short_to_say(text: str, candidate: Candidate) -> bool:
    """Whether an unquoted content has at most two words ("those", "gender gap"): a
    fragment, not something said."""
    if candidate.kind == "direct":
        return False
    hull = text[candidate.content[0][0] : candidate.content[-1][1]]
    words = re.findall(r"[\w’'-]+", " ".join(text[a:b] for a, b in candidate.content))
    return len(words) <= _MAX_FRAGMENT_WORDS and not any(m in hull for m in _QUOTE_MARKS)


def tagged_act(kind: StatementKind, lemma: str | None) -> Act:
    """The act of a tagged statement: as the rules type it, and an action where the cue
    verb is in none of the lexicon's classes ("backed the bill")."""
    act = act_of(TAGGER_RULE, kind, lemma)
    known = QUOTE_CUE_VERBS | COGNITION_VERBS | INTENTION_VERBS
    if act == "speech" and kind == "indirect" and lemma is not None and lemma not in known:
        return "action"
    return act


def _source_in(span: TaggedSpan, bounds: Span, text: str) -> TaggedSpan | None:
    """A source span as far as it lies in one sentence and one line ("show insiders. They"
    names the insiders; "6\nZoe" is Zoe), and none when no letter is left ("26"). Contents
    pass unchanged: a quotation runs over sentences."""
    if span.part != "source":
        return span
    start, end = max(span.span[0], bounds[0]), min(span.span[1], bounds[1])
    if start >= end:
        return span  # outside this sentence: the caller drops it
    piece = text[start:end]
    if "\n" in piece.strip():
        lines = [(start + m, start + m + len(line)) for m, line in _lines(piece)]
        start, end = max(lines, key=lambda r: sum(ch.isalpha() for ch in text[r[0] : r[1]]))
    if not any(ch.isalpha() for ch in text[start:end]):
        return None
    return replace(span, span=(start, end))


def _lines(piece: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for line in piece.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def _inside(span: Span, bounds: Span) -> bool:
    return bounds[0] <= span[0] < bounds[1]


def _meets(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _meets_any(span: Span, others: Sequence[Span]) -> bool:
    return any(_meets(span, other) for other in others)


def _distance(a: Span, b: Span) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


def _token_range(doc: Doc, chars: Span) -> tuple[int, int] | None:
    """The tokens ``chars`` touches, spaces and edge punctuation left out."""
    words = [
        t.i
        for t in doc
        if t.idx < chars[1] and chars[0] < t.idx + len(t.text) and not t.is_space and not t.is_punct
    ]
    return (words[0], words[-1] + 1) if words else None
