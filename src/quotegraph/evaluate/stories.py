"""Stories and copies, scored against hand-labelled events and reprints on PolNeAR.

Two gold sets, both built by reading PolNeAR train and dev articles (see
``tests/quality/events_gold.md``):

* ``events_gold.jsonl``: one real event a line, ``{"event", "title", "first", "last",
  "split", "articles": [file names]}``, every article mainly about the event; ``split`` is
  ``tune`` (the events the story settings were chosen on) or ``heldout``;
* ``reprints_gold.jsonl``: ``{"original", "copy", "note"}``, pairs of articles that are one
  article printed twice (web and print versions, reruns, versions of a live blog).

Stories are scored with B-cubed over the gold events' articles: for each article, precision
is the share of its story's articles that belong to its event (every article of the story
counts, since the gold lists every article mainly about each event), recall the share of
its event's articles in its story. The
score is given over all gold events and over each split, each split scored on its own
articles. A reprint pair is found when one article is linked as a copy of the other, or both
are copies of one original; a pair whose two files have the same text is one stored article
and counts as found.

Nothing here runs the pipeline: the caller builds or opens the store and hands over what it
placed (article -> story, copy -> original).
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.clusters import b_cubed as cluster_b_cubed
from quotegraph.evaluate.gold_lines import read_gold_lines
from quotegraph.evaluate.polnear_gold import NO_METADATA, SPLITS, article_metadata
from quotegraph.ingest.records import article_id_for
from quotegraph.types import Article

GOLD_SPLITS = ("tune", "heldout")


@dataclass(frozen=True)
class GoldEvent:
    event: str
    title: str
    split: str
    articles: tuple[str, ...]
    """PolNeAR file names (without ``.txt``)."""


@dataclass(frozen=True)
class GoldReprint:
    original: str
    copy: str


def load_events(path: Path) -> tuple[GoldEvent, ...]:
    return read_gold_lines(path, _event_line)


def _event_line(line: str, where: str) -> GoldEvent:
    try:
        row = json.loads(line)
        event = GoldEvent(row["event"], row["title"], row["split"], tuple(row["articles"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise QuotegraphError("E078", source=where, detail=str(exc)) from exc
    if event.split not in GOLD_SPLITS or not event.articles:
        raise QuotegraphError("E078", source=where, detail="split or articles missing")
    return event


def load_reprints(path: Path) -> tuple[GoldReprint, ...]:
    return read_gold_lines(path, _reprint_line)


def _reprint_line(line: str, where: str) -> GoldReprint:
    try:
        row = json.loads(line)
        return GoldReprint(row["original"], row["copy"])
    except (ValueError, KeyError, TypeError) as exc:
        raise QuotegraphError("E078", source=where, detail=str(exc)) from exc


def polnear_articles(data_dir: Path) -> list[tuple[str, Article]]:
    """PolNeAR train and dev as articles (file name, article), as ingesting them as JSONL
    with outlet and date would store them: text = the ``.txt`` file, title = its first
    line, outlet = publisher and published = publication date from ``metadata.tsv``."""
    metadata = article_metadata(data_dir)
    found = []
    for split in SPLITS:
        folder = data_dir / split / "text"
        if not folder.is_dir():
            raise QuotegraphError("E043", source=str(folder), detail="PolNeAR text missing")
        for path in sorted(folder.glob("*.txt")):
            text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
            outlet, published = metadata.get(path.stem, NO_METADATA)
            article = Article(
                article_id=article_id_for(text),
                text=text,
                title=text.split("\n", 1)[0].strip() or None,
                source_file=f"polnear.jsonl#{path.stem}",
                url=f"polnear:{split}/{path.stem}",
                outlet=outlet,
                published=published,
                input_format="jsonl",
            )
            found.append((path.stem, article))
    return found


def b_cubed(
    gold: Mapping[str, str], system: Mapping[str, Hashable], *, whole_clusters: bool = True
) -> dict[str, float]:
    """B-cubed over the gold articles (``evaluate.clusters``), with their count.

    With ``whole_clusters`` (the default here) any other article in a gold article's story
    counts against it: the gold lists every article mainly about each event. Without it,
    stories are cut down to the gold articles (the usual reading for a partial gold, blind
    to a story that swallows unlabelled articles)."""
    scores = cluster_b_cubed(gold, system, whole_clusters=whole_clusters)
    return {**scores, "articles": len(gold)}


def score_stories(
    events: Sequence[GoldEvent],
    reprints: Sequence[GoldReprint],
    article_of: Mapping[str, str],
    story_of: Mapping[str, str],
    copy_of: Mapping[str, str],
) -> dict[str, Any]:
    """B-cubed of the stories over the gold events' articles (all, tune, held-out; whole
    stories, and under ``gold_only`` stories cut down to the gold articles) and the share
    of gold reprint pairs linked.

    ``article_of`` maps a file name to its article id, ``story_of`` an article id to its
    story id, ``copy_of`` a copy's article id to its original's.
    """
    result: dict[str, Any] = {"gold_only": {}}
    for name, chosen in (("all", None), *((s, s) for s in GOLD_SPLITS)):
        gold = {
            article_of[a]: e.event
            for e in events
            if chosen in (None, e.split)
            for a in e.articles
            if a in article_of
        }
        result[name] = b_cubed(gold, story_of)
        result["gold_only"][name] = b_cubed(gold, story_of, whole_clusters=False)
    found = [_linked(r, article_of, copy_of) for r in reprints]
    result["reprints"] = {
        "pairs": len(reprints),
        "found": sum(found),
        "share": round(sum(found) / len(reprints), 4) if reprints else 0.0,
        "missed": [
            f"{r.original} ~ {r.copy}" for r, ok in zip(reprints, found, strict=True) if not ok
        ],
    }
    result["events"] = len(events)
    return result


def _linked(pair: GoldReprint, article_of: Mapping[str, str], copy_of: Mapping[str, str]) -> bool:
    a, b = article_of.get(pair.original), article_of.get(pair.copy)
    if a is None or b is None:
        return False
    return a == b or copy_of.get(a, a) == copy_of.get(b, b)
