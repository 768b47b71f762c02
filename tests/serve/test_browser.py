"""The web UI in a real browser: Debian's Chromium driven by Playwright, against uvicorn.

Never ``playwright install``: the browser is the system one that
``scripts/install-browser.sh`` installs; without it these tests skip. Screenshots of every
page land in ``test-artifacts/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from quotegraph.serve import ServeConfig, create_app

from .helpers import HOSTILE_ARTICLE, TOKEN, auth, copy_store, running_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is missing: run scripts/install-browser.sh (Debian's chromium package)",
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def live(
    sample_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """A real server over the sample plus one hostile article; yields its URLs of interest."""
    db = copy_store(sample_template, tmp_path_factory.mktemp("browser"))
    with running_server(create_app(ServeConfig(db=db, token=TOKEN))) as base:
        posted = httpx2.post(f"{base}/api/v1/articles", json=HOSTILE_ARTICLE, headers=auth())
        assert posted.status_code == 201, posted.text
        hostile_id = posted.json()["article_ids"][0]
        hostile = httpx2.get(f"{base}/api/v1/articles/{hostile_id}").json()
        speaker = httpx2.get(f"{base}/api/v1/speakers", params={"limit": 1}).json()["items"][0]
        story = httpx2.get(f"{base}/api/v1/stories").json()["items"][0]
        first = httpx2.get(f"{base}/api/v1/statements", params={"limit": 1}).json()["items"][0]
        yield {
            "base": base,
            "article": f"/articles/{first['article_id']}",
            "statement": f"/statements/{first['statement_id']}",
            "speaker": f"/speakers/{speaker['speaker_id']}",
            "story": f"/stories/{story['story_id']}",
            "hostile_article": f"/articles/{hostile_id}",
            "hostile_statement": f"/statements/{hostile['statements'][0]['statement_id']}",
            "hostile_speaker": f"/speakers/{hostile['statements'][0]['speaker_id']}",
            "hostile_story": f"/stories/{hostile['story_id']}",
        }


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page plus what it must never produce: dialogs, script errors, console errors."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on(
            "console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None
        )

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        assert response is not None
        assert response.status == 200, path
        return self.page

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def assert_clean(self) -> None:
        assert self.dialogs == []
        assert self.errors == []


@pytest.fixture
def web(browser: Any, live: dict[str, str]) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = Watched(context.new_page(), live["base"])
    yield watched
    context.close()


PAGES = {
    "overview": "/",
    "search": "/search?q=hospital",
    "stories": "/stories",
    "speakers": "/speakers",
    "contradictions": "/contradictions",
    "claims": "/claims",
    "api": "/api",
    "article": "article",
    "statement": "statement",
    "speaker": "speaker",
    "story": "story",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_with_header_and_heading(web, live, name):
    path = live.get(PAGES[name], PAGES[name])
    page = web.open(path)
    assert page.locator("header.site a.brand").is_visible()
    assert page.locator("header.site input[name=q]").is_visible()
    assert page.locator("h1").first.is_visible()
    web.shot(f"page-{name}")
    web.assert_clean()


def test_click_through_search_statement_speaker_story(web):
    page = web.open("/")
    assert page.locator(".stats").get_by_text("Statements").is_visible()
    page.fill("header.site input[name=q]", "hospitals")
    page.press("header.site input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=hospitals"))
    first = page.locator("article.statement").first
    assert "hospital" in first.inner_text().lower()
    web.shot("flow-1-search")

    first.locator("blockquote a").click()
    page.wait_for_url(re.compile(r"/statements/"))
    assert page.locator("figure.big-quote blockquote").is_visible()
    assert page.locator("mark.quote").count() >= 1
    web.shot("flow-2-statement")

    speaker = page.locator("figure.big-quote figcaption a.speaker")
    name = speaker.inner_text()
    speaker.click()
    page.wait_for_url(re.compile(r"/speakers/sp_"))
    assert page.locator("h1").inner_text() == name
    assert page.locator("svg.chart rect.bar").count() >= 1
    web.shot("flow-3-speaker")

    page.locator("a[href^='/stories/st_']").first.click()
    page.wait_for_url(re.compile(r"/stories/st_"))
    assert page.get_by_role("heading", name="Outlets side by side").is_visible()
    assert page.locator(".outlet-col").count() >= 2
    assert page.get_by_role("heading", name="Agreements and contradictions").is_visible()
    web.shot("flow-4-story")
    web.assert_clean()


def test_article_page_marks_statements_and_links_them(web, live):
    page = web.open(live["article"])
    marks = page.locator("section.article-text mark.quote")
    assert marks.count() >= 1
    assert page.locator("section.article-text .who").count() >= 1
    item = page.locator(".statement-index li").first
    statement_id = item.get_attribute("data-statement")
    item.hover()  # the script outlines the statement's words in the text
    active = page.locator(f"mark.quote.active[data-statement='{statement_id}']")
    assert active.count() >= 1
    item.locator("a.jump").click()
    assert page.url.endswith(f"#st-{statement_id}")
    web.assert_clean()


def test_one_search_box_finds_speakers_counts_and_marks(web):
    page = web.open("/")
    page.fill("header.site input[name=q]", "Rask")
    page.press("header.site input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=Rask"))
    offer = page.locator("#meant")
    assert offer.inner_text() == "Did you mean what Lena Rask or Piet Rask said?"
    web.shot("search-did-you-mean")
    offer.get_by_role("link", name="Lena Rask").click()
    page.wait_for_url(re.compile(r"/search\?speaker=sp_"))
    count = page.locator("#result-count").inner_text()
    assert re.fullmatch(r"\d+ statements match\.", count), count
    assert page.locator("article.statement").count() == min(int(count.split()[0]), 25)
    page.goto(web.base + "/search?q=hospitals")
    assert page.locator("article.statement mark.hit").count() >= 3
    web.shot("search-marked")
    page.goto(web.base + "/search?speaker=Rask")
    assert "names 2 people" in page.locator("#choices").inner_text()
    web.assert_clean()


def test_speakers_filter_story_chart_size_left_out_and_api_page(web, live):
    page = web.open("/speakers")
    page.fill("main input[name=q]", "rask")
    page.press("main input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/speakers\?q=rask"))
    assert page.locator("table.list tbody tr").count() == 2
    web.shot("speakers-filtered")

    page = web.open(live["story"])
    chart = page.locator("#coverage svg.chart").bounding_box()
    assert chart is not None
    assert (round(chart["width"]), round(chart["height"])) == (380, 120)  # not stretched
    # Story 1: The Harbor Ledger wrote only on the first day; the others spoke later.
    ledger = page.locator("ul.left-out li", has_text="The Harbor Ledger")
    assert ledger.locator("a.chip").count() == 0
    web.shot("story-left-out")

    page = web.open("/api")
    assert "`" not in page.locator("main").inner_text()
    assert page.locator("#list_statements .op-name").inner_text() == "Find statements"
    web.shot("api-page")
    web.assert_clean()


def test_claims_page_shows_both_sides_and_leads_to_who_contradicts_whom(web):
    page = web.open("/")
    page.locator("header.site nav").get_by_role("link", name="Claims").click()
    page.wait_for_url(re.compile(r"/claims$"))
    first = page.locator("article.claim").first
    assert "disputed" in (first.get_attribute("class") or "")
    assert first.locator(".side-for li.claim-member").count() >= 1
    against = first.locator(".side-against li.claim-member")
    assert against.count() >= 1
    assert first.locator(".side-for h3").inner_text().startswith("Says so")
    assert first.locator(".side-against h3").inner_text().startswith("Says otherwise")
    assert first.locator(".chip").count() >= 2  # the outlets that carry it
    web.shot("claims")

    first.locator("h2.proposition a").click()
    page.wait_for_url(re.compile(r"/claims/cl_"))
    assert page.locator("h1.proposition").is_visible()
    assert page.locator("article.relation.relation-contradicts").count() >= 1
    web.shot("claim")

    page.locator(".side-against li.claim-member blockquote a").first.click()
    page.wait_for_url(re.compile(r"/statements/"))
    assert page.get_by_role("heading", name=re.compile("^Contradicted by")).is_visible()
    assert page.get_by_role("heading", name=re.compile("^Agreed by")).is_visible()
    listed = page.locator("section.disputes li.counterpart")
    assert listed.count() >= 1
    assert re.search(r"score \d\.\d\d", listed.first.inner_text())
    web.shot("statement-contradicted-by")
    web.assert_clean()


def _speaker_links(card: Any) -> list[str | None]:
    links = card.locator("a.speaker")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


def test_contradictions_page_filters_by_relation_speaker_outlet_and_story(web):
    page = web.open("/contradictions")
    everything = page.locator("article.relation").count()
    first = page.locator("article.relation.relation-contradicts").first
    name = first.locator("a.speaker").first.inner_text()
    form = page.locator("#dispute-filters")
    form.locator("select[name=relation]").select_option("contradicts")
    form.locator("input[name=speaker]").fill(name)
    form.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"/contradictions\?relation=contradicts&speaker="))
    cards = page.locator("article.relation")
    assert 1 <= cards.count() < everything
    for i in range(cards.count()):
        card = cards.nth(i)
        assert "relation-contradicts" in (card.get_attribute("class") or "")
        assert name in card.inner_text()
        links = _speaker_links(card)
        assert len(set(links)) == len(links), "nobody is paired with himself"
    web.shot("contradictions-speaker")

    form = page.locator("#dispute-filters")
    assert form.locator("input[name=speaker]").input_value() == name
    form.locator("select[name=relation]").select_option("")
    form.locator("input[name=speaker]").fill("")
    story = form.locator("select[name=story] option").nth(1).get_attribute("value")
    assert story
    form.locator("select[name=story]").select_option(story)
    form.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(rf"/contradictions\?.*story={story}"))
    in_story = page.locator("article.relation").count()
    assert in_story >= 1
    assert page.get_by_role("link", name="all stories").is_visible()

    outlet = page.locator("article.relation .outlet").first.inner_text()
    form = page.locator("#dispute-filters")
    form.locator("select[name=outlet]").select_option(outlet)
    form.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"outlet="))
    assert f"story={story}" in page.url
    cards = page.locator("article.relation")
    assert 1 <= cards.count() <= in_story
    for i in range(cards.count()):
        assert outlet in cards.nth(i).inner_text()
    web.shot("contradictions-outlet-story")

    page.get_by_role("link", name="all stories").click()
    page.wait_for_url(re.compile(r"/contradictions\?outlet=[^&]+$"))
    assert page.locator("article.relation").count() >= cards.count()
    web.assert_clean()


def test_slash_focuses_the_search_box(web):
    page = web.open("/stories")
    page.keyboard.press("/")
    focused = page.evaluate("document.activeElement && document.activeElement.name")
    assert focused == "q"


@pytest.mark.parametrize(
    "key",
    ["hostile_article", "hostile_statement", "hostile_speaker", "hostile_story", "overview"],
)
def test_hostile_content_never_runs(web, live, key):
    path = live.get(key, "/")
    page = web.open(path)
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    web.shot(f"hostile-{key}")
    web.assert_clean()


def test_hostile_markup_is_shown_as_text(web, live):
    page = web.open(live["hostile_article"])
    text = page.locator("section.article-text").inner_text()
    assert "<script>window.__pwned = 1; alert(1)</script>" in text
    assert page.locator("h1").inner_text().startswith("Harbour row <script>")
    page = web.open("/search?q=script")
    assert page.locator("article.statement").count() >= 1
    assert page.evaluate("window.__pwned") is None
    web.assert_clean()
