"""SQL of the cross-article speaker pass: read speaker profiles, apply a link plan.

Articles are addressed by their integer ``articles.id``: the pass reads what lies in
``(watermark, upper]`` and then moves its watermark to ``upper``, in the same transaction as
the merges, so a crash leaves either both or neither.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from quotegraph.store import codec, writer
from quotegraph.types import SpeakerDescription, SpeakerLinkPlan, SpeakerProfile, SpeakerType

# One row per (speaker, article): how often the speaker is quoted there and when.
_SPEAKER_ARTICLES = """
SELECT sp.speaker_id, sp.name, sp.speaker_type, s.article_id, a.id AS article_key,
       a.published, count(*) AS n
FROM speakers AS sp
JOIN statements AS s ON s.speaker_id = sp.speaker_id
JOIN articles AS a ON a.article_id = s.article_id
WHERE sp.speaker_type IN ('person', 'organization') AND a.id <= ?
GROUP BY sp.speaker_id, s.article_id"""

_DESCRIBED = """
SELECT s.statement_id, s.article_id, s.speaker_role, s.speaker_mention, a.published
FROM articles AS a JOIN statements AS s ON s.article_id = a.article_id
WHERE a.id > ? AND a.id <= ? AND s.speaker_id IS NULL AND s.speaker_role IS NOT NULL
  AND s.speaker_type IN ('person', 'unknown')
