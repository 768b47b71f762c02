"""Calibrated confidence: how often a statement of this kind was right on training data.

Each statement falls into a bucket named ``rule|kind|resolution`` (``clause|indirect|pronoun``,
``quote_cue_after|direct|name`` ...); the learned model's statements also by the band of
their cue probability (``learned|indirect|name|p0.7``). ``confidence.json`` beside this
module holds, per bucket, the share of such statements that matched a gold attribution
(content and source) on PolNeAR train, smoothed towards the rule's share when a bucket is
small. It is produced by
``quotegraph train confidence`` (``train/confidence.py``); without it, the
rules' hand-set priors are used.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

TABLE_FILE = "confidence.json"


def bucket(rule: str, kind: str, how: str, band: str = "") -> str:
    """``rule|kind|resolution``, with ``|band`` for the learned model's statements."""
    return f"{rule}|{kind}|{how}|{band}" if band else f"{rule}|{kind}|{how}"


def table_path() -> Path:
    """Where the shipped table lives (inside the installed package)."""
    return Path(str(resources.files("quotegraph.extract") / TABLE_FILE))


@lru_cache(maxsize=1)
def load_table() -> dict[str, Any]:
    """The shipped table (empty when none has been trained)."""
    path = table_path()
    if not path.is_file():
        return {"buckets": {}, "rules": {}}
    table: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return table


def confidence_for(rule: str, kind: str, how: str, prior: float, band: str = "") -> float:
    """The trained share for this bucket, else for the rule, else ``prior``."""
    table = load_table()
    key = bucket(rule, kind, how, band)
    value = table["buckets"].get(key, table["rules"].get(rule, prior))
    return round(min(max(float(value), 0.01), 0.99), 4)
