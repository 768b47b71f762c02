"""Figures with what they count: "some 3,500 UN peacekeepers in the region".

Numbers come from the NER labels CARDINAL, MONEY, PERCENT and QUANTITY. The counted noun is
the token the number modifies in the parse (``nummod``), or for money and percentages the
noun after "in"/"of". Qualifiers ("some", "nearly", "more than") are kept apart from the value.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from quotegraph.extract.docs import doc_text
from quotegraph.extract.lexicon import FIGURE_QUALIFIERS
from quotegraph.types import Figure

_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})
_SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "dozen": 12,
    "hundred": 100,
}
_WORD_NUMBERS = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a": 1,
    "an": 1,
    "half": 0.5,
}
_CURRENCIES = {
    "$": "dollars",
    "€": "euros",
    "£": "pounds",
    "¥": "yen",
    "usd": "dollars",
    "eur": "euros",
    "gbp": "pounds",
    "dollar": "dollars",
    "euro": "euros",
    "pound": "pounds",
    "dollars": "dollars",
    "euros": "euros",
    "pounds": "pounds",
}
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_COUNT_DEPS = frozenset({"compound", "amod", "nmod", "poss"})


def find_figures(doc: Doc, article_id: str) -> Iterator[Figure]:
    """Every figure in ``doc`` that counts something."""
    for ent in doc.ents:
        if ent.label_ not in _LABELS:
            continue
        figure = _figure(doc, ent, article_id)
        if figure is not None:
            yield figure


def _figure(doc: Doc, ent: Span, article_id: str) -> Figure | None:
    if _picks_one_out(doc, ent):
        return None
    qualifier, start = _qualifier(doc, ent)
    skip = set(qualifier.split()) if qualifier else set()
    value = parse_value([t.text for t in ent if t.lower_ not in skip])
    if value is None:
        return None
    unit, counted = _unit_and_counted(doc, ent)
    if unit is None and ent.label_ == "CARDINAL":
        return None
    end_token = counted[1] if counted else _rate_end(doc, ent.end)
    span = (doc[start].idx, _end_char(doc, max(end_token, ent.end)))
    counts = _text(doc, counted[0], counted[1]) if counted else None
    figure_id = hashlib.sha256(f"{article_id}:{span}".encode()).hexdigest()[:16]
    return Figure(
        figure_id,
        article_id,
        value,
        doc_text(doc)[span[0] : span[1]],
        span,
        qualifier,
        unit,
        counts,
    )


def _qualifier(doc: Doc, ent: Span) -> tuple[str | None, int]:
    """A qualifier at the entity's start or right before it, and where the figure starts."""
    for phrase in FIGURE_QUALIFIERS:
        words = phrase.split()
        size = len(words)
        inside = [t.lower_ for t in doc[ent.start : ent.start + size]]
        if inside == words and ent.start + size < ent.end:
            return phrase, ent.start
        before = [t.lower_ for t in doc[max(ent.start - size, 0) : ent.start]]
        if ent.start >= size and before == words:
            return phrase, ent.start - size
    return None, ent.start


def parse_value(words: list[str]) -> float | None:
    """The number in words like ``["€2.4", "billion"]``, ``["3,500"]`` or ``["three"]``."""
    value: float | None = None
    for word in words:
        lower = word.lower().strip("€$£¥%")
        match = _NUMBER.search(word)
        if match and value is None:
            value = float(match.group().replace(",", ""))
        elif lower in _WORD_NUMBERS and value is None:
            value = float(_WORD_NUMBERS[lower])
        elif (
            lower in _WORD_NUMBERS
            and value is not None
            and value >= 20
            and _WORD_NUMBERS[lower] < 10
        ):
            value += _WORD_NUMBERS[lower]
        elif lower in _SCALES and value is not None:
            value *= _SCALES[lower]
        elif lower in _SCALES and value is None and lower in {"dozen", "hundred"}:
            value = _SCALES[lower]
    return value


