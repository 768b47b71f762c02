"""Stories: articles about one event across outlets, grouped incrementally.

``place_articles(store)`` takes the articles stored since its last run and not placed yet
(``articles.id`` above the watermark of the ``stories`` pass), in publication order across
the whole backlog (a bulk load that arrives outlet by outlet is placed as the news
happened), and puts each one into the story of the same event, or starts a new story.
Nothing is recomputed:

* An article is compared by what it says first: a sentence embedding of its title and lead
  (the first ``LEAD_CHARS`` characters after the title, read by the shipped MiniLM as the
  project's int8 ONNX graph, ``embed.OnnxMiniLMEmbedder``: the first 64 word pieces; a core
  dependency, so the same on every install) and the names in them (capitalised words,
  weighted by an IDF from document counts kept in the store).
* A story keeps the sum of its articles' vectors, how many of its articles use each name and
  the sum of their days. An article's score for a story is the average of its pair scores
  with the story's articles, computed from those sums: a pair scores the cosine of the two
  vectors, plus up to ``ENTITY_WEIGHT`` for the telling names both use (in full once they
  add up to ``NAMES_ENOUGH``; how telling a name is comes from an IDF with
  ``PSEUDO_DOCUMENTS`` pseudo-articles, less what a name in every tenth article has), less
  ``DAY_WEIGHT`` per day between them. Without ``MIN_SHARED_NAMES`` of shared names (on
  average) the score is 0: the words alone never make one event (on made-up words all
  vectors are alike). The average, not the cosine with the centroid: a story that drifts
  over a campaign's news has a centroid close to every political article, and kept taking
  more (precision on the PolNeAR events 0.691 that way).
* Only stories still open are compared: a story takes articles up to ``window_days`` after
  its last one (and older ones that arrive late, back to its span) and spans at most
  ``span_days`` in all, so a topic that runs for weeks never chains into one story; the
  candidates come from the story table's date index, at most ``MAX_CANDIDATES`` per article.
  An article more than ``LATE_FREE_DAYS`` after a story's last article loses ``LATE_WEIGHT``
  per further day: news of one event comes in a day or two, and a campaign's next moment
  days later only joins when it is plainly the same matter.
* An article that scores above the threshold for several stories joins the best, and the
  others are merged into it when they score at least ``MERGE_FACTOR`` of the threshold with
  it as wholes: out-of-order arrival can start one event twice, and the article that bridges
  them brings them together; two unlike stories never merge through one article.
* A copy (``corpus.copies``) joins its original's story without comparison.

A story's title is the headline of the article closest to its centroid (the most central
account of the event, not the first outlet's take) among those that report rather than quote
someone (a quotation, "X says", a "Name:" label give one side's words), with the story's
dates.

Story ids are ``st_`` + a hash of the founding article's id: they never change when articles
join (a story merged into another is gone; relations follow, its claims are regrouped). Each
batch (reading pending articles and stories, writing placements, centroids, names and the
watermark) is one write transaction. A merge lists the story that stays in
``stories_merged``, and the stance pass then compares its statements again as a whole, since
the two halves were only ever compared among themselves.

Settings chosen on the tuning half of ``tests/quality/events_gold.jsonl`` (PolNeAR), by
B-cubed F1 averaged with the neighbouring thresholds, among those that keep the sample
corpus's three designed stories for every arrival order its tests try and its relations
when it is ingested in two parts: threshold 0.6, window 3 days, span 10 days, entity
weight 0.4 up to 6 names' worth, 0.05 per day, 0.2 per day late after 2 days
(docs/measurements.md, "Stories and copies").
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from quotegraph.errors import QuotegraphError
from quotegraph.store import Store
from quotegraph.store.stories import (
    PassProgress,
    PendingArticle,
    StoryPassWriter,
    StoryState,
)
from quotegraph.types import StatementRecord, Story, StorySummary

EMBEDDER = "minilm-int8"
"""Title-and-lead vectors: MiniLM as int8 ONNX (core dependencies, the same on every install,
so stored stories do not depend on optional extras). On the PolNeAR gold events it separates
same-event pairs better than wordllama's static vectors (ROC AUC 0.90 against 0.86 held out)
and took whole-story B-cubed F1 from 0.80 to 0.86 at the same settings' best."""

DEFAULT_THRESHOLD = 0.6
DEFAULT_WINDOW_DAYS = 3
"""Days after a story's last article that it still takes new ones."""
DEFAULT_SPAN_DAYS = 10
"""Days a story spans at most, first article to last."""
DEFAULT_BATCH_SIZE = 250
"""Articles per transaction: large enough to amortise lookups, short enough that an ingest
waiting for the write lock waits well under a second."""

