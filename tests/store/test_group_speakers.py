"""A group speaker never merges different people across articles (issue 24)."""

from __future__ import annotations

from quotegraph.store import Store
from quotegraph.types import Extraction

from .builders import article, statement


def _group_said(article_id: str, name: str) -> Extraction:
    art = article(article_id)
    said = statement(art, 0, "The ministry will act", speaker=name, speaker_type="group")
    return Extraction(art, (said,))


def test_a_group_named_by_what_its_members_share_is_one_per_article(store: Store) -> None:
    run_id = store.begin_run("t")
    store.write_extractions(
        run_id, [_group_said("a1", "Republicans"), _group_said("a2", "Republicans")]
    )
    ids = {r.speaker_id for r in store.statements()}
    assert len(ids) == 2


def test_a_group_named_by_its_members_is_the_same_people_everywhere(store: Store) -> None:
    run_id = store.begin_run("t")
    pair = "Tom Hale and Ruth Ames"
    store.write_extractions(run_id, [_group_said("a1", pair), _group_said("a2", pair)])
    assert len({r.speaker_id for r in store.statements()}) == 1
