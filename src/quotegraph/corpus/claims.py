"""Claims: statements grouped by the proposition they assert or deny.

Within a story, the stance pass (``corpus/relations.py``) links statement pairs that agree
or contradict, most of them decided by the learned pair model. A claim is one connected group
of linked statements: everything said for or against one proposition. Each member gets its
side (``+1`` asserts the proposition, ``-1`` denies it). Sides are read off the links
strongest first (a union-find that keeps each member's parity with its group's root): a
weak link that would put a statement on both sides is outvoted by the stronger ones. The
label is the proposition in a few words: the shortest clear sentence on the ``+1`` side that
the other members talk about, trimmed. Contradictions are read off the sides: two members on
opposite sides contradict (``opposed_pairs``).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

from quotegraph.corpus.relation_lexicon import STOP
from quotegraph.store import Store
from quotegraph.types import Claim, ClaimRecord, Relation, RelationRecord, StatementRecord

LABEL_CHARS = 140
"""A label longer than this is cut at a word boundary, with "…"."""
LABEL_MIN_WORDS = 4
"""A sentence shorter than this ("It is not.") does not state a proposition on its own."""


def group_claims(
    records: Sequence[StatementRecord], relations: Sequence[Relation], story_id: str | None
) -> list[Claim]:
    """Connected groups of related statements in one story, largest first."""
    by_id = {r.statement.statement_id: r for r in records}
    linked = [r for r in relations if r.statement_a in by_id and r.statement_b in by_id]
    sides = _sides(linked)
    neighbours: dict[str, list[str]] = defaultdict(list)
    for relation in linked:
        neighbours[relation.statement_a].append(relation.statement_b)
        neighbours[relation.statement_b].append(relation.statement_a)
    groups: dict[str, list[str]] = defaultdict(list)
    for sid, (root, _) in sides.items():
        groups[root].append(sid)
    claims = [
        _claim(sorted(members), by_id, neighbours, sides, story_id) for members in groups.values()
    ]
    claims.sort(key=lambda c: (-len(c.statement_ids), c.first_published or "", c.claim_id))
    return claims


def claim_sides(claim: Claim, relations: Sequence[Relation]) -> dict[str, int]:
    """+1 for the statements that assert the claim's proposition (the label statement's
    side), -1 for those that deny it."""
    members = set(claim.statement_ids)
    inside = [r for r in relations if r.statement_a in members and r.statement_b in members]
    parity = _sides(inside)
    root = claim.label_statement or min(claim.statement_ids)
    if root not in parity:
        return {root: 1}
    reference = parity[root][1]
    return {sid: 1 if sign == reference else -1 for sid, (_, sign) in parity.items()}


def opposed_pairs(record: ClaimRecord) -> list[tuple[str, str]]:
    """The contradictions a claim holds: pairs of its members on opposite sides, never one
    speaker's statements on the same day twice over (sorted ids, each pair once)."""
    by_id = {r.statement.statement_id: r for r in record.statements}
    pro = sorted(sid for sid, side in record.sides.items() if side > 0 and sid in by_id)
    con = sorted(sid for sid, side in record.sides.items() if side < 0 and sid in by_id)
    pairs = []
    for a in pro:
        for b in con:
            if not _repetition(by_id[a], by_id[b]):
                pairs.append((min(a, b), max(a, b)))
    return sorted(pairs)


def _repetition(a: StatementRecord, b: StatementRecord) -> bool:
    same_speaker = a.speaker_id is not None and a.speaker_id == b.speaker_id
    return same_speaker and (a.published or "")[:10] == (b.published or "")[:10]


