"""The web UI rendered by the app (no browser): every page, and hostile article content."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import quotegraph
from quotegraph.corpus.stories import place_articles
from quotegraph.serve import ServeConfig, create_app
from quotegraph.serve import web as web_pages
from quotegraph.store import Store
from quotegraph.types import Article, Extraction

from .helpers import (
    HOSTILE_ARTICLE,
    HOSTILE_IMG,
    HOSTILE_LINK,
    HOSTILE_SCRIPT,
    TOKEN,
    auth,
    copy_store,
)


class TagCollector(HTMLParser):
    """Every start tag with its attributes, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = TagCollector()
    parser.feed(html)
    parser.close()
    return parser.tags


def assert_no_injected_markup(html: str) -> None:
    """Only our own script, no images, no event handlers, no javascript: links."""
    for tag, attrs in tags_of(html):
        if tag == "script":
            assert attrs == {"src": "/static/app.js", "defer": None}, attrs
        assert tag != "img", attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, attrs)
            if name in ("href", "src", "action"):
                assert not (value or "").strip().lower().startswith("javascript:"), (tag, attrs)
    for payload in (HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_LINK):
        assert payload not in html


def page(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


# --- every page over the sample -------------------------------------------------------------


@pytest.fixture(scope="module")
def ids(sample_db: Path) -> dict[str, str]:
    with quotegraph.open(sample_db, readonly=True) as qg:
        speaker = next(qg.speakers())
        record = next(qg.statements(speaker=speaker.speaker_id))
        return {
            "speaker": speaker.speaker_id,
            "speaker_name": speaker.name,
            "statement": record.statement.statement_id,
            "article": record.statement.article_id,
            "story": qg.stories()[0].story.story_id,
        }


def test_overview_shows_counts_stories_chart_and_matrix(client):
    html = page(client, "/")
    assert "156" in html
    assert "Statements over time" in html
    assert html.count('class="bar"') >= 5  # one SVG bar per day
    assert "Who each outlet quotes" in html
    assert "heat-5" in html
    assert "Dockworkers walk out at Saltmere" in html
    assert_no_injected_markup(html)


def test_search_finds_statements_and_articles(client):
    html = page(client, "/search?q=hospitals")
    assert "Statements" in html
    assert "Articles" in html
    assert "hospital" in html.lower()
    assert "/articles/" in html
    assert "/statements/" in html


def _speaker_ids(sample_db: Path, *names: str) -> list[str]:
    with quotegraph.open(sample_db, readonly=True) as qg:
        return [next(s for s in qg.speakers() if s.name == name).speaker_id for name in names]


def test_search_offers_the_speakers_and_outlets_the_words_name_first(client, sample_db):
    lena, piet = _speaker_ids(sample_db, "Lena Rask", "Piet Rask")
    html = page(client, "/search?q=Rask")
    offer = html[html.index('id="meant"') : html.index("</p>", html.index('id="meant"'))]
    assert f'href="/search?speaker={lena}">Lena Rask</a> or ' in offer
    assert f'href="/search?speaker={piet}">Piet Rask</a>' in offer
    assert html.index('id="meant"') < html.index("<h2>Statements</h2>")
    outlet = page(client, "/search?q=northgate")
    assert 'href="/search?outlet=Northgate+Daily">the outlet Northgate Daily</a>' in outlet


def test_a_speaker_filter_naming_two_people_says_so(client, sample_db):
    lena, piet = _speaker_ids(sample_db, "Lena Rask", "Piet Rask")
    html = page(client, "/search?speaker=Rask")
    assert "“Rask” names 2 people" in html
    assert f'href="/search?speaker={lena}">Lena Rask</a>' in html
    assert f'href="/search?speaker={piet}">Piet Rask</a>' in html
    assert 'id="choices"' not in page(client, f"/search?speaker={lena}")


def test_search_says_how_many_statements_match_and_marks_the_words(client, sample_db):
    with quotegraph.open(sample_db, readonly=True) as qg:
        # The page lists speech unless asked for every act, and counts what it lists.
        found = sum(1 for _ in qg.statements(q="hospitals", act="speech"))
        by_lena = sum(1 for _ in qg.statements(speaker="Lena Rask", act="speech"))
    assert found > 1
    html = page(client, "/search?q=hospitals")
    assert f"{found} statements match." in html
    assert '<mark class="hit">hospitals</mark>' in html
    assert '<mark class="hit">hospital</mark>' in html  # the stem the index matched too
    assert f"{by_lena} statements match." in page(client, "/search?speaker=Lena+Rask")
    assert "No statements match these words." in page(client, "/search?q=zebracorn")


def test_the_speakers_list_can_be_filtered_by_name(client):
    html = page(client, "/speakers?q=rask")
    rows = [
        a
        for t, a in tags_of(html)
        if t == "a" and (a.get("href") or "").startswith("/speakers/sp_")
    ]
    assert len(rows) == 2
    assert "Lena Rask" in html
    assert "Piet Rask" in html
    assert "Henrik Dahlgren" not in html
    assert "No speaker is named like “zebracorn”" in page(client, "/speakers?q=zebracorn")
    api = client.get("/api/v1/speakers", params={"q": "rask"}).json()["items"]
    assert sorted(s["name"] for s in api) == ["Lena Rask", "Piet Rask"]


def test_api_page_renders_the_documentation(client):
    html = page(client, "/api")
    main = html[html.index("<main") :]
    assert "`" not in main  # backticks become <code>
    assert "Follow <code>next_cursor</code> for the next page." in html
    for name in ("Find statements", "One story across outlets", "Add articles"):
        assert name in html
    assert 'id="list_statements"' in html
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["paths"]["/api/v1/statements"]["get"]["operationId"] == "list_statements"


def test_search_with_filters_and_pages(client, ids):
    html = page(client, f"/search?speaker={ids['speaker']}&kind=")
    assert ids["speaker_name"] in html
    first = page(client, "/search")
    assert "Next page" in first  # 156 statements, 25 per page


def test_search_shows_speech_unless_asked_for_every_act(client):
    speech = page(client, "/search?act=speech")
    assert 'class="badge act-action"' not in speech
    every = page(client, "/search?act=action")
    assert 'class="badge act-action"' in every
    assert '<option value="action" selected>' in every
    page(client, "/search?act=shouted", status=422)


def test_search_with_a_bad_filter_is_a_422_page(client):
    html = page(client, "/search?kind=shouted", status=422)
    assert "E044" in html


def test_statement_page_shows_the_quote_in_context(client, ids):
    html = page(client, f"/statements/{ids['statement']}")
    assert ids["speaker_name"] in html
    assert f"/speakers/{ids['speaker']}" in html
    assert f"/articles/{ids['article']}" in html
    assert "/stories/st_" in html
    assert '<mark class="quote' in html


def test_article_page_highlights_every_statement(client, sample_db, ids):
    html = page(client, f"/articles/{ids['article']}")
    with quotegraph.open(sample_db, readonly=True) as qg:
        records = list(qg.statements(article_id=ids["article"]))
    for record in records:
        assert f'id="st-{record.statement.statement_id}"' in html
    marked = [attrs for tag, attrs in tags_of(html) if tag == "mark" and "data-statement" in attrs]
    assert {a["data-statement"] for a in marked} >= {
        r.statement.statement_id for r in records if r.statement.content_spans
    }
    assert f'class="who" data-statement="{records[0].statement.statement_id}"' in html


def test_speaker_page_has_names_timeline_and_statements(client, ids):
    html = page(client, f"/speakers/{ids['speaker']}")
    assert ids["speaker_name"] in html
    assert '<svg class="chart"' in html
    assert "Statements over time" in html
    assert "Also named" in html
    assert "/stories/st_" in html


def test_story_page_sets_outlets_side_by_side(client, ids):
    html = page(client, f"/stories/{ids['story']}")
    assert html.count('class="outlet-col"') == 4
    assert "Agreements and contradictions" in html
    assert 'class="relation relation-contradicts"' in html
    assert "opposite states" in html or "time:" in html or "figures:" in html


def test_story_page_shows_the_strongest_relations_and_links_to_all_of_them(
    client, ids, monkeypatch
):
    every = page(client, f"/contradictions?story={ids['story']}")
    shown = every.count('class="relation relation-')
    assert shown >= 2  # the sample story has several agreements and contradictions
    monkeypatch.setattr(web_pages, "STORY_RELATIONS", 1)
    html = page(client, f"/stories/{ids['story']}")
    assert html.count('class="relation relation-') == 1
    assert f'href="/contradictions?story={ids["story"]}"' in html
    assert f'href="/stories/{ids["story"]}"' in every  # the filtered list names its story
    other = page(client, "/contradictions?story=st_nope")
    assert 'class="relation relation-' not in other


def test_story_page_shows_speech_unless_asked_for_every_act(client, ids):
    speech = page(client, f"/stories/{ids['story']}")
    every = page(client, f"/stories/{ids['story']}?act=all")
    assert speech.count("act-action") == 0 < every.count("act-action")
    page(client, f"/stories/{ids['story']}?act=shouted", status=422)


def test_story_page_compares_outlets_and_lists_who_each_left_out(client, ids):
    html = page(client, f"/stories/{ids['story']}")
    assert "Who each outlet quotes" in html
    assert html.count('class="matrix"') == 1
    assert "Left out" in html
    assert 'class="chip" href="/speakers/sp_' in html  # someone is left out somewhere
    assert html.count('<svg class="chart"') == 1  # statements per day in the story


def test_speaker_page_has_a_timeline_per_story(client, ids):
    html = page(client, f"/speakers/{ids['speaker']}")
    assert 'class="plain-list story-timelines"' in html
    assert html.count('<svg class="chart"') >= 2  # overall, then one per story


def test_stories_page_pages(client, monkeypatch):
    monkeypatch.setattr(web_pages, "STORIES_PAGE_SIZE", 2)
    first = page(client, "/stories")
    assert first.count('<a class="title" href="/stories/st_') == 2
    assert "Next page" in first
    cursor = first.split("?cursor=")[1].split('"')[0]
    second = page(client, f"/stories?cursor={cursor}")
    assert second.count('<a class="title" href="/stories/st_') == 1
    assert "Next page" not in second


def test_pages_say_when_articles_wait_for_the_story_pass(tmp_path):
    db = tmp_path / "waiting.db"
    waiting = Article(article_id="waiting-1", text="Quay sold.", title="Quay", outlet="Wire")
    with Store.open(db) as store:
        store.write_extractions(store.begin_run("test"), [Extraction(waiting)])
    with TestClient(create_app(ServeConfig(db=db))) as waiting_client:
        for url in ("/", "/stories"):
            assert "1 article not placed in stories yet." in page(waiting_client, url)
        with Store.open(db) as store:
            place_articles(store)
        assert "not placed in stories" not in page(waiting_client, "/stories")


@pytest.mark.parametrize("url", ["/stories", "/speakers", "/contradictions", "/api"])
def test_list_and_info_pages(client, url):
    html = page(client, url)
    assert "<nav" in html
    assert "quotegraph" in html


def test_contradictions_page_lists_pairs_with_evidence_and_filters(client):
    html = page(client, "/contradictions")
    assert 'class="relation relation-contradicts"' in html
    assert 'class="relation relation-agrees"' in html
    only = page(client, "/contradictions?relation=contradicts")
    assert 'class="relation relation-agrees"' not in only
    assert "The crisis is behind us" in only or "Our work is far from finished" in only
    assert 'class="relation relation-contradicts"' not in page(
        client, "/contradictions?relation=agrees"
    )


@pytest.mark.parametrize(
    "url",
    ["/articles/nope", "/speakers/nope", "/stories/nope", "/statements/nope", "/no-such-page"],
)
def test_unknown_pages_are_html_404s(client, url):
    html = page(client, url, status=404)
    assert "Not found" in html


def test_pages_answer_head(client):
    assert client.head("/").status_code == 200


def test_static_files_are_served(client):
    css = client.get("/static/style.css")
    assert css.status_code == 200
    assert "text/css" in css.headers["content-type"]
    assert client.get("/static/app.js").status_code == 200


# --- hostile content ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(
    sample_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """A server whose store holds the sample plus an article full of markup."""
    db = copy_store(sample_template, tmp_path_factory.mktemp("hostile"))
    with TestClient(create_app(ServeConfig(db=db, token=TOKEN))) as client:
        response = client.post("/api/v1/articles", json=HOSTILE_ARTICLE, headers=auth())
        assert response.status_code == 201, response.text
        yield client


@pytest.fixture(scope="module")
def hostile_ids(hostile: TestClient) -> dict[str, str]:
    found = hostile.get("/api/v1/articles", params={"q": "Portville"}).json()["items"]
    (article,) = found
    detail = hostile.get(f"/api/v1/articles/{article['article_id']}").json()
    statements = detail["statements"]
    quoting = [s for s in statements if "<script>" in s["content"]]
    assert quoting, "the payload should be inside an extracted quote"
    speakers = [s["speaker_id"] for s in statements if s["speaker_id"]]
    return {
        "article": article["article_id"],
        "statement": quoting[0]["statement_id"],
        "speaker": speakers[0],
        "story": detail["story_id"],
    }


def test_a_posted_article_is_placed_in_a_story(hostile_ids):
    assert hostile_ids["story"].startswith("st_")


def test_hostile_payload_is_stored_verbatim(hostile, hostile_ids):
    detail = hostile.get(f"/api/v1/articles/{hostile_ids['article']}").json()
    assert HOSTILE_SCRIPT in detail["text"]
    assert HOSTILE_SCRIPT in detail["title"]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search?q=script",
        "/search?q=harbour",
        "/search?speaker=Mara+Lindqvist",
        "/stories",
        "/speakers",
        "/article",
        "/statement",
        "/speaker",
        "/story",
        "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/no-such-page-%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ],
)
def test_pages_escape_hostile_content(hostile, hostile_ids, url):
    targets = {
        "/article": f"/articles/{hostile_ids['article']}",
        "/statement": f"/statements/{hostile_ids['statement']}",
        "/speaker": f"/speakers/{hostile_ids['speaker']}",
        "/story": f"/stories/{hostile_ids['story']}",
    }
    response = hostile.get(targets.get(url, url))
    assert response.status_code in (200, 404)
    assert_no_injected_markup(response.text)


def test_hostile_text_is_shown_escaped_not_dropped(hostile, hostile_ids):
    html = page(hostile, f"/articles/{hostile_ids['article']}")
    assert "&lt;script&gt;window.__pwned = 1; alert(1)&lt;/script&gt;" in html
    assert "javascript:alert(4)" in html  # the url, as text: never as a link
    assert 'href="javascript:' not in html
