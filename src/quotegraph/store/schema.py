"""The store's schema as an ordered list of migrations.

A store records every migration it has applied in ``migrations``; opening a store applies
the pending ones in one transaction. To change the schema, append ``Migration(2, ...)`` to
``MIGRATIONS``: never edit a migration that has shipped, because existing stores already ran
it. Each migration is a tuple of single SQL statements (not a script) so it can run inside
the caller's transaction; ``sqlite3.executescript`` would commit on its own.

Tables whose rows are addressed by FTS5 or by keyset cursors (``articles``, ``statements``)
carry an explicit ``id INTEGER PRIMARY KEY``: SQLite's implicit rowid may be renumbered by
``VACUUM``, which would silently break external-content FTS indexes and cursors. Their text
ids (``article_id``, ``statement_id``) stay the keys everyone uses, as ``UNIQUE NOT NULL``.
"""

from __future__ import annotations

from dataclasses import dataclass

APPLICATION_ID = 0x71677068
"""``PRAGMA application_id`` of a quotegraph store (``qgph``), so tools like ``file`` know it."""

MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)"""

MIGRATIONS_COLUMNS = frozenset({"version", "name", "applied_at"})
"""Columns that tell our ``migrations`` table from another framework's table of that name."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


_FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"

_RUNS = """
CREATE TABLE runs (
    run_id           INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at       TEXT NOT NULL,
    finished_at      TEXT,
    command          TEXT NOT NULL,
    articles_seen    INTEGER NOT NULL DEFAULT 0,
    articles_added   INTEGER NOT NULL DEFAULT 0,
    statements_added INTEGER NOT NULL DEFAULT 0,
    figures_added    INTEGER NOT NULL DEFAULT 0,
    failures         INTEGER NOT NULL DEFAULT 0
)"""

_ARTICLES = """
CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    article_id      TEXT NOT NULL UNIQUE,
    source_file     TEXT,
    title           TEXT,
    outlet          TEXT,
    published       TEXT,
    author          TEXT,
    url             TEXT,
    input_format    TEXT NOT NULL,
    text            TEXT NOT NULL,
    dateline_place  TEXT,
    dateline_date   TEXT,
    dateline_source TEXT,
    dateline_start  INTEGER,
    dateline_end    INTEGER,
    metadata        TEXT NOT NULL DEFAULT '{}',
    run_id          INTEGER REFERENCES runs(run_id),
    ingested_at     TEXT NOT NULL
)"""

_SPEAKERS = """
CREATE TABLE speakers (
    speaker_id   TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    speaker_type TEXT NOT NULL
)"""

# alias_key is the case-folded, whitespace-normalised alias: SQLite's NOCASE and lower()
# only fold ASCII, so Unicode-aware lookups compare keys computed in Python.
_SPEAKER_ALIASES = """
CREATE TABLE speaker_aliases (
    speaker_id TEXT NOT NULL REFERENCES speakers(speaker_id) ON DELETE CASCADE,
    alias      TEXT NOT NULL,
    alias_key  TEXT NOT NULL,
    UNIQUE (speaker_id, alias)
)"""

_SPEAKER_ROLES = """
CREATE TABLE speaker_roles (
    speaker_id TEXT NOT NULL REFERENCES speakers(speaker_id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    UNIQUE (speaker_id, role)
)"""

# Merges survive later ingests: a new statement for a merged-away speaker id follows this.
_SPEAKER_REDIRECTS = """
CREATE TABLE speaker_redirects (
    from_id TEXT PRIMARY KEY,
    to_id   TEXT NOT NULL
)"""

_STATEMENTS = """
CREATE TABLE statements (
    id              INTEGER PRIMARY KEY,
    statement_id    TEXT NOT NULL UNIQUE,
    article_id      TEXT NOT NULL REFERENCES articles(article_id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    content         TEXT NOT NULL,
    content_spans   TEXT NOT NULL,
    cue             TEXT,
    cue_start       INTEGER,
    cue_end         INTEGER,
    speaker_mention TEXT,
    speaker_start   INTEGER,
    speaker_end     INTEGER,
    speaker_name    TEXT,
    speaker_type    TEXT NOT NULL,
    speaker_role    TEXT,
    speaker_id      TEXT REFERENCES speakers(speaker_id),
    confidence      REAL NOT NULL,
    rule            TEXT NOT NULL,
    UNIQUE (article_id, seq)
)"""

