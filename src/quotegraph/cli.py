"""The ``quotegraph`` command line: parse arguments, call the library, format the output.

No SQL and no NLP here: every command is a thin wrapper over ``quotegraph.core``; the ``eval``
commands pass ``quotegraph.predictors`` (the system's answers) to ``quotegraph.evaluate``
(the scorers), and the ``train`` commands call ``quotegraph.train``. Logging is configured
here and only here.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress as RichProgress
from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

import quotegraph
from quotegraph.errors import QuotegraphError
from quotegraph.export import check_export
from quotegraph.ingest import check_inputs
from quotegraph.pipeline import Progress
from quotegraph.types import ACTS, IngestReport, RelationRecord, StoreStats, StorySummary

if TYPE_CHECKING:
    from quotegraph.corpus.matching import ClaimIndex

# Plain help (no boxes, no "<bool>" after flags) and -h as well as --help everywhere.
HELP_STYLE: dict[str, Any] = {
    "rich_markup_mode": None,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}

app = typer.Typer(
    help="Who said what, when, where - and who says otherwise.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    **HELP_STYLE,
)
eval_app = typer.Typer(
    help="Measure extraction quality against gold data.", no_args_is_help=True, **HELP_STYLE
)
app.add_typer(eval_app, name="eval")

console = Console()
errors = Console(stderr=True)

DbOption = Annotated[Path, typer.Option("--db", help="SQLite store file.")]
WorkersOption = Annotated[int, typer.Option("--workers", min=1, help="Parser processes.")]
AllCoresOption = Annotated[
    int,
    typer.Option("--workers", min=0, help="Worker processes; 0 (the default) = one per core."),
]


def sample_corpus_dir() -> Path:
    """The bundled sample corpus (fictional outlets, people and events)."""
    return Path(str(resources.files("quotegraph") / "data" / "sample"))


def _print_version(value: bool) -> None:
    if value:
        console.print(f"quotegraph {quotegraph.__version__}", markup=False, highlight=False)
        raise typer.Exit()


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    # Piped or redirected, Rich would wrap at 80 columns and cut lines mid-sentence, so
    # that `quotegraph summary | grep NAME` misses them: one record, one line.
    for out in (console, errors):
        out.soft_wrap = not out.is_terminal


def _heading(text: str) -> None:
    """A section heading: a rule across a terminal, a plain line in a pipe or a file
    (where a rule would be cut at 80 columns)."""
    if console.is_terminal:
        console.rule(f"[bold]{escape(text)}", align="left")
    else:
        console.print(text, markup=False, highlight=False)


def _say_if_new(db: Path) -> None:
    """Writing commands create the store when it is missing: say where."""
    if not db.exists():
        errors.print(f"creating a new store at {db.absolute()}", markup=False, highlight=False)


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH",
            help="Files or directories: .txt .html .jsonl .csv, web archives .warc .warc.gz, "
            "feeds .rss .atom .xml (RSS 2.0/Atom); any of them optionally .gz.",
        ),
    ],
    db: DbOption = Path("quotegraph.db"),
    workers: AllCoresOption = 0,
) -> None:
    """Read articles, extract who said what, and store it.

    Without --db the store is ./quotegraph.db (created when missing). Nothing is created
    when none of the inputs exists or none holds a supported file. SIGTERM or Ctrl-C stops
    it cleanly; the same command run again continues."""
    check_inputs(paths)
    _say_if_new(db)
    with _stop_on_signals() as stop, quotegraph.open(db) as qg:
        report = _ingest_with_progress(qg, [str(p) for p in paths], workers, stop=stop.event)
    if stop.signum:
        errors.print(
            f"stopped after {report.articles_added} articles; "
            "run the same command again to continue",
            markup=False,
        )
        raise typer.Exit(code=128 + stop.signum)
    _print_report(report, db)
    if report.failures:
        raise typer.Exit(code=1)


class _StopRequest:
    """Set by the first SIGINT or SIGTERM while a long command runs."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.signum = 0


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def _stop_on_signals() -> Iterator[_StopRequest]:
    """Turn the first SIGINT or SIGTERM into a graceful stop of the command (the library
    stops handing out work, ends its workers and keeps what it wrote); a second one acts as
    it would without this (KeyboardInterrupt, or termination)."""
    stop = _StopRequest()
    if threading.current_thread() is not threading.main_thread():
        yield stop  # only the main thread may set signal handlers
        return
    # getsignal() is None for a handler set outside Python; the default stands in for it.
    previous = {signum: signal.getsignal(signum) or signal.SIG_DFL for signum in STOP_SIGNALS}

    def request_stop(signum: int, frame: object) -> None:
        stop.signum = signum
        stop.event.set()
        for restored, handler in previous.items():
            signal.signal(restored, handler)

    for signum in STOP_SIGNALS:
        signal.signal(signum, request_stop)
    try:
        yield stop
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _ingest_with_progress(
    qg: quotegraph.Quotegraph,
    paths: list[str],
    workers: int,
    relative_to: Path | None = None,
    stop: threading.Event | None = None,
) -> IngestReport:
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with RichProgress(*columns, console=errors, transient=True) as progress:
        task = progress.add_task("ingesting", total=None)

        def update(p: Progress) -> None:
            progress.update(
                task,
                description=f"{p.articles_seen} articles read, {p.articles_added} added, "
                f"{p.statements_added} statements, {p.failures} failures",
            )

        return qg.ingest(
            paths, workers=workers, on_progress=update, relative_to=relative_to, stop=stop
        )


