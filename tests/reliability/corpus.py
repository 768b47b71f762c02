"""Small invented news articles for the reliability tests.

Every article is fiction written for these tests (made-up towns, people and outlets) and is
built from templates so that each one holds at least one attributed statement: a direct
quote with its speaker, plus an indirect statement and a figure. The generator is seeded,
so a corpus is the same on every run and every machine, which the crash and concurrency
tests rely on when they compare a store against a clean run.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

FIRST_NAMES = (
    "Mara", "Jonas", "Ottilie", "Henrik", "Pia", "Amara", "Tomas", "Lena", "Idris", "Saga",
    "Viktor", "Noor", "Elias", "Freya", "Rasmus", "Ines", "Kasper", "Yara", "Anton", "Leila",
)  # fmt: skip
SURNAMES = (
    "Vellin", "Ekwall", "Sandqvist", "Dalby", "Lundmark", "Okonkwo", "Brekke", "Rask",
    "Haddad", "Norling", "Aalto", "Kessler", "Marchetti", "Vidal", "Osei", "Lindqvist",
)  # fmt: skip
ROLES = (
    "the harbour master", "the mayor of {town}", "a spokeswoman for the water board",
    "the head of the bakers' guild", "the regional health director", "the union leader",
    "the ferry company's chief executive", "a councillor in {town}",
)  # fmt: skip
TOWNS = (
    "Korsvik", "Amberlund", "Selmhaven", "Oster", "Valdholm", "Brisk", "Tollby", "Marnau",
    "Lurat", "Kembara", "Norhem", "Sildvik",
)  # fmt: skip
OUTLETS = ("Lantern Gazette", "Harbour Courier", "Riverside Wire", "Northgate Daily")
TOPICS = (
    ("the river dikes", "raise the dikes before the autumn storms", "homes behind the dikes"),
    ("the ferry fares", "freeze ferry fares until the summer", "daily commuters"),
    ("the flour tax", "scrap the tax on imported flour", "bakeries in the city"),
    ("the port strike", "reopen the container terminal", "containers stuck at the quay"),
    ("the hospital budget", "restore the hospital budget", "nurses on short contracts"),
    ("the school roofs", "repair the school roofs this year", "pupils in temporary classrooms"),
    ("the tram line", "finish the tram line to the harbour", "households without a bus stop"),
    ("the grain barges", "let the grain barges through the locks", "barges waiting upstream"),
)  # fmt: skip
QUOTES = (
    "We cannot wait for another winter to tell us what we already know",
    "This is the most important decision the council will take this year",
    "Nobody here wants a strike, but nobody can live on these wages either",
    "The money is there, it has simply been spent on the wrong things",
    "We will not stop until every family has what it was promised",
    "I have never seen the town this united about anything",
    "The plan is late, it is expensive, and it is still the best plan we have",
    "Our members voted for this, and we will respect that vote",
)  # fmt: skip
CUES = ("said", "told reporters", "said on Monday", "added", "warned")
INDIRECT_CUES = ("said", "told the council", "argued", "warned")


@dataclass(frozen=True)
class GeneratedArticle:
    name: str
    """File name (``.txt``) or, for feed records, ``feed.jsonl#N``."""
    text: str
    title: str
    outlet: str
    speaker: str


def _article(rng: random.Random, number: int) -> GeneratedArticle:
    town = rng.choice(TOWNS)
    outlet = rng.choice(OUTLETS)
    subject, goal, affected = rng.choice(TOPICS)
    speaker = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
    other = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
    role = rng.choice(ROLES).format(town=town)
    quote = rng.choice(QUOTES)
    count = rng.randrange(12, 9000)
    day = 1 + number % 28
    title = f"{town} row over {subject} deepens, part {number}"
    # The article number is in the title, so no two generated texts (and ids) coincide.
    paragraphs = [
        title,
        f"{outlet} | {day} March 2025",
        f"{town.upper()} — Officials in {town} set out a plan this week to {goal}, "
        f"{speaker}, {role}, said on {rng.choice(('Monday', 'Tuesday', 'Friday'))}.",
    ]
    quote_style = rng.randrange(4)
    if quote_style == 0:
        paragraphs.append(f"\u201c{quote},\u201d {speaker.split()[1]} {rng.choice(CUES)}.")
    elif quote_style == 1:
        paragraphs.append(f'"{quote}," {speaker.split()[1]} {rng.choice(CUES)}.')
    elif quote_style == 2:
        paragraphs.append(f"{speaker.split()[1]} told reporters: \u201c{quote}.\u201d")
    else:
        half = quote.split(",")[0] if "," in quote else quote
        paragraphs.append(f'"{half}," {speaker.split()[1]} said. "It is time to {goal}."')
    paragraphs.append(
        f"{other}, who speaks for {affected}, {rng.choice(INDIRECT_CUES)} that some "
        f"{count:,} people would be affected by the decision."
    )
    if rng.random() < 0.5:
        paragraphs.append(
            f"According to the {town} council, the work will cost "
            f"{rng.randrange(2, 90)} million crowns."
        )
    return GeneratedArticle(
        name=f"article_{number:03d}.txt",
        text="\n\n".join(paragraphs) + "\n",
        title=title,
        outlet=outlet,
        speaker=speaker,
    )


def generate(count: int, *, seed: int = 20250314) -> list[GeneratedArticle]:
    rng = random.Random(seed)
    return [_article(rng, number) for number in range(1, count + 1)]


def write_corpus(
    directory: Path, count: int, *, feed_records: int = 0, seed: int = 20250314
) -> Path:
    """Write ``count`` articles into ``directory``: ``.txt`` files, and the last
    ``feed_records`` of them as lines of ``feed.jsonl`` instead (a second input format)."""
    directory.mkdir(parents=True, exist_ok=True)
    articles = generate(count, seed=seed)
    split = len(articles) - feed_records
    for article in articles[:split]:
        (directory / article.name).write_text(article.text, encoding="utf-8", newline="\n")
    if feed_records:
        lines = [
            json.dumps({"title": a.title, "outlet": a.outlet, "text": a.text})
            for a in articles[split:]
        ]
        (directory / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def article_texts(articles: Sequence[GeneratedArticle]) -> list[str]:
    return [a.text for a in articles]
