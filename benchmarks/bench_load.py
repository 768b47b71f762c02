"""Concurrent clients against ``quotegraph serve``, idle and while an ingest writes.

Usage::

    python benchmarks/bench_load.py [--clients 8 32] [--seconds 30] [--articles 1000]
        [--db STORE.db] [--keep DIR] [--ingest-workers 1]

Builds (or reuses, with ``--db`` naming an existing store) a store of ``--articles``
generated news articles of real size (about 700 words, a dozen paragraphs, several quoted
and reported speakers each; fictional towns, people and outlets, written from templates by
this script), ingested with the real pipeline (``quotegraph ingest --workers 2``, corpus
passes included), so statements, speakers, stories and the full-text indexes are what an
ingest makes of such text. A second set of generated articles is kept for the writer.

Then, for each client count, it starts ``quotegraph serve`` on a free loopback port and
runs ``N`` concurrent clients (one asyncio task and one keep-alive connection each) for
``--seconds`` twice: once with the store otherwise idle, once while ``quotegraph ingest``
(``--ingest-workers``) adds the second set to the same store. Each client walks a seeded mix
of requests: API statement lists with filters (speaker, outlet + date range, kind), full-text
search (API statements and articles, the web search page), article pages and story pages.
A client stops at the deadline or after ``MAX_REQUESTS_PER_CLIENT`` requests, whichever comes
first. The writer is stopped with SIGTERM at the end of its phase and says how many articles
it stored; the next run of the writer continues where it stopped.

Printed per phase: requests, requests/s, transport errors, 5xx and other non-2xx answers,
latency p50/p95/p99 (ms) over all requests and p95 per request kind, and the load average
before and after (the machine may be shared). Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx2

from served import free_port, quiet_env, quotegraph_command, start_server

MAX_REQUESTS_PER_CLIENT = 5_000
PAGE_LIMIT = 20

# --- the generated corpus -------------------------------------------------------------------

FIRST = (
    "Mara", "Jonas", "Ottilie", "Henrik", "Pia", "Amara", "Tomas", "Lena", "Idris", "Saga",
    "Viktor", "Noor", "Elias", "Freya", "Rasmus", "Ines", "Kasper", "Yara", "Anton", "Leila",
    "Bruno", "Dalia", "Emil", "Greta", "Hugo", "Iris", "Jakob", "Karin", "Linus", "Maja",
)  # fmt: skip
LAST = (
    "Vellin", "Ekwall", "Sandqvist", "Dalby", "Lundmark", "Okonkwo", "Brekke", "Rask",
    "Haddad", "Norling", "Aalto", "Kessler", "Marchetti", "Vidal", "Osei", "Lindqvist",
    "Ferreira", "Holm", "Ibsen", "Jovanovic", "Kowal", "Laine", "Moreau", "Nyberg",
)  # fmt: skip
ROLES = (
    "the harbour master", "the mayor", "a spokeswoman for the water board", "the union leader",
    "the regional health director", "the head of the chamber of commerce", "a councillor",
    "the finance director", "the chief engineer", "the school board chair", "a local pastor",
    "the transport minister", "the opposition leader", "a retired judge", "the fire chief",
)  # fmt: skip
TOWNS = (
    "Korsvik", "Amberlund", "Selmhaven", "Oster", "Valdholm", "Brisk", "Tollby", "Marnau",
    "Lurat", "Kembara", "Norhem", "Sildvik", "Greyport", "Hallow", "Ravensby", "Tamsel",
)  # fmt: skip
OUTLETS = (
    "Lantern Gazette", "Harbour Courier", "Riverside Wire", "Northgate Daily", "Meadow Post",
    "Granite Herald", "Beacon Ledger", "Coastal Observer",
)  # fmt: skip
TOPICS = (
    ("the river dikes", "raise the dikes before the autumn storms", "flood", "homeowners"),
    ("the ferry fares", "freeze ferry fares until the summer", "ferry", "commuters"),
    ("the flour tax", "scrap the tax on imported flour", "bakery", "bakers"),
    ("the port strike", "reopen the container terminal", "dockworkers", "shippers"),
    ("the hospital budget", "restore the hospital budget", "nurses", "patients"),
    ("the school roofs", "repair the school roofs this year", "classrooms", "parents"),
    ("the tram line", "finish the tram line to the harbour", "tram", "residents"),
    ("the grain barges", "let the grain barges through the locks", "barges", "farmers"),
    ("the wind farm", "approve the offshore wind farm", "turbines", "fishermen"),
    ("the rent freeze", "extend the rent freeze for two years", "tenants", "landlords"),
    ("the mine closure", "delay the closure of the copper mine", "miners", "suppliers"),
    ("the water meters", "replace the old water meters", "leaks", "households"),
)  # fmt: skip
OPENERS = (
    "We cannot wait for another winter", "Nobody in this town asked for this",
    "The numbers have been clear for months", "I have spoken to every family on the quay",
    "This is not a question of money", "We warned the council in writing",
    "Our members have been patient", "The plan was late and it is still late",
    "I have lived here for forty years", "Let me be very clear about one thing",
    "People keep telling me to be patient", "Nobody could have predicted the bill",
)  # fmt: skip
MIDDLES = (
    "the contractors have not been paid since {month}",
    "{count} families could lose their savings if the work slips again",
    "the inspectors found cracks in nearly every section they opened",
    "the ministry promised money twice and sent none of it",
    "we asked for the minutes of every meeting and got half a page",
    "{name} deserves better than another consultant's report",
    "the old estimate of {money} million crowns was never honest",
    "our engineers gave the board three options and it chose none",
    "the insurers have already doubled their premiums in {town}",
    "children walk past the fences every morning on their way to school",
    "the regional assembly has known about {name} since {month}",
    "a decision taken in a hurry will cost us for thirty years",
    "the neighbouring towns solved the same problem with half our budget",
    "volunteers have done more in a month than the agency did in a year",
    "there is a signed agreement and the other side must honour it",
    "the first tenders came back {weeks} weeks late and far over budget",
)  # fmt: skip
CLOSERS = (
    "and I will say so at every meeting until something changes",
    "and the people who pay for it deserve a straight answer",
    "but nobody can live on promises alone",
    "and we will not stop until the work is done",
    "which is why we want a vote before the end of the month",
    "and anyone who says otherwise has not read the report",
    "so the delay is a choice, not an accident",
    "and that is the whole story, whatever the press release says",
)  # fmt: skip
BACKGROUND = (
    "The dispute over {subject} began in {month}, when an inspection found that {count} "
    "{thing} had been left without support for most of the previous year.",
    "Council records show that {count} {people} wrote to the town hall about {subject} "
    "last year, more than in the three years before combined.",
    "An earlier plan to {goal} was dropped in {month} after its cost rose to {money} "
    "million crowns, roughly twice the first estimate.",
    "In {town}, where about {count} people live, {subject} has divided neighbours who "
    "usually agree on little else than the weather.",
    "The regional assembly is due to vote in {month}, and both camps have spent the past "
    "weeks knocking on doors and handing out leaflets at the market.",
    "Engineers hired by the town estimate that the work on {name} would take {weeks} weeks.",
    "Similar disputes in {other} and {other2} ended in compromises that neither side liked.",
    "A petition about {name} collected {count} signatures in {weeks} days, a record for the "
    "district.",
    "The {name} site sits between the old rope works and the railway embankment, a stretch "
    "of land the town bought from a shipping family after the war.",
    "Local shops say trade has fallen since the fences went up, and two cafes near {name} "
    "closed in {month}.",
    "Opponents point to a study from {other} that found the benefits had been overstated "
    "by almost a third.",
    "Supporters argue that every year of delay adds about {money} million crowns to the "
    "final bill.",
    "The town's auditors flagged the project in their spring report, noting that three "
    "invoices had been paid twice.",
    "A public meeting in the {name} community hall drew about {count} people on a rainy "
    "evening, and ran an hour past its scheduled end.",
    "The {org}, which has run the site since {month}, declined to publish its accounts.",
    "Residents of {street} say lorries for the {org} pass their windows before dawn.",
    "A lawyer for the {org} said the company had met every condition of its licence.",
    "The first fences went up on {street} in {month}, and the {org} has not said when "
    "they will come down.",
)  # fmt: skip
ORGANISATIONS = ("Trust", "Company", "Committee", "Foundation", "Works", "Cooperative")
TITLES = (
    "{town} row over {subject} deepens",
    "{org} under pressure over {name}",
    "Questions mount over {subject}",
    "{lead} defends {subject}",
    "{street} residents wait for answers on {name}",
)  # fmt: skip
SYLLABLES = (
    "bra", "ken", "hol", "ves", "sar", "o", "tun", "mel", "dor", "a", "lin", "gar", "ros",
    "vik", "el", "bur", "mon", "tes", "ka", "ren", "quil", "fen", "stad", "or",
)  # fmt: skip
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
START = date(2031, 1, 5)


@dataclass(frozen=True)
class Person:
    name: str
    role: str


@dataclass
class Event:
    """One news event: its own name (a made-up place or project), topic, people and day."""

    name: str
    org: str
    street: str
    town: str
    topic: tuple[str, str, str, str]
    day: date
    people: list[Person] = field(default_factory=list)

    @property
    def subject(self) -> str:
        return f"the {self.name} plan for {self.topic[0].removeprefix('the ')}"


def _person(rng: random.Random) -> Person:
    # Made-up surnames, so that people (and their store-wide speaker ids) belong to one event.
    surname = rng.choice((rng.choice(LAST), _made_up_name(rng), _made_up_name(rng)))
    return Person(f"{rng.choice(FIRST)} {surname}", rng.choice(ROLES))


def _made_up_name(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randrange(2, 4)))
    return word.capitalize()


def _event(rng: random.Random) -> Event:
    return Event(
        name=_made_up_name(rng),
        org=f"{_made_up_name(rng)} {rng.choice(ORGANISATIONS)}",
        street=f"{_made_up_name(rng)} Street",
        town=rng.choice(TOWNS),
        topic=rng.choice(TOPICS),
        day=START + timedelta(days=rng.randrange(1500)),
        people=[_person(rng) for _ in range(rng.randrange(3, 6))],
    )


def _fill(rng: random.Random, event: Event, template: str) -> str:
    _, goal, thing, people = event.topic
    return template.format(
        subject=event.subject,
        name=event.name,
        org=event.org,
        street=event.street,
        lead=event.people[0].name,
        goal=goal,
        thing=thing,
        people=people,
        town=event.town,
        month=rng.choice(MONTHS),
        count=f"{rng.randrange(12, 9000):,}",
        money=rng.randrange(3, 240),
        weeks=rng.randrange(3, 60),
        other=rng.choice(TOWNS),
        other2=rng.choice(TOWNS),
    )


def _quote(rng: random.Random, event: Event) -> str:
    middle = _fill(rng, event, rng.choice(MIDDLES))
    return f"{rng.choice(OPENERS)}: {middle}, {rng.choice(CLOSERS)}"


def _paragraph(rng: random.Random, event: Event) -> str:
    person = rng.choice(event.people)
    surname = person.name.split()[1]
    background = _fill(rng, event, rng.choice(BACKGROUND))
    kind = rng.randrange(6)
    if kind == 0:
        return f"\u201c{_quote(rng, event)},\u201d {surname} said. {background}"
    if kind == 1:
        return (
            f"{person.name}, {person.role}, said that the town would {event.topic[1]} only "
            f"if the regional assembly paid its share. {background}"
        )
    if kind == 2:
        return f"{surname} told reporters: \u201c{_quote(rng, event)}.\u201d {background}"
    if kind == 3:
        return (
            f"According to {person.name}, {rng.randrange(2, 80)} percent of the "
            f"{event.topic[3]} affected by {event.subject} had not been consulted. {background}"
        )
    return f"{background} {_fill(rng, event, rng.choice(BACKGROUND))}"


def _article(rng: random.Random, event: Event, number: int, outlet: str) -> str:
    day = event.day + timedelta(days=rng.randrange(4))
    lead = event.people[0]
    paragraphs = [
        f"{_fill(rng, event, rng.choice(TITLES))} ({number})",
        f"{outlet} | {day:%d %B %Y}",
        f"{event.town.upper()} \u2014 Officials in {event.town} set out a plan this week to "
        f"{event.topic[1]}, {lead.name}, {lead.role}, said on "
        f"{rng.choice(('Monday', 'Tuesday', 'Friday'))}.",
    ]
    paragraphs += [_paragraph(rng, event) for _ in range(rng.randrange(13, 17))]
    return "\n\n".join(paragraphs) + "\n"


def write_articles(directory: Path, count: int, *, seed: int, first_number: int) -> int:
    """``count`` articles as ``.txt`` files: events of four articles from different outlets
    a few days apart (stories for the story pages). Returns the words written."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    words = 0
    for n in range(count):
        if n % 4 == 0:
            event = _event(rng)
        number = first_number + n
        text = _article(rng, event, number, OUTLETS[(n + len(event.name)) % len(OUTLETS)])
        words += len(text.split())
        (directory / f"article_{number:05d}.txt").write_text(text, encoding="utf-8")
    return words


