"""Datelines, bylines and outlet/date header lines found in the article text."""

from __future__ import annotations

import pytest

from quotegraph.ingest.metadata import find_byline, find_dateline, find_outlet_and_date
from quotegraph.types import Dateline

TITLE = "Ministers meet over budget\n\n"
START = len(TITLE)


@pytest.mark.parametrize(
    ("opening", "dateline_text", "place", "date", "source"),
    [
        ("GENEVA — The minister said.", "GENEVA —", "GENEVA", None, None),
        ("GENEVA - The minister said.", "GENEVA -", "GENEVA", None, None),
        ("GENEVA—The minister said.", "GENEVA—", "GENEVA", None, None),
        ("LISBON, Portugal — The council voted.", "LISBON, Portugal —", "LISBON, Portugal",
         None, None),
        ("BERLIN, March 14 (Northgate Daily) - Talks began.",
         "BERLIN, March 14 (Northgate Daily) -", "BERLIN", None, "Northgate Daily"),
        ("NAIROBI (Example Wire / Partner Daily - 12th March, 2020) - Rains fell.",
         "NAIROBI (Example Wire / Partner Daily - 12th March, 2020) -", "NAIROBI",
         "2020-03-12", "Example Wire / Partner Daily"),
        ("WASHINGTON (AP) — The Senate voted.", "WASHINGTON (AP) —", "WASHINGTON", None, "AP"),
        ("NEW YORK, Jan. 5, 2024 /PRNewswire/ -- Acme Corp announced.",
         "NEW YORK, Jan. 5, 2024 /PRNewswire/ --", "NEW YORK", "2024-01-05", "PRNewswire"),
        ("WASHINGTON, D.C. — Lawmakers met.", "WASHINGTON, D.C. —", "WASHINGTON, D.C.", None,
         None),
        ("SÃO PAULO (Reuters) - Shares rose.", "SÃO PAULO (Reuters) -", "SÃO PAULO", None,
         "Reuters"),
        ("ST. LOUIS, March 3, 2025 (Wire) — Rain.", "ST. LOUIS, March 3, 2025 (Wire) —",
         "ST. LOUIS", "2025-03-03", "Wire"),
    ],
)  # fmt: skip
def test_dateline_styles_with_exact_spans(
    opening: str, dateline_text: str, place: str, date: str | None, source: str | None
) -> None:
    text = TITLE + opening + "\n\nMore text follows here."
    found = find_dateline(text)
    assert found == Dateline(
        place=place, span=(START, START + len(dateline_text)), date=date, source=source
    )
    assert text[found.span[0] : found.span[1]] == dateline_text


def test_dateline_after_byline_and_indentation() -> None:
    text = "Title\nBy Jane Kowalski\n\n   KYIV — Sirens sounded."
    found = find_dateline(text)
    assert found is not None
    assert text[found.span[0] : found.span[1]] == "KYIV —"


@pytest.mark.parametrize(
    "opening",
    [
        "NATO said on Monday it would send more troops.",
        "UN peacekeepers — some 3,500 of them — patrol the area.",
        "NATO — the alliance of 32 countries — said it would respond.",
        "EXCLUSIVE — Minister to quit, sources say.",
        "I — and many others — disagree.",
        "COVID-19 — the disease — spread quickly.",
        "US-led forces - officials said - withdrew.",
        "Geneva — a city of diplomats — hosted the talks.",
        "The GENEVA talks — which began Monday — stalled.",
        "WHO officials said the outbreak was contained.",
        "GENEVA",
    ],
)
def test_no_dateline_in_ordinary_openings(opening: str) -> None:
    assert find_dateline(TITLE + opening + "\n") is None


def test_dateline_deep_in_the_body_is_ignored() -> None:
    paragraphs = [f"Paragraph {n} of the story." for n in range(10)]
    text = TITLE + "\n\n".join([*paragraphs, "PARIS — Late dateline."])
    assert find_dateline(text) is None


def test_start_skips_an_all_caps_title() -> None:
    text = "MINISTER QUITS - REPORT\n\nLONDON — The minister quit."
    headline = find_dateline(text)
    assert headline is not None
    assert headline.place == "MINISTER QUITS"  # why callers pass start= past a known title
    found = find_dateline(text, start=text.index("\n"))
    assert found is not None
    assert found.place == "LONDON"


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Jane Kowalski", "Jane Kowalski"),
        ("By Jane Kowalski and Omar Haddad", "Jane Kowalski; Omar Haddad"),
        ("By JANE KOWALSKI, Staff Reporter", "Jane Kowalski"),
        ("BY JANE O'BRIEN-SMITH", "Jane O'Brien-Smith"),
        ("By: Li Wei in Beijing", "Li Wei"),
        ("By Jean de la Fontaine, Ana Li and Bo Wu", "Jean de la Fontaine; Ana Li; Bo Wu"),
        ("By J. R. Hartley & Omar Haddad, Associated Press", "J. R. Hartley; Omar Haddad"),
    ],
)
def test_bylines(line: str, names: str) -> None:
    text = f"Headline\n  {line}  \n\nBody text."
    found = find_byline(text)
    assert found is not None
    assert found[0] == names
    assert text[found[1][0] : found[1][1]] == line


@pytest.mark.parametrize(
    "line",
    [
        "By the end of the year, prices had doubled.",
        "By Monday, officials said, the road would reopen.",
        "By Reuters",
        "Bystanders Jane Kowalski and Omar Haddad watched.",
        "By Staff Reporter",
    ],
)
def test_not_bylines(line: str) -> None:
    assert find_byline(f"Headline\n{line}\n\nBody.") is None


def test_byline_far_below_the_top_is_ignored() -> None:
    text = "\n".join([f"Line {n}." for n in range(12)] + ["By Jane Kowalski"])
    assert find_byline(text) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Meridian Post | 14 March 2025", ("Meridian Post", "2025-03-14")),
        ("14 March 2025 | Meridian Post", ("Meridian Post", "2025-03-14")),
        ("Meridian Post • March 14, 2025 • Politics", ("Meridian Post", "2025-03-14")),
        ("Published by Northgate Daily on 2025-03-14", ("Northgate Daily", "2025-03-14")),
        ("Published 14 March 2025 by Northgate Daily", ("Northgate Daily", "2025-03-14")),
        ("Source: Meridian Post\nDate: 14 March 2025", ("Meridian Post", "2025-03-14")),
        ("14 March 2025", (None, "2025-03-14")),
        ("Minister defends budget | Meridian Post", (None, None)),
        ("Meridian Post | yesterday", (None, None)),
    ],
)
def test_outlet_and_date_lines(header: str, expected: tuple[str | None, str | None]) -> None:
    assert find_outlet_and_date(f"Headline\n{header}\n\nBody text.") == expected


def test_no_header_lines() -> None:
    assert find_outlet_and_date("Headline\n\nThe minister said on 14 March 2025 that...") == (
        None,
        None,
    )
