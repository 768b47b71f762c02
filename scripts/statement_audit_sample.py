"""Draw the statement audit's sample (tests/quality/statement_audit.md): extract PolNeAR dev
with the current code, take 100 speech statements with ``random.Random(24).sample`` over the
statements in article-name order and text order, and print one JSON line each with the file
name and offsets (no article text) for a judge to read in the article.

    PYTHONPATH=src python scripts/statement_audit_sample.py ../shared/data/polnear > sample.jsonl

A second argument sets another seed (the second sample used 124). A third and fourth draw
from another split and a slice of its articles instead, for a part nobody tuned on: the
train sample of 2026-12-07 (from the repository root, data beside it) is

    PYTHONPATH=src python scripts/statement_audit_sample.py \
        ../shared/data/polnear 2024 train 640:840
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from quotegraph.evaluate.polnear_gold import load_split
from quotegraph.pipeline import statements_for_texts

SEED = 24
SIZE = 100


def main(data: Path, seed: int = SEED, split: str = "dev", part: str = ":") -> None:
    start, _, end = part.partition(":")
    docs = load_split(data, split)[int(start or 0) : int(end) if end else None]
    found = statements_for_texts(((d.name, d.text) for d in docs), workers=1)
    speech = [(name, s) for name, statements in found for s in statements if s.act == "speech"]
    for i, (name, s) in enumerate(random.Random(seed).sample(speech, SIZE)):
        row = {
            "i": i,
            "file": f"{name}.txt",
            "statement_id": s.statement_id,
            "content_spans": s.content_spans,
            "cue_span": s.cue_span,
            "speaker_span": s.speaker_span,
            "rule": s.rule,
            "kind": s.kind,
            "act": s.act,
            "speaker_type": s.speaker_type,
        }
        print(json.dumps(row))


if __name__ == "__main__":
    main(
        Path(sys.argv[1]),
        int(sys.argv[2]) if len(sys.argv) > 2 else SEED,
        sys.argv[3] if len(sys.argv) > 3 else "dev",
        sys.argv[4] if len(sys.argv) > 4 else ":",
    )
