"""The shared tokeniser and the BM25 index."""

from __future__ import annotations

import numpy as np
import pytest

from quotegraph.corpus.bm25 import BM25Index, normalize_text, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the “dike levy” is ‘unfair’", "the 'dike levy' is 'unfair'"),
        ('the "dike levy"', "the 'dike levy'"),
        ("Vellin — the chair", "Vellin - the chair"),
        ("read https://t.co/AbC123 now pic.twitter.com/xyz", "read now"),
        ("#SaveTheDikes now", "Save The Dikes now"),
        ("@MaraVellin_Board said", "Mara Vellin Board said"),
        ("  many\n\tspaces  ", "many spaces"),
    ],
)
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


def test_straight_and_curly_quotes_normalise_alike():
    assert normalize_text("a 'b' c") == normalize_text("a “b” c") == normalize_text('a "b" c')


def test_tokenize_drops_function_words_and_stems_plurals():
    assert tokenize("The dikes of Korsvik's villages were raised") == [
        "dike",
        "korsvik",
        "village",
        "raised",
    ]


def test_tokenize_keeps_numbers_whole():
    assert tokenize("some 3,500 homes and 2.5 metres, 12%") == [
        "3500",
        "home",
        "2.5",
        "metre",
        "12",
    ]


def test_tokenize_leaves_short_and_latin_endings_alone():
    assert tokenize("bus virus analysis glass cities") == [
        "bus",
        "virus",
        "analysis",
        "glass",
        "city",
    ]


def test_bm25_prefers_the_document_with_the_rarer_shared_term():
    docs = [tokenize(t) for t in ("flour tax bakers", "flour bread", "flour bakers guild", "dikes")]
    scores = BM25Index(docs).scores(tokenize("flour tax"))
    assert int(np.argmax(scores)) == 0
    assert scores[3] == 0.0


def test_bm25_length_normalisation_favours_the_shorter_document():
    docs = [tokenize("levy"), tokenize("levy dike river storm board chair village mayor")]
    scores = BM25Index(docs).scores(["levy"])
    assert scores[0] > scores[1] > 0


def test_bm25_counts_a_repeated_query_term_once():
    index = BM25Index([tokenize("levy dike"), tokenize("storm")])
    assert np.array_equal(index.scores(["levy", "levy"]), index.scores(["levy"]))


def test_bm25_of_unknown_terms_and_empty_index():
    assert not BM25Index([tokenize("levy")]).scores(["unheard"]).any()
    assert BM25Index([]).scores(["levy"]).shape == (0,)
    assert BM25Index([[]]).scores(["levy"]).tolist() == [0.0]


def test_term_idf_is_higher_for_rarer_terms():
    index = BM25Index([tokenize("flour tax"), tokenize("flour bread"), tokenize("flour")])
    assert index.term_idf("tax") > index.term_idf("flour") > 0
    assert index.term_idf("unseen") >= index.term_idf("tax")
