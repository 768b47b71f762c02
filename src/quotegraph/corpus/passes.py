"""The corpus passes, run after every ingest: speakers → copies → stories → stance and claims.

Each pass keeps a watermark (the highest ``articles.id`` it has consumed) in the store, so
a later run only feeds it what is new: new speakers are linked to known ones, new articles
are compared with what was published around them for copies (reprints), join stories (or
start them; a copy joins its original's), and only the stories that received new articles have their
statement pairs compared and their claims regrouped. Stories are small, so the stance pass
stays linear in the number of new articles.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import numpy as np

from quotegraph.corpus.claims import group_claims
from quotegraph.corpus.pair_model import PairScorer
from quotegraph.corpus.relations import PairStats, relations_between
from quotegraph.store import Store
from quotegraph.types import CorpusReport, Figure, Relation, StatementRecord

T = TypeVar("T")
STANCE_PASS = "stance"
EMBEDDER = "wordllama"
"""The corpus passes use the static wordllama vectors: a core dependency, ~10k sentences/s,
and the same on every install, so the stored relations do not depend on optional extras."""


def run_corpus_passes(store: Store, *, pair_scorer: PairScorer | None = None) -> CorpusReport:
    """Bring speakers, stories, relations and claims up to date with the stored articles.

    ``pair_scorer`` is the learned pair model the stance pass reads pairs with; by default
    the shipped one (``default_pair_scorer``)."""
    seconds: dict[str, float] = {}
    merged = _timed(seconds, "speakers", lambda: _link_speakers(store))
    copies = _timed(seconds, "copies", lambda: _link_copies(store))
    placed, created = _timed(seconds, "stories", lambda: _place_articles(store))
    stats = PairStats()
    grouped, claims, relations = _timed(
        seconds, "stance", lambda: update_stance(store, pair_scorer, stats=stats)
    )
    return CorpusReport(
        speakers_merged=merged,
        copies_linked=copies,
        articles_placed=placed,
        stories_created=created,
        statements_grouped=grouped,
        claims_created=claims,
        relations_found=relations,
        pairs_compared=stats.compared,
        pairs_scored=stats.scored,
        seconds=seconds,
    )


def _timed(seconds: dict[str, float], name: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = work()
    seconds[name] = round(time.perf_counter() - started, 3)
    return result


def _link_speakers(store: Store) -> int:
    from quotegraph.corpus.speakers import link_speakers

    return link_speakers(store)


def _link_copies(store: Store) -> int:
    from quotegraph.corpus.copies import link_copies

    return link_copies(store)


def _place_articles(store: Store) -> tuple[int, int]:
    from quotegraph.corpus.stories import place_articles

    return place_articles(store)


def default_pair_scorer() -> PairScorer | None:
    """The shipped pair model where it has earned deciding (``judge.MODEL_DECIDES``) and the
    package carries it; otherwise None, and the rules decide."""
    from quotegraph.corpus.judge import MODEL_DECIDES
    from quotegraph.corpus.pair_model import load_pair_model, shipped_model_available

    return load_pair_model() if MODEL_DECIDES and shipped_model_available() else None


def update_stance(
    store: Store, scorer: PairScorer | None = None, *, stats: PairStats | None = None
) -> tuple[int, int, int]:
    """Compare the new statements of every story that grew; regroup its claims.

    A story that took another one in (``Store.merged_story_ids``) has all its statements
    compared again: its two halves were only ever compared among themselves. Copies are left
    out (``Store.story_member_ids``): a reprint's statements are its original's words again,
    never an agreement with them. ``scorer``: the pair model (default: the shipped one).

    Returns (statements in claims, claims, relations found) over the stories touched; a
    relation found again in a merged story is not counted twice.
    """
    watermark = store.pass_watermark(STANCE_PASS)
    last = store.last_article_key()
    merged = set(store.merged_story_ids())
    if last <= watermark and not merged:
        return 0, 0, 0
    new_ids = store.statement_ids_after(watermark)
    scorer = scorer if scorer is not None else default_pair_scorer()
    grown = {s for s in store.stories_with_new_articles(watermark) if s is not None}
    grouped = claims = found = 0
    for story_id in sorted(grown | merged):
        records, figures = _story_statements(store, story_id)
        vectors = _vectors(store, records)
        whole = {r.statement.statement_id for r in records} if story_id in merged else None
        fresh = relations_between(
            records,
            vectors=vectors,
            figures=figures,
            new_ids=new_ids if whole is None else whole,
            story_id=story_id,
            scorer=scorer,
            stats=stats,
        )
        stored = store.story_relations(story_id)
        every = _merge(stored, fresh)
        story_claims = group_claims(records, every, story_id)
        store.save_story_analysis(story_id, fresh, story_claims)
        grouped += sum(len(c.statement_ids) for c in story_claims)
        claims += len(story_claims)
        known = {(r.statement_a, r.statement_b) for r in stored}
        found += sum((r.statement_a, r.statement_b) not in known for r in fresh)
    store.clear_merged_stories(merged)
    store.set_pass_watermark(STANCE_PASS, max(last, watermark))
    return grouped, claims, found


def _story_statements(
    store: Store, story_id: str
) -> tuple[list[StatementRecord], dict[str, list[Figure]]]:
    records: list[StatementRecord] = []
    figures: dict[str, list[Figure]] = {}
    for article_id in store.story_member_ids(story_id):
        article_records = list(store.statements(article_id=article_id))
        records += article_records
        article_figures = [f.figure for f in store.figures(article_id=article_id)]
        for record in article_records:
            inside = [f for f in article_figures if _within(f, record)]
            if inside:
                figures[record.statement.statement_id] = inside
    return records, figures


def _within(figure: Figure, record: StatementRecord) -> bool:
    start, end = figure.span
    return any(s <= start and end <= e for s, e in record.statement.content_spans)


def _vectors(store: Store, records: Sequence[StatementRecord]) -> dict[str, np.ndarray]:
    """Stored vectors, computing and storing the missing ones."""
    ids = [r.statement.statement_id for r in records]
    known = store.statement_vectors(ids, EMBEDDER)
    missing = [r for r in records if r.statement.statement_id not in known]
    if missing:
        from quotegraph.corpus.embed import load_embedder

        embedder = load_embedder(EMBEDDER)
        matrix = embedder.embed([r.statement.content for r in missing])
        computed = {r.statement.statement_id: matrix[i] for i, r in enumerate(missing)}
        store.write_statement_vectors(EMBEDDER, computed.items())
        known.update(computed)
    return known


def _merge(stored: Iterable[Relation], fresh: Iterable[Relation]) -> list[Relation]:
    by_pair = {(r.statement_a, r.statement_b): r for r in stored}
    by_pair.update({(r.statement_a, r.statement_b): r for r in fresh})
    return list(by_pair.values())
