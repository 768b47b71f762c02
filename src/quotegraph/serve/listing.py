"""Pages of records for the API and the web UI, built from ``Store``'s public methods.

Statement pages use keyset cursors (the last statement id), so walking every page visits
every matching statement exactly once even while new articles arrive. Other lists are short
and use offsets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Generic, TypedDict, TypeVar

from quotegraph.corpus.claims import claim_records
from quotegraph.serve import cursors
from quotegraph.store import Store
from quotegraph.types import (
    RELATION_KINDS,
    ClaimRecord,
    Relation,
    RelationRecord,
    Speaker,
    StatementRecord,
)

T = TypeVar("T")

StoryArticles = Callable[[str], Sequence[str] | None]
"""Story id -> its article ids in publication order, or None for an unknown story."""


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


class StoreFilters(TypedDict):
    """The keyword filters ``Store.statements`` applies itself."""

    q: str | None
    speaker: str | None
    outlet: str | None
    kind: str | None
    since: str | None
    until: str | None
    act: str | None


@dataclass(frozen=True)
class StatementFilters:
    """Statement filters as the API takes them; ``story`` and ``claim`` are served here."""

    q: str | None = None
    speaker: str | None = None
    outlet: str | None = None
    kind: str | None = None
    since: str | None = None
    until: str | None = None
    story: str | None = None
    claim: str | None = None
    act: str | None = "speech"
    """One act (``speech`` by default); None lists every act."""

    def for_store(self) -> StoreFilters:
        """The filters ``Store.statements`` takes itself (``None`` filters nothing)."""
        return StoreFilters(
            q=self.q,
            speaker=self.speaker,
            outlet=self.outlet,
            kind=self.kind,
            since=self.since,
            until=self.until,
            act=self.act,
        )


def statement_page(
    store: Store,
    filters: StatementFilters,
    *,
    limit: int,
    cursor: str | None,
    story_articles: StoryArticles,
) -> Page[StatementRecord]:
    """One page of statements in the store's order: (published, article, position), or
    storage order with ``q`` (see ``Store.statements``)."""
    after = cursors.statement_after(cursor) if cursor else None
    if filters.claim is not None:
        return _claim_statements(store, filters, limit, after)
    # One extra record tells whether another page follows.
    wanted = limit + 1
    if filters.story is None:
        records = list(store.statements(**filters.for_store(), limit=wanted, after=after))
    else:
        article_ids = story_articles(filters.story)
        records = (
            []
            if article_ids is None
            else _story_statements(store, article_ids, filters, wanted, after)
        )
    return _page(
        records, limit, lambda r: cursors.encode(cursors.STATEMENT, r.statement.statement_id)
    )


def _claim_statements(
    store: Store, filters: StatementFilters, limit: int, after: str | None
) -> Page[StatementRecord]:
    """A claim's statements (a claim holds a handful), filtered like any listing."""
    claim = next(store.claims(claim_id=filters.claim), None)
    if claim is None:
        return Page([], None)
    members = set(claim.statement_ids)
    article_ids = sorted(
        {r.statement.article_id for sid in members if (r := store.statement(sid)) is not None}
    )
    # The store applies the other filters; the claim keeps only its own statements.
    records = [
        r
        for article_id in article_ids
        for r in store.statements(**filters.for_store(), article_id=article_id)
        if r.statement.statement_id in members
    ]
    records.sort(key=lambda r: (r.published or "", r.statement.article_id))
    if after is not None:
        ids = [r.statement.statement_id for r in records]
        records = records[ids.index(after) + 1 :] if after in ids else []
    return _page(
        records[: limit + 1],
        limit,
        lambda r: cursors.encode(cursors.STATEMENT, r.statement.statement_id),
    )


def _story_statements(
    store: Store,
    article_ids: Sequence[str],
    filters: StatementFilters,
    wanted: int,
    after: str | None,
) -> list[StatementRecord]:
    # A story's articles come in the store's statement order already, so filling the page
    # article by article keeps that order.
    start = _cursor_position(store, article_ids, after)
    records: list[StatementRecord] = []
    for i, article_id in enumerate(article_ids[start or 0 :]):
        # Only the cursor's own article needs the keyset bound; later ones come wholly after.
        bound = after if start is None or i == 0 else None
        more = store.statements(
            **filters.for_store(), article_id=article_id, limit=wanted - len(records), after=bound
        )
        records.extend(more)
        if len(records) >= wanted:
            break
    return records


def _cursor_position(store: Store, article_ids: Sequence[str], after: str | None) -> int | None:
    """Index of the cursor statement's article in ``article_ids``; None when there is no
    cursor or it points outside the story (then the keyset bound applies to every article)."""
    if after is None:
        return None
    current = store.statement(after)
    if current is None or current.statement.article_id not in article_ids:
        return None
    return list(article_ids).index(current.statement.article_id)


def offset_page(
    records: Iterable[T], *, start: int, limit: int, presliced: bool = False
) -> Page[T]:
    """The page at offset ``start`` of ``records``, which begin at offset 0 (or at ``start``
    when ``presliced``, i.e. the store skipped them already)."""
    skip = 0 if presliced else start
    items = list(islice(records, skip, skip + limit + 1))
    return _page(items, limit, lambda _: cursors.encode(cursors.OFFSET, start + limit))


def start_of(cursor: str | None, offset: int = 0) -> int:
    """Where an offset-paged list starts: the cursor's offset, else ``offset``."""
    return cursors.offset(cursor) if cursor else offset