def _print_report(report: IngestReport, db: Path) -> None:
    rate = report.articles_added / report.seconds if report.seconds else 0.0
    console.print(
        f"[bold]{report.articles_added}[/] articles added "
        f"({report.articles_skipped_duplicate} already stored), "
        f"[bold]{report.statements_added}[/] statements, {report.figures_added} figures "
        f"into {db} in {report.seconds:.1f}s ({rate:.1f} articles/s)"
    )
    _print_report_corpus(report)
    if report.records_skipped:
        reasons = ", ".join(f"{n} {reason}" for reason, n in report.skipped_reasons.items())
        console.print(f"{report.records_skipped} records skipped: {reasons}", markup=False)
    if report.failures:
        errors.print(f"[bold red]{len(report.failures)} input(s) failed:[/]")
        for failure in report.failures:
            # The message is the coded error's description: code, summary, source, detail.
            errors.print(f"  {failure.message}", markup=False, soft_wrap=True)


DEMO_STATEMENTS_PER_STORY = 4
DEMO_RELATIONS = 3


@app.command()
def demo(
    db: DbOption = Path("quotegraph.db"),
    workers: WorkersOption = 1,
) -> None:
    """Ingest the bundled sample corpus and print a few statements of each story."""
    _say_if_new(db)
    with quotegraph.open(db) as qg:
        # Stored as sample/<file>, not as a path inside this machine's installed package.
        sample = sample_corpus_dir()
        report = _ingest_with_progress(qg, [str(sample)], workers, relative_to=sample.parent)
        _print_report(report, db)
        _print_stories(qg.stories(), most=DEMO_STATEMENTS_PER_STORY)
        _print_relations(list(qg.relations()), most=DEMO_RELATIONS)
    console.print(f"\nEverything, story by story: quotegraph summary --db {db}", markup=False)
    if report.failures:
        raise typer.Exit(code=1)


@app.command()
def summary(
    db: DbOption = Path("quotegraph.db"),
    act: Annotated[
        str,
        typer.Option(
            "--act",
            help="speech (words said or written), belief, intention, action, or all.",
        ),
    ] = "speech",
) -> None:
    """Print who said what in the store, story by story."""
    if act != "all" and act not in ACTS:
        raise QuotegraphError("E044", detail=f"--act must be one of {', '.join(ACTS)} or all")
    with quotegraph.open(db, readonly=True) as qg:
        _print_stories(qg.stories(act=None if act == "all" else act))
        _print_relations(list(qg.relations()))


def _print_relations(relations: list[RelationRecord], most: int | None = None) -> None:
    """Agreements and contradictions, contradictions first, each with its evidence; at
    most ``most`` of each kind (the strongest)."""
    for kind, heading in (("contradicts", "Contradictions"), ("agrees", "Agreements")):
        chosen = [r for r in relations if r.relation.relation == kind]
        _heading(f"{heading} ({len(chosen)})")
        for found in chosen[:most]:
            for side in (found.a, found.b):
                who = side.statement.speaker or "(unknown)"
                when = (side.published or "")[:10]
                console.print(
                    f"  [cyan]{escape(when)}[/] [magenta]{escape(side.outlet or '?')}[/] "
                    f"[bold]{escape(who)}[/]: ",
                    end="",
                )
                console.print(_shorten(side.statement.content, 140), markup=False)
            turned = "reversal (one speaker, two days): " if found.relation.reversal else ""
            console.print(
                f"    [dim]{turned}{escape(found.relation.evidence)} "
                f"(score {found.relation.score:.2f})[/]"
            )
        _print_more(len(chosen), most)


def _print_more(total: int, shown: int | None) -> None:
    if shown is not None and total > shown:
        console.print(f"  … and {total - shown} more", style="dim", highlight=False)


def _print_report_corpus(report: IngestReport) -> None:
    corpus = report.corpus
    if corpus is None:
        return
    took = sum(corpus.seconds.values())
    console.print(
        f"corpus passes: {corpus.speakers_merged} speakers merged, "
        f"{corpus.copies_linked} copies linked, "
        f"{corpus.articles_placed} articles placed in stories ({corpus.stories_created} new), "
        f"{corpus.relations_found} agreements/contradictions, {corpus.claims_created} claims "
        f"in {took:.1f}s",
        markup=False,
    )


def _print_stories(stories: list[StorySummary], most: int | None = None) -> None:
    """Each story with its statements in order (the first ``most`` of them)."""
    # Titles, names and outlets are article text: escaped, never read as Rich markup.
    for number, item in enumerate(stories, 1):
        story = item.story
        span = f"{story.first_published or '?'} to {story.last_published or '?'}"
        _heading(f"Story {number}: {story.title}")
        outlets = escape(", ".join(story.outlets) or "?")
        console.print(f"{len(story.article_ids)} articles from {outlets}, {span}", style="dim")
        for record in item.statements[:most]:
            statement = record.statement
            who = statement.speaker or (
                f"({statement.speaker_type}: {statement.speaker_mention})"
                if statement.speaker_mention
                else "(unknown)"
            )
            when = escape((record.published or "")[:10])
            cue = escape(statement.cue or "")
            kind = (
                statement.kind
                if statement.act == "speech"
                else f"{statement.kind}, {statement.act}"
            )
            console.print(
                f"  [cyan]{when}[/] [magenta]{escape(record.outlet or '?')}[/] "
                f"[bold]{escape(who)}[/] [dim]{cue} ({kind})[/]: ",
                end="",
            )
            console.print(_shorten(statement.content, 160), markup=False, highlight=False)
        _print_more(len(item.statements), most)


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@app.command()
def export(
    table: Annotated[
        str,
        typer.Argument(
            help="statements, figures, articles, speakers, stories, claims or contradictions "
            "(contradictions holds both relations: 'contradicts' and 'agrees')."
        ),
    ],
    db: DbOption = Path("quotegraph.db"),
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    out: Annotated[
        Path | None, typer.Option("--out", help="Output file (default: stdout).")
    ] = None,
) -> None:
    """Export one table, one record per line."""
    check_export(table, fmt)
    with quotegraph.open(db, readonly=True) as qg:
        target: TextIO
        with (
            out.open("w", encoding="utf-8", newline="") if out else nullcontext(sys.stdout)
        ) as target:
            count = qg.export(table, target, fmt)
    if out:
        errors.print(f"{count} {table} rows written to {out}")


