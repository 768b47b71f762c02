"""Stories: articles about the same event across outlets, grouped incrementally.

``place_articles(store)`` takes the articles stored since its last run (``articles.id`` above
the watermark of the ``stories`` pass), in publication order, and puts each one into the most
similar story active within the time window, or starts a new story. Nothing is recomputed:

* An article is a unit vector of TF-IDF weights over the words of its title (counted twice)
  and text, plus the store-wide ids of the people and organisations it quotes (entity
  overlap: the same named speakers point to the same event). IDF comes from document
  frequencies kept in the store and updated with every article, so it needs no pass over the
  corpus: ``idf = ln((N + 1) / (df + 1)) + 1``, smoothed so that the first articles of a
  store already compare sensibly.
* A story keeps the sum of its articles' vectors (in the store), each with the IDF of when it
  joined. An article's similarity to a story is its mean cosine with the story's articles
  (average link: the dot product with that sum, divided by the story's size); it joins the
  most similar story if that is at least ``threshold`` and the story's dates come within
  ``window_days`` of the article's.
* Candidates are found through an index (term -> stories, under the 30 highest-weighted terms
  of each of a story's articles): only stories indexed under one of the new article's 8
  highest-weighted terms that earlier articles also used are compared, never all stories.

Story ids are ``st_`` + a hash of the founding article's id: they never change when articles
join. Each batch (reading pending articles and stories, writing placements, story vectors,
frequencies and the watermark) is one write transaction.

On the bundled sample corpus (13 articles, three stories), the sample stories come out the
same for 500 random arrival orders (one article per ingest) for any threshold from 0.15 to
0.19; ``DEFAULT_THRESHOLD`` is the middle of that range.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from quotegraph.errors import QuotegraphError
from quotegraph.store import Store
from quotegraph.store.stories import PassProgress, PendingArticle, StoryPassWriter
from quotegraph.types import StatementRecord, Story, StorySummary

DEFAULT_THRESHOLD = 0.17
DEFAULT_WINDOW_DAYS = 21
DEFAULT_BATCH_SIZE = 250
"""Articles per transaction: large enough to amortise lookups, short enough that an ingest
waiting for the write lock waits well under a second."""

LOOKUP_TERMS = 8
"""Terms per article used to find candidate stories."""

INDEX_TERMS = 30
"""Terms per article under which its story is indexed (its highest-weighted ones)."""

MAX_CANDIDATES = 40
"""Stories compared per article at most (those sharing the most lookup terms)."""

ENTITY_PREFIX = "@"
"""Marks a speaker id among the terms (words never start with it)."""

_WORD = re.compile(r"[^\W\d_]{4,}")
_STOP = frozenset(
    [
        "that",
        "this",
        "with",
        "from",
        "have",
        "were",
        "will",
        "would",
        "their",
        "there",
        "said",
        "says",
        "about",
        "which",
        "when",
        "what",
        "they",
        "them",
        "than",
        "then",
        "been",
        "also",
        "into",
        "more",
        "some",
        "such",
        "only",
        "over",
        "after",
        "before",
        "could",
        "should",
        "while",
        "where",
        "these",
        "those",
        "other",
        "being",
        "because",
        "through",
        "during",
        "under",
        "again",
        "further",
        "very",
        "just",
        "most",
        "many",
        "much",
        "told",
        "year",
        "years",
        "week",
        "weeks",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
    ]
)


@dataclass(frozen=True)
class StoryParameters:
    threshold: float = DEFAULT_THRESHOLD
    window_days: int = DEFAULT_WINDOW_DAYS
    batch_size: int = DEFAULT_BATCH_SIZE

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise QuotegraphError("E070", detail=f"threshold {self.threshold} not in (0, 1]")
        if self.window_days < 0 or self.batch_size < 1:
            raise QuotegraphError(
                "E070",
                detail=f"window_days {self.window_days} must be >= 0, "
                f"batch_size {self.batch_size} >= 1",
            )


def place_articles(
    store: Store,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    window_days: int = DEFAULT_WINDOW_DAYS,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> tuple[int, int]:
    """Place every article not placed yet; returns (articles placed, stories created).

    ``threshold`` is the least mean cosine similarity for joining a story, ``window_days``
    how far an article's date may lie outside a story's first and last dates, and
    ``batch_size`` how many articles one transaction places. E070 for settings out of range.
    """
    params = StoryParameters(threshold, window_days, batch_size)
    placed = created = 0
    while True:
        with store.story_pass() as writer:
            batch_placed, batch_created = _place_batch(writer, params)
        placed += batch_placed
        created += batch_created
        if batch_placed < params.batch_size:
            return placed, created


def story_id_for(founding_article_id: str) -> str:
    """The id of the story an article founds."""
    return "st_" + hashlib.sha256(founding_article_id.encode()).hexdigest()[:12]


# -- one batch -------------------------------------------------------------------------------


def _place_batch(writer: StoryPassWriter, params: StoryParameters) -> tuple[int, int]:
    progress = writer.progress()
    pending = writer.pending(progress.watermark, params.batch_size)
    if not pending:
        return 0, 0
    bags = {a.article_id: term_counts(a) for a in pending}
    vocabulary = {term for bag in bags.values() for term in bag}
    frequencies = _Frequencies(writer.document_counts(vocabulary), progress.documents)
    stories = _StoryVectors(writer)
    created = 0
    for article in sorted(pending, key=_publication_order):
        frequencies.add(bags[article.article_id])
        vector = frequencies.unit_vector(bags[article.article_id])
        story_id, similarity = _best_story(writer, stories, article, vector, frequencies, params)
        if story_id is None:
            story_id, similarity = story_id_for(article.article_id), 1.0
            created += writer.found_story(story_id, article)
        stories.add(story_id, vector)
        writer.join_story(story_id, article, similarity, _top_terms(vector, INDEX_TERMS))
    done = PassProgress(max(a.row_id for a in pending), frequencies.documents)
    writer.finish(done, frequencies.new, stories.touched())
    return len(pending), created


def _publication_order(article: PendingArticle) -> tuple[bool, str, int]:
    # Undated articles last: they join whatever their words match, at any time.
    return (article.published is None, article.published or "", article.row_id)


def _best_story(
    writer: StoryPassWriter,
    stories: _StoryVectors,
    article: PendingArticle,
    vector: Mapping[str, float],
    frequencies: _Frequencies,
    params: StoryParameters,
) -> tuple[str | None, float]:
    """The most similar active story if it is similar enough, with the similarity."""
    since, until = _window(article.published, params.window_days)
    lookup = _lookup_terms(vector, frequencies)
    best: tuple[float, str] | None = None
    for story_id in writer.candidates(lookup, since, until, MAX_CANDIDATES):
        score = stories.similarity(story_id, vector)
        # Ties go to the smaller id, so the outcome never depends on the candidates' order.
        if best is None or score > best[0] or (score == best[0] and story_id < best[1]):
            best = (score, story_id)
    if best is None or best[0] < params.threshold:
        return None, 0.0
    return best[1], best[0]


def _lookup_terms(vector: Mapping[str, float], frequencies: _Frequencies) -> list[str]:
    """The highest-weighted terms that some earlier article used too: a term only this
    article has weighs most and finds nothing."""
    stored, new = frequencies.stored.get, frequencies.new
    shared = {term: w for term, w in vector.items() if stored(term, 0) + new[term] > 1}
    return _top_terms(shared, LOOKUP_TERMS)


def _top_terms(vector: Mapping[str, float], count: int) -> list[str]:
    # Equal weights are taken in the vector's order, which follows the text: deterministic.
    return heapq.nlargest(count, vector, key=vector.__getitem__)


def _window(published: str | None, window_days: int) -> tuple[str | None, str | None]:
    day = parse_day(published)
    if day is None:
        return None, None
    span = timedelta(days=window_days)
    return (day - span).isoformat(), (day + span).isoformat()


def parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# -- vectors ---------------------------------------------------------------------------------


def term_counts(article: PendingArticle) -> dict[str, float]:
    """Sublinear term frequencies: words of title (twice) and text, and quoted speakers."""
    title = article.title or ""
    words = Counter(_WORD.findall(f"{title} {title} {article.text}".lower()))
    counts = {word: 1.0 + math.log(n) for word, n in words.items() if word not in _STOP}
    for speaker_id, n in article.speakers.items():
        counts[ENTITY_PREFIX + speaker_id] = 1.0 + math.log(n)
    return counts


@dataclass
class _Frequencies:
    """Document frequencies: the stored ones plus this batch's articles."""

    stored: dict[str, int]
    documents: int
    new: Counter[str] = field(default_factory=Counter)

    def add(self, bag: Mapping[str, float]) -> None:
        self.new.update(bag.keys())
        self.documents += 1

    def unit_vector(self, bag: Mapping[str, float]) -> dict[str, float]:
        # idf = ln((N + 1) / (df + 1)) + 1, spelled out inline: this runs for every term.
        log_n = math.log(self.documents + 1)
        stored, new, log = self.stored.get, self.new, math.log
        weights = {
            term: tf * (log_n - log(stored(term, 0) + new[term] + 1) + 1.0)
            for term, tf in bag.items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {term: w / norm for term, w in weights.items()}


class _StoryVectors:
    """The stories this batch compares with: each one's sum of article vectors and size,
    loaded once per batch and kept up to date as articles join."""

    def __init__(self, writer: StoryPassWriter) -> None:
        self._writer = writer
        self._sums: dict[str, dict[str, float]] = {}
        self._sizes: dict[str, int] = {}
        self._touched: set[str] = set()

    def _load(self, story_id: str) -> dict[str, float]:
        sums = self._sums.get(story_id)
        if sums is None:
            sums, self._sizes[story_id] = self._writer.story_vector(story_id)
            self._sums[story_id] = sums
        return sums

    def similarity(self, story_id: str, vector: Mapping[str, float]) -> float:
        """The mean cosine of ``vector`` with the story's articles (average link).

        Not the cosine with the normalised centroid: terms common to every article add up in
        a large story's centroid, which then resembles any article at all and swallows
        unrelated ones; the mean over the members does not grow with the story.
        """
        sums = self._load(story_id)
        size = self._sizes[story_id]
        return _dot(vector, sums) / size if size else 0.0

    def add(self, story_id: str, vector: Mapping[str, float]) -> None:
        sums = self._load(story_id)
        for term, w in vector.items():
            sums[term] = sums.get(term, 0.0) + w
        self._sizes[story_id] += 1
        self._touched.add(story_id)

    def touched(self) -> dict[str, dict[str, float]]:
        """The vectors of the stories that grew in this batch, to be saved."""
        return {story_id: self._sums[story_id] for story_id in self._touched}


def _dot(small: Mapping[str, float], large: Mapping[str, float]) -> float:
    get = large.get
    return sum(w * get(term, 0.0) for term, w in small.items())


# -- reading stories -------------------------------------------------------------------------


def story_summary(store: Store, story: Story) -> StorySummary:
    """A stored story with its statements in publication order."""
    statements: list[StatementRecord] = []
    for article_id in story.article_ids:
        statements.extend(store.statements(article_id=article_id))
    return StorySummary(story, tuple(statements))


def summarize_stories(store: Store, *, limit: int | None = None) -> list[StorySummary]:
    """Stored stories, oldest first, each with its statements in publication order."""
    return [story_summary(store, story) for story in store.stories(limit=limit)]