def _page(items: list[T], limit: int, cursor_for: Callable[[T], str]) -> Page[T]:
    if len(items) <= limit:
        return Page(items, None)
    kept = items[:limit]
    return Page(kept, cursor_for(kept[-1]))


MOST_HINTS = 8
"""Speakers or outlets offered above the search results, at most."""


@dataclass(frozen=True)
class SearchHints:
    """What the search page offers beside the statements that contain the words."""

    speakers: list[Speaker]
    """Speakers with a name or alias in which a word starts with the words searched."""
    outlets: list[tuple[str, int]]
    """Outlets (with their article counts) named like the words searched."""
    speaker_choices: list[Speaker]
    """The speakers the speaker filter stands for, when it names more than one."""
    total: int
    """Statements matching every filter, counted up to ``cap + 1``."""
    capped: bool


def search_hints(store: Store, filters: StatementFilters, *, cap: int = 1000) -> SearchHints:
    """Speakers and outlets the words may mean, which people an ambiguous speaker filter
    mixes, and how many statements match (up to ``cap``)."""
    words = (filters.q or "").strip()
    speakers = list(store.speakers(named=words, limit=MOST_HINTS)) if words else []
    outlets = store.outlets_named(words, limit=MOST_HINTS) if words else []
    choices = store.speakers_called(filters.speaker) if filters.speaker else []
    total = store.count_statements(cap=cap, **filters.for_store())
    return SearchHints(
        speakers=speakers,
        outlets=outlets,
        speaker_choices=choices if len(choices) > 1 else [],
        total=min(total, cap),
        capped=total > cap,
    )


# --- disputes: claims and relations ----------------------------------------------------------


@dataclass(frozen=True)
class DisputeFilters:
    """The filters of the claim and relation listings, named and read as the statement
    listing's: ``speaker`` an id or any name or alias, ``outlet`` case-insensitive,
    ``story`` a story id; ``relation`` is ``agrees`` or ``contradicts``."""

    speaker: str | None = None
    story: str | None = None
    outlet: str | None = None
    relation: str | None = None
    statement_id: str | None = None
    """Relations only: the pairs this statement is part of."""
    article_id: str | None = None
    """Relations only: the pairs with a statement in this article."""
    claim_id: str | None = None
    """Relations only: the pairs inside this claim."""


def relation_list(
    store: Store, filters: DisputeFilters, *, limit: int | None, offset: int = 0
) -> list[RelationRecord]:
    """Agreements and contradictions between two different speakers, strongest first, each
    with both statements."""
    found = store.relations_between_speakers(
        relation=filters.relation,
        story_id=filters.story,
        statement_id=filters.statement_id,
        article_id=filters.article_id,
        claim_id=filters.claim_id,
        speaker=filters.speaker,
        outlet=filters.outlet,
        limit=limit,
        offset=offset,
    )
    return [
        RelationRecord(r, a, b)
        for r in found
        if (a := store.statement(r.statement_a)) is not None
        and (b := store.statement(r.statement_b)) is not None
    ]


def claim_list(
    store: Store, filters: DisputeFilters, *, limit: int, offset: int = 0
) -> list[ClaimRecord]:
    """Claims with two sides first, each with its statements and their sides."""
    found = store.claims_disputed_first(
        story_id=filters.story,
        relation=filters.relation,
        speaker=filters.speaker,
        outlet=filters.outlet,
        limit=limit,
        offset=offset,
    )
    return [rec for claim in found for rec in claim_records(store, claim_id=claim.claim_id)]


@dataclass(frozen=True)
class Counterpart:
    """One relation seen from one of its statements: ``own`` is on the page, ``other``
    agrees with or contradicts it."""

    relation: Relation
    own: StatementRecord
    other: StatementRecord


def counterparts(
    records: Iterable[RelationRecord], is_own: Callable[[StatementRecord], bool]
) -> dict[str, list[Counterpart]]:
    """Relations by kind (``agrees``, ``contradicts``), each turned towards the statement
    ``is_own`` picks (the first one when both are)."""
    grouped: dict[str, list[Counterpart]] = {kind: [] for kind in RELATION_KINDS}
    for rec in records:
        own, other = (rec.a, rec.b) if is_own(rec.a) else (rec.b, rec.a)
        grouped[rec.relation.relation].append(Counterpart(rec.relation, own, other))
    return grouped


@dataclass(frozen=True)
class ClaimSides:
    """A claim laid out for reading: who says it, who says otherwise, where and when."""

    record: ClaimRecord
    supporting: list[StatementRecord]
    """Statements on the side of the label (+1)."""
    opposing: list[StatementRecord]
    """Statements against it (-1)."""
    unplaced: list[StatementRecord]
    """Members whose side could not be read off the relations."""
    outlets: list[str]

    @property
    def disputed(self) -> bool:
        """Two sides held by two different speakers, as the store counts "two sides": one
        speaker on both sides (a reversal) alone is not a dispute."""
        return any(
            _speaker_key(s) != _speaker_key(o) for s in self.supporting for o in self.opposing
        )


def _speaker_key(record: StatementRecord) -> str:
    return record.speaker_id or record.statement.speaker or record.statement.statement_id


def claim_sides(record: ClaimRecord) -> ClaimSides:
    by_side: dict[int, list[StatementRecord]] = {1: [], -1: [], 0: []}
    for member in record.statements:
        side = record.sides.get(member.statement.statement_id, 0)
        by_side.get(side, by_side[0]).append(member)
    outlets = sorted({m.outlet for m in record.statements if m.outlet}, key=str.casefold)
    return ClaimSides(record, by_side[1], by_side[-1], by_side[0], outlets)
