"""The app under a real uvicorn: many requests at once on its thread pool, and a write
among the reads (SQLite connections are per thread, so this is what must hold)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2
import pytest

from quotegraph.serve import ServeConfig, create_app

from .helpers import TOKEN, auth, copy_store, running_server


@pytest.fixture(scope="module")
def base(sample_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = copy_store(sample_template, tmp_path_factory.mktemp("server"))
    with running_server(create_app(ServeConfig(db=db, token=TOKEN))) as url:
        yield url


def all_statement_ids(client: httpx2.Client, limit: int) -> list[str]:
    ids: list[str] = []
    cursor = None
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/statements", params=params).raise_for_status().json()
        ids += [item["statement_id"] for item in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            return ids


def test_concurrent_reads_and_a_write_all_succeed(base):
    urls = ["/api/v1/statements?speaker=Lena+Rask", "/api/v1/stories", "/", "/search?q=strike"]
    article = {
        "title": "Ferry crews strike in Saltmere",
        "text": 'Ferry crews walked out.\n\n"We are tired," said Ilse Varga, a ferry captain.\n',
    }
    with httpx2.Client(base_url=base, timeout=60) as client:
        expected = all_statement_ids(client, 500)

        def read(i: int) -> bool:
            if i % 10 == 0:
                # A full walk sees each statement once: the sample, maybe plus the new ones.
                ids = all_statement_ids(client, 7)
                return len(ids) == len(set(ids)) >= len(expected)
            return client.get(urls[i % len(urls)]).status_code == 200

        with ThreadPoolExecutor(max_workers=16) as pool:
            write = pool.submit(client.post, "/api/v1/articles", json=article, headers=auth())
            results = list(pool.map(read, range(120)))
        assert write.result().status_code == 201
        assert all(results)
        after = all_statement_ids(client, 50)
        assert len(after) == len(set(after)) > len(expected)


def test_method_not_allowed_lists_every_method_of_the_path(base):
    response = httpx2.put(f"{base}/api/v1/articles")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert httpx2.delete(f"{base}/").headers["allow"] == "GET, HEAD"
    assert response.json()["error"]["code"] == "E084"
