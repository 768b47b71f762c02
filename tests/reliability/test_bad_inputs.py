"""Hostile and broken inputs, all in ONE ingest run together with good files.

``build_corpus`` writes more than 25 kinds of bad input next to good articles; the tests
check that each bad input gets its catalogue code (or, where the input is merely unusual,
the right article), that every good article of the same run is stored, and that the run
neither crashes nor hangs. The per-reader unit cases live in ``tests/ingest``; this module is
about what happens when they all meet in one run, through the API and through the CLI.

Kinds that once broke the whole run (a symlink loop, a non-UTF-8 file name, a lone surrogate
in a JSONL key, a non-text charset, an article over the parser limit, a very long paragraph)
have tests of their own at the end of this module, each in a run with a good file.
"""

from __future__ import annotations

import builtins
import codecs
import csv
import gzip
import io
import json
import os
import re
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import quotegraph
from quotegraph.errors import CATALOGUE
from quotegraph.extract import shown_content
from quotegraph.ingest import IngestLimits, iter_inputs
from quotegraph.ingest import sources as ingest_sources
from quotegraph.types import Article, Failure, IngestReport

from .corpus import generate
from .helpers import integrity, run_cli

STORED = "stored"
"""Expectation for an input that must become a stored article."""
SKIPPED = "skipped"
"""Expectation for an input passed over without a failure: a FIFO or a file of another
format inside a walked directory, or a second copy of a text already read."""

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
HAS_FIFO = hasattr(os, "mkfifo")

# The run uses small caps where the point is "over a cap" (so the test writes megabytes,
# not gigabytes) and the default article cap, which is what refuses the 5 MB article.
RUN_LIMITS = IngestLimits(max_html_bytes=1_000_000, max_decompressed_bytes=5_000_000)
MB = 1_000_000


@dataclass(frozen=True)
class Case:
    kind: str
    """The kind of fault, as in docs/reliability.md."""
    source: str
    """``source_file`` of the article or ``source`` of the failure it must produce."""
    expect: str
    """An error code, STORED or SKIPPED."""


@dataclass(frozen=True)
class BadCorpus:
    paths: list[Path]
    """What is handed to ingest: one directory plus a few explicitly named files."""
    cases: list[Case]

    @property
    def kinds(self) -> set[str]:
        return {case.kind for case in self.cases}

    def expected_failures(self) -> dict[str, str]:
        return {c.source: c.expect for c in self.cases if c.expect not in (STORED, SKIPPED)}

    def expected_articles(self) -> set[str]:
        return {c.source for c in self.cases if c.expect == STORED}


