"""The ``ankigen`` command: a thin click layer over the library.

Library errors (``AnkigenError``) become one line on stderr and exit status 1; anything
unexpected does too; under ``--debug`` each shows its traceback instead. Exit status: 0 when
every source was built (or checked) cleanly, 1 when a source or another input file could
not be used or a check failed, 2 for a usage error.
"""

from __future__ import annotations

import gc
import json
import os
import re
import signal
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from .check import MAX_REMOVED_PERCENT
from .errors import AnkigenError
from .sources import (DEFAULT_SOURCES_DIR, MANIFEST_NAME, NoSourcesError, default_lock_folder,
                      find_sources_folder, project_path, resolve_sources)


SIGPIPE_STATUS = 128 + 13  # what a shell reports for a Unix tool ended by a closed pipe


def _paint(text: str, colour: str) -> str:
    """Colour where it helps; none under NO_COLOR (no-color.org), and click.echo drops it
    when the output is not a terminal."""
    return text if os.environ.get("NO_COLOR") else click.style(text, fg=colour)


def _error(message: str) -> None:
    click.echo(f"{_paint('Error:', 'red')} {message}", err=True)


def _warn(message: str) -> None:
    click.echo(f"{_paint('Warning:', 'yellow')} {message}", err=True)


_MAX_REMOVED = click.option(
    "--max-removed", type=click.FloatRange(0, 100), default=MAX_REMOVED_PERCENT,
    show_default=True, metavar="PERCENT",
    help="Fail when more of the previous release's notes than this are gone (a handful, up to "
         "five, may always go).")


class _OneLineError(click.ClickException):
    """A library error as one line, its "Error:" in the colour of the others."""

    def show(self, file=None) -> None:
        _error(self.format_message())


_REPORT_COLOURS = (("  DEFECT:", "red"), ("  ok", "green"))
_DIFF_COLOURS = (("+ ", "green"), ("- ", "red"), ("~ ", "yellow"))
# bounded: a page's own "[-1, 1]" with no "-]" after it is not rescanned to the line's end
_WORD_CHANGES = re.compile(r"\[-.{0,2000}?-\]|\{\+.{0,2000}?\+\}")


def _painted(text: str, colours: tuple[tuple[str, str], ...]) -> str:
    """Lines of a check report or a diff, coloured by how they start; a word diff's
    [-removed-] and {+added+} words too."""
    lines = []
    for line in text.split("\n"):
        colour = next((c for start, c in colours if line.startswith(start)), None)
        if colour:
            line = _paint(line, colour)
        elif "[-" in line or "{+" in line:
            line = _WORD_CHANGES.sub(
                lambda m: _paint(m.group(), "red" if m.group().startswith("[") else "green"), line)
        lines.append(line)
    return "\n".join(lines)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


class _Group(click.Group):
    """Every command's errors as one line: library errors as they are, bugs with a hint."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AnkigenError as exc:
            if ctx.params.get("debug"):  # where the error was raised, as for any other
                raise
            raise _OneLineError(str(exc)) from None
        except BrokenPipeError:  # "ankigen tags | head -1": the reader has all it wants
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing to flush
            raise click.exceptions.Exit(SIGPIPE_STATUS) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            raise _OneLineError(f"unexpected {type(exc).__name__}: {exc} "
                                "(run again with --debug for the traceback)") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ankigen")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn scraped interview-question pages into Anki decks that update in place.

    \b
    Example:
      ankigen build                  # every source in sources/ -> build/*.apkg
      ankigen scrape sources/*.txt --format table
    """
    ctx.obj = {"debug": debug}
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops a build as Ctrl-C does
    # a large build keeps millions of objects alive to the end; at the default thresholds
    # the collector rescans them again and again (a tenth of a 100,000-card build)
    gc.set_threshold(50_000, 20, 100)


@main.command()
@click.argument("sources", nargs=-1, type=click.Path())
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False),
              help="Folder for the .apkg files and report.json [default: the project's build/].")
@click.option("--lock", "lock_path", type=click.Path(dir_okay=False),
              help="Identity lock file [default: ankigen.lock beside the (first) source].")
@click.option("--preview", "with_preview", is_flag=True,
              help="Also write the preview site into OUTPUT/preview/ (see ankigen preview).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors and warnings.")
