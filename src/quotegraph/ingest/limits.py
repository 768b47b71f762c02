"""Size limits that keep one hostile or broken input from exhausting memory."""

from __future__ import annotations

from dataclasses import dataclass, fields

MB = 1_000_000


@dataclass(frozen=True)
class IngestLimits:
    """Caps applied while reading inputs; anything over a cap becomes an ``E007`` failure.

    JSONL and CSV files are streamed record by record, so no cap applies to their total
    size on disk; the caps bound what is held in memory at any one time.
    """

    max_file_bytes: int = 50 * MB
    """Largest single document read into memory: a whole ``.txt``/``.html`` file (after
    decompression), one JSONL line, or one CSV field (counted in characters)."""
    max_decompressed_bytes: int = 200 * MB
    """Most bytes one ``.gz`` input may inflate to, for every format (gzip-bomb guard)."""
    max_article_chars: int = 2_000_000
    """Longest article text, in characters, that is passed on to the NLP stage."""
    max_html_bytes: int = 20 * MB
    """Largest HTML page handed to trafilatura; matches trafilatura's own MAX_FILE_SIZE."""

    def __post_init__(self) -> None:
        # A zero or negative cap would silently reject every input; fail loudly instead.
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"IngestLimits.{spec.name} must be a positive int, got {value!r}")
