"""How outlets covered a story, and what a speaker said over time.

``story_coverage`` compares the outlets of one story: how often each quoted each speaker
(outlets × speakers), and for each outlet the speakers the other outlets quoted in the story
but it did not ("left out"), counting only speakers who had first spoken in the story by the
day of the outlet's last article: an outlet that covered a story on Monday did not leave out
someone first quoted on Wednesday. Without dates on both sides nobody is "left out".
``speaker_timeline`` counts one speaker's statements per day, overall and within each story
they are quoted in. Both read the stored stories and statements through ``Store``'s public
methods; a story is small, so both are cheap.

Speakers are compared by their store-wide id. Statements without one (an unnamed official,
"two people familiar with the talks") are counted per outlet as ``unattributed`` but never
"left out": nobody can tell whether two outlets' anonymous sources are the same people.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from quotegraph.corpus.overview import UNKNOWN_OUTLET, count_days, day_of
from quotegraph.store import Store
from quotegraph.types import (
    CoverageSpeaker,
    DayCount,
    OutletCoverage,
    SpeakerTimeline,
    StatementRecord,
    Story,
    StoryCoverage,
    StoryDays,
)


def story_coverage(
    store: Store, story_id: str, *, act: str | None = "speech"
) -> StoryCoverage | None:
    """Outlets × speakers of one story, with what each outlet left out; None if unknown.

    ``act``: the statements counted, speech by default as the pages list them (None: all)."""
    story = store.story(story_id)
    return None if story is None else coverage_of(store, story, act=act)


def story_coverages(store: Store, *, act: str | None = "speech") -> Iterator[StoryCoverage]:
    """The coverage of every stored story, oldest story first."""
    return (coverage_of(store, story, act=act) for story in store.stories())


def coverage_of(store: Store, story: Story, *, act: str | None = "speech") -> StoryCoverage:
    outlets: dict[str, list[str]] = {}
    last_day: dict[str, str] = {}
    records: list[StatementRecord] = []
    for article_id in story.article_ids:
        article = store.article(article_id)
        if article is not None and article.copy_of is not None:
            continue  # a reprint is its original's coverage, not another outlet's
        outlet = (article.outlet if article else None) or UNKNOWN_OUTLET
        outlets.setdefault(outlet, []).append(article_id)
        day = day_of(article.published if article else None)
        if day is not None and day > last_day.get(outlet, ""):
            last_day[outlet] = day
        records.extend(store.statements(article_id=article_id, act=act))
    quoted: dict[str, Counter[str]] = {outlet: Counter() for outlet in outlets}
    unattributed: Counter[str] = Counter()
    for record in records:
        outlet = record.outlet or UNKNOWN_OUTLET
        if record.speaker_id is None:
            unattributed[outlet] += 1
        else:
            quoted.setdefault(outlet, Counter())[record.speaker_id] += 1
    speakers = _speakers(store, records)
    order = [s.speaker_id for s in speakers]
    first_day = _first_days(records)
    return StoryCoverage(
        story=story,
        speakers=speakers,
        outlets=tuple(
            OutletCoverage(
                outlet=outlet,
                article_ids=tuple(outlets.get(outlet, ())),
                statements=sum(counts.values()) + unattributed[outlet],
                quoted=dict(sorted(counts.items(), key=lambda item: order.index(item[0]))),
                unattributed=unattributed[outlet],
                left_out=_left_out(outlet, quoted, order, first_day, last_day.get(outlet)),
            )
            for outlet, counts in quoted.items()
        ),
        days=count_days(records),
    )


def _speakers(store: Store, records: Iterable[StatementRecord]) -> tuple[CoverageSpeaker, ...]:
    """Every speaker with an id, most quoted first (then by name, then id)."""
    counts: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for record in records:
        if record.speaker_id is not None:
            counts[record.speaker_id] += 1
            labels.setdefault(record.speaker_id, record.statement.speaker or record.speaker_id)
    found = []
    for speaker_id, n in counts.items():
        # The store's name follows speaker merges; the in-article name is the fallback.
        known = store.speaker(speaker_id)
        found.append(CoverageSpeaker(speaker_id, known.name if known else labels[speaker_id], n))
    return tuple(sorted(found, key=lambda s: (-s.statements, s.name, s.speaker_id)))


def _first_days(records: Iterable[StatementRecord]) -> dict[str, str]:
    """Speaker id -> the day of their first dated statement in the story."""
    first: dict[str, str] = {}
    for record in records:
        day, speaker_id = day_of(record.published), record.speaker_id
        if speaker_id is None or day is None:
            continue
        if speaker_id not in first or day < first[speaker_id]:
            first[speaker_id] = day
    return first


def _left_out(
    outlet: str,
    quoted: dict[str, Counter[str]],
    order: list[str],
    first_day: dict[str, str],
    outlet_last_day: str | None,
) -> tuple[str, ...]:
    """Speakers some other outlet quoted in the story and ``outlet`` did not, though it
    published on or after the day they first spoke in the story."""
    if outlet_last_day is None:
        return ()
    by_others = {sid for other, counts in quoted.items() if other != outlet for sid in counts}
    missing = {
        sid
        for sid in by_others - set(quoted[outlet])
        if sid in first_day and first_day[sid] <= outlet_last_day
    }
    return tuple(sid for sid in order if sid in missing)


def speaker_timeline(store: Store, speaker_id: str) -> SpeakerTimeline | None:
    """One speaker's statements per day, overall and per story; None for an unknown id."""
    speaker = store.speaker(speaker_id)
    if speaker is None:
        return None
    # The speaker filter also matches aliases: keep only this id's own statements.
    records = [r for r in store.statements(speaker=speaker_id) if r.speaker_id == speaker_id]
    placed = store.stories_of_articles(r.statement.article_id for r in records)
    per_story: dict[str, list[StatementRecord]] = {}
    for record in records:
        story_id = placed.get(record.statement.article_id)
        if story_id is not None:
            per_story.setdefault(story_id, []).append(record)
    return SpeakerTimeline(
        speaker_id=speaker_id,
        name=speaker.name,
        days=count_days(records),
        stories=tuple(_story_days(store, story_id, found) for story_id, found in per_story.items()),
        undated=sum(1 for r in records if day_of(r.published) is None),
    )


def _story_days(store: Store, story_id: str, records: list[StatementRecord]) -> StoryDays:
    story = store.story(story_id)
    days: tuple[DayCount, ...] = count_days(records)
    return StoryDays(story_id, story.title if story else story_id, days)
