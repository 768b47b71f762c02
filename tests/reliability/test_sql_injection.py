"""SQL injection: hostile strings as data and as queries, and a static check of the SQL.

The dynamic tests store articles whose titles, outlets, authors, text and quotes are classic
injection strings and then search for those strings through every filter a caller controls;
the tables must stay intact and the results must be exactly the matching records. The static
test reads every module under ``src/quotegraph`` and fails when SQL text is built by string
formatting from anything but the few constant fragments listed (with why each is safe) in
``ALLOWED``, so ``execute(f"... {user_value}")`` cannot slip in.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import quotegraph
from quotegraph.errors import QuotegraphError

from .helpers import integrity, run_cli

DROP = "'; DROP TABLE statements; --"
OR_TRUE = '" OR 1=1 --'
DELETE = "'); DELETE FROM articles; --"
PAYLOADS = (DROP, OR_TRUE, DELETE)
MORE_PAYLOADS = (
    "x' OR 'x'='x",
    "1; SELECT * FROM speakers",
    "%' --",
    "_",
    "%",
    "\\",
    "' UNION SELECT statement_id, 1, 2 FROM statements --",
    "NULL",
    "\x00'; DROP TABLE articles; --",
)

RECORDS = [
    {
        "title": DROP,
        "outlet": DROP,
        "author": DELETE,
        "text": "Harbour board rejects the password plan\n\n"
        f"\u201cThe password was {DROP} and nobody noticed,\u201d said Se\u00e1n O'Brien, the "
        "board's security adviser.\n\nThe board met on Monday.",
    },
    {
        "title": OR_TRUE,
        "outlet": OR_TRUE,
        "text": "Council website hacked again\n\n"
        f"\u201cSomebody typed {OR_TRUE} into the search box,\u201d said Mara Vellin, the "
        "council's IT manager.\n\nShe said the site would be back on Friday.",
    },
    {
        "title": DELETE,
        "outlet": "Bobby Tables Weekly",
        "text": "School records restored\n\nThe head teacher, Jonas Ekwall, said the records "
        f"had been restored after a pupil's name, Robert{DELETE}, wiped the list.\n\n"
        "\u201cWe back up every night,\u201d Ekwall said.",
    },
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("injection")
    feed = directory / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    path = directory / "store.db"
    with quotegraph.open(path) as qg:
        report = qg.ingest([feed])
    assert report.ok
    assert report.articles_added == 3
    return path


def _schema(db: Path) -> list[tuple[str, str]]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute("SELECT type, name FROM sqlite_master").fetchall())
    finally:
        conn.close()


def test_hostile_strings_are_stored_verbatim(db: Path) -> None:
    with quotegraph.open(db, readonly=True) as qg:
        articles = {a.title: a for a in qg.articles()}
        assert set(articles) == {DROP, OR_TRUE, DELETE}
        assert articles[DROP].outlet == DROP
        assert articles[DROP].author == DELETE
        contents = [r.statement.content for r in qg.statements()]
    assert any(DROP in c for c in contents)
    assert any(OR_TRUE in c for c in contents)
    done = run_cli(["export", "statements", "--db", db])
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert {row["outlet"] for row in rows} == {DROP, OR_TRUE, "Bobby Tables Weekly"}


def test_every_filter_treats_hostile_strings_as_data(db: Path) -> None:
    schema_before = _schema(db)
    with quotegraph.open(db, readonly=True) as qg:
        counts_before = qg.counts()
        everything = list(qg.statements())
        by_content = {r.statement.content: r.statement.statement_id for r in everything}
        by_outlet = {
            p: sorted(r.statement.statement_id for r in everything if r.outlet == p)
            for p in PAYLOADS
        }
        quoting = {p: sorted(i for c, i in by_content.items() if p in c) for p in PAYLOADS}

        def ids(**filters: object) -> list[str]:
            return sorted(r.statement.statement_id for r in qg.statements(**filters))

        # Full text: the words of the payload, found exactly where they were quoted.
        assert ids(q=DROP) == quoting[DROP] != []
        assert ids(q=OR_TRUE) == quoting[OR_TRUE] != []
        assert ids(q=DELETE) == []  # the DELETE payload is in an article, not in a quote
        assert [a.title for a in qg.store.search_articles(DELETE, None)] == [DELETE]
        # Exact-match filters: the outlet names the payload articles carry.
        assert ids(outlet=DROP) == by_outlet[DROP] != []
        assert ids(outlet=OR_TRUE) == by_outlet[OR_TRUE] != []
        assert ids(outlet=DELETE) == by_outlet[DELETE] == []
        assert [a.title for a in qg.articles(outlet=DROP)] == [DROP]
        assert qg.store.outlets_named(DROP) == [(DROP, 1)]
        assert qg.store.outlets_named("%") == qg.store.outlets_named("_") == []
        assert [a.title for a in qg.articles(outlet=OR_TRUE)] == [OR_TRUE]
        assert list(qg.articles(outlet=DELETE)) == []
        # A name with an apostrophe is an ordinary speaker.
        assert len(ids(speaker="Se\u00e1n O'Brien")) == 1
        for payload in (*PAYLOADS, *MORE_PAYLOADS):
            assert ids(speaker=payload) == []
            assert ids(kind=payload) == []
            assert ids(article_id=payload) == []
            assert ids(since=payload) == []  # "'..." sorts before any date: nothing is after
            assert list(qg.articles(since=payload, until=payload)) == []
            list(qg.statements(q=payload))
            list(qg.store.search_articles(payload, 5))
            assert qg.article(payload) is None
            assert qg.speaker(payload) is None
            assert qg.store.statement(payload) is None
            # Name searches: LIKE wildcards in the payload match themselves, not everything.
            assert [sp.name for sp in qg.store.speakers(named=payload)] == []
            assert qg.store.speakers_called(payload) == []
            assert qg.store.count_statements(speaker=payload) == 0
            # The disputes listings take the same filters, as data.
            for filters in ({"speaker": payload}, {"outlet": payload}, {"story_id": payload}):
                assert list(qg.store.relations_between_speakers(**filters)) == []
                assert list(qg.store.claims_disputed_first(**filters)) == []
            assert list(qg.store.relations_between_speakers(article_id=payload)) == []
            with pytest.raises(QuotegraphError) as error:
                list(qg.statements(after=payload))
            assert error.value.code == "E044"
        assert qg.counts() == counts_before
    assert _schema(db) == schema_before
    assert integrity(db) == []


def test_hostile_strings_through_a_writable_store_change_nothing(db: Path, tmp_path: Path) -> None:
    # The same calls on a read-write connection: a stacked statement would run here if
    # anything were spliced into SQL (sqlite3 refuses several statements per execute anyway,
    # so the check is that nothing raises and nothing changes).
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    with quotegraph.open(copy) as qg:
        before = qg.counts()
        for payload in (*PAYLOADS, *MORE_PAYLOADS):
            list(qg.statements(q=payload, speaker=payload, outlet=payload, kind=payload))
            list(qg.articles(outlet=payload, since=payload, until=payload))
            assert qg.store.reassign_speakers({payload: payload + "x"}) == 0
        assert qg.counts() == before
    assert integrity(copy) == []


# --------------------------------------------------------------------------- static check

SRC = Path(__file__).resolve().parents[2] / "src" / "quotegraph"
_SQL_WORDS = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|REPLACE|PRAGMA|CREATE|DROP|ALTER|WHERE|FROM|MATCH|JOIN"
    r"|ORDER BY|GROUP BY|LIMIT|OFFSET|VALUES|BEGIN|COMMIT|TRIGGER|AND|OR|NOT|IS|IN|SET)\b"
)
"""Upper-case SQL words in the literal part of a formatted string mark it as SQL (the
code base writes SQL in capitals and prose in lower case)."""
_SQL_SINKS = frozenset({"execute", "executemany", "executescript", "where", "Query"})
"""Calls whose string argument is SQL text: sqlite3's and reader.Query's."""

ALLOWED: dict[tuple[str, str, str], str] = {
    # store/claims.py
    ("store/claims.py", "relations", "_RELATION_SELECT"): "module constant SQL",
    ("store/claims.py", "story_relations", "_RELATION_SELECT"): "module constant SQL",
    ("store/claims.py", "relations", "where"): "joined constant clauses; values are ?",
    ("store/claims.py", "relations", "' AND '.join(clauses)"): "constant clauses; values are ?",
    ("store/claims.py", "claims", "where"): "joined constant clauses; values are ?",
    ("store/claims.py", "claims", "CLAIM_SELECT"): "module constant",
    ("store/claims.py", "claims", "' AND '.join(clauses)"): "constant clauses; values are ?",
    ("store/claims.py", "vectors", "marks"): "only '?, ?, ...', as many as ids",
    # store/disputes.py: constant clauses and sub-selects; every value travels as ?
    ("store/disputes.py", "<module>", "_SAME_SPEAKER"): "module constant clause",
    ("store/disputes.py", "<module>", "_BETWEEN_SPEAKERS"): "module constant clause",
    ("store/disputes.py", "<module>", "_SHOWN"): "module constant clause",
    ("store/disputes.py", "_statement_set", "_marks(f.speaker_ids) or 'NULL'"):
        "only '?, ?, ...', as many as ids (NULL for none: matches nothing)",
    ("store/disputes.py", "relations_between_speakers", "_RELATION_SELECT"): "module constant",
    ("store/disputes.py", "relations_between_speakers", "' AND '.join(clauses)"):
        "constant clauses; values are ?",
    ("store/disputes.py", "relations_between_speakers", "' AND '.join(member)"):
        "constant clauses from _statement_set; values are ?",
    ("store/disputes.py", "relations_between_speakers", "found"): "the sub-select above",
    ("store/disputes.py", "claims_disputed_first", "where"): "joined constant clauses",
    ("store/disputes.py", "claims_disputed_first", "' AND '.join(clauses)"):
        "constant clauses; values are ?",
    ("store/disputes.py", "claims_disputed_first", "' AND '.join(member)"):
        "constant clauses from _statement_set; values are ?",
    ("store/disputes.py", "claims_disputed_first", "_DISPUTED_CLAIMS"): "module constant",
    ("store/disputes.py", "claims_disputed_first", "CLAIM_SELECT"): "module constant",
    ("store/disputes.py", "claims_disputed_first", "_BETWEEN_SPEAKERS"): "module constant",
    ("store/disputes.py", "dispute_counts", "_DISPUTED_CLAIMS"): "module constant",
    ("store/disputes.py", "dispute_counts", "_SHOWN"): "module constant",
    ("store/disputes.py", "dispute_counts", "in_story"): "constant clause or nothing",
    # store/speaker_links.py
    ("store/speaker_links.py", "_values_by_speaker", "column"): "module constant column name",
    ("store/speaker_links.py", "_values_by_speaker", "table"): "module constant table name",
    # store/stories.py
    ("store/stories.py", "<module>", "_STORY_ORDER"): "module constant ORDER BY",
    ("store/stories.py", "StoryPassWriter.candidates", "marks"): "only '?, ?, ...'",
    ("store/stories.py", "StoryPassWriter.candidates", "window"): "constant clause with ?",
    ("store/stories.py", "stories_of_articles", "marks"): "only '?, ?, ...'",
    ("store/stories.py", "StoryPassWriter._speakers", "marks"): "only '?, ?, ...'",
    ("store/stories.py", "StoryPassWriter.pending", "marks"): "only '?, ?, ...'",
    ("store/stories.py", "StoryPassWriter.pending", "_UNPLACED"): "module constant clause",
    ("store/stories.py", "StoryPassWriter.watermark_after", "_UNPLACED"): "module constant clause",
    ("store/stories.py", "unplaced_count", "_UNPLACED"): "module constant clause",
    ("store/stories.py", "StoryPassWriter._speakers", "kinds"): "only '?, ?, ...'",
    ("store/stories.py", "StoryPassWriter.document_counts", "marks"): "only '?, ?, ...'",
    # store/__init__.py
    ("store/__init__.py", "Store.article", "reader.ARTICLE_SELECT"): "module constant SQL",
    ("store/__init__.py", "Store._known", "marks"): "only '?, ?, ...', as many as ids",
    # store/connection.py
    ("store/connection.py", "_raw_connect", "int(busy_timeout * 1000)"):
        "an int; PRAGMA busy_timeout takes no bound parameter",
    # store/reader.py: fixed fragments; every value travels in Query.params
    ("store/reader.py", "<module>", "_STATEMENT_COLUMNS"): "module constant SQL",
    ("store/reader.py", "search_articles_sql", "ARTICLE_SELECT"): "module constant SQL",
    ("store/reader.py", "statement_by_id_sql", "STATEMENT_SELECT"): "module constant SQL",
    ("store/reader.py", "Query.sql", "self.select"): "constant SELECT given by reader.py",
    ("store/reader.py", "Query.sql", "' AND '.join(self.clauses)"):
        "clauses are constants passed to where() in reader.py (checked by this test)",
    ("store/reader.py", "Query.sql", "where"): "the clauses above, joined",
    ("store/reader.py", "Query.sql", "self.order"): "constant ORDER BY given by reader.py",
    ("store/reader.py", "UnionQuery.sql", "sql"): "an arm's SQL from Query.sql above",
    ("store/reader.py", "UnionQuery.sql", "compound"): "the arms above, joined",
    ("store/reader.py", "UnionQuery.sql", "self.order"): "constant column names from reader.py",
    ("store/reader.py", "published_range", "column"):
        "'a.published' or 's.published', passed as constants by reader.py",
    ("store/reader.py", "_statement_query", "marks"): "only '?, ?, ...', as many as ids",
    ("store/reader.py", "_statement_query", "'s.id' if f.article_id else 'f.rowid'"):
        "a choice between two constant column names",
    ("store/reader.py", "_cursor", "column"): "'id' or 'statement_id', chosen by type",
    ("store/reader.py", "count_sql", "sql"): "a listing's SQL from Query.sql or UnionQuery.sql",
    # store/schema.py: DDL from the schema's own constant table and column names
    ("store/schema.py", "<module>", "APPLICATION_ID"): "int constant; PRAGMA takes no ?",
    ("store/schema.py", "_fts_statements", "table"): "FTS table name from the schema",
    ("store/schema.py", "_fts_statements", "source"): "content table name from the schema",
    ("store/schema.py", "_fts_statements", "cols"): "column names from the schema",
    ("store/schema.py", "_fts_statements", "new"): "'new.<column>' list from the schema",
    ("store/schema.py", "_fts_statements", "old"): "'old.<column>' list from the schema",
    ("store/schema.py", "_fts_statements", "insert"): "trigger body built above",
    ("store/schema.py", "_fts_statements", "delete"): "trigger body built above",
    ("store/schema.py", "_fts_statements", "_FTS_TOKENIZER"): "module constant",
    # store/writer.py
    ("store/writer.py", "reassign_speaker", "table"): "from a constant tuple of table names",
    ("store/writer.py", "reassign_speaker", "column"): "from the same constant tuple",
}  # fmt: skip


@dataclass(frozen=True)
class Interpolation:
    file: str
    scope: str
    expression: str
    line: int


def _scopes(tree: ast.AST) -> dict[ast.AST, str]:
    """Every node's enclosing ``Class.function`` path (``<module>`` at top level)."""
    found: dict[ast.AST, str] = {}

    def visit(node: ast.AST, path: tuple[str, ...]) -> None:
        for child in ast.iter_child_nodes(node):
            inner = path
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                inner = (*path, child.name)
            found[child] = ".".join(inner) or "<module>"
            visit(child, inner)

    visit(tree, ())
    return found