def _sides(relations: Sequence[Relation]) -> dict[str, tuple[str, int]]:
    """Each linked statement -> (its group's root, its parity relative to the root), taking
    links strongest first and skipping those that contradict what is already settled."""
    parent: dict[str, tuple[str, int]] = {}

    def find(sid: str) -> tuple[str, int]:
        root, sign = sid, 1
        while parent[root][0] != root:
            sign *= parent[root][1]
            root = parent[root][0]
        return root, sign

    ordered = sorted(relations, key=lambda r: (-r.score, r.statement_a, r.statement_b))
    for relation in ordered:
        for sid in (relation.statement_a, relation.statement_b):
            parent.setdefault(sid, (sid, 1))
        link = 1 if relation.relation == "agrees" else -1
        (root_a, sign_a), (root_b, sign_b) = find(relation.statement_a), find(relation.statement_b)
        if root_a != root_b:
            # b's root joins a's root so that sign(b) = sign(a) * link.
            parent[max(root_a, root_b)] = (min(root_a, root_b), sign_a * sign_b * link)
    return {sid: find(sid) for sid in parent}


def _claim(
    members: list[str],
    by_id: Mapping[str, StatementRecord],
    neighbours: Mapping[str, list[str]],
    sides: Mapping[str, tuple[str, int]],
    story_id: str | None,
) -> Claim:
    # The most connected statement anchors the sides; ties go to the earliest.
    central = min(members, key=lambda sid: (-len(neighbours[sid]), by_id[sid].published or "", sid))
    same_side = [sid for sid in members if sides[sid][1] == sides[central][1]]
    dates = sorted(d for sid in members if (d := by_id[sid].published))
    return Claim(
        claim_id="cl_" + hashlib.sha256(" ".join(members).encode()).hexdigest()[:12],
        label=proposition_label([by_id[sid] for sid in same_side], [by_id[s] for s in members]),
        statement_ids=tuple(members),
        label_statement=central,
        story_id=story_id,
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
    )


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“‘']?[A-Z])")


def proposition_label(
    asserting: Sequence[StatementRecord], members: Sequence[StatementRecord]
) -> str:
    """The shortest clear sentence of the asserting side that most members talk about (two
    content words in common), trimmed to ``LABEL_CHARS``."""
    words_of = {r.statement.statement_id: _content_words(r.statement.content) for r in members}
    best: tuple[int, int, str] | None = None
    for record in asserting:
        for sentence in _sentences(record.statement.content):
            words = _content_words(sentence)
            if len(sentence.split()) < LABEL_MIN_WORDS:
                continue
            echoed = sum(
                1
                for sid, other in words_of.items()
                if sid != record.statement.statement_id and len(words & other) >= 2
            )
            key = (-echoed, len(sentence), sentence)
            if best is None or key < best:
                best = key
    if best is None:
        return _trim(asserting[0].statement.content if asserting else members[0].statement.content)
    return _trim(best[2])


def _sentences(text: str) -> list[str]:
    """Sentences, the pieces of an interrupted quote (joined by " … ") apart."""
    pieces = " ".join(text.split()).split(" … ")
    return [s.strip() for piece in pieces for s in _SENTENCE_END.split(piece) if s.strip()]


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in STOP and len(w) > 2}


def _trim(text: str) -> str:
    text = " ".join(text.split()).strip(" \"“”'‘’")
    if len(text) <= LABEL_CHARS:
        return text
    cut = text[: LABEL_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


# --- reading claims and relations back with their statements ---------------------------------


def relation_records(
    store: Store,
    *,
    relation: str | None = None,
    story_id: str | None = None,
    statement_id: str | None = None,
    limit: int | None = None,
) -> Iterator[RelationRecord]:
    """Stored relations joined with both statements, strongest first.

    A pair whose two statements now share a speaker id is left out unless it is a reversal:
    the stance pass never relates a speaker with himself, but a later speaker merge can make
    two speakers' pair one speaker's (as the web pages and API leave it out too)."""
    shown = 0
    for found in store.relations(relation=relation, story_id=story_id, statement_id=statement_id):
        a, b = store.statement(found.statement_a), store.statement(found.statement_b)
        if a is None or b is None:
            continue
        if not found.reversal and a.speaker_id is not None and a.speaker_id == b.speaker_id:
            continue
        yield RelationRecord(found, a, b)
        shown += 1
        if limit is not None and shown >= limit:
            return


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
