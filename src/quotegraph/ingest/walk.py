"""Expand the paths given to ingest into the files to read, in a stable order.

Directories are walked depth-first with entries in sorted name order; each directory is
visited once (by device and inode), so a symlink pointing back up the tree cannot loop.
Inside directories, files of unsupported formats are skipped silently; a path named
explicitly must be readable and of a supported format, or it yields a Failure.

``check_inputs`` looks before any of that: when none of the paths exists, or nothing under
them is of a supported format, it raises (E001, E009) so that a front end can refuse the run
before it creates a store.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace

from quotegraph.errors import QuotegraphError
from quotegraph.ingest.records import failure
from quotegraph.ingest.sources import FORMATS_BY_SUFFIX, GZIP_SUFFIX, InputFile, classify
from quotegraph.types import Failure, InputSurvey

logger = logging.getLogger(__name__)

PathInput = str | os.PathLike[str]


def _as_list(paths: Iterable[PathInput] | PathInput) -> list[str]:
    # A lone str is itself an iterable of one-letter "paths"; take it as one path instead.
    return [os.fspath(p) for p in ([paths] if isinstance(paths, str | os.PathLike) else paths)]


def iter_files(
    paths: Iterable[PathInput] | PathInput, *, relative_to: PathInput | None = None
) -> Iterator[InputFile | Failure]:
    """The files under ``paths``. Each file's ``source`` (stored as the article's
    ``source_file``) is its path as given; with ``relative_to``, its path from there."""
    for path in _as_list(paths):
        for item in _expand(path):
            yield item if relative_to is None else _shown_from(item, os.fspath(relative_to))


def _shown_from(item: InputFile | Failure, base: str) -> InputFile | Failure:
    if isinstance(item, Failure):
        return item
    shown = os.path.relpath(item.source, base)
    return replace(item, source=shown, path=item.location)


def survey_inputs(paths: Iterable[PathInput] | PathInput) -> InputSurvey:
    """Which paths are missing, and whether anything under the others can be read.

    Stops at the first readable (or unreadable but supported) file, so it costs little on a
    large folder; the unsupported files are counted only when nothing supported was found.
    """
    given = _as_list(paths)
    missing = tuple(p for p in given if not os.path.lexists(p))
    present = [p for p in given if p not in missing]
    for path in present:
        # A Failure counts too: the run will report it (a broken link, an unreadable folder).
        if next(_expand(path), None) is not None:
            return InputSurvey(missing=missing, supported=1, unsupported=())
    endings: Counter[str] = Counter(_ending(f) for p in present for f in _all_files(p))
    return InputSurvey(
        missing=missing,
        supported=0,
        unsupported=tuple(sorted(endings.items(), key=lambda e: (-e[1], e[0]))),
    )


def check_inputs(paths: Iterable[PathInput] | PathInput) -> InputSurvey:
    """The survey of ``paths``; raises E001 when none of them exists and E009 when nothing
    under them has a supported format (``skipped: 1 .jpg, 1 .yaml``)."""
    given = _as_list(paths)
    survey = survey_inputs(given)
    if survey.supported:
        return survey
    if given and len(survey.missing) == len(given):
        detail = "none of the inputs exists" if len(given) > 1 else None
        raise QuotegraphError("E001", source=", ".join(given), detail=detail)
    skipped = ", ".join(f"{n} {ending}" for ending, n in survey.unsupported) or "no files"
    missing = f"; missing: {', '.join(survey.missing)}" if survey.missing else ""
    supported = " ".join(sorted(FORMATS_BY_SUFFIX))
    raise QuotegraphError(
        "E009",
        source=", ".join(p for p in given if p not in survey.missing),
        detail=f"skipped: {skipped}{missing}; supported: {supported} (optionally .gz)",
    )


def _all_files(path: str) -> Iterator[str]:
    if not os.path.isdir(path):
        yield path
        return
    for folder, _, names in os.walk(path):
        for name in names:
            yield os.path.join(folder, name)


def _ending(path: str) -> str:
    """``.jpg``, ``.tar.gz``; ``(no ending)`` for a name without one."""
    name = os.path.basename(path).lower()
    base, ending = os.path.splitext(name.removesuffix(GZIP_SUFFIX))
    if not ending or not base:
        return "(no ending)"
    return ending + (GZIP_SUFFIX if name.endswith(GZIP_SUFFIX) else "")


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
