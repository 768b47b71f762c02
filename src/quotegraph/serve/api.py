"""The JSON API under ``/api/v1``: reads are open, writes need the bearer token.

Handlers are plain ``def``: FastAPI runs them on its thread pool, and each opens (and
closes) its own store connection in that thread through ``Backend``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request, Response

from quotegraph import __version__
from quotegraph.corpus.claims import claim_records
from quotegraph.corpus.coverage import speaker_timeline, story_coverage
from quotegraph.corpus.overview import speaker_activity
from quotegraph.corpus.passes import run_corpus_passes
from quotegraph.errors import QuotegraphError
from quotegraph.export import (
    article_row,
    claim_row,
    figure_row,
    relation_row,
    speaker_row,
    statement_row,
)
from quotegraph.ingest import IngestLimits
from quotegraph.ingest.fields import check_field_types, record_to_article
from quotegraph.pipeline import ingest_records
from quotegraph.serve import rows
from quotegraph.serve.auth import require_writer
from quotegraph.serve.backend import Backend
from quotegraph.serve.errors import responses
from quotegraph.serve.listing import (
    DisputeFilters,
    StatementFilters,
    claim_list,
    offset_page,
    relation_list,
    start_of,
)
from quotegraph.serve.params import reject_unknown_query_parameters
from quotegraph.serve.schemas import (
    MAX_BATCH,
    ArticleDetail,
    ArticleIn,
    ArticlePage,
    ArticleQuery,
    ClaimItem,
    ClaimPage,
    ClaimQuery,
    Counts,
    FigurePage,
    FigureQuery,
    Health,
    IngestResult,
    PageQuery,
    RelationPage,
    RelationQuery,
    SpeakerDetail,
    SpeakerPage,
    SpeakerQuery,
    SpeakerTimelineItem,
    StatementItem,
    StatementPage,
    StatementQuery,
    StoryCoverageItem,
    StoryDetail,
    StoryPage,
)
from quotegraph.types import Act, Article, Failure

router = APIRouter(
    prefix="/api/v1",
    responses=responses(400, 422),
    dependencies=[Depends(reject_unknown_query_parameters)],
)


def backend(request: Request) -> Backend:
    return request.app.state.backend  # type: ignore[no-any-return]


BackendDep = Annotated[Backend, Depends(backend)]
Json = dict[str, Any]


def _not_found(kind: str, key: str) -> HTTPException:
    return HTTPException(404, f"no {kind} with id {key[:100]!r}")


# --- meta -------------------------------------------------------------------------------


@router.get("/health", response_model=Health, tags=["meta"], summary="Server health")
def health(be: BackendDep) -> Json:
    """The server is up and the store opens."""
    with be.reading() as store:
        version = store.schema_version
    return {
        "status": "ok",
        "version": __version__,
        "schema_version": version,
        "writes_enabled": be.config.writes_enabled,
    }


@router.get("/counts", response_model=Counts, tags=["meta"], summary="What the store holds")
def counts(be: BackendDep) -> Json:
    """How many articles, statements, speakers, figures and failures the store holds."""
    with be.reading() as store:
        return store.counts()


# --- statements -------------------------------------------------------------------------


@router.get(
    "/statements", response_model=StatementPage, tags=["statements"], summary="Find statements"
)
def list_statements(query: Annotated[StatementQuery, Query()], be: BackendDep) -> Response:
    """Statements in publication order, filtered; with `q`, in the order they were stored
    (oldest first). Follow `next_cursor` for the next page."""
    filters = StatementFilters(
        q=query.q,
        speaker=query.speaker,
        outlet=query.outlet,
        kind=query.kind or None,
        since=query.since,
        until=query.until,
        story=query.story,
        claim=query.claim,
        act=None if query.act == "all" else query.act,
    )
    with be.reading() as store:
        page = be.statement_page(store, filters, limit=query.limit, cursor=query.cursor)
        body = rows.page_json(page, statement_row)
    # A page holds up to 500 rows: validate it against the documented model once and let
    # pydantic encode it, instead of FastAPI's validate, re-serialise and json.dumps rounds
    # (a returned Response skips them; response_model above still documents the answer).
    encoded = StatementPage.model_validate(body).model_dump_json()
    return Response(encoded, media_type="application/json")


@router.get(
    "/statements/{statement_id}",
    response_model=StatementItem,
    responses=responses(404),
    tags=["statements"],
    summary="One statement",
)
def get_statement(statement_id: str, be: BackendDep) -> Json:
    """One statement with its speaker, cue, offsets and article."""
    with be.reading() as store:
        record = store.statement(statement_id)
    if record is None:
        raise _not_found("statement", statement_id)
    return statement_row(record)


# --- articles ---------------------------------------------------------------------------


@router.get(
    "/articles", response_model=ArticlePage, tags=["articles"], summary="List or search articles"
)
def list_articles(query: Annotated[ArticleQuery, Query()], be: BackendDep) -> Json:
    """Articles by publication date, or best match first with `q`."""
    start = start_of(query.cursor)
    with be.reading() as store:
        if query.q is not None:
            found = store.search_articles(query.q, limit=start + query.limit + 1)
            page = offset_page(found, start=start, limit=query.limit)
        else:
            listed = store.articles(
                outlet=query.outlet,
                since=query.since,
                until=query.until,
                limit=query.limit + 1,
                offset=start,
            )
            page = offset_page(listed, start=start, limit=query.limit, presliced=True)
        return rows.page_json(page, article_row)


@router.get(
    "/articles/{article_id}",
    response_model=ArticleDetail,
    responses=responses(404),
    tags=["articles"],
    summary="One article with its statements",
)
def get_article(article_id: str, be: BackendDep) -> Json:
    """One article with its text, its statements and its figures."""
    with be.reading() as store:
        article = store.article(article_id)
        if article is None:
            raise _not_found("article", article_id)
        statements = list(store.statements(article_id=article_id))
        figures = list(store.figures(article_id=article_id))
        story_id = store.story_of_article(article_id)
        versions = store.versions_of(article_id)
    return rows.article_detail(article, statements, figures, story_id, versions)


@router.post(
    "/articles",
    response_model=IngestResult,
    status_code=201,
    responses={
        200: {"model": IngestResult, "description": "Nothing new: every article was known"},
        **responses(400, 401, 403, 413),
    },
    dependencies=[Depends(require_writer)],
    tags=["articles"],
    summary="Add articles",
)
def post_articles(
    body: Annotated[
        ArticleIn | list[ArticleIn],
        Body(description=f"One article, or a list of at most {MAX_BATCH}."),
    ],
    response: Response,
    be: BackendDep,
) -> Json:
    """Ingest articles: extract who said what and store it (needs the bearer token). Each
    article takes the fields of a JSONL line (`text` or `body`, `title` or `headline`, ...)."""
    batch = body if isinstance(body, list) else [body]
    if len(batch) > MAX_BATCH:
        raise HTTPException(413, f"at most {MAX_BATCH} articles per request")
    records = [item.record() for item in batch]
    article_ids = [_article_id(record, n) for n, record in enumerate(records, 1)]
    with be.writing() as store:
        report = ingest_records(store, records, source="api", command="POST /api/v1/articles")
        if report.articles_added:
            # As after any ingest: new articles join stories (and the other corpus passes).
            run_corpus_passes(store)
    response.status_code = 201 if report.articles_added else 200
    return {
        "run_id": report.run_id,
        "articles_seen": report.articles_seen,
        "articles_added": report.articles_added,
        "articles_skipped_duplicate": report.articles_skipped_duplicate,
        "statements_added": report.statements_added,
        "figures_added": report.figures_added,
        "article_ids": article_ids,
        "failures": [
            {"source": f.source, "code": f.code, "message": f.message, "stage": f.stage}
            for f in report.failures
        ],
    }


def _article_id(record: dict[str, Any], number: int) -> str:
    """The id the article will be stored under; a record the JSONL reader would refuse (no
    text, a field of the wrong type) refuses the whole request with its code (E012, E014)."""
    check_field_types(record, source=f"article {number}")
    found: Article | Failure = record_to_article(
        record, source=f"api#{number}", input_format="jsonl", limits=IngestLimits()
    )
    if isinstance(found, Failure):
        detail = found.message.split(" - ", 1)[-1] if " - " in found.message else None
        raise QuotegraphError(found.code, source=f"article {number}", detail=detail)
    return found.article_id


# --- speakers ---------------------------------------------------------------------------


@router.get("/speakers", response_model=SpeakerPage, tags=["speakers"], summary="List speakers")
def list_speakers(query: Annotated[SpeakerQuery, Query()], be: BackendDep) -> Json:
    """Speakers, most quoted first, or those named like `q`; page with `cursor` (or
    `offset`)."""
    start = start_of(query.cursor, query.offset)
    with be.reading() as store:
        listed = store.speakers(limit=start + query.limit + 1, named=query.q)
        return rows.page_json(offset_page(listed, start=start, limit=query.limit), speaker_row)


@router.get(
    "/speakers/{speaker_id}",
    response_model=SpeakerDetail,
    responses=responses(404),
    tags=["speakers"],
    summary="One speaker",
)
def get_speaker(speaker_id: str, be: BackendDep) -> Json:
    """A speaker's names, roles, statement counts and statements per day."""
    with be.reading() as store:
        activity = speaker_activity(store, speaker_id)
    if activity is None:
        raise _not_found("speaker", speaker_id)
    return rows.speaker_detail(activity)


