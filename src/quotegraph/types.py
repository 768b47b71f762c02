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
Act = Literal["speech", "belief", "intention", "action"]
"""What a statement reports: words said or written, or a belief, intention or action."""
SpeakerType = Literal["person", "organization", "group", "anonymous", "unknown"]
InputFormat = Literal["txt", "html", "jsonl", "csv", "warc", "rss"]

STATEMENT_KINDS: tuple[StatementKind, ...] = ("direct", "indirect", "mixed")
ACTS: tuple[Act, ...] = ("speech", "belief", "intention", "action")
SPEAKER_TYPES: tuple[SpeakerType, ...] = ("person", "organization", "group", "anonymous", "unknown")
StanceLabel = Literal["agree", "disagree", "discuss", "unrelated"]
STANCE_LABELS: tuple[StanceLabel, ...] = ("agree", "disagree", "discuss", "unrelated")


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
    copy_of: str | None = None
    """The ``article_id`` of the original when the copy pass found this article to be a
    reprint or a lightly revised copy of it; None for an original and on input."""


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
class Skipped:
    """An input record passed over on purpose, not an error: a WARC request, image or 404
    record, a feed item that carries no full text. Ingest counts these by ``reason``."""

    source: str
    """``path#offset`` (WARC) or ``path#item`` (feeds) of the record."""
    reason: str
    """Short and countable: ``non-HTML``, ``not 200``, ``no full text in feed`` ..."""


@dataclass(frozen=True)
class Statement:
    """One attributed statement: who said what, with offsets for every part."""

    statement_id: str
    article_id: str
    kind: StatementKind
    content: str
    """The statement's words; pieces of an interrupted quote are joined with " … ", and a verb
    of naming or asking leads its object ("called the plan a disgrace", "urged the board to
    wait", the spans holding the object)."""
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
    act: Act = "speech"
    """``speech`` (words said or written), or a ``belief``, ``intention`` or ``action``
    ascribed to the speaker, which PolNeAR counts as attributions too."""


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
    records_skipped: int = 0
    """Input records passed over on purpose (``Skipped``): neither articles nor failures."""
    skipped_reasons: Mapping[str, int] = field(default_factory=dict)
    """``records_skipped`` broken down by reason."""
    corpus: CorpusReport | None = None
    """What the corpus passes run after the ingest changed (None when they did not run)."""

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class Story:
    """Articles about the same event, across outlets."""

    story_id: str
    title: str
    """The headline nearest the story's centroid that reports rather than quotes, with the
    story's dates."""
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]
    first_published: str | None = None
    last_published: str | None = None
    statement_count: int = 0
    """Speech statements in the story's articles (copies left out), as its pages list them;
    beliefs, intentions and actions are not counted."""


@dataclass(frozen=True)
class StorySummary:
    """A story with who said what in it, in publication order."""

    story: Story
    statements: tuple[StatementRecord, ...]

    def with_act(self, act: str | None) -> StorySummary:
        """The story with only the statements of one act (None: all of them)."""
        if act is None:
            return self
        kept = tuple(r for r in self.statements if r.statement.act == act)
        return StorySummary(self.story, kept)


RelationKind = Literal["agrees", "contradicts"]
RELATION_KINDS: tuple[RelationKind, ...] = ("agrees", "contradicts")


@dataclass(frozen=True)
class Claim:
    """Statements that make the same assertion, across speakers and articles."""

    claim_id: str
    label: str
    """The words of the claim's most central statement."""
    statement_ids: tuple[str, ...]
    label_statement: str | None = None
    """The statement whose words are the label; sides are read relative to it."""
    story_id: str | None = None
    first_published: str | None = None
    last_published: str | None = None


@dataclass(frozen=True)
class Relation:
    """Two statements that agree with or contradict each other, with the evidence."""

    statement_a: str
    statement_b: str
    relation: RelationKind
    score: float
    """How sure the stance pass is, 0-1."""
    evidence: str
    """Why, in a few words: ``negation: "never committed" vs "will be"``."""
    claim_id: str | None = None
    story_id: str | None = None
    reversal: bool = False
    """One speaker at two different times on opposite sides: a change of position."""