_FIGURES = """
CREATE TABLE figures (
    figure_id  TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(article_id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    value      REAL NOT NULL,
    qualifier  TEXT,
    unit       TEXT,
    counts     TEXT,
    text       TEXT NOT NULL,
    "start"    INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    UNIQUE (article_id, seq)
)"""

_FAILURES = """
CREATE TABLE failures (
    failure_id  INTEGER PRIMARY KEY,
    run_id      INTEGER REFERENCES runs(run_id),
    source      TEXT NOT NULL,
    stage       TEXT NOT NULL,
    code        TEXT NOT NULL,
    message     TEXT NOT NULL,
    occurred_at TEXT NOT NULL
)"""

_INDEXES = (
    "CREATE INDEX statements_by_speaker ON statements(speaker_id)",
    "CREATE INDEX statements_by_kind ON statements(kind, article_id, seq)",
    "CREATE INDEX articles_by_outlet ON articles(outlet COLLATE NOCASE, published)",
    "CREATE INDEX articles_by_published ON articles(published, article_id)",
    "CREATE INDEX speaker_aliases_by_key ON speaker_aliases(alias_key)",
    "CREATE INDEX failures_by_run ON failures(run_id)",
)


def _fts_statements(table: str, source: str, columns: tuple[str, ...]) -> tuple[str, ...]:
    """An external-content FTS5 table over ``source`` kept in sync by triggers.

    ``table``, ``source`` and ``columns`` are constants of this module, never user input.
    """
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert = f"INSERT INTO {table}(rowid, {cols}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {table}({table}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    return (
        f"CREATE VIRTUAL TABLE {table} USING fts5({cols}, content='{source}', "
        f"content_rowid='id', tokenize='{_FTS_TOKENIZER}')",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON {source} BEGIN {insert} END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON {source} BEGIN {delete} END",
        # Only text changes touch the index; reassigning speakers must not rewrite it.
        f"CREATE TRIGGER {table}_au AFTER UPDATE OF {cols} ON {source} BEGIN {delete} {insert} END",
    )


_INITIAL = (
    f"PRAGMA application_id = {APPLICATION_ID}",
    _RUNS,
    _ARTICLES,
    _SPEAKERS,
    _SPEAKER_ALIASES,
    _SPEAKER_ROLES,
    _SPEAKER_REDIRECTS,
    _STATEMENTS,
    _FIGURES,
    _FAILURES,
    *_INDEXES,
    *_fts_statements("statements_fts", "statements", ("content",)),
    *_fts_statements("articles_fts", "articles", ("title", "text")),
)

# Migration 2: statements carry their article's ``published`` and ``outlet`` (copied, kept in
# sync by the writer and by a trigger), so every statement listing filters and sorts on one
# table. Each index ends in the listing order (published, article_id, seq): a filtered page
# walks its index in order and stops at LIMIT instead of sorting every match.
_STATEMENT_ORDER_INDEXES = (
    "ALTER TABLE statements ADD COLUMN published TEXT",
    "ALTER TABLE statements ADD COLUMN outlet TEXT",
    """UPDATE statements SET published = a.published, outlet = a.outlet
       FROM articles AS a WHERE a.article_id = statements.article_id""",
    """CREATE TRIGGER statements_follow_article AFTER UPDATE OF published, outlet ON articles
       BEGIN
           UPDATE statements SET published = new.published, outlet = new.outlet
           WHERE article_id = new.article_id;
       END""",
    "DROP INDEX statements_by_speaker",
    "DROP INDEX statements_by_kind",
    "CREATE INDEX statements_by_published ON statements(published, article_id, seq)",
    "CREATE INDEX statements_by_speaker ON statements(speaker_id, published, article_id, seq)",
    "CREATE INDEX statements_by_kind ON statements(kind, published, article_id, seq)",
    "CREATE INDEX statements_by_outlet "
    "ON statements(outlet COLLATE NOCASE, published, article_id, seq)",
    # Fresh statistics for the new indexes, so the planner does not guess on a large store.
    "ANALYZE statements",
)

