"""Time of the corpus passes on a store of 10,000 synthetic articles, without spaCy.

Usage::

    python benchmarks/bench_passes.py [--articles 10000] [--seed 7] [--steps 20] [--keep DIR]
        [--no-passes]

Builds a store of synthetic but varied articles: events of 20 kinds (each kind with its own
30 words, as "strike" or "flood" would have) happen in made-up places over a year, each
reported by 1-8 articles from 12 outlets over a few days; every article mixes common filler
words (Zipf-distributed), words of its event's kind, words of its own event and the names of
the event's people, and carries 1-4 statements by them (plus some unnamed sources). Articles
and statements are written straight through ``Store.write_extractions`` with hand-built
``Extraction`` records: no NLP runs. All words are generated from syllables, so the text is
nobody's prose; places and people are capitalised, as names are in news.

Then it times, each in a store of its own (wall and CPU time: on a shared machine the wall
time also counts other processes' turns):

* ``link_copies`` then ``place_articles`` over the whole store at once (one corpus pass
  after a bulk load), and after each of ``--steps`` ingests of an equal share (the passes
  after every ingest), and
  reports how well the stories match the generator's events (pairwise precision and recall:
  of the article pairs put in one story, the share from one event, and of the pairs from one
  event, the share put in one story);
* ``quotegraph.corpus.passes.run_corpus_passes`` (every pass: speakers, stories, stance and
  claims) after a bulk load, if that module exists, unless ``--no-passes``, with the pairs the
  stance pass compared and those the pair model read, per second (the pass's default: the
  shipped pair model only where ``judge.MODEL_DECIDES`` says it has earned deciding; without
  it the rules decide).
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import random
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

from quotegraph.corpus.copies import link_copies
from quotegraph.corpus.stories import place_articles
from quotegraph.store import Store
from quotegraph.types import Article, Extraction, Statement

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ren",
    "tus",
    "va",
    "dor",
    "el",
    "sin",
    "bra",
    "ke",
    "mon",
    "ta",
    "ri",
    "gal",
    "pe",
    "ost",
    "un",
    "dra",
    "fe",
    "li",
    "ser",
    "nov",
    "ag",
    "hul",
    "mer",
    "tin",
    "zo",
    "ra",
    "bel",
    "cor",
    "as",
    "vin",
    "do",
    "sta",
    "gre",
    "pul",
    "ha",
    "lin",
    "qua",
    "ber",
]
KINDS = 20
OUTLETS = [
    f"{name} {kind}"
    for name, kind in zip(
        [
            "Lantern",
            "Harbour",
            "Northern",
            "Meadow",
            "Granite",
            "Silver",
            "River",
            "Beacon",
            "Summit",
            "Coastal",
            "Valley",
            "Evening",
        ],
        [
            "Gazette",
            "Courier",
            "Wire",
            "Post",
            "Daily",
            "Herald",
            "Times",
            "Ledger",
            "Tribune",
            "Observer",
            "News",
            "Standard",
        ],
        strict=True,
    )
]
START = date(2030, 1, 1)


@dataclass(frozen=True)
class Event:
    event_id: int
    kind: int
    place: str
    day: date
    words: tuple[str, ...]
    speakers: tuple[str, ...]


class Generator:
    """Synthetic words, events and articles from one seeded random source."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.filler = self._words(3_000, 2, 3)
        self.kind_words = [self._words(30, 3, 4) for _ in range(KINDS)]
        # Zipf weights: a few filler words are everywhere, most are rare.
        self.filler_weights = [1.0 / (rank + 1) for rank in range(len(self.filler))]
        self.people = [
            f"{self._word(2, 3).title()} {self._word(2, 4).title()}" for _ in range(4_000)
        ]

    def _word(self, low: int, high: int) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(low, high)))

    def _words(self, count: int, low: int, high: int) -> list[str]:
        found: dict[str, None] = {}
        while len(found) < count:
            word = self._word(low, high)
            if len(word) >= 5:
                found[word] = None
        return list(found)

    def events(self, articles: int) -> Iterator[tuple[Event, int]]:
        """Events with how many articles report each, until ``articles`` are reached."""
        made = 0
        event_id = 0
        while made < articles:
            size = min(articles - made, self.rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 8]))
            yield self._event(event_id), size
            made += size
            event_id += 1

    def _event(self, event_id: int) -> Event:
        return Event(
            event_id=event_id,
            kind=self.rng.randrange(KINDS),
            place=self._word(2, 3).title(),
            day=START + timedelta(days=self.rng.randrange(365)),
            words=tuple(self._words(8, 3, 4)),
            speakers=tuple(self.rng.sample(self.people, self.rng.randint(2, 5))),
        )

    def article(self, event: Event, number: int) -> Extraction:
        rng = self.rng
        sentences = [self._sentence(event) for _ in range(rng.randint(10, 22))]
        title = " ".join([event.place, *rng.sample(event.words, 2), *self._filler(3)]).title()
        text = title + "\n\n"
        statements = []
        quoted = rng.sample(range(1, len(sentences)), min(len(sentences) - 1, rng.randint(1, 4)))
        for n, sentence in enumerate(sentences):
            if n in quoted:
                speaker = rng.choice([*event.speakers, None])
                start = len(text) + 1
                text += f'"{sentence}," said {speaker or "an official"}. '
                statements.append((start, sentence, speaker))
            else:
                text += sentence + ". "
        article_id = hashlib.sha256(text.encode()).hexdigest()[:16]
        published = event.day + timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 5]))
        item = Article(
            article_id=article_id,
            text=text,
            title=title,
            source_file=f"synthetic/{event.event_id}-{number}.txt",
            outlet=rng.choice(OUTLETS),
            published=published.isoformat(),
            metadata={"event": str(event.event_id)},
        )
        return Extraction(
            item,
            tuple(
                _statement(article_id, seq, start, sentence, speaker)
                for seq, (start, sentence, speaker) in enumerate(statements)
            ),
        )

    def _filler(self, count: int) -> list[str]:
        return self.rng.choices(self.filler, weights=self.filler_weights, k=count)

    def _sentence(self, event: Event) -> str:
        rng = self.rng
        words = self._filler(rng.randint(8, 16))
        words += rng.sample(self.kind_words[event.kind], 2)
        words += rng.sample(event.words, rng.randint(1, 3))
        if rng.random() < 0.4:
            words.append(event.place)
        if rng.random() < 0.2:
            words.append(rng.choice(event.speakers))
        rng.shuffle(words)
        sentence = " ".join(words)
        # Only the first letter is raised: places and people keep their capitals, as in news.
        return sentence[0].upper() + sentence[1:]


