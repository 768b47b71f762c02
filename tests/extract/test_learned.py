"""The learned attribution model: its scoring, the statements it makes, and its training."""

import json
import math
from pathlib import Path

import pytest

from quotegraph.errors import QuotegraphError
from quotegraph.evaluate.polnear_gold import GoldAttribution, GoldDocument
from quotegraph.extract import analyse_statements, shown_content
from quotegraph.extract.attribution import probability_band
from quotegraph.extract.learned import (
    LinearModel,
    argument_features,
    cue_features,
    inner_child,
    load_model,
    model_from_json,
)
from quotegraph.nlp import parse
from quotegraph.train.attribution import collect_examples, train_attribution
from quotegraph.types import Statement


def learned(text: str, model=None) -> list[Statement]:
    statements = [s for s, _ in analyse_statements(parse(text), "a1", model=model)]
    for s in statements:
        assert shown_content(text, s.content_spans, s.cue_span) == s.content
        assert s.cue_span is None or text[slice(*s.cue_span)] == s.cue
    return [s for s in statements if s.rule.startswith("learned")]


# --- scoring ----------------------------------------------------------------------------------


def test_a_binary_model_is_a_sigmoid_of_bias_plus_weights() -> None:
    model = LinearModel(("none", "cue"), (-1.0,), {"a": (2.0,), "b": (0.5,)})
    p = model.probabilities(["a", "b", "unknown"])["cue"]
    assert p == pytest.approx(1 / (1 + math.exp(-1.5)))
    assert model.probabilities([])["none"] == pytest.approx(1 / (1 + math.exp(-1.0)))


def test_a_multiclass_model_is_a_softmax() -> None:
    model = LinearModel(("none", "content", "source"), (0.0, 0.0, 0.0), {"x": (0.0, 1.0, 0.0)})
    p = model.probabilities(["x"])
    assert sum(p.values()) == pytest.approx(1.0)
    assert p["content"] == pytest.approx(math.e / (math.e + 2))


def _hand_model(threshold: float) -> dict:
    """A model that knows one cue ("praise") and the two argument roles of a plain clause."""
    return {
        "threshold": threshold,
        "cue": {"classes": ["none", "cue"], "bias": [-4.0], "weights": {"lemma=praise": [8.0]}},
        "argument": {
            "classes": ["none", "content", "source"],
            "bias": [0.0, 0.0, 0.0],
            "weights": {"dep=dobj|after": [0.0, 3.0, 0.0], "dep=nsubj|before": [0.0, 0.0, 3.0]},
        },
    }


def test_a_hand_built_model_makes_a_statement_with_offsets() -> None:
    text = "The harbour opened late. Tilde Varga praised the new ferry on Monday."
    (statement,) = learned(text, model_from_json(_hand_model(0.5)))
    assert (statement.cue, statement.content, statement.speaker) == (
        "praised",
        "the new ferry",
        "Tilde Varga",
    )
    assert statement.kind == "indirect"


def test_the_confidence_bucket_of_a_learned_statement_carries_its_probability_band() -> None:
    text = "Tilde Varga praised the new ferry on Monday."
    ((_, key),) = analyse_statements(parse(text), "a1", model=model_from_json(_hand_model(0.5)))
    # The hand model gives "praised" a probability of 1 / (1 + e^-4), about 0.98.
    assert key == "learned|indirect|name|p0.7"
    assert [probability_band(p) for p in (0.35, 0.5, 0.69, 0.7, 1.0)] == [
        "p0.0",
        "p0.5",
        "p0.5",
        "p0.7",
        "p0.7",
    ]


def test_an_inner_role_takes_the_content_from_below_the_noun_and_extends_the_cue() -> None:
    document = _hand_model(0.5)
    document["argument"]["classes"].append("inner")
    document["argument"]["bias"].append(0.0)
    for row in document["argument"]["weights"].values():
        row.append(0.0)
    # An object with a preposition below it is "inner"; it outweighs being a plain object.
    document["argument"]["weights"]["inner=dobj|prep:from"] = [0.0, 0.0, 0.0, 6.0]
    document["cue"]["weights"]["lemma=withhold"] = [8.0]
    text = "Ilse Marten withheld support from the harbour bill. Piet Rask praised the new ferry."
    first, second = learned(text, model_from_json(document))
    assert (first.cue, first.content, first.speaker) == (
        "withheld support from",
        "the harbour bill",
        "Ilse Marten",
    )
    # Without a preposition below it, the object stays the content.
    assert (second.cue, second.content) == ("praised", "the new ferry")