@router.get(
    "/speakers/{speaker_id}/timeline",
    response_model=SpeakerTimelineItem,
    responses=responses(404),
    tags=["speakers"],
    summary="A speaker's statements over time",
)
def get_speaker_timeline(speaker_id: str, be: BackendDep) -> Json:
    """A speaker's statements per publication day, overall and within each story."""
    with be.reading() as store:
        timeline = speaker_timeline(store, speaker_id)
    if timeline is None:
        raise _not_found("speaker", speaker_id)
    return rows.timeline_json(timeline)


# --- stories ----------------------------------------------------------------------------


@router.get("/stories", response_model=StoryPage, tags=["stories"], summary="List stories")
def list_stories(query: Annotated[PageQuery, Query()], be: BackendDep) -> Json:
    """Articles grouped into stories across outlets, oldest story first (a story without
    any dated article last). Stories are placed as articles are ingested."""
    start = start_of(query.cursor)
    with be.reading() as store:
        listed = be.stories(store, limit=query.limit + 1, offset=start)
    page = offset_page(listed, start=start, limit=query.limit, presliced=True)
    return rows.page_json(page, rows.story_row)


@router.get(
    "/stories/{story_id}",
    response_model=StoryDetail,
    responses=responses(404),
    tags=["stories"],
    summary="One story across outlets",
)
def get_story(
    story_id: str,
    be: BackendDep,
    act: Annotated[
        Act | Literal["all"],
        Query(
            description="Statements of this act: speech (the default), belief, intention, "
            "action, or all."
        ),
    ] = "speech",
) -> Json:
    """A story: its articles, who each outlet quotes, and its statements in order."""
    with be.reading() as store:
        summary = be.story(store, story_id, None if act == "all" else act)
        if summary is None:
            raise _not_found("story", story_id)
        articles = [a for i in summary.story.article_ids if (a := store.article(i)) is not None]
        related = relation_list(store, DisputeFilters(story=story_id), limit=None)
    return rows.story_detail(summary, articles, related)


