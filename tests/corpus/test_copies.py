"""The copy pass: reprints linked to their original, and what copies no longer count for.

Hand-built fictional articles (the Velmora ferry strike); no spaCy.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from quotegraph.corpus.copies import (
    COPY_JACCARD,
    REVISION_JACCARD,
    jaccard,
    link_copies,
    shingles,
)
from quotegraph.corpus.passes import run_corpus_passes
from quotegraph.store import Store
from quotegraph.types import Article, Extraction

from .story_helpers import article, said, write

BODY = (
    "VELMORA - Ferry crews in the port of Velmora walked out on Monday, cancelling every "
    "crossing to the island of Karsk for the first time in eleven years. The ferry union "
    "says the crews have not had a pay rise in six years and that the company has ignored "
    "three letters since the spring. Passengers queued at the Velmora terminal through the "
    "morning as the ferries stayed tied up at the quay, and the harbour master said no "
    "sailing was planned before Thursday. Shops on Karsk expect fresh food to run short by "
    "the weekend if no boat leaves. "
    '"The crews will not sail until the ferry company talks to us," said Oda Marten, who '
    "leads the ferry union. The company said it would answer the union in writing."
)
ORIGINAL = article(
    "original",
    "Ferry crews strike in Velmora\n\n" + BODY,
    title="Ferry crews strike in Velmora",
    outlet="Lantern Gazette",
    published="2031-05-02",
)
# The same story the next day in another paper: new headline, one sentence trimmed.
REPRINT = article(
    "reprint",
    "Velmora ferries tied up as crews walk out\n\n"
    + BODY.replace(" for the first time in eleven years", ""),
    title="Velmora ferries tied up as crews walk out",
    outlet="Harbour Courier",
    published="2031-05-03",
)
# Another paper's own account of the same walk-out: one event, not a copy.
OWN_ACCOUNT = article(
    "own-account",
    "Karsk cut off as Velmora ferry crews strike\n\n"
    "Nobody on Karsk could reach the mainland on Monday: the Velmora ferry crews have gone "
    "on strike over six years without a raise. Oda Marten, the union leader, told islanders "
    "at the quay that the crews would stay ashore until the company sat down with them. The "
    "company, which runs four boats, said talks were possible later in the week. Islanders "
    "worried about bread and milk for the weekend.",
    title="Karsk cut off as Velmora ferry crews strike",
    outlet="Northern Wire",
    published="2031-05-02",
)
QUOTE = "The crews will not sail until the ferry company talks to us"


def with_quote(item: Article) -> Extraction:
    return Extraction(item, (said(item, 0, "Oda Marten", QUOTE),))


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as s:
        yield s


def test_shingles_are_word_five_grams() -> None:
    assert shingles("One two three four five six") == {
        b"one two three four five",
        b"two three four five six",
    }
    assert shingles("too short") == {b"too short"}
    assert shingles("") == set()


def test_the_reprint_is_above_the_copy_bar_and_the_own_account_far_below() -> None:
    assert jaccard(shingles(ORIGINAL.text), shingles(REPRINT.text)) >= COPY_JACCARD
    assert jaccard(shingles(ORIGINAL.text), shingles(OWN_ACCOUNT.text)) < 0.1


def test_a_reprint_is_linked_to_its_original_and_an_own_account_is_not(store: Store) -> None:
    write(store, [Extraction(a, ()) for a in (ORIGINAL, OWN_ACCOUNT, REPRINT)])
    assert link_copies(store) == 1
    assert store.copy_links() == {REPRINT.article_id: ORIGINAL.article_id}
    stored = store.article(REPRINT.article_id)
    assert stored is not None
    assert stored.copy_of == ORIGINAL.article_id
    assert store.versions_of(ORIGINAL.article_id) == [REPRINT.article_id]
    assert store.versions_of(REPRINT.article_id) == [ORIGINAL.article_id]
    assert store.versions_of(OWN_ACCOUNT.article_id) == []


def test_a_later_ingest_finds_the_stored_original(store: Store) -> None:
    write(store, [Extraction(ORIGINAL, ())])
    assert link_copies(store) == 0
    write(store, [Extraction(REPRINT, ())])  # compared with the stored signature
    assert link_copies(store) == 1
    assert link_copies(store) == 0  # nothing new, nothing linked again
    assert store.copy_links() == {REPRINT.article_id: ORIGINAL.article_id}


def test_a_copy_of_a_copy_points_to_the_first_original(store: Store) -> None:
    third = article(
        "third",
        "Crews strike, Karsk ferries halted\n\n" + BODY.replace("three letters", "two letters"),
        title="Crews strike, Karsk ferries halted",
        outlet="Evening Post",
        published="2031-05-04",
    )
    write(store, [Extraction(a, ()) for a in (ORIGINAL, REPRINT)])
    link_copies(store)
    write(store, [Extraction(third, ())])
    link_copies(store)
    assert store.copy_links() == {
        REPRINT.article_id: ORIGINAL.article_id,
        third.article_id: ORIGINAL.article_id,
    }


def test_the_same_text_months_later_is_not_linked(store: Store) -> None:
    rerun = article(
        "months-later",
        REPRINT.text,
        title=REPRINT.title or "",
        outlet="Harbour Courier",
        published="2031-09-03",
    )
    write(store, [Extraction(a, ()) for a in (ORIGINAL, rerun)])
    assert link_copies(store) == 0


def test_copies_join_the_original_story_and_never_count_twice(store: Store) -> None:
    # The original and the reprint quote Oda Marten with the same words. Without the copy
    # pass the stance pass would find her agreeing with herself across the two papers.
    write(store, [with_quote(ORIGINAL), with_quote(REPRINT)])
    report = run_corpus_passes(store)
    assert report.copies_linked == 1
    story_id = store.story_of_article(ORIGINAL.article_id)
    assert story_id is not None
    assert store.story_of_article(REPRINT.article_id) == story_id
    story = store.story(story_id)
    assert story is not None
    assert set(story.article_ids) == {ORIGINAL.article_id, REPRINT.article_id}
    assert story.outlets == ("Lantern Gazette",)  # the reprint is not another outlet's
    assert story.statement_count == 1  # nor a second statement of the same words
    assert list(store.relations()) == []
    assert store.story_member_ids(story_id) == [ORIGINAL.article_id]


def _revised(outlet: str) -> Article:
    """The original with a new opening sentence and its last third cut: a revision."""
    new_lead = "Talks between the Velmora ferry union and the company broke down on Monday night."
    half = BODY[: len(BODY) * 2 // 3].rsplit(" ", 1)[0]
    return article(
        f"revised-{outlet}",
        f"Velmora ferry talks collapse\n\n{new_lead} {half}.",
        title="Velmora ferry talks collapse",
        outlet=outlet,
        published="2031-05-03",
    )


def test_a_revision_by_the_same_outlet_is_a_copy_and_a_rewrite_elsewhere_is_not(
    store: Store,
) -> None:
    own, other = _revised("Lantern Gazette"), _revised("Harbour Courier")
    overlap = jaccard(shingles(ORIGINAL.text), shingles(own.text))
    assert REVISION_JACCARD <= overlap < COPY_JACCARD  # the case the two bars are for
    write(store, [Extraction(a, ()) for a in (ORIGINAL, own)])
    link_copies(store)
    assert store.copy_links() == {own.article_id: ORIGINAL.article_id}
    with Store.open(":memory:") as elsewhere:
        write(elsewhere, [Extraction(a, ()) for a in (ORIGINAL, other)])
        assert link_copies(elsewhere) == 0