def gzip_bomb(inflated_mb: int, byte: bytes = b"A") -> bytes:
    """A valid gzip member of ``inflated_mb`` MiB of ``byte``, built in well under a second.

    Deflate blocks ending in a full flush are self-contained and byte-aligned, so one
    compressed MiB repeated N times is a valid stream of N MiB; only the CRC needs the
    real data, and zlib.crc32 runs at memory speed.
    """
    chunk = byte * (1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    tail = deflate.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(inflated_mb):
        crc = zlib.crc32(chunk, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, (inflated_mb << 20) & 0xFFFFFFFF)
    return header + block * inflated_mb + tail + trailer


def _csv_text(*rows: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _statement_article(speaker: str, quote: str, town: str) -> str:
    return (
        f"{town} council votes on the harbour plan\n\n"
        f"{town.upper()} — The council of {town} voted on the harbour plan on Monday.\n\n"
        f'"{quote}," said {speaker}, who chairs the harbour committee.\n'
    )


QUOTE_MARKS_ARTICLE = """Quote marks of every kind

“The bridge will open in May,” said Mara Vellin, the mayor of Korsvik.

The council will meet again on Thursday.

«Nous allons reconstruire», a déclaré Ottilie Sandqvist. « Avec espaces »

"Straight quotes are fine," Henrik Dalby said, "and so are 'nested single' ones."

‘Single curly quotes,’ said Pia Lundmark, ‘are common in British papers.’

‹Single guillemets› are rare, Amara Okonkwo told reporters.

“Nested “double” inside double,” Tomas Brekke said.

He said: “This one never closes.

„Unbalanced low opener and no closer, Lena Rask said.

An orphan closer” appears here, Idris Haddad said.

”Reversed marks“ and »reversed guillemets« appear too, Noor Aalto said.

“”

"

«»‹›„“”‘’'"

The ferry timetable did not change.

“The last quotation is ordinary,” said Saga Norling, the harbour master.
"""

RTL_EMOJI_ARTICLE = """مرفأ سيلمهافن يعيد فتح أبوابه 🚢

قال رئيس الميناء إن "الرافعات ستعود إلى العمل في الربيع" يوم الاثنين.

ראש העירייה אמר: ״הנמל ייפתח מחדש באביב״ 🙂

"The ferry 🚢 will sail again before the summer 🌞," said Pia Lundmark, who runs the line.
"""


def build_corpus(root: Path) -> BadCorpus:
    """Write every kind of input under ``root``; returns what to ingest and what to expect."""
    corpus = root / "corpus"
    corpus.mkdir()
    cases: list[Case] = []

    def write(name: str, data: bytes | str, kind: str, expect: str) -> Path:
        path = corpus / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        cases.append(Case(kind, str(path), expect))
        return path

    # Good articles of every format: all of them must be stored despite the rest.
    for article in generate(6, seed=7):
        write(f"good/{article.name}", article.text, "good .txt articles", STORED)
    feed_articles = generate(3, seed=8)
    feed = corpus / "good" / "feed.jsonl"
    feed.write_text("".join(json.dumps({"text": a.text}) + "\n" for a in feed_articles))
    cases += [Case("good .jsonl records", f"{feed}#{n}", STORED) for n in (1, 2, 3)]
    page = (
        "<html><head><title>Tollby ferry returns</title></head><body><article>"
        "<p>The Tollby ferry returned to service on Tuesday after a month in dry dock.</p>"
        '<p>"We missed the island and the island missed us," said Rasmus Osei, the captain, '
        "as the first passengers came aboard.</p></article></body></html>"
    )
    write("good/ferry.html", page, "good .html page", STORED)
    csv_good = corpus / "good" / "wire.csv"
    csv_good.write_text(
        _csv_text(
            ["title", "text", "outlet"],
            ["Brisk mill", _statement_article("Freya Kessler", "The mill stays", "Brisk"), "Wire"],
        )
    )
    cases.append(Case("good .csv row", f"{csv_good}#1", STORED))
    write(
        "good/packed.txt.gz",
        gzip.compress(_statement_article("Anton Vidal", "Packed but fine", "Norhem").encode()),
        "good gzipped article",
        STORED,
    )
    # The same text again under another name: stored once, not a failure.
    duplicate = generate(6, seed=7)[0].text
    write("good/zz_duplicate_of_article_001.txt", duplicate, "same text as another file", SKIPPED)

    # Empty, whitespace, binary, bad encodings.
    write("bad/empty.txt", b"", "empty file", "E002")
    write("bad/whitespace.txt", " \n\t\r\n\u3000\u00a0\n", "whitespace-only file", "E002")
    write("bad/only_bom.txt", codecs.BOM_UTF8, "UTF-8 BOM and nothing else", "E002")
    elf = b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8
    write("bad/program.txt", elf, "binary with a .txt extension", "E003")
    write(
        "bad/invalid_utf8.txt",
        b"Harbour news\n\nThe crane \x81\x8d\x9d broke down. \xc3\x28 \xed\xa0\x80\n",
        "invalid UTF-8 (and not windows-1252 either)",
        "E004",
    )
    latin = _statement_article("Inès Vidal", "Le café reste ouvert – naïvement", "Marnau")
    write("enc/latin1.txt", latin.encode("cp1252"), "Latin-1/cp1252 text", STORED)
    utf16 = _statement_article("Ingrid Åberg", "Ölkrise ist vorbei", "Sildvik")
    write("enc/utf16.txt", codecs.BOM_UTF16_LE + utf16.encode("utf-16-le"), "UTF-16 with BOM",
          STORED)  # fmt: skip
    utf8 = _statement_article("Yara Lindqvist", "The BOM is not part of the text", "Oster")
    write("enc/utf8_bom.txt", codecs.BOM_UTF8 + utf8.encode(), "UTF-8 with BOM", STORED)
    write("enc/rtl_emoji.txt", RTL_EMOJI_ARTICLE, "right-to-left and emoji text", STORED)
    controls = (
        "Control characters in a wire story\n\n"
        "The feed \x07 carried \x1b[31m escape codes \x0b and \x0c form feeds \x08 inside.\n\n"
        '"The feed is fine," said Elias Marchetti, who runs the wire desk.\n'
    )
    write("enc/controls.txt", controls, "control characters in text", STORED)

    # HTML: truncated, absurdly nested, over the size cap, without any text.
    truncated = (
        "<html><head><title>Harbour cranes idle</title></head><body><article>"
        '<p>"The cranes will stay idle until the spring," said Jonas Ekwall, the harbour '
        "master of Selmhaven, on Monday.</p><p>Workers at the port said the repairs would "
        "take months and cost some 40 million crowns.</p><p>More text, cut off in the mid"
        "<a hr"
    )
    write("html/truncated.html", truncated, "truncated HTML", STORED)
    deep = "<html><body>" + "<div>" * 10_000 + "<p>Deep words here.</p>" + "</div>" * 10_000
    write("html/deep.html", deep + "</body></html>", "HTML nested 10,000 deep", "E010")
    write("html/no_text.html", "<html><body><nav><a href='/'>Home</a></nav><script>x=1"
          "</script></body></html>", "HTML without article text", "E010")  # fmt: skip
    huge = corpus / "html" / "huge.html"
    with huge.open("w", encoding="utf-8") as out:
        out.write("<html><head><title>Huge</title></head><body>")
        paragraph = "<p>" + "The harbour cranes stayed idle all week. " * 24 + "</p>\n"
        out.write(paragraph * (50 * MB // len(paragraph) + 1))
        out.write("</body></html>")
    cases.append(Case("50 MB HTML page", str(huge), "E007"))

    # Text: 5 MB without a paragraph break, and quote marks of every kind.
    sentence = "The harbour master said the cranes would stay idle until the spring. "
    long_text = "One very long paragraph\n" + sentence * (5 * MB // len(sentence))
    write("txt/long_paragraph.txt", long_text, "5 MB article without a paragraph break",
          "E007")  # fmt: skip
    write("txt/quote_marks.txt", QUOTE_MARKS_ARTICLE, "unbalanced and nested quote marks",
          STORED)  # fmt: skip

    # Compressed: truncated stream and a gzip bomb in two formats.
    packed = gzip.compress(("Gz title\n\n" + "Words in a gzip stream. " * 4000).encode())
    write("gz/truncated.txt.gz", packed[: len(packed) // 2], "truncated .gz", "E006")
    write("gz/bomb.txt.gz", gzip_bomb(1024), "gzip bomb (1 GiB inflated) as .txt", "E007")
    write("gz/bomb.jsonl.gz", gzip_bomb(1024, b" "), "gzip bomb (1 GiB inflated) as .jsonl",
          "E007")  # fmt: skip

    # JSONL with broken lines and wrong types; CSV with wrong columns.
    broken = corpus / "rows" / "broken.jsonl"
    broken.parent.mkdir()
    lines = [
        json.dumps({"text": _statement_article("Kasper Osei", "Line one is fine", "Brisk")}),
        '{"text": "cut off in the mid',
        '["a", "list"]',
        json.dumps({"text": 42}),
        json.dumps({"text": None, "title": "null text"}),
        json.dumps({"title": "no text at all"}),
        "[" * 100_000,
        json.dumps({"text": "Wrong outlet type.", "outlet": ["a", "b"]}),
        '{"text": "big number", "n": ' + "9" * 5000 + "}",
        "\x00\x01 not json",
        json.dumps({"text": _statement_article("Leila Norling", "Line eleven is fine", "Tollby")}),
    ]
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    jsonl_expect = ["stored", "E011", "E011", "E014", "E012", "E012", "E011", "E014", "E011",
                    "E011", "stored"]  # fmt: skip
    cases += [
        Case("JSONL broken lines and wrong types", f"{broken}#{n}", expect)
        for n, expect in enumerate(jsonl_expect, 1)
    ]
    write("rows/no_text_column.csv", "title,url\nA,https://a.example\n",
          "CSV without a text column", "E013")  # fmt: skip
    ragged = corpus / "rows" / "ragged.csv"
    extra_cells = _statement_article("Viktor Aalto", "Extra cells are kept", "Oster")
    ragged.write_text(
        _csv_text(
            ["title", "text", "outlet"],
            ["Only a title"],
            ["Extra cells", extra_cells, "Wire", "surplus", "more"],
        )
    )
    cases += [
        Case("CSV rows with missing and extra cells", f"{ragged}#1", "E012"),
        Case("CSV rows with missing and extra cells", f"{ragged}#2", STORED),
    ]
    write("rows/nul.csv", b"text,title\nabc\x00def,x\n", "CSV with NUL bytes", "E003")
    write("rows/empty.jsonl", "\n \n\n", "JSONL without records", "E002")
    write("rows/header_only.csv", "text,title\n", "CSV with a header only", "E002")

    # Odd file names: each is an ordinary good article.
    odd_names = [
        "with space.txt",
        "ünïcødé 名前 🙂.txt",
        "quote\"s and 'apostrophes'.txt",
        "-leading-dash.txt",
        "new\nline.txt",
        "semi;colon $(touch pwned) `tick`.txt",
    ]
    speakers = ["Noor Brekke", "Idris Kessler", "Saga Marchetti", "Tomas Aalto", "Lena Osei",
                "Henrik Vidal"]  # fmt: skip
    for number, (name, speaker) in enumerate(zip(odd_names, speakers, strict=True)):
        text = _statement_article(speaker, f"Odd name number {number} is fine", "Korsvik")
        write(f"names/{name}", text, "odd file names", STORED)

    # Links, loops, special files.
    links = corpus / "links"
    links.mkdir()
    (links / "dangling.txt").symlink_to(root / "nowhere.txt")
    cases.append(Case("dangling symlink", str(links / "dangling.txt"), "E001"))
    (links / "sub").mkdir()
    (links / "sub" / "up").symlink_to(links, target_is_directory=True)
    write("links/sub/inside.txt", _statement_article("Ines Haddad", "Visited once", "Lurat"),
          "directory symlink to its parent", STORED)  # fmt: skip
    if HAS_FIFO:
        os.mkfifo(links / "walked_pipe.txt")
        cases.append(Case("FIFO in a walked directory", str(links / "walked_pipe.txt"), SKIPPED))
    if not IS_ROOT:
        secret = write("bad/unreadable.txt", "Title\nBody\n", "unreadable file", "E005")
        secret.chmod(0)
    write("bad/notes.md", "# not news\n", "unsupported format in a directory", SKIPPED)

    # Named explicitly: a symlink loop, a missing path, an unsupported format, a FIFO. (A
    # symlink loop inside a walked directory has a test of its own below.)
    explicit: list[Path] = []
    loops = root / "loops"
    loops.mkdir()
    (loops / "loop_a.txt").symlink_to(loops / "loop_b.txt")
    (loops / "loop_b.txt").symlink_to(loops / "loop_a.txt")
    cases.append(Case("symlink loop", str(loops / "loop_a.txt"), "E001"))
    explicit.append(loops / "loop_a.txt")
    missing = root / "missing" / "gone.txt"
    cases.append(Case("missing path", str(missing), "E001"))
    explicit.append(missing)
    pdf = root / "slides.pdf"
    pdf.write_bytes(b"%PDF-1.4 not for us")
    cases.append(Case("unsupported format named explicitly", str(pdf), "E008"))
    explicit.append(pdf)
    if HAS_FIFO:
        fifo = root / "pipe.txt"
        os.mkfifo(fifo)
        cases.append(Case("FIFO named explicitly", str(fifo), "E005"))
        explicit.append(fifo)
    return BadCorpus(paths=[corpus, *explicit], cases=cases)


def _restore_permissions(root: Path) -> None:
    # tmp_path cleanup must be able to delete what the test made unreadable.
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            path.chmod(0o644)


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BadCorpus]:
    root = tmp_path_factory.mktemp("bad_inputs")
    yield build_corpus(root)
    _restore_permissions(root)


@pytest.fixture(scope="module")
def api_run(
    bad_corpus: BadCorpus, tmp_path_factory: pytest.TempPathFactory
) -> tuple[IngestReport, Path, float]:
    """The one ingest run over the whole corpus through the Python API."""
    db = tmp_path_factory.mktemp("bad_inputs_db") / "store.db"
    started = time.monotonic()
    with quotegraph.open(db) as qg:
        report = qg.ingest(bad_corpus.paths, limits=RUN_LIMITS)
    return report, db, time.monotonic() - started


def test_the_corpus_has_at_least_25_kinds_of_bad_input(bad_corpus: BadCorpus) -> None:
    bad_kinds = {kind for kind in bad_corpus.kinds if not kind.startswith("good ")}
    # 34 as root, 35 otherwise: an unreadable file cannot be made as root.
    assert len(bad_kinds) >= 25, sorted(bad_kinds)


def test_every_bad_input_gets_its_code_in_one_run(
    api_run: tuple[IngestReport, Path, float], bad_corpus: BadCorpus
) -> None:
    report, db, _ = api_run
    got = {failure.source: failure.code for failure in report.failures}
    assert got == bad_corpus.expected_failures()
    for failure in report.failures:
        assert failure.code in CATALOGUE
        assert failure.message.startswith(f"{failure.code}: {CATALOGUE[failure.code]}")
        assert failure.source in failure.message  # the user can tell which input it was
        assert len(failure.message) < 2_000, failure.source  # readable, never a file dump
    with quotegraph.open(db, readonly=True) as qg:
        assert list(qg.failures(run_id=report.run_id)) == list(report.failures)


def test_every_good_input_of_the_same_run_is_stored(
    api_run: tuple[IngestReport, Path, float], bad_corpus: BadCorpus
) -> None:
    report, db, _ = api_run
    with quotegraph.open(db, readonly=True) as qg:
        stored = {a.source_file for a in qg.articles()}
        statements = list(qg.statements())
        articles = {a.article_id: a for a in qg.articles()}
    assert stored == bad_corpus.expected_articles()
    assert report.articles_added == len(stored)
    assert report.articles_skipped_duplicate == 1  # zz_duplicate_of_article_001.txt
    assert {a.article_id for a in articles.values()} >= {r.statement.article_id for r in statements}
    for record in statements:
        statement = record.statement
        text = articles[statement.article_id].text
        assert shown_content(text, statement.content_spans, statement.cue_span) == statement.content
    assert integrity(db) == []


def test_the_run_neither_hangs_nor_loses_time_on_big_inputs(
    api_run: tuple[IngestReport, Path, float],
) -> None:
    # A 50 MB page, a 5 MB paragraph and two 1 GiB bombs are refused by their caps, so the
    # run costs what its ~25 good articles cost. Generous: a slow CI machine, a cold model.
    _, _, seconds = api_run
    assert seconds < 90


def _speakers_by_source(db: Path) -> dict[str, dict[str, str]]:
    with quotegraph.open(db, readonly=True) as qg:
        out: dict[str, dict[str, str]] = {}
        for record in qg.statements():
            by_content = out.setdefault(record.source_file or "", {})
            by_content[record.statement.content] = record.statement.speaker or ""
        return out


def test_unusual_but_valid_text_is_read_exactly(
    api_run: tuple[IngestReport, Path, float], bad_corpus: BadCorpus
) -> None:
    _, db, _ = api_run
    root = bad_corpus.paths[0]
    with quotegraph.open(db, readonly=True) as qg:
        texts = {a.source_file: a for a in qg.articles()}
    latin = texts[str(root / "enc" / "latin1.txt")]
    assert "Le café reste ouvert – naïvement" in latin.text
    assert latin.metadata == {"encoding": "cp1252"}
    assert texts[str(root / "enc" / "utf16.txt")].text.startswith("Sildvik council")
    assert texts[str(root / "enc" / "utf8_bom.txt")].text.startswith("Oster council")
    assert texts[str(root / "enc" / "rtl_emoji.txt")].text == RTL_EMOJI_ARTICLE
    assert "\x1b[31m escape codes \x0b" in texts[str(root / "enc" / "controls.txt")].text
    speakers = _speakers_by_source(db)
    assert speakers[str(root / "enc" / "latin1.txt")] == {
        "Le café reste ouvert – naïvement": "Inès Vidal",
        # "The council of Marnau voted on the harbour plan": a vote is an attribution in
        # PolNeAR's sense, which the learned model follows.
        "the harbour plan": "council of Marnau",
    }
    assert (
        speakers[str(root / "enc" / "rtl_emoji.txt")].get(
            "The ferry 🚢 will sail again before the summer 🌞"
        )
        == "Pia Lundmark"
    )
    assert (
        speakers[str(root / "html" / "truncated.html")].get(
            "The cranes will stay idle until the spring"
        )
        == "Jonas Ekwall"
    )
    ragged = texts[f"{root / 'rows' / 'ragged.csv'}#2"]
    assert ragged.metadata == {"_extra": '["surplus", "more"]'}


def test_stray_quote_marks_do_not_swallow_the_rest_of_the_article(
    api_run: tuple[IngestReport, Path, float], bad_corpus: BadCorpus
) -> None:
    _, db, _ = api_run
    source = str(bad_corpus.paths[0] / "txt" / "quote_marks.txt")
    speakers = _speakers_by_source(db)[source]
    # After a dozen broken, reversed and unclosed marks the last ordinary quote is intact.
    assert speakers["The last quotation is ordinary"] == "Saga Norling"
    assert speakers["The bridge will open in May"] == "Mara Vellin"
    # Interrupted by its cue, the quotation is one statement in two pieces.
    assert speakers["Straight quotes are fine … and so are 'nested single' ones."] == "Henrik Dalby"


def test_the_cli_exits_1_and_lists_every_failed_input(
    bad_corpus: BadCorpus, tmp_path: Path
) -> None:
    db = tmp_path / "cli.db"
    # The CLI cannot take RUN_LIMITS, so it runs with the default caps: the 50 MB page is
    # still over the 20 MB HTML default and the bombs over the 200 MB inflation default.
    done = run_cli(["ingest", "--db", db, "--", *bad_corpus.paths], timeout=300)
    assert done.returncode == 1, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    expected = bad_corpus.expected_failures()
    assert f"{len(expected)} input(s) failed:" in done.stderr
    failure_lines = [line.strip() for line in done.stderr.splitlines() if re.match(r"\s+E0", line)]
    for source, code in expected.items():
        # One line per failure: "E0xx: summary [source] - detail"; a newline inside a
        # file name would split it, and no failing input here has one.
        listed = [line for line in failure_lines if f"[{source}]" in line]
        assert [line[:4] for line in listed] == [code], (source, code, listed)
    with quotegraph.open(db, readonly=True) as qg:
        assert {a.source_file for a in qg.articles()} == bad_corpus.expected_articles()
        assert sorted(f.code for f in qg.failures()) == sorted(expected.values())


# --------------------------------------------------------------------------- size caps


def _sparse(path: Path, size: int, head: bytes) -> Path:
    """A file of ``size`` bytes that costs almost no disk and no time to make."""
    with path.open("wb") as out:
        out.write(head)
        out.truncate(size)
    return path


@pytest.mark.parametrize(
    ("name", "cap"),
    [
        ("page.html", IngestLimits().max_html_bytes),
        ("page.htm", IngestLimits().max_html_bytes),
        ("story.txt", IngestLimits().max_file_bytes),
    ],
)
def test_default_caps_refuse_a_file_one_byte_over_without_opening_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, cap: int
) -> None:
    path = _sparse(tmp_path / name, cap + 1, b"<html><body><p>Title and words</p>")
    opened: list[str] = []

    def spy_open(file: object, *args: object, **kwargs: object) -> object:
        opened.append(os.fspath(file))  # type: ignore[arg-type]
        return builtins.open(file, *args, **kwargs)  # type: ignore[call-overload]

    # sources.py opens every input through the builtin; a module-level name shadows it.
    monkeypatch.setattr(ingest_sources, "open", spy_open, raising=False)
    results = list(iter_inputs([path]))
    assert [r.code for r in results if isinstance(r, Failure)] == ["E007"]
    assert opened == []  # refused by its size on disk, not after reading 20-50 MB
    # One byte less is read (and, being a sparse file of NULs, found to be binary).
    _sparse(path, cap, b"<html><body><p>Title and words</p>")
    assert [r.code for r in iter_inputs([path]) if isinstance(r, Failure)] == ["E003"]
    assert opened == [str(path)]


_PEAK_RSS_PROBE = """
import resource, sys
from quotegraph.ingest import iter_inputs
codes = [getattr(item, "code", "article") for item in iter_inputs(sys.argv[1:])]
print(codes, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak_rss_mb(*paths: Path) -> tuple[str, float]:
    """Read ``paths`` with the default limits in a fresh process; (codes, peak RSS in MB)."""
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS_PROBE, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    codes, peak = done.stdout.strip().rsplit(" ", 1)
    # ru_maxrss is KiB on Linux, bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return codes, int(peak) * scale / MB


@pytest.fixture(scope="module")
def baseline_rss_mb(tmp_path_factory: pytest.TempPathFactory) -> float:
    """Peak RSS of the same probe reading one small article: measured once for the four
    bombs, since what it measures (imports, one tiny read) is the same for each."""
    path = tmp_path_factory.mktemp("baseline") / "small.txt"
    path.write_text("Small title\n\nA small article.\n")
    return _peak_rss_mb(path)[1]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs the resource module")
@pytest.mark.parametrize(
    "name",
    [
        "bomb.txt.gz",
        "bomb.html.gz",
        "bomb.jsonl.gz",
        "bomb.csv.gz",
    ],
)
def test_gzip_bomb_memory_stays_bounded_with_default_limits(
    tmp_path: Path, name: str, baseline_rss_mb: float
) -> None:
    path = tmp_path / name
    path.write_bytes(gzip_bomb(1024))  # 1 MB on disk, 1 GiB inflated
    codes, peak = _peak_rss_mb(path)
    baseline = baseline_rss_mb
    assert codes in ("['E007']", "['E013']"), codes
    # The default caps allow one 50 MB document in memory; allow a few copies of it, far
    # below the 200 MB inflation cap and the 1 GiB the bomb inflates to.
    assert peak - baseline < 4 * IngestLimits().max_file_bytes / MB, (codes, peak, baseline)


# --------------------------------------------------------------------------- known bugs


def _good_article(directory: Path) -> Path:
    path = directory / "good.txt"
    path.write_text(_statement_article("Mara Vellin", "We will rebuild the pier", "Korsvik"))
    return path


def _ingest_survives(db: Path, paths: list[Path], **kwargs: object) -> IngestReport:
    """Ingest and require that the run itself completes (no exception, run finished)."""
    with quotegraph.open(db) as qg:
        report = qg.ingest(paths, **kwargs)  # type: ignore[arg-type]
        runs = list(qg.store.runs())
    assert runs[-1].finished_at is not None
    return report


def test_a_symlink_loop_inside_a_walked_directory_is_a_coded_failure(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    good = _good_article(corpus)
    (corpus / "loop_a.txt").symlink_to(corpus / "loop_b.txt")
    (corpus / "loop_b.txt").symlink_to(corpus / "loop_a.txt")
    report = _ingest_survives(tmp_path / "store.db", [corpus])
    assert report.articles_added == 1
    assert {(Path(f.source).name, f.code) for f in report.failures} <= {
        ("loop_a.txt", "E001"), ("loop_a.txt", "E005"), ("loop_b.txt", "E001"),
        ("loop_b.txt", "E005"),
    }  # fmt: skip
    assert str(good) in {a.source_file for a in iter_inputs([good]) if isinstance(a, Article)}


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs byte file names")
def test_a_file_name_that_is_not_utf8_does_not_abort_the_run(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    good = _good_article(corpus)
    # Latin-1 file names are common in old archives; os.fsdecode gives "\udce9" for 0xE9.
    raw = os.path.join(os.fsencode(corpus), b"caf\xe9 report.txt")
    with open(raw, "wb") as out:
        out.write(_statement_article("Jonas Ekwall", "The name is Latin-1", "Brisk").encode())
    report = _ingest_survives(tmp_path / "store.db", [corpus])
    with quotegraph.open(tmp_path / "store.db", readonly=True) as qg:
        stored = {a.source_file for a in qg.articles()}
    assert str(good) in stored
    assert report.articles_added == 2 or {f.code for f in report.failures} <= set(CATALOGUE)


def test_a_lone_surrogate_in_a_jsonl_key_does_not_abort_the_run(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    record = _statement_article("Pia Lundmark", "The key is odd", "Oster")
    feed.write_text(
        '{"\\ud800key": "value", "text": ' + json.dumps(record) + "}\n", encoding="utf-8"
    )
    good = _good_article(tmp_path)
    report = _ingest_survives(tmp_path / "store.db", [good, feed])
    assert report.articles_added == 2


@pytest.mark.parametrize("charset", ["rot13", "base64", "hex", "idna", "punycode", "undefined"])
def test_html_declaring_a_non_text_codec_is_read_or_refused_with_a_code(
    tmp_path: Path, charset: str
) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        f'<html><head><meta charset="{charset}"><title>Pier</title></head><body><article>'
        "<p>The pier in Korsvik will be rebuilt before the summer, the council said on "
        "Monday, after storms damaged it twice this winter, the café owners said.</p>"
        "</article></body></html>",
        encoding="utf-8",  # the page is UTF-8 whatever it declares, like many real ones
    )
    results = list(iter_inputs([page]))
    assert len(results) == 1
    assert isinstance(results[0], Article) or results[0].code in CATALOGUE


def test_a_csv_without_a_text_column_gets_a_short_failure_message(tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text("title," + "x" * 1_000_000 + "\nA,B\n")
    (failure,) = iter_inputs([wide])
    assert isinstance(failure, Failure)
    assert failure.code == "E013"
    assert len(failure.message) < 2_000


def test_an_article_over_the_parser_limit_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    sentence = "The harbour master said the cranes would stay idle until the spring. "
    big = tmp_path / "big.txt"
    big.write_text("Long title\n" + sentence * (3_100_000 // len(sentence)))
    good = _good_article(tmp_path)
    limits = IngestLimits(max_article_chars=4_000_000, max_file_bytes=8 * MB)
    report = _ingest_survives(tmp_path / "store.db", [good, big], limits=limits)
    assert report.articles_added >= 1
    assert {f.code for f in report.failures} <= {"E007", "E020"}


@pytest.mark.slow
def test_a_long_article_without_paragraph_breaks_costs_linear_cpu_time(tmp_path: Path) -> None:
    sentences = [
        "The harbour master said the cranes would stay idle until the spring. ",
        '"We cannot wait for another flood," Mara Vellin told reporters on Friday. ',
        "She said the repairs would cost some 40 million crowns. ",
        "According to the port authority, 3,500 containers are stuck. ",
    ]
    block = "".join(sentences)
    # A guard against quadratic passes, not a speed target: it compares the CPU time the
    # ingest of one article of 200,000 characters takes with that of one of 50,000, in this
    # process after a warm-up, so that loading the models (9 s of a CLI run) is out of both.
    # Linear work reads 4.7 (parse, extraction and corpus passes); a quadratic pass injected
    # into extraction reads 5.7 at 13 s more CPU at 200,000 characters and 7.7 at 27 s. The
    # CLI-based version of this test subtracted a separate short run's CPU, whose load-
    # dependent startup made it read 11 in a busy parallel test run whose output was
    # identical to a run reading 4.5.
    used = {}
    with quotegraph.open(tmp_path / "store.db") as qg:
        for chars in (2_000, 50_000, 200_000):
            path = tmp_path / f"long{chars}.txt"
            path.write_text("Long title\n" + block * (chars // len(block)) + "\n")
            before = time.process_time()
            report = qg.ingest(path, workers=1)
            used[chars] = time.process_time() - before
            assert report.articles_added == 1, report.failures
    growth = used[200_000] / max(used[50_000], 0.1)
    assert growth < 6.0, f"4 times the text took {growth:.1f} times the CPU ({used})"