ORDER BY a.id, s.seq"""


@dataclass
class _Draft:
    name: str
    speaker_type: SpeakerType
    article_ids: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    statements: int = 0
    last_key: int = 0


def speaker_profiles(conn: sqlite3.Connection, watermark: int, upper: int) -> list[SpeakerProfile]:
    """Every quoted person and organisation in articles up to ``upper``; ``is_new`` marks
    those quoted in an article after ``watermark``."""
    drafts: dict[str, _Draft] = {}
    for row in conn.execute(_SPEAKER_ARTICLES, (upper,)):
        draft = drafts.setdefault(row["speaker_id"], _Draft(row["name"], row["speaker_type"]))
        draft.article_ids.append(row["article_id"])
        if row["published"]:
            draft.dates.append(row["published"])
        draft.statements += row["n"]
        draft.last_key = max(draft.last_key, row["article_key"])
    aliases = _values_by_speaker(conn, "speaker_aliases", "alias", drafts)
    roles = _values_by_speaker(conn, "speaker_roles", "role", drafts)
    return [
        SpeakerProfile(
            speaker_id=sid,
            name=d.name,
            speaker_type=d.speaker_type,
            aliases=tuple(aliases.get(sid, ())),
            roles=tuple(roles.get(sid, ())),
            article_ids=tuple(d.article_ids),
            first_published=min(d.dates) if d.dates else None,
            last_published=max(d.dates) if d.dates else None,
            statement_count=d.statements,
            is_new=d.last_key > watermark,
        )
        for sid, d in drafts.items()
    ]


def _values_by_speaker(
    conn: sqlite3.Connection, table: str, column: str, wanted: dict[str, _Draft]
) -> dict[str, list[str]]:
    # ``table`` and ``column`` are this module's constants, never user input.
    found: dict[str, list[str]] = defaultdict(list)
    for speaker_id, value in conn.execute(
        f"SELECT speaker_id, {column} FROM {table} ORDER BY speaker_id, {column}"
    ):
        if speaker_id in wanted:
            found[speaker_id].append(value)
    return found


def described_speakers(
    conn: sqlite3.Connection, watermark: int, upper: int
) -> list[SpeakerDescription]:
    """Statements in ``(watermark, upper]`` whose speaker is only described."""
    return [
        SpeakerDescription(
            statement_id=row["statement_id"],
            article_id=row["article_id"],
            description=row["speaker_role"],
            mention=row["speaker_mention"],
            published=row["published"],
        )
        for row in conn.execute(_DESCRIBED, (watermark, upper))
    ]


def article_texts(
    conn: sqlite3.Connection, watermark: int, upper: int
) -> Iterator[tuple[str, str]]:
    cur = conn.execute(
        "SELECT article_id, text FROM articles WHERE id > ? AND id <= ? ORDER BY id",
        (watermark, upper),
    )
    for row in cur:
        yield row["article_id"], row["text"]


def apply_plan(
    conn: sqlite3.Connection, plan: SpeakerLinkPlan, pass_name: str, watermark: int, now: str
) -> int:
    """Merge, link described statements, record aliases, move the watermark; returns the
    number of statements whose speaker id changed."""
    mapping = writer.resolve_mapping({m.source_id: m.target_id for m in plan.merges})
    moved = _merge(conn, mapping)
    for link in plan.descriptions:
        target = mapping.get(link.speaker_id, link.speaker_id)
        moved += conn.execute(
            "UPDATE statements SET speaker_id = ? WHERE statement_id = ? AND speaker_id IS NULL",
            (target, link.statement_id),
        ).rowcount
        conn.execute(
            "INSERT OR IGNORE INTO speaker_roles (speaker_id, role) VALUES (?, ?)",
            (target, link.description),
        )
        if link.mention:
            _add_alias(conn, target, link.mention)
    for speaker_id, alias in plan.aliases:
        _add_alias(conn, mapping.get(speaker_id, speaker_id), alias)
    conn.execute(
        """INSERT INTO corpus_state (pass, watermark, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (pass) DO UPDATE SET watermark = excluded.watermark,
                                            updated_at = excluded.updated_at""",
        (pass_name, watermark, now),
    )
    return moved


# What ``writer.reassign_speaker`` does for one pair, done for a whole flat mapping at once:
# one merge at a time rescans ``speaker_redirects`` (no index on ``to_id``) per pair, which
# made thousands of merges take seconds.
_MOVE_STATEMENTS = """
UPDATE statements SET speaker_id =
    (SELECT to_id FROM temp.speaker_merges WHERE from_id = statements.speaker_id)
WHERE speaker_id IN (SELECT from_id FROM temp.speaker_merges)"""

_MERGE_STEPS = (
    """INSERT OR IGNORE INTO speaker_aliases (speaker_id, alias, alias_key)
       SELECT m.to_id, a.alias, a.alias_key
       FROM temp.speaker_merges AS m JOIN speaker_aliases AS a ON a.speaker_id = m.from_id""",
    """INSERT OR IGNORE INTO speaker_roles (speaker_id, role)
       SELECT m.to_id, r.role
       FROM temp.speaker_merges AS m JOIN speaker_roles AS r ON r.speaker_id = m.from_id""",
    "DELETE FROM speakers WHERE speaker_id IN (SELECT from_id FROM temp.speaker_merges)",
    # Earlier merges into a merged-away id now point at its target; then the new redirects.
    """UPDATE speaker_redirects SET to_id =
           (SELECT to_id FROM temp.speaker_merges WHERE from_id = speaker_redirects.to_id)
       WHERE to_id IN (SELECT from_id FROM temp.speaker_merges)""",
    """INSERT OR REPLACE INTO speaker_redirects (from_id, to_id)
       SELECT from_id, to_id FROM temp.speaker_merges""",
    "DELETE FROM speaker_redirects WHERE from_id = to_id",
    "DELETE FROM speaker_redirects WHERE from_id IN (SELECT to_id FROM temp.speaker_merges)",
)


def _merge(conn: sqlite3.Connection, mapping: dict[str, str]) -> int:
    """Move statements, aliases and roles of every key of ``mapping`` (already flat: no
    value is a key) to its value, delete the old speakers and redirect their ids."""
    if not mapping:
        return 0
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS speaker_merges (from_id TEXT PRIMARY KEY, to_id TEXT)"
    )
    conn.execute("DELETE FROM temp.speaker_merges")
    conn.executemany("INSERT INTO temp.speaker_merges VALUES (?, ?)", list(mapping.items()))
    moved = conn.execute(_MOVE_STATEMENTS).rowcount
    for step in _MERGE_STEPS:
        conn.execute(step)
    conn.execute("DELETE FROM temp.speaker_merges")
    return moved


def _add_alias(conn: sqlite3.Connection, speaker_id: str, alias: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO speaker_aliases (speaker_id, alias, alias_key) "
        "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM speakers WHERE speaker_id = ?)",
        (speaker_id, alias, codec.name_key(alias), speaker_id),
    )