def test_below_the_threshold_nothing_is_made() -> None:
    text = "Tilde Varga praised the new ferry on Monday."
    assert learned(text, model_from_json(_hand_model(0.99))) == []


def test_verbs_the_rules_took_are_not_scored_again() -> None:
    # "said" is the clause rule's; the model sees neither it nor the verbs in its content.
    text = "Tilde Varga said that Piet Rask praised the ferry."
    statements = [
        s for s, _ in analyse_statements(parse(text), "a1", model=model_from_json(_hand_model(0.5)))
    ]
    assert [s.rule for s in statements] == ["clause"]


def test_features_name_the_verb_its_dependents_and_its_subject() -> None:
    doc = parse("Piet Rask called for an inquiry.")
    verb = next(t for t in doc if t.lower_ == "called")
    features = cue_features(verb, "free")
    assert {"lemma=call", "prep=for", "lemma+prep=call|for", "context=free"} <= set(features)
    assert "subject=nsubj|PERSON" in features
    prep = next(t for t in doc if t.lower_ == "for")
    assert "lemma+prep=call|for" in argument_features(verb, prep)


def test_argument_features_see_the_siblings_and_what_hangs_below_a_noun() -> None:
    doc = parse("Piet Rask called the toll plan a disaster.")
    verb, plan = doc[2], doc[5]
    features = argument_features(verb, plan)
    assert {"obj=plan", "sib=dobj|oprd", "lemma+sib=call|dobj|oprd"} <= set(features)
    # The subject is no sibling: every clause has one.
    assert not any(f.startswith("sib=dobj|nsubj") for f in features)
    doc = parse("The council expressed concern that the ferry would close.")
    concern = next(t for t in doc if t.lower_ == "concern")
    below = inner_child(concern)
    assert below is not None
    assert below.lower_ == "close"
    assert inner_child(doc[2]) is None  # a verb has no inner content
    assert "obj+inner=concern|acl" in argument_features(doc[2], concern)


# --- the shipped model ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cue", "content", "speaker"),
    [
        (
            "Senator Ilse Marten backed the harbour bill.",
            "backed",
            "the harbour bill",
            "Ilse Marten",
        ),
        # The preposition that brings in the content is the cue's, as PolNeAR marks it.
        (
            "The mayor, Tomas Brandt, called for an inquiry into the ferry contracts.",
            "called for",
            "called for an inquiry into the ferry contracts",
            "Tomas Brandt",
        ),
        ("Anna Holm voted against the budget.", "voted against", "the budget", "Anna Holm"),
        # A noun after the verb joins the cue when the content hangs below it.
        (
            "The harbour council expressed concern that the ferry would close.",
            "expressed concern",
            "that the ferry would close",
            "harbour council",
        ),
        # Auxiliaries and adverbs before the verb belong to the cue.
        (
            "Piet Rask has repeatedly criticized the new toll.",
            "has repeatedly criticized",
            "the new toll",
            "Piet Rask",
        ),
    ],
)
def test_the_shipped_model_finds_attributions_the_rules_do_not(
    text: str, cue: str, content: str, speaker: str
) -> None:
    (statement,) = learned(text)
    assert (statement.cue, statement.content, statement.speaker) == (cue, content, speaker)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Ilse Marten called the toll plan a disaster.", "learned_claim"),
        ("Local groups have challenged its count of 3,500 peacekeepers.", "learned"),
    ],
)
def test_a_predicate_is_a_claim_and_an_object_is_what_was_acted_on(text: str, rule: str) -> None:
    (statement,) = [s for s, _ in analyse_statements(parse(text), "a1")]
    assert statement.rule == rule


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # Without the predicate the content would say the opposite.
        ("The envoy declared the Lurat crisis over on Monday.", "the Lurat crisis over"),
        ("The court ruled the levy unlawful.", "the levy unlawful"),
        # A manner adverb is not a predicate of the object.
        ("The mayor praised the plan warmly.", "the plan"),
    ],
)
def test_an_object_keeps_the_predicate_hung_on_the_verb(text: str, content: str) -> None:
    (statement,) = learned(text)
    assert statement.content == content


