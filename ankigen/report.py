"""The build's report: its data, and the two texts made of it, ``report.json`` and the
terminal summary. Commands print what these functions return; a new line of the summary or a
new field of the report is written here and nowhere else."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, jsontext
from .files import write_atomic

if TYPE_CHECKING:  # the preview's libraries load only when a preview is written
    from .preview import PreviewReport

REPORT_NAME = "report.json"
MAX_UNPLACED_SHOWN = 10  # lines of each kind a summary lists without --verbose


@dataclass
class SourceReport:
    path: str
    deck: str
    format: str = ""
    layout: str = ""  # for a page the general reader read: the pattern it inferred
    records: int = 0
    cards: int = 0
    new: int = 0  # cards with a GUID this source never had before
    changed: int = 0  # cards whose content differs from the previous build (a newer mtime)
    output: str | None = None
    version: str = ""  # the deck's version: when its content last changed
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # non-blank lines by what became of them
    skipped: list[dict] = field(default_factory=list)  # records that did not become cards
    unplaced: list[dict] = field(default_factory=list)  # lines no parser rule claimed
    changes: list[dict] = field(default_factory=list)  # what normalize/render changed, per record
    removed: list[dict] = field(default_factory=list)  # in the previous build, not in this one
    moved: list[dict] = field(default_factory=list)  # came with their notes from another source
    questions: list[list[str]] = field(default_factory=list)  # (key, place): finds duplicates
    similar: list[dict] = field(default_factory=list)  # questions that may be one in other words
    similar_more: int = 0  # such pairs found beyond those listed


@dataclass
class BuildReport:
    ankigen: str = __version__
    version: str = ""  # the release's version: its newest deck's
    error: str | None = None  # what stopped the whole build, if anything did
    sources: list[SourceReport] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)  # the same question in several places
    preview: PreviewReport | None = None  # the preview site written with the decks, if asked
    kept_earlier: bool = False  # not written: an earlier build's report.json is kept there

    @property
    def failed(self) -> list[SourceReport]:
        return [s for s in self.sources if s.error]

    def write(self, out_dir: Path) -> None:
        write_atomic(out_dir / REPORT_NAME,
                     lambda tmp: tmp.write_text(self.to_json(), encoding="utf-8"))

    def write_failure(self, out_dir: Path) -> None:
        """The report of a build that made no deck, unless an earlier build's report is
        there: the error lines say what went wrong, and a fuller report is not replaced."""
        self.kept_earlier = (out_dir / REPORT_NAME).exists()
        if not self.kept_earlier:
            self.write(out_dir)

    def to_json(self) -> str:
        data = asdict(self)
        del data["preview"]  # the site's own pages say what it holds
        del data["kept_earlier"]  # what the summary says of this very file
        return jsontext.dumps(data, depth=4) + "\n"  # one skipped record per line


def shorten(text: str, width: int = 120) -> str:
    """The text on one line of a report (a question may show its code), cut after a whole
    word to at most ``width`` characters and an ellipsis (mid-word only for a word that
    long)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    space = text.rfind(" ", 0, width + 1)
    return (text[:space] if space > width // 2 else text[:width]) + "…"


def summary(report: BuildReport, out_dir: Path, verbose: bool = False, quiet: bool = False
            ) -> Iterator[tuple[str, str]]:
    """The terminal summary of a build, line by line: ("error" | "warning" | "", text)."""
    for entry in report.sources:
        for warning in entry.warnings:
            yield "warning", f"{entry.path}: {warning}"
        if entry.error:
            yield "error", entry.error
            continue
        if not quiet:
            yield from (("", line) for line in _source_summary(entry, verbose))
    if quiet:
        return
    if report.duplicates:
        yield "", (f"{len(report.duplicates)} question(s) appear in several sources; each "
                   "deck keeps its own note:")
        yield from (("", line) for line in _listed(
            [f"{shorten(d['question'], 80)!r}: {', '.join(d['places'])}"
             for d in report.duplicates],
            verbose))
    total = sum(e.cards for e in report.sources)
    decks = sum(1 for e in report.sources if e.output)
    where = out_dir / REPORT_NAME
    yield "", (f"{total} card{'s' * (total != 1)} in {decks} deck{'s' * (decks != 1)}; " + (
        f"report not written: {where} is an earlier build's, kept as it was"
        if report.kept_earlier else f"report: {where}"))


def _source_summary(entry: SourceReport, verbose: bool) -> Iterator[str]:
    skipped = len(entry.skipped)
    unplaced = len(entry.unplaced)
    yield (f"{entry.deck}: {entry.cards} cards from {entry.records} records"
           f" ({entry.format}); {skipped} without a card, {unplaced} unplaced lines"
           f" -> {entry.output}")
    # new, changed and removed are counted against the lock, which a fresh clone's first
    # build has too: "since the last build" would be a build that never ran here
    moved = f", {len(entry.moved)} moved here with their notes" if entry.moved else ""
    if entry.new or entry.changed or entry.moved or entry.removed:
        yield (f"  against the lock: {entry.new} new, {entry.changed} changed{moved}, "
               f"{len(entry.removed)} removed (removed notes stay in Anki until deleted there)")
    else:
        yield "  every card as in the lock: none new, changed or removed"
    if verbose:
        if entry.layout:
            yield f"  questions marked by {entry.layout}"
        yield "  lines: " + ", ".join(f"{n} {what}" for what, n in entry.lines.items())
    yield from _listed([f"no card {entry.path}:{r['line']}: {shorten(r['question'], 80)} "
                        f"({r['reason']})" for r in entry.skipped], verbose)
    yield from _listed([f"unplaced {entry.path}:{line['line']}: {line['text']}"
                        for line in entry.unplaced], verbose)
    if verbose:
        for pair in entry.similar:
            yield (f"  maybe the same question: lines {pair['lines'][0]} and "
                   f"{pair['lines'][1]}: {shorten(pair['questions'][0], 60)!r} / "
                   f"{shorten(pair['questions'][1], 60)!r}")
        if entry.similar_more:
            yield f"  and {entry.similar_more} more pairs that may be the same question"


def _listed(lines: list[str], verbose: bool) -> list[str]:
    """Lines of a summary, the first few unless --verbose, and how many more there are."""
    shown = lines if verbose else lines[:MAX_UNPLACED_SHOWN]
    more = len(lines) - len(shown)
    return [f"  {line}" for line in shown] + (
        [f"  ... and {more} more in the report (or use --verbose)"] if more else [])
