"""Quality gate: stories and copies on real news (PolNeAR train+dev).

The 924 articles go into an in-memory store without extraction (the copy and story passes
read only titles, texts and dates), the corpus passes run, and the stories are scored with
B-cubed over the hand-labelled events of ``events_gold.jsonl`` and the copies against the
reprint pairs of ``reprints_gold.jsonl`` (see ``events_gold.md``). One store per test
session, a few seconds of work. PolNeAR is third-party and not in the repository: without
``../shared`` (or ``$QUOTEGRAPH_SHARED``) the gate skips and says why.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

import quotegraph
from quotegraph.evaluate.polnear_gold import default_data_dir
from quotegraph.evaluate.stories import (
    load_events,
    load_reprints,
    polnear_articles,
    score_stories,
)

HERE = Path(__file__).parent
EVENTS = HERE / "events_gold.jsonl"
REPRINTS = HERE / "reprints_gold.jsonl"
FLOORS = json.loads((HERE / "stories_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def polnear_placed() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(file name -> article id, article id -> story id, copy -> original) on PolNeAR."""
    data = default_data_dir()
    if not (data / "train" / "text").is_dir():
        pytest.skip(f"PolNeAR not found at {data} (set QUOTEGRAPH_SHARED to the shared/ folder)")
    articles = polnear_articles(data)
    with quotegraph.open(":memory:") as qg:
        qg.add_unanalysed(article for _, article in articles)
        placed = qg.story_of_articles(), qg.copy_links()
    return {name: a.article_id for name, a in articles}, *placed


@pytest.fixture(scope="module")
def result(polnear_placed: tuple[dict[str, str], dict[str, str], dict[str, str]]) -> dict[str, Any]:
    for path, key in ((EVENTS, "events_sha256"), (REPRINTS, "reprints_sha256")):
        assert hashlib.sha256(path.read_bytes()).hexdigest() == FLOORS[key], (
            f"{path.name} changed: re-measure and re-pin stories_floors.json"
        )
    article_of, story_of, copy_of = polnear_placed
    return score_stories(
        load_events(EVENTS), load_reprints(REPRINTS), article_of, story_of, copy_of
    )


def _metric(values: dict[str, Any], path: str) -> float:
    for key in path.split("."):
        values = values[key]
    return float(values)  # type: ignore[arg-type]


@pytest.mark.parametrize("metric", sorted(FLOORS["floors"]))
def test_stories_and_copies_stay_above_their_floors(result: dict[str, Any], metric: str) -> None:
    floor = FLOORS["floors"][metric]
    assert _metric(result, metric) >= floor, f"{metric} {_metric(result, metric)} < {floor}"


def test_no_copy_links_articles_of_different_gold_events(
    polnear_placed: tuple[dict[str, str], dict[str, str], dict[str, str]],
) -> None:
    # A copy is one article printed twice: never two articles of different events.
    article_of, _, copy_of = polnear_placed
    event_of = {article_of[a]: e.event for e in load_events(EVENTS) for a in e.articles}
    for copy, original in copy_of.items():
        if copy in event_of and original in event_of:
            assert event_of[copy] == event_of[original]