@app.command()
def failures(db: DbOption = Path("quotegraph.db")) -> None:
    """List the inputs that could not be ingested."""
    with quotegraph.open(db, readonly=True) as qg:
        found = 0
        for found, failure in enumerate(qg.failures(), 1):  # noqa: B007 - counted for below
            console.print(f"[{failure.stage}] {failure.message}", markup=False, soft_wrap=True)
    if not found:
        errors.print(f"no failures in {db}", markup=False, highlight=False)


@app.command()
def stats(
    db: DbOption = Path("quotegraph.db"),
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object, for scripts.")] = False,
) -> None:
    """What the store holds: articles, statements, speakers, stories, disputes."""
    with quotegraph.open(db, readonly=True) as qg:
        found = qg.stats()
    if as_json:
        document = asdict(found)
        document["statements_by_kind"] = dict(found.statements_by_kind)
        console.print_json(json.dumps(document))
    else:
        console.print(_stats_table(found, db))


def _stats_table(found: StoreStats, db: Path) -> Table:
    kinds = ", ".join(f"{n:,} {kind}" for kind, n in found.statements_by_kind)
    dates = f"{found.first_published or '?'} to {found.last_published or '?'}"
    rows = [
        ("articles", f"{found.articles:,}", f"from {found.outlets:,} outlets, {dates}"),
        ("statements", f"{found.statements:,}", kinds),
        ("speakers", f"{found.speakers:,}", ""),
        ("stories", f"{found.stories:,}", "articles about one event, across outlets"),
        ("claims", f"{found.claims:,}", "statements for and against one assertion"),
        ("contradictions", f"{found.contradictions:,}", "pairs of statements"),
        ("agreements", f"{found.agreements:,}", "pairs of statements"),
        ("figures", f"{found.figures:,}", ""),
        ("failures", f"{found.failures:,}", "inputs not ingested: quotegraph failures"),
    ]
    table = Table(title=str(db), title_justify="left", box=None, show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right", style="bold")
    table.add_column("note", style="dim")
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    return table


@app.command("batch")
def batch_command(
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH", help="Files or directories, as for ingest.")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="New or empty directory for the Parquet shards.")
    ],
    engine: Annotated[
        str, typer.Option("--engine", help="local (worker processes) or ray (Ray Data).")
    ] = "local",
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=0, help="Worker processes or Ray actors; 0 = one per core/CPU."
        ),
    ] = 0,
    address: Annotated[
        str | None,
        typer.Option("--address", help="Ray cluster to join (ray engine), e.g. 'auto'."),
    ] = None,
    files_per_task: Annotated[
        int | None, typer.Option("--files-per-task", min=1, help="Input files per Ray task.")
    ] = None,
) -> None:
    """Extract who said what into Parquet shards, without a store (load them with 'load')."""
    from quotegraph.batch import run_batch

    # The ray engine does not look at a stop request, so Ray keeps its own signal handling.
    stopping = _stop_on_signals() if engine == "local" else nullcontext(_StopRequest())
    with stopping as stop:
        report = run_batch(
            [str(p) for p in paths],
            out,
            engine=engine,
            workers=workers,
            address=address,
            files_per_task=files_per_task,
            stop=stop.event,
        )
    if stop.signum:
        errors.print(
            f"stopped after {report.articles} articles; {out} is an unfinished run that "
            "'load' refuses: remove it, then run the same command again",
            markup=False,
        )
        raise typer.Exit(code=128 + stop.signum)
    rate = report.articles / report.seconds if report.seconds else 0.0
    console.print(
        f"[bold]{report.articles}[/] articles, [bold]{report.statements}[/] statements, "
        f"{report.figures} figures, {report.failures} failures in {len(report.parts)} parts "
        f"written to {escape(str(out))} ({report.engine}, {report.workers} workers) in "
        f"{report.seconds:.1f}s ({rate:.1f} articles/s)"
    )
    if report.failures:
        errors.print(
            f"{report.failures} input(s) failed: listed in {out / 'failures'}; "
            "'quotegraph load' records them in the store",
            markup=False,
        )
        raise typer.Exit(code=1)


