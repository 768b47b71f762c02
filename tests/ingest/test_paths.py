"""Which files are read, in what order, with what source_file, and path-level failures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quotegraph.ingest import IngestLimits, iter_inputs
from quotegraph.types import Article, Failure

from .helpers import Writer, ingest, only_failure


def sources(results: list[Article | Failure]) -> list[str | None]:
    return [item.source_file if isinstance(item, Article) else item.source for item in results]


def test_directory_is_walked_recursively_in_sorted_order(write: Writer, tmp_path: Path) -> None:
    write("corpus/b.txt", "B\n")
    write("corpus/a.txt", "A\n")
    write("corpus/sub/c.html", "<html><body><p>C paragraph with words.</p></body></html>")
    write("corpus/sub/d.jsonl", '{"text": "D"}\n')
    write("corpus/z.csv", "text\nZ\n")
    write("corpus/notes.md", "ignored")
    write("corpus/image.png", b"\x89PNG\x00")
    write("corpus/archive.gz", b"")
    root = str(tmp_path / "corpus")
    results = ingest(root)
    assert all(isinstance(item, Article) for item in results)
    assert sources(results) == [
        os.path.join(root, "a.txt"),
        os.path.join(root, "b.txt"),
        os.path.join(root, "sub", "c.html"),
        os.path.join(root, "sub", "d.jsonl") + "#1",
        os.path.join(root, "z.csv") + "#1",
    ]


def test_source_file_keeps_the_path_as_given(
    write: Writer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("corpus/a.txt", "A\n")
    monkeypatch.chdir(tmp_path)
    assert sources(ingest("corpus/")) == ["corpus/a.txt"]
    assert sources(ingest("./corpus/a.txt")) == ["./corpus/a.txt"]
    assert sources(list(iter_inputs([Path("corpus")]))) == [os.path.join("corpus", "a.txt")]


def test_missing_path_is_e001_and_the_rest_still_runs(write: Writer, tmp_path: Path) -> None:
    good = write("a.txt", "A\n")
    missing = str(tmp_path / "nope.txt")
    results = ingest(missing, good)
    assert isinstance(results[0], Failure)
    assert (results[0].code, results[0].source) == ("E001", missing)
    assert isinstance(results[1], Article)


def test_explicit_unsupported_extension_is_e008(write: Writer) -> None:
    path = write("notes.md", "# Notes\n")
    failure = only_failure(path)
    assert (failure.code, failure.source) == ("E008", str(path))


def test_gz_without_inner_format_is_e008(write: Writer) -> None:
    assert only_failure(write("data.gz", "x")).code == "E008"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_is_walked_once(write: Writer, tmp_path: Path) -> None:
    write("corpus/sub/a.txt", "A\n")
    (tmp_path / "corpus" / "sub" / "loop").symlink_to(tmp_path / "corpus", target_is_directory=True)
    results = ingest(tmp_path / "corpus")
    assert [item.text for item in results if isinstance(item, Article)] == ["A\n"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_broken_symlink_in_a_directory_is_e001(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "gone.txt").symlink_to(tmp_path / "missing.txt")
    assert only_failure(tmp_path / "corpus").code == "E001"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_is_e005(write: Writer) -> None:
    path = write("secret.txt", "A\n")
    path.chmod(0)
    try:
        assert only_failure(path).code == "E005"
    finally:
        path.chmod(0o644)


def test_oversized_file_is_e007(write: Writer) -> None:
    path = write("big.txt", "Title\n" + "x" * 2000)
    assert only_failure(path, limits=IngestLimits(max_file_bytes=1000)).code == "E007"
    assert only_failure(path, limits=IngestLimits(max_article_chars=100)).code == "E007"


def test_html_cap(write: Writer) -> None:
    path = write("big.html", "<html><body><p>" + "word " * 500 + "</p></body></html>")
    assert only_failure(path, limits=IngestLimits(max_html_bytes=1000)).code == "E007"


def test_stream_is_lazy(write: Writer, tmp_path: Path) -> None:
    write("corpus/a.txt", "A\n")
    write("corpus/b.txt", "B\n")
    stream = iter_inputs([tmp_path / "corpus"])
    first = next(stream)
    (tmp_path / "corpus" / "b.txt").unlink()  # read after the first article was handed out
    assert isinstance(first, Article)
    rest = list(stream)
    assert len(rest) == 1
    assert isinstance(rest[0], Failure)


@pytest.mark.parametrize("bad", [0, -1, True])
def test_limits_reject_nonsense(bad: int) -> None:
    with pytest.raises(ValueError, match="positive"):
        IngestLimits(max_file_bytes=bad)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_explicit_fifo_is_e005_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    failure = only_failure(fifo)
    assert failure.code == "E005"
    assert "not a regular file" in failure.message


def test_a_bare_string_is_one_path(write: Writer) -> None:
    path = write("a.txt", "A\n")
    results = list(iter_inputs(str(path)))  # a str is an Iterable[str]: easy to pass by mistake
    assert sources(results) == [str(path)]