ENTITY_WEIGHT = 0.4
DAY_WEIGHT = 0.05
"""Score taken off per day between an article and a story's mean day: news of one event
comes within a day or two, a campaign's next moment a few days later."""
LATE_FREE_DAYS = 2
LATE_WEIGHT = 0.2
"""Score taken off per day beyond ``LATE_FREE_DAYS`` after a story's last article: a story
gone quiet takes a later article only when it is plainly the same matter, so one campaign
moment does not chain into the next through the articles between."""
PSEUDO_DOCUMENTS = 1000
NAMES_ENOUGH = 6.0
MIN_SHARED_NAMES = 1.0
LEAD_CHARS = 600
MERGE_FACTOR = 0.75
"""Two stories an article belongs to are merged when, as wholes, they score at least this
share of the threshold with each other: an article never chains two unlike events."""
MAX_CANDIDATES = 200
"""Open stories compared per article at most (the most recently active first)."""

_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")
_NOT_NAMES = frozenset(
    """The A An In On At As For And But Or If It He She They We I This That These Those Mr
    Mrs Ms Dr Sen Gov Rep President Tuesday Monday Wednesday Thursday Friday Saturday Sunday
    January February March April May June July August September October November December
    Abstract Full Text""".split()  # noqa: SIM905 - a word list reads better as prose
)
_TITLE_ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "Sen.", "Gov.", "Rep.", "Gen.", "Lt.")
"""Capitalised words that are not names (sentence openers, titles, days, months, and the
"ABSTRACT. FULL TEXT." of archive exports)."""


@dataclass(frozen=True)
class StoryParameters:
    threshold: float = DEFAULT_THRESHOLD
    window_days: int = DEFAULT_WINDOW_DAYS
    span_days: int = DEFAULT_SPAN_DAYS
    batch_size: int = DEFAULT_BATCH_SIZE

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 2.0:
            raise QuotegraphError("E070", detail=f"threshold {self.threshold} not in (0, 2]")
        if self.window_days < 0 or self.span_days < 0 or self.batch_size < 1:
            raise QuotegraphError(
                "E070",
                detail=f"window_days {self.window_days} and span_days {self.span_days} must "
                f"be >= 0, batch_size {self.batch_size} >= 1",
            )


def place_articles(
    store: Store,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    window_days: int = DEFAULT_WINDOW_DAYS,
    span_days: int = DEFAULT_SPAN_DAYS,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> tuple[int, int]:
    """Place every article not placed yet; returns (articles placed, stories created and
    still standing at the end of their batch).

    ``threshold`` is the least score for joining a story (average cosine plus the names
    term less the days term, so up to 1 + ``ENTITY_WEIGHT``), ``window_days`` how long
    after its last article a story takes new ones, ``span_days`` the longest a story may
    span, and ``batch_size`` how many articles one transaction places. E070 for settings
    out of range.
    """
    params = StoryParameters(threshold, window_days, span_days, batch_size)
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


# -- what an article says first --------------------------------------------------------------


def lead_text(title: str | None, text: str) -> str:
    """The title and the first ``LEAD_CHARS`` characters after it (whole words)."""
    body = text
    if title and body.startswith(title.strip()):
        body = body[len(title.strip()) :]
    body = body.lstrip()
    words = body[:LEAD_CHARS].split()
    if len(body) > LEAD_CHARS:
        words = words[:-1]  # the last word may be cut
    return f"{title or ''}\n{' '.join(words)}".strip()


def entities(title: str | None, text: str, outlet: str | None = None) -> set[str]:
    """Lower-cased names in the title and lead: runs of capitalised words, where a single
    word opening a sentence or a line does not count (it is capitalised anyway: "Some",
    "Asked"), nor titles, days and months, nor the words of the article's own outlet (its
    byline and credit lines). A headline in title case capitalises every word, so only the
    lead below it is read then."""
    own = {word.lower() for word in (outlet or "").split()}
    found: set[str] = set()
    lead = lead_text(title, text)
    if title and _title_case(title):
        lead = lead[len(title) :]
    for match in _NAME.finditer(lead):
        words = [w for w in match.group().split() if w not in _NOT_NAMES and len(w) > 2]
        if len(match.group().split()) == 1 and _opens_sentence(lead, match.start()):
            continue
        found.update(word.lower() for word in words if word.lower() not in own)
    return found


def _title_case(title: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_]+", title) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _opens_sentence(text: str, index: int) -> bool:
    before = text[:index].rstrip(" \"'“‘(")
    if before.endswith(_TITLE_ABBREVIATIONS):
        return False  # "Sen. Holm": the full stop ends a title, not a sentence
    return not before or before[-1] in ".!?:\n"


# -- one batch -------------------------------------------------------------------------------


@dataclass
class _Batch:
    writer: StoryPassWriter
    params: StoryParameters
    dim: int
    stored_counts: dict[str, int]
    documents: int
    new_counts: Counter[str] = field(default_factory=Counter)
    states: dict[str, StoryState] = field(default_factory=dict)
    placed: dict[str, str] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)
    """Stories merged into another in this batch."""
    grown: set[str] = field(default_factory=set)
    """Stories that took an article (or another story) in this batch: only these are saved
    and retitled; the others were only compared."""

    def state(self, story_id: str) -> StoryState | None:
        if story_id in self.gone:
            return None
        if story_id not in self.states:
            state = self.writer.story_state(story_id, self.dim)
            if state is None:
                return None
            self.states[story_id] = state
        return self.states[story_id]

    def idf(self, names: Iterable[str]) -> dict[str, float]:
        """How telling each name is: ``ln((N + N0) / (df + 1))`` less what a name used by
        every tenth article has, never below 0. ``N0`` pseudo-articles make a name rare
        until many articles use it, so a small store does not take every name for common."""
        log_n = math.log(self.documents + PSEUDO_DOCUMENTS)
        common = math.log(10)
        return {
            name: max(
                0.0,
                log_n
                - math.log(self.stored_counts.get(name, 0) + self.new_counts[name] + 1)
                - common,
            )
            for name in names
        }


