"""The ``quotegraph`` command line: parse arguments, call the library, format the output.

No SQL and no NLP here: every command is a thin wrapper over ``quotegraph.core`` and
``quotegraph.evaluate``. Logging is configured here and only here.
"""

from __future__ import annotations

import json
import logging
import sys
from contextlib import nullcontext
from importlib import resources
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress as RichProgress
from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

import quotegraph
from quotegraph.errors import QuotegraphError
from quotegraph.export import check_export
from quotegraph.pipeline import Progress
from quotegraph.types import IngestReport, StorySummary

app = typer.Typer(
    help="Who said what, when, where - and who says otherwise.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Measure extraction quality against gold data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

console = Console()
errors = Console(stderr=True)

DbOption = Annotated[Path, typer.Option("--db", help="SQLite store file.")]
WorkersOption = Annotated[int, typer.Option("--workers", min=1, help="Parser processes.")]


def sample_corpus_dir() -> Path:
    """The bundled sample corpus (fictional outlets, people and events)."""
    return Path(str(resources.files("quotegraph") / "data" / "sample"))


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files or directories (.txt .html .jsonl .csv, optionally .gz)."),
    ],
    db: DbOption = Path("quotegraph.db"),
    workers: WorkersOption = 1,
) -> None:
    """Read articles, extract who said what, and store it."""
    with quotegraph.open(db) as qg:
        report = _ingest_with_progress(qg, [str(p) for p in paths], workers)
    _print_report(report, db)
    if report.failures:
        raise typer.Exit(code=1)


def _ingest_with_progress(
    qg: quotegraph.Quotegraph, paths: list[str], workers: int
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

        return qg.ingest(paths, workers=workers, on_progress=update)


def _print_report(report: IngestReport, db: Path) -> None:
    rate = report.articles_added / report.seconds if report.seconds else 0.0
    console.print(
        f"[bold]{report.articles_added}[/] articles added "
        f"({report.articles_skipped_duplicate} already stored), "
        f"[bold]{report.statements_added}[/] statements, {report.figures_added} figures "
        f"into {db} in {report.seconds:.1f}s ({rate:.1f} articles/s)"
    )
    if report.failures:
        errors.print(f"[bold red]{len(report.failures)} input(s) failed:[/]")
        for failure in report.failures:
            # The message is the coded error's description: code, summary, source, detail.
            errors.print(f"  {failure.message}", markup=False, soft_wrap=True)


@app.command()
def demo(
    db: DbOption = Path("quotegraph.db"),
    workers: WorkersOption = 1,
) -> None:
    """Ingest the bundled sample corpus and print who said what, story by story."""
    with quotegraph.open(db) as qg:
        report = _ingest_with_progress(qg, [str(sample_corpus_dir())], workers)
        _print_report(report, db)
        _print_stories(qg.stories())
    if report.failures:
        raise typer.Exit(code=1)


@app.command()
def summary(db: DbOption = Path("quotegraph.db")) -> None:
    """Print who said what in the store, story by story."""
    with quotegraph.open(db, readonly=True) as qg:
        _print_stories(qg.stories())


def _print_stories(stories: list[StorySummary]) -> None:
    # Titles, names and outlets are article text: escaped, never read as Rich markup.
    for number, item in enumerate(stories, 1):
        story = item.story
        span = f"{story.first_published or '?'} to {story.last_published or '?'}"
        console.rule(f"[bold]Story {number}: {escape(story.title)}", align="left")
        outlets = escape(", ".join(story.outlets) or "?")
        console.print(f"{len(story.article_ids)} articles from {outlets}, {span}", style="dim")
        for record in item.statements:
            statement = record.statement
            who = statement.speaker or (
                f"({statement.speaker_type}: {statement.speaker_mention})"
                if statement.speaker_mention
                else "(unknown)"
            )
            when = escape((record.published or "")[:10])
            cue = escape(statement.cue or "")
            console.print(
                f"  [cyan]{when}[/] [magenta]{escape(record.outlet or '?')}[/] "
                f"[bold]{escape(who)}[/] [dim]{cue} ({statement.kind})[/]: ",
                end="",
            )
            console.print(_shorten(statement.content, 160), markup=False, highlight=False)


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@app.command()
def export(
    table: Annotated[str, typer.Argument(help="statements, figures, articles or speakers.")],
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
        for failure in qg.failures():
            console.print(f"[{failure.stage}] {failure.message}", markup=False, soft_wrap=True)


@app.command()
def stats(db: DbOption = Path("quotegraph.db")) -> None:
    """Counts of what the store holds."""
    with quotegraph.open(db, readonly=True) as qg:
        console.print_json(json.dumps(qg.counts()))


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
    """Serve the store: a JSON API under /api/v1 and a web UI (needs the 'web' extra)."""
    from quotegraph.serve import ServeConfig, run_server

    config = ServeConfig(db=db, token=token)
    mode = "writes need the token" if config.writes_enabled else "read-only"
    errors.print(f"serving {db} on http://{host}:{port}/ ({mode})", markup=False)
    run_server(config, host=host, port=port)


train_app = typer.Typer(
    help="Fit the project's own models on annotated data.", no_args_is_help=True
)
app.add_typer(train_app, name="train")


@train_app.command("confidence")
def train_confidence_command(
    data: Annotated[
        Path | None, typer.Option("--data", help="PolNeAR folder (with train/).")
    ] = None,
    split: Annotated[str, typer.Option("--split", help="Split to fit on.")] = "train",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Table file (default: the one shipped in the package)."),
    ] = None,
    workers: WorkersOption = 2,
) -> None:
    """Fit statement confidence on gold attributions (fit on train, check with eval on dev)."""
    from quotegraph.evaluate.calibration import train_confidence
    from quotegraph.evaluate.polnear import default_data_dir
    from quotegraph.extract.confidence import table_path

    table = train_confidence(data or default_data_dir(), split, workers=workers)
    target = out or table_path()
    target.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    errors.print(f"{len(table['buckets'])} confidence buckets written to {target}")


@eval_app.command("polnear")
def eval_polnear(
    data: Annotated[Path | None, typer.Option("--data", help="PolNeAR folder (with dev/).")] = None,
    split: Annotated[str, typer.Option("--split", help="train or dev.")] = "dev",
    limit: Annotated[int | None, typer.Option("--limit", help="First N articles only.")] = None,
    workers: WorkersOption = 2,
) -> None:
    """Score attribution against PolNeAR gold; prints JSON."""
    from quotegraph.evaluate.polnear import default_data_dir, evaluate_polnear
    from quotegraph.pipeline import statements_for_texts

    def predict(docs):  # type: ignore[no-untyped-def]
        return dict(statements_for_texts(((d.name, d.text) for d in docs), workers=workers))

    result = evaluate_polnear(data or default_data_dir(), split, predict, limit=limit)
    console.print_json(json.dumps(result))


def main() -> None:
    """Entry point: coded errors become one red line and exit code 2."""
    try:
        app()
    except QuotegraphError as exc:
        errors.print(f"[bold red]error[/] {escape(exc.describe())}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
