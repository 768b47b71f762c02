"""The API's request and response models: the OpenAPI schema is generated from these.

Row models mirror the dicts of ``quotegraph.export`` field for field (the JSON edge is one
and the same for files and HTTP); ``tests/serve`` checks that they stay identical.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from quotegraph.ingest.fields import FIELD_ALIASES
from quotegraph.types import Act, SpeakerType, StatementKind

Span = tuple[int, int]

DATE_PATTERN = (
    r"^(\d{4}(-\d{2}(-\d{2}([T ]\d{2}(:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?)?$"
)
"""An ISO 8601 date, month, year or date-time; ``until`` includes everything it prefixes.
Blank is allowed and means no bound, as for every filter (HTML forms send blanks)."""

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_BATCH = 200
"""Most articles one POST may carry: each one is parsed before the request returns."""


# --- errors ---------------------------------------------------------------------------------


class ErrorDetail(BaseModel):
    loc: list[str | int] = Field(description="Where the problem is, e.g. ['query', 'limit'].")
    message: str


class ErrorInfo(BaseModel):
    code: str = Field(
        description="A code from quotegraph's one catalogue (quotegraph.errors), the same "
        "the command line prints: E044 an invalid argument, E080 not found, E081 an unknown "
        "query parameter, E082 no or a wrong token, E083 writes disabled, E007 a body over "
        "the size limit, E086 an internal error, E087 unavailable."
    )
    message: str
    status: int
    details: list[ErrorDetail] | None = None


class ErrorResponse(BaseModel):
    """The one shape of every error answer."""

    error: ErrorInfo


# --- query parameters -----------------------------------------------------------------------


_BLANK = " \t\r\n"
"""What a blank form field holds. Not ``str.strip()``'s idea of space, which takes control
characters such as U+001D too: ``?relation=%1D`` would have passed as "no filter"."""


class _Query(BaseModel):
    # Blank values from HTML forms (``?speaker=``) mean "no filter", not "match nothing".
    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip(_BLANK):
            return None
        return value


def _speaker_filter(what: str = "") -> Any:
    return Field(
        None,
        max_length=300,
        description=f"Speaker id, or any name or alias (case-insensitive){what}.",
    )


def _outlet_filter(what: str = "") -> Any:
    return Field(None, max_length=300, description=f"Outlet name (case-insensitive){what}.")


class PageQuery(_Query):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
    cursor: str | None = Field(
        None, max_length=200, description="`next_cursor` of the previous page (opaque)."
    )


class StatementQuery(PageQuery):
    q: str | None = Field(
        None,
        max_length=500,
        description="Full-text query on the statement's words; every term is required, "
        "`term*` matches a prefix.",
    )
    speaker: str | None = _speaker_filter()
    outlet: str | None = _outlet_filter()
    story: str | None = Field(None, max_length=100, description="Story id (`st_...`).")
    claim: str | None = Field(
        None,
        max_length=100,
        description="Claim id (`cl_...`, from `/claims`): the claim's statements, for and "
        "against; an unknown id answers an empty list.",
    )
    # "" is listed so the schema admits what a blank form field sends (it means no filter).
    kind: StatementKind | Literal[""] | None = Field(
        None, description="direct, indirect or mixed; blank means any."
    )
    since: str | None = Field(
        None, pattern=DATE_PATTERN, description="Earliest article publication (ISO 8601)."
    )
    until: str | None = Field(
        None,
        pattern=DATE_PATTERN,
        description="Latest article publication (ISO 8601); includes all it prefixes.",
    )
    act: Act | Literal["all"] = Field(
        "speech",
        description="speech (words said or written, the default), belief, intention or "
        "action (what the speaker did or acted on), or all of them.",
    )


class ArticleQuery(PageQuery):
    q: str | None = Field(
        None, max_length=500, description="Full-text query on title and text; best match first."
    )
    outlet: str | None = Field(None, max_length=300)
    since: str | None = Field(None, pattern=DATE_PATTERN)
    until: str | None = Field(None, pattern=DATE_PATTERN)


class SpeakerQuery(PageQuery):
    q: str | None = Field(
        None,
        max_length=300,
        description="Only speakers with a name or alias in which a word starts with this "
        "(case-insensitive): `rask` finds Lena Rask and Piet Rask.",
    )
    offset: int = Field(0, ge=0, le=1_000_000, description="Skip this many (ignored with cursor).")


class FigureQuery(PageQuery):
    article_id: str | None = Field(None, max_length=100, description="Only this article's.")


# --- rows (mirrors of quotegraph.export) ----------------------------------------------------


class StatementItem(BaseModel):
    statement_id: str
    article_id: str
    source_file: str | None
    article_title: str | None
    outlet: str | None
    published: str | None
    kind: StatementKind
    act: Act
    content: str
    content_spans: list[Span] = Field(description="[start, end) offsets into the article text.")
    cue: str | None
    cue_span: Span | None
    speaker_mention: str | None
    speaker_span: Span | None
    speaker: str | None
    speaker_id: str | None
    speaker_type: SpeakerType
    speaker_role: str | None
    confidence: float
    rule: str


class ArticleItem(BaseModel):
    article_id: str
    source_file: str | None
    title: str | None
    outlet: str | None
    published: str | None
    dateline: str | None
    dateline_date: str | None
    author: str | None
    url: str | None
    input_format: str
    metadata: dict[str, str]
    text_length: int
    copy_of: str | None = Field(
        None, description="The original's article id when this article is a copy (reprint)."
    )


class FigureItem(BaseModel):
    figure_id: str
    article_id: str
    source_file: str | None
    article_title: str | None
    value: float
    qualifier: str | None
    unit: str | None
    counts: str | None
    text: str
    span: Span | None


class SpeakerItem(BaseModel):
    speaker_id: str
    name: str
    speaker_type: SpeakerType
    aliases: list[str]
    roles: list[str]
    statement_count: int


class DayCountItem(BaseModel):
    day: str = Field(description="YYYY-MM-DD")
    count: int


class SpeakerDetail(SpeakerItem):
    by_kind: dict[str, int] = Field(description="Statements per kind.")
    by_outlet: dict[str, int] = Field(description="Statements per outlet.")
    timeline: list[DayCountItem] = Field(description="Statements per publication day.")
    article_ids: list[str]


class ArticleDetail(ArticleItem):
    text: str
    statements: list[StatementItem]
    figures: list[FigureItem]
    story_id: str | None
    also_published_as: list[str] = Field(
        default_factory=list,
        description="Other versions of this article: its original and the original's copies.",
    )


class StoryItem(BaseModel):
    story_id: str
    title: str
    article_ids: list[str]
    outlets: list[str]
    first_published: str | None
    last_published: str | None
    statement_count: int


class VoiceItem(BaseModel):
    label: str = Field(description="The speaker's name, or the words naming them.")
    speaker_id: str | None
    statements: int


class OutletVoicesItem(BaseModel):
    outlet: str
    voices: list[VoiceItem]


class StoryDetail(StoryItem):
    articles: list[ArticleItem]
    voices: list[OutletVoicesItem] = Field(description="Who each outlet quotes.")
    statements: list[StatementItem]
    agreements: list[RelationItem] = Field(
        description="Statements of two different speakers in the story that agree."
    )
    contradictions: list[RelationItem] = Field(
        description="Statements of two different speakers in the story that contradict each other."
    )


class CoverageSpeakerItem(BaseModel):
    speaker_id: str
    name: str
    statements: int = Field(description="Statements in the story, over all outlets.")


class OutletCoverageItem(BaseModel):
    outlet: str
    article_ids: list[str]
    statements: int
    quoted: dict[str, int] = Field(description="Speaker id -> statements in this outlet.")
    unattributed: int = Field(description="Statements whose speaker has no id (unnamed).")
    left_out: list[str] = Field(
        description="Speaker ids quoted in the story by other outlets but not by this one, "
        "though it published on or after the day they first spoke in the story."
    )


class StoryCoverageItem(BaseModel):
    story_id: str
    title: str
    speakers: list[CoverageSpeakerItem] = Field(description="Most quoted first.")
    outlets: list[OutletCoverageItem] = Field(
        description="In the order the outlets first covered the story."
    )
    timeline: list[DayCountItem] = Field(description="The story's statements per day.")


class StoryDaysItem(BaseModel):
    story_id: str
    title: str
    timeline: list[DayCountItem]


class SpeakerTimelineItem(BaseModel):
    speaker_id: str
    name: str
    timeline: list[DayCountItem] = Field(description="Statements per publication day.")
    undated: int = Field(description="Statements in articles without a date.")
    stories: list[StoryDaysItem] = Field(description="Statements per day in each story.")


# --- pages ----------------------------------------------------------------------------------


class StatementPage(BaseModel):
    items: list[StatementItem]
    next_cursor: str | None


class ArticlePage(BaseModel):
    items: list[ArticleItem]
    next_cursor: str | None


class SpeakerPage(BaseModel):
    items: list[SpeakerItem]
    next_cursor: str | None


class StoryPage(BaseModel):
    items: list[StoryItem]
    next_cursor: str | None


class FigurePage(BaseModel):
    items: list[FigureItem]
    next_cursor: str | None


def _story_filter(what: str) -> Any:
    return Field(None, max_length=100, description=f"Story id (`st_...`): only its {what}.")


def _old_story_filter() -> Any:
    return Field(
        None,
        max_length=100,
        description="The old name of `story`; still accepted.",
        json_schema_extra={"deprecated": True},
    )


_RELATION_FILTER = Literal["agrees", "contradicts", ""] | None


class ClaimQuery(PageQuery):
    speaker: str | None = _speaker_filter(": claims with a statement of theirs")
    story: str | None = _story_filter("claims")
    outlet: str | None = _outlet_filter(": claims with a statement it published")
    relation: _RELATION_FILTER = Field(
        None,
        description="`contradicts`: claims with two sides (two speakers contradicting each "
        "other); `agrees`: claims two speakers agree on; blank or absent for all.",
    )
    story_id: str | None = _old_story_filter()

    @property
    def story_filter(self) -> str | None:
        return self.story or self.story_id


class RelationQuery(PageQuery):
    speaker: str | None = _speaker_filter(": pairs with a statement of theirs")
    story: str | None = _story_filter("agreements and contradictions")
    outlet: str | None = _outlet_filter(": pairs with a statement it published")
    relation: _RELATION_FILTER = Field(
        None, description="`agrees` or `contradicts`; blank or absent for both."
    )
    story_id: str | None = _old_story_filter()

    @property
    def story_filter(self) -> str | None:
        return self.story or self.story_id

    statement_id: str | None = Field(
        None, max_length=100, description="Only relations of this statement."
    )
    article_id: str | None = Field(
        None, max_length=100, description="Only relations with a statement of this article."
    )


class ClaimStatement(BaseModel):
    statement_id: str
    speaker: str | None
    speaker_id: str | None
    outlet: str | None
    published: str | None
    side: int = Field(description="+1 with the claim's label, -1 against it, 0 unknown.")
    content: str


class ClaimItem(BaseModel):
    claim_id: str
    label: str
    label_statement: str | None
    story_id: str | None
    first_published: str | None
    last_published: str | None
    statements: list[ClaimStatement]


class ClaimPage(BaseModel):
    items: list[ClaimItem]
    next_cursor: str | None


class RelationItem(BaseModel):
    """Two statements that agree or contradict, with both speakers and the evidence."""

    statement_a: str
    statement_b: str
    speaker_a: str | None
    speaker_b: str | None
    relation: Literal["agrees", "contradicts"]
    score: float
    evidence: str
    story_id: str | None
    claim_id: str | None
    reversal: bool = False
    """One speaker on opposite sides at two different times (a change of position)."""
    speaker_id_a: str | None
    content_a: str
    article_id_a: str
    content_spans_a: list[list[int]]
    outlet_a: str | None
    published_a: str | None
    speaker_id_b: str | None
    content_b: str
    article_id_b: str
    content_spans_b: list[list[int]]
    outlet_b: str | None
    published_b: str | None


class RelationPage(BaseModel):
    items: list[RelationItem]
    next_cursor: str | None


# --- misc -----------------------------------------------------------------------------------


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    schema_version: int
    writes_enabled: bool


class Counts(BaseModel):
    articles: int
    statements: int
    speakers: int
    figures: int
    failures: int


# --- writes ---------------------------------------------------------------------------------


FIELD_MEANINGS = {
    "text": "The article body; offsets point into it.",
    "title": "The headline.",
    "url": "Where the article was published.",
    "outlet": "The publication.",
    "published": "A date, in any usual form.",
    "author": "The byline; a list of names is joined with '; '.",
}


def _article_in_schema(schema: dict[str, Any]) -> None:
    """The fields and aliases of a JSONL line (``ingest/fields.py``), documented from the
    reader's own table so that the API cannot drift from it."""
    properties: dict[str, Any] = {}
    for field, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            meaning = FIELD_MEANINGS[field]
            described = meaning if alias == field else f"Same as `{field}`: {meaning}"
            # null is a blank field to the reader, as in a JSONL line.
            kinds: list[dict[str, Any]] = [{"type": "string"}, {"type": "null"}]
            if field == "author":
                kinds.append({"type": "array", "items": {"type": "string"}})
            value: dict[str, Any] = {"anyOf": kinds, "description": described}
            properties[alias] = value
    schema["properties"] = properties
    schema["anyOf"] = [{"required": [alias]} for alias in FIELD_ALIASES["text"]]
    schema["additionalProperties"] = True


class ArticleIn(BaseModel):
    """One article to ingest: the same fields, aliases and case rules as a JSONL line of
    `quotegraph ingest`. One of `text`, `body`, `content`, `article` is required; the first
    present with words is the text. Other fields are kept as the article's metadata."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_article_in_schema)

    def record(self) -> dict[str, Any]:
        """The JSON object as posted, for the JSONL reader's field mapping."""
        return dict(self.model_extra or {})


class FailureItem(BaseModel):
    source: str
    code: str
    message: str
    stage: str


class IngestResult(BaseModel):
    run_id: int
    articles_seen: int
    articles_added: int
    articles_skipped_duplicate: int
    statements_added: int
    figures_added: int
    article_ids: list[str | None] = Field(
        description="The id of each posted article, in order; null for one that failed."
    )
    failures: list[FailureItem]