@click.option("-v", "--verbose", is_flag=True,
              help="Also where every source line went, and each line no rule claimed.")
@click.pass_context
def build(ctx: click.Context, sources: tuple[str, ...], out_dir: str, lock_path: str | None,
          with_preview: bool, quiet: bool, verbose: bool) -> None:
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
    from .build import BuildOptions, build as run_build  # loaded when a build runs
    from .report import summary

    out_dir = out_dir or project_path("build")
    try:
        resolved = resolve_sources(sources)
    except NoSourcesError:
        raise  # nothing was asked of this folder: no report to write in it
    except AnkigenError as exc:
        _write_failed_report(Path(out_dir), str(exc))
        raise
    lock = _lock_path(resolved, lock_path)
    new_lock = not lock.exists()
    preview_dir = Path(out_dir) / "preview" if with_preview else None
    with _progress(enabled=not quiet) as advance:
        report = run_build(resolved, Path(out_dir), BuildOptions(
            lock_path=lock, preview_dir=preview_dir, progress=advance, debug=ctx.obj["debug"]))
    for kind, line in summary(report, Path(out_dir), verbose, quiet):
        {"error": _error, "warning": _warn}.get(kind, click.echo)(line)
    if not quiet and new_lock and lock.exists():
        click.echo(f"identities: a new lock {lock}; keep it with the source (commit it), "
                   "so later builds update these notes in place")
    if report.preview is not None:
        _preview_written(report.preview, preview_dir, quiet)
    if report.failed:
        sys.exit(1)


@main.command()
@click.argument("sources", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "table"]), default="jsonl",
              show_default=True, help="Output format.")
@click.option("--explain", is_flag=True,
              help="Instead of the records, say how each source was read: its format, the "
                   "pattern that marks its questions, and where its lines went.")
def scrape(sources: tuple[str, ...], fmt: str, explain: bool) -> None:
    """Print the records scraped from SOURCES (normalized and tagged, not rendered).

    The format of each file is detected from its content; a page in no known format is
    read by the general reader, which infers how the page marks its questions. Records
    whose source has no answer are included with an empty answer.

    \b
    Example:
      ankigen scrape sources/*.txt --format jsonl > records.jsonl
      ankigen scrape my-notes.txt --format table
      ankigen scrape saved-page.txt --explain
    """
    records = []
    results, failed = _read(sources)
    if explain:
        for result in results:
            _explain_scrape(result)
        sys.exit(1 if failed else 0)
    for result in results:
        records.extend(sorted(result.records, key=lambda r: (r.q_line, r.id)))
    if fmt == "jsonl":
        for record in records:
            click.echo(json.dumps(record.to_json(), ensure_ascii=False))
    elif fmt == "json":
        click.echo(json.dumps([r.to_json() for r in records], ensure_ascii=False, indent=2))
    else:
        _print_table(records, several_sources=len({r.source for r in records}) > 1)
    if failed:
        sys.exit(1)


def _explain_scrape(result) -> None:
    answered = sum(1 for r in result.scraped if r.has_answer)
    followups = sum(1 for r in result.scraped if r.kind == "followup")
    how = result.layout or "its known layout"
    click.echo(f"{result.source.path}: read as {result.format}; questions marked by {how}")
    click.echo(f"  {len(result.scraped)} records ({len(result.scraped) - followups} questions, "
               f"{followups} follow-ups), {answered} with an answer")
    click.echo("  lines: " + ", ".join(f"{n} {what}" for what, n in result.line_counts.items()))


@main.command()
@click.argument("sources", nargs=-1, type=click.Path())
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False),
              help="Folder for the preview site [default: the project's build/preview/].")
def preview(sources: tuple[str, ...], out_dir: str) -> None:
    """Write a static preview site: every card, and what became of every source line.

    Open OUTPUT/index.html in a browser; it works offline from file:// and loads nothing
    from the network. Each deck's page shows every card as Anki shows it (math as MathML,
    code highlighted) with a search box; each source's page marks every line with the card
    it became, the reason it was dropped, or "unplaced".

    \b
    Example:
      ankigen preview
      ankigen preview sources/transformers-part-6.txt -o /tmp/preview
    """
    from .preview import write_preview

    out_dir = out_dir or project_path("build/preview")
    resolved = resolve_sources(sources)
    _preview_written(write_preview(resolved, Path(out_dir), debug=_debug()), Path(out_dir),
                     quiet=False)


