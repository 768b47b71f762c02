"""Aggregates for overviews: statements per day, outlets × speakers, one speaker's activity.

Computed in Python, in one streaming pass over ``Store.statements`` each, so they use only
the store's public iterators and constant memory per statement. That is linear in the size of
the corpus: fine for small and medium stores, and the reason a grouped count in the store
itself (``GROUP BY`` day / outlet / speaker) should replace these passes for large ones.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from quotegraph.store import Store
from quotegraph.types import DayCount, Speaker, StatementRecord, StorySummary

DEFAULT_TOP_SPEAKERS = 10
DEFAULT_TOP_OUTLETS = 8


@dataclass(frozen=True)
class OutletSpeakerMatrix:
    """Statements per (outlet, speaker) for the most quoted speakers and the biggest outlets."""

    outlets: tuple[str, ...]
    speakers: tuple[Speaker, ...]
    counts: Mapping[tuple[str, str], int] = field(default_factory=dict)
    """``(outlet, speaker_id)`` -> statements; pairs that never occur are absent."""

    def count(self, outlet: str, speaker_id: str) -> int:
        return self.counts.get((outlet, speaker_id), 0)

    @property
    def peak(self) -> int:
        return max(self.counts.values(), default=0)


@dataclass(frozen=True)
class CorpusOverview:
    """What the store holds at a glance."""

    counts: Mapping[str, int]
    per_day: tuple[DayCount, ...]
    top_speakers: tuple[Speaker, ...]
    matrix: OutletSpeakerMatrix


@dataclass(frozen=True)
class SpeakerActivity:
    """One speaker's statements, counted by kind, outlet and day."""

    speaker: Speaker
    by_kind: Mapping[str, int]
    by_outlet: Mapping[str, int]
    per_day: tuple[DayCount, ...]
    article_ids: tuple[str, ...]
    """Articles quoting the speaker, in publication order."""


@dataclass(frozen=True)
class Voice:
    """One speaker as quoted by one outlet within a story."""

    label: str
    speaker_id: str | None
    statements: int


@dataclass(frozen=True)
class OutletVoices:
    """Who one outlet quotes in a story, most quoted first."""

    outlet: str
    voices: tuple[Voice, ...]


UNKNOWN_OUTLET = "(no outlet)"


def day_of(published: str | None) -> str | None:
    """The ``YYYY-MM-DD`` day of an ISO date or date-time, or None when there is none."""
    if not published or len(published) < 10:
        return None
    return published[:10]


def count_days(records: Iterable[StatementRecord]) -> tuple[DayCount, ...]:
    """Statements per publication day, oldest first; undated statements are left out."""
    days = Counter(day for r in records if (day := day_of(r.published)) is not None)
    return tuple(DayCount(day, n) for day, n in sorted(days.items()))


def speaker_label(record: StatementRecord) -> str:
    """How to name who spoke: the resolved name, else the mention, else ``(unknown)``."""
    statement = record.statement
    return statement.speaker or statement.speaker_mention or "(unknown)"


def corpus_overview(
    store: Store,
    *,
    top_speakers: int = DEFAULT_TOP_SPEAKERS,
    top_outlets: int = DEFAULT_TOP_OUTLETS,
) -> CorpusOverview:
    """Counts, statements per day and the outlets × speakers matrix, in one pass."""
    speakers = tuple(store.speakers(limit=top_speakers))
    wanted = {s.speaker_id for s in speakers}
    days: Counter[str] = Counter()
    outlets: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for record in store.statements():
        outlet = record.outlet or UNKNOWN_OUTLET
        outlets[outlet] += 1
        if (day := day_of(record.published)) is not None:
            days[day] += 1
        if record.speaker_id in wanted:
            pairs[(outlet, record.speaker_id)] += 1
    shown = tuple(name for name, _ in outlets.most_common(top_outlets))
    matrix = OutletSpeakerMatrix(
        shown, speakers, {pair: n for pair, n in pairs.items() if pair[0] in shown}
    )
    per_day = tuple(DayCount(day, n) for day, n in sorted(days.items()))
    return CorpusOverview(store.counts(), per_day, speakers, matrix)


def speaker_activity(store: Store, speaker_id: str) -> SpeakerActivity | None:
    """What ``speaker_id`` said, counted; None for an unknown speaker id."""
    speaker = store.speaker(speaker_id)
    if speaker is None:
        return None
    kinds: Counter[str] = Counter()
    outlets: Counter[str] = Counter()
    days: Counter[str] = Counter()
    articles: dict[str, None] = {}
    for record in store.statements(speaker=speaker_id):
        # The speaker filter also matches aliases; an id that is also someone's alias
        # must not pull in that other speaker's statements.
        if record.speaker_id != speaker_id:
            continue
        kinds[record.statement.kind] += 1
        outlets[record.outlet or UNKNOWN_OUTLET] += 1
        if (day := day_of(record.published)) is not None:
            days[day] += 1
        articles.setdefault(record.statement.article_id)
    return SpeakerActivity(
        speaker,
        dict(kinds.most_common()),
        dict(outlets.most_common()),
        tuple(DayCount(day, n) for day, n in sorted(days.items())),
        tuple(articles),
    )


def story_voices(summary: StorySummary) -> tuple[OutletVoices, ...]:
    """Per outlet of a story (in the story's outlet order), who it quotes and how often."""
    voices: dict[str, Counter[tuple[str, str | None]]] = {
        outlet: Counter() for outlet in summary.story.outlets
    }
    for record in summary.statements:
        outlet = record.outlet or UNKNOWN_OUTLET
        voices.setdefault(outlet, Counter())[(speaker_label(record), record.speaker_id)] += 1
    return tuple(
        OutletVoices(outlet, tuple(Voice(label, sid, n) for (label, sid), n in c.most_common()))
        for outlet, c in voices.items()
    )
