"""Story coverage (outlets × speakers, who each outlet left out) and speaker timelines, on
hand-built fictional articles about the Velmora ferry strike and the sample corpus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from quotegraph.corpus.coverage import speaker_timeline, story_coverage, story_coverages
from quotegraph.corpus.stories import place_articles, story_id_for
from quotegraph.store import Store, speaker_id_for
from quotegraph.types import Article, DayCount, Extraction

from .story_helpers import article, said, sample_extractions, write

GAZETTE_TEXT = (
    "Ferry crews strike in Velmora\n\n"
    "Ferry crews in Velmora walked out, and no ferry sailed to Karsk. "
    '"We will not sail," said Oda Marten. "The company must talk to us," Marten said. '
    '"Our ferries are safe," said Per Lund of the ferry company. '
    '"Talks are planned," officials said.'
)
COURIER_TEXT = (
    "Velmora ferry strike strands Karsk islanders\n\n"
    "Karsk islanders are stranded by the Velmora ferry strike; no ferry sailed from the "
    'Velmora terminal to Karsk. "We are running out of food," said Tilde Haas on Karsk. '
    '"We will not sail," said Oda Marten.'
)
WIRE_TEXT = (
    "Velmora ferry strike enters third day\n\n"
    "The Velmora ferry strike entered its third day; no ferry sailed to Karsk and the ferry "
    'crews stayed out. "Our ferries are safe," said Per Lund of the ferry company.'
)

GAZETTE = article(
    "gazette",
    GAZETTE_TEXT,
    title="Ferry crews strike in Velmora",
    outlet="Lantern Gazette",
    published="2031-05-02",
)
COURIER = article(
    "courier",
    COURIER_TEXT,
    title="Velmora ferry strike strands Karsk islanders",
    outlet="Harbour Courier",
    published="2031-05-03",
)
WIRE = article(
    "wire",
    WIRE_TEXT,
    title="Velmora ferry strike enters third day",
    outlet="Northern Wire",
    published="2031-05-03",
)

MARTEN = speaker_id_for("Oda Marten", "person")
LUND = speaker_id_for("Per Lund", "person")
HAAS = speaker_id_for("Tilde Haas", "person")


def _extractions() -> list[Extraction]:
    return [
        Extraction(
            GAZETTE,
            (
                said(GAZETTE, 0, "Oda Marten", "We will not sail,"),
                said(GAZETTE, 1, "Oda Marten", "The company must talk to us,"),
                said(GAZETTE, 2, "Per Lund", "Our ferries are safe,"),
                said(GAZETTE, 3, None, "Talks are planned,"),
            ),
        ),
        Extraction(
            COURIER,
            (
                said(COURIER, 0, "Tilde Haas", "We are running out of food,"),
                said(COURIER, 1, "Oda Marten", "We will not sail,"),
            ),
        ),
        Extraction(WIRE, (said(WIRE, 0, "Per Lund", "Our ferries are safe,"),)),
    ]


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as s:
        write(s, _extractions())
        assert place_articles(s) == (3, 1), "the three articles are one story"
        yield s


STORY = story_id_for(GAZETTE.article_id)


def test_outlets_by_speakers_counts_every_statement(store: Store) -> None:
    coverage = story_coverage(store, STORY)
    assert coverage is not None
    assert [(s.speaker_id, s.name, s.statements) for s in coverage.speakers] == [
        (MARTEN, "Oda Marten", 3),
        (LUND, "Per Lund", 2),
        (HAAS, "Tilde Haas", 1),
    ]
    assert [o.outlet for o in coverage.outlets] == [
        "Lantern Gazette",
        "Harbour Courier",
        "Northern Wire",
    ]
    gazette, courier, wire = coverage.outlets
    assert dict(gazette.quoted) == {MARTEN: 2, LUND: 1}
    assert (gazette.unattributed, gazette.statements) == (1, 4)
    assert dict(courier.quoted) == {MARTEN: 1, HAAS: 1}
    assert dict(wire.quoted) == {LUND: 1}
    assert coverage.count("Harbour Courier", MARTEN) == 1
    assert coverage.count("Northern Wire", MARTEN) == 0
    assert coverage.count("Nobody's Paper", MARTEN) == 0
    assert gazette.article_ids == (GAZETTE.article_id,)


def test_each_outlet_lists_whom_the_others_quoted_and_it_left_out(store: Store) -> None:
    coverage = story_coverage(store, STORY)
    assert coverage is not None
    left_out = {o.outlet: o.left_out for o in coverage.outlets}
    assert left_out == {
        # The Gazette published on 2 May; Haas first spoke on 3 May: not left out.
        "Lantern Gazette": (),
        "Harbour Courier": (LUND,),  # Lund spoke on 2 May, the Courier wrote on 3 May
        "Northern Wire": (MARTEN, HAAS),  # most quoted first; Haas spoke the same day
    }


def test_nobody_is_left_out_by_an_outlet_without_dates(store: Store) -> None:
    undated = article(
        "undated",
        WIRE_TEXT + " More later.",
        title="Velmora ferries",
        outlet="Quiet Weekly",
        published=None,
    )
    write(store, [Extraction(undated, (said(undated, 0, "Per Lund", "Our ferries are safe,"),))])
    place_articles(store)
    coverage = story_coverage(store, STORY)
    assert coverage is not None
    quiet = next(o for o in coverage.outlets if o.outlet == "Quiet Weekly")
    assert quiet.left_out == ()


def test_the_story_timeline_counts_statements_per_day(store: Store) -> None:
    coverage = story_coverage(store, STORY)
    assert coverage is not None
    assert coverage.days == (DayCount("2031-05-02", 4), DayCount("2031-05-03", 3))


def test_unknown_story_has_no_coverage(store: Store) -> None:
    assert story_coverage(store, "st_000000000000") is None


def test_speaker_timeline_per_day_and_per_story(store: Store) -> None:
    timeline = speaker_timeline(store, MARTEN)
    assert timeline is not None
    assert timeline.name == "Oda Marten"
    assert timeline.days == (DayCount("2031-05-02", 2), DayCount("2031-05-03", 1))
    assert [(s.story_id, s.title) for s in timeline.stories] == [
        (STORY, "Ferry crews strike in Velmora (2–3 May 2031)")
    ]
    assert timeline.stories[0].days == timeline.days
    assert timeline.undated == 0
    assert speaker_timeline(store, "sp_nobody") is None


def test_speaker_timeline_keeps_undated_and_unplaced_statements_apart(store: Store) -> None:
    undated = Article(
        article_id="undated-1",
        text='Ferry talks. "Talks start today," said Oda Marten.',
        title="Ferry talks",
        outlet="Harbour Courier",
    )
    write(store, [Extraction(undated, (said(undated, 0, "Oda Marten", "Talks start today,"),))])
    # Not placed yet: counted by day (it has none), in no story.
    timeline = speaker_timeline(store, MARTEN)
    assert timeline is not None
    assert timeline.undated == 1
    assert sum(d.count for d in timeline.days) == 3
    assert sum(d.count for s in timeline.stories for d in s.days) == 3


def test_sample_coverage_agrees_with_the_statements() -> None:
    with Store.open(":memory:") as store:
        write(store, sample_extractions())
        place_articles(store)
        coverages = list(story_coverages(store))
        assert len(coverages) == 3
        for coverage in coverages:
            story = coverage.story
            assert sum(o.statements for o in coverage.outlets) == story.statement_count
            assert sum(d.count for d in coverage.days) == story.statement_count
            assert {o.outlet for o in coverage.outlets} == set(story.outlets)
            quoted = {sid for o in coverage.outlets for sid in o.quoted}
            assert quoted == {s.speaker_id for s in coverage.speakers}
            first_day = {}
            for record in (r for a in story.article_ids for r in store.statements(article_id=a)):
                if record.speaker_id and record.published:
                    day = record.published[:10]
                    first_day[record.speaker_id] = min(first_day.get(record.speaker_id, day), day)
            for outlet in coverage.outlets:
                assert not set(outlet.left_out) & set(outlet.quoted)
                others = {sid for o in coverage.outlets if o is not outlet for sid in o.quoted}
                last = max(
                    (a.published or "")[:10] for i in outlet.article_ids if (a := store.article(i))
                )
                blamed = {s for s in others - set(outlet.quoted) if first_day.get(s, "~") <= last}
                assert set(outlet.left_out) == blamed