def _preview_written(result, out_dir: Path, quiet: bool) -> None:
    for error in result.errors:
        _error(error)
    if not quiet:
        click.echo(f"preview: {out_dir / 'index.html'} ({len(result.pages)} pages)")
    if result.errors:
        sys.exit(1)


@main.command()
@click.argument("sources", nargs=-1, type=click.Path())
@click.option("--explain", is_flag=True,
              help="For each card, the scores and terms that chose its topics, and why the "
                   "runner-up topic is not one.")
def tags(sources: tuple[str, ...], explain: bool) -> None:
    """Print the topic tag tree: how many cards carry each topic and subtopic.

    Topics come from the taxonomy (ankigen/taxonomy.toml); a maintainer adds a topic or a
    term by editing that file alone.

    \b
    Example:
      ankigen tags
      ankigen tags sources/transformers-part-6.txt --explain
    """
    from .tag import COUNT_LABEL, topic_counts

    tag_lists = []
    results, failed = _read(sources)
    for result in results:
        for record in result.cards:
            decision = result.decisions[record.id]
            tag_lists.append(decision.tags)
            if explain:
                _explain(record, decision)
    if explain:
        click.echo()
    counts = topic_counts(tag_lists)
    click.echo(f"{len(tag_lists)} cards; {COUNT_LABEL}:")
    for topic in sorted(k[0] for k in counts if len(k) == 1):
        click.echo(f"topic::{topic} ({counts[(topic,)]})")
        for key in sorted(k for k in counts if len(k) == 2 and k[0] == topic):
            click.echo(f"  ::{key[1]} ({counts[key]})")
    if failed:
        sys.exit(1)


def _explain(record, decision) -> None:
    question = " ".join(record.question.split())  # one line, even a question showing code
    click.echo(f"{record.source}:{record.q_line}: {question}")
    click.echo(f"  tags: {' '.join(decision.tags) or '(none)'}")
    if decision.fallback:
        with_it, with_topic = decision.fallback_share
        click.echo(f"    no term of the taxonomy in the question or the answer: the source's "
                   f"most common first tag ({with_it} of its {with_topic} records with a topic)")
        return
    def scored(topic: str) -> str:
        return (f"{topic} {decision.scores[topic]:.1f} ({decision.from_question[topic]:.1f} from "
                f"the question): {', '.join(sorted(set(decision.terms[topic])))}")

    for tag in decision.tags:
        click.echo(f"    {scored(tag.split('::')[1])}")
    if decision.runner_up:
        click.echo(f"  runner-up: {scored(decision.runner_up)}")
        click.echo(f"    not a tag: {decision.runner_up_reason}")


@main.command()
@click.argument("sources", nargs=-1, type=click.Path())
@click.option("--previous", "previous_dir", required=True, type=click.Path(file_okay=False),
              help="Folder with the previous release's .apkg files.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the new decks, RELEASE_NOTES.md and release.json.")
@click.option("--lock", "lock_path", type=click.Path(dir_okay=False),
              help="Identity lock file [default: ankigen.lock beside the (first) source].")
@click.option("--notes-url", default="",
              help="Link to the release notes for the deck descriptions; {version} is replaced.")
@_MAX_REMOVED
@click.option("--first-release", is_flag=True,
              help="There is no previous release yet: every deck is new.")
@click.option("--refresh", "refresh_first", is_flag=True,
              help="First fetch the web sources again (ankigen refresh); a page that fails "
                   "keeps its stored copy.")
