"""Read queries for the front ends' disputes: agreements and contradictions filtered by who
said them, where and in which story; claims with two sides first; how many of each.

A pair whose two statements carry the same speaker id is never a dispute (a speaker
repeating himself is no agreement), so every query here leaves such pairs out, except a
reversal (``relations.reversal``: one speaker contradicting himself on another day), which
listings and counts show as such but which never makes a claim two-sided. Speakers
without an id (unresolved mentions) never compare equal in SQL, so their pairs stay.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from quotegraph.store.claims import _RELATION_SELECT, CLAIM_SELECT, _relation, claim_from_row
from quotegraph.types import Claim, DisputeCounts, Relation

_SAME_SPEAKER = """EXISTS (
    SELECT 1 FROM statements AS sa JOIN statements AS sb ON sb.speaker_id = sa.speaker_id
    WHERE sa.statement_id = relations.statement_a AND sb.statement_id = relations.statement_b)"""

_BETWEEN_SPEAKERS = f"NOT {_SAME_SPEAKER}"
# What listings and counts show: pairs of two speakers, and one speaker's reversal (his
# contradiction of himself on another day, labelled so), never a repetition.
_SHOWN = f"(relations.reversal = 1 OR {_BETWEEN_SPEAKERS})"

# The claims with a contradiction between two speakers inside them: claims with two sides.
_DISPUTED_CLAIMS = f"""SELECT claim_id FROM relations
    WHERE relation = 'contradicts' AND claim_id IS NOT NULL AND {_BETWEEN_SPEAKERS}"""


@dataclass(frozen=True)
class DisputeFilter:
    """What a listing of relations or claims is narrowed to; None filters nothing.

    ``speaker_ids`` are the ids a ``speaker`` filter stands for (an empty tuple matches
    nothing); a pair or claim matches when one of its statements meets every one of these
    given: by one of those speakers, published by ``outlet`` (case-insensitive) and, for
    pairs, in ``article_id`` (``tests/store/test_disputes.py`` holds them to one statement).
    """

    relation: str | None = None
    story_id: str | None = None
    statement_id: str | None = None
    article_id: str | None = None
    speaker_ids: tuple[str, ...] | None = None
    outlet: str | None = None
    claim_id: str | None = None


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


def _statement_set(f: DisputeFilter) -> tuple[list[str], list[object]]:
    """Conditions on single statements (alias ``s``) that a filter asks of any member."""
    clauses: list[str] = []
    params: list[object] = []
    if f.speaker_ids is not None:
        clauses.append(f"s.speaker_id IN ({_marks(f.speaker_ids) or 'NULL'})")
        params += f.speaker_ids
    if f.outlet is not None:
        clauses.append("s.outlet = ? COLLATE NOCASE")
        params.append(f.outlet)
    if f.article_id is not None:
        clauses.append("s.article_id = ?")
        params.append(f.article_id)
    return clauses, params


def relations_between_speakers(
    conn: sqlite3.Connection, f: DisputeFilter, *, limit: int | None, offset: int
) -> Iterator[Relation]:
    """Pairs of two speakers' statements, strongest first; each condition on one statement
    (speaker, outlet, article) holds for the same statement of the pair."""
    clauses: list[str] = []
    params: list[object] = []
    if f.relation is not None:
        clauses.append("relation = ?")
        params.append(f.relation)
    if f.story_id is not None:
        clauses.append("story_id = ?")
        params.append(f.story_id)
    if f.claim_id is not None:
        clauses.append("claim_id = ?")
        params.append(f.claim_id)
    if f.statement_id is not None:
        clauses.append("(statement_a = ? OR statement_b = ?)")
        params += [f.statement_id, f.statement_id]
    member, member_params = _statement_set(f)
    if member:
        # The pairs of the statements found, through the key (statement_a first) and the
        # index on statement_b, instead of a pass over every relation.
        found = f"SELECT s.statement_id FROM statements AS s WHERE {' AND '.join(member)}"
        clauses.append(
            f"rowid IN (SELECT rowid FROM relations WHERE statement_a IN ({found}) "
            f"UNION ALL SELECT rowid FROM relations WHERE statement_b IN ({found}))"
        )
        params += member_params + member_params
    # Last: the check of both speakers costs two lookups, so the cheaper terms go first.
    clauses.append(_SHOWN)
    sql = (
        f"{_RELATION_SELECT} WHERE {' AND '.join(clauses)} "
        "ORDER BY score DESC, statement_a, statement_b LIMIT ? OFFSET ?"
    )
    params += [-1 if limit is None else limit, offset]
    return (_relation(row) for row in conn.execute(sql, params))


def claims_disputed_first(
    conn: sqlite3.Connection, f: DisputeFilter, *, limit: int | None, offset: int
) -> Iterator[Claim]:
    """Claims, those with two sides first, then the most widely made."""
    clauses: list[str] = []
    params: list[object] = []
    if f.story_id is not None:
        clauses.append("c.story_id = ?")
        params.append(f.story_id)
    if f.claim_id is not None:
        clauses.append("c.claim_id = ?")
        params.append(f.claim_id)
    if f.relation is not None:
        clauses.append(
            f"c.claim_id IN (SELECT claim_id FROM relations WHERE relation = ? "
            f"AND claim_id IS NOT NULL AND {_BETWEEN_SPEAKERS})"
        )
        params.append(f.relation)
    member, member_params = _statement_set(f)
    if member:
        clauses.append(
            "c.claim_id IN (SELECT cs.claim_id FROM claim_statements AS cs "
            "JOIN statements AS s ON s.statement_id = cs.statement_id "
            f"WHERE {' AND '.join(member)})"
        )
        params += member_params
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = (
        f"{CLAIM_SELECT} FROM claims AS c{where} "
        f"ORDER BY c.claim_id IN ({_DISPUTED_CLAIMS}) DESC, c.statement_count DESC, "
        "c.first_published, c.claim_id LIMIT ? OFFSET ?"
    )
    params += [-1 if limit is None else limit, offset]
    yield from map(claim_from_row, conn.execute(sql, params))


def dispute_counts(conn: sqlite3.Connection, story_id: str | None) -> DisputeCounts:
    """Contradictions and agreements between two speakers, claims, and claims with two
    sides, in one story or in the whole store."""
    in_story = " AND story_id = ?" if story_id is not None else ""
    story_params = [story_id] if story_id is not None else []
    pairs = dict(
        conn.execute(
            f"SELECT relation, count(*) FROM relations WHERE {_SHOWN}{in_story} GROUP BY relation",
            story_params,
        ).fetchall()
    )
    claims, disputed = conn.execute(
        f"SELECT count(*), coalesce(sum(claim_id IN ({_DISPUTED_CLAIMS})), 0) FROM claims "
        f"WHERE 1{in_story}",
        story_params,
    ).fetchone()
    return DisputeCounts(
        contradictions=int(pairs.get("contradicts", 0)),
        agreements=int(pairs.get("agrees", 0)),
        claims=int(claims),
        disputed_claims=int(disputed),
    )


def stories_with_relations(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(story id, title) of the stories that hold any relation, oldest first."""
    rows = conn.execute(
        """SELECT st.story_id, st.title FROM stories AS st
           WHERE st.story_id IN (SELECT story_id FROM relations WHERE story_id IS NOT NULL)
           ORDER BY st.first_published IS NULL, st.first_published, st.story_id"""
    )
    return [(str(r[0]), str(r[1])) for r in rows]
