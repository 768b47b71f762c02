"""Speech constructions the clause rule used to miss (issue 24, recall): each on a hand-built
sentence, with the speaker and the content it must report."""

import pytest

from quotegraph.extract import extract_statements
from quotegraph.nlp import parse
from quotegraph.types import Statement


def statements(text: str) -> list[Statement]:
    return list(extract_statements(parse(text), "a1"))


def said_by(text: str, speaker: str) -> Statement:
    found = [s for s in statements(text) if s.speaker_mention == speaker]
    assert len(found) == 1, statements(text)
    return found[0]


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        # The cue of a subordinate clause that the parser hangs on the claim it introduces.
        (
            "While she acknowledged money was a major reason the plant closed, Mayor Lena "
            "Varga also noted that demand had fallen.",
            "she",
            "acknowledged",
            "money was a major reason the plant closed",
        ),
        (
            "The harbor master resigned after he admitted under questioning he had never "
            "inspected the pier.",
            "he",
            "admitted",
            "he had never inspected the pier",
        ),
        # An "as"-clause vouching for the claim around it.
        (
            "The report does not say whether the ferry was overloaded, as inspectors have said.",
            "inspectors",
            "have said",
            "the ferry was overloaded",
        ),
        (
            "The ferry will stop in May, as Varga said at the outset.",
            "Varga",
            "said",
            "The ferry will stop in May",
        ),
        (
            "If, as I have argued, the tunnel costs more than the bridge, the council should "
            "reconsider.",
            "I",
            "have argued",
            "the tunnel costs more than the bridge",
        ),
        # "told" with a hearer, the that-clause hung on the hearer's phrase.
        (
            "In Brenmoor last week, Varga told a gathering of fishing families that few towns "
            "understood the sea better than theirs.",
            "Varga",
            "told",
            "that few towns understood the sea better than theirs",
        ),
        # A claim reported in a relative clause inside another speaker's content; it opens
        # on its relative pronoun, as a piece of its own.
        (
            "Okafor said the footage does not show the keys in his pocket, which he said were "
            "on the table.",
            "he",
            "said",
            "which … were on the table",
        ),
        # A noun for words said, with its owner and its that-clause.
        (
            "Contrary to his claim that the bridge was safe, the inspectors found cracks.",
            "his",
            "claim",
            "that the bridge was safe",
        ),
        (
            "Mayor Varga's warning that the ferry would stop in May angered the islanders.",
            "Mayor Varga's",
            "warning",
            "that the ferry would stop in May",
        ),
        (
            "Varga rejected the claim by her rival that the ferry had lost money.",
            "her rival",
            "claim",
            "that the ferry had lost money",
        ),
    ],
)
def test_missed_construction_is_found_as_speech(
    text: str, speaker: str, cue: str, content: str
) -> None:
    statement = said_by(text, speaker)
    assert (statement.cue, statement.content, statement.act) == (cue, content, "speech")


def test_the_outer_statement_keeps_its_content_beside_the_nested_one() -> None:
    text = (
        "Okafor said the footage does not show the keys in his pocket, which he said were "
        "on the table."
    )
    outer = said_by(text, "Okafor")
    assert outer.content.endswith("which he said were on the table")


def test_a_reported_clause_stops_before_a_second_speakers_reply() -> None:
    text = (
        "She said older boats would not be eligible for the grant, and when pressed on the "
        "point, the 41-year-old minister replied that the fund was small."
    )
    first = said_by(text, "She")
    assert first.content == "older boats would not be eligible for the grant"
    assert said_by(text, "the 41-year-old minister").content == "that the fund was small"


@pytest.mark.parametrize(
    "text",
    [
        "As he said goodbye, the ferry left the harbor.",  # the as-clause tells a time
        "After she explained, the board voted to close the pier.",  # a comma: no claim follows
    ],
)
def test_a_time_clause_with_a_speech_verb_reports_no_claim(text: str) -> None:
    assert not [s for s in statements(text) if s.act == "speech"]


def test_a_statement_reported_on_someones_word_keeps_both_speakers() -> None:
    text = (
        "Harbor officials have said they have no immediate plans to release two recordings "
        "of the collision, one made by a crane camera and another by a diver, according to "
        "lawyers for the crew."
    )
    according = said_by(text, "lawyers for the crew")
    assert according.cue == "according to"
    assert according.content.startswith("Harbor officials have said")
    officials = said_by(text, "Harbor officials")
    assert officials.content.startswith("they have no immediate plans")


def test_a_claim_noun_without_an_owner_is_no_statement() -> None:
    text = "The claim that the bridge was safe did not survive the inspection."
    assert not [s for s in statements(text) if s.cue == "claim"]


def test_a_percentage_is_a_subject() -> None:
    text = "In Dunmore, 61% of fishermen said the new quota was too low."
    statement = said_by(text, "61% of fishermen")
    assert (statement.cue, statement.content) == ("said", "the new quota was too low")


def test_a_bare_percentage_keeps_its_sign() -> None:
    assert said_by("On fishing quotas, 42% say they are too low.", "42%").content == (
        "they are too low"
    )


def test_a_doubled_quotation_closing_over_a_nested_single_one() -> None:
    text = (
        "''I tell other port towns, 'I am sorry, but the board does not care about you,''' "
        "said Mr. Varga, who runs a ferry line."
    )
    statement = only_speech(text)
    assert statement.kind == "direct"
    assert statement.content == (
        "I tell other port towns, 'I am sorry, but the board does not care about you,'"
    )
    assert statement.speaker_mention.startswith("Mr. Varga")


def only_speech(text: str) -> Statement:
    found = [s for s in statements(text) if s.act == "speech"]
    assert len(found) == 1, found
    return found[0]


def test_a_second_said_inside_the_first_content_is_a_statement_of_its_own() -> None:
    text = (
        "He said his recent attacks on the mayor have given his campaign momentum and said "
        "that the mayor did not represent the legacy of the harbor party."
    )
    first, second = (s for s in statements(text) if s.act == "speech")
    assert first.content == "his recent attacks on the mayor have given his campaign momentum"
    assert (second.speaker_mention, second.content) == (
        "He",
        "that the mayor did not represent the legacy of the harbor party",
    )