def release(sources: tuple[str, ...], previous_dir: str, out_dir: str, lock_path: str | None,
            notes_url: str, max_removed: float, first_release: bool, refresh_first: bool) -> None:
    """Build, gate and write release notes; the last line says "changed" or "unchanged".

    Builds SOURCES (default: every source in sources/sources.toml) into OUT, runs the release
    gate against each deck's previous release in PREVIOUS (the deck of the same Anki deck
    name), and writes OUT/RELEASE_NOTES.md
    (per deck: cards added, changed and removed, with the questions named; cards tagged with
    each topic)
    and OUT/release.json. Exits 1, publishing nothing, if the build or the gate fails.

    \b
    Example:
      ankigen release --previous previous/ --out dist/
    """
    from .build import BuildOptions
    from .release import ReleaseOptions, make_release

    resolved = resolve_sources(sources)
    build_options = BuildOptions(lock_path=_lock_path(resolved, lock_path), notes_url=notes_url,
                                 debug=_debug())
    result = make_release(resolved, Path(out_dir), ReleaseOptions(
        Path(previous_dir), build_options, max_removed, first_release, refresh_first))
    _print_refreshed(result.refreshed, failed=_warn)  # the release goes on with the stored copy
    for deck in result.decks:
        what = ("new deck" if deck.diff is None else
                f"{len(deck.diff.added)} added, {len(deck.diff.changed)} changed, "
                f"{len(deck.diff.removed)} removed")
        click.echo(f"{deck.file}: {deck.cards} cards; {what}")
    for deck, file in result.dropped.items():
        click.echo(f"{file}: {deck}: no longer built")
    click.echo(f"release {result.version}: notes in {Path(out_dir) / 'RELEASE_NOTES.md'}")
    click.echo("changed" if result.changed else "unchanged")


@main.command()
@click.argument("page")
@click.option("--slug", default="", help="The source's identity [default: from the title or address].")
@click.option("--deck", default="", help="Its deck name under the parent deck [default: its title].")
@click.option("--title", default="", help="Its title [default: an HTML page's <title>].")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False),
              help="Folder for its deck and report.json [default: the project's build/].")
def add(page: str, slug: str, deck: str, title: str, out_dir: str) -> None:
    """Store PAGE (an http(s) address, or a file) in sources/ and build it.

    The page is kept as served (an HTML page's images in sources/media/SLUG/), with a
    [[source]] entry naming its origin and when it was retrieved; then it is built, and what
    it gave is shown: cards, questions without an answer, how it marks its questions. A page
    that cannot be fetched or read, or gives no card, leaves nothing behind (exit status 1).

    \b
    Example:
      ankigen add https://example.org/ml-interview-questions.html --slug ml-questions
      ankigen add saved-page.html --deck "Saved page"
    """
    from .websources import NotAdded, add_source

    folder = find_sources_folder() or DEFAULT_SOURCES_DIR
    out_dir = out_dir or project_path("build")
    try:
        added = add_source(page, folder, Path(out_dir), slug, deck, title)
    except NotAdded as exc:
        _added_summary(exc.added, Path(out_dir))
        raise
    _added_summary(added, Path(out_dir))
    click.echo(f"added {added.path} to {folder / MANIFEST_NAME}; commit both "
               "(and its lock and media) to keep it")


def _added_summary(added, out_dir: Path) -> None:
    from .report import summary

    for problem in added.image_problems:
        _warn(f"{added.path}: {problem}")
    for kind, line in summary(added.report, out_dir):
        if kind != "error":  # the error is the command's own last line
            {"warning": _warn}.get(kind, click.echo)(line)
    if added.entry.layout:
        click.echo(f"  questions marked by {added.entry.layout}")


@main.command()
@click.argument("sources", nargs=-1, type=click.Path())
def refresh(sources: tuple[str, ...]) -> None:
    """Fetch each web source again and keep the new copy where the page changed.

    SOURCES are files of sources/sources.toml (default: every one with an http(s) origin).
    One line each: unchanged; changed (the questions added, changed and removed, with a word
    diff as ankigen diff shows it); or failed (why; the stored copy is kept). A new copy
    that gives far fewer cards than the stored one, no card, or another kind of file (an
    error or consent page served as a page) is refused. Exits 1 if any failed.

    \b
    Example:
      ankigen refresh
      ankigen refresh sources/ml-questions.html
    """
    from .websources import refresh_sources

    folder = find_sources_folder() or DEFAULT_SOURCES_DIR
    results = refresh_sources(folder, list(sources), debug=_debug())
    if not results:
        click.echo(f"nothing to refresh: no source in {folder / MANIFEST_NAME} "
                   "has an http(s) origin")
    _print_refreshed(results)
    if any(r.status == "failed" for r in results):
        sys.exit(1)


def _print_refreshed(results, failed=_error) -> None:
    for result in results:
        if result.status == "failed":
            failed(f"{result.file}: failed: {result.detail}; the stored copy is kept")
            continue
        click.echo(f"{result.file}: {result.status}" + (f": {result.detail}" if result.detail else ""))
        if result.diff:
            click.echo("\n".join("  " + line for line in
                                  _painted(result.diff, _DIFF_COLOURS).split("\n")))
        for problem in result.image_problems:
            _warn(f"{result.file}: {problem}")


