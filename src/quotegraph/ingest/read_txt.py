"""Plain-text articles: one file, one article, the first non-blank line is the title.

The article text is the whole decoded file with only line endings normalised (``\\r\\n``
and lone ``\\r`` become ``\\n``; a UTF-8 BOM is dropped), so it equals what Python's
``open(path, encoding="utf-8-sig").read()`` returns and offsets index the file's characters.
Author, outlet, date and dateline come from the header lines of the text itself.
"""

from __future__ import annotations

from collections.abc import Iterator

from quotegraph.errors import QuotegraphError
from quotegraph.ingest.decoding import decode_text
from quotegraph.ingest.limits import IngestLimits
from quotegraph.ingest.records import check_length, first_line, make_article, normalise_newlines
from quotegraph.ingest.sources import InputFile, read_document
from quotegraph.types import Article, Failure


def read_txt(item: InputFile, limits: IngestLimits) -> Iterator[Article | Failure]:
    data = read_document(item, limits, limits.max_file_bytes)
    if not data:
        raise QuotegraphError("E002", source=item.source, detail="file is empty")
    decoded, encoding = decode_text(data, item.source)
    text = normalise_newlines(decoded)
    title = first_line(text)
    if title is None:
        raise QuotegraphError("E002", source=item.source, detail="only whitespace")
    check_length(text, item.source, limits)
    yield make_article(
        text,
        source_file=item.source,
        input_format="txt",
        title=title[0],
        metadata={} if encoding == "utf-8" else {"encoding": encoding},
    )