def test_an_anonymity_request_and_a_passive_subject_make_no_statement() -> None:
    text = "A senior official, who asked not to be named, said the talks had failed."
    assert [s.rule for s, _ in analyse_statements(parse(text), "a1")] == ["clause"]
    # The subject of "is expected" is not a speaker, and a statement needs one.
    assert learned("The governing coalition is expected to pass the bill next week.") == []


def test_a_group_welcoming_a_plan_is_a_group_statement() -> None:
    text = (
        "KORSVIK – Villages along the Korsvik river welcomed the water board's plan to raise "
        "the dikes before the autumn storms."
    )
    (statement,) = learned(text)
    assert statement.cue == "welcomed"
    assert statement.content == "the water board's plan to raise the dikes before the autumn storms"
    assert (statement.speaker_mention, statement.speaker) == (
        "Villages along the Korsvik river",
        None,
    )


def test_the_shipped_model_leaves_plain_narration_alone() -> None:
    assert learned("The ferry left at noon and the bridge was closed for repairs.") == []


def test_the_shipped_model_has_a_tuned_threshold_and_both_parts() -> None:
    model = load_model()
    assert 0.3 <= model.threshold <= 0.7
    assert model.argument.classes == ("none", "content", "source", "inner")
    assert model.cue.weights["lemma=criticize"][0] > 0


def test_a_malformed_model_file_is_e072(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"threshold": 0.5, "cue": {"classes": ["none", "cue"]}}))
    with pytest.raises(QuotegraphError) as raised:
        load_model(path)
    assert raised.value.code == "E072"


def test_weights_of_the_wrong_width_are_e072(tmp_path: Path) -> None:
    document = _hand_model(0.5)
    document["argument"]["weights"]["dep=dobj|after"] = [1.0]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(document))
    with pytest.raises(QuotegraphError) as raised:
        load_model(path)
    assert raised.value.code == "E072"


# --- training ---------------------------------------------------------------------------------


_PRAISE = [
    ("Tilde Varga praised the new ferry.", "Tilde Varga", "praised", "the new ferry"),
    ("Piet Rask praised the old bridge.", "Piet Rask", "praised", "the old bridge"),
    ("Anna Holm praised the harbour staff.", "Anna Holm", "praised", "the harbour staff"),
]
_NARRATION = [
    "The ferry crossed the bay.",
    "The bridge opened the town.",
    "Gulls followed the boat.",
]


