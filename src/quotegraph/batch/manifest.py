"""``DIR/_manifest.json``: written last by a batch run, so its presence means "complete".

It records the engine, quotegraph version, inputs, counts and the names of the parts. A
loader reads only the parts it lists: files left behind by a crashed or retried task are
never loaded twice, and a directory without a manifest (a run that did not finish) is refused
with E050.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from quotegraph.errors import QuotegraphError
from quotegraph.types import BatchReport

MANIFEST_NAME = "_manifest.json"
FORMAT_NAME = "quotegraph-shards"
FORMAT_VERSION = 1
_PART_NAME = re.compile(r"part-[0-9a-z]+")
"""Version of the manifest and the shard schemas (``shards.SCHEMAS``); bump on any change."""


def quotegraph_version() -> str:
    try:
        return version("quotegraph")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def prepare_output(out: Path) -> None:
    """Create ``out``; a directory that already holds anything is refused (E052), so two
    runs never mix their parts."""
    if out.exists() and not out.is_dir():
        raise QuotegraphError("E052", source=str(out), detail="it is a file")
    if out.is_dir() and any(out.iterdir()):
        raise QuotegraphError("E052", source=str(out), detail="use a new directory")
    out.mkdir(parents=True, exist_ok=True)


def write_manifest(report: BatchReport, inputs: Sequence[str]) -> Path:
    """Write the manifest atomically (temporary file, then rename)."""
    body: dict[str, Any] = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "quotegraph_version": quotegraph_version(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": list(inputs),
        **asdict(report),
    }
    body["parts"] = list(report.parts)
    target = Path(report.out) / MANIFEST_NAME
    partial = target.with_name(f".{MANIFEST_NAME}.partial")
    partial.write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, target)
    return target


def read_manifest(out: Path) -> BatchReport:
    """The report of the complete batch run in ``out``; E050 if it did not finish, E051 for
    a manifest of another format or version."""
    path = out / MANIFEST_NAME
    if not out.is_dir():
        raise QuotegraphError("E050", source=str(out), detail="no such directory")
    if not path.is_file():
        raise QuotegraphError(
            "E050", source=str(out), detail=f"no {MANIFEST_NAME}: the batch run did not finish"
        )
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise QuotegraphError("E051", source=str(path), detail=str(exc)) from exc
    return _report(body, path)


def _part_names(names: Any, path: Path) -> tuple[str, ...]:
    # Names become file paths: anything but part-<letters/digits> could point elsewhere.
    if not isinstance(names, list) or not all(
        isinstance(n, str) and _PART_NAME.fullmatch(n) for n in names
    ):
        raise QuotegraphError("E051", source=str(path), detail="bad part names")
    return tuple(names)


def _report(body: Any, path: Path) -> BatchReport:
    if not isinstance(body, dict) or body.get("format") != FORMAT_NAME:
        raise QuotegraphError("E051", source=str(path), detail="not a quotegraph shard manifest")
    if body.get("format_version") != FORMAT_VERSION:
        found = body.get("format_version")
        detail = f"format version {found!r}, this reader takes {FORMAT_VERSION}"
        raise QuotegraphError("E051", source=str(path), detail=detail)
    try:
        return BatchReport(
            out=str(path.parent),
            engine=str(body["engine"]),
            workers=int(body["workers"]),
            parts=_part_names(body["parts"], path),
            articles=int(body["articles"]),
            statements=int(body["statements"]),
            figures=int(body["figures"]),
            failures=int(body["failures"]),
            records_skipped=int(body.get("records_skipped", 0)),
            seconds=float(body.get("seconds", 0.0)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise QuotegraphError("E051", source=str(path), detail=f"bad field: {exc}") from exc
