"""Names without glued verbs or nicknames; places never persons (issue 24)."""

from __future__ import annotations

from spacy.tokens import Span

from quotegraph.extract import extract_statements
from quotegraph.extract.speakers import drop_glued_words, place_names
from quotegraph.nlp import parse


def test_a_sentence_opening_gerund_is_no_part_of_a_name() -> None:
    doc = parse("Telling Jeb Bush to leave was easy, the organiser said.")
    doc.ents = [Span(doc, 0, 3, label="PERSON")]
    drop_glued_words(doc)
    assert [ent.text for ent in doc.ents] == ["Jeb Bush"]


def test_a_quoted_nickname_is_no_part_of_a_name() -> None:
    doc = parse("The ad calls her Crooked Hillary Clinton again.")
    doc.ents = [Span(doc, 4, 7, label="PERSON")]
    drop_glued_words(doc)
    assert [ent.text for ent in doc.ents] == ["Hillary Clinton"]


def test_a_given_name_at_the_start_of_a_sentence_stays() -> None:
    doc = parse("Sterling Brown said the vote would be close.")
    doc.ents = [Span(doc, 0, 2, label="PERSON")]
    drop_glued_words(doc)
    assert [ent.text for ent in doc.ents] == ["Sterling Brown"]


TEXT = (
    "Kembara says peacekeepers will be gone by June\n\n"
    "Kembara's interior ministry said the roads were safe. Police in Kembara said little."
)


def test_a_country_is_a_place_and_speaks_as_an_organisation() -> None:
    doc = parse(TEXT)
    assert "Kembara" in place_names(doc)
    first = extract_statements(parse(TEXT), "a1")[0]
    assert (first.speaker, first.speaker_type) == ("Kembara", "organization")


RESOLUTION_TEXT = (
    "Mara Lind said the harbour would reopen in May.\n\n"
    "Critics have questioned her decision to meet Tom Hale while the ministry was "
    "investigating his wife, Anna Hale, over a contract she signed. She said the ministry "
    "would publish its report on Friday.\n\n"
    "Harsh? He does not think so. Back then, he said, Hale thought the contract was fair."
)


def test_a_pronoun_keeps_the_topic_a_her_before_the_name_points_to() -> None:
    statements = extract_statements(parse(RESOLUTION_TEXT), "a1")
    by_content = {s.content: s.speaker for s in statements}
    assert by_content["the ministry would publish its report on Friday"] == "Mara Lind"


def test_a_one_word_question_is_no_name() -> None:
    statements = extract_statements(parse(RESOLUTION_TEXT), "a1")
    assert statements[-1].speaker == "Tom Hale"


def test_a_title_case_headline_verb_is_no_part_of_a_name() -> None:
    text = (
        "Farm Leaders Rip Gerald Whitcombe Over Water Deal\n\n"
        "The farm leaders met on Monday. Whitcombe said the deal was fair. "
        "Gerald Whitcombe said on Tuesday that the vote would stand."
    )
    statements = extract_statements(parse(text), "a1")
    assert [s.speaker for s in statements] == ["Gerald Whitcombe", "Gerald Whitcombe"]


def test_a_headline_word_stays_when_the_rest_is_no_name_of_its_own() -> None:
    doc = parse("Dock Workers Meet Harlan Oduya Brooks At The Port Gate")
    doc.ents = [Span(doc, 3, 6, label="PERSON")]
    drop_glued_words(doc)
    assert [ent.text for ent in doc.ents] == ["Harlan Oduya Brooks"]


def _speakers_with_persons(text: str, persons: list[str]) -> list[tuple[str | None, str | None]]:
    """Statements of ``text`` with ``persons`` (words of it) forced to be PERSON entities, as
    the small model sometimes tags them."""
    doc = parse(text)
    forced = [Span(doc, t.i, t.i + 1, label="PERSON") for t in doc if t.text in persons]
    doc.ents = [e for e in doc.ents if not any(e.start < f.end and f.start < e.end for f in forced)]
    doc.ents = [*doc.ents, *forced]
    return [(s.speaker_mention, s.speaker) for s in extract_statements(doc, "a1")]


def test_a_plural_noun_opening_a_sentence_is_no_person() -> None:
    text = "Tomas Ferreira opened the harbour talks. Aides said the port would stay open."
    assert ("Aides", "Aides") not in _speakers_with_persons(text, ["Aides"])


def test_a_headline_word_tagged_as_a_person_is_no_antecedent() -> None:
    text = (
        "Harbour Chief Laughs, Dodges Question About Closure.\n\n"
        "When Tomas Ferreira, the harbour chief, was asked whether the port would close, "
        "he laughed and said that it would not."
    )
    assert ("he", "Tomas Ferreira") in _speakers_with_persons(text, ["Laughs"])


def test_a_sentence_opening_adverb_after_a_quote_mark_is_no_part_of_a_name() -> None:
    doc = parse('"Certainly Lena Rask has changed her mind," the organiser said.')
    doc.ents = [Span(doc, 1, 4, label="PERSON")]
    drop_glued_words(doc)
    assert [ent.text for ent in doc.ents] == ["Lena Rask"]