@app.command()
def load(
    out: Annotated[Path, typer.Argument(help="Directory written by 'quotegraph batch'.")],
    db: DbOption = Path("quotegraph.db"),
    corpus_passes: Annotated[
        bool,
        typer.Option(
            "--corpus-passes/--no-corpus-passes",
            help="Run the corpus passes after loading (skip them when loading several "
            "directories, then run them with the last one).",
        ),
    ] = True,
) -> None:
    """Merge the Parquet shards of a finished batch run into the store."""
    _say_if_new(db)
    with quotegraph.open(db) as qg:
        report = qg.load(out, corpus_passes=corpus_passes)
    console.print(
        f"[bold]{report.articles_added}[/] articles added "
        f"({report.articles_seen - report.articles_added} already stored), "
        f"[bold]{report.statements_added}[/] statements, {report.figures_added} figures, "
        f"{report.failures} failures from {report.parts} parts into {escape(str(db))} "
        f"in {report.seconds:.1f}s"
    )
    if report.corpus is not None:
        done = {k: v for k, v in asdict(report.corpus).items() if k != "seconds"}
        console.print("corpus passes: " + ", ".join(f"{k} {v}" for k, v in done.items()))


@app.command()
def serve(
    db: DbOption = Path("quotegraph.db"),
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="QUOTEGRAPH_TOKEN",
            show_default=False,
            help="Bearer token for writes (POST /api/v1/articles); without one the server "
            "is read-only.",
        ),
    ] = None,
) -> None:
    """Serve the store: a JSON API under /api/v1 and a web UI (needs the 'web' extra).

    The store must exist: create it with 'quotegraph ingest'."""
    from quotegraph.serve import ServeConfig, run_server

    quotegraph.open(db, readonly=True).close()  # a mistyped --db is E034, not an empty site
    config = ServeConfig(db=db, token=token)
    mode = "writes need the token" if config.writes_enabled else "read-only"
    errors.print(f"serving {db} on http://{host}:{port}/ ({mode})", markup=False)
    run_server(config, host=host, port=port)


train_app = typer.Typer(
    help="Fit the project's own models on annotated data. Without --out a trainer writes to a "
    "new folder under ./trained/; --replace-shipped overwrites the model inside the package.",
    no_args_is_help=True,
    **HELP_STYLE,
)
app.add_typer(train_app, name="train")

TrainOutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Where to write the model (default: a new folder in ./trained/)."),
]
ReplaceShippedOption = Annotated[
    bool,
    typer.Option(
        "--replace-shipped",
        help="Overwrite the model shipped inside the package (a deliberate step; see README).",
    ),
]


def _command_line(context: typer.Context) -> str:
    """The running command as typed, from what the CLI parsed (for a model's provenance)."""
    words = ["quotegraph", *context.command_path.split()[1:]]
    for name, value in context.params.items():
        if value is None or value is False:
            continue
        flag = "--" + name.replace("_", "-")
        words += [flag] if value is True else [flag, str(value)]
    return " ".join(words)


def _write_json_model(target: Path, document: dict[str, Any], *, indent: int | None) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    separators = None if indent else (",", ":")
    text = json.dumps(document, indent=indent, separators=separators)
    target.write_text(text + "\n", encoding="utf-8")


@train_app.command("confidence")
def train_confidence_command(
    ctx: typer.Context,
    data: Annotated[
        Path | None, typer.Option("--data", help="PolNeAR folder (with train/).")
    ] = None,
    split: Annotated[str, typer.Option("--split", help="Split to fit on.")] = "train",
    out: TrainOutOption = None,
    replace_shipped: ReplaceShippedOption = False,
    workers: WorkersOption = 2,
) -> None:
    """Fit statement confidence on gold attributions (fit on train, check with eval on dev)."""
    from quotegraph.evaluate.polnear_gold import default_data_dir
    from quotegraph.extract.confidence import TABLE_FILE, table_path
    from quotegraph.train.confidence import train_confidence
    from quotegraph.train.provenance import output_path, provenance

    target = output_path(
        "confidence", TABLE_FILE, table_path(), out=out, replace_shipped=replace_shipped
    )
    data_dir = data or default_data_dir()
    table = train_confidence(data_dir, split, workers=workers)
    table["provenance"] = provenance(
        [data_dir / split], {"split": split}, command=_command_line(ctx)
    )
    _write_json_model(target, table, indent=1)
    errors.print(f"{len(table['buckets'])} confidence buckets written to {target}", markup=False)


@train_app.command("attribution")
def train_attribution_command(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="PolNeAR-shaped folder: <split>/text/*.txt and <split>/attributions/*.ann (brat).",
        ),
    ] = None,
    split: Annotated[str, typer.Option("--split", help="Split to fit on.")] = "train",
    tune_split: Annotated[
        str,
        typer.Option("--tune-split", help="Split to choose the threshold on; 'none' keeps 0.5."),
    ] = "dev",
    out: TrainOutOption = None,
    replace_shipped: ReplaceShippedOption = False,
    workers: WorkersOption = 2,
) -> None:
    """Fit the learned attribution model (which verbs attribute, and which of their
    dependents are speaker and content); under 2 minutes on PolNeAR train and dev."""
    from quotegraph.evaluate.polnear_gold import default_data_dir
    from quotegraph.extract.learned import MODEL_PATH
    from quotegraph.train.attribution import train_attribution
    from quotegraph.train.provenance import output_path, provenance

    target = output_path(
        "attribution", MODEL_PATH.name, MODEL_PATH, out=out, replace_shipped=replace_shipped
    )
    data_dir = data or default_data_dir()
    tune = None if tune_split.lower() == "none" else tune_split
    document = train_attribution(data_dir, split, tune_split=tune, workers=workers)
    used = [data_dir / split] + ([data_dir / tune] if tune else [])
    settings = {"split": split, "tune_split": tune}
    document["provenance"] = provenance(used, settings, command=_command_line(ctx))
    _write_json_model(target, document, indent=None)
    errors.print(
        f"attribution model written to {target} (threshold {document['threshold']}, "
        f"{len(document['cue']['weights'])} cue and {len(document['argument']['weights'])} "
        "argument features)",
        markup=False,
    )


