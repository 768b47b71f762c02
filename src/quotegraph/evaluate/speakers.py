"""Speaker identity across articles, scored with B-cubed against a hand-labelled gold set.

The gold (``tests/quality/speaker_gold.jsonl``, built by hand on PolNeAR articles) is one JSON
object per line: ``{"doc": <PolNeAR file id>, "start": .., "end": .., "entity": <key>}``. Each
line is the speaker mention of one predicted statement (its ``speaker_span`` offsets into the
article's ``.txt``) with the person or organisation it refers to; ``entity`` ``unknown``
marks mentions that name no one in particular or that the labeller could not tell, and those
are left out of the score.

The system's answer for a mention is the final ``speaker_id`` of its statement after
in-article resolution and the cross-article speaker pass (``corpus/speakers.py``), with the
articles written into a fresh in-memory store in publication order. A mention whose
statement has no speaker id, or that no predicted statement has any more (the extractor
changed), is a cluster of its own. The baseline is the same without the cross-article pass:
the id the store derives from the in-article name alone.

B-cubed (Bagga & Baldwin 1998): for each mention, precision is the share of its system
cluster that belongs to its gold entity and recall the share of its gold entity that is in
its system cluster; both are averaged over mentions and F1 is their harmonic mean.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.clusters import b_cubed
from quotegraph.evaluate.gold_lines import read_gold_lines
from quotegraph.evaluate.polnear_gold import NO_METADATA, SPLITS, article_metadata
from quotegraph.store import speaker_id_for
from quotegraph.types import Statement

UNKNOWN = "unknown"
"""Entity key of mentions left out of the score."""

K = TypeVar("K", bound=Hashable)
MentionKey = tuple[str, int, int]
"""``(doc, start, end)`` of a speaker mention."""


@dataclass(frozen=True)
class GoldMention:
    """One labelled speaker mention: offsets into the document's text and its entity."""

    doc: str
    start: int
    end: int
    entity: str

    @property
    def key(self) -> MentionKey:
        return (self.doc, self.start, self.end)


@dataclass(frozen=True)
class GoldText:
    """A document of the gold set as the extractor sees it."""

    name: str
    text: str
    published: str | None = None
    outlet: str | None = None


Predict = Callable[[Sequence[GoldText]], Mapping[str, Sequence[Statement]]]
Link = Callable[
    [Sequence[GoldText], Mapping[str, Sequence[Statement]], int],
    tuple[dict[MentionKey, str | None], int],
]
"""(texts, predicted statements, batches) → final speaker id per mention, ids merged."""
"""Documents in, statements per document name out (offsets into ``GoldText.text``)."""


# --------------------------------------------------------------------------- scoring


# --------------------------------------------------------------------------- gold


def load_speaker_gold(path: Path) -> tuple[GoldMention, ...]:
    """Read the gold JSONL (E065 for a malformed line)."""
    return read_gold_lines(path, _gold_line)