def ingest(corpus: Path, db: Path, workers: int) -> None:
    command = [*quotegraph_command(), "ingest", str(corpus), "--db", str(db)]
    subprocess.run([*command, "--workers", str(workers)], check=True, env=quiet_env())


# --- the server and the targets -------------------------------------------------------------


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@dataclass(frozen=True)
class Targets:
    """Ids and values that exist in the store, for the request mix."""

    speakers: list[str]
    outlets: list[str]
    articles: list[str]
    stories: list[str]
    words: list[str]


def find_targets(db: Path, rng: random.Random) -> Targets:
    # Read once, before the clients start; the server itself is only reached over HTTP.
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        speakers = [r[0] for r in conn.execute("SELECT DISTINCT speaker_id FROM statements")]
        outlets = [r[0] for r in conn.execute("SELECT DISTINCT outlet FROM articles")]
        articles = [r[0] for r in conn.execute("SELECT article_id FROM articles")]
        stories = [r[0] for r in conn.execute("SELECT story_id FROM stories")]
    finally:
        conn.close()
    words = ["dikes", "ferry", "flour", "terminal", "hospital", "roofs", "tram", "barges"]
    words += ["turbines", "rent", "copper", "meters", "council", "promises", "election"]
    for values in (speakers, articles, stories):
        rng.shuffle(values)
    return Targets([s for s in speakers if s], outlets, articles, stories, words)


