"""Cached views of a parsed ``Doc`` that spaCy recomputes on every access.

``Doc.text`` joins every token and ``Token.sent`` re-scans the whole document's sentence
annotation, so calling either per candidate made extraction quadratic in article length.
Both are computed once per doc and kept in ``doc.user_data``.
"""

from __future__ import annotations

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
