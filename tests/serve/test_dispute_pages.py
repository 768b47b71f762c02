"""Disputes in the web UI over the sample corpus: the claims pages, "contradicted by" and
"agreed by" on statement, speaker and article pages, dispute counts, and the filters of the
contradictions page. What the pages show is compared with the JSON API's answers."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

import quotegraph
from quotegraph.serve.templating import day
from quotegraph.store import Store
from quotegraph.types import Relation

from .test_api import get_json, walk
from .test_pages import assert_no_injected_markup, page

CLAIM = re.compile(r'<article class="claim( disputed)?" data-claim="(cl_[0-9a-f]+)"')
STATEMENT_LINK = re.compile(r'href="/statements/([0-9a-f]+)"')
RELATION_CARD = 'class="relation relation-'


@pytest.fixture(scope="module")
def qg(sample_db: Path) -> Iterator[quotegraph.Quotegraph]:
    with quotegraph.open(sample_db, readonly=True) as opened:
        yield opened


@pytest.fixture(scope="module", autouse=True)
def self_pair(sample_db: Path) -> tuple[str, str]:
    """Two statements of one speaker in one story, stored as an agreement whatever the stance
    pass makes of them: the store holds it, no page or listing may show it."""
    with Store.open(sample_db) as store:
        for story in store.stories():
            said: dict[str, list[str]] = defaultdict(list)
            for article_id in story.article_ids:
                for r in store.statements(article_id=article_id, act="speech"):
                    if r.speaker_id:
                        said[r.speaker_id].append(r.statement.statement_id)
            twice = [sorted(ids)[:2] for ids in said.values() if len(ids) >= 2]
            if twice:
                a, b = twice[0]
                relation = Relation(a, b, "agrees", 0.99, "one speaker twice", None, story.story_id)
                claims = list(store.claims(story_id=story.story_id))
                store.save_story_analysis(story.story_id, [relation], claims)
                return a, b
    raise AssertionError("the sample has a speaker quoted twice in a story")


@pytest.fixture(scope="module")
def pair(client: TestClient, self_pair: tuple[str, str]) -> dict[str, Any]:
    """The strongest contradiction between two named speakers in two outlets."""
    return next(
        r
        for r in walk(client, "/api/v1/contradictions", {"relation": "contradicts"})
        if r["speaker_id_a"] and r["speaker_id_b"] and r["outlet_a"] != r["outlet_b"]
    )


def block(html: str, start: str, end: str = "</section>") -> str:
    """The HTML from the first ``start`` to the ``end`` after it."""
    at = html.index(start)
    return html[at : html.index(end, at)]


def two_sided(claim: dict[str, Any]) -> bool:
    return {m["side"] for m in claim["statements"]} >= {1, -1}


# --- claims ----------------------------------------------------------------------------------


def test_claims_page_lists_claims_with_two_sides_first(client):
    html = page(client, "/claims")
    shown = CLAIM.findall(html)
    claims = walk(client, "/api/v1/claims", {"limit": 50})
    assert [claim_id for _, claim_id in shown] == [c["claim_id"] for c in claims]
    assert [bool(d) for d, _ in shown] == [two_sided(c) for c in claims]
    assert shown[0][0], "a claim with two sides first"
    assert 'href="/claims"' in html  # in the navigation
    assert_no_injected_markup(html)


def test_a_claim_shows_who_is_on_each_side_with_outlets_and_dates(client):
    claim = next(c for c in walk(client, "/api/v1/claims", {"limit": 50}) if two_sided(c))
    html = page(client, "/claims")
    shown = block(html, f'data-claim="{claim["claim_id"]}"', "</article>")
    assert str(escape(claim["label"][:200])) in shown
    for side, heading in ((1, "side side-for"), (-1, "side side-against")):
        members = {m["statement_id"] for m in claim["statements"] if m["side"] == side}
        assert set(STATEMENT_LINK.findall(block(shown, heading))) == members
    for member in claim["statements"]:
        assert f'<span class="outlet">{escape(member["outlet"])}</span>' in shown
        assert f'<span class="chip">{escape(member["outlet"])}</span>' in shown
    assert "/articles/" in shown
    assert f"{day(claim['first_published'])} – {day(claim['last_published'])}" in shown


def test_claims_page_filters_as_the_api_does(client, pair, qg):
    speaker = qg.speaker(pair["speaker_id_a"])
    assert speaker is not None
    for params, some in (
        ({"relation": "contradicts"}, True),
        ({"relation": "agrees"}, False),
        ({"speaker": speaker.name}, True),
        ({"speaker": pair["speaker_id_a"], "outlet": pair["outlet_a"].lower()}, True),
        ({"story": pair["story_id"]}, True),
    ):
        html = page(client, "/claims?" + "&".join(f"{k}={v}" for k, v in params.items()))
        expected = [c["claim_id"] for c in walk(client, "/api/v1/claims", params)]
        assert [claim_id for _, claim_id in CLAIM.findall(html)] == expected, params
        assert bool(expected) or not some, params
    disputed = page(client, "/claims?relation=contradicts")
    assert all(d for d, _ in CLAIM.findall(disputed))
    counts = qg.store.dispute_counts()
    assert f"{counts.disputed_claims} claims with two sides of {counts.claims} claims" in disputed


def test_one_claim_page_shows_its_sides_and_the_pairs_behind_them(client):
    claim = next(c for c in walk(client, "/api/v1/claims", {"limit": 50}) if two_sided(c))
    html = page(client, f"/claims/{claim['claim_id']}")
    assert f'<h1 class="proposition">{escape(claim["label"])}</h1>' in html
    assert set(STATEMENT_LINK.findall(block(html, "side side-against"))) == {
        m["statement_id"] for m in claim["statements"] if m["side"] == -1
    }
    assert RELATION_CARD + "contradicts" in html
    assert f'href="/stories/{claim["story_id"]}"' in html
    page(client, "/claims/cl_nope", status=404)


# --- contradicted by / agreed by ------------------------------------------------------------


def test_statement_page_says_who_contradicts_it_with_evidence_and_score(client, pair):
    html = page(client, f"/statements/{pair['statement_a']}")
    section = block(html, 'id="contradicts"')
    assert "Contradicted by" in section
    assert f'href="/statements/{pair["statement_b"]}"' in section
    assert f'href="/speakers/{pair["speaker_id_b"]}"' in section
    assert f'<span class="outlet">{escape(pair["outlet_b"])}</span>' in section
    assert str(escape(pair["evidence"])) in section
    assert f"score {pair['score']:.2f}" in section
    assert "Agreed by" in block(html, 'id="agrees"')


def test_speaker_page_lists_who_contradicts_and_agrees_with_them_never_themselves(
    client, pair, self_pair
):
    repeater = get_json(client, f"/api/v1/statements/{self_pair[0]}")["speaker_id"]
    for speaker in (pair["speaker_id_a"], repeater):
        html = page(client, f"/speakers/{speaker}")
        for kind in ("contradicts", "agrees"):
            section = block(html, f'id="{kind}"')
            expected = walk(
                client, "/api/v1/contradictions", {"speaker": speaker, "relation": kind}
            )
            assert section.count('class="counterpart ') == len(expected)
            assert f'href="/speakers/{speaker}"' not in section  # the others, never himself
            others = {
                r["statement_b"] if r["speaker_id_a"] == speaker else r["statement_a"]
                for r in expected
            }
            assert others <= set(STATEMENT_LINK.findall(section))
        assert f'href="/contradictions?speaker={speaker}&amp;relation=contradicts"' in html
    assert 'class="counterpart ' in block(
        page(client, f"/speakers/{pair['speaker_id_a']}"), 'id="contradicts"'
    )


def test_article_page_lists_disputes_of_its_statements_inside_it_and_elsewhere(client):
    pairs = walk(client, "/api/v1/contradictions", {"limit": 50})
    # A pair inside one article if there is one (articles quote both sides), else any.
    inside = next((r for r in pairs if r["article_id_a"] == r["article_id_b"]), pairs[0])
    html = page(client, f"/articles/{inside['article_id_a']}")
    section = block(html, f'id="{inside["relation"]}"')
    found = set(STATEMENT_LINK.findall(section))
    assert {inside["statement_a"], inside["statement_b"]} & found
    mine = [r for r in pairs if inside["article_id_a"] in (r["article_id_a"], r["article_id_b"])]
    shown = sum(
        block(html, f'id="{k}"').count('class="counterpart ') for k in ("contradicts", "agrees")
    )
    assert shown == len(mine)


# --- counts ----------------------------------------------------------------------------------


def test_overview_counts_contradictions_and_claims_with_two_sides(client):
    html = page(client, "/")
    contradictions = walk(client, "/api/v1/contradictions", {"relation": "contradicts"})
    disputed = walk(client, "/api/v1/claims", {"relation": "contradicts"})
    stats = block(html, 'class="stats disputes"', "</dl>")
    assert f'href="/contradictions?relation=contradicts">{len(contradictions)}</a>' in stats
    assert f'href="/claims?relation=contradicts">{len(disputed)}</a>' in stats


def test_story_page_counts_its_disputes(client, qg):
    story = qg.stories()[0].story.story_id
    html = page(client, f"/stories/{story}")
    line = block(html, 'id="disputes"', "</p>")
    contradictions = walk(
        client, "/api/v1/contradictions", {"story": story, "relation": "contradicts"}
    )
    claims = walk(client, "/api/v1/claims", {"story": story})
    disputed = [c for c in claims if two_sided(c)]
    assert f"{len(contradictions)} contradictions</a>" in line
    assert f"{len(disputed)} claims with two sides</a>" in line
    assert f"{len(claims)} claims</a>" in line


# --- the contradictions page's filters -------------------------------------------------------


def test_contradictions_page_filters_by_speaker_story_outlet_and_relation(client, pair, qg):
    speaker = qg.speaker(pair["speaker_id_a"])
    assert speaker is not None
    story = pair["story_id"]
    for params in (
        {"speaker": speaker.name},
        {"speaker": speaker.name, "relation": "contradicts"},
        {"outlet": pair["outlet_b"], "relation": "contradicts"},
        {"story": story, "outlet": pair["outlet_a"].lower()},
    ):
        url = "/contradictions?" + "&".join(f"{k}={v}" for k, v in params.items())
        html = page(client, url)
        expected = walk(client, "/api/v1/contradictions", params)
        assert html.count(RELATION_CARD) == len(expected) > 0, params
        assert pair in expected
        form = block(html, 'id="dispute-filters"', "</form>")
        if "speaker" in params:
            assert f'name="speaker" value="{params["speaker"]}"' in form
        if "relation" in params:
            assert f'<option value="{params["relation"]}" selected>' in form
        if "story" in params:
            assert f'<option value="{story}" selected>' in form


def test_no_page_shows_a_speaker_agreeing_with_himself(client, qg, self_pair):
    held = [(r.statement_a, r.statement_b) for r in qg.store.relations(relation="agrees")]
    assert self_pair in held  # the store holds it ...
    records = list(qg.relations(relation="agrees"))  # ... the Python listing leaves it out
    assert not [r for r in records if r.a.speaker_id and r.a.speaker_id == r.b.speaker_id]
    assert len(records) == len(held) - 1
    html = page(client, "/contradictions?relation=agrees")
    assert html.count(RELATION_CARD) == len(records)
    assert "one speaker twice" not in html
    listed = walk(client, "/api/v1/contradictions", {"limit": 50})
    assert not [r for r in listed if r["speaker_id_a"] and r["speaker_id_a"] == r["speaker_id_b"]]
    assert len(listed) == len(list(qg.relations()))
    for url in (f"/statements/{self_pair[0]}", f"/statements/{self_pair[1]}", "/", "/claims"):
        assert "one speaker twice" not in page(client, url), url
    statement = get_json(client, f"/api/v1/statements/{self_pair[0]}")
    for url in (f"/speakers/{statement['speaker_id']}", f"/articles/{statement['article_id']}"):
        assert "one speaker twice" not in page(client, url), url


def test_contradictions_page_pages_with_its_filters(client, monkeypatch):
    from quotegraph.serve import web

    monkeypatch.setattr(web, "PAGE_SIZE", 2)
    first = page(client, "/contradictions?relation=contradicts")
    assert first.count(RELATION_CARD) == 2
    nxt = re.search(r'href="(\?[^"]*cursor=[^"]+)"', first)
    assert nxt is not None
    assert "relation=contradicts" in nxt.group(1)
    second = page(client, "/contradictions" + nxt.group(1).replace("&amp;", "&"))
    listed = walk(client, "/api/v1/contradictions", {"relation": "contradicts"})
    assert second.count(RELATION_CARD) == min(2, len(listed) - 2) > 0
    third = listed[2]
    assert {third["statement_a"], third["statement_b"]} <= set(STATEMENT_LINK.findall(second))
    assert RELATION_CARD + "agrees" not in second


def test_contradictions_page_keeps_to_one_statement_as_the_api_does(client, pair):
    statement = pair["statement_a"]
    expected = walk(client, "/api/v1/contradictions", {"statement_id": statement})
    everything = walk(client, "/api/v1/contradictions", {"limit": 50})
    assert 0 < len(expected) < len(everything)
    html = page(client, f"/contradictions?statement_id={statement}")
    assert html.count(RELATION_CARD) == len(expected)
    for r in expected:
        assert {r["statement_a"], r["statement_b"]} <= set(STATEMENT_LINK.findall(html))
    form = block(html, 'id="dispute-filters"', "</form>")
    assert f'name="statement_id" value="{statement}"' in form  # kept when filtering further
    # The statement page sends its reader there for all of its pairs.
    link = f'href="/contradictions?statement_id={statement}&amp;relation=contradicts"'
    assert link in page(client, f"/statements/{statement}")


def test_contradictions_keep_to_one_article_in_the_api_and_the_page(client, pair):
    # The article page shows its strongest pairs and sends its reader here for all of them.
    article_id = pair["article_id_a"]
    expected = walk(client, "/api/v1/contradictions", {"article_id": article_id})
    everything = walk(client, "/api/v1/contradictions", {"limit": 50})
    mine = [r for r in everything if article_id in (r["article_id_a"], r["article_id_b"])]
    assert expected == mine
    assert 0 < len(expected) < len(everything)
    html = page(client, f"/contradictions?article_id={article_id}")
    assert html.count(RELATION_CARD) == len(expected)
    assert 'id="article-filter"' in html
    form = block(html, 'id="dispute-filters"', "</form>")
    assert f'name="article_id" value="{article_id}"' in form
    link = f'href="/contradictions?article_id={article_id}&amp;relation=contradicts"'
    assert link in page(client, f"/articles/{article_id}")