def _place_batch(writer: StoryPassWriter, params: StoryParameters) -> tuple[int, int]:
    from quotegraph.corpus.embed import load_embedder

    progress = writer.progress()
    pending = writer.pending(progress.watermark, params.batch_size)
    if not pending:
        return 0, 0
    pending.sort(key=_publication_order)
    embedder = load_embedder(EMBEDDER)
    vectors = embedder.embed([lead_text(a.title, a.text) for a in pending])
    names = {a.article_id: entities(a.title, a.text, a.outlet) for a in pending}
    vocabulary = {name for found in names.values() for name in found}
    batch = _Batch(
        writer, params, embedder.dim, writer.document_counts(vocabulary), progress.documents
    )
    founded: set[str] = set()
    for article, vector in zip(pending, vectors, strict=True):
        article_names = names[article.article_id]
        batch.documents += 1
        batch.new_counts.update(article_names)
        story_id, score = _story_for(batch, article, vector, article_names)
        if story_id is None:
            story_id, score = story_id_for(article.article_id), 1.0
            if writer.found_story(story_id, article):
                founded.add(story_id)
                # Known before it is joined: loaded afterwards it would count its founder twice.
                batch.states[story_id] = StoryState(
                    story_id, np.zeros(embedder.dim, dtype=np.float32), {}, 0, None, None
                )
        writer.join_story(story_id, article, score, EMBEDDER, vector)
        _grow(batch, story_id, article, vector, article_names)
        batch.placed[article.article_id] = story_id
    grown = [state for sid, state in batch.states.items() if sid in batch.grown]
    titles = {state.story_id: _title(writer, state) for state in grown}
    done = PassProgress(writer.watermark_after(progress.watermark), batch.documents)
    writer.finish(done, batch.new_counts, grown, titles)
    # A story founded and merged into another within the batch was never one of its own.
    return len(pending), len(founded - batch.gone)


def _publication_order(article: PendingArticle) -> tuple[bool, str, int]:
    # Undated articles last: they join whatever they match, at any time.
    return (article.published is None, (article.published or "")[:10], article.row_id)


def _story_for(
    batch: _Batch, article: PendingArticle, vector: np.ndarray, names: set[str]
) -> tuple[str | None, float]:
    """The story ``article`` belongs to, with its score; (None, 0) to start a new one.

    When the article belongs to several open stories and they fit in one span together, it
    bridges them: they are merged into the oldest (articles that arrive out of order may
    have started one event twice)."""
    if article.copy_of is not None:
        original = batch.placed.get(article.copy_of) or batch.writer.story_of(article.copy_of)
        if original is not None:
            return original, 1.0
    params = batch.params
    day = parse_day(article.published)
    since = first_since = until = None
    if day is not None:
        since = (day - timedelta(days=params.window_days)).isoformat()
        first_since = (day - timedelta(days=params.span_days)).isoformat()
        # An older article that arrives late may open a story earlier, within its span.
        until = (day + timedelta(days=params.span_days)).isoformat()
    idf = batch.idf(names)
    ordinal = float(day.toordinal()) if day is not None else None
    matches: list[tuple[float, str]] = []
    for story_id in batch.writer.active_stories(since, first_since, until, MAX_CANDIDATES):
        state = batch.state(story_id)
        if state is None or not _fits(state, day, params.span_days):
            continue
        score = story_score(state, vector, idf, ordinal) - late_penalty(state, day)
        if score >= params.threshold:
            matches.append((score, story_id))
    if not matches:
        return None, 0.0
    # The best first; ties go to the smaller id, so the candidates' order never matters.
    matches.sort(key=lambda match: (-match[0], match[1]))
    return _merged(batch, [sid for _, sid in matches], day), matches[0][0]


