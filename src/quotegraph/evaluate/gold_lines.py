"""Reading the project's hand-labelled gold sets: one JSON object per line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def read_gold_lines(path: Path, parse: Callable[[str, str], T]) -> tuple[T, ...]:
    """``parse(line, "file:line")`` for every non-blank line of ``path``, in order; the
    second argument names the line for the parser's error message."""
    records = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            records.append(parse(line, f"{path}:{number}"))
    return tuple(records)
