"""A speaker's type: person, organisation or place, one per name in an article (issue 24)."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from quotegraph.extract import extract_statements
from quotegraph.extract.speakers import (
    add_missed_names,
    collect_entities,
    place_names,
    resolve,
    settle_name_types,
)
from quotegraph.nlp import load_pipeline, parse


def _with_ents(text: str, ents: list[tuple[str, str, int]]) -> Doc:
    """``text`` parsed, its entities exactly ``(words, label, occurrence)``: the n-th time
    those words are written (so that tests do not depend on what NER guesses)."""
    doc = parse(text)
    spans = []
    for words, label, occurrence in ents:
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(words, start + 1)
        span = doc.char_span(start, start + len(words), label=label)
        assert span is not None, words
        spans.append(span)
    doc.ents = sorted(spans, key=lambda s: s.start)
    return doc


def _labels(doc: Doc) -> list[tuple[str, str]]:
    return [(ent.text, ent.label_) for ent in doc.ents]


def test_a_surname_tagged_as_an_organisation_is_the_person_named_in_full() -> None:
    text = "Dara Quill toured the harbour on Monday. Quill said the plan would work."
    doc = _with_ents(text, [("Dara Quill", "PERSON", 0), ("Quill", "ORG", 1)])
    settle_name_types(doc)
    assert _labels(doc) == [("Dara Quill", "PERSON"), ("Quill", "PERSON")]


def test_a_name_a_persons_role_introduces_is_a_person() -> None:
    text = "Former Vantor executive Lise Amberley said the merger had failed."
    doc = _with_ents(text, [("Lise Amberley", "ORG", 0)])
    settle_name_types(doc)
    assert _labels(doc) == [("Lise Amberley", "PERSON")]


def test_a_name_taken_up_by_its_is_an_organisation() -> None:
    text = (
        "Brindle said it would close the fake accounts. "
        "Brindle said its users were safe, and Brindle promised more checks."
    )
    doc = _with_ents(
        text, [("Brindle", "PERSON", 0), ("Brindle", "PERSON", 1), ("Brindle", "PERSON", 2)]
    )
    settle_name_types(doc)
    assert {label for _, label in _labels(doc)} == {"ORG"}


def test_a_name_taken_up_by_himself_is_a_person() -> None:
    text = "At the debate, Orlow compared himself to the mayor."
    doc = _with_ents(text, [("Orlow", "ORG", 0)])
    settle_name_types(doc)
    assert _labels(doc) == [("Orlow", "PERSON")]


def test_an_outlet_tagged_as_a_person_is_an_organisation_unless_someones_surname() -> None:
    outlet = _with_ents(
        "Politico reported that the senator would resign.", [("Politico", "PERSON", 0)]
    )
    settle_name_types(outlet)
    assert _labels(outlet) == [("Politico", "ORG")]
    person = _with_ents(
        "Marta Fox toured the port. Fox said the vote was close.",
        [("Marta Fox", "PERSON", 0), ("Fox", "PERSON", 1)],
    )
    settle_name_types(person)
    assert _labels(person) == [("Marta Fox", "PERSON"), ("Fox", "PERSON")]


def test_a_body_named_after_its_founder_is_an_organisation() -> None:
    text = "The Ivo Sand Foundation said the grants would continue."
    doc = _with_ents(text, [("Ivo Sand Foundation", "PERSON", 0)])
    settle_name_types(doc)
    assert _labels(doc) == [("Ivo Sand Foundation", "ORG")]


def test_a_description_whose_head_is_a_company_gives_an_organisation() -> None:
    text = (
        "Veltra, a blood-testing company, opened a laboratory in Tolva. "
        "The company said the tests were accurate."
    )
    doc = _with_ents(text, [("Veltra", "PERSON", 0), ("Tolva", "GPE", 0)])
    statements = extract_statements(doc, "a1")
    assert [(s.speaker_mention, s.speaker, s.speaker_type) for s in statements] == [
        ("The company", "Veltra", "organization")
    ]


def test_a_surname_after_in_is_no_place() -> None:
    text = (
        "Tom Harlow opened the session. Voters lost faith in Harlow after the vote, "
        "and few believed in Harlow’s promises."
    )
    doc = _with_ents(text, [("Tom Harlow", "PERSON", 0)])
    assert "Harlow" not in place_names(doc)


def test_a_possessive_is_no_surname() -> None:
    text = "Estmark’s envoy met Ruth Ames’s deputy in the capital."
    doc = _with_ents(text, [("Estmark", "GPE", 0), ("Ruth Ames’s", "PERSON", 0)])
    add_missed_names(doc, [])
    assert ("Estmark", "GPE") in _labels(doc)


def test_a_police_chief_is_a_person_not_the_police() -> None:
    text = "Harbour Police Chief Ansel Varga said the roads were open again."
    doc = _with_ents(text, [("Ansel Varga", "PERSON", 0)])
    statements = extract_statements(doc, "a1")
    assert [(s.speaker, s.speaker_type) for s in statements] == [("Ansel Varga", "person")]


def test_it_never_stands_for_a_persons_name() -> None:
    text = (
        "The Tolva Port Board met Dana Brook on Monday. Brook praised the board. "
        "It said the port would reopen."
    )
    doc = _with_ents(
        text,
        [("Dana Brook", "PERSON", 0), ("Tolva Port Board", "ORG", 0), ("Brook", "ORG", 1)],
    )
    registry = collect_entities(doc)
    it = next(t for t in doc if t.text == "It")
    resolution = resolve(doc, (it.i, it.i + 1), registry)
    assert (resolution.name, resolution.speaker_type) == ("Tolva Port Board", "organization")


def test_the_ents_helper_finds_the_nth_occurrence() -> None:
    doc = _with_ents("Ann met Ann.", [("Ann", "PERSON", 1)])
    assert [(ent.start_char, ent.label_) for ent in doc.ents] == [(8, "PERSON")]
    assert isinstance(doc.ents[0], Span)


def test_an_untagged_place_name_that_speaks_is_the_place_as_an_organisation() -> None:
    text = "Voters in Brask were calm on Monday. Brask said the border would stay open."
    doc = _with_ents(text, [])
    statements = extract_statements(doc, "a1")
    assert [(s.speaker, s.speaker_type) for s in statements] == [("Brask", "organization")]


def _hand_parsed(words: list[str], heads: list[int], deps: list[str], ent: tuple[int, str]) -> Doc:
    """A parse given by hand (the small parser's misreading, not left to chance)."""
    doc = Doc(load_pipeline().vocab, words=words, heads=heads, deps=deps)
    for token in doc:
        token.lemma_ = token.lower_
    doc.ents = [Span(doc, ent[0], ent[0] + 1, label=ent[1])]
    return doc


def test_an_organisation_noun_the_parser_sets_beside_a_place_gives_it_no_kind() -> None:
    # "flood-ravaged Louisiana, a Baton Rouge newspaper called on ...": the parser read the
    # newspaper as an apposition of the state, which then answered every "the newspaper".
    words = ["Veltmark", ",", "a", "newspaper", "said", "it", "would", "wait", "."]
    heads = [4, 0, 3, 0, 4, 7, 7, 4, 4]
    deps = ["nsubj", "punct", "det", "appos", "ROOT", "nsubj", "aux", "ccomp", "punct"]
    place = collect_entities(_hand_parsed(words, heads, deps, (0, "GPE")))
    assert place.entities["Veltmark"].roles == []
    company = collect_entities(_hand_parsed(words, heads, deps, (0, "ORG")))
    assert [role for role, _, _ in company.entities["Veltmark"].roles] == ["newspaper"]


def test_one_person_tag_among_more_place_tags_makes_no_person() -> None:
    # "where NER tags it PERSON at least as often": one stray PERSON tag of a state is not.
    text = (
        "Varland voted early. Officials in Varland counted fast. "
        "Varland told reporters the count was done. Varland certified it on Friday."
    )
    doc = _with_ents(
        text,
        [
            ("Varland", "GPE", 0),
            ("Varland", "GPE", 1),
            ("Varland", "PERSON", 2),
            ("Varland", "GPE", 3),
        ],
    )
    settle_name_types(doc)
    assert [label for _, label in _labels(doc)].count("PERSON") <= 1


def test_its_never_makes_a_surname_written_in_full_an_organisation() -> None:
    text = (
        "Dara Quill spoke on Monday. Quill said its ruling was wrong, and Quill promised an appeal."
    )
    doc = _with_ents(
        text, [("Dara Quill", "PERSON", 0), ("Quill", "PERSON", 1), ("Quill", "PERSON", 2)]
    )
    settle_name_types(doc)
    assert _labels(doc) == [("Dara Quill", "PERSON"), ("Quill", "PERSON"), ("Quill", "PERSON")]


def test_a_rival_company_stays_a_company() -> None:
    text = "Harbour ferries lost trade to rival Sealink. Sealink told investors orders rose."
    doc = _with_ents(text, [("Sealink", "ORG", 0), ("Sealink", "ORG", 1)])
    settle_name_types(doc)
    assert _labels(doc) == [("Sealink", "ORG"), ("Sealink", "ORG")]
