"""Open input files as byte streams, inflating ``.gz`` transparently and within limits.

Every problem is raised as a ``QuotegraphError`` so the caller can turn it into a Failure:
a truncated or corrupt gzip stream is ``E006``, inflating past a cap is ``E007``.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quotegraph.errors import QuotegraphError
from quotegraph.ingest.limits import IngestLimits
from quotegraph.types import InputFormat

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

FORMATS_BY_SUFFIX: dict[str, InputFormat] = {
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".csv": "csv",
    # warcio inflates .warc.gz itself (gzip member by member): open_input is not used there.
    ".warc": "warc",
    ".rss": "rss",
    ".atom": "rss",
    ".xml": "rss",  # only feeds are read; other XML is skipped (see read_rss)
}
GZIP_SUFFIX = ".gz"
_CHUNK = 1 << 16


@dataclass(frozen=True)
class InputFile:
    """One file to read: the path as the user will see it, its format and compression."""

    source: str
    input_format: InputFormat
    compressed: bool
    path: str = ""
    """Where to read it, when that is not ``source`` (the demo shows ``sample/x.txt`` for a
    file inside the installed package)."""

    @property
    def location(self) -> str:
        return self.path or self.source


def classify(path: str) -> InputFile | None:
    """The InputFile for ``path`` by its name (``x.jsonl.gz`` -> jsonl, gzip), or None."""
    name = os.path.basename(path).lower()
    compressed = name.endswith(GZIP_SUFFIX)
    if compressed:
        name = name.removesuffix(GZIP_SUFFIX)
    input_format = FORMATS_BY_SUFFIX.get(os.path.splitext(name)[1])
    if input_format is None:
        return None
    return InputFile(source=path, input_format=input_format, compressed=compressed)


class _GuardedGzip(io.RawIOBase):
    """Raw reader over a GzipFile that counts inflated bytes and maps gzip errors to codes."""

    def __init__(self, inner: gzip.GzipFile, source: str, cap: int) -> None:
        super().__init__()
        self._inner = inner
        self._source = source
        self._cap = cap
        self._total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        try:
            count = self._inner.readinto(buffer)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise QuotegraphError("E006", source=self._source, detail=str(exc)) from exc
        self._total += count
        if self._total > self._cap:
            raise QuotegraphError(
                "E007",
                source=self._source,
                detail=f"inflates past max_decompressed_bytes ({self._cap:,} bytes)",
            )
        return count


@contextmanager
def open_input(item: InputFile, limits: IngestLimits) -> Iterator[io.BufferedReader]:
    """A buffered binary stream over the file's (decompressed) bytes."""
    with open(item.location, "rb") as raw:
        if not item.compressed:
            yield raw
            return
        with gzip.GzipFile(fileobj=raw, mode="rb") as inflating:
            guarded = _GuardedGzip(inflating, item.source, limits.max_decompressed_bytes)
            yield io.BufferedReader(guarded, buffer_size=_CHUNK)


def read_document(item: InputFile, limits: IngestLimits, cap: int) -> bytes:
    """All bytes of a file read whole (txt, html); more than ``cap`` bytes is E007."""
    if not item.compressed and os.stat(item.location).st_size > cap:
        # Refuse before reading: the size on disk is the size we would hold.
        raise _too_large(item.source, cap)
    with open_input(item, limits) as stream:
        data = stream.read(cap + 1)
    if len(data) > cap:
        raise _too_large(item.source, cap)
    return data


def _too_large(source: str, cap: int) -> QuotegraphError:
    return QuotegraphError("E007", source=source, detail=f"larger than {cap:,} bytes")


def skip_line(stream: io.BufferedReader) -> None:
    """Discard the rest of an over-long line without holding it in memory."""
    while True:
        chunk = stream.readline(_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return
