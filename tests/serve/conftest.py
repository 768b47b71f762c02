"""Stores and clients for the server tests.

The sample corpus is ingested once per session into a template store; each test module gets
its own copy (module-scoped), so a module that writes never disturbs another one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import quotegraph
from quotegraph.cli import sample_corpus_dir
from quotegraph.serve import ServeConfig, create_app

from .helpers import TOKEN, copy_store


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample corpus, ingested once per session; copy it, never open it."""
    db = tmp_path_factory.mktemp("serve-template") / "sample.db"
    with quotegraph.open(db) as qg:
        report = qg.ingest(sample_corpus_dir())
        assert report.ok, report.failures
    return db


@pytest.fixture(scope="module")
def sample_db(sample_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This module's own copy of the sample store."""
    return copy_store(sample_template, tmp_path_factory.mktemp("serve"))


@pytest.fixture(scope="module")
def client(sample_db: Path) -> Iterator[TestClient]:
    """A client of a server with writes enabled (token ``TOKEN``)."""
    with TestClient(create_app(ServeConfig(db=sample_db, token=TOKEN))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def readonly_client(sample_db: Path) -> Iterator[TestClient]:
    """A client of a server started without a token."""
    with TestClient(create_app(ServeConfig(db=sample_db))) as test_client:
        yield test_client