def _concatenation(node: ast.BinOp) -> list[ast.expr]:
    parts: list[ast.expr] = []
    for side in (node.left, node.right):
        if isinstance(side, ast.BinOp) and isinstance(side.op, ast.Add):
            parts.extend(_concatenation(side))
        else:
            parts.append(side)
    return parts


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _formatted(node: ast.AST, parent: ast.AST | None) -> tuple[str, list[ast.expr]] | None:
    """(literal text, interpolated expressions) if ``node`` builds a string by formatting."""
    if isinstance(node, ast.JoinedStr):
        literal = "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
        return literal, [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and _is_str(node.func.value)
    ):
        values = [*node.args, *(k.value for k in node.keywords)]
        return str(node.func.value.value), values  # type: ignore[attr-defined]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _is_str(node.left):
        right = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        return str(node.left.value), list(right)  # type: ignore[attr-defined]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add):
            return None  # reported once, from the outermost +
        parts = _concatenation(node)
        if any(_is_str(p) for p in parts):
            literal = "".join(str(p.value) for p in parts if isinstance(p, ast.Constant))
            return literal, [p for p in parts if not _is_str(p)]
    return None


def _sink_argument(node: ast.AST, parent: ast.AST | None) -> bool:
    if not isinstance(parent, ast.Call) or node not in parent.args:
        return False
    func = parent.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in _SQL_SINKS