def _write_brat(folder: Path, split: str) -> None:
    """A tiny brat-annotated split: one article per sentence, ``name.ann`` beside it."""
    (folder / split / "text").mkdir(parents=True)
    (folder / split / "attributions").mkdir(parents=True)
    for n, (text, source, cue, content) in enumerate(_PRAISE):
        s, c, t = text.index(source), text.index(cue), text.index(content)
        ann = (
            f"T1\tSource {s} {s + len(source)}\t{source}\n"
            f"T2\tCue {c} {c + len(cue)}\t{cue}\n"
            f"T3\tContent {t} {t + len(content)}\t{content}\n"
            f"T4\tAttribution {c} {c + len(cue)}\t{cue}\n"
            "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        )
        _write_article(folder / split, f"praise_{n}", text, ann)
    for n, text in enumerate(_NARRATION):
        _write_article(folder / split, f"plain_{n}", text, "")


def _write_article(folder: Path, name: str, text: str, ann: str) -> None:
    (folder / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "attributions" / f"{name}.ann").write_text(ann, encoding="utf-8")


def test_training_on_own_brat_data_learns_the_annotated_verb(tmp_path: Path) -> None:
    _write_brat(tmp_path, "train")
    document = train_attribution(tmp_path, "train", tune_split=None, workers=1)
    assert document["training"]["cue_positives"] == 3
    assert document["threshold"] == 0.5
    model = model_from_json(document)
    assert model.cue.weights["lemma=praise"][0] > 0
    p = model.argument.probabilities(["dep=dobj|after"])
    # No dependent was "none" in these examples: that class is never predicted.
    assert p["content"] > p["source"] > p["none"]
    (statement,) = learned("Ilse Marten praised the ferry crew.", model)
    assert (statement.cue, statement.content) == ("praised", "the ferry crew")


def test_the_training_examples_are_the_verbs_outside_the_rules() -> None:
    text = "Tilde Varga said that the ferry was late. Piet Rask praised the crew."
    c, t, s = text.index("praised"), text.index("the crew"), text.index("Piet Rask")
    gold = GoldDocument("d", text, (GoldAttribution(((t, t + 8),), ((s, s + 9),), ((c, c + 7),)),))
    examples = collect_examples([(gold, parse(text))])
    # "said" is the clause rule's cue and "was" is in its content: only "praised" is scored.
    assert examples.cue_labels == [1]
    assert examples.argument_labels == ["source", "content"]


def test_content_below_an_object_noun_is_labelled_inner() -> None:
    text = "The council expressed concern that the ferry would close."
    c, t, s = text.index("expressed concern"), text.index("that the"), text.index("The council")
    gold = GoldDocument(
        "d", text, (GoldAttribution(((t, len(text) - 1),), ((s, s + 11),), ((c, c + 17),)),)
    )
    examples = collect_examples([(gold, parse(text))])
    # "expressed" is the cue; "close", inside the content, is a verb that is not.
    assert examples.cue_labels == [1, 0]
    assert examples.argument_labels == ["source", "inner"]


def test_data_without_attributions_is_e073(tmp_path: Path) -> None:
    (tmp_path / "train" / "text").mkdir(parents=True)
    (tmp_path / "train" / "attributions").mkdir(parents=True)
    for n, text in enumerate(_NARRATION):
        _write_article(tmp_path / "train", f"plain_{n}", text, "")
    with pytest.raises(QuotegraphError) as raised:
        train_attribution(tmp_path, "train", tune_split=None, workers=1)
    assert raised.value.code == "E073"


def test_the_train_command_writes_a_model_the_loader_reads(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from quotegraph import cli

    _write_brat(tmp_path / "data", "train")
    out = tmp_path / "model.json"
    result = CliRunner().invoke(
        cli.app,
        [
            "train",
            "attribution",
            "--data",
            str(tmp_path / "data"),
            "--tune-split",
            "none",
            "--out",
            str(out),
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "threshold 0.5" in result.output
    assert load_model(out).cue.weights["lemma=praise"][0] > 0


def test_a_negated_cue_is_scored_kept_whole_and_typed_no_speech() -> None:
    # PolNeAR counts "did not confirm that ..." as an attribution; a reader must not see it
    # as words the speaker said.
    document = _hand_model(0.5)
    document["cue"]["weights"]["lemma=confirm"] = [8.0]
    document["argument"]["weights"]["dep=ccomp|after"] = [0.0, 3.0, 0.0]
    model = model_from_json(document)
    text = "The harbour opened late. Tilde Varga did not confirm that the ferry would run."
    (statement,) = learned(text, model)
    assert (statement.cue, statement.content, statement.speaker) == (
        "did not confirm",
        "that the ferry would run",
        "Tilde Varga",
    )
    assert statement.act == "action"
    # Said, not denied, it is the clause rule's speech.
    ((plain, _),) = analyse_statements(
        parse("Tilde Varga confirmed that the ferry would run."), "a1"
    )
    assert (plain.rule, plain.act) == ("clause", "speech")


def test_a_date_beside_the_claim_is_no_part_of_a_learned_content():
    # The model reads "on Monday" as a content holder of "ruled"; a date says when, not what.
    found = learned("The Marlow District Court ruled on Monday that the harbour levy was unlawful.")
    assert [s.content for s in found] == ["that the harbour levy was unlawful"]