def request_for(kind: str, targets: Targets, rng: random.Random) -> str:
    if kind == "api filter":
        choice = rng.randrange(3)
        if choice == 0:
            return f"/api/v1/statements?speaker={rng.choice(targets.speakers)}&limit={PAGE_LIMIT}"
        if choice == 1:
            since = START + timedelta(days=rng.randrange(600))
            outlet = rng.choice(targets.outlets)
            return (
                f"/api/v1/statements?outlet={outlet}&since={since}"
                f"&until={since + timedelta(days=90)}&limit={PAGE_LIMIT}"
            )
        return f"/api/v1/statements?kind=direct&limit={PAGE_LIMIT}"
    if kind == "search":
        word = rng.choice(targets.words)
        return rng.choice(
            (
                f"/api/v1/statements?q={word}&limit={PAGE_LIMIT}",
                f"/api/v1/articles?q={word}&limit={PAGE_LIMIT}",
                f"/search?q={word}",
            )
        )
    if kind == "article page":
        return f"/articles/{rng.choice(targets.articles)}"
    return f"/stories/{rng.choice(targets.stories)}"


KINDS = ("api filter", "search", "article page", "story page")


# --- the load -------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    transport_errors: Counter[str] = field(default_factory=Counter)


async def client(
    number: int, base: str, targets: Targets, deadline: float, tally: Tally, seed: int
) -> None:
    rng = random.Random(seed * 1000 + number)
    async with httpx2.AsyncClient(base_url=base, timeout=60) as http:
        for sent in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                return
            kind = KINDS[(number + sent) % len(KINDS)]
            path = request_for(kind, targets, rng)
            started = time.perf_counter()
            try:
                response = await http.get(path)
                await response.aread()
            except httpx2.TransportError as exc:
                tally.transport_errors[type(exc).__name__] += 1
                continue
            tally.latencies[kind].append((time.perf_counter() - started) * 1000)
            tally.statuses[response.status_code] += 1