# Migration 3: what the corpus passes (speakers, stories, claims, stance) compute over many
# articles. Each pass keeps a watermark in ``corpus_state`` (the highest ``articles.id`` it has
# consumed), so a later ingest only feeds it the new articles.
_CORPUS_PASSES = (
    """CREATE TABLE corpus_state (
        pass       TEXT PRIMARY KEY,
        watermark  INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE stories (
        story_id        TEXT PRIMARY KEY,
        title           TEXT NOT NULL,
        first_published TEXT,
        last_published  TEXT,
        article_count   INTEGER NOT NULL DEFAULT 0,
        updated_at      TEXT NOT NULL
    )""",
    """CREATE TABLE story_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles(article_id) ON DELETE CASCADE,
        story_id   TEXT NOT NULL REFERENCES stories(story_id) ON DELETE CASCADE,
        similarity REAL NOT NULL
    )""",
    "CREATE INDEX story_articles_by_story ON story_articles(story_id)",
    """CREATE TABLE claims (
        claim_id        TEXT PRIMARY KEY,
        label           TEXT NOT NULL,
        label_statement TEXT,
        story_id        TEXT,
        first_published TEXT,
        last_published  TEXT,
        statement_count INTEGER NOT NULL DEFAULT 0,
        updated_at      TEXT NOT NULL
    )""",
    "CREATE INDEX claims_by_story ON claims(story_id)",
    """CREATE TABLE claim_statements (
        statement_id TEXT PRIMARY KEY REFERENCES statements(statement_id) ON DELETE CASCADE,
        claim_id     TEXT NOT NULL REFERENCES claims(claim_id) ON DELETE CASCADE,
        similarity   REAL NOT NULL
    )""",
    "CREATE INDEX claim_statements_by_claim ON claim_statements(claim_id)",
    # float32 little-endian, L2-normalised; ``model`` says which embedder made it.
    """CREATE TABLE statement_vectors (
        statement_id TEXT PRIMARY KEY REFERENCES statements(statement_id) ON DELETE CASCADE,
        model        TEXT NOT NULL,
        vector       BLOB NOT NULL
    )""",
    # One row per unordered pair, statement_a < statement_b.
    """CREATE TABLE relations (
        statement_a TEXT NOT NULL REFERENCES statements(statement_id) ON DELETE CASCADE,
        statement_b TEXT NOT NULL REFERENCES statements(statement_id) ON DELETE CASCADE,
        relation    TEXT NOT NULL CHECK (relation IN ('agrees', 'contradicts')),
        score       REAL NOT NULL,
        evidence    TEXT NOT NULL,
        claim_id    TEXT,
        story_id    TEXT,
        PRIMARY KEY (statement_a, statement_b),
        CHECK (statement_a < statement_b)
    )""",
    "CREATE INDEX relations_by_b ON relations(statement_b)",
    "CREATE INDEX relations_by_story ON relations(story_id, relation)",
)