@router.get(
    "/stories/{story_id}/coverage",
    response_model=StoryCoverageItem,
    responses=responses(404),
    tags=["stories"],
    summary="Who each outlet quotes in a story",
)
def get_story_coverage(story_id: str, be: BackendDep) -> Json:
    """Outlets × speakers of a story: how often each outlet quoted each speaker, and for each
    outlet the speakers the other outlets quoted but it left out; statements per day."""
    with be.reading() as store:
        coverage = story_coverage(store, story_id)
    if coverage is None:
        raise _not_found("story", story_id)
    return rows.coverage_json(coverage)


# --- claims -----------------------------------------------------------------------------


@router.get("/claims", response_model=ClaimPage, tags=["claims"], summary="List claims")
def list_claims(query: Annotated[ClaimQuery, Query()], be: BackendDep) -> Json:
    """Claims: statements for and against one assertion, across speakers and articles;
    claims with two sides (a contradiction between two speakers) first, then the most widely
    made. Each statement has its side (+1 with the label, -1 against)."""
    start = start_of(query.cursor)
    filters = DisputeFilters(
        speaker=query.speaker,
        story=query.story_filter,
        outlet=query.outlet,
        relation=query.relation or None,
    )
    with be.reading() as store:
        listed = claim_list(store, filters, limit=query.limit + 1, offset=start)
    page = offset_page(listed, start=start, limit=query.limit, presliced=True)
    return rows.page_json(page, claim_row)


@router.get(
    "/claims/{claim_id}",
    response_model=ClaimItem,
    responses=responses(404),
    tags=["claims"],
    summary="One claim",
)
def get_claim(claim_id: str, be: BackendDep) -> Json:
    """One claim with its statements and the side each takes."""
    with be.reading() as store:
        found = next(claim_records(store, claim_id=claim_id), None)
    if found is None:
        raise _not_found("claim", claim_id)
    return claim_row(found)


@router.get(
    "/contradictions",
    response_model=RelationPage,
    tags=["claims"],
    summary="Contradictions and agreements",
)
def list_contradictions(query: Annotated[RelationQuery, Query()], be: BackendDep) -> Json:
    """Pairs of statements by two different speakers that contradict (or, with
    `relation=agrees`, agree with) each other, strongest first, with the evidence that
    decided it. A speaker is never paired with himself."""
    start = start_of(query.cursor)
    filters = DisputeFilters(
        speaker=query.speaker,
        story=query.story_filter,
        outlet=query.outlet,
        relation=query.relation or None,
        statement_id=query.statement_id,
        article_id=query.article_id,
    )
    with be.reading() as store:
        listed = relation_list(store, filters, limit=query.limit + 1, offset=start)
    page = offset_page(listed, start=start, limit=query.limit, presliced=True)
    return rows.page_json(page, relation_row)


# --- figures ----------------------------------------------------------------------------


@router.get("/figures", response_model=FigurePage, tags=["figures"], summary="List figures")
def list_figures(query: Annotated[FigureQuery, Query()], be: BackendDep) -> Json:
    """Numbers with what they count, in publication order."""
    start = start_of(query.cursor)
    with be.reading() as store:
        listed = store.figures(article_id=query.article_id, limit=start + query.limit + 1)
        return rows.page_json(offset_page(listed, start=start, limit=query.limit), figure_row)