def _merged(batch: _Batch, story_ids: list[str], day: date | None) -> str:
    """The first of ``story_ids`` (the best match), with those of the others merged in that
    fit its span with ``day`` and are close enough to it as a whole."""
    states = [s for sid in story_ids if (s := batch.state(sid)) is not None]
    keep = states[0]
    for other in states[1:]:
        first = (
            min(d for d in (keep.first, other.first) if d) if keep.first or other.first else None
        )
        last = max(d for d in (keep.last, other.last) if d) if keep.last or other.last else None
        joined = StoryState(keep.story_id, keep.vector_sum, {}, 0, first, last)  # dates only
        if not _fits(joined, day, batch.params.span_days):
            continue
        if _story_score(batch, keep, other) < MERGE_FACTOR * batch.params.threshold:
            continue
        batch.writer.merge_story(keep.story_id, other.story_id)
        keep.vector_sum = keep.vector_sum + other.vector_sum
        for name, count in other.entities.items():
            keep.entities[name] = keep.entities.get(name, 0.0) + count
        keep.size += other.size
        keep.day_sum += other.day_sum
        keep.dated += other.dated
        keep.first, keep.last = first, last
        del batch.states[other.story_id]
        batch.gone.add(other.story_id)
        batch.grown.add(keep.story_id)
        for article_id, story_id in batch.placed.items():
            if story_id == other.story_id:
                batch.placed[article_id] = keep.story_id
    return keep.story_id


def _story_score(batch: _Batch, keep: StoryState, other: StoryState) -> float:
    """How well story ``other`` would join ``keep``: the average pair score between their
    articles (``other``'s mean vector, its names weighted by the share of its articles using
    them, its mean day)."""
    if not other.size:
        return 0.0
    idf = batch.idf(other.entities)
    weights = {name: idf[name] * count / other.size for name, count in other.entities.items()}
    day = other.day_sum / other.dated if other.dated else None
    return story_score(keep, other.vector_sum / other.size, weights, day)


def late_penalty(state: StoryState, day: date | None) -> float:
    """``LATE_WEIGHT`` per day that ``day`` comes more than ``LATE_FREE_DAYS`` after the
    story's last article (0 for an undated article or story, or an earlier day)."""
    last = parse_day(state.last)
    if day is None or last is None:
        return 0.0
    return LATE_WEIGHT * max(0, (day - last).days - LATE_FREE_DAYS)


def _fits(state: StoryState, day: date | None, span_days: int) -> bool:
    """Whether a story would still span at most ``span_days`` with an article of ``day``."""
    first, last = parse_day(state.first), parse_day(state.last)
    if day is None or first is None or last is None:
        return True
    return (max(last, day) - min(first, day)).days <= span_days


def story_score(
    state: StoryState, vector: np.ndarray, idf: Mapping[str, float], day: float | None
) -> float:
    """How well an article (or a story, through its averages) fits a story: the average of
    its pair scores with the story's articles, computed from the story's sums: the cosine,
    plus up to ``ENTITY_WEIGHT`` for the telling names in common (in full at
    ``NAMES_ENOUGH``), less ``DAY_WEIGHT`` per day from the story's mean day (``day`` is a
    proleptic ordinal; None leaves the days out).

    An average over the articles, not the cosine with the centroid: the centroid of a story
    that spreads over a campaign's news is close to every political article (its cosine grows
    as its members differ), so a loose story kept taking more; the average does not grow.
    Without ``MIN_SHARED_NAMES`` of telling names in common on average the score is 0."""
    if not state.size:
        return 0.0
    cosine = float(vector @ state.vector_sum) / state.size
    shared = sum(
        weight * state.entities.get(name, 0.0) / state.size for name, weight in idf.items()
    )
    if shared < MIN_SHARED_NAMES:
        return 0.0  # no telling name in common: never the same event, however alike the words
    score = cosine + ENTITY_WEIGHT * min(1.0, shared / NAMES_ENOUGH)
    if day is not None and state.dated:
        score -= DAY_WEIGHT * abs(day - state.day_sum / state.dated)
    return score