# Migration 4: what the incremental story pass keeps between runs, so that new articles join
# existing stories without recomputing anything. ``story_vectors`` holds each story's sum of
# article vectors (a JSON object term -> weight; loaded and saved whole, once per batch);
# ``story_terms`` indexes stories by the top terms of their articles, to find the candidate
# stories of a new article; ``term_documents`` counts the articles each term occurs in, and
# ``corpus_state.documents`` how many articles those counts cover (the N of the IDF).
_STORY_TERMS = (
    """CREATE TABLE story_vectors (
        story_id TEXT PRIMARY KEY REFERENCES stories(story_id) ON DELETE CASCADE,
        vector   TEXT NOT NULL
    )""",
    """CREATE TABLE story_terms (
        term     TEXT NOT NULL,
        story_id TEXT NOT NULL REFERENCES stories(story_id) ON DELETE CASCADE,
        PRIMARY KEY (term, story_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX story_terms_by_story ON story_terms(story_id)",
    """CREATE TABLE term_documents (
        term      TEXT PRIMARY KEY,
        documents INTEGER NOT NULL
    ) WITHOUT ROWID""",
    "ALTER TABLE corpus_state ADD COLUMN documents INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX stories_by_first_published ON stories(first_published, story_id)",
)

# Migration 5, "statement act": what each statement reports, ``speech`` or a ``belief``,
# ``intention`` or ``action`` ascribed to the speaker. Rows stored before it cannot be
# re-read from their parse: they are ``speech`` except the learned rule's indirect
# statements, whose content was always what the speaker acted on (``action``).
_STATEMENT_ACT = (
    "ALTER TABLE statements ADD COLUMN act TEXT NOT NULL DEFAULT 'speech'",
    "UPDATE statements SET act = 'action' WHERE rule = 'learned' AND kind = 'indirect'",
)

# Migration 6: stories are events, and copies are linked to their originals. ``copy_of`` names
# the original of an article the copy pass found to be a reprint (NULL: an original);
# ``article_signatures`` keeps each article's MinHash signature (uint32 little-endian), from
# which the copy pass rebuilds its LSH index for the dates it needs; ``article_vectors`` keeps
# the title-and-lead embedding of each placed article and ``story_centroids`` each story's sum
# of them. ``story_vectors`` now holds a story's entity counts and ``term_documents`` the
# entities' document counts; the term index of migration 4 is dropped. Stories placed by the
# old word-overlap method are cleared with what depends on them (relations and claims), so
# the next run of the corpus passes places every article again by the new method.
_EVENTS_AND_COPIES = (
    "ALTER TABLE articles ADD COLUMN copy_of TEXT",
    "CREATE INDEX articles_by_copy_of ON articles(copy_of) WHERE copy_of IS NOT NULL",
    """CREATE TABLE article_signatures (
        article_id TEXT PRIMARY KEY REFERENCES articles(article_id) ON DELETE CASCADE,
        signature  BLOB NOT NULL
    )""",
    """CREATE TABLE article_vectors (
        article_id TEXT PRIMARY KEY REFERENCES articles(article_id) ON DELETE CASCADE,
        model      TEXT NOT NULL,
        vector     BLOB NOT NULL
    )""",
    """CREATE TABLE story_centroids (
        story_id TEXT PRIMARY KEY REFERENCES stories(story_id) ON DELETE CASCADE,
        vector   BLOB NOT NULL
    )""",
    "DROP TABLE story_terms",
    "DELETE FROM relations",
    "DELETE FROM claim_statements",
    "DELETE FROM claims",
    "DELETE FROM story_vectors",
    "DELETE FROM story_articles",
    "DELETE FROM stories",
    "DELETE FROM term_documents",
    "DELETE FROM corpus_state WHERE pass IN ('stories', 'stance')",
)

# Migration 7: relations decided by the learned pair model may join one speaker's statements
# made at different times; ``reversal`` marks such a pair that contradicts (a change of
# position), so listings can tell it from a dispute between two speakers. Rows stored before
# it are never reversals: the rule pass never related a speaker with himself.
_RELATION_REVERSAL = ("ALTER TABLE relations ADD COLUMN reversal INTEGER NOT NULL DEFAULT 0",)

# Migration 8: story vectors come from the int8 MiniLM (384-d) instead of wordllama (256-d).
# A story's centroid sums its articles' vectors, so the old ones cannot take new articles:
# stories, their stored vectors and what depends on them (relations, claims) are cleared, and
# the next run of the corpus passes places every article again. Copy links stay.
# ``stories_merged`` lists the stories that took another story in since the stance pass last
# ran: their statements are compared again as a whole, since the two halves never were.
_MINILM_STORY_VECTORS = (
    """CREATE TABLE stories_merged (
        story_id TEXT PRIMARY KEY REFERENCES stories(story_id) ON DELETE CASCADE
    )""",
    "DELETE FROM relations",
    "DELETE FROM claim_statements",
    "DELETE FROM claims",
    "DELETE FROM article_vectors",
    "DELETE FROM story_centroids",
    "DELETE FROM story_vectors",
    "DELETE FROM story_articles",
    "DELETE FROM stories",
    "DELETE FROM term_documents",
    "DELETE FROM corpus_state WHERE pass IN ('stories', 'stance')",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _INITIAL),
    Migration(2, "statement listing order in statements", _STATEMENT_ORDER_INDEXES),
    Migration(3, "corpus passes: stories, claims, relations", _CORPUS_PASSES),
    Migration(4, "incremental stories: vectors, term index, document counts", _STORY_TERMS),
    Migration(5, "statement act: speech, belief, intention, action", _STATEMENT_ACT),
    Migration(6, "stories as events, copies linked to originals", _EVENTS_AND_COPIES),
    Migration(7, "relations: reversal by one speaker", _RELATION_REVERSAL),
    Migration(8, "stories placed with MiniLM vectors", _MINILM_STORY_VECTORS),
)
"""Every schema change in order; versions run 1, 2, 3 ... without gaps."""

LATEST_VERSION = MIGRATIONS[-1].version
