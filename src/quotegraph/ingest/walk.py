"""Expand the paths given to ingest into the files to read, in a stable order.

Directories are walked depth-first with entries in sorted name order; each directory is
visited once (by device and inode), so a symlink pointing back up the tree cannot loop.
Inside directories, files of unsupported formats are skipped silently; a path named
explicitly must be readable and of a supported format, or it yields a Failure.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator

from quotegraph.ingest.records import failure
from quotegraph.ingest.sources import FORMATS_BY_SUFFIX, InputFile, classify
from quotegraph.types import Failure

logger = logging.getLogger(__name__)

PathInput = str | os.PathLike[str]


def iter_files(paths: Iterable[PathInput] | PathInput) -> Iterator[InputFile | Failure]:
    # A lone str is itself an iterable of one-letter "paths"; take it as one path instead.
    for path in [paths] if isinstance(paths, str | os.PathLike) else paths:
        yield from _expand(os.fspath(path))


def _expand(given: str) -> Iterator[InputFile | Failure]:
    if not os.path.lexists(given):
        yield failure("E001", given)
    elif os.path.isdir(given):
        yield from _walk(given)
    elif not os.path.exists(given):
        yield failure("E001", given, detail="broken symbolic link")
    else:
        yield _explicit_file(given)


def _explicit_file(given: str) -> InputFile | Failure:
    item = classify(given)
    if item is None:
        suffixes = ", ".join(sorted(FORMATS_BY_SUFFIX))
        return failure("E008", given, detail=f"supported: {suffixes} (optionally .gz)")
    if not os.path.isfile(given):
        # FIFOs and devices could block forever or never end.
        return failure("E005", given, detail="not a regular file")
    return item


def _walk(root: str) -> Iterator[InputFile | Failure]:
    """Depth-first, sorted; an explicit stack so deep trees cannot hit the recursion limit."""
    visited: set[tuple[int, int]] = set()
    pending = [_children(root, visited)]
    while pending:
        entry = next(pending[-1], None)
        if entry is None:
            pending.pop()
        elif isinstance(entry, Failure):
            yield entry
        elif _is_dir(entry):
            pending.append(_children(entry.path, visited))
        else:
            found = _walked_file(entry)
            if found is not None:
                yield found


def _children(
    directory: str, visited: set[tuple[int, int]]
) -> Iterator[os.DirEntry[str] | Failure]:
    """The entries of one directory in name order (lazily: listed on first ``next``)."""
    try:
        status = os.stat(directory)
        key = (status.st_dev, status.st_ino)
        if key in visited:
            logger.debug("skipping %s: directory already visited (symlink loop?)", directory)
            return
        visited.add(key)
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield failure("E005", directory, detail=exc.strerror or str(exc))
        return
    yield from entries


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows symlinks; loops are caught by the visited set
    except OSError:
        return False


def _walked_file(entry: os.DirEntry[str]) -> InputFile | Failure | None:
    item = classify(entry.path)
    if item is None:
        return None
    try:
        is_file = entry.is_file()
    except OSError as exc:  # a symlink loop (ELOOP) and the like: this file only
        return failure("E005", entry.path, detail=exc.strerror or str(exc))
    if is_file:
        return item
    if entry.is_symlink() and not os.path.exists(entry.path):
        return failure("E001", entry.path, detail="broken symbolic link")
    logger.debug("skipping %s: not a regular file", entry.path)
    return None