def _statement(
    article_id: str, seq: int, start: int, content: str, speaker: str | None
) -> Statement:
    return Statement(
        statement_id=hashlib.sha256(f"{article_id}:{seq}".encode()).hexdigest()[:16],
        article_id=article_id,
        kind="direct",
        content=content,
        content_spans=((start, start + len(content)),),
        cue="said",
        speaker=speaker,
        speaker_mention=speaker or "an official",
        speaker_type="person" if speaker else "anonymous",
        confidence=0.9,
        rule="quote",
    )


def corpus(articles: int, seed: int) -> list[Extraction]:
    """The synthetic corpus in ingest order (roughly by month, shuffled within a month)."""
    generator = Generator(seed)
    extractions = [
        generator.article(event, n)
        for event, size in generator.events(articles)
        for n in range(size)
    ]
    generator.rng.shuffle(extractions)
    extractions.sort(key=lambda e: (e.article.published or "")[:7])
    return extractions


def write(store: Store, extractions: list[Extraction]) -> None:
    run_id = store.begin_run("bench_passes")
    for start in range(0, len(extractions), 1_000):
        store.write_extractions(run_id, extractions[start : start + 1_000])


def pair_scores(store: Store) -> tuple[float, float, int]:
    """Pairwise precision and recall of the stories against the generator's events."""
    event_of: dict[str, str] = {}
    for article in store.articles():
        event_of[article.article_id] = article.metadata["event"]
    together = same_event_together = 0
    for story in store.stories():
        for a, b in combinations(story.article_ids, 2):
            together += 1
            same_event_together += event_of[a] == event_of[b]
    sizes = Counter(event_of.values())
    same_event = sum(n * (n - 1) // 2 for n in sizes.values())
    precision = same_event_together / together if together else 1.0
    recall = same_event_together / same_event if same_event else 1.0
    return precision, recall, sum(1 for _ in store.stories())


def time_at_once(db: Path, extractions: list[Extraction]) -> None:
    """One corpus pass after a bulk load of everything."""
    with Store.open(db) as store:
        started = time.perf_counter()
        write(store, extractions)
        counts = store.counts()
        print(
            f"wrote {counts['articles']:,} articles, {counts['statements']:,} statements "
            f"in {time.perf_counter() - started:.1f} s (not part of the pass)"
        )
        started, cpu = time.perf_counter(), time.process_time()
        copies = link_copies(store)
        copy_seconds, copy_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        placed, created = place_articles(store)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        precision, recall, stories = pair_scores(store)
    # CPU time too: on a shared machine wall time also counts other processes' turns.
    print(
        f"link_copies, whole store at once: {copies:,} copies linked, "
        f"{copy_seconds:.1f} s wall, {copy_cpu:.1f} s CPU"
    )
    print(
        f"place_articles, whole store at once: {placed:,} articles placed, "
        f"{created:,} stories, {seconds:.1f} s wall, {cpu:.1f} s CPU "
        f"({placed / seconds:,.0f} articles/s wall)"
    )
    print(
        f"  copy and story passes together: {copy_seconds + seconds:.1f} s wall, "
        f"{copy_cpu + cpu:.1f} s CPU"
    )
    print(
        f"  stories vs generated events: pairwise precision {precision:.3f}, "
        f"recall {recall:.3f} ({stories:,} stories for {_events(extractions):,} events)"
    )


def _events(extractions: list[Extraction]) -> int:
    return len({e.article.metadata["event"] for e in extractions})


def time_incremental(db: Path, extractions: list[Extraction], steps: int) -> None:
    """Ingest in ``steps`` parts, with the story pass after each: only new articles move."""
    per_step = math.ceil(len(extractions) / steps)
    timings = []
    cpu = 0.0
    with Store.open(db) as store:
        for start in range(0, len(extractions), per_step):
            write(store, extractions[start : start + per_step])
            started, cpu_started = time.perf_counter(), time.process_time()
            link_copies(store)
            place_articles(store)
            timings.append(time.perf_counter() - started)
            cpu += time.process_time() - cpu_started
        precision, recall, stories = pair_scores(store)
    print(
        f"link_copies + place_articles after each of {len(timings)} ingests of "
        f"{per_step:,} articles: "
        f"{sum(timings):.1f} s wall, {cpu:.1f} s CPU in all; "
        f"first {timings[0]:.2f} s, last {timings[-1]:.2f} s"
    )
    print(f"  pairwise precision {precision:.3f}, recall {recall:.3f} ({stories:,} stories)")


def time_corpus_passes(db: Path, extractions: list[Extraction]) -> None:
    from quotegraph.corpus.judge import MODEL_DECIDES
    from quotegraph.corpus.pair_model import shipped_model_available
    from quotegraph.corpus.passes import run_corpus_passes

    with Store.open(db) as store:
        write(store, extractions)
        started, cpu = time.perf_counter(), time.process_time()
        report = run_corpus_passes(store)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    passes = ", ".join(f"{name} {s:.1f} s" for name, s in report.seconds.items())
    print(
        f"run_corpus_passes, whole store at once: {seconds:.1f} s wall, {cpu:.1f} s CPU ({passes})"
    )
    stance = max(report.seconds.get("stance", 0.0), 1e-9)
    model = (
        "the shipped pair model"
        if MODEL_DECIDES and shipped_model_available()
        else "no pair model by default: rules"
    )
    print(
        f"  stance pass ({model}): {report.pairs_compared:,} pairs compared "
        f"({report.pairs_compared / stance:,.0f}/s), {report.pairs_scored:,} read by the model "
        f"({report.pairs_scored / stance:,.0f}/s), {report.relations_found:,} relations"
    )
    print(f"  {report}")


def main() -> None:
    # The passes run alone here, on the machine's 2 cores: the pair model may use both (the
    # default of one thread is for passes beside parse workers).
    os.environ.setdefault("QUOTEGRAPH_PAIR_THREADS", "2")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--steps", type=int, default=20, help="Ingests to simulate.")
    parser.add_argument("--keep", type=Path, help="Keep the stores in this directory.")
    parser.add_argument("--no-passes", action="store_true", help="Skip run_corpus_passes.")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-passes-")) if args.keep is None else args.keep
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        extractions = corpus(args.articles, args.seed)
        print(f"generated {len(extractions):,} articles in {time.perf_counter() - started:.1f} s")
        time_at_once(workdir / "at_once.db", extractions)
        time_incremental(workdir / "incremental.db", extractions, args.steps)
        if not args.no_passes:
            time_corpus_passes(workdir / "passes.db", extractions)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
