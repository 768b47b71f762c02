"""The web UI: server-rendered pages over the same store calls as the API.

Each handler gathers everything its page shows inside one ``be.reading()`` block (lists,
not lazy iterators, because the connection closes with the block) and then renders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from quotegraph.corpus.claims import claim_records
from quotegraph.corpus.coverage import speaker_timeline, story_coverage
from quotegraph.corpus.overview import speaker_activity, speaker_label, story_voices
from quotegraph.serve.api import backend
from quotegraph.serve.backend import Backend
from quotegraph.serve.highlight import context_window, highlight, search_terms, statement_anchor
from quotegraph.serve.listing import (
    DisputeFilters,
    StatementFilters,
    claim_list,
    claim_sides,
    counterparts,
    offset_page,
    relation_list,
    search_hints,
    start_of,
)
from quotegraph.serve.rows import api_operations
from quotegraph.serve.schemas import (
    ClaimQuery,
    PageQuery,
    RelationQuery,
    SpeakerQuery,
    StatementQuery,
)
from quotegraph.serve.svg import small_chart, wide_chart
from quotegraph.serve.templating import query as _query
from quotegraph.serve.templating import render
from quotegraph.store import Store
from quotegraph.types import ACTS, Article

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

BackendDep = Annotated[Backend, Depends(backend)]
Handler = TypeVar("Handler", bound=Callable[..., HTMLResponse])
Query_ = TypeVar("Query_", bound=PageQuery)


def html_page(path: str) -> Callable[[Handler], Handler]:
    """Register a page for GET and HEAD (link checkers and monitors send HEAD)."""
    return router.api_route(path, methods=["GET", "HEAD"])


PAGE_SIZE = 25


def _page(request: Request, name: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(render(request, name, **context))


def _heat(count: int, peak: int) -> int:
    """0 for nothing, else 1..5 by share of the busiest cell."""
    return 0 if count <= 0 or peak <= 0 else max(1, min(5, -(-5 * count // peak)))


RELATED_SHOWN = 50
"""Agreements and contradictions listed on a statement, speaker or article page, strongest
first; the contradictions page filters the rest."""

OVERVIEW_STORIES = 12
STORIES_PAGE_SIZE = 100
STORY_RELATIONS = 25
"""Agreements and contradictions shown on a story page, strongest first; the rest are on
``/contradictions?story=``. A large story holds thousands (5,004 for one story of the load
benchmark's 1,000 articles): all of them made a page of megabytes that took seconds."""


def _stories_note(store: Store) -> str | None:
    """Says so when some articles are not in stories yet (the corpus passes place them)."""
    waiting = store.articles_awaiting_stories()
    if not waiting:
        return None
    return f"{waiting:,} article{'s' if waiting != 1 else ''} not placed in stories yet."


def _not_found(what: str) -> HTTPException:
    return HTTPException(404, f"No {what} with that id.")


@html_page("/")
def overview(request: Request, be: BackendDep) -> HTMLResponse:
    with be.reading() as store:
        summary = be.overview(store)
        stories = be.stories(store, limit=OVERVIEW_STORIES + 1)
        stories_note = _stories_note(store)
        disputes = be.dispute_counts(store)
    return _page(
        request,
        "overview.html",
        overview=summary,
        disputes=disputes,
        stories=stories[:OVERVIEW_STORIES],
        more_stories=len(stories) > OVERVIEW_STORIES,
        stories_note=stories_note,
        chart=wide_chart(summary.per_day, label="Statements per day of publication"),
        heat=_heat,
    )


def _search_query(request: Request) -> StatementQuery:
    params = dict(request.query_params)
    params["limit"] = str(PAGE_SIZE)
    try:
        return StatementQuery.model_validate(params)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from exc


@html_page("/search")
def search(request: Request, be: BackendDep) -> HTMLResponse:
    query = _search_query(request)
    filters = StatementFilters(
        q=query.q,
        speaker=query.speaker,
        outlet=query.outlet,
        kind=query.kind or None,
        act=None if query.act == "all" else query.act,
    )
    with be.reading() as store:
        page = be.statement_page(store, filters, limit=query.limit, cursor=query.cursor)
        articles = (
            list(store.search_articles(query.q, limit=10)) if query.q and not query.cursor else []
        )
        outlets = be.overview(store).matrix.outlets
        hints = search_hints(store, filters)
    params = {"q": query.q, "speaker": query.speaker, "outlet": query.outlet, "kind": query.kind}
    return _page(
        request,
        "search.html",
        query=query,
        filters=filters,
        page=page,
        articles=articles,
        outlets=outlets,
        hints=hints,
        terms=search_terms(query.q),
        # Each speaker or outlet the words may mean, as a search for its statements.
        meant=[(s.name, "/search" + _query({"speaker": s.speaker_id})) for s in hints.speakers]
        + [(f"the outlet {o}", "/search" + _query({"outlet": o})) for o, _ in hints.outlets],
        choices=[
            (s.name, "/search" + _query({**params, "speaker": s.speaker_id}))
            for s in hints.speaker_choices
        ],
        anchor=statement_anchor,
    )


@html_page("/statements/{statement_id}")
def statement(statement_id: str, request: Request, be: BackendDep) -> HTMLResponse:
    with be.reading() as store:
        record = store.statement(statement_id)
        article = store.article(record.statement.article_id) if record else None
        if record is None or article is None:
            raise _not_found("statement")
        story = be.story_of_article(store, article.article_id)
        related = relation_list(
            store, DisputeFilters(statement_id=statement_id), limit=RELATED_SHOWN
        )
    window = context_window(article.text, record)
    return _page(
        request,
        "statement.html",
        record=record,
        article=article,
        story=story,
        context=highlight(article.text, [record], window),
        cut_before=window[0] > 0,
        cut_after=window[1] < len(article.text),
        related=counterparts(related, lambda r: r.statement.statement_id == statement_id),
        anchor=statement_anchor,
        label=speaker_label,
    )


@html_page("/articles/{article_id}")
def article(article_id: str, request: Request, be: BackendDep) -> HTMLResponse:
    with be.reading() as store:
        found = store.article(article_id)
        if found is None:
            raise _not_found("article")
        records = list(store.statements(article_id=article_id))
        figures = list(store.figures(article_id=article_id))
        story = be.story_of_article(store, article_id)
        versions = [v for i in store.versions_of(article_id) if (v := store.article(i))]
        related = relation_list(store, DisputeFilters(article_id=article_id), limit=RELATED_SHOWN)
    return _page(
        request,
        "article.html",
        article=found,
        records=records,
        figures=figures,
        story=story,
        versions=versions,
        body=highlight(found.text, records),
        related=counterparts(related, lambda r: r.statement.article_id == article_id),
        anchor=statement_anchor,
        label=speaker_label,
    )


@html_page("/speakers")
def speakers(request: Request, be: BackendDep) -> HTMLResponse:
    try:
        query = SpeakerQuery.model_validate({**request.query_params, "limit": "50"})
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from exc
    start = start_of(query.cursor, query.offset)
    with be.reading() as store:
        listed = store.speakers(limit=start + query.limit + 1, named=query.q)
        page = offset_page(listed, start=start, limit=query.limit)
    return _page(request, "speakers.html", page=page, start=start, named=query.q or "")


@html_page("/speakers/{speaker_id}")
def speaker(speaker_id: str, request: Request, be: BackendDep) -> HTMLResponse:
    cursor = request.query_params.get("cursor") or None
    with be.reading() as store:
        activity = speaker_activity(store, speaker_id)
        if activity is None:
            raise _not_found("speaker")
        page = be.statement_page(
            store, StatementFilters(speaker=speaker_id), limit=PAGE_SIZE, cursor=cursor
        )
        timeline = speaker_timeline(store, speaker_id)
        related = relation_list(store, DisputeFilters(speaker=speaker_id), limit=RELATED_SHOWN)
    name = activity.speaker.name
    return _page(
        request,
        "speaker.html",
        activity=activity,
        speaker=activity.speaker,
        page=page,
        stories=[
            (s, small_chart(s.days, label=f"Statements by {name} in {s.title}"))
            for s in (timeline.stories if timeline else ())
        ],
        timeline=wide_chart(timeline.days if timeline else (), label=f"Statements by {name}"),
        undated=timeline.undated if timeline else 0,
        related=counterparts(related, lambda r: r.speaker_id == speaker_id),
        anchor=statement_anchor,
    )


@html_page("/stories")
def stories(request: Request, be: BackendDep) -> HTMLResponse:
    cursor = request.query_params.get("cursor") or None
    start = start_of(cursor)
    with be.reading() as store:
        listed = be.stories(store, limit=STORIES_PAGE_SIZE + 1, offset=start)
        note = _stories_note(store)
    page = offset_page(listed, start=start, limit=STORIES_PAGE_SIZE, presliced=True)
    return _page(request, "stories.html", stories=page.items, page=page, stories_note=note)


def _act_param(request: Request) -> str | None:
    """The page's ``act`` switch: ``speech`` unless it names another act, or ``all``."""
    act = request.query_params.get("act", "speech")
    if act == "all":
        return None
    if act not in ACTS:
        raise RequestValidationError(
            [{"loc": ("query", "act"), "msg": "speech, belief, intention, action or all"}]
        )
    return act


@html_page("/stories/{story_id}")
def story(story_id: str, request: Request, be: BackendDep) -> HTMLResponse:
    with be.reading() as store:
        summary = be.story(store, story_id, _act_param(request))
        if summary is None:
            raise _not_found("story")
        articles = [a for i in summary.story.article_ids if (a := store.article(i)) is not None]
        related = relation_list(store, DisputeFilters(story=story_id), limit=STORY_RELATIONS + 1)
        coverage = story_coverage(store, story_id)
        disputes = store.dispute_counts(story_id)
    by_outlet: dict[str, list[Article]] = defaultdict(list)
    for item in articles:
        by_outlet[item.outlet or "(no outlet)"].append(item)
    by_article = defaultdict(list)
    for record in summary.statements:
        by_article[record.statement.article_id].append(record)
    return _page(
        request,
        "story.html",
        summary=summary,
        story=summary.story,
        columns=[(v, by_outlet.get(v.outlet, [])) for v in story_voices(summary)],
        articles=articles,
        by_article=by_article,
        relations=related[:STORY_RELATIONS],
        more_relations=len(related) > STORY_RELATIONS,
        disputes=disputes,
        coverage=coverage,
        coverage_names={s.speaker_id: s.name for s in coverage.speakers} if coverage else {},
        coverage_peak=max(
            (n for o in coverage.outlets for n in o.quoted.values()) if coverage else (),
            default=0,
        ),
        story_chart=small_chart(
            coverage.days if coverage else (), label=f"Statements per day in {summary.story.title}"
        ),
        heat=_heat,
        anchor=statement_anchor,
        label=speaker_label,
    )


def _page_query(request: Request, model: type[Query_]) -> Query_:
    """A listing page's filters, read and checked as the API reads them (one page size)."""
    try:
        return model.model_validate({**request.query_params, "limit": str(PAGE_SIZE)})
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from exc


def _dispute_filters(query: ClaimQuery | RelationQuery) -> DisputeFilters:
    return DisputeFilters(
        speaker=query.speaker,
        story=query.story_filter,
        outlet=query.outlet,
        relation=query.relation or None,
        # Only the relation listing takes one statement's or article's pairs (as its API does).
        statement_id=query.statement_id if isinstance(query, RelationQuery) else None,
        article_id=query.article_id if isinstance(query, RelationQuery) else None,
    )


def _filter_choices(be: Backend, store: Store) -> dict[str, Any]:
    """What the filter forms of the claims and contradictions pages offer."""
    return {
        "stories": store.stories_with_relations(),
        "outlets": be.overview(store).matrix.outlets,
    }


@html_page("/contradictions")
def contradictions(request: Request, be: BackendDep) -> HTMLResponse:
    query = _page_query(request, RelationQuery)
    filters = _dispute_filters(query)
    start = start_of(query.cursor)
    with be.reading() as store:
        listed = relation_list(store, filters, limit=query.limit + 1, offset=start)
        story_title = _story_title(store, filters.story) if filters.story else None
        choices = _filter_choices(be, store)
    return _page(
        request,
        "contradictions.html",
        relations=listed[: query.limit],
        filters=filters,
        params=_filter_params(filters),
        story_title=story_title,
        next_cursor=offset_page(listed, start=start, limit=query.limit, presliced=True).next_cursor,
        **choices,
    )


def _filter_params(filters: DisputeFilters) -> dict[str, str | None]:
    return {
        "relation": filters.relation,
        "speaker": filters.speaker,
        "story": filters.story,
        "outlet": filters.outlet,
        "statement_id": filters.statement_id,
        "article_id": filters.article_id,
    }


@html_page("/claims")
def claims(request: Request, be: BackendDep) -> HTMLResponse:
    query = _page_query(request, ClaimQuery)
    filters = _dispute_filters(query)
    start = start_of(query.cursor)
    with be.reading() as store:
        listed = claim_list(store, filters, limit=query.limit + 1, offset=start)
        story_title = _story_title(store, filters.story) if filters.story else None
        disputes = (
            store.dispute_counts(filters.story) if filters.story else be.dispute_counts(store)
        )
        choices = _filter_choices(be, store)
    page = offset_page(listed, start=start, limit=query.limit, presliced=True)
    return _page(
        request,
        "claims.html",
        claims=[claim_sides(c) for c in page.items],
        filters=filters,
        params=_filter_params(filters),
        story_title=story_title,
        disputes=disputes,
        next_cursor=page.next_cursor,
        **choices,
    )


@html_page("/claims/{claim_id}")
def claim(claim_id: str, request: Request, be: BackendDep) -> HTMLResponse:
    with be.reading() as store:
        found = next(claim_records(store, claim_id=claim_id), None)
        if found is None:
            raise _not_found("claim")
        story = store.story(found.claim.story_id) if found.claim.story_id else None
        related = relation_list(store, DisputeFilters(claim_id=claim_id), limit=None)
    return _page(request, "claim.html", view=claim_sides(found), story=story, relations=related)


def _story_title(store: Store, story_id: str) -> str | None:
    found = store.story(story_id)
    return None if found is None else found.title


@html_page("/api")
def api_index(request: Request) -> HTMLResponse:
    operations = api_operations(request.app.openapi())
    return _page(request, "api.html", operations=operations, schema_url=request.app.openapi_url)
