"""Property tests: the extractors on any text, the readers on any bytes.

For every text: no exception, every offset inside the text, each statement's ``content``
equal to its spans' text joined by a space, ``cue`` and ``speaker_mention`` equal to the text
at their spans, spans non-empty and in order. For every byte string given as a .txt, .jsonl,
.csv or .html file (plain or gzipped): Articles or Failures with a catalogue code, never an
exception, and nothing in an Article that the store would refuse (lone surrogates).

Example counts are bounded so the module stays in the suite's time budget; Hypothesis's
example database replays any failure it finds first on the next run.
"""

from __future__ import annotations

import gzip
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from quotegraph.errors import CATALOGUE
from quotegraph.extract import extract_statements, shown_content
from quotegraph.extract.figures import find_figures
from quotegraph.extract.quotes import find_colon_paragraphs, find_quotations
from quotegraph.ingest import article_id_for, iter_inputs
from quotegraph.nlp import parse
from quotegraph.types import SPEAKER_TYPES, STATEMENT_KINDS, Article, Failure, Statement

QUOTE_MARKS = "“”„«»\"'‘’‹›‟‚"
NLP_EXAMPLES = 150
TEXT_EXAMPLES = 1000
READER_EXAMPLES = 500

NLP_SETTINGS = settings(
    max_examples=NLP_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --------------------------------------------------------------------------- strategies

_PIECES = [
    *QUOTE_MARKS, "\n", "\n\n", "\r\n", " ", ":", ",", ".", "—", "―", "-", "(", ")",
    "said", "says", "told reporters", "according to", "added", "warned", "Jane Doe",
    "She", "he", "the ministry", "Lena Rask:", "Some 3,500", "12 percent", "$4.5 billion",
    "قال الوزير", "אמר השר", "\u200f", "\u202e", "🙂", "🇳🇴", "\u0301", "\x00", "\x0b", "\t",
    "GENEVA —", "By Jane Doe", "\ufeff", "\ufffd",
]  # fmt: skip
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(_PIECES), max_size=60).map("".join),
    st.text(alphabet=st.sampled_from([*QUOTE_MARKS, "a", "b", " ", "\n", ":", ","]), max_size=120),
)

_OPEN = ["“", "„", "«", "‹", '"', "'", "‘", "‟", "”", "»", ""]
_CLOSE = ["”", "“", "»", "«", "›", '"', "'", "’", ""]
_SPEAKERS = [
    "Jane Doe", "she", "He", "the ministry spokesman", "Lena Rask", "Dr. Amara Okonkwo",
    "two people familiar with the talks", "the Harbour Authority", "ابن سينا", "דוד כהן",
    "Seán O'Brien", "🙂 Bot", "JANE DOE", "the mayor of Korsvik, Mara Vellin,",
]  # fmt: skip
_CUES = [
    "said", "told reporters", "added", "warned", "said on Monday", "insisted", "wrote",
    "told reporters on Monday:", "says", "argued", "believes", "noted",
]  # fmt: skip
_CLAUSES = [
    "We will rebuild the port", "the talks had failed", "Some 3,500 peacekeepers remain",
    "prices rose 12 percent to $4.5 billion", "nothing is settled", "the crisis is behind us",
    "نحن مستعدون", "אנחנו מוכנים", "🙂🙂 fine", "", "it is, as she put it, \"done\"",
    "more than 40 homes were lost, and the dikes are too low",
]  # fmt: skip
_SEPARATORS = [" ", "\n", "\n\n", ": ", ", ", ". ", "\n\n\n", " — ", "\r\n", "\n\n  "]


@st.composite
def news_sentence(draw: st.DrawFn) -> str:
    opening, closing = draw(st.sampled_from(_OPEN)), draw(st.sampled_from(_CLOSE))
    clause, second = draw(st.sampled_from(_CLAUSES)), draw(st.sampled_from(_CLAUSES))
    who, cue = draw(st.sampled_from(_SPEAKERS)), draw(st.sampled_from(_CUES))
    shapes = [
        f"{opening}{clause},{closing} {who} {cue}.",
        f"{who} {cue} {opening}{clause}{closing}",
        f"{who} {cue} that {clause}.",
        f"{opening}{clause},{closing} {who} {cue}. {opening}{second}.{closing}",
        f"{clause}, according to {who}.",
        f"According to {who}, {clause}.",
        f"{who} {cue}\n\n{clause}.",
        f"{opening}{clause}{closing} ― {who}",
        f"{who}: {clause}",
        f"{opening}{clause}.\n\n{opening}{second},{closing} {who} {cue}.",
    ]
    return draw(st.sampled_from(shapes))