@dataclass(frozen=True)
class CorpusReport:
    """What one run of the corpus passes changed."""

    speakers_merged: int = 0
    copies_linked: int = 0
    """Articles found to be copies of an earlier one (``corpus/copies.py``)."""
    articles_placed: int = 0
    stories_created: int = 0
    statements_grouped: int = 0
    claims_created: int = 0
    relations_found: int = 0
    pairs_compared: int = 0
    """Statement pairs the stance pass compared (rules and model)."""
    pairs_scored: int = 0
    """Of them, pairs the learned pair model read (each in one or both orders)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time of each pass, by pass name."""


@dataclass(frozen=True)
class BatchReport:
    """What one batch run (``quotegraph batch``) wrote; also the body of its manifest."""

    out: str
    """The output directory of Parquet shards."""
    engine: str
    """``local`` or ``ray``."""
    workers: int
    parts: tuple[str, ...]
    """Names of the complete parts (``part-00000`` ...), in the order they were written."""
    articles: int
    statements: int
    figures: int
    failures: int
    records_skipped: int = 0
    """Input records passed over on purpose (``Skipped``): neither articles nor failures."""
    seconds: float = 0.0


@dataclass(frozen=True)
class LoadReport:
    """What loading a batch output into a store (``quotegraph load``) did."""

    run_id: int
    parts: int
    articles_seen: int
    articles_added: int
    """Articles new to the store; the others were stored already (content-hash ids)."""
    statements_added: int
    figures_added: int
    failures: int
    """Failure rows copied from the shards into the store's failures table."""
    seconds: float = 0.0
    corpus: CorpusReport | None = None
    """What the corpus passes did afterwards, or None when they were not run."""


@dataclass(frozen=True)
class SpeakerProfile:
    """A stored speaker as the cross-article speaker pass sees it (``corpus/speakers.py``)."""

    speaker_id: str
    name: str
    speaker_type: SpeakerType
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    article_ids: tuple[str, ...] = ()
    """Articles with a statement by this speaker."""
    first_published: str | None = None
    last_published: str | None = None
    statement_count: int = 0
    is_new: bool = False
    """Seen in an article the pass has not consumed yet (past its watermark)."""


@dataclass(frozen=True)
class SpeakerDescription:
    """A statement whose speaker its article only describes ("the German chancellor")."""

    statement_id: str
    article_id: str
    description: str
    """The description without its determiner, as the statement's ``speaker_role``."""
    mention: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class SpeakerMerge:
    """Speaker ``source_id`` is the same as ``target_id`` and is merged into it."""

    source_id: str
    target_id: str
    reason: str
    """Which rule: ``variant``, ``surname``, ``organization`` or ``abbreviation``."""


@dataclass(frozen=True)
class DescriptionLink:
    """A described speaker's statement given the id of the one person whose roles match."""

    statement_id: str
    speaker_id: str
    description: str
    mention: str | None = None


