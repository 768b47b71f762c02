"""A hand-built pair model for the stance tests: probabilities keyed by the two texts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

NEUTRAL_ROW = (0.05, 0.9, 0.05)


class FakePairScorer:
    """Answers ``probabilities`` from a table of (premise, hypothesis) -> (e, n, c), where a
    text matches when it ends with the key (the judge puts "Speaker: " in front); any other
    pair is neutral. Records every pair it was asked about."""

    def __init__(self, table: Mapping[tuple[str, str], tuple[float, float, float]]) -> None:
        self.table = dict(table)
        self.asked: list[tuple[str, str]] = []

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        self.asked += list(pairs)
        return np.array([self._row(a, b) for a, b in pairs], dtype=np.float32)

    def _row(self, a: str, b: str) -> tuple[float, float, float]:
        for (key_a, key_b), row in self.table.items():
            if a.endswith(key_a) and b.endswith(key_b):
                return row
        return NEUTRAL_ROW


def both_ways(
    a: str, b: str, row: tuple[float, float, float]
) -> dict[tuple[str, str], tuple[float, float, float]]:
    """The same probabilities for both reading orders."""
    return {(a, b): row, (b, a): row}
