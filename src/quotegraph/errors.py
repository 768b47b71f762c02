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
        # front ends and configuration
        "E040": "unknown export table",
        "E041": "unknown output format",
        "E042": "optional dependency missing",
        "E043": "evaluation data not found",
        "E044": "invalid argument",
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