@st.composite
def news_article(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(news_sentence(), st.sampled_from(_SEPARATORS)), min_size=1,
                          max_size=8))  # fmt: skip
    title = draw(st.sampled_from(["", "Minister quits\n\n", "GENEVA (Wire) — ", "By Jane Doe\n"]))
    return title + "".join(sentence + separator for sentence, separator in parts)


# --------------------------------------------------------------------------- invariants


def check_statement(text: str, statement: Statement, *, allow_empty_pieces: bool) -> None:
    spans = statement.content_spans
    assert spans, statement
    previous_end = 0
    for start, end in spans:
        assert 0 <= start <= end <= len(text), statement
        # Known bug (see test_no_statement_has_an_empty_content_piece): an interrupted or
        # continued quotation may keep a piece whose words are only punctuation as an empty
        # span. Tolerated here only for that shape so that any other violation still fails.
        if not (allow_empty_pieces and len(spans) > 1 and start == end):
            assert start < end, statement
        assert start >= previous_end, statement  # in order, no overlap
        previous_end = end
    assert shown_content(text, spans, statement.cue_span) == statement.content
    assert statement.content.strip(), statement
    assert (statement.cue is None) == (statement.cue_span is None), statement
    if statement.cue_span is not None:
        start, end = statement.cue_span
        assert 0 <= start < end <= len(text), statement
        assert text[start:end] == statement.cue
    assert (statement.speaker_mention is None) == (statement.speaker_span is None), statement
    if statement.speaker_span is not None:
        start, end = statement.speaker_span
        assert 0 <= start < end <= len(text), statement
        assert text[start:end] == statement.speaker_mention
    assert statement.kind in STATEMENT_KINDS
    assert statement.speaker_type in SPEAKER_TYPES
    assert 0.0 <= statement.confidence <= 1.0
    assert statement.article_id == "a"


def check_extraction(text: str, *, allow_empty_pieces: bool = True) -> None:
    doc = parse(text)
    statements = extract_statements(doc, "a")
    for statement in statements:
        check_statement(text, statement, allow_empty_pieces=allow_empty_pieces)
    assert len({s.statement_id for s in statements}) == len(statements)
    for figure in find_figures(doc, "a"):
        start, end = figure.span
        assert 0 <= start < end <= len(text), figure
        assert text[start:end] == figure.text
        assert math.isfinite(figure.value), figure
        assert figure.article_id == "a"


def check_quotations(text: str) -> None:
    for quotation in [*find_quotations(text), *find_colon_paragraphs(text)]:
        assert quotation.outer
        assert len(quotation.outer) == len(quotation.inner)
        previous_end = 0
        for (start, end), (inner_start, inner_end) in zip(
            quotation.outer, quotation.inner, strict=True
        ):
            assert 0 <= start < end <= len(text), quotation
            assert start <= inner_start <= inner_end <= end, quotation
            assert start >= previous_end, quotation
            previous_end = end
        assert any(s < e for s, e in quotation.inner), quotation  # some words inside


# --------------------------------------------------------------------------- extractors


@settings(max_examples=TEXT_EXAMPLES, deadline=None)
@given(texts)
def test_find_quotations_on_any_text(text: str) -> None:
    check_quotations(text)


@settings(max_examples=TEXT_EXAMPLES, deadline=None)
@given(news_article())
def test_find_quotations_on_news_like_text(text: str) -> None:
    check_quotations(text)


@NLP_SETTINGS
@given(texts)
def test_extractors_on_any_text(text: str) -> None:
    check_extraction(text)


@NLP_SETTINGS
@given(news_article())
# Found by this test: the learned model took the line break after an unclosed opening mark
# as the content of "said".
@example("“We will rebuild the port,” Jane Doe said. " * 2 + "Jane Doe said ‟\r\n")
def test_extractors_on_news_like_text(text: str) -> None:
    check_extraction(text)


