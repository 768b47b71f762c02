"""Shared helpers for the ingest tests: every input is a file written into tmp_path."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from .helpers import Writer


@pytest.fixture
def write(tmp_path: Path) -> Writer:
    """Write text (UTF-8, no newline translation) or bytes; ``.gz`` names are gzipped."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(gzip.compress(data) if name.lower().endswith(".gz") else data)
        return path

    return _write
