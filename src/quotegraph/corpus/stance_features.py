"""Features for the stance model: how an article body stands towards a claim (headline).

Everything here is numpy and the standard library, so inference never needs scikit-learn.
A pair becomes one vector made of

* the TF-IDF vector of the claim over the claim vocabulary (words and word pairs),
* the TF-IDF vector of the body over the body vocabulary,
* a block of dense "agreement" features: TF-IDF and word-embedding cosines between claim and
  body (whole body, its lead, its sentences closest to the claim), word and word-pair overlap,
  and counts of refuting, hedging and supporting words, in the body and in the sentences that
  talk about the claim (the ones closest to it), where stance is usually expressed.

Vocabularies and IDF weights are fitted by ``train/stance.py`` and shipped with the model.
Word embeddings are wordllama's static 256-dimensional vectors (mean of token vectors).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain, pairwise
from typing import Any

import numpy as np

from quotegraph.corpus.embed import load_wordllama

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOP_WORDS = _word_set(
    """a an the and or but if of to in on at by for with from as into onto about over
    after before than then so such this that these those it its it's is are was were be been
    being am do does did has have had i you he she we they me him her us them my your his our
    their there here what which who whom whose when where why how also just very s said says
    says' would will shall"""
)
"""Function words dropped before counting terms; negations and modals are kept on purpose."""

REFUTE_WORDS = _word_set(
    """fake fakes faked fraud hoax hoaxes false falsely deny denies denied denying denial
    debunk debunks debunked debunking refute refutes refuted rebut rebuts rebutted not no
    never nothing neither nor isn't wasn't aren't weren't doesn't didn't don't won't can't
    cannot couldn't untrue bogus myth rumor rumors rumour rumours prank pranks satire
    satirical retract retracts retracted retraction dismiss dismisses dismissed despite
    nonsense wrong doubt doubts doubtful dubious misleading incorrect baseless unfounded
    fabricated fabrication lie lies lied lying spoof parody photoshopped staged contrary
    however disputes disputed reject rejects rejected"""
)
HEDGE_WORDS = _word_set(
    """reportedly allegedly alleged purportedly apparently claim claims claimed claiming
    rumored rumoured unconfirmed unverified may might could possibly possible perhaps
    report reports reported according suggests suggest speculation speculated seems
    appears appear believed thought if whether"""
)
SUPPORT_WORDS = _word_set(
    """confirm confirms confirmed confirming confirmation true truth indeed announced
    announces official officially verified proved proven proof evidence admitted admits
    acknowledged acknowledges revealed reveals shows showed"""
)

LEXICONS: tuple[frozenset[str], ...] = (REFUTE_WORDS, HEDGE_WORDS, SUPPORT_WORDS)
EMBED_DIM = 256
_CHUNK_TEXTS = 64
CLOSEST_SENTENCES = 3
LEAD_TOKENS = 120
DENSE_NAMES: tuple[str, ...] = (
    "tfidf_cos",
    "tfidf_cos_lead",
    "tfidf_cos_best_sentence",
    "emb_cos",
    "emb_cos_lead",
    "emb_cos_best_sentence",
    "emb_cos_top_sentences",
    "word_overlap",
    "word_jaccard",
    "bigram_overlap",
    "lead_word_overlap",
    "body_log_tokens",
    "claim_tokens",
    "claim_question",
    *(f"claim_{name}" for name in ("refute", "hedge", "support")),
    *(f"body_{name}_rate" for name in ("refute", "hedge", "support")),
    *(f"near_{name}" for name in ("refute", "hedge", "support")),
    *(f"lead_{name}" for name in ("refute", "hedge", "support")),
)
"""Names of the dense feature block, in order (the model card and tests read them)."""


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits, an apostrophe suffix kept)."""
    return _TOKEN.findall(text.lower().translate(_APOSTROPHES))


def terms(words: Sequence[str]) -> list[str]:
    """Content words and adjacent content-word pairs ("giant crab"), the TF-IDF terms."""
    content = [w for w in words if w not in STOP_WORDS]
    return content + [f"{a} {b}" for a, b in pairwise(content)]


def sentences(text: str) -> list[str]:
    """Sentences by end punctuation and line breaks; good enough to locate the claim."""
    return [piece.strip() for piece in _SENTENCE_END.split(text) if piece.strip()]


SparseRow = tuple[np.ndarray, np.ndarray]
"""A sparse vector as (column indices, values)."""


@dataclass(frozen=True)
class Vocabulary:
    """Terms → column, with smoothed IDF weights: TF-IDF is ``(1 + log tf) * idf``, L2-normed."""

    index: Mapping[str, int]
    idf: np.ndarray

    def __len__(self) -> int:
        return len(self.index)

    def sparse(self, text_terms: Sequence[str]) -> SparseRow:
        """The L2-normed TF-IDF vector as (columns, values); unknown terms are dropped."""
        found = [(self.index[t], n) for t, n in Counter(text_terms).items() if t in self.index]
        columns = np.array([c for c, _ in found], dtype=np.int32)
        values = np.array([1.0 + math.log(n) for _, n in found], dtype=np.float32)
        values *= self.idf[columns]
        norm = float(np.linalg.norm(values))
        return columns, (values / norm if norm > 0 else values)

    def vector(self, text_terms: Sequence[str]) -> np.ndarray:
        row = np.zeros(len(self.index), dtype=np.float32)
        columns, values = self.sparse(text_terms)
        row[columns] = values
        return row

    def ordered_terms(self) -> list[str]:
        return sorted(self.index, key=self.index.__getitem__)

    @classmethod
    def from_terms(cls, ordered_terms: Sequence[str], idf: np.ndarray) -> Vocabulary:
        return cls({term: i for i, term in enumerate(ordered_terms)}, idf.astype(np.float32))


def fit_vocabulary(documents: Sequence[Sequence[str]], size: int, min_df: int) -> Vocabulary:
    """The ``size`` most frequent terms (by document frequency, ties by term) and their IDF."""
    df: Counter[str] = Counter()
    for doc_terms in documents:
        df.update(set(doc_terms))
    kept = sorted((t for t, n in df.items() if n >= min_df), key=lambda t: (-df[t], t))[:size]
    n_docs = len(documents)
    idf = np.array([math.log((1 + n_docs) / (1 + df[t])) + 1.0 for t in kept], dtype=np.float32)
    return Vocabulary.from_terms(kept, idf)


# --------------------------------------------------------------------------- embeddings


@cache
def _embedding_table() -> tuple[Any, np.ndarray]:
    """wordllama's tokenizer (no padding) and its token-vector table, loaded once, offline."""
    from tokenizers import Tokenizer

    model = load_wordllama(EMBED_DIM)
    # Our own copy without padding: sentences are pooled one by one, and padding a batch to
    # its longest member would cost more than the pooling itself.
    tokenizer = Tokenizer.from_str(model.tokenizer.to_str())
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer, model.embedding


