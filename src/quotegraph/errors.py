"""One catalogue of coded errors.

Every error quotegraph raises or records carries a stable code from ``CATALOGUE`` so that a
user can grep for it, a failures table can be aggregated by it, and the docs can explain it.
Raise with ``raise QuotegraphError("E003", source=path, detail="...")``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

CATALOGUE: Mapping[str, str] = MappingProxyType(
    {
        # ingest: reading files
        "E001": "input path does not exist",
        "E002": "input file is empty or holds only whitespace",
        "E003": "input file looks binary, not text",
        "E004": "input file is not valid text in any supported encoding",
        "E005": "input file could not be read (I/O error or permission denied)",
        "E006": "compressed input is truncated or corrupt",
        "E007": "input exceeds the configured size limit",
        "E008": "unsupported input format",
        "E009": "no supported articles in the input",
        # ingest: parsing structured inputs
        "E010": "HTML page has no extractable article text",
        "E011": "JSONL line is not a valid JSON object",
        "E012": "record has no usable 'text' field",
        "E013": "CSV file has no 'text' column",
        "E014": "record field has the wrong type",
        # analysis
        "E020": "NLP pipeline failed on this article",
        "E021": "extraction failed on this article",
        # store
        "E030": "database file is not a quotegraph store",
        "E031": "database schema is newer than this version of quotegraph",
        "E032": "database is busy: another process is writing",
        "E033": "could not write to the database",
        "E034": "store file does not exist",
        # front ends and configuration
        "E040": "unknown export table",
        "E041": "unknown output format",
        "E042": "optional dependency missing",
        "E043": "evaluation data not found",
        "E044": "invalid argument",
        # ingest: web archives and feeds
        "E045": "WARC archive is truncated, corrupt or not a WARC file",
        "E046": "feed is malformed and has no readable items",
        "E047": "WARC record payload could not be decoded",
        # batch runs (Parquet shards) and loading them
        "E050": "batch output is incomplete (no manifest, or a listed shard is missing)",
        "E051": "batch shard is unreadable or not in the expected format",
        "E052": "batch output directory is not empty",
        "E053": "could not start or reach the Ray cluster",
        "E054": "the Ray batch job failed",
        # stance model (FNC-1 + ARC): shipped files, data and training
        "E055": "stance model files are missing, unreadable or inconsistent",
        "E056": "FNC-1 style CSV file is malformed (missing column, unknown stance or body id)",
        "E057": "stance training data not found or incomplete",
        # sentence embeddings and claim matching
        "E060": "unknown embedder",
        "E061": "known-claims file is malformed (no id or text, bad JSON, unknown format)",
        "E062": "CheckThat! file is malformed (wrong columns, bad qrels line, unknown query)",
        "E063": "claim ranker model is missing, malformed or made for other features",
        "E064": "no known claims to match against",
        # speaker identity: gold set and evaluation
        "E065": "speaker gold file is malformed (not JSONL, or a line lacks doc/start/end/entity)",
        "E066": "a document named by the speaker gold is not in the evaluation data",
        # speaker resolution: gold set and evaluation
        "E068": "resolution gold file is malformed (not JSONL, bad kind, or a line lacks a field)",
        "E069": "a document named by the resolution gold is not in the evaluation data",
        # corpus passes: stories
        "E070": "invalid story pass setting (threshold, time window or batch size)",
        # extraction models
        # E071 (verb frames file) is retired: the learned attribution model replaced the frames.
        "E072": "attribution model file is missing, unreadable or malformed",
        "E073": "no training examples: the annotated data has no attribution with a verb cue",
        # the learned pair model (relations) and its evaluation data
        "E074": "relation pair model is missing, unreadable or malformed",
        "E075": "sentence-pair file is malformed (not JSONL, a line lacks premise, hypothesis "
        "or label, or an unknown label)",
        "E076": "relations gold file is malformed (not JSONL, or a line lacks a field)",
        "E077": "a document named by the relations gold is not in the evaluation data",
        # stories and copies: gold sets
        "E078": "story or reprint gold file is malformed (not JSONL, or a line lacks a field)",
        "E079": "story vector model is missing, unreadable or malformed",
        # the HTTP API and web UI (E044 stays the code of an invalid argument)
        "E080": "not found",
        "E081": "unknown query parameter",
        "E082": "authentication required",
        "E083": "forbidden",
        "E084": "method not allowed",
        "E085": "unsupported media type",
        "E086": "internal server error",
        "E087": "service unavailable",
        # extraction models (continued)
        "E088": "attribution tagger model is missing, unreadable or malformed",
    }
)


class QuotegraphError(Exception):
    """An error with a catalogue code, the input it concerns and a human detail."""

    def __init__(self, code: str, *, source: str | None = None, detail: str | None = None):
        if code not in CATALOGUE:
            raise ValueError(f"unknown error code {code!r}")
        self.code = code
        self.source = source
        self.detail = detail
        super().__init__(self.describe())

    @property
    def summary(self) -> str:
        return CATALOGUE[self.code]

    def describe(self) -> str:
        parts = [f"{self.code}: {self.summary}"]
        if self.source:
            parts.append(f"[{self.source}]")
        if self.detail:
            parts.append(f"- {self.detail}")
        return " ".join(parts)


def missing_extra(extra: str, module: str) -> QuotegraphError:
    """The error to raise when an optional dependency group is not installed."""
    return QuotegraphError(
        "E042",
        detail=f"'{module}' is needed here; install it with: pip install 'quotegraph[{extra}]'",
    )
