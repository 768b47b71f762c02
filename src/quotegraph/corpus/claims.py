"""Claims: statements that make the same assertion, across speakers and articles.

Within a story, the stance pass (``corpus/relations.py``) links statement pairs that agree
or contradict; the evidence behind a link is lexical (shared topic words after synonym
folding), entity-based (the same counted thing in figures, shared names ruled out as the
only evidence) and embedding-based (cosine of sentence vectors). A claim is one connected
group of linked statements: everything said for or against one assertion. Each member gets
its side (``+1`` with the claim's label, ``-1`` against it), read off the signs of the links
from the label statement, so a claim answers "who says so, and who says otherwise".
"""

from __future__ import annotations

import hashlib
from collections import defaultdict, deque
from collections.abc import Iterator, Mapping, Sequence

from quotegraph.store import Store
from quotegraph.types import Claim, ClaimRecord, Relation, RelationRecord, StatementRecord


def group_claims(
    records: Sequence[StatementRecord], relations: Sequence[Relation], story_id: str | None
) -> list[Claim]:
    """Connected groups of related statements in one story, largest first."""
    by_id = {r.statement.statement_id: r for r in records}
    neighbours: dict[str, list[str]] = defaultdict(list)
    for relation in relations:
        if relation.statement_a in by_id and relation.statement_b in by_id:
            neighbours[relation.statement_a].append(relation.statement_b)
            neighbours[relation.statement_b].append(relation.statement_a)
    seen: set[str] = set()
    claims = []
    for start in sorted(neighbours):
        if start in seen:
            continue
        members = _component(start, neighbours)
        seen |= members
        claims.append(_claim(sorted(members), by_id, neighbours, story_id))
    claims.sort(key=lambda c: (-len(c.statement_ids), c.first_published or "", c.claim_id))
    return claims


def claim_sides(claim: Claim, relations: Sequence[Relation]) -> dict[str, int]:
    """+1 for the statements on the side of the claim's label statement, -1 against."""
    members = set(claim.statement_ids)
    edges: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for r in relations:
        if r.statement_a in members and r.statement_b in members:
            sign = 1 if r.relation == "agrees" else -1
            edges[r.statement_a].append((r.statement_b, sign))
            edges[r.statement_b].append((r.statement_a, sign))
    root = claim.label_statement or min(claim.statement_ids)
    sides = {root: 1}
    queue = deque([root])
    while queue:
        current = queue.popleft()
        for other, sign in edges[current]:
            if other not in sides:
                sides[other] = sides[current] * sign
                queue.append(other)
    return sides


def _component(start: str, neighbours: Mapping[str, list[str]]) -> set[str]:
    members = {start}
    queue = deque([start])
    while queue:
        for other in neighbours[queue.popleft()]:
            if other not in members:
                members.add(other)
                queue.append(other)
    return members


def _claim(
    members: list[str],
    by_id: Mapping[str, StatementRecord],
    neighbours: Mapping[str, list[str]],
    story_id: str | None,
) -> Claim:
    # The most connected statement states the claim; ties go to the earliest.
    central = min(members, key=lambda sid: (-len(neighbours[sid]), by_id[sid].published or "", sid))
    dates = sorted(d for sid in members if (d := by_id[sid].published))
    return Claim(
        claim_id="cl_" + hashlib.sha256(" ".join(members).encode()).hexdigest()[:12],
        label=by_id[central].statement.content,
        statement_ids=tuple(members),
        label_statement=central,
        story_id=story_id,
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
    )


# --- reading claims and relations back with their statements ---------------------------------


def relation_records(
    store: Store,
    *,
    relation: str | None = None,
    story_id: str | None = None,
    statement_id: str | None = None,
    limit: int | None = None,
) -> Iterator[RelationRecord]:
    """Stored relations joined with both statements, strongest first."""
    for found in store.relations(
        relation=relation, story_id=story_id, statement_id=statement_id, limit=limit
    ):
        a, b = store.statement(found.statement_a), store.statement(found.statement_b)
        if a is not None and b is not None:
            yield RelationRecord(found, a, b)


def claim_records(
    store: Store,
    *,
    story_id: str | None = None,
    claim_id: str | None = None,
    limit: int | None = None,
) -> Iterator[ClaimRecord]:
    """Stored claims with their statements in publication order and each one's side."""
    for claim in store.claims(story_id=story_id, claim_id=claim_id, limit=limit):
        members = [s for sid in claim.statement_ids if (s := store.statement(sid))]
        members.sort(key=lambda r: (r.published or "", r.statement.article_id))
        relations = store.story_relations(claim.story_id) if claim.story_id else []
        yield ClaimRecord(claim, tuple(members), claim_sides(claim, relations))
