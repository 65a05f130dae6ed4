"""The ``ankigen`` command: a thin click layer over the library.

Library errors (``AnkigenError``) become one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .build import build as run_build, process, scrape_all
from .errors import AnkigenError
from .identity import LOCK_NAME
from .sources import resolve_sources


MAX_UNPLACED_SHOWN = 10


def _error(message: str) -> None:
    click.echo(f"Error: {message}", err=True)  # the same prefix click gives ClickException


def _sources(paths: tuple[str, ...]):
    try:
        return resolve_sources(paths)
    except AnkigenError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ankigen")
def main() -> None:
    """Turn scraped interview-question pages into Anki decks that update in place.

    \b
    Example:
      ankigen build                  # every source in sources/ -> build/*.apkg
      ankigen scrape sources/*.txt --format table
    """


@main.command()
@click.argument("sources", nargs=-1, type=click.Path())
@click.option("-o", "--output", "out_dir", default="build", show_default=True,
              type=click.Path(file_okay=False), help="Folder for the .apkg files and report.json.")
@click.option("--lock", "lock_path", type=click.Path(dir_okay=False),
              help="Identity lock file [default: ankigen.lock beside the (first) source].")
def build(sources: tuple[str, ...], out_dir: str, lock_path: str | None) -> None:
    """Build one .apkg deck per source, plus build/report.json.

    With no SOURCES, builds every source named in sources/sources.toml. Any readable
    text file works as a source; one the manifest does not name gets a deck named after
    its file. Questions that do not become cards are listed in the report with the reason.
    The lock file keeps each note's GUID and mtime between builds: commit it with the
    sources, so rebuilds update notes in place and unchanged sources give identical files.

    \b
    Example:
      ankigen build
      ankigen build sources/transformer-model-qa.txt -o /tmp/decks
    """
    resolved = _sources(sources)
    lock = Path(lock_path) if lock_path else Path(resolved[0].path).parent / LOCK_NAME
    try:
        report = run_build(resolved, Path(out_dir), lock_path=lock)
    except AnkigenError as exc:
        raise click.ClickException(str(exc)) from None
    for entry in report.sources:
        if entry.error:
            _error(entry.error)
            continue
        skipped = len(entry.skipped)
        unplaced = len(entry.unplaced)
        click.echo(f"{entry.deck}: {entry.cards} cards from {entry.records} records"
                   f" ({entry.format}); {skipped} without a card, {unplaced} unplaced lines"
                   f" -> {entry.output}")
        click.echo(f"  since the last build: {entry.new} new, {entry.changed} changed, "
                   f"{len(entry.removed)} removed (removed notes stay in Anki until deleted there)")
        click.echo("  lines: " + ", ".join(f"{n} {what}" for what, n in entry.lines.items()))
        for line in entry.unplaced[:MAX_UNPLACED_SHOWN]:
            click.echo(f"  unplaced {entry.path}:{line['line']}: {line['text']}")
        if unplaced > MAX_UNPLACED_SHOWN:
            click.echo(f"  ... and {unplaced - MAX_UNPLACED_SHOWN} more in the report")
    total = sum(e.cards for e in report.sources)
    click.echo(f"{total} cards in {sum(1 for e in report.sources if e.output)} decks; "
               f"report: {Path(out_dir) / 'report.json'}")
    if report.failed:
        sys.exit(1)


@main.command()
@click.argument("sources", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "table"]), default="jsonl",
              show_default=True, help="Output format.")
def scrape(sources: tuple[str, ...], fmt: str) -> None:
    """Print the records scraped from SOURCES (normalized and tagged, not rendered).

    The format of each file is detected from its content. Records whose source has no
    answer are included with an empty answer.

    \b
    Example:
      ankigen scrape sources/*.txt --format jsonl > records.jsonl
      ankigen scrape my-notes.txt --format table
    """
    records = []
    failed = False
    for _, result in scrape_all(_sources(sources)):
        if isinstance(result, AnkigenError):
            _error(str(result))
            failed = True
            continue
        cards, skipped = process(result)
        records.extend(sorted(cards + skipped, key=lambda r: (r.q_line, r.id)))
    if fmt == "jsonl":
        for record in records:
            click.echo(json.dumps(record.to_json(), ensure_ascii=False))
    elif fmt == "json":
        click.echo(json.dumps([r.to_json() for r in records], ensure_ascii=False, indent=2))
    else:
        _print_table(records)
    if failed:
        sys.exit(1)


def _print_table(records) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("line", "kind", "question", "answer", "tags")
    for r in records:
        answer = r.answer.replace("\n", " ")
        table.add_row(str(r.q_line), r.kind, r.question,
                      (answer[:80] + "…") if len(answer) > 80 else answer or "[dim](none)[/dim]",
                      " ".join(r.tags))
    Console().print(table)


if __name__ == "__main__":  # pragma: no cover
    main()