def sql_interpolations(source: str, file: str) -> Iterator[Interpolation]:
    """Expressions formatted into SQL text in ``source`` (a module's code)."""
    tree = ast.parse(source)
    scopes = _scopes(tree)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        parent = parents.get(node)
        formatted = _formatted(node, parent)
        if formatted is None:
            continue
        literal, expressions = formatted
        if not (_SQL_WORDS.search(literal) or _sink_argument(node, parent)):
            continue
        for expression in expressions:
            if isinstance(expression, ast.Constant):
                continue
            yield Interpolation(file, scopes.get(node, "<module>"), ast.unparse(expression),
                                node.lineno)  # type: ignore[attr-defined]  # fmt: skip


def _all_interpolations() -> list[Interpolation]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        found.extend(sql_interpolations(path.read_text(encoding="utf-8"), relative))
    return found


def test_sql_is_never_built_from_values_by_string_formatting() -> None:
    found = _all_interpolations()
    unexplained = [i for i in found if (i.file, i.scope, i.expression) not in ALLOWED]
    assert unexplained == [], (
        "SQL built by string formatting: pass values as ? parameters instead, or, for a "
        "constant fragment, add it to ALLOWED with the reason it is safe"
    )
    # Not vacuous: the scanner does see the real (allowed) SQL building in the store.
    assert ("store/reader.py", "Query.sql", "self.select") in {
        (i.file, i.scope, i.expression) for i in found
    }