def token_sums(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per text, the sum of its wordllama token vectors and its number of tokens."""
    sums = np.zeros((len(texts), EMBED_DIM), dtype=np.float32)
    counts = np.zeros(len(texts), dtype=np.float32)
    if not texts:
        return sums, counts
    tokenizer, table = _embedding_table()
    encoded = tokenizer.encode_batch(list(texts), add_special_tokens=False)
    pieces = [e.ids for e in encoded]
    counts[:] = [len(piece) for piece in pieces]
    # Chunks of texts keep the gathered token vectors small enough to stay in cache.
    for first in range(0, len(texts), _CHUNK_TEXTS):
        chunk = slice(first, first + _CHUNK_TEXTS)
        ids = np.array(list(chain.from_iterable(pieces[chunk])), dtype=np.int64)
        if not len(ids):
            continue
        np.clip(ids, 0, len(table) - 1, out=ids)
        lengths = counts[chunk]
        starts = np.concatenate([[0], np.cumsum(lengths[:-1], dtype=np.int64)])
        filled = lengths > 0
        # reduceat over the starts of non-empty texts sums exactly each text's own tokens.
        sums[chunk][filled] = np.add.reduceat(table[ids], starts[filled], axis=0)
    return sums, counts


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length; all-zero rows stay zero."""
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    unit: np.ndarray = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return unit


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length mean token vectors (wordllama), one row per text."""
    sums, _ = token_sums(texts)
    return unit_rows(sums)


# --------------------------------------------------------------------------- per text


@dataclass(frozen=True)
class ClaimView:
    """What the features need from a claim (headline); computed once per distinct claim."""

    words: frozenset[str]
    bigrams: frozenset[str]
    n_tokens: int
    question: bool
    lexicon_counts: tuple[int, ...]
    tfidf_claim: SparseRow
    tfidf_body_space: np.ndarray
    embedding: np.ndarray


@dataclass(frozen=True)
class BodyView:
    """What the features need from a body; computed once per distinct body."""

    words: frozenset[str]
    bigrams: frozenset[str]
    lead_words: frozenset[str]
    n_tokens: int
    lexicon_rates: tuple[float, ...]
    lead_lexicon: tuple[int, ...]
    tfidf: SparseRow
    tfidf_lead: SparseRow
    sentence_tfidf: SparseRow
    """All sentences' TF-IDF entries; ``sentence_of`` says which sentence each belongs to."""
    sentence_of: np.ndarray
    sentence_lexicon: np.ndarray
    embedding: np.ndarray
    lead_embedding: np.ndarray
    sentence_embeddings: np.ndarray


def _content_bigrams(words: Sequence[str]) -> frozenset[str]:
    return frozenset(t for t in terms(words) if " " in t)


def _lexicon_counts(words: Sequence[str]) -> tuple[int, ...]:
    return tuple(sum(1 for w in words if w in lexicon) for lexicon in LEXICONS)


def claim_views(
    claims: Sequence[str], claim_vocab: Vocabulary, body_vocab: Vocabulary
) -> list[ClaimView]:
    vectors = embed(claims)
    views = []
    for claim, vector in zip(claims, vectors, strict=True):
        words = tokens(claim)
        claim_terms = terms(words)
        views.append(
            ClaimView(
                words=frozenset(w for w in words if w not in STOP_WORDS),
                bigrams=_content_bigrams(words),
                n_tokens=len(words),
                question="?" in claim,
                lexicon_counts=_lexicon_counts(words),
                tfidf_claim=claim_vocab.sparse(claim_terms),
                tfidf_body_space=body_vocab.vector(claim_terms),
                embedding=vector,
            )
        )
    return views


def body_views(bodies: Sequence[str], body_vocab: Vocabulary) -> list[BodyView]:
    split = [sentences(body) or [""] for body in bodies]
    sums, counts = token_sums([part for parts in split for part in parts])
    views, start = [], 0
    for body, parts in zip(bodies, split, strict=True):
        stop = start + len(parts)
        views.append(_body_view(body, parts, body_vocab, sums[start:stop], counts[start:stop]))
        start = stop
    return views


def _lead_vector(sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Pooled vector of the first sentences, up to about ``LEAD_TOKENS`` tokens."""
    taken = int(np.searchsorted(np.cumsum(counts), LEAD_TOKENS)) + 1
    return unit_rows(sums[:taken].sum(axis=0))


def _body_view(
    body: str, parts: Sequence[str], body_vocab: Vocabulary, sums: np.ndarray, counts: np.ndarray
) -> BodyView:
    words = tokens(body)
    lead = words[:LEAD_TOKENS]
    sentence_words = [tokens(part) for part in parts]
    rows = [body_vocab.sparse(terms(w)) for w in sentence_words]
    per_100 = 100.0 / max(len(words), 1)
    return BodyView(
        words=frozenset(w for w in words if w not in STOP_WORDS),
        bigrams=_content_bigrams(words),
        lead_words=frozenset(w for w in lead if w not in STOP_WORDS),
        n_tokens=len(words),
        lexicon_rates=tuple(c * per_100 for c in _lexicon_counts(words)),
        lead_lexicon=_lexicon_counts(lead),
        tfidf=body_vocab.sparse(terms(words)),
        tfidf_lead=body_vocab.sparse(terms(lead)),
        sentence_tfidf=(np.concatenate([r[0] for r in rows]), np.concatenate([r[1] for r in rows])),
        sentence_of=np.repeat(np.arange(len(rows)), [len(r[0]) for r in rows]),
        sentence_lexicon=np.array([_lexicon_counts(w) for w in sentence_words], np.float32),
        embedding=unit_rows(sums.sum(axis=0)),
        lead_embedding=_lead_vector(sums, counts),
        sentence_embeddings=unit_rows(sums),
    )


# --------------------------------------------------------------------------- per pair


def _dot(dense: np.ndarray, row: SparseRow) -> float:
    return float(dense[row[0]] @ row[1])


def _share(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def dense_features(claim: ClaimView, body: BodyView) -> np.ndarray:
    """The agreement block for one pair, in the order of ``DENSE_NAMES``."""
    claim_vector = claim.tfidf_body_space
    columns, values = body.sentence_tfidf
    tfidf_by_sentence = np.bincount(
        body.sentence_of,
        weights=claim_vector[columns] * values,
        minlength=len(body.sentence_embeddings),
    )
    emb_by_sentence = body.sentence_embeddings @ claim.embedding
    # The sentences closest to the claim (by embedding and TF-IDF together) carry the stance.
    closeness = tfidf_by_sentence + emb_by_sentence
    nearest = np.argsort(-closeness, kind="stable")[:CLOSEST_SENTENCES]
    union = claim.words | body.words
    row = [
        _dot(claim_vector, body.tfidf),
        _dot(claim_vector, body.tfidf_lead),
        float(tfidf_by_sentence.max()),
        float(claim.embedding @ body.embedding),
        float(claim.embedding @ body.lead_embedding),
        float(emb_by_sentence.max()),
        float(emb_by_sentence[nearest].mean()),
        _share(claim.words, body.words),
        len(claim.words & body.words) / len(union) if union else 0.0,
        _share(claim.bigrams, body.bigrams),
        _share(claim.words, body.lead_words),
        math.log1p(body.n_tokens) / 8.0,
        claim.n_tokens / 20.0,
        float(claim.question),
        *(float(min(c, 3)) for c in claim.lexicon_counts),
        *(min(rate, 5.0) for rate in body.lexicon_rates),
        *(float(min(c, 5)) for c in body.sentence_lexicon[nearest].sum(axis=0)),
        *(float(min(c, 5)) for c in body.lead_lexicon),
    ]
    return np.asarray(row, dtype=np.float32)


def dense_block(
    claims: Sequence[ClaimView], bodies: Sequence[BodyView], pairs: Sequence[tuple[int, int]]
) -> np.ndarray:
    """The dense block of each (claim index, body index) pair, one row per pair."""
    block = np.zeros((len(pairs), len(DENSE_NAMES)), dtype=np.float32)
    for row, (c, b) in enumerate(pairs):
        block[row] = dense_features(claims[c], bodies[b])
    return block