@train_app.command("stance")
def train_stance_command(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="FNC-1 folder (train_*.csv, arc/); default ../shared."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Model folder (default: a new folder in ./trained/)."),
    ] = None,
    replace_shipped: ReplaceShippedOption = False,
    tune: Annotated[
        bool,
        typer.Option(
            "--tune",
            help="Fit on inner-train, print inner-dev figures, write nothing "
            "unless --out is given.",
        ),
    ] = False,
) -> None:
    """Fit the stance model on FNC-1 train (minus the held-out bodies) and ARC train."""
    from quotegraph.corpus.stance import model_dir
    from quotegraph.evaluate.fnc1 import default_data_dir
    from quotegraph.train.provenance import output_path
    from quotegraph.train.stance import train_stance

    target = None
    if out is not None or replace_shipped or not tune:
        target = output_path("stance", None, model_dir(), out=out, replace_shipped=replace_shipped)
    # The JSON report names the folder written (``written_to``).
    report = train_stance(data or default_data_dir(), target, tune=tune, command=_command_line(ctx))
    console.print_json(json.dumps(report))


TaggerOption = Annotated[
    str,
    typer.Option(
        "--tagger",
        help="Attribution tagger: 'shipped' (the default extraction), 'none', 'on' (the "
        "shipped tagger even where it is off by default) or a model folder.",
    ),
]


@eval_app.command("polnear")
def eval_polnear(
    data: Annotated[Path | None, typer.Option("--data", help="PolNeAR folder (with dev/).")] = None,
    split: Annotated[str, typer.Option("--split", help="train or dev.")] = "dev",
    limit: Annotated[int | None, typer.Option("--limit", help="First N articles only.")] = None,
    offset: Annotated[
        int, typer.Option("--offset", min=0, help="Skip the first N articles (sorted by name).")
    ] = 0,
    workers: WorkersOption = 2,
    tagger: TaggerOption = "shipped",
) -> None:
    """Score attribution against PolNeAR gold; prints JSON."""
    from quotegraph.evaluate.polnear import evaluate_polnear
    from quotegraph.evaluate.polnear_gold import default_data_dir
    from quotegraph.predictors import statements_by_name

    predict = statements_by_name(workers, tagger)
    result = evaluate_polnear(
        data or default_data_dir(), split, predict, limit=limit, offset=offset
    )
    console.print_json(json.dumps(result))


@eval_app.command("fnc1")
def eval_fnc1(
    bodies: Annotated[Path, typer.Option("--bodies", help="FNC-1 style bodies CSV.")],
    stances: Annotated[Path, typer.Option("--stances", help="FNC-1 style stances CSV.")],
    holdout: Annotated[
        bool,
        typer.Option("--holdout", help="Only the bodies the shipped model held out of training."),
    ] = False,
    model: Annotated[
        Path | None, typer.Option("--model", help="Model folder (default: the shipped one).")
    ] = None,
) -> None:
    """Score the stance model (macro-F1, F1 per class, FNC score); prints JSON."""
    from functools import partial

    from quotegraph.corpus.stance import predict_labels
    from quotegraph.evaluate.fnc1 import evaluate_fnc1

    predict = partial(predict_labels, directory=model)
    result = evaluate_fnc1(bodies, stances, holdout=holdout, predict=predict)
    console.print_json(json.dumps(result))


@eval_app.command("pairs")
def eval_pairs(
    data: Annotated[Path, typer.Option("--data", help="JSONL: premise, hypothesis, label.")],
    model: Annotated[
        Path | None, typer.Option("--model", help="Pair model folder (default: the shipped one).")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="First N pairs.")] = None,
) -> None:
    """Score the pair model on labelled sentence pairs (accuracy, macro-F1); prints JSON."""
    from quotegraph.corpus.pair_model import load_pair_model
    from quotegraph.evaluate.pairs import read_pairs, score_pairs

    pairs = read_pairs(data)[:limit]
    scorer = load_pair_model(model)
    probabilities = scorer.probabilities([(p.premise, p.hypothesis) for p in pairs])
    console.print_json(json.dumps(score_pairs([p.label for p in pairs], probabilities)))


@eval_app.command("relations")
def eval_relations(
    gold: Annotated[
        Path,
        typer.Option("--gold", help="Relation gold pairs (JSONL)."),
    ] = Path("tests/quality/relations_gold.jsonl"),
    data: Annotated[
        Path | None, typer.Option("--data", help="PolNeAR folder (with dev/, train/).")
    ] = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="Pair model folder (default: the shipped one).")
    ] = None,
    pairs: Annotated[
        bool, typer.Option("--pairs", help="Also list each pair with its verdict.")
    ] = False,
) -> None:
    """Agrees / contradicts on real-news gold pairs: precision and recall by split; JSON."""
    from quotegraph.corpus.pair_model import load_pair_model
    from quotegraph.evaluate.polnear_gold import default_data_dir
    from quotegraph.evaluate.relations import load_relations_gold, score_relations
    from quotegraph.predictors import judged_gold_pairs

    gold_pairs = load_relations_gold(gold, data or default_data_dir())
    verdicts = judged_gold_pairs(gold_pairs, load_pair_model(model))
    result = score_relations(gold_pairs, [v.kind for v in verdicts])
    if pairs:
        result["pairs"] = [
            {
                "id": g.pair_id,
                "split": g.split,
                "gold": g.label,
                "predicted": v.kind,
                "agrees": round(v.agrees, 3),
                "contradicts": round(v.contradicts, 3),
                "evidence": v.evidence,
            }
            for g, v in zip(gold_pairs, verdicts, strict=True)
        ]
    console.print_json(json.dumps(result))