@pytest.mark.parametrize(
    "snippet",
    [
        "conn.execute(f\"SELECT * FROM articles WHERE title = '{user_value}'\")",
        'conn.execute("DELETE FROM articles WHERE id = %s" % user_value)',
        'conn.execute("SELECT * FROM t WHERE a = {}".format(user_value))',
        'conn.execute("SELECT * FROM t WHERE a = \'" + user_value + "\'")',
        "query.where(f\"s.kind = '{kind}'\")",
        "sql = f\"UPDATE speakers SET name = '{name}'\"",
        'cur.executescript(f"{script}")',
    ],
)
def test_the_static_check_catches_spliced_values(snippet: str) -> None:
    source = f"def handler(conn, query, cur, user_value, kind, name, script):\n    {snippet}\n"
    found = list(sql_interpolations(source, "serve/new_endpoint.py"))
    assert found, snippet
    assert all((i.file, i.scope, i.expression) not in ALLOWED for i in found)


def test_the_static_check_leaves_parameters_and_messages_alone() -> None:
    source = (
        "def ok(conn, value, name):\n"
        '    conn.execute("SELECT * FROM articles WHERE title = ?", (value,))\n'
        '    message = f"unknown table {name!r}"\n'
        "    logger.debug('reading %s as %s', name, value)\n"
    )
    assert list(sql_interpolations(source, "x.py")) == []
