"""Cached views of a parsed ``Doc`` that spaCy recomputes on every access.

``Doc.text`` joins every token and ``Token.sent`` re-scans the whole document's sentence
annotation, so calling either per candidate made extraction quadratic in article length.
Both are computed once per doc and kept in ``doc.user_data``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

_TEXT_KEY = "quotegraph_text"
_SENTENCES_KEY = "quotegraph_sentences"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def sentence_of(token: Token) -> Span:
    """The sentence holding ``token`` (``token.sent``, with boundaries computed once)."""
    doc = token.doc
    index = doc.user_data.get(_SENTENCES_KEY)
    if index is None:
        sentences = list(doc.sents)
        owner = [0] * len(doc)
        for number, sentence in enumerate(sentences):
            owner[sentence.start : sentence.end] = [number] * len(sentence)
        index = doc.user_data[_SENTENCES_KEY] = (sentences, owner)
    sentences, owner = index
    return sentences[owner[token.i]]


_ENTS_KEY = "quotegraph_ents"


def doc_ents(doc: Doc) -> tuple[tuple[Span, ...], list[int]]:
    """``doc.ents`` and their start tokens, built once (``Doc.ents`` rebuilds every span)."""
    cached = doc.user_data.get(_ENTS_KEY)
    if cached is None:
        ents = tuple(doc.ents)
        cached = doc.user_data[_ENTS_KEY] = (ents, [e.start for e in ents])
    return cached


def forget_ents(doc: Doc) -> None:
    """Call after changing ``doc.ents``."""
    doc.user_data.pop(_ENTS_KEY, None)


def ents_within(doc: Doc, start: int, end: int) -> tuple[Span, ...]:
    """Entities wholly inside tokens ``[start, end)`` (``Span.ents`` scans the whole doc)."""
    ents, starts = doc_ents(doc)
    first = bisect_left(starts, start)
    last = bisect_left(starts, end)
    return tuple(e for e in ents[first:last] if e.end <= end)


def body_before_comma(pronoun: Token) -> tuple[int, int] | None:
    """The token range of an organisation's name that ends just before the comma that
    precedes ``pronoun`` ("the Illinois Board of Elections, which ...")."""
    doc = pronoun.doc
    if pronoun.i < 2 or doc[pronoun.i - 1].text != ",":
        return None
    last = pronoun.i - 2
    ents = ents_within(doc, max(0, last - 12), last + 1)
    ent = next((e for e in ents if e.end == last + 1), None)
    # Not a name the tagger cut from a title ("author of 2016 and Beyond, which ...").
    if ent is None or ent.label_ != "ORG" or ent.root.dep_ == "conj":
        return None
    return ent.start, ent.end


class Coverage:
    """Which characters are already claimed by a statement: overlap checks in O(span length)
    instead of comparing every pair of candidates."""

    def __init__(self, length: int):
        self._marks = bytearray(length + 1)

    def add(self, spans: Iterable[tuple[int, int]]) -> None:
        for start, end in spans:
            self._marks[start:end] = b"\x01" * (end - start)

    def overlaps(self, spans: Iterable[tuple[int, int]]) -> bool:
        return any(self._marks.find(1, start, end) != -1 for start, end in spans if start < end)
