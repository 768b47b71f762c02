"""Typed records that flow between the stages.

Every stage is a function over these frozen dataclasses; dictionaries only appear at the
JSON/SQL edge (``quotegraph.export`` and ``quotegraph.store``). All character offsets are
``(start, end)`` pairs into ``Article.text`` with ``end`` exclusive, so
``article.text[start:end]`` is always the reported words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Span = tuple[int, int]
"""Character offsets ``(start, end)`` into ``Article.text``; ``end`` is exclusive."""

StatementKind = Literal["direct", "indirect", "mixed"]
SpeakerType = Literal["person", "organization", "group", "anonymous", "unknown"]
InputFormat = Literal["txt", "html", "jsonl", "csv"]

STATEMENT_KINDS: tuple[StatementKind, ...] = ("direct", "indirect", "mixed")
SPEAKER_TYPES: tuple[SpeakerType, ...] = ("person", "organization", "group", "anonymous", "unknown")


@dataclass(frozen=True)
class Dateline:
    """The dateline that opens a news body: ``NAIROBI (Wire - 12th March, 2020) -``."""

    place: str
    span: Span
    """Offsets of the whole dateline, from the place name to the dash that ends it."""
    date: str | None = None
    """ISO date (``2020-03-12``) when the dateline carries one."""
    source: str | None = None
    """The outlet or agency named inside the dateline, if any."""


@dataclass(frozen=True)
class Article:
    """One news article as ingested: the text every offset points into, plus metadata."""

    article_id: str
    text: str
    title: str | None = None
    source_file: str | None = None
    """The path as it was given to ingest (for JSONL/CSV rows: ``path#row``), or None."""
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    """ISO 8601 date or date-time string."""
    author: str | None = None
    dateline: Dateline | None = None
    input_format: InputFormat = "txt"
    metadata: Mapping[str, str] = field(default_factory=dict)
    """Input fields that have no column of their own, kept verbatim as strings."""


@dataclass(frozen=True)
class Failure:
    """An input that could not be ingested or analysed, with a coded reason."""

    source: str
    """File path (or ``path#row``) that failed."""
    code: str
    """Error code from ``quotegraph.errors`` (``E001`` ...)."""
    message: str
    stage: str = "ingest"
    """Which stage failed: ``ingest``, ``nlp``, ``extract`` or ``store``."""


@dataclass(frozen=True)
class Statement:
    """One attributed statement: who said what, with offsets for every part."""

    statement_id: str
    article_id: str
    kind: StatementKind
    content: str
    """The statement's words; pieces of an interrupted quote are joined with a space."""
    content_spans: tuple[Span, ...]
    cue: str | None = None
    cue_span: Span | None = None
    speaker_mention: str | None = None
    """The words naming the speaker in this sentence, e.g. ``She``."""
    speaker_span: Span | None = None
    speaker: str | None = None
    """Canonical name resolved within the article (``Jane Doe``), or None."""
    speaker_type: SpeakerType = "unknown"
    speaker_role: str | None = None
    """A role the article gives the speaker (``spokeswoman for the health ministry``)."""
    confidence: float = 0.5
    rule: str = ""
    """Which extraction rule produced it (``direct_said``, ``according_to``, ...)."""


@dataclass(frozen=True)
class Figure:
    """A number with what it counts: ``some 3,500 peacekeepers in the region``."""

    figure_id: str
    article_id: str
    value: float
    text: str
    span: Span
    qualifier: str | None = None
    unit: str | None = None
    counts: str | None = None
    """The counted thing with its modifiers (``UN peacekeepers in the region``)."""


@dataclass(frozen=True)
class Extraction:
    """Everything the extract stage found in one article."""

    article: Article
    statements: tuple[Statement, ...] = ()
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Speaker:
    """A speaker known to the store, with the names and roles seen for them."""

    speaker_id: str
    name: str
    speaker_type: SpeakerType
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    statement_count: int = 0


@dataclass(frozen=True)
class StatementRecord:
    """A stored statement joined with its article and global speaker: one export row."""

    statement: Statement
    speaker_id: str | None
    source_file: str | None
    article_title: str | None
    outlet: str | None
    published: str | None


@dataclass(frozen=True)
class FigureRecord:
    """A stored figure joined with its article."""

    figure: Figure
    source_file: str | None
    article_title: str | None


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did; ``failures`` lists every input that was skipped."""

    run_id: int
    articles_seen: int
    articles_added: int
    articles_skipped_duplicate: int
    statements_added: int
    figures_added: int
    failures: tuple[Failure, ...] = ()
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class Story:
    """Articles about the same event, across outlets."""

    story_id: str
    title: str
    """The headline of the story's earliest article."""
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]
    first_published: str | None = None
    last_published: str | None = None


@dataclass(frozen=True)
class StorySummary:
    """A story with who said what in it, in publication order."""

    story: Story
    statements: tuple[StatementRecord, ...]
