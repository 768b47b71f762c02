"""B-cubed scoring of clusters (Bagga & Baldwin 1998), shared by the speaker and story scorers.

For each gold item, precision is the share of its system cluster that belongs to its gold
cluster and recall the share of its gold cluster that is in its system cluster; both are
averaged over the gold items and F1 is their harmonic mean.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def b_cubed(
    gold: Mapping[K, str], system: Mapping[K, Hashable], *, whole_clusters: bool = False
) -> dict[str, float]:
    """B-cubed precision, recall and F1 of ``system`` clusters over the items of ``gold``.

    An item missing from ``system`` is a cluster of its own. By default a system cluster is
    cut down to the gold items; with ``whole_clusters`` its size counts every item ``system``
    puts in it, gold or not (right when the gold lists every member of each of its clusters).
    """
    if not gold:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    labels = {item: system.get(item, ("alone", item)) for item in gold}
    gold_sizes = Counter(gold.values())
    system_sizes = Counter(labels.values())
    if whole_clusters:
        system_sizes.update(label for item, label in system.items() if item not in gold)
    both = Counter((gold[item], labels[item]) for item in gold)
    precision = sum(both[(gold[i], labels[i])] / system_sizes[labels[i]] for i in gold)
    recall = sum(both[(gold[i], labels[i])] / gold_sizes[gold[i]] for i in gold)
    precision, recall = precision / len(gold), recall / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
