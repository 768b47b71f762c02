"""Page furniture in plain text yields no statements; offsets stay those of the file."""

from __future__ import annotations

from quotegraph.extract import extract_statements
from quotegraph.extract.furniture import furniture_lines
from quotegraph.nlp import parse

TEXT = (
    "Harbour fees rise\n\n"
    "Mara Lind said the ferry would run on time.\n\n"
    "Please let us know if you're having issues with commenting.\n\n"
    "Sign up for our newsletter and we will tell you what the council decided.\n\n"
    "Related articles: Mayor says port will reopen\n\n"
    "Share this story: Lind says ferry runs late\n\n"
    "Tom Hale said that the council had signed up for the scheme.\n"
)


def test_furniture_lines_are_found_by_their_offsets() -> None:
    lines = [TEXT[start:end] for start, end in furniture_lines(TEXT)]
    assert lines == [
        "Please let us know if you're having issues with commenting.",
        "Sign up for our newsletter and we will tell you what the council decided.",
        "Related articles: Mayor says port will reopen",
        "Share this story: Lind says ferry runs late",
    ]


def test_no_statement_comes_from_furniture() -> None:
    statements = extract_statements(parse(TEXT), "a1")
    assert [(s.speaker, s.content) for s in statements] == [
        ("Mara Lind", "the ferry would run on time"),
        ("Tom Hale", "that the council had signed up for the scheme"),
    ]
    for statement in statements:
        start, end = statement.content_spans[0]
        assert TEXT[start:end] == statement.content


def test_roles_keep_the_text_s_spacing() -> None:
    text = "Ibrahim Dossa, the mission's special envoy, told reporters that the convoy would leave."
    [statement] = extract_statements(parse(text), "a1")
    assert statement.speaker_role == "mission's special envoy"
