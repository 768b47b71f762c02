"""Group stored articles into stories: a first, whole-corpus version.

Two articles belong to the same story when their vocabularies are close: cosine similarity of
TF-IDF vectors over the words of title and text (stop words and short words dropped), and
they were published within ``window_days`` of each other. Groups are the connected
components of that relation. This is quadratic in the number of articles and meant for
summaries of small and medium corpora.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

from quotegraph.store import Store
from quotegraph.types import Article, StatementRecord, Story, StorySummary

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
# On the sample corpus, articles of one story score 0.15-0.27 and articles of different
# stories at most 0.12; real corpora will need the incremental clustering of a later pass.
DEFAULT_THRESHOLD = 0.14
DEFAULT_WINDOW_DAYS = 21


def group_articles(
    articles: Sequence[Article],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> list[list[Article]]:
    """Connected components of "similar enough and close enough in time"."""
    vectors = _tfidf([_words(a) for a in articles])
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            if (
                _within_window(articles[i], articles[j], window_days)
                and _cosine(vectors[i], vectors[j]) >= threshold
            ):
                parent[root(j)] = root(i)
    groups: dict[int, list[Article]] = {}
    for i, article in enumerate(articles):
        groups.setdefault(root(i), []).append(article)
    return sorted(groups.values(), key=lambda g: (_first_date(g), g[0].article_id))


def summarize_stories(store: Store) -> list[StorySummary]:
    """Stories of the whole store, each with its statements in publication order."""
    articles = list(store.articles())
    summaries = []
    for group in group_articles(articles):
        ordered = sorted(group, key=lambda a: (a.published or "", a.article_id))
        statements: list[StatementRecord] = []
        for article in ordered:
            statements.extend(store.statements(article_id=article.article_id))
        summaries.append(StorySummary(_story(ordered), tuple(statements)))
    return summaries


def _story(ordered: list[Article]) -> Story:
    ids = tuple(a.article_id for a in ordered)
    dates = [a.published for a in ordered if a.published]
    outlets = tuple(dict.fromkeys(a.outlet for a in ordered if a.outlet))
    story_id = "st_" + hashlib.sha256(":".join(sorted(ids)).encode()).hexdigest()[:12]
    return Story(
        story_id,
        ordered[0].title or "(untitled)",
        ids,
        outlets,
        min(dates) if dates else None,
        max(dates) if dates else None,
    )


def _words(article: Article) -> Counter[str]:
    text = f"{article.title or ''} {article.title or ''} {article.text}"
    return Counter(w for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in _STOP)


def _tfidf(bags: list[Counter[str]]) -> list[dict[str, float]]:
    document_frequency: Counter[str] = Counter()
    for bag in bags:
        document_frequency.update(bag.keys())
    total = len(bags)
    vectors = []
    for bag in bags:
        vector = {
            w: (1 + math.log(n)) * math.log((1 + total) / (1 + document_frequency[w]))
            for w, n in bag.items()
        }
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({w: v / norm for w, v in vector.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _within_window(a: Article, b: Article, window_days: int) -> bool:
    day_a, day_b = _parse_day(a.published), _parse_day(b.published)
    if day_a is None or day_b is None:
        return True
    return abs((day_a - day_b).days) <= window_days


def _first_date(group: Iterable[Article]) -> str:
    dates = [a.published for a in group if a.published]
    return min(dates) if dates else "9999"