@eval_app.command("speakers")
def eval_speakers(
    gold: Annotated[
        Path, typer.Option("--gold", help="Speaker gold JSONL (tests/quality/speaker_gold.jsonl).")
    ],
    data: Annotated[Path | None, typer.Option("--data", help="PolNeAR folder.")] = None,
    batches: Annotated[
        int, typer.Option("--batches", min=1, help="Ingest in N batches, linking after each.")
    ] = 1,
    workers: WorkersOption = 2,
) -> None:
    """Score cross-article speaker identity (B-cubed) with and without linking; prints JSON."""
    from quotegraph.evaluate.polnear_gold import default_data_dir
    from quotegraph.evaluate.speakers import evaluate_speakers
    from quotegraph.predictors import linked_speaker_ids, statements_by_name

    predict = statements_by_name(workers)
    result = evaluate_speakers(
        data or default_data_dir(), gold, predict, linked_speaker_ids, batches=batches
    )
    console.print_json(json.dumps(result))


@eval_app.command("resolution")
def eval_resolution(
    gold: Annotated[
        Path,
        typer.Option("--gold", help="Resolution gold JSONL (tests/quality/resolution_gold.jsonl)."),
    ],
    data: Annotated[Path | None, typer.Option("--data", help="PolNeAR folder (with dev/).")] = None,
    workers: WorkersOption = 2,
) -> None:
    """Score in-article resolution of pronoun and description sources; prints JSON."""
    from quotegraph.evaluate.polnear_gold import default_data_dir
    from quotegraph.evaluate.resolution import evaluate_resolution
    from quotegraph.predictors import statements_by_name

    result = evaluate_resolution(data or default_data_dir(), gold, statements_by_name(workers))
    console.print_json(json.dumps(result))


@eval_app.command("stories")
def eval_stories(
    events: Annotated[
        Path, typer.Option("--events", help="Events gold JSONL (tests/quality/events_gold.jsonl).")
    ],
    reprints: Annotated[
        Path,
        typer.Option("--reprints", help="Reprint gold JSONL (tests/quality/reprints_gold.jsonl)."),
    ],
    data: Annotated[Path | None, typer.Option("--data", help="PolNeAR folder.")] = None,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="A store that already holds PolNeAR train+dev (ingested as JSONL with outlet "
            "and date); by default the articles go into a fresh in-memory store.",
        ),
    ] = None,
) -> None:
    """Score stories (B-cubed over the gold events' articles) and copies (share of gold
    reprint pairs linked) on PolNeAR train+dev; prints JSON."""
    from quotegraph.evaluate.polnear_gold import default_data_dir
    from quotegraph.evaluate.stories import (
        load_events,
        load_reprints,
        polnear_articles,
        score_stories,
    )

    articles = polnear_articles(data or default_data_dir())
    gold_events, gold_reprints = load_events(events), load_reprints(reprints)
    # An existing store is only read (one made before migration 6 must be opened read-write
    # once, by an ingest, which places its articles again).
    with quotegraph.open(db if db is not None else ":memory:", readonly=db is not None) as qg:
        if db is None:
            qg.add_unanalysed(article for _, article in articles)
        story_of, copy_of = qg.story_of_articles(), qg.copy_links()
    article_of = {name: article.article_id for name, article in articles}
    result = score_stories(gold_events, gold_reprints, article_of, story_of, copy_of)
    console.print_json(json.dumps(result))


EmbedderOption = Annotated[
    str, typer.Option("--embedder", help="auto (minilm if installed), minilm or wordllama.")
]


@eval_app.command("checkthat")
def eval_checkthat(
    claims: Annotated[
        Path | None, typer.Option("--claims", help="verified_claims.docs.tsv (default: ../shared).")
    ] = None,
    queries: Annotated[
        Path | None, typer.Option("--queries", help="tweets.queries.tsv (default: dev split).")
    ] = None,
    qrels: Annotated[
        Path | None, typer.Option("--qrels", help="tweet-vclaim-pairs.qrels (default: dev).")
    ] = None,
    embedder: EmbedderOption = "auto",
) -> None:
    """Score claim matching on CheckThat! 2020 task 2 (MAP@k, MRR, P@1); prints JSON."""
    from quotegraph.corpus.embed import load_embedder
    from quotegraph.corpus.matching import match_claims
    from quotegraph.evaluate.checkthat import default_data_dir, evaluate_checkthat, split_files

    defaults = split_files(default_data_dir(), "dev")
    model = load_embedder(embedder)
    result = evaluate_checkthat(
        claims or defaults[0],
        queries or defaults[1],
        qrels or defaults[2],
        lambda q, c: match_claims(q, c, k=10, embedder=model),
    )
    console.print_json(json.dumps({**result, "embedder": model.name}))