async def run_clients(base: str, targets: Targets, clients: int, seconds: float) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    await asyncio.gather(
        *(client(n, base, targets, deadline, tally, seed=clients) for n in range(clients))
    )
    return tally


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    if len(samples) < 2:
        value = samples[0] if samples else float("nan")
        return value, value, value
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


@dataclass
class Writer:
    """``quotegraph ingest`` of the fresh articles into the served store, stopped by SIGTERM."""

    process: subprocess.Popen[str]
    before: int

    @classmethod
    def start(cls, corpus: Path, db: Path, workers: int) -> Writer:
        before = stored_articles(db)
        command = [*quotegraph_command(), "ingest", str(corpus), "--db", str(db)]
        process = subprocess.Popen(
            [*command, "--workers", str(workers)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=quiet_env(),
        )
        # The load starts once the writer has committed its first chunk: it is writing.
        deadline = time.monotonic() + 600
        while stored_articles(db) == before and process.poll() is None:
            if time.monotonic() > deadline:
                break
            time.sleep(0.5)
        return cls(process, before)

    def stop(self, db: Path) -> dict[str, Any]:
        running = self.process.poll() is None
        if running:
            self.process.send_signal(signal.SIGTERM)
        _, stderr = self.process.communicate(timeout=120)
        stopped = re.search(r"stopped after (\d+) articles", stderr)
        return {
            "writer_running_at_end": running,
            "writer_exit": self.process.returncode,
            "writer_message": stopped.group(0) if stopped else stderr.strip()[-200:],
            "articles_during_phase": stored_articles(db) - self.before,
        }


def stored_articles(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


def summary(phase: str, clients: int, seconds: float, tally: Tally) -> dict[str, Any]:
    every = [ms for samples in tally.latencies.values() for ms in samples]
    p50, p95, p99 = percentiles(every)
    return {
        "phase": phase,
        "clients": clients,
        "requests": len(every),
        "requests_per_s": round(len(every) / seconds, 1),
        "transport_errors": sum(tally.transport_errors.values()),
        "status_5xx": sum(n for code, n in tally.statuses.items() if code >= 500),
        "status_other_non_2xx": sum(n for code, n in tally.statuses.items() if 300 <= code < 500),
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95, 1),
        "p99_ms": round(p99, 1),
        "p95_ms_by_kind": {k: round(percentiles(v)[1], 1) for k, v in tally.latencies.items()},
        "errors_by_type": dict(tally.transport_errors),
    }


def measure(
    db: Path, fresh: Path, clients: int, seconds: float, ingest_workers: int
) -> list[dict[str, Any]]:
    port = free_port()
    server = start_server(db, port)
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        targets = find_targets(db, random.Random(clients))
        asyncio.run(run_clients(base, targets, clients, 3))  # warm the server's caches
        for phase in ("idle", "ingest"):
            writer = Writer.start(fresh, db, ingest_workers) if phase == "ingest" else None
            load_before = loadavg()
            started = time.monotonic()
            tally = asyncio.run(run_clients(base, targets, clients, seconds))
            elapsed = time.monotonic() - started
            row = summary(phase, clients, elapsed, tally)
            row["loadavg_before"], row["loadavg_after"] = load_before, loadavg()
            if writer is not None:
                row |= writer.stop(db)
            print(json.dumps(row), flush=True)
            rows.append(row)
    finally:
        stop_server(server)
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    print()
    print("| clients | store | requests/s | errors | 5xx | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        store = "idle" if row["phase"] == "idle" else "ingest writing"
        print(
            f"| {row['clients']} | {store} | {row['requests_per_s']} | "
            f"{row['transport_errors']} | {row['status_5xx']} | {row['p50_ms']} | "
            f"{row['p95_ms']} | {row['p99_ms']} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--fresh", type=int, default=1000, help="articles for the writer")
    parser.add_argument("--db", type=Path, help="store to use (built if missing)")
    parser.add_argument("--keep", type=Path, help="directory for the corpora and the store")
    parser.add_argument("--ingest-workers", type=int, default=1)
    args = parser.parse_args()

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="qg-load-"))
    db = args.db or workdir / "load.db"
    fresh = workdir / "fresh"
    if not fresh.exists():
        write_articles(fresh, args.fresh, seed=2, first_number=100_000)
    if not db.exists():
        corpus = workdir / "corpus"
        words = write_articles(corpus, args.articles, seed=1, first_number=1)
        print(f"building the store: {args.articles} articles, {words:,} words", flush=True)
        started = time.monotonic()
        ingest(corpus, db, workers=2)
        print(f"built in {time.monotonic() - started:.0f}s", flush=True)
    print(f"store {db}: {stored_articles(db)} articles; writer corpus {fresh}", flush=True)
    rows = []
    for clients in args.clients:
        rows += measure(db, fresh, clients, args.seconds, args.ingest_workers)
    print_table(rows)


if __name__ == "__main__":
    main()
