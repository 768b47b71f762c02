from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quotegraph.store import Store


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as s:
        yield s


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "quotegraph.db"


@pytest.fixture
def file_store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as s:
        yield s