@train_app.command("relations")
def train_relations_command(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="The shared data folder (with nli/ and fnc-1/)."),
    ] = None,
    out: TrainOutOption = None,
    replace_shipped: ReplaceShippedOption = False,
    epochs: Annotated[
        float, typer.Option("--epochs", min=0.01, help="Passes over the pairs.")
    ] = 1.0,
    threads: Annotated[int, typer.Option("--threads", min=1, help="Torch threads.")] = 2,
    scale: Annotated[
        float,
        typer.Option("--scale", min=0.001, help="Share of each source's pair limit to draw."),
    ] = 1.0,
    init: Annotated[
        Path | None,
        typer.Option("--init", help="Start from this --save-torch checkpoint (a second stage)."),
    ] = None,
    real_news: Annotated[
        Path | None,
        typer.Option("--real-news", help="Labelled real-news pairs (relations-gold JSONL, train)."),
    ] = None,
    real_news_repeat: Annotated[
        int, typer.Option("--real-news-repeat", min=1, help="Times each real-news pair is drawn.")
    ] = 1,
    only_real_news: Annotated[
        bool, typer.Option("--only-real-news", help="Train on the real-news pairs alone.")
    ] = False,
    save_torch: Annotated[
        Path | None,
        typer.Option("--save-torch", help="Also keep the float torch model in this folder."),
    ] = None,
) -> None:
    """Fine-tune MiniLM into the pair model (entails / neutral / contradicts), export int8 ONNX."""
    from dataclasses import replace

    from quotegraph.corpus.pair_model import model_dir
    from quotegraph.train.provenance import output_path
    from quotegraph.train.relations import RelationTrainSettings, train_relations

    target = output_path("relations", None, model_dir(), out=out, replace_shipped=replace_shipped)
    base = RelationTrainSettings()
    limits = tuple((source, max(1, int(n * scale))) for source, n in base.limits)
    if only_real_news and real_news is None:
        raise QuotegraphError("E044", detail="--only-real-news needs --real-news FILE")
    settings = replace(
        base,
        epochs=epochs,
        threads=threads,
        limits=limits,
        init=str(init or ""),
        real_news=str(real_news or ""),
        real_news_repeat=real_news_repeat,
        only_real_news=only_real_news,
    )
    data_dir = data or _shared_data_dir()

    def progress(step: int, steps: int, loss: float) -> None:
        if step % 50 == 0 or step == steps:
            errors.print(f"step {step}/{steps}  loss {loss:.4f}", markup=False)

    report = train_relations(
        data_dir,
        target,
        settings,
        command=_command_line(ctx),
        progress=progress,
        save_torch=save_torch,
    )
    console.print_json(json.dumps(report))
    errors.print(f"pair model written to {target}", markup=False)


def _shared_data_dir() -> Path:
    """``$QUOTEGRAPH_SHARED/data``, else ``../shared/data`` beside the checkout."""
    from quotegraph.evaluate.fnc1 import default_data_dir

    return default_data_dir().parent


@train_app.command("story-vectors")
def train_story_vectors_command(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="PolNeAR folder whose titles and leads measure the export."),
    ] = None,
    out: TrainOutOption = None,
    replace_shipped: ReplaceShippedOption = False,
) -> None:
    """Export the shipped MiniLM as the story pass's int8 ONNX encoder; prints what it costs."""
    from quotegraph.corpus.embed import story_vectors_dir
    from quotegraph.corpus.stories import lead_text
    from quotegraph.evaluate.polnear_gold import default_data_dir
    from quotegraph.evaluate.stories import polnear_articles
    from quotegraph.train.provenance import output_path, provenance
    from quotegraph.train.story_vectors import MAX_LENGTH, export_story_vectors

    target = output_path(
        "story-vectors", None, story_vectors_dir(), out=out, replace_shipped=replace_shipped
    )
    data_dir = data or default_data_dir()
    articles = polnear_articles(data_dir)
    texts = [lead_text(article.title, article.text) for _, article in articles]
    record = provenance(
        [data_dir / "metadata.tsv"], {"max_length": MAX_LENGTH}, command=_command_line(ctx)
    )
    report = export_story_vectors(target, texts, provenance=record)
    console.print_json(json.dumps(report))
    errors.print(f"story vectors written to {target}", markup=False)


