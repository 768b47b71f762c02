"""Confidence fitting and the reliability table, on hand-built documents."""

import pytest

from quotegraph.evaluate.calibration import outcomes, reliability
from quotegraph.evaluate.polnear_gold import GoldAttribution, GoldDocument
from quotegraph.extract.confidence import bucket, confidence_for, load_table
from quotegraph.train.confidence import fit
from quotegraph.types import Statement

TEXT = "Jane Doe said the port is open. Tom Lee said the road is shut."
GOLD = GoldDocument(
    "d1", TEXT, (GoldAttribution(content=((14, 30),), source=((0, 8),), cue=((9, 13),)),)
)


def statement(content, source, confidence=0.5, rule="clause"):
    return Statement(
        "s",
        "d1",
        "indirect",
        TEXT[slice(*content)],
        (content,),
        speaker_span=source,
        confidence=confidence,
        rule=rule,
    )


RIGHT = statement((14, 30), (0, 8), 0.9)
WRONG_SPEAKER = statement((14, 30), (32, 39), 0.9)
UNANNOTATED = statement((49, 62), (32, 39), 0.2)


def test_outcomes_need_content_and_source_overlap():
    assert outcomes(GOLD, [RIGHT, WRONG_SPEAKER, UNANNOTATED]) == [True, False, False]


def test_fit_smooths_small_buckets_towards_the_rule():
    analysed = {"d1": [(RIGHT, "clause|indirect|name"), (UNANNOTATED, "clause|indirect|none")]}
    table = fit([GOLD], analysed)
    assert table["rules"]["clause"] == pytest.approx((1 + 1) / (2 + 2))
    # one right out of one, pulled towards the rule's 0.5 by five pseudo-observations
    assert table["buckets"]["clause|indirect|name"] == pytest.approx((1 + 5 * 0.5) / 6, abs=1e-4)
    assert table["buckets"]["clause|indirect|none"] == pytest.approx((0 + 5 * 0.5) / 6, abs=1e-4)


def test_reliability_bins_and_ece():
    result = reliability([GOLD], {"d1": [RIGHT, WRONG_SPEAKER, UNANNOTATED]})
    by_bin = {row["bin"]: row for row in result["bins"]}
    assert by_bin["0.9-1.0"]["count"] == 2
    assert by_bin["0.9-1.0"]["accuracy"] == 0.5
    assert by_bin["0.2-0.3"]["accuracy"] == 0.0
    assert result["ece"] == pytest.approx((2 / 3) * 0.4 + (1 / 3) * 0.2, abs=1e-4)


def test_shipped_table_is_used_and_falls_back_to_the_rule_then_the_prior():
    table = load_table()
    assert table["buckets"], "the package ships a trained confidence table"
    key, value = next(iter(table["buckets"].items()))
    rule, kind, how = key.split("|")
    assert confidence_for(rule, kind, how, prior=0.123) == pytest.approx(value)
    assert confidence_for(rule, kind, "no-such-resolution", 0.123) == pytest.approx(
        table["rules"][rule]
    )
    assert confidence_for("no-such-rule", "direct", "name", 0.123) == 0.123
    assert bucket("clause", "direct", "name") == "clause|direct|name"
