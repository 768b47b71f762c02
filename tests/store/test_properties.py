"""Property tests: whatever the records hold, the store gives back equal records."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotegraph.store import Store
from quotegraph.types import (
    SPEAKER_TYPES,
    STATEMENT_KINDS,
    Article,
    Dateline,
    Extraction,
    Figure,
    Span,
    Statement,
)

# st.text() never yields lone surrogates, which no UTF-8 store can hold.
optional_text = st.none() | st.text(max_size=40)


def spans(text: str) -> st.SearchStrategy[Span]:
    bound = len(text)
    return (
        st.tuples(st.integers(0, bound), st.integers(0, bound))
        .map(sorted)
        .map(lambda p: (p[0], p[1]))
    )


@st.composite
def articles(draw: st.DrawFn, article_id: str) -> Article:
    text = draw(st.text(max_size=300))
    dateline = draw(
        st.none()
        | st.builds(Dateline, st.text(max_size=30), spans(text), optional_text, optional_text)
    )
    return Article(
        article_id=article_id,
        text=text,
        title=draw(optional_text),
        source_file=draw(optional_text),
        url=draw(optional_text),
        outlet=draw(optional_text),
        published=draw(optional_text),
        author=draw(optional_text),
        dateline=dateline,
        input_format=draw(st.sampled_from(("txt", "html", "jsonl", "csv"))),
        metadata=draw(st.dictionaries(st.text(max_size=15), st.text(max_size=30), max_size=4)),
    )


@st.composite
def statements(draw: st.DrawFn, art: Article, seq: int) -> Statement:
    content_spans = tuple(draw(st.lists(spans(art.text), min_size=1, max_size=3)))
    content = " ".join(art.text[s:e] for s, e in content_spans)
    return Statement(
        statement_id=f"{art.article_id}#s{seq}",
        article_id=art.article_id,
        kind=draw(st.sampled_from(STATEMENT_KINDS)),
        content=content,
        content_spans=content_spans,
        cue=draw(optional_text),
        cue_span=draw(st.none() | spans(art.text)),
        speaker_mention=draw(optional_text),
        speaker_span=draw(st.none() | spans(art.text)),
        speaker=draw(st.none() | st.sampled_from(["Jane Doe", "jane doe", "She"]) | st.text()),
        speaker_type=draw(st.sampled_from(SPEAKER_TYPES)),
        speaker_role=draw(optional_text),
        confidence=draw(st.floats(0, 1)),
        rule=draw(st.text(max_size=20)),
    )


@st.composite
def figures(draw: st.DrawFn, art: Article, seq: int) -> Figure:
    span = draw(spans(art.text))
    return Figure(
        figure_id=f"{art.article_id}#f{seq}",
        article_id=art.article_id,
        value=draw(st.floats(allow_nan=False)),
        text=art.text[span[0] : span[1]],
        span=span,
        qualifier=draw(optional_text),
        unit=draw(optional_text),
        counts=draw(optional_text),
    )


@st.composite
def extractions(draw: st.DrawFn, article_id: str) -> Extraction:
    art = draw(articles(article_id))
    n_statements = draw(st.integers(0, 4))
    n_figures = draw(st.integers(0, 2))
    return Extraction(
        art,
        tuple(draw(statements(art, i)) for i in range(n_statements)),
        tuple(draw(figures(art, i)) for i in range(n_figures)),
    )


@st.composite
def batches(draw: st.DrawFn) -> list[Extraction]:
    ids = draw(st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=3, unique=True))
    return [draw(extractions(article_id)) for article_id in ids]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches())
def test_extractions_round_trip(batch: list[Extraction]) -> None:
    with Store.open(":memory:") as store:
        run_id = store.begin_run("property")
        added = store.write_extractions(run_id, batch)
        assert added == (
            len(batch),
            sum(len(e.statements) for e in batch),
            sum(len(e.figures) for e in batch),
        )
        for ex in batch:
            art_id = ex.article.article_id
            assert store.article(art_id) == ex.article
            stored = tuple(r.statement for r in store.statements(article_id=art_id))
            assert stored == ex.statements
            for st_ in ex.statements:
                rec = store.statement(st_.statement_id)
                assert rec is not None
                assert rec.statement == st_
            assert tuple(f.figure for f in store.figures(article_id=art_id)) == ex.figures
        assert store.write_extractions(run_id, batch) == (0, 0, 0)
        assert len(list(store.statements())) == sum(len(e.statements) for e in batch)