def _grow(
    batch: _Batch, story_id: str, article: PendingArticle, vector: np.ndarray, names: set[str]
) -> None:
    state = batch.state(story_id)
    if state is None:  # pragma: no cover - the story was just written in this transaction
        return
    batch.grown.add(story_id)
    day = (article.published or "")[:10] or None
    if article.copy_of is None:  # a copy adds nothing the original did not
        state.vector_sum = state.vector_sum + vector
        for name in names:
            state.entities[name] = state.entities.get(name, 0.0) + 1.0
        state.size += 1
        if (published := parse_day(article.published)) is not None:
            state.day_sum += published.toordinal()
            state.dated += 1
    if day is not None:
        state.first = min(state.first, day) if state.first else day
        state.last = max(state.last, day) if state.last else day


def _title(writer: StoryPassWriter, state: StoryState) -> str:
    """The story's headline (``story_headline``) with the story's dates."""
    headline = story_headline(writer.member_vectors(state.story_id))
    dates = date_range(state.first, state.last)
    return f"{headline} ({dates})" if dates and headline else headline or dates


def story_headline(members: Sequence[tuple[str | None, np.ndarray]]) -> str:
    """The headline that says what the event is: of the members' (headline, vector) pairs,
    the one nearest the story's centroid among the headlines that report (no quotation, no
    "X says", no "Name: ..." label, which give one side's words), or the nearest of all when
    every headline quotes someone. Scores equal to four decimals (two members always are) go
    to the earlier member (``members`` are in publication order)."""
    found = [(title.strip().rstrip(".;"), vector) for title, vector in members if title]
    found = [(title, vector) for title, vector in found if title]
    if not found:
        return ""
    centroid = np.sum([vector for _, vector in found], axis=0)
    reporting = [(title, vector) for title, vector in found if not quotes_someone(title)]
    pool = reporting or found
    # Rounded, so that a tie (two members are always equally near their own centroid) goes to
    # the earlier member on every install, not to whichever float rounding favours.
    scores = [round(float(vector @ centroid), _SCORE_DIGITS) for _, vector in pool]
    return pool[scores.index(max(scores))][0]


_SCORE_DIGITS = 4


_QUOTATION = re.compile(r"[“”\"]|(?:^|\s)[‘']\w")
"""Double quotation marks anywhere, or a single one opening a word (not an apostrophe)."""
_SAYS = re.compile(
    r"\b(?:says|said|tells|told|claims|insists|warns|denies|argues|writes)\b", re.IGNORECASE
)
_LABEL = re.compile(r"^[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}:\s")
"""A headline led by a name and a colon ("Paul Ryan: ..."): a speaker's words as a label."""


_KICKERS = frozenset(
    {"analysis", "update", "updated", "exclusive", "breaking", "opinion", "live", "watch"}
)
"""Words that lead a headline with a colon as a section mark, not as a speaker's name."""


def quotes_someone(headline: str) -> bool:
    """Whether a headline gives someone's words (a quotation, "X says ...", "Name: ...")
    rather than reporting what happened."""
    label = _LABEL.match(headline)
    named = label is not None and label.group(0).rstrip(": ").casefold() not in _KICKERS
    return bool(_QUOTATION.search(headline) or _SAYS.search(headline) or named)


def date_range(first: str | None, last: str | None) -> str:
    """``2–6 May 2031``, ``30 Apr – 2 May 2031``, ``2 May 2031``; empty without dates."""
    start, end = parse_day(first), parse_day(last)
    if start is None or end is None:
        return ""
    if start == end:
        return f"{start.day} {start:%b %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"


def parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# -- reading stories -------------------------------------------------------------------------


def story_summary(store: Store, story: Story) -> StorySummary:
    """A stored story with its statements in publication order (a copy's statements are
    its original's words again and are left out)."""
    statements: list[StatementRecord] = []
    for article_id in story.article_ids:
        article = store.article(article_id)
        if article is not None and article.copy_of is None:
            statements.extend(store.statements(article_id=article_id))
    return StorySummary(story, tuple(statements))


def summarize_stories(store: Store, *, limit: int | None = None) -> list[StorySummary]:
    """Stored stories, oldest first, each with its statements in publication order."""
    return [story_summary(store, story) for story in store.stories(limit=limit)]
