"""The one pipeline every command runs: a source in, one ``SourceResult`` out.

``Pipeline(options, registry, progress).run(source)`` scrapes the source, then normalizes, tags
and (for the build and the preview) renders its records, record by record and on every core
for large sources. ``build``, ``preview``, ``scrape``, ``tags`` (and their ``--explain``) and
``release`` all read what it returns, so each source is read and rendered once per command.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from .errors import SourceError
from .media import MAX_IMAGES_PER_SOURCE
from .normalize import normalize_record, normalize_text
from .package import Note, make_note
from .record import NO_ANSWER, Record
from .render import render_field, render_record
from .scrape import Registry, ScrapeResult, build_registry, scrape_source
from .scrape.document import LineFate
from .sources import Source
from .tag import TopicDecision, add_fallback_topic, tag_record

NO_QUESTION = "empty question"
MAX_ANSWER_CHARS = 50_000
TOO_LONG = f"answer longer than {MAX_ANSWER_CHARS} characters: too long to study as one card"
PARALLEL_MIN_RECORDS = 2000  # below this, starting worker processes costs more than it saves
PARALLEL_CHUNK = 256
PR_SET_PDEATHSIG = 1  # prctl(2)

# progress(phase, done, total): how far a command is in its current phase
Progress = Callable[[str, float, float], None]


@dataclass(frozen=True)
class Options:
    render: bool = True  # cards as HTML and Anki notes (build, preview); scrape and tags print text
    line_ledger: bool = True  # keep every line and its fate (the preview shows them); a large
    # build frees them before rendering, when it needs its memory
    debug: bool = False  # ankigen --debug: an error or a parser's crash raises, for its traceback


class Skipped(NamedTuple):
    """A record that did not become a card, and why."""

    record: Record
    reason: str


@dataclass
class SourceResult:
    """Everything a command reports or writes about one source."""

    source: Source
    format: str
    layout: str  # for a page the general reader read: the pattern it inferred
    warnings: list[str]
    scraped: list[Record]  # as the page gave them, before any repair
    records: list[Record]  # normalized, tagged and (with Options.render) rendered, in order
    cards: list[Record]
    skipped: list[Skipped]
    decisions: dict[str, TopicDecision]  # why each record has its topics, by record id
    line_counts: dict[str, int]  # non-blank lines by what became of them
    unplaced: list[tuple[int, str]]  # (line number, text) of lines no parser rule claimed
    lines: list[str] = field(default_factory=list)  # with Options.line_ledger: every line
    fates: dict[int, LineFate] = field(default_factory=dict)  # ...and what it became
    notes: list[Note] = field(default_factory=list)  # with Options.render: the cards as notes


def skip_reason(record: Record) -> str | None:
    if record.skip:
        return record.skip
    if not record.question.strip():
        return NO_QUESTION
    if not record.has_answer:
        return NO_ANSWER
    return None


class Pipeline:
    def __init__(self, options: Options = Options(), registry: Registry | None = None,
                 progress: Progress | None = None):
        self.options = options
        self.registry = registry
        self.progress = progress

    def run(self, source: Source) -> SourceResult:
        """One source through every stage; a source that cannot be used raises SourceError."""
        self.registry = self.registry or build_registry()
        return self.finish(self._scrape(source))

    def run_all(self, sources: list[Source]) -> Iterator[tuple[Source, SourceResult | SourceError]]:
        """Every source's result, or its error: one bad source never stops the others. The
        progress callback follows the whole pass as its "reading" phase, in bytes of source."""
        reading = _Reading(self.progress, sources)
        if sources and self.registry is None:  # nothing to scrape: no parsers to load
            self.registry = build_registry()
        for source in sources:
            try:
                scraped = self._scrape(source)
            except SourceError as exc:
                if self.options.debug:  # its traceback instead of its line
                    raise
                yield source, exc
                continue
            yield source, self.finish(scraped, reading.source(source, scraped))

    def _scrape(self, source: Source) -> ScrapeResult:
        try:
            result = scrape_source(source, self.registry)
        except SourceError:
            raise
        except (RecursionError, MemoryError, ValueError, TypeError, LookupError,
                AttributeError) as exc:
            if self.options.debug:
                raise
            raise SourceError(source.path, f"could not be parsed ({type(exc).__name__}: "
                              f"{exc}); please report this, with --debug for details") from None
        if result.format == "empty":  # nothing to build from it
            raise SourceError(source.path, "is empty (no text); add content or remove it")
        return result

    def finish(self, scraped: ScrapeResult, on_record: Callable[[], None] | None = None
               ) -> SourceResult:
        """The scraped records normalized, tagged and, with Options.render, rendered."""
        result = SourceResult(
            scraped.source, scraped.format, scraped.layout, scraped.warnings, scraped.records,
            [], [], [], {}, scraped.line_summary(),
            [(n, scraped.lines[n - 1]) for n in scraped.unplaced])
        if self.options.line_ledger:
            result.lines, result.fates = scraped.lines, scraped.fates
        else:  # freed before the records are rendered
            scraped.lines.clear()
            scraped.fates.clear()
        finished = _finish_all(scraped, self.options.render, on_record)
        result.records = [record for record, _ in finished]
        result.decisions = {record.id: decision for record, decision in finished}
        images: set[str] = set()  # the source's images so far, in the order of its cards
        for record in result.records:
            reason = skip_reason(record)
            names = {name for name in record.media.values() if name}
            if reason is None and len(images | names) > MAX_IMAGES_PER_SOURCE:
                reason = f"its images would be more than the {MAX_IMAGES_PER_SOURCE} a source's deck holds"
            if reason is None:
                result.cards.append(record)
                images.update(names)
            else:
                result.skipped.append(Skipped(record, reason))
        if self.options.render:
            title = render_field(scraped.source.title, line=True)[0]  # a title warns no record
            result.notes = [make_note(r, title) for r in result.cards]
        return result


def _finish(job: tuple[Record, str, Source, bool]) -> tuple[Record, TopicDecision]:
    """Normalize, tag and (for a card) render one record: work that depends on no other
    record, so large sources spread it over every core."""
    record, parent_question, source, rendering = job
    too_long = len(record.answer) > MAX_ANSWER_CHARS
    if too_long:  # listed, not carded: its answer is neither normalized nor rendered
        record = replace(record, skip=record.skip or TOO_LONG)
    record, decision = tag_record(normalize_record(record, answer=not too_long), source,
                                  parent_question)
    if rendering and skip_reason(record) is None:
        record = render_record(record)
    return record, decision


def _finish_all(result: ScrapeResult, rendering: bool = True,
                on_record: Callable[[], None] | None = None
                ) -> list[tuple[Record, TopicDecision]]:
    """Every record of a source normalized, tagged and, for cards, rendered, in order, each
    with its topic decision; ``on_record()`` is called as each is finished."""
    parents = {r.id: normalize_text(r.question, heading=True)[0] for r in result.records}
    jobs = [(r, parents.get(r.parent or "", ""), result.source, rendering) for r in result.records]
    workers = os.cpu_count() or 1
    if len(jobs) >= PARALLEL_MIN_RECORDS and workers > 1:
        from multiprocessing import Pool  # slow to import; large sources only

        # leaving the block terminates the workers: on Ctrl-C or SIGTERM the build stops at
        # once, whatever they were doing (an executor's shutdown would wait for them)
        with Pool(workers, initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
            finished = _collect(pool.imap(_finish, jobs, chunksize=PARALLEL_CHUNK), on_record)
    else:
        finished = _collect(map(_finish, jobs), on_record)
    records = add_fallback_topic([r for r, _ in finished], [d for _, d in finished])
    return [(record, decision) for record, (_, decision) in zip(records, finished)]


def _die_with_parent(parent: int) -> None:
    """A worker ends when the command that started it is killed: otherwise it lives on for
    minutes, holding the build's output open (a piped CI step would hang)."""
    import ctypes
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the build's own Ctrl-C handler
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)  # Linux: a signal when the parent dies
    except (OSError, AttributeError):  # elsewhere, the pool's own shutdown has to do
        pass
    if os.getppid() != parent:  # the command died before the signal was asked for
        os._exit(1)


def _collect(finished, on_record: Callable[[], None] | None) -> list:
    collected = []
    for item in finished:
        collected.append(item)
        if on_record:
            on_record()
    return collected


class _Reading:
    """The "reading" phase in bytes of source: known when the pass starts, so the bar's end
    does not move during it; each record finished is its share of its source's bytes. (A
    rare second pass, for unchanged decks whose version moved, starts a phase of its own.)"""

    def __init__(self, progress: Progress | None, sources: list[Source]):
        self.progress = progress
        self.sizes = {s.path: _size(s.path) for s in sources} if progress else {}
        self.total, self.done = max(sum(self.sizes.values()), 1), 0.0
        if progress and sources:
            progress("reading", 0, self.total)

    def source(self, source: Source, result: ScrapeResult) -> Callable[[], None] | None:
        if not self.progress:
            return None
        share = self.sizes.get(source.path, 0) / max(len(result.records), 1)
        if not result.records:
            self.advance(self.sizes.get(source.path, 0))
        return lambda: self.advance(share)

    def advance(self, amount: float) -> None:
        self.done += amount
        self.progress("reading", min(self.done, self.total), self.total)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:  # the scrape will say what is wrong with it
        return 0

