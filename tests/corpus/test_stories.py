"""The incremental story pass: joins, the time window, stable ids, order independence.

Hand-built articles are fictional (the Velmora ferry strike, the Drenholt library fire); the
sample corpus is the bundled one, with statements from the golden snapshot (no spaCy).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

import numpy as np
import pytest

from quotegraph.corpus.stories import (
    DAY_WEIGHT,
    ENTITY_WEIGHT,
    LATE_WEIGHT,
    NAMES_ENOUGH,
    date_range,
    entities,
    late_penalty,
    lead_text,
    parse_day,
    place_articles,
    quotes_someone,
    story_headline,
    story_id_for,
    story_score,
    summarize_stories,
)
from quotegraph.errors import QuotegraphError
from quotegraph.store import Store
from quotegraph.store.stories import StoryState
from quotegraph.types import Article, Extraction

from .story_helpers import (
    article,
    expected_groups,
    groups_by_file,
    ordered_files,
    said,
    sample_extractions,
    write,
)

FERRY_1 = article(
    "ferry-1",
    "Ferry crews strike in Velmora\n\n"
    "VELMORA - Ferry crews in the port of Velmora walked out on Monday, cancelling every "
    "crossing to the island of Karsk. The ferry union says the crews have not had a pay rise "
    "in six years. Passengers queued at the Velmora terminal as the ferries stayed tied up.\n\n"
    '"The crews will not sail until the ferry company talks to us," said Oda Marten, who '
    "leads the ferry union.",
    title="Ferry crews strike in Velmora",
    outlet="Lantern Gazette",
    published="2031-05-02",
)
FERRY_2 = article(
    "ferry-2",
    "Karsk islanders stranded as Velmora ferry strike drags on\n\n"
    "Islanders on Karsk said they were running short of fresh food on the third day of the "
    "ferry strike in Velmora. No ferry has left the Velmora terminal since the crews walked "
    "out, and the ferry company has not met the union.\n\n"
    '"We are not asking for much, only a fair wage for the crews," said Oda Marten of the '
    "ferry union.",
    title="Karsk islanders stranded as Velmora ferry strike drags on",
    outlet="Harbour Courier",
    published="2031-05-04",
)
FERRY_3 = article(
    "ferry-3",
    "Velmora ferry company offers crews a pay rise\n\n"
    "The ferry company offered the striking crews in Velmora a pay rise on Friday, and the "
    "ferry union said it would put the offer to its members. Ferries to Karsk could sail "
    "again next week if the crews accept.\n\n"
    '"It is a start," said Oda Marten.',
    title="Velmora ferry company offers crews a pay rise",
    outlet="Lantern Gazette",
    published="2031-05-06",
)
FIRE = article(
    "fire",
    "Fire destroys Drenholt's old library\n\n"
    "DRENHOLT - A fire gutted the old town library of Drenholt overnight. Firefighters "
    "fought the blaze for six hours; the reading room and its rare manuscripts were lost. "
    "The library had stood on the market square since the founding of the town.\n\n"
    '"We have lost three centuries of books," said Ilse Varga, the town librarian.',
    title="Fire destroys Drenholt's old library",
    outlet="Harbour Courier",
    published="2031-05-03",
)


def ferry_strike_again(published: str) -> Article:
    """A ferry strike in Velmora again, months later: same words, another event."""
    return article(
        f"ferry-again-{published}",
        "Velmora ferry crews walk out again\n\n"
        "VELMORA - Ferry crews in Velmora walked out again, and no ferry sailed to Karsk. The "
        "ferry union said the ferry company had broken its promise of a pay rise for the "
        "crews, and passengers were turned away at the Velmora terminal.\n\n"
        '"We warned them," said Oda Marten of the ferry union.',
        title="Velmora ferry crews walk out again",
        outlet="Harbour Courier",
        published=published,
    )


def extraction(item: Article) -> Extraction:
    """The article with its last quote attributed to the person it names."""
    quote_start = item.text.rindex('"', 0, item.text.rindex('"')) + 1
    content = item.text[quote_start : item.text.index('"', quote_start)]
    speaker = "Ilse Varga" if "Varga" in item.text else "Oda Marten"
    return Extraction(item, (said(item, 0, speaker, content),))


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as s:
        yield s


def add(store: Store, *items: Article) -> tuple[int, int]:
    write(store, [extraction(i) for i in items])
    return place_articles(store)


def members(store: Store) -> dict[str, set[str]]:
    """story id -> article keys (the readable part of each article id)."""
    return {s.story_id: {a.rsplit("-", 1)[0] for a in s.article_ids} for s in store.stories()}


# --- hand-built articles ------------------------------------------------------------------------


def test_articles_about_one_event_share_a_story_and_others_do_not(store: Store) -> None:
    assert add(store, FERRY_1, FIRE, FERRY_2) == (3, 2)
    assert sorted(members(store).values(), key=len) == [{"fire"}, {"ferry-1", "ferry-2"}]


def test_a_later_article_joins_the_existing_story_without_changing_its_id(store: Store) -> None:
    add(store, FERRY_1, FIRE)
    ferry_story = store.story_of_article(FERRY_1.article_id)
    assert ferry_story == story_id_for(FERRY_1.article_id)
    assert add(store, FERRY_2) == (1, 0)
    assert add(store, FERRY_3) == (1, 0)
    assert store.story_of_article(FERRY_3.article_id) == ferry_story
    assert members(store)[ferry_story] == {"ferry-1", "ferry-2", "ferry-3"}
    story = store.story(ferry_story)
    assert story is not None
    assert (story.first_published, story.last_published) == ("2031-05-02", "2031-05-06")
    assert story.outlets == ("Lantern Gazette", "Harbour Courier")
    assert story.statement_count == 3


def test_nothing_new_places_nothing(store: Store) -> None:
    add(store, FERRY_1, FIRE)
    before = members(store)
    assert place_articles(store) == (0, 0)
    assert members(store) == before
    assert store.articles_awaiting_stories() == 0


def test_an_article_outside_the_time_window_starts_a_new_story(store: Store) -> None:
    add(store, FERRY_1, FERRY_2)
    close = ferry_strike_again("2031-05-06")
    weeks_later = ferry_strike_again("2031-05-20")
    assert add(store, close, weeks_later) == (2, 1)
    ferry_story = story_id_for(FERRY_1.article_id)
    assert store.story_of_article(close.article_id) == ferry_story
    # Two weeks on, the same words are another walk-out: another event, another story.
    assert store.story_of_article(weeks_later.article_id) == story_id_for(weeks_later.article_id)
    assert place_articles(store, window_days=200) == (0, 0)  # placed articles stay put


def test_a_story_spans_at_most_span_days(store: Store) -> None:
    # Each article follows the last within the window, but a topic that runs on for weeks
    # does not chain into one story.
    add(store, FERRY_1)
    days = ["2031-05-04", "2031-05-07", "2031-05-10", "2031-05-13", "2031-05-16"]
    add(store, *[ferry_strike_again(day) for day in days])
    spans = [(s.first_published, s.last_published) for s in store.stories()]
    assert len(spans) == 2
    assert all((date.fromisoformat(b) - date.fromisoformat(a)).days <= 10 for a, b in spans)


def test_an_older_article_arriving_late_joins_within_the_span(store: Store) -> None:
    # Stories grow backwards too: an article older than the story's first one joins it.
    add(store, FERRY_3)
    earlier = ferry_strike_again("2031-05-01")
    assert add(store, earlier) == (1, 0)
    story = store.story(story_id_for(FERRY_3.article_id))
    assert story is not None
    assert story.first_published == "2031-05-01"
    assert story.article_ids[0] == earlier.article_id
    # The title is a member's headline (the one nearest the centroid) with the dates.
    headlines = {FERRY_3.title, earlier.title}
    assert any(story.title == f"{h} (1–6 May 2031)" for h in headlines)


@pytest.mark.parametrize(("threshold", "stories"), [(1.10, 1), (1.20, 2)])
def test_a_higher_threshold_keeps_the_articles_apart(
    store: Store, threshold: float, stories: int
) -> None:
    # The second ferry article scores 1.145 for the first one's story (measured): a threshold
    # just above keeps them apart, just below joins them. (No score reaches 1 +
    # ENTITY_WEIGHT, so a threshold above 1.4 would keep anything apart and test nothing.)
    write(store, [extraction(FERRY_1), extraction(FERRY_2)])
    assert place_articles(store, threshold=threshold) == (2, stories)


@pytest.mark.parametrize(
    "setting",
    [
        {"threshold": 0.0},
        {"threshold": 2.5},
        {"window_days": -1},
        {"span_days": -1},
        {"batch_size": 0},
    ],
)
def test_settings_out_of_range_are_e070(store: Store, setting: dict[str, float]) -> None:
    with pytest.raises(QuotegraphError) as err:
        place_articles(store, **setting)  # type: ignore[arg-type]
    assert err.value.code == "E070"


def test_batches_give_the_same_stories_as_one_pass(store: Store) -> None:
    items = [FERRY_1, FIRE, FERRY_2, FERRY_3]
    write(store, [extraction(i) for i in items])
    assert place_articles(store, batch_size=1) == (4, 2)
    with Store.open(":memory:") as other:
        write(other, [extraction(i) for i in items])
        assert place_articles(other, batch_size=100) == (4, 2)
        assert members(other) == members(store)


def test_a_backlog_is_placed_in_publication_order_whatever_the_storage_order(
    store: Store,
) -> None:
    # Stored newest first (a bulk load outlet by outlet), placed one per batch: the earliest
    # article still founds the story, and every article is placed exactly once.
    write(store, [extraction(i) for i in (FERRY_3, FIRE, FERRY_2, FERRY_1)])
    assert place_articles(store, batch_size=1) == (4, 2)
    assert store.story_of_article(FERRY_3.article_id) == story_id_for(FERRY_1.article_id)
    assert store.articles_awaiting_stories() == 0
    assert place_articles(store) == (0, 0)


def test_undated_articles_join_by_their_words(store: Store) -> None:
    undated = ferry_strike_again("")
    undated = Article(**{**undated.__dict__, "published": None})
    add(store, FERRY_1, FIRE, undated)
    assert store.story_of_article(undated.article_id) == story_id_for(FERRY_1.article_id)


def test_the_lead_is_the_title_and_the_opening_words_after_it() -> None:
    text = "Dike vote\n\nThe dike vote in Orvel " + "passed easily " * 100
    lead = lead_text("Dike vote", text)
    assert lead.startswith("Dike vote\nThe dike vote in Orvel passed")
    assert len(lead) <= len("Dike vote\n") + 600
    assert lead.endswith("easily") or lead.endswith("passed")  # no word cut in half


def test_entities_are_names_not_sentence_openers_days_or_titles() -> None:
    text = (
        "Orvel dike vote\n\n"
        "The Orvel council met on Monday. Mayor Ida Brandt said Sen. Holm agreed."
    )
    assert entities("Orvel dike vote", text) == {"orvel", "mayor", "ida", "brandt", "holm"}


def test_date_ranges_read_as_days() -> None:
    assert date_range("2031-05-02", "2031-05-06") == "2–6 May 2031"
    assert date_range("2031-04-30", "2031-05-02") == "30 Apr – 2 May 2031"
    assert date_range("2031-05-02", "2031-05-02") == "2 May 2031"
    assert date_range(None, None) == ""


def test_summaries_list_each_story_with_its_statements_in_order(store: Store) -> None:
    add(store, FERRY_2, FIRE, FERRY_1)
    summaries = summarize_stories(store)
    assert [s.story.title.rsplit(" (", 1)[1] for s in summaries] == ["2–4 May 2031)", "3 May 2031)"]
    assert summaries[1].story.title == "Fire destroys Drenholt's old library (3 May 2031)"
    published = [r.published for r in summaries[0].statements]
    assert published == sorted(published)
    assert [s.story.story_id for s in summarize_stories(store, limit=1)] == [
        summaries[0].story.story_id
    ]


# --- the sample corpus ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> list[Extraction]:
    return sample_extractions()


def test_sample_corpus_at_once_gives_the_designed_stories(sample: list[Extraction]) -> None:
    with Store.open(":memory:") as store:
        write(store, sample)
        # An article may start a story that a later one, close to both, merges into its
        # event's story: it is not counted as created.
        assert place_articles(store) == (len(sample), 3)
        assert groups_by_file(store) == expected_groups()


def test_same_input_same_story_ids(sample: list[Extraction]) -> None:
    ids = []
    for _ in range(2):
        with Store.open(":memory:") as store:
            write(store, sample)
            place_articles(store)
            ids.append([s.story_id for s in store.stories()])
    assert ids[0] == ids[1]


@pytest.mark.parametrize("seed", range(6))
def test_sample_corpus_file_by_file_in_any_order(sample: list[Extraction], seed: int) -> None:
    files = ordered_files(sample)
    random.Random(seed).shuffle(files)
    with Store.open(":memory:") as store:
        for extractions in files:
            write(store, extractions)  # one ingest per file, the corpus passes after each
            place_articles(store)
        assert groups_by_file(store) == expected_groups()


def test_sample_corpus_newest_first(sample: list[Extraction]) -> None:
    newest_first = sorted(sample, key=lambda e: e.article.published or "", reverse=True)
    with Store.open(":memory:") as store:
        for item in newest_first:
            write(store, [item])
            place_articles(store)
        assert groups_by_file(store) == expected_groups()


# --- scores and titles ------------------------------------------------------------------------


def _two_article_story() -> StoryState:
    """A story of two articles with orthogonal vectors, both naming "orvel", on days 10 and 12
    of one month (ordinals)."""
    first, second = np.eye(4, dtype=np.float32)[:2]
    day = date(2031, 5, 10).toordinal()
    return StoryState("st_x", first + second, {"orvel": 2.0}, 2, None, None, 2.0 * day + 2, 2)


def test_a_story_scores_the_average_of_its_articles_not_its_centroid() -> None:
    # Halfway between two unlike articles: the centroid's cosine would be 1, the articles'
    # average is 0.707. A loose story must not look closer than its articles are.
    between = np.array([1.0, 1.0, 0.0, 0.0], dtype=np.float32) / np.sqrt(2.0)
    names = {"orvel": NAMES_ENOUGH}
    day = float(date(2031, 5, 11).toordinal())
    score = story_score(_two_article_story(), between, names, day)
    assert score == pytest.approx(np.sqrt(0.5) + ENTITY_WEIGHT, abs=1e-5)


def test_days_from_a_story_lower_its_score_and_no_shared_name_is_zero() -> None:
    vector = np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32)
    names = {"orvel": NAMES_ENOUGH}
    on_the_day = story_score(_two_article_story(), vector, names, date(2031, 5, 11).toordinal())
    later = story_score(_two_article_story(), vector, names, date(2031, 5, 16).toordinal())
    assert on_the_day - later == pytest.approx(5 * DAY_WEIGHT, abs=1e-5)
    assert story_score(_two_article_story(), vector, {"karsk": NAMES_ENOUGH}, None) == 0.0


def test_the_store_counts_a_storys_originals_and_their_days(store: Store) -> None:
    add(store, FERRY_1, FERRY_2)
    with store.story_pass() as writer:
        state = writer.story_state(story_id_for(FERRY_1.article_id), 256)
    assert state is not None
    assert (state.size, state.dated) == (2, 2)
    mean_day = date.fromordinal(round(state.day_sum / state.dated))
    assert mean_day == date(2031, 5, 3)


@pytest.mark.parametrize(
    ("headline", "quotes"),
    [
        ("“Our work is far from finished,” Lurat force commander says", True),
        ("Kembara says peacekeepers will be gone by June", True),
        ("Mayor Brandt: 'The dike will hold'", True),
        ("Ida Brandt: Orvel Dike ‘Safe for Decades’", True),
        ("Envoy declares Lurat crisis over as peacekeeper drawdown begins", False),
        ("Rask pledges €2.4 billion to keep Estmark's hospitals open", False),
        ("Orvel’s council passes the dike budget", False),
        # a section mark before the colon is not a speaker's name
        ("Analysis: Orvel's dike budget leaves the north waiting", False),
        ("UPDATE: Saltmere strike enters its third day", False),
    ],
)
def test_a_headline_that_gives_someones_words_is_told_apart(headline: str, quotes: bool) -> None:
    assert quotes_someone(headline) is quotes


def test_the_story_headline_reports_the_event_rather_than_quote_one_side() -> None:
    centre = np.array([1.0, 0.0], dtype=np.float32)
    aside = np.array([0.6, 0.8], dtype=np.float32)
    quoted = "“The dike will hold,” Orvel mayor says"
    reported = "Orvel council passes the dike budget"
    # The quoted headline is nearest the centroid, yet the reporting one is chosen.
    assert story_headline([(quoted, centre), (reported, aside), (None, centre)]) == reported
    # When every headline quotes someone, the nearest one is kept.
    everyone_quoted = [(quoted, centre), ("Brandt: 'We voted'", aside), ("Holm says no", centre)]
    assert story_headline(everyone_quoted) == quoted
    assert story_headline([]) == ""


def test_no_sample_story_is_titled_with_one_speakers_words(sample: list[Extraction]) -> None:
    with Store.open(":memory:") as store:
        write(store, sample)
        place_articles(store)
        titles = [story.title for story in store.stories()]
    assert len(titles) == 3
    assert not [title for title in titles if quotes_someone(title.rsplit(" (", 1)[0])]
    assert all(title.endswith(" 2025)") for title in titles)


def test_late_penalty_counts_the_days_after_a_story_went_quiet() -> None:
    state = StoryState("st", np.zeros(4, dtype=np.float32), {}, 1, "2031-05-01", "2031-05-02")
    days = ["2031-04-30", "2031-05-04", "2031-05-05", "2031-05-07"]
    penalties = [late_penalty(state, parse_day(day)) for day in days]
    assert penalties == pytest.approx([0.0, 0.0, LATE_WEIGHT, 3 * LATE_WEIGHT])
    assert late_penalty(state, None) == 0.0


@pytest.mark.parametrize(("published", "stories"), [("2031-05-04", 0), ("2031-05-05", 1)])
def test_a_story_gone_quiet_for_three_days_takes_only_a_plain_match(
    store: Store, published: str, stories: int
) -> None:
    # The same strike told again scores about 1.15 two days on (measured); a day later it
    # loses the day term and LATE_WEIGHT, and falls below a threshold of 1.0.
    add(store, FERRY_1)
    write(store, [extraction(ferry_strike_again(published))])
    assert place_articles(store, threshold=1.0) == (1, stories)
