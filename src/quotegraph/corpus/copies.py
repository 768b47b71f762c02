"""Copies: reprints and lightly revised versions of an article, linked to their original.

``link_copies(store)`` takes the articles stored since its last run, in publication order,
and compares each with the articles published within ``WINDOW_DAYS`` of it (and undated
ones) through a MinHash LSH index (``datasketch``) over word 5-shingles of the text:

* every article gets a MinHash signature of ``NUM_PERM`` values, stored in the store; the
  LSH index of a batch is rebuilt from the stored signatures of the dates the batch needs,
  so nothing is recomputed over the corpus and the work per article is bounded by what was
  published around it;
* the LSH index only proposes candidates (estimated Jaccard about ``LSH_THRESHOLD`` or more);
  a candidate is a copy when the exact Jaccard similarity of the two shingle sets is at
  least ``COPY_JACCARD``, or ``REVISION_JACCARD`` for two articles of the same outlet (a
  revised version of its own story: a new lead, a trimmed print edition, a live blog with
  more entries). Between outlets a lower bar links rewrites: on FNC-1's bodies, pairs at
  0.4 to 0.55 were mostly two outlets' own articles built on the same agency text and
  quotes. On PolNeAR the seven reprint pairs confirmed by reading (all within one outlet)
  have a Jaccard of 0.52 to 1.0, and the closest pair of different articles (two debate
  pieces quoting the same exchange) 0.12;
* the original is the matching article published first (then the one stored first); a
  copy of a copy points to the first original when it clears the bar against that one too,
  else to the version it copies. Articles are compared as they are stored: an older
  article stored after its reprint is linked as the copy.

Copies stay stored and searchable; the story pass puts a copy in its original's story, and
the stance pass, coverage and story statement counts leave copies out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import numpy as np
from datasketch import MinHash, MinHashLSH

from quotegraph.store import Store
from quotegraph.store.copies import CopyCandidate, CopyPassWriter

NUM_PERM = 128
SHINGLE_WORDS = 5
LSH_THRESHOLD = 0.3
COPY_JACCARD = 0.6
REVISION_JACCARD = 0.4
WINDOW_DAYS = 14
"""How far apart in publication a copy and its original may be."""
BATCH_SIZE = 500
SEED = 1
SCHEME = "affine32"
"""datasketch's permutation scheme; stored signatures are only comparable within one."""

_WORD = re.compile(r"\w+")


def link_copies(store: Store, *, batch_size: int = BATCH_SIZE) -> int:
    """Link every new article that copies an earlier one; returns the copies found."""
    found = 0
    while True:
        with store.copy_pass() as writer:
            done, batch_found = _link_batch(writer, batch_size)
        found += batch_found
        if done < batch_size:
            return found


def shingles(text: str) -> set[bytes]:
    """Word 5-shingles of the lower-cased text (the whole text when shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def signature(shingle_set: Iterable[bytes]) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch(list(shingle_set))
    return minhash


def jaccard(a: set[bytes], b: set[bytes]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _encode(minhash: MinHash) -> bytes:
    # datasketch keeps values below 2**32 in uint64; four bytes each are enough.
    return np.asarray(minhash.hashvalues, dtype="<u4").tobytes()


def _decode(blob: bytes) -> MinHash:
    values = np.frombuffer(blob, dtype="<u4").astype(np.uint64)
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=values, scheme=SCHEME)


def _link_batch(writer: CopyPassWriter, batch_size: int) -> tuple[int, int]:
    pending = writer.pending(writer.watermark(), batch_size)
    if not pending:
        return 0, 0
    pending.sort(key=_publication_order)
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    since, until = _dates(pending)
    for stored in writer.signatures(since, until):
        lsh.insert(stored.article_id, _decode(stored.signature))
    batch = {a.article_id: a for a in pending}
    sets = {a.article_id: shingles(a.text) for a in pending}
    links: list[tuple[str, str]] = []
    originals: dict[str, str] = {}
    signatures: list[tuple[str, bytes]] = []
    for article in pending:
        minhash = signature(sets[article.article_id])
        original = _original(writer, article, minhash, lsh, batch, sets, originals)
        if original is not None:
            links.append((article.article_id, original))
            originals[article.article_id] = original
        lsh.insert(article.article_id, minhash)
        signatures.append((article.article_id, _encode(minhash)))
    writer.save_signatures(signatures)
    writer.link(links)
    writer.finish(max(a.row_id for a in pending))
    return len(pending), len(links)


def _original(
    writer: CopyPassWriter,
    article: CopyCandidate,
    minhash: MinHash,
    lsh: MinHashLSH,
    batch: dict[str, CopyCandidate],
    sets: dict[str, set[bytes]],
    originals: dict[str, str],
) -> str | None:
    """The original ``article`` copies (the earliest matching one's original), or None."""
    own = sets[article.article_id]
    matches: list[tuple[tuple[bool, str, int], str]] = []
    for key in lsh.query(minhash):
        other = _candidate(writer, batch, key)
        if other is None or not _is_copy(article, own, other, sets):
            continue
        root_id = originals.get(key) or other.copy_of
        root = _candidate(writer, batch, root_id) if root_id else None
        # The first original when this article copies it too; else the version it copies
        # (two agencies' stories can each share most of their text with a third article).
        target = root if root is not None and _is_copy(article, own, root, sets) else other
        matches.append((_publication_order(target), target.article_id))
    return min(matches)[1] if matches else None


def _candidate(
    writer: CopyPassWriter, batch: dict[str, CopyCandidate], article_id: str
) -> CopyCandidate | None:
    return batch.get(article_id) or writer.article(article_id)


def _is_copy(
    article: CopyCandidate, own: set[bytes], other: CopyCandidate, sets: dict[str, set[bytes]]
) -> bool:
    if not _close_in_time(article, other):
        return False
    other_set = sets.get(other.article_id)
    if other_set is None:
        other_set = shingles(other.text)
    bar = REVISION_JACCARD if _same_outlet(article, other) else COPY_JACCARD
    return jaccard(own, other_set) >= bar


def _same_outlet(a: CopyCandidate, b: CopyCandidate) -> bool:
    return bool(a.outlet and b.outlet and a.outlet.casefold() == b.outlet.casefold())


def _publication_order(article: CopyCandidate) -> tuple[bool, str, int]:
    return (article.published is None, (article.published or "")[:10], article.row_id)


def _close_in_time(a: CopyCandidate, b: CopyCandidate) -> bool:
    first, second = _day(a.published), _day(b.published)
    if first is None or second is None:
        return True
    return abs((first - second).days) <= WINDOW_DAYS


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _dates(articles: Sequence[CopyCandidate]) -> tuple[str | None, str | None]:
    """The publication days whose signatures a batch needs (None: all, for undated ones)."""
    days = [_day(a.published) for a in articles]
    if any(day is None for day in days):
        return None, None
    known = [day for day in days if day is not None]
    span = timedelta(days=WINDOW_DAYS)
    return (min(known) - span).isoformat(), (max(known) + span).isoformat()
