"""Faults at the server's edge: path traversal, and reads while another process ingests.

Paths are sent byte for byte over a raw connection (``http.client``), because HTTP client
libraries normalise ``..`` segments before a request would ever reach the server.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx2
import pytest

from quotegraph.serve import ServeConfig, create_app

from .helpers import copy_store, running_server

TRAVERSALS = [
    "/static/../../../../etc/passwd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/....//....//etc/passwd",
    "/static/%252e%252e/etc/passwd",
    "/api/v1/articles/..%2f..%2f..%2fetc%2fpasswd",
    "/api/v1/articles/../../../etc/passwd",
    "/articles/..%2f..%2fetc%2fpasswd",
    "/speakers/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static/style.css/../../../quotegraph/serve/app.py",
]


@pytest.fixture(scope="module")
def server(
    sample_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    db = copy_store(sample_template, tmp_path_factory.mktemp("faults"))
    with running_server(create_app(ServeConfig(db=db))) as url:
        yield url, db


def raw_get(base: str, path: str) -> tuple[int, str, bytes]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.getheader("content-type") or "", response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_never_serves_a_file_outside_the_package(server, path):
    status, _, body = raw_get(server[0], path)
    assert status in {400, 404, 422}, (status, body[:200])
    assert b"root:" not in body
    assert b"create_app" not in body
    if path.startswith("/api/"):
        error = json.loads(body)["error"]
        assert error["status"] == status
        assert error["code"]


def test_static_files_are_still_served(server):
    status, content_type, body = raw_get(server[0], "/static/style.css")
    assert status == 200
    assert "css" in content_type
    assert body


@pytest.mark.slow
def test_reads_succeed_while_another_process_ingests(server, tmp_path):
    base, db = server
    corpus = tmp_path / "incoming"
    corpus.mkdir()
    for n in range(40):
        (corpus / f"a{n:02d}.txt").write_text(
            f"Harbour note {n}\n\nThe pilot, Oda Fenwick, said that berth {n} would open at dawn. "
            f'"We counted {n + 3} ships," Fenwick told reporters on day {n}.\n',
            encoding="utf-8",
        )
    command = [sys.executable, "-m", "quotegraph.cli", "ingest", str(corpus), "--db", str(db)]
    writer = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    statuses: list[int] = []
    errors: list[str] = []
    with httpx2.Client(base_url=base, timeout=60) as client:
        while writer.poll() is None or len(statuses) < 20:
            for path in ("/api/v1/statements?limit=20", "/api/v1/counts", "/search?q=berth"):
                response = client.get(path)
                statuses.append(response.status_code)
                if response.status_code != 200:
                    errors.append(response.text[:300])
            time.sleep(0.02)
        _, stderr = writer.communicate(timeout=120)
        assert writer.returncode == 0, stderr.decode()[-2000:]
        counts = client.get("/api/v1/counts").raise_for_status().json()
    assert not errors, errors[:3]
    assert all(code == 200 for code in statuses)
    assert not any("locked" in e for e in errors)
    assert counts["articles"] >= 13 + 40