def _picks_one_out(doc: Doc, ent: Span) -> bool:
    """ "In one such email", "one of the ships": "one" points at a member of something
    counted elsewhere and counts nothing itself (it would clash with "72 emails")."""
    following = doc[ent.end].lower_ if ent.end < len(doc) else ""
    return ent.text.lower() == "one" and following in {"such", "of"}


_RATE_NOUNS = frozenset({"day", "week", "month", "year", "hour", "head", "person", "ship"})


def _rate_end(doc: Doc, end: int) -> int:
    """Extend "€45 million" over "a day" / "per year"."""
    if (
        end + 1 < len(doc)
        and doc[end].lower_ in {"a", "an", "per"}
        and (doc[end + 1].lemma_.lower() in _RATE_NOUNS)
    ):
        return end + 2
    return end


def _unit_and_counted(doc: Doc, ent: Span) -> tuple[str | None, tuple[int, int] | None]:
    if ent.label_ in {"MONEY", "PERCENT"}:
        unit = _currency(ent) if ent.label_ == "MONEY" else "percent"
        modified = _modified_noun(ent)
        if modified is not None:
            return unit, _noun_phrase(doc, modified, ent)
        preps = {"in", "for", "of"} if ent.label_ == "MONEY" else {"of"}
        return unit, _prepositional(doc, ent, preps)
    noun = _counted_noun(ent)
    if noun is None:
        return None, None
    return noun.text.lower() if noun.pos_ != "PROPN" else noun.text, _noun_phrase(doc, noun, ent)


def _modified_noun(ent: Span) -> Token | None:
    """ "a 7 percent pay rise": the figure modifies the noun after it."""
    root = ent.root
    head = root.head
    if (
        root.dep_ in {"compound", "amod", "nummod", "npadvmod"}
        and head.i >= ent.end
        and (head.pos_ == "NOUN")
    ):
        return head
    return None


def _currency(ent: Span) -> str | None:
    for token in ent:
        lower = token.lower_
        for symbol, name in _CURRENCIES.items():
            if lower == symbol or (len(symbol) == 1 and lower.startswith(symbol)):
                return name
    return "money"


def _counted_noun(ent: Span) -> Token | None:
    for token in sorted(ent, key=lambda t: t.dep_ != "nummod"):
        head = token.head
        if (
            token.dep_ in {"nummod", "quantmod", "amod"}
            and head.pos_ in {"NOUN", "PROPN"}
            and (head.i >= ent.end)
        ):
            return head
    for token in ent:
        if token.pos_ == "NOUN" and not token.like_num and token.lower_ not in _SCALES:
            return token
    return None


def _noun_phrase(doc: Doc, noun: Token, ent: Span) -> tuple[int, int]:
    """The counted noun with its modifiers and first prepositional phrase."""
    start = noun.i
    for child in noun.lefts:
        if child.dep_ in _COUNT_DEPS and child.i >= ent.end:
            start = min(start, child.left_edge.i)
    end = noun.i + 1
    for child in noun.rights:
        if child.dep_ == "cc" and child.i == end:
            end += 1
        elif child.dep_ == "conj" and child.i == end and child.pos_ == "NOUN":
            end = child.i + 1  # "troops and police"
        elif child.dep_ == "prep" and child.i == end:
            end = child.right_edge.i + 1
            break
    return start, end


def _prepositional(doc: Doc, ent: Span, preps: set[str]) -> tuple[int, int] | None:
    after = ent.end
    if after < len(doc) and doc[after].lower_ in preps:
        objects = [c for c in doc[after].children if c.dep_ == "pobj"]
        if objects:
            return objects[0].left_edge.i, objects[0].i + 1
    return None


def _end_char(doc: Doc, end_token: int) -> int:
    last = doc[end_token - 1]
    return last.idx + len(last.text)


def _text(doc: Doc, start: int, end: int) -> str:
    return doc_text(doc)[doc[start].idx : _end_char(doc, end)]