@main.command()
@click.argument("package", type=click.Path())
@click.option("--against", type=click.Path(),
              help="The previous release: import it, study some cards, then import PACKAGE on top.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@_MAX_REMOVED
def check(package: str, against: str | None, as_json: bool, max_removed: float) -> None:
    """The release gate: import PACKAGE into real Anki and report its defects.

    Checks for empty fields, broken HTML, unbalanced MathJax delimiters and duplicate GUIDs.
    With --against, checks that importing PACKAGE over the previous release with Anki's
    default options applies every change, duplicates nothing, forks no note type, keeps the
    studied cards' due date, interval, repetitions and review log, gives no reworded question
    a new GUID and loses no more than --max-removed of the previous notes. Exits 1 on any
    defect.

    \b
    Example:
      ankigen check build/transformers-part-6.apkg --against old/transformers-part-6.apkg
    """
    from .check import check_package, format_report

    report = check_package(package, against, max_removed)
    click.echo(json.dumps(report.to_dict(), indent=2) if as_json
               else _painted(format_report(report), _REPORT_COLOURS))
    if not report.ok:
        sys.exit(1)


@main.command()
@click.argument("previous", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
def diff(previous: str, new: str, as_json: bool) -> None:
    """Notes added, changed (with a word diff of each field) and removed between two builds.

    \b
    Example:
      ankigen diff old/transformers-part-6.apkg build/transformers-part-6.apkg
    """
    from .apkg import read_package
    from .diff import diff_packages, format_diff

    result = diff_packages(read_package(previous), read_package(new))
    click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) if as_json
               else _painted(format_diff(result), _DIFF_COLOURS))


@contextmanager
def _progress(enabled: bool):
    """A progress bar on a terminal for long builds; nothing when stderr is not a terminal.
    It follows the build's phases, each with its whole size from the start: reading the
    sources (as a share of their bytes), then writing the decks (one by one)."""
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    labels = {"reading": "reading and rendering sources", "writing": "writing decks"}
    with Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                  TimeElapsedColumn(), transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("starting", total=None)

        def advance(phase: str, done: float, total: float) -> None:
            bar.update(task, description=labels.get(phase, phase), completed=done, total=total)

        yield advance


def _write_failed_report(out_dir: Path, error: str) -> None:
    """A build that cannot start still reports, where the folder allows it."""
    from .report import BuildReport

    try:
        BuildReport(error=error).write_failure(out_dir)
    except AnkigenError:
        pass  # the output folder itself is the problem; the error line says what is wrong


def _debug() -> bool:
    """Whether `ankigen --debug` asked for tracebacks instead of one-line messages."""
    return bool((click.get_current_context().find_root().obj or {}).get("debug"))


def _lock_path(sources, given: str | None) -> Path:
    from .identity import LOCK_NAME

    return Path(given) if given else default_lock_folder(sources) / LOCK_NAME


def _read(paths: tuple[str, ...]):
    """The pipeline's results (records as text, not rendered) of the sources that could be
    read, and whether any could not (each of those has had its one-line error)."""
    from .pipeline import Options, Pipeline

    results, failed = [], False
    pipeline = Pipeline(Options(render=False, line_ledger=False, debug=_debug()))
    for _, result in pipeline.run_all(resolve_sources(paths)):
        if isinstance(result, AnkigenError):
            _error(str(result))
            failed = True
        else:
            results.append(result)
    return results, failed


def _print_table(records, several_sources: bool) -> None:
    from rich.console import Console
    from rich.table import Column, Table

    # a tag or a path is one long word: folded over lines, never cut to an ellipsis
    columns = [Column("source", overflow="fold")] if several_sources else []
    columns += ["line", "kind", Column("question", overflow="fold"), "answer",
                Column("tags", overflow="fold")]
    table = Table(*columns)
    for r in records:
        answer = r.answer.replace("\n", " ")
        table.add_row(*([r.source] if several_sources else []), str(r.q_line), r.kind, r.question,
                      (answer[:80] + "…") if len(answer) > 80 else answer or "[dim](none)[/dim]",
                      " ".join(r.tags))
    Console().print(table)


if __name__ == "__main__":  # pragma: no cover
    main()
