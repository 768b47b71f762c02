"""Verb frames learned from PolNeAR train: verbs whose *object* is what someone said.

The ``clause`` rule only knows verbs with a clausal complement ("said that ..."). News
attributes as often through a verb and its object: "Trump criticized the deal", "she
endorsed Clinton", "he described the plan as a disaster", "the senator pointed to the
polls". Which verbs do this, and which of their dependents hold the content, is learned
from PolNeAR train by ``quotegraph train verb-frames`` (``frames_fit.py``) and shipped in
``verb_frames.json``: for each verb lemma, the dependency labels whose phrases the
annotators marked as content, how often a use of the verb with a subject was an annotated
cue there (``precision``), and on how many annotated cues that rests (``support``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from quotegraph.errors import QuotegraphError

FRAMES_PATH = Path(__file__).parent / "verb_frames.json"


@dataclass(frozen=True)
class VerbFrame:
    """How one verb attributes: the dependents that hold its content."""

    lemma: str
    deps: frozenset[str]
    precision: float
    support: int


def load_frames(path: Path = FRAMES_PATH) -> dict[str, VerbFrame]:
    """The shipped verb frames by lemma (E071 if the file is missing or malformed)."""
    return _load(str(path))


@cache
def _load(path: str) -> dict[str, VerbFrame]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        return {
            lemma: VerbFrame(
                lemma=lemma,
                deps=frozenset(entry["deps"]),
                precision=float(entry["precision"]),
                support=int(entry["support"]),
            )
            for lemma, entry in document["frames"].items()
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise QuotegraphError("E071", source=path, detail=f"{type(exc).__name__}: {exc}") from exc
