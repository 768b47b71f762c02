"""The JSON API over the bundled sample corpus: every endpoint, filters, pages and errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import quotegraph
from quotegraph.errors import CATALOGUE
from quotegraph.export import (
    article_row,
    claim_row,
    figure_row,
    relation_row,
    speaker_row,
    statement_row,
)
from quotegraph.ingest.fields import FIELD_ALIASES
from quotegraph.serve import ServeConfig, create_app, cursors
from quotegraph.serve.schemas import (
    ArticleItem,
    FigureItem,
    SpeakerItem,
    StatementItem,
)
from quotegraph.store import LATEST_VERSION

from .helpers import auth

# 37 speakers: the speaker pass merges "Kembara’s interior ministry" (curly apostrophe) into
# "Kembara's interior ministry".
SAMPLE_COUNTS = {"articles": 13, "statements": 156, "speakers": 42, "figures": 67, "failures": 0}
# Of the sample statements, those of act "speech", which statement listings show by default.
SAMPLE_SPEECH = 134


@pytest.fixture(scope="module")
def qg(sample_db: Path) -> Iterator[quotegraph.Quotegraph]:
    """The same store through the Python API, to compare answers with."""
    with quotegraph.open(sample_db, readonly=True) as opened:
        yield opened


def get_json(client: TestClient, url: str, params: dict[str, Any] | None = None) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def walk(client: TestClient, url: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of a paged list, following next_cursor to the end."""
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(1000):
        page = get_json(client, url, {**params, **({"cursor": cursor} if cursor else {})})
        assert set(page) == {"items", "next_cursor"}
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items
        assert page["items"], "a page with a next cursor must not be empty"
    raise AssertionError("pagination does not end")


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error shape, with the HTTP status repeated inside."""
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert {"code", "message", "status"} <= set(error) <= {"code", "message", "status", "details"}
    assert error["status"] == status
    assert isinstance(error["message"], str)
    assert error["message"]
    assert error["code"] in CATALOGUE, error  # one catalogue for every error, HTTP ones too
    if code is not None:
        assert error["code"] == code
    return error


# --- meta -----------------------------------------------------------------------------------


def test_health_says_ok_and_whether_writes_are_enabled(client, readonly_client):
    body = get_json(client, "/api/v1/health")
    assert body == {
        "status": "ok",
        "version": quotegraph.__version__,
        "schema_version": LATEST_VERSION,
        "writes_enabled": True,
    }
    assert get_json(readonly_client, "/api/v1/health")["writes_enabled"] is False


def test_counts_are_the_stores(client):
    assert get_json(client, "/api/v1/counts") == SAMPLE_COUNTS


def test_openapi_schema_documents_every_endpoint(client):
    schema = get_json(client, "/api/v1/openapi.json")
    paths = schema["paths"]
    for path in (
        "/api/v1/health",
        "/api/v1/statements",
        "/api/v1/statements/{statement_id}",
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/speakers",
        "/api/v1/speakers/{speaker_id}",
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/stories/{story_id}/coverage",
        "/api/v1/speakers/{speaker_id}/timeline",
        "/api/v1/claims",
        "/api/v1/contradictions",
        "/api/v1/figures",
    ):
        assert path in paths, path
    params = {p["name"]: p for p in paths["/api/v1/statements"]["get"]["parameters"]}
    assert set(params) >= {"q", "speaker", "outlet", "story", "claim", "kind", "since", "until"}
    assert "for and against" in params["claim"]["description"]
    assert {"401", "403", "413", "422"} <= set(paths["/api/v1/articles"]["post"]["responses"])
    # UI pages are not part of the API.
    assert "/" not in paths
    assert "/search" not in paths


@pytest.mark.parametrize(
    ("model", "row_function", "sample"),
    [
        (StatementItem, statement_row, lambda qg: next(qg.statements())),
        (ArticleItem, article_row, lambda qg: next(qg.articles())),
        (SpeakerItem, speaker_row, lambda qg: next(qg.speakers())),
        (FigureItem, figure_row, lambda qg: next(qg.figures())),
    ],
)
def test_response_models_have_exactly_the_export_fields(qg, model, row_function, sample):
    row = row_function(sample(qg))
    assert list(model.model_fields) == list(row)


# --- statements -----------------------------------------------------------------------------


def test_statements_page_items_are_export_rows(client, qg):
    page = get_json(client, "/api/v1/statements")
    expected = [statement_row(r) for r in qg.statements(limit=50, act="speech")]
    assert page["items"] == expected
    assert page["next_cursor"] is not None


def test_statements_are_speech_unless_asked_for_every_act(client, qg):
    speech = walk(client, "/api/v1/statements", {})
    every = walk(client, "/api/v1/statements", {"act": "all"})
    assert {row["act"] for row in speech} == {"speech"}
    assert len(every) == len(list(qg.statements())) > len(speech)
    beliefs = walk(client, "/api/v1/statements", {"act": "belief"})
    assert {row["act"] for row in beliefs} <= {"belief"}


@pytest.mark.parametrize("limit", [1, 7, 50, 500])
def test_paging_visits_every_statement_exactly_once(client, qg, limit):
    items = walk(client, "/api/v1/statements", {"limit": limit})
    ids = [item["statement_id"] for item in items]
    assert len(ids) == len(set(ids)) == SAMPLE_SPEECH
    assert ids == [r.statement.statement_id for r in qg.statements(act="speech")]


@pytest.mark.parametrize(
    "filters",
    [
        {"q": "hospital"},
        {"q": "hosp*"},
        {"speaker": "Lena Rask"},
        {"speaker": "lena rask"},
        {"speaker": "The union leader"},
        {"outlet": "meridian post"},
        {"kind": "direct"},
        {"kind": "mixed", "outlet": "Continental Wire"},
        {"since": "2025-03-15"},
        {"until": "2025-03-12"},
        {"since": "2025-03-13", "until": "2025-03-13"},
        {"q": "strike", "kind": "indirect", "since": "2025-03-16"},
    ],
)
def test_filters_answer_what_the_store_answers(client, qg, filters):
    items = walk(client, "/api/v1/statements", {**filters, "limit": 4})
    expected = [statement_row(r) for r in qg.statements(**filters, act="speech")]
    assert expected, "each case should match something in the sample"
    assert items == expected


def test_speaker_filter_takes_an_id(client, qg):
    speaker = next(qg.speakers())
    items = walk(
        client, "/api/v1/statements", {"speaker": speaker.speaker_id, "limit": 5, "act": "all"}
    )
    assert len(items) == speaker.statement_count
    assert {item["speaker_id"] for item in items} == {speaker.speaker_id}


def test_a_date_time_bound_is_accepted(client):
    page = get_json(client, "/api/v1/statements", {"since": "2025-03-13T09:30:00Z"})
    assert all(item["published"] >= "2025-03-13T09:30:00Z" for item in page["items"])


def test_story_filter_gives_the_story_statements_in_order(client, qg):
    stories = get_json(client, "/api/v1/stories")["items"]
    seen: list[str] = []
    for story in stories:
        items = walk(
            client,
            "/api/v1/statements",
            {"story": story["story_id"], "limit": 6, "act": "all"},
        )
        assert {item["article_id"] for item in items} <= set(story["article_ids"])
        # A story counts its speech, as its pages list it.
        assert sum(item["act"] == "speech" for item in items) == story["statement_count"]
        assert len(items) > story["statement_count"]  # the sample has other acts too
        expected = [
            statement_row(r)
            for article_id in story["article_ids"]
            for r in qg.statements(article_id=article_id)
        ]
        assert items == expected
        seen += [item["statement_id"] for item in items]
    # The sample's stories cover every statement once.
    assert len(seen) == len(set(seen)) == SAMPLE_COUNTS["statements"]


def test_story_filter_combines_with_other_filters(client, qg):
    story = get_json(client, "/api/v1/stories")["items"][1]
    items = walk(client, "/api/v1/statements", {"story": story["story_id"], "kind": "direct"})
    assert items
    assert all(item["kind"] == "direct" for item in items)
    assert all(item["article_id"] in story["article_ids"] for item in items)


def test_unknown_story_and_any_claim_give_empty_pages(client):
    empty = {"items": [], "next_cursor": None}
    assert get_json(client, "/api/v1/statements", {"story": "st_000000000000"}) == empty
    assert get_json(client, "/api/v1/statements", {"claim": "cl_anything"}) == empty


def test_blank_filters_mean_no_filter(client):
    page = get_json(client, "/api/v1/statements", {"speaker": "", "q": " ", "outlet": ""})
    assert len(page["items"]) == 50


def test_a_control_character_is_not_a_blank_filter(client):
    # Found by the schema test: str.strip() takes U+001D for space, so it passed as blank.
    assert_error(client.get("/api/v1/claims", params={"relation": "\x1d"}), 422, "E044")
    assert_error(client.get("/api/v1/contradictions", params={"relation": "\x1d"}), 422, "E044")


def test_one_statement_by_id(client, qg):
    record = next(qg.statements())
    body = get_json(client, f"/api/v1/statements/{record.statement.statement_id}")
    assert body == statement_row(record)
    assert_error(client.get("/api/v1/statements/nope"), 404, "E080")


# --- articles -------------------------------------------------------------------------------


def test_article_detail_has_text_statements_figures_and_story(client, qg):
    article = next(qg.articles())
    body = get_json(client, f"/api/v1/articles/{article.article_id}")
    assert {k: body[k] for k in article_row(article)} == article_row(article)
    assert body["text"] == article.text
    assert body["statements"] == [
        statement_row(r) for r in qg.statements(article_id=article.article_id)
    ]
    assert body["figures"] == [figure_row(f) for f in qg.figures(article_id=article.article_id)]
    assert body["story_id"].startswith("st_")
    for item in body["statements"]:
        for start, end in item["content_spans"]:
            assert body["text"][start:end] in item["content"]


def test_article_list_pages_and_searches(client, qg):
    items = walk(client, "/api/v1/articles", {"limit": 5})
    assert items == [article_row(a) for a in qg.articles()]
    found = walk(client, "/api/v1/articles", {"q": "dockworkers", "limit": 2})
    assert found == [article_row(a) for a in qg.store.search_articles("dockworkers", limit=None)]
    outlet = walk(client, "/api/v1/articles", {"outlet": "northgate daily"})
    assert {a["outlet"] for a in outlet} == {"Northgate Daily"}


def test_unknown_article_is_a_404_in_the_error_shape(client):
    error = assert_error(client.get("/api/v1/articles/0000000000000000"), 404, "E080")
    assert "0000000000000000" in error["message"]


# --- speakers -------------------------------------------------------------------------------


def test_speaker_list_pages_by_cursor_and_by_offset(client, qg):
    by_cursor = walk(client, "/api/v1/speakers", {"limit": 9})
    assert by_cursor == [speaker_row(s) for s in qg.speakers()]
    second = get_json(client, "/api/v1/speakers", {"limit": 9, "offset": 9})
    assert second["items"] == by_cursor[9:18]


def test_speaker_detail_counts_and_timeline(client, qg):
    speaker = next(qg.speakers())
    body = get_json(client, f"/api/v1/speakers/{speaker.speaker_id}")
    assert {k: body[k] for k in speaker_row(speaker)} == speaker_row(speaker)
    assert sum(body["by_kind"].values()) == speaker.statement_count
    assert sum(body["by_outlet"].values()) == speaker.statement_count
    assert sum(day["count"] for day in body["timeline"]) == speaker.statement_count
    days = [day["day"] for day in body["timeline"]]
    assert days == sorted(days)
    assert body["article_ids"]


def test_unknown_speaker_is_a_404(client):
    assert_error(client.get("/api/v1/speakers/sp_nobody"), 404, "E080")


# --- stories, claims, figures ---------------------------------------------------------------


def test_stories_are_the_corpus_stories(client, qg):
    body = get_json(client, "/api/v1/stories")
    expected = qg.stories()  # speech, as a story's statement_count counts
    assert body["next_cursor"] is None
    assert [s["story_id"] for s in body["items"]] == [s.story.story_id for s in expected]
    assert [s["statement_count"] for s in body["items"]] == [len(s.statements) for s in expected]
    assert len(body["items"]) == 3
    every_act = sum(len(s.statements) for s in qg.stories(act=None))
    assert every_act == SAMPLE_COUNTS["statements"]
    assert sum(s["statement_count"] for s in body["items"]) < every_act


def test_story_detail_shows_outlets_and_who_they_quote(client, qg):
    summary = qg.stories()[0]
    body = get_json(client, f"/api/v1/stories/{summary.story.story_id}")
    assert [a["article_id"] for a in body["articles"]] == list(summary.story.article_ids)
    assert [v["outlet"] for v in body["voices"]] == list(summary.story.outlets)
    quoted = sum(v["statements"] for group in body["voices"] for v in group["voices"])
    assert quoted == len(body["statements"]) == len(summary.statements)
    stored = _between_speakers(qg, story_id=summary.story.story_id)
    assert body["contradictions"] == [r for r in stored if r["relation"] == "contradicts"]
    assert body["agreements"] == [r for r in stored if r["relation"] == "agrees"]
    assert body["contradictions"], "the first sample story has written-in contradictions"
    assert_error(client.get("/api/v1/stories/st_nope"), 404, "E080")


def test_stories_page_with_cursors(client, qg):
    items = walk(client, "/api/v1/stories", {"limit": 1})
    assert [s["story_id"] for s in items] == [s.story.story_id for s in qg.stories()]
    assert_error(client.get("/api/v1/stories", params={"limit": 0}), 422, "E044")


def test_story_coverage_is_outlets_by_speakers_with_who_was_left_out(client, qg):
    summary = qg.stories()[0]  # speech: what the coverage counts, as the story page lists
    story_id = summary.story.story_id
    body = get_json(client, f"/api/v1/stories/{story_id}/coverage")
    coverage = qg.story_coverage(story_id)
    assert coverage is not None
    assert body["story_id"] == story_id
    assert [o["outlet"] for o in body["outlets"]] == [o.outlet for o in coverage.outlets]
    assert sum(o["statements"] for o in body["outlets"]) == len(summary.statements)
    assert sum(d["count"] for d in body["timeline"]) == len(summary.statements)
    speakers = {s["speaker_id"] for s in body["speakers"]}
    for outlet in body["outlets"]:
        assert set(outlet["quoted"]) | set(outlet["left_out"]) <= speakers
        assert not set(outlet["quoted"]) & set(outlet["left_out"])
    assert any(o["left_out"] for o in body["outlets"]), "the sample's outlets differ"
    assert_error(client.get("/api/v1/stories/st_nope/coverage"), 404, "E080")


def test_speaker_timeline_per_day_and_per_story(client, qg):
    speaker = next(qg.speakers())
    body = get_json(client, f"/api/v1/speakers/{speaker.speaker_id}/timeline")
    assert (body["speaker_id"], body["name"]) == (speaker.speaker_id, speaker.name)
    assert sum(d["count"] for d in body["timeline"]) + body["undated"] == speaker.statement_count
    assert body["stories"], "the most quoted speaker is quoted in a story"
    story = body["stories"][0]
    assert story["story_id"] in {s.story.story_id for s in qg.stories()}
    assert sum(d["count"] for d in story["timeline"]) <= speaker.statement_count
    assert_error(client.get("/api/v1/speakers/sp_nope/timeline"), 404, "E080")


def _between_speakers(qg: quotegraph.Quotegraph, **filters: Any) -> list[dict[str, Any]]:
    """The stored relations, strongest first, less those of one speaker with himself."""
    return [
        relation_row(r)
        for r in qg.relations(**filters)
        if r.a.speaker_id is None or r.a.speaker_id != r.b.speaker_id
    ]


def test_contradictions_list_both_relations_with_filters(client, qg):
    everything = walk(client, "/api/v1/contradictions", {"limit": 5})
    assert everything == _between_speakers(qg)
    kinds = {r["relation"] for r in everything}
    assert kinds == {"agrees", "contradicts"}
    only = walk(client, "/api/v1/contradictions", {"relation": "contradicts", "limit": 50})
    assert only == [r for r in everything if r["relation"] == "contradicts"]
    first = everything[0]
    mine = get_json(client, "/api/v1/contradictions", {"statement_id": first["statement_a"]})
    assert first in mine["items"]
    assert all(first["statement_a"] in (r["statement_a"], r["statement_b"]) for r in mine["items"])
    assert get_json(client, "/api/v1/contradictions", {"relation": ""})["items"]
    assert_error(client.get("/api/v1/contradictions", params={"limit": 0}), 422, "E044")
    assert_error(client.get("/api/v1/contradictions", params={"relation": "maybe"}), 422, "E044")


def _by(row: dict[str, Any], side: str, speakers: set[str] | None, outlet: str | None) -> bool:
    """Whether one statement of a relation row meets a speaker and an outlet filter."""
    return (speakers is None or row[f"speaker_id_{side}"] in speakers) and (
        outlet is None or (row[f"outlet_{side}"] or "").casefold() == outlet.casefold()
    )


def _named_pair(qg: quotegraph.Quotegraph) -> dict[str, Any]:
    """The strongest contradiction between two named speakers in two outlets."""
    return next(
        r
        for r in _between_speakers(qg, relation="contradicts")
        if r["speaker_id_a"] and r["speaker_id_b"] and r["outlet_a"] != r["outlet_b"]
    )


@pytest.mark.parametrize(
    "keys",
    [
        ("speaker",),
        ("speaker name", "relation"),
        ("outlet",),
        ("outlet", "relation"),
        ("speaker", "outlet"),
        ("story",),
        ("story", "outlet", "relation"),
    ],
)
def test_contradictions_filter_by_speaker_story_outlet_and_relation(client, qg, keys):
    pair = _named_pair(qg)
    speaker = qg.speaker(pair["speaker_id_a"])
    assert speaker is not None
    values = {
        "speaker": pair["speaker_id_a"],
        "speaker name": speaker.name.upper(),  # names are read case-insensitively
        "outlet": pair["outlet_a"].lower(),  # as are outlets
        "story": pair["story_id"],
        "relation": "contradicts",
    }
    params = {k.split()[0]: values[k] for k in keys}
    speakers = (
        {s.speaker_id for s in qg.store.speakers_called(params["speaker"])}
        if "speaker" in params
        else None
    )
    outlet = params.get("outlet")
    everything = _between_speakers(qg)
    expected = [
        r
        for r in everything
        if (_by(r, "a", speakers, outlet) or _by(r, "b", speakers, outlet))
        and params.get("story", r["story_id"]) == r["story_id"]
        and params.get("relation", r["relation"]) == r["relation"]
    ]
    listed = walk(client, "/api/v1/contradictions", {**params, "limit": 4})
    assert listed == expected
    assert pair in listed
    assert len(expected) < len(everything)


def test_contradictions_and_claims_by_someone_unknown_are_empty(client):
    for url in ("/api/v1/contradictions", "/api/v1/claims"):
        for params in ({"speaker": "Nobody Atall"}, {"outlet": "No Such Paper"}):
            assert get_json(client, url, params) == {"items": [], "next_cursor": None}


def test_claims_list_statements_with_sides_and_filter_statements(client, qg):
    items = walk(client, "/api/v1/claims", {"limit": 3})
    assert sorted(items, key=lambda c: c["claim_id"]) == sorted(
        (claim_row(c) for c in qg.claims()), key=lambda c: c["claim_id"]
    )
    claim = items[0]
    assert {m["side"] for m in claim["statements"]} <= {1, -1}
    listed = walk(client, "/api/v1/statements", {"claim": claim["claim_id"]})
    assert {r["statement_id"] for r in listed} == {m["statement_id"] for m in claim["statements"]}
    story = claim["story_id"]
    assert all(c["story_id"] == story for c in walk(client, "/api/v1/claims", {"story": story}))
    assert_error(client.get("/api/v1/claims", params={"limit": 0}), 422, "E044")


def _two_sided(claim: dict[str, Any]) -> bool:
    return {m["side"] for m in claim["statements"]} >= {1, -1}


def test_claims_with_two_sides_come_first(client, qg):
    items = walk(client, "/api/v1/claims", {"limit": 2})
    order = [_two_sided(c) for c in items]
    assert order == sorted(order, reverse=True)
    assert True in order, "the sample's written contradictions make claims with two sides"
    disputed = walk(client, "/api/v1/claims", {"relation": "contradicts"})
    assert disputed == [c for c in items if _two_sided(c)]
    agreed = walk(client, "/api/v1/claims", {"relation": "agrees"})
    agreeing = {r["claim_id"] for r in _between_speakers(qg, relation="agrees")}
    assert [c["claim_id"] for c in agreed] == [
        c["claim_id"] for c in items if c["claim_id"] in agreeing
    ]


@pytest.mark.parametrize("key", ["speaker", "outlet", "story"])
def test_claims_filter_like_statements(client, qg, key):
    everything = walk(client, "/api/v1/claims", {"limit": 50})
    claim = next(c for c in everything if _two_sided(c))
    member = next(m for m in claim["statements"] if m["speaker_id"] and m["outlet"])
    speaker = qg.speaker(member["speaker_id"])
    assert speaker is not None
    value = {"speaker": speaker.name.lower(), "outlet": member["outlet"].upper()}.get(
        key, claim["story_id"]
    )
    speakers = {s.speaker_id for s in qg.store.speakers_called(speaker.name)}

    def made(found: dict[str, Any]) -> bool:
        if key == "story":
            return bool(found["story_id"] == value)
        if key == "speaker":
            return any(m["speaker_id"] in speakers for m in found["statements"])
        return any((m["outlet"] or "").casefold() == value.casefold() for m in found["statements"])

    listed = walk(client, "/api/v1/claims", {key: value, "limit": 2})
    assert listed == [c for c in everything if made(c)]
    assert claim in listed
    assert len(listed) < len(everything)


def test_one_claim_by_id(client, qg):
    claim = next(qg.claims())
    assert get_json(client, f"/api/v1/claims/{claim.claim.claim_id}") == claim_row(claim)
    assert_error(client.get("/api/v1/claims/cl_nope"), 404, "E080")


def test_figures_page_and_filter_by_article(client, qg):
    items = walk(client, "/api/v1/figures", {"limit": 20})
    assert items == [figure_row(f) for f in qg.figures()]
    article = next(qg.articles())
    mine = get_json(client, "/api/v1/figures", {"article_id": article.article_id})["items"]
    assert mine == [figure_row(f) for f in qg.figures(article_id=article.article_id)]


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 501},
        {"limit": "many"},
        {"kind": "shouted"},
        {"since": "last tuesday"},
        {"until": "2025/03/01"},
        {"cursor": "!!not-a-cursor!!"},
        {"cursor": cursors.encode(cursors.OFFSET, 5)},
        {"cursor": cursors.encode(cursors.STATEMENT, "no-such-statement")},
        {"q": "x" * 501},
    ],
)
def test_invalid_statement_queries_are_422_e044(client, params):
    error = assert_error(client.get("/api/v1/statements", params=params), 422, "E044")
    assert error["message"]


def test_validation_errors_say_where_without_echoing_input(client):
    error = assert_error(client.get("/api/v1/statements?limit=9999"), 422, "E044")
    assert error["details"][0]["loc"] == ["query", "limit"]
    assert "9999" not in str(error["details"])


@pytest.mark.parametrize(
    ("url", "params", "expected"),
    [
        ("/api/v1/statements", {"kind": "shouted"}, "kind must be 'direct', 'indirect' or 'mixed'"),
        ("/api/v1/statements", {"since": "yesterday"}, "since must be a date such as 2025-03-10"),
        ("/api/v1/statements", {"limit": "many"}, "limit must be a whole number"),
        ("/api/v1/statements", {"limit": 0}, "limit must be at least 1"),
        ("/api/v1/claims", {"limit": 501}, "limit must be at most 500"),
        (
            "/api/v1/contradictions",
            {"relation": "maybe"},
            "relation must be 'agrees' or 'contradicts'",
        ),
    ],
)
def test_invalid_values_are_explained_in_plain_words(client, url, params, expected):
    error = assert_error(client.get(url, params=params), 422, "E044")
    assert error["message"].startswith(expected), error["message"]
    for internal in ("literal[", "Input should", "pattern", "^(", "\\d"):
        assert internal not in str(error), (internal, error)


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/contradictions", "speker"),
        ("/api/v1/contradictions", "article"),
        ("/api/v1/statements", "story_id"),
        ("/api/v1/statements", "speker"),
        ("/api/v1/claims", "statement_id"),
        ("/api/v1/health", "verbose"),
        ("/api/v1/stories/st_nope", "x"),
    ],
)
def test_unknown_query_parameters_are_a_400_naming_them(client, url, param):
    error = assert_error(client.get(url, params={param: "Rask"}), 400, "E081")
    assert f"[{param}]" in error["message"]
    assert "takes:" in error["message"]  # and what the endpoint does take


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/statements", "until"),
        ("/api/v1/statements", "q"),
        ("/api/v1/claims", "speaker"),
    ],
)
def test_a_single_valued_parameter_given_twice_is_a_422_naming_it(client, url, param):
    response = client.get(url, params=[(param, "2016-01-01"), (param, "2016-09-01")])
    error = assert_error(response, 422, "E044")
    assert f"[{param}]" in error["message"]
    assert "one value" in error["message"]


def test_story_is_the_story_filter_everywhere(client, qg):
    story = qg.stories()[0].story.story_id
    for url in ("/api/v1/statements", "/api/v1/claims", "/api/v1/contradictions"):
        items = walk(client, url, {"story": story})
        assert items, url
        assert all(item.get("story_id", story) == story for item in items), url
    # the old name still answers the same, on the endpoints that had it
    for url in ("/api/v1/claims", "/api/v1/contradictions"):
        assert walk(client, url, {"story_id": story}) == walk(client, url, {"story": story})
    listed = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/statements", "/api/v1/claims", "/api/v1/contradictions"):
        assert "story" in {p["name"] for p in listed[path]["get"]["parameters"]}, path


def test_claims_and_contradictions_take_the_statement_filters_by_name(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    def parameters(path: str) -> dict[str, str]:
        return {p["name"]: p.get("description", "") for p in paths[path]["get"]["parameters"]}

    statements = parameters("/api/v1/statements")
    for path in ("/api/v1/claims", "/api/v1/contradictions"):
        taken = parameters(path)
        assert {"speaker", "story", "outlet", "relation"} <= set(taken), path
        for name in ("speaker", "outlet"):  # read as /statements reads them
            assert taken[name].startswith(statements[name].rstrip(".")), (path, name)


def test_unknown_routes_and_methods_use_the_error_shape(client):
    assert_error(client.get("/api/v1/nothing-here"), 404, "E080")
    assert_error(client.delete("/api/v1/statements"), 405, "E084")


def test_responses_carry_security_headers(client):
    response = client.get("/api/v1/health")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


# --- writes ---------------------------------------------------------------------------------

ARTICLE = {
    "title": "Millers warn of bread shortage in Amberlund",
    "outlet": "Lantern Gazette",
    "published": "2025-04-07",
    "author": "Tomas Brekke",
    "url": "https://example.invalid/millers",
    "text": (
        "Millers warn of bread shortage in Amberlund\n\n"
        "AMBERLUND – Millers in Amberlund warned on Monday that bread could run short.\n\n"
        '"Our silos will be empty by May," said Greta Holm, who chairs the millers\' guild.\n'
    ),
}


def test_post_requires_a_token(client):
    response = client.post("/api/v1/articles", json=ARTICLE)
    assert_error(response, 401, "E082")
    assert response.headers["www-authenticate"] == "Bearer"
    assert_error(client.post("/api/v1/articles", json=ARTICLE, headers=auth("wrong")), 401)
    basic = {"Authorization": "Basic dXNlcjpwYXNz"}
    assert_error(client.post("/api/v1/articles", json=ARTICLE, headers=basic), 401)


def test_auth_is_checked_before_the_body(client):
    assert_error(client.post("/api/v1/articles", json={"nonsense": 1}), 401)


def test_writes_are_forbidden_on_a_server_without_token(readonly_client):
    response = readonly_client.post("/api/v1/articles", json=ARTICLE, headers=auth())
    error = assert_error(response, 403, "E083")
    assert "token" in error["message"]


def test_post_ingests_an_article_then_knows_it(client):
    response = client.post("/api/v1/articles", json=ARTICLE, headers=auth())
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["articles_added"] == 1
    assert report["statements_added"] >= 1
    assert report["failures"] == []
    (article_id,) = report["article_ids"]
    article = get_json(client, f"/api/v1/articles/{article_id}")
    assert article["title"] == ARTICLE["title"]
    assert article["source_file"] == "api#1"
    assert any("silos" in st["content"] for st in article["statements"])
    greta = get_json(client, "/api/v1/statements", {"speaker": "Greta Holm"})["items"]
    assert [st["article_id"] for st in greta] == [article_id]

    again = client.post("/api/v1/articles", json=[ARTICLE], headers=auth())
    assert again.status_code == 200, again.text
    assert again.json()["articles_added"] == 0
    assert again.json()["articles_skipped_duplicate"] == 1


def test_post_a_batch_reports_each_article(client):
    batch = [
        {"text": "Quiet day.\n\nNothing was said about anything at all on Sunday."},
        {**ARTICLE, "text": ARTICLE["text"] + "\nThe guild meets again in June.\n"},
    ]
    response = client.post("/api/v1/articles", json=batch, headers=auth())
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["articles_added"] == 2
    assert len(report["article_ids"]) == 2
    assert all(report["article_ids"])


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"title": "no text"}, "E012"),
        ({"text": "   "}, "E012"),
        ({"text": 42}, "E014"),
        ("just a string", "E044"),
        ([{"text": "fine"}, {"text": ""}], "E012"),
        ({"text": "fine words here", "published": "2025-04-01", "date": 153}, "E014"),
    ],
)
def test_bad_bodies_are_422_with_the_jsonl_readers_code(client, body, code):
    response = client.post("/api/v1/articles", json=body, headers=auth())
    error = assert_error(response, 422, code)
    assert "pydantic" not in error["message"]


def test_post_takes_the_fields_and_aliases_of_a_jsonl_line(client, tmp_path):
    line = {
        "Headline": "Millers' guild elects a new chair in Amberlund",
        "body": (
            "Millers' guild elects a new chair\n\n"
            '"We will keep the mills turning," said Ivo Marsh, the new chair of the guild.\n'
        ),
        "publisher": "Lantern Gazette",
        "date": "2025-04-09",
        "byline": ["Tomas Brekke", "Una Dale"],
        "section": "local",
    }
    response = client.post("/api/v1/articles", json=line, headers=auth())
    assert response.status_code == 201, response.text
    (article_id,) = response.json()["article_ids"]
    posted = get_json(client, f"/api/v1/articles/{article_id}")
    jsonl = tmp_path / "one.jsonl"
    jsonl.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with quotegraph.open(tmp_path / "read.db") as qg:
        qg.ingest(jsonl)
        read = qg.article(article_id)  # same text, same id
    assert read is not None
    for field in ("title", "outlet", "published", "author", "metadata"):
        assert posted[field] == article_row(read)[field], field
    assert posted["title"] == line["Headline"]
    assert posted["metadata"] == {"section": "local"}


def test_post_schema_lists_every_alias_of_the_jsonl_reader(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["ArticleIn"]
    for aliases in FIELD_ALIASES.values():
        assert set(aliases) <= set(schema["properties"])
    assert {tuple(branch["required"]) for branch in schema["anyOf"]} == {
        (alias,) for alias in FIELD_ALIASES["text"]
    }


def test_an_empty_batch_does_nothing(client):
    response = client.post("/api/v1/articles", json=[], headers=auth())
    assert response.status_code == 200, response.text
    assert response.json()["articles_seen"] == 0


def test_malformed_json_is_422(client):
    headers = {**auth(), "Content-Type": "application/json"}
    response = client.post("/api/v1/articles", content=b"{not json", headers=headers)
    assert_error(response, 422, "E044")


def test_body_over_the_limit_is_413(client):
    big = {"text": "word " * 1_000_001}  # just over the default 5 MB
    response = client.post("/api/v1/articles", json=big, headers=auth())
    assert_error(response, 413, "E007")


def test_streamed_body_over_the_limit_is_413(sample_db):
    app = create_app(ServeConfig(db=sample_db, token="t", max_body_bytes=1_000))

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 100
        yield b'"}'

    with TestClient(app) as small:
        response = small.post(
            "/api/v1/articles",
            content=chunks(),
            headers={"Authorization": "Bearer t", "Content-Type": "application/json"},
        )
    assert_error(response, 413, "E007")


REPRINTED = {
    "title": "Orchard growers count frost losses",
    "text": "Orchard growers count frost losses\n\n"
    "Growers in the Tamsin valley lost most of their apricot blossom to two nights of frost, "
    "the growers' cooperative said on Tuesday, and the first estimates put the damage at a "
    "third of the harvest. Smudge pots and wind machines saved some orchards on the higher "
    'slopes. "We have not seen frost this late in twenty years," said Ilka Brenner, who '
    "chairs the cooperative. The valley's insurers will send assessors next week.",
    "outlet": "Tamsin Courier",
    "published": "2031-04-08",
}


def test_a_reprint_is_linked_to_its_original_in_the_api_and_on_the_page(client):
    reprint = {
        **REPRINTED,
        "title": "Frost costs Tamsin apricot growers a third of harvest",
        "text": REPRINTED["text"].replace(
            "Orchard growers count frost losses",
            "Frost costs Tamsin apricot growers a third of harvest",
        ),
        "outlet": "Valley Herald",
        "published": "2031-04-09",
    }
    response = client.post("/api/v1/articles", json=[REPRINTED, reprint], headers=auth())
    assert response.status_code == 201, response.text
    original_id, copy_id = response.json()["article_ids"]
    copy = get_json(client, f"/api/v1/articles/{copy_id}")
    assert copy["copy_of"] == original_id
    assert copy["also_published_as"] == [original_id]
    original = get_json(client, f"/api/v1/articles/{original_id}")
    assert original["copy_of"] is None
    assert original["also_published_as"] == [copy_id]
    assert original["story_id"] == copy["story_id"]
    html = client.get(f"/articles/{original_id}").text
    assert "Also published as" in html
    assert f'href="/articles/{copy_id}"' in html
    assert "Valley Herald" in html
