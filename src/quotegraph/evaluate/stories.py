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

import csv
import json
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.gold_lines import read_gold_lines
from quotegraph.ingest.records import article_id_for
from quotegraph.types import Article

SPLITS = ("train", "dev")
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
    metadata = _metadata(data_dir / "metadata.tsv")
    found = []
    for split in SPLITS:
        folder = data_dir / split / "text"
        if not folder.is_dir():
            raise QuotegraphError("E043", source=str(folder), detail="PolNeAR text missing")
        for path in sorted(folder.glob("*.txt")):
            text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
            outlet, published = metadata.get(path.stem, (None, None))
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


def _metadata(path: Path) -> dict[str, tuple[str | None, str | None]]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {
            row["filename"]: (row.get("publisher") or None, row.get("publication_date") or None)
            for row in rows
            if row.get("filename")
        }


def b_cubed(
    gold: Mapping[str, str], system: Mapping[str, Hashable], *, whole_clusters: bool = True
) -> dict[str, float]:
    """B-cubed precision, recall and F1 of ``system`` clusters over the items of ``gold``
    (an item missing from ``system`` is a cluster of its own).

    With ``whole_clusters`` a system cluster's size counts every item ``system`` puts in it,
    gold or not: the gold lists every article mainly about each event, so any other article
    in a gold article's story is one that does not belong there. Without it, clusters are
    cut down to the gold items (the usual reading for a partial gold, blind to a story
    that swallows unlabelled articles)."""
    if not gold:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "articles": 0}
    labels = {item: system.get(item, ("unplaced", item)) for item in gold}
    gold_sizes = Counter(gold.values())
    system_sizes = Counter(labels.values())
    if whole_clusters:
        system_sizes.update(label for item, label in system.items() if item not in gold)
    both = Counter((gold[item], labels[item]) for item in gold)
    precision = sum(both[(gold[i], labels[i])] / system_sizes[labels[i]] for i in gold)
    recall = sum(both[(gold[i], labels[i])] / gold_sizes[gold[i]] for i in gold)
    precision, recall = precision / len(gold), recall / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "articles": len(gold),
    }


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