@dataclass(frozen=True)
class SpeakerLinkPlan:
    """What the speaker pass decided: merges, description links, aliases to record."""

    merges: tuple[SpeakerMerge, ...] = ()
    descriptions: tuple[DescriptionLink, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    """``(speaker_id, alias)``: abbreviations an article paired with the speaker's name."""


@dataclass(frozen=True)
class RelationRecord:
    """A relation with both statements as stored (speakers, articles, outlets, dates)."""

    relation: Relation
    a: StatementRecord
    b: StatementRecord


@dataclass(frozen=True)
class ClaimRecord:
    """A claim with its statements and, for each, its side: +1 with the label, -1 against."""

    claim: Claim
    statements: tuple[StatementRecord, ...]
    sides: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DayCount:
    """How many statements were published on one day (``YYYY-MM-DD``)."""

    day: str
    count: int


@dataclass(frozen=True)
class CoverageSpeaker:
    """A speaker quoted in a story (by their store-wide id), with how often overall."""

    speaker_id: str
    name: str
    statements: int


@dataclass(frozen=True)
class OutletCoverage:
    """What one outlet quoted in a story, and whom the other outlets quoted but it did not."""

    outlet: str
    article_ids: tuple[str, ...]
    statements: int
    quoted: Mapping[str, int] = field(default_factory=dict)
    """``speaker_id`` -> statements of that speaker in this outlet's articles of the story."""
    unattributed: int = 0
    """Statements whose speaker has no store-wide id (unnamed or anonymous sources)."""
    left_out: tuple[str, ...] = ()
    """Speaker ids quoted in the story by other outlets but not by this one, though it
    published on or after the day they first spoke in the story; most quoted first."""


@dataclass(frozen=True)
class StoryCoverage:
    """One story across outlets: outlets × speakers, who each outlet left out, and when."""

    story: Story
    speakers: tuple[CoverageSpeaker, ...]
    """Every speaker with an id quoted in the story, most quoted first."""
    outlets: tuple[OutletCoverage, ...]
    """In the order the outlets first covered the story."""
    days: tuple[DayCount, ...] = ()
    """The story's statements per publication day, oldest first."""

    def count(self, outlet: str, speaker_id: str) -> int:
        found = next((o for o in self.outlets if o.outlet == outlet), None)
        return 0 if found is None else found.quoted.get(speaker_id, 0)


@dataclass(frozen=True)
class StoryDays:
    """One speaker's statements within one story, per publication day."""

    story_id: str
    title: str
    days: tuple[DayCount, ...]


@dataclass(frozen=True)
class SpeakerTimeline:
    """What one speaker said over time: per day overall, and per story they are quoted in."""

    speaker_id: str
    name: str
    days: tuple[DayCount, ...]
    """Statements per publication day, oldest first; undated statements are left out."""
    stories: tuple[StoryDays, ...] = ()
    """The stories quoting the speaker, in the order of their first statement there."""
    undated: int = 0
    """Statements in articles without a publication date."""


@dataclass(frozen=True)
class StancePrediction:
    """How an article body stands towards a claim, as the stance model sees it."""

    label: StanceLabel
    """The most probable stance: agree, disagree, discuss (reports without taking a side)
    or unrelated (about something else)."""
    probability: float
    """The model's probability of ``label``."""
    probabilities: Mapping[str, float] = field(default_factory=dict)
    """Every stance's probability; they sum to 1."""


@dataclass(frozen=True)
class KnownClaim:
    """A claim that fact-checkers have already checked, to match new statements against."""

    claim_id: str
    text: str
    """The claim as the fact-checker worded it."""
    title: str | None = None
    """The headline of the fact-check article, when there is one."""
    url: str | None = None


@dataclass(frozen=True)
class ClaimMatch:
    """One known claim ranked for one query text (a statement, a tweet)."""

    query_id: str
    claim_id: str
    score: float
    """The ranker's probability (0-1) that the claim is the one the query makes."""
    rank: int
    """1 for the best match of the query."""


@dataclass(frozen=True)
class InputSurvey:
    """What a list of ingest paths holds, looked at before anything is read or stored."""

    missing: tuple[str, ...]
    """Paths given that do not exist."""
    supported: int
    """Files of a supported format found (the survey stops counting at the first one)."""
    unsupported: tuple[tuple[str, int], ...]
    """File endings of the other files and how many of each, most frequent first; only
    counted when no supported file was found."""


@dataclass(frozen=True)
class StoreStats:
    """What a store holds, for ``quotegraph stats`` and ``Quotegraph.stats()``."""

    articles: int
    statements: int
    speakers: int
    figures: int
    failures: int
    stories: int
    claims: int
    contradictions: int
    agreements: int
    outlets: int
    first_published: str | None
    last_published: str | None
    statements_by_kind: tuple[tuple[str, int], ...]
    """(kind, count), most frequent first."""


@dataclass(frozen=True)
class DisputeCounts:
    """How disputed a story (or the whole store) is: pairs between two different speakers,
    and claims, of which those with two sides (a contradiction inside them)."""

    contradictions: int
    agreements: int
    claims: int
    disputed_claims: int