@pytest.mark.parametrize(
    "text",
    [
        "“We will rebuild the port, Jane Doe said.\n“,” Jane Doe said.",
        "said Jane Doe :“\n“'",
        "Minister quits\n\n«»‹›„“”‘’'\"\n\n“The last quotation is ordinary,” said Saga Norling.\n",
    ],
)
def test_no_statement_has_an_empty_content_piece(text: str) -> None:
    check_extraction(text, allow_empty_pieces=False)


def test_low_high_quotes_are_a_closed_quotation_of_their_own_speaker() -> None:
    text = (
        "Bridge talks\n\n“The bridge will open in May,” said Mara Vellin.\n\n"
        "„We rebuild the bridge“, said Jonas Ekwall.\n"
    )
    inner = [[text[s:e] for s, e in q.inner] for q in find_quotations(text)]
    assert ["We rebuild the bridge"] in inner
    speakers = {s.content: s.speaker for s in extract_statements(parse(text), "a")}
    assert speakers.get("The bridge will open in May") == "Mara Vellin"
    assert speakers.get("We rebuild the bridge") == "Jonas Ekwall"


# --------------------------------------------------------------------------- readers

_TEXT_CHARSETS = [
    "utf-8", "latin-1", "windows-1252", "shift_jis", "koi8-r", "utf-7", "gb2312", "big5",
    "iso-8859-5", "mac-roman", "x-unknown", "utf-16", "utf-32", "ascii", "cp037",
]  # fmt: skip
"""Labels a page may declare; text encodings only (non-text codec names are a known bug,
pinned in test_bad_inputs.py::test_html_declaring_a_non_text_codec_is_read_or_refused...)."""

_HEADS = st.one_of(
    st.sampled_from([
        b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"text,title\n", b"title;body\n",
        b'{"text": "', b'{"text": "a", "title": ', b"<html><body><p>", b"\x1f\x8b\x08",
        b"Title\n\nGENEVA \xe2\x80\x94 ",
    ]),
    st.sampled_from(_TEXT_CHARSETS).map(
        lambda charset: f'<html><head><meta charset="{charset}"><title>T</title></head>'
        "<body><article><p>".encode()
    ),
)  # fmt: skip
_BODIES = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
)
_SUFFIXES = ["txt", "jsonl", "csv", "html", "txt.gz", "jsonl.gz", "csv.gz", "html.gz"]


def _no_lone_surrogates(value: str | None) -> bool:
    # SQLite refuses them (UnicodeEncodeError -> E033 for the whole write), so no reader
    # may hand one on.
    return value is None or not any("\ud800" <= ch <= "\udfff" for ch in value)


@settings(
    max_examples=READER_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    head=_HEADS,
    body=_BODIES,
    suffix=st.sampled_from(_SUFFIXES),
    truncate=st.booleans(),
)
def test_readers_on_any_bytes(head: bytes, body: bytes, suffix: str, truncate: bool) -> None:
    data = head + body
    if suffix.endswith(".gz"):
        data = gzip.compress(data)
        if truncate:
            data = data[: len(data) // 2]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"input.{suffix}"
        path.write_bytes(data)
        results = list(iter_inputs([path]))
    assert results, "every input yields an Article or a Failure"
    for item in results:
        if isinstance(item, Failure):
            assert item.code in CATALOGUE, item
            assert item.message.startswith(f"{item.code}: "), item
            assert str(path) in item.source, item
            continue
        assert isinstance(item, Article)
        assert item.article_id == article_id_for(item.text)
        assert item.text.strip()
        fields = [item.text, item.title, item.outlet, item.author, item.url, item.published]
        # Metadata keys are left out: a JSON-escaped lone surrogate in a key is a known bug,
        # pinned in test_bad_inputs.py::test_a_lone_surrogate_in_a_jsonl_key_does_not_abort...
        fields += list(item.metadata.values())
        assert all(_no_lone_surrogates(value) for value in fields), item
        if item.dateline is not None:
            start, end = item.dateline.span
            assert 0 <= start < end <= len(item.text), item.dateline
