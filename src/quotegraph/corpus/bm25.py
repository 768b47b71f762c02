"""Lexical matching: text normalisation, a shared tokeniser and a small Okapi BM25 index.

The tokeniser is deliberately simple and deterministic so that every pass that compares
texts by words (claim matching, grouping statements) agrees on what a word is:

* ``normalize_text`` folds typographic variants that carry no meaning (curly and straight
  quotes, dashes, runs of whitespace, Unicode compatibility forms) and drops URLs;
  hashtags and @handles become words (``#DefundTheBudget`` -> ``Defund The Budget``).
* ``tokenize`` lower-cases, splits on anything that is not a letter or digit, keeps numbers
  whole (``3,500`` -> ``3500``, ``2.5`` stays), drops a short stop list and strips a plural
  or possessive ``s`` so that ``dike`` and ``dikes`` meet.

BM25 follows Robertson & Zaragoza (2009) with the non-negative idf
``log(1 + (N - df + 0.5) / (df + 0.5))``; scores are computed for all documents at once
with numpy from an inverted index built once.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

_QUOTES = str.maketrans(
    {
        **dict.fromkeys('"“”„‟«»″`´‘’‚‛′', "'"),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        "\u00a0": " ",
    }
)
_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S+", re.IGNORECASE)
_TAG = re.compile(r"[#@]([A-Za-z0-9_]+)")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")

_STOPWORD_TEXT = """
a an the of to in on for and or but nor is are was were be been being am it its this that
these those with as at by from has have had having do does did not no he she they we you i
his her hers their theirs our ours your yours my me him them us who whom whose which what
when where why how all any can will would shall should could may might must just so than
then there here about into over after before up down out off again very also said says say
saying s t ll ve re d m if while because such only own same too other some each both few
more most
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
"""Function words that only add noise to word overlap."""


def normalize_text(text: str) -> str:
    """Text with URLs dropped, tags made words and typographic variants folded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _URL.sub(" ", text)
    text = _TAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1).replace("_", " ")) + " ", text)
    return _SPACE.sub(" ", text).strip()


def _stem(word: str) -> str:
    # Plural and possessive "s" only: anything heavier merges words that differ in meaning.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Content words of ``text`` (already normalised or not), lower-cased and stemmed."""
    tokens = []
    for match in _WORD.finditer(text.lower()):
        word = match.group()
        if word[0].isdigit():
            # "3,500" and "3500" are the same number; a decimal point stays meaningful.
            tokens.append(word.replace(",", ""))
        elif word not in STOPWORDS:
            tokens.append(_stem(word))
    return tokens


class BM25Index:
    """Okapi BM25 over a fixed list of tokenised documents; ``scores`` rates all of them."""

    def __init__(self, documents: Sequence[Sequence[str]], *, k1: float = 1.2, b: float = 0.75):
        self.size = len(documents)
        lengths = np.array([len(doc) for doc in documents], dtype=np.float64)
        average = float(lengths.mean()) if self.size and lengths.any() else 1.0
        # The length normalisation of each document, folded with k1 once.
        self._norm = k1 * (1.0 - b + b * lengths / average)
        self._k1 = k1
        self.idf: dict[str, float] = {}
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._build(documents)

    def _build(self, documents: Sequence[Sequence[str]]) -> None:
        rows: defaultdict[str, list[int]] = defaultdict(list)
        counts: defaultdict[str, list[int]] = defaultdict(list)
        for row, doc in enumerate(documents):
            for term, count in Counter(doc).items():
                rows[term].append(row)
                counts[term].append(count)
        for term, term_rows in rows.items():
            df = len(term_rows)
            self.idf[term] = math.log(1.0 + (self.size - df + 0.5) / (df + 0.5))
            self._postings[term] = (
                np.array(term_rows, dtype=np.int64),
                np.array(counts[term], dtype=np.float64),
            )

    def scores(self, query: Iterable[str]) -> np.ndarray:
        """BM25 score of every document for the query terms (each distinct term once)."""
        total = np.zeros(self.size, dtype=np.float64)
        for term in set(query):
            posting = self._postings.get(term)
            if posting is None:
                continue
            rows, tf = posting
            total[rows] += self.idf[term] * tf * (self._k1 + 1.0) / (tf + self._norm[rows])
        return total

    @property
    def max_idf(self) -> float:
        """The idf of a term found in one document: the most any term can weigh here."""
        return math.log(1.0 + (max(self.size, 1) - 0.5) / 1.5)

    def term_idf(self, term: str) -> float:
        """The idf of ``term``; an unseen term gets the idf of a term seen once."""
        known = self.idf.get(term)
        return self.max_idf if known is None else known