def _gold_line(line: str, where: str) -> GoldMention:
    try:
        record = json.loads(line)
        mention = GoldMention(
            str(record["doc"]), int(record["start"]), int(record["end"]), str(record["entity"])
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise QuotegraphError("E065", source=where, detail=str(exc)) from exc
    if not mention.entity or mention.start >= mention.end:
        raise QuotegraphError("E065", source=where, detail="empty entity or span")
    return mention


def load_gold_texts(data_dir: Path, names: Sequence[str]) -> list[GoldText]:
    """The texts (train or dev) and publication metadata of the named PolNeAR documents,
    oldest first (E066 when one is missing)."""
    metadata = article_metadata(Path(data_dir))
    texts: list[GoldText] = []
    for name in sorted(set(names)):
        path = _text_path(Path(data_dir), name)
        meta = metadata.get(name, NO_METADATA)
        text = path.read_bytes().decode("utf-8")
        texts.append(GoldText(name, text, meta.published, meta.outlet))
    return sorted(texts, key=lambda t: (t.published or "", t.name))


def _text_path(data_dir: Path, name: str) -> Path:
    for split in SPLITS:
        path = data_dir / split / "text" / f"{name}.txt"
        if path.is_file():
            return path
    raise QuotegraphError("E066", source=str(data_dir), detail=name)


# --------------------------------------------------------------------------- system side


def baseline_speaker_ids(
    predicted: Mapping[str, Sequence[Statement]],
) -> dict[MentionKey, str | None]:
    """The speaker id each mention gets from its in-article name alone (no linking)."""
    return {
        (name, *s.speaker_span): speaker_id_for(s.speaker, s.speaker_type) if s.speaker else None
        for name, statements in predicted.items()
        for s in statements
        if s.speaker_span is not None
    }


def resolved_in_article(
    scored: Sequence[GoldMention], predicted: Mapping[str, Sequence[Statement]]
) -> list[GoldMention]:
    """The mentions in-article resolution got right: named, and their entity is the one most
    mentions with the same resolved name have ("Mr. Clinton" resolved to "Hillary Clinton" is
    not). Scoring only these isolates what the cross-article pass does from the errors of the
    step before it."""
    names: dict[MentionKey, tuple[str, str]] = {
        (doc, *s.speaker_span): (s.speaker_type, s.speaker)
        for doc, statements in predicted.items()
        for s in statements
        if s.speaker_span is not None and s.speaker
    }
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for m in scored:
        if m.key in names:
            votes[names[m.key]][m.entity] += 1
    return [
        m for m in scored if m.key in names and votes[names[m.key]].most_common(1)[0][0] == m.entity
    ]


def _clusters(
    scored: Sequence[GoldMention], ids: Mapping[MentionKey, str | None]
) -> dict[MentionKey, Hashable]:
    """System cluster per scored mention; no id (or no statement) is a cluster of its own."""
    return {
        m.key: found if (found := ids.get(m.key)) is not None else ("alone", m.key) for m in scored
    }


# --------------------------------------------------------------------------- the run


def evaluate_speakers(
    data_dir: Path, gold_path: Path, predict: Predict, link: Link, *, batches: int = 1
) -> dict[str, Any]:
    """Score speaker identity with and without the cross-article pass; one JSON-ready dict.

    ``predict`` runs the extractor and ``link`` the store and speaker pass (the CLI passes
    ``quotegraph.predict``'s); this module only reads gold and scores.
    """
    if batches < 1:
        raise QuotegraphError("E044", detail="batches must be at least 1")
    gold = load_speaker_gold(gold_path)
    scored = [m for m in gold if m.entity != UNKNOWN]
    texts = load_gold_texts(data_dir, [m.doc for m in gold])
    started = time.perf_counter()
    predicted = predict(texts)
    analysed = time.perf_counter()
    linked, merged = link(texts, predicted, batches)
    finished = time.perf_counter()
    baseline = baseline_speaker_ids(predicted)
    truth = {m.key: m.entity for m in scored}
    named = resolved_in_article(scored, predicted)
    named_truth = {m.key: m.entity for m in named}
    return {
        **b_cubed(truth, _clusters(scored, linked)),
        "baseline": b_cubed(truth, _clusters(scored, baseline)),
        "resolved_in_article": {
            "mentions": len(named),
            "linked": b_cubed(named_truth, _clusters(named, linked)),
            "baseline": b_cubed(named_truth, _clusters(named, baseline)),
        },
        "mentions": len(scored),
        "entities": len(set(truth.values())),
        "documents": len(texts),
        "excluded_unknown": len(gold) - len(scored),
        "unmatched_mentions": sum(m.key not in linked for m in scored),
        "speaker_ids_merged": merged,
        "batches": batches,
        "seconds_extraction": round(analysed - started, 3),
        "seconds_store_and_linking": round(finished - analysed, 3),
    }


def cluster_errors(
    scored: Sequence[GoldMention], ids: Mapping[MentionKey, str | None]
) -> dict[str, Any]:
    """For error analysis: gold entities split over several system clusters, and system
    clusters that hold several gold entities (mention counts per part)."""
    clusters = _clusters(scored, ids)
    by_entity: dict[str, Counter[str]] = defaultdict(Counter)
    by_cluster: dict[str, Counter[str]] = defaultdict(Counter)
    for m in scored:
        label = str(clusters[m.key])
        by_entity[m.entity][label] += 1
        by_cluster[label][m.entity] += 1
    return {
        "split": {e: dict(c) for e, c in sorted(by_entity.items()) if len(c) > 1},
        "mixed": {k: dict(c) for k, c in sorted(by_cluster.items()) if len(c) > 1},
    }