@train_app.command("tagger")
def train_tagger_command(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="PolNeAR folder: train/text and train/attributions."),
    ] = None,
    articles: Annotated[
        int,
        typer.Option("--articles", min=1, help="Fit on the first N train articles in name order."),
    ] = 560,
    tune_articles: Annotated[
        int,
        typer.Option(
            "--tune-articles",
            min=0,
            help="Choose the threshold on the next N train articles (0: keep 0.5).",
        ),
    ] = 80,
    epochs: Annotated[float, typer.Option("--epochs", min=0.05)] = 2.0,
    threads: Annotated[int, typer.Option("--threads", min=1)] = 2,
    learning_rate: Annotated[float, typer.Option("--learning-rate", min=0.0)] = 5e-5,
    init: Annotated[
        Path | None,
        typer.Option("--init", help="Start from this torch state dict (an earlier --save-torch)."),
    ] = None,
    save_torch: Annotated[
        Path | None,
        typer.Option("--save-torch", help="Also save the fitted torch state dict here."),
    ] = None,
    out: TrainOutOption = None,
    replace_shipped: ReplaceShippedOption = False,
) -> None:
    """Fine-tune MiniLM as the attribution tagger (cue, source and content as BIO tags) and
    export it as int8 ONNX; about 40 minutes on 2 CPU cores."""
    from quotegraph.evaluate.polnear_gold import default_data_dir, load_split
    from quotegraph.extract.tagger import MODEL_DIR, AttributionTagger
    from quotegraph.train.provenance import output_path, provenance
    from quotegraph.train.tagger import (
        TaggerSettings,
        choose_threshold,
        set_threshold,
        train_tagger,
    )

    target = output_path("tagger", None, MODEL_DIR, out=out, replace_shipped=replace_shipped)
    data_dir = data or default_data_dir()
    train_docs = load_split(data_dir, "train")
    fit, tune = train_docs[:articles], train_docs[articles : articles + tune_articles]
    settings = TaggerSettings(
        epochs=epochs, threads=threads, learning_rate=learning_rate, init=str(init or "")
    )
    used = [data_dir / "train"] + ([init] if init else [])
    record = provenance(used, asdict(settings), command=_command_line(ctx))

    def progress(step: int, steps: int, loss: float) -> None:
        if step % 50 == 0 or step == steps:
            errors.print(f"step {step}/{steps}  loss {loss:.4f}", markup=False)

    report = train_tagger(
        fit, target, settings, provenance=record, progress=progress, save_torch=save_torch
    )
    if tune:
        report["tuning"] = choose_threshold(AttributionTagger(target), tune)
        set_threshold(target, report["tuning"]["chosen"])
    console.print_json(json.dumps(report))
    errors.print(f"attribution tagger written to {target}", markup=False)


@train_app.command("claim-ranker")
def train_claim_ranker_command(
    ctx: typer.Context,
    data: Annotated[
        Path | None, typer.Option("--data", help="CheckThat! 2020 task-2 folder (with train/).")
    ] = None,
    split: Annotated[str, typer.Option("--split", help="Split to fit on.")] = "train",
    out: TrainOutOption = None,
    replace_shipped: ReplaceShippedOption = False,
) -> None:
    """Fit the claim re-ranker's weights for each embedder (train split only); prints JSON."""
    from quotegraph.corpus.matching import MODEL_PATH
    from quotegraph.evaluate.checkthat import default_data_dir, split_files
    from quotegraph.train.claim_ranker import fit_claim_ranker
    from quotegraph.train.provenance import output_path, provenance

    target = output_path(
        "claim-ranker", MODEL_PATH.name, MODEL_PATH, out=out, replace_shipped=replace_shipped
    )
    data_dir = data or default_data_dir()
    document = fit_claim_ranker(data_dir, split)
    document["provenance"] = provenance(
        split_files(data_dir, split), {"split": split}, command=_command_line(ctx)
    )
    _write_json_model(target, document, indent=1)
    console.print_json(json.dumps(document["models"]))
    errors.print(f"claim ranker written to {target}", markup=False)


@app.command("match-claims")
def match_claims_command(
    claims: Annotated[
        Path, typer.Option("--claims", help="Known claims: TSV (id, text, title) or JSONL.")
    ],
    db: DbOption = Path("quotegraph.db"),
    text: Annotated[
        str | None, typer.Option("--text", help="Match this one text instead of the store.")
    ] = None,
    k: Annotated[int, typer.Option("--k", min=1, help="Claims per statement.")] = 5,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0.0, max=1.0, help="Drop weaker matches (0-1).")
    ] = 0.0,
    embedder: EmbedderOption = "auto",
    out: Annotated[
        Path | None, typer.Option("--out", help="Output JSONL file (default: stdout).")
    ] = None,
) -> None:
    """Match stored statements (or --text) against known fact-checked claims; writes JSONL."""
    from quotegraph.corpus.embed import load_embedder
    from quotegraph.corpus.matching import ClaimIndex
    from quotegraph.ingest.known_claims import read_known_claims

    index = ClaimIndex(read_known_claims(claims), embedder=load_embedder(embedder))
    target: TextIO
    with out.open("w", encoding="utf-8") if out else nullcontext(sys.stdout) as target:
        if text is not None:
            count = _write_text_matches(index, text, k, min_score, target)
        else:
            with quotegraph.open(db, readonly=True) as qg:
                count = _write_statement_matches(qg, index, k, min_score, target)
    if out:
        errors.print(f"{count} matches written to {out}", markup=False)


def _write_text_matches(
    index: ClaimIndex, text: str, k: int, min_score: float, target: TextIO
) -> int:
    count = 0
    for match in index.rank([("text", text)], k)[0]:
        if match.score >= min_score:
            claim = index.claim(match.claim_id)
            row = {
                "claim_id": match.claim_id,
                "claim_text": claim.text if claim else None,
                "score": match.score,
                "rank": match.rank,
            }
            target.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def _write_statement_matches(
    qg: quotegraph.Quotegraph, index: ClaimIndex, k: int, min_score: float, target: TextIO
) -> int:
    from quotegraph.corpus.matching import match_statements

    count = 0
    for record, match in match_statements(qg.statements(), index, k=k, min_score=min_score):
        claim = index.claim(match.claim_id)
        row = {
            "statement_id": record.statement.statement_id,
            "speaker": record.statement.speaker,
            "content": record.statement.content,
            "claim_id": match.claim_id,
            "claim_text": claim.text if claim else None,
            "score": match.score,
            "rank": match.rank,
        }
        target.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def main() -> None:
    """Entry point: coded errors become one red line and exit code 2."""
    try:
        app()
    except QuotegraphError as exc:
        errors.print(f"[bold red]error[/] {escape(exc.describe())}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
