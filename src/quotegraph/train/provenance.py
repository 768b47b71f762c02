"""What produced a trained model, and where a trainer writes it.

Every model a trainer writes records its provenance: a SHA-256 over the training data files
(their paths relative to the data folder and their bytes), the settings, the command line,
the UTC date and the quotegraph version. Trainers never overwrite a shipped model by
default: without ``--out`` they write to a new folder under ``trained/``; replacing the
shipped file is the deliberate ``--replace-shipped``.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quotegraph import __version__
from quotegraph.errors import QuotegraphError

DEFAULT_ROOT = Path("trained")
"""Where a trainer without ``--out`` creates its folder (relative to the working directory)."""

_CHUNK = 1 << 20


def data_fingerprint(paths: Iterable[Path]) -> str:
    """SHA-256 over every file under ``paths`` (files or folders), in sorted order.

    Each file contributes its name relative to the path given and its bytes, so a renamed,
    added, removed or edited file changes the fingerprint.
    """
    digest = hashlib.sha256()
    for root in paths:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for file in files:
            name = file.relative_to(root) if root.is_dir() else Path(file.name)
            digest.update(name.as_posix().encode("utf-8") + b"\0")
            with file.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
            digest.update(b"\0")
    return digest.hexdigest()


def provenance(
    data: Iterable[Path],
    settings: Mapping[str, Any],
    *,
    command: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The record a trained model keeps of what produced it (JSON-ready).

    ``command`` is the command line as the CLI parsed it; without one, this process's."""
    data = list(data)
    return {
        "data": [str(path) for path in data],
        "data_sha256": data_fingerprint(data),
        "settings": dict(settings),
        "command": command or " ".join(sys.argv),
        "date": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "quotegraph": __version__,
    }


def output_path(
    model: str,
    file_name: str | None,
    shipped: Path,
    *,
    out: Path | None,
    replace_shipped: bool,
    now: datetime | None = None,
) -> Path:
    """Where a trainer writes: ``out``, the shipped path, or a new ``trained/<model>-<time>``.

    ``file_name`` is the model file inside a new folder; ``None`` for models that are
    folders themselves. ``out`` and ``replace_shipped`` together are refused (E044).
    """
    if out is not None and replace_shipped:
        raise QuotegraphError("E044", detail="give either --out or --replace-shipped, not both")
    if out is not None:
        return out
    if replace_shipped:
        return shipped
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    folder = DEFAULT_ROOT / f"{model}-{stamp}"
    return folder / file_name if file_name else folder
