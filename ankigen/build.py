"""The pipeline end to end: sources in, one .apkg per source and a build report out.

1. ``scrape``    every source (a source that cannot be read is reported, the rest go on);
2. ``normalize`` the records' text, ``tag`` them, and ``render`` to HTML the ones that have
   a question and an answer (every other one is listed in the report with its reason): work
   done record by record, on every core for large sources;
3. give each note its identity from the lock file (GUID kept across rebuilds, mtime kept
   while the note is unchanged); the decks' version is when their content last changed;
   ``package`` them, one deck per source, the version in each deck's description;
4. write ``report.json`` (also when some source failed) and the updated lock file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from . import __version__, jsontext
from .errors import AnkigenError, OutputError, SourceError
from .asking import identity_key, leans_on_section
from .identity import Assignment, Lock, NoteKey, assign, content_hash, model_mod
from .lexicon.questions import question_key
from .lexicon.words import keywords
from .model import model_hash
from .normalize import normalize_record, normalize_text
from .package import deck_description, make_note, write_atomic, write_package
from .record import Record
from .render import render_field, render_record
from .scrape import Registry, ScrapeResult, build_registry, scrape_source
from .sources import MAX_FILE_BYTES, Source
from .tag import add_fallback_topic, tag_record

REPORT_NAME = "report.json"
NO_ANSWER = "no answer in source"
NO_QUESTION = "empty question"
MAX_ANSWER_CHARS = 50_000
TOO_LONG = f"answer longer than {MAX_ANSWER_CHARS} characters: too long to study as one card"
PARALLEL_MIN_RECORDS = 2000  # below this, starting worker processes costs more than it saves
PARALLEL_CHUNK = 256
PR_SET_PDEATHSIG = 1  # prctl(2)


# progress(phase, done, total): how far a build is in its current phase
Progress = Callable[[str, float, float], None]


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
    version: str = ""  # the decks' release version: when their content last changed
    error: str | None = None  # what stopped the whole build, if anything did
    sources: list[SourceReport] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)  # the same question in several places

    @property
    def failed(self) -> list[SourceReport]:
        return [s for s in self.sources if s.error]

    def write(self, out_dir: Path) -> None:
        write_atomic(out_dir / REPORT_NAME,
                     lambda tmp: tmp.write_text(self.to_json(), encoding="utf-8"))

    def write_failure(self, out_dir: Path) -> None:
        """The report of a build that made no deck, unless an earlier build's report is
        there: the error lines say what went wrong, and a fuller report is not replaced."""
        if not (out_dir / REPORT_NAME).exists():
            self.write(out_dir)

    def to_json(self) -> str:
        return jsontext.dumps(asdict(self), depth=4) + "\n"  # one skipped record per line


def skip_reason(record: Record) -> str | None:
    if record.skip:
        return record.skip
    if not record.question.strip():
        return NO_QUESTION
    if not record.has_answer:
        return NO_ANSWER
    return None


def _finish(job: tuple[Record, str, Source, bool]) -> Record:
    """Normalize, tag and (for a card) render one record: work that depends on no other
    record, so large builds spread it over every core."""
    record, parent_question, source, rendering = job
    too_long = len(record.answer) > MAX_ANSWER_CHARS
    if too_long:  # listed, not carded: its answer is neither normalized nor rendered
        record = replace(record, skip=record.skip or TOO_LONG)
    record = tag_record(normalize_record(record, answer=not too_long), source, parent_question)
    return render_record(record) if rendering and skip_reason(record) is None else record


def finish_records(result: ScrapeResult, rendering: bool = True,
                   on_record: Callable[[], None] | None = None) -> list[Record]:
    """Every record of a source normalized, tagged and, for cards, rendered, in order;
    ``on_record()`` is called as each is finished."""
    parents = {r.id: normalize_text(r.question, heading=True)[0] for r in result.records}
    jobs = [(r, parents.get(r.parent or "", ""), result.source, rendering) for r in result.records]
    workers = os.cpu_count() or 1
    if len(jobs) >= PARALLEL_MIN_RECORDS and workers > 1:
        from concurrent.futures import ProcessPoolExecutor  # slow to import; large builds only

        pool = ProcessPoolExecutor(workers, initializer=_die_with_parent, initargs=(os.getpid(),))
        try:
            finished = _collect(pool.map(_finish, jobs, chunksize=PARALLEL_CHUNK), on_record)
        finally:  # on Ctrl-C or SIGTERM, the work not yet started is dropped, not waited for
            pool.shutdown(cancel_futures=True)
    else:
        finished = _collect(map(_finish, jobs), on_record)
    return add_fallback_topic(finished)


def _die_with_parent(parent: int) -> None:
    """A worker ends when the build that started it is killed: otherwise it lives on for
    minutes, holding the build's output open (a piped CI step would hang)."""
    import ctypes
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the build's own Ctrl-C handler
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)  # Linux: a signal when the parent dies
    except (OSError, AttributeError):  # elsewhere, the pool's own shutdown has to do
        pass
    if os.getppid() != parent:  # the build died before the signal was asked for
        os._exit(1)


def _collect(records, on_record: Callable[[], None] | None) -> list[Record]:
    finished = []
    for record in records:
        finished.append(record)
        if on_record:
            on_record()
    return finished


def process(result: ScrapeResult, rendering: bool = False,
            on_record: Callable[[], None] | None = None) -> tuple[list[Record], list[Record]]:
    """Finish a source's records; return (cards, records that are not cards)."""
    records = finish_records(result, rendering, on_record)
    cards = [r for r in records if skip_reason(r) is None]
    skipped = [r for r in records if skip_reason(r) is not None]
    return cards, skipped


def scrape_all(sources: list[Source], registry: Registry | None = None, debug: bool = False):
    """Yield (source, ScrapeResult or SourceError) for every source: one bad source never
    stops the others. An empty source is an error too: there is nothing to build from it."""
    if not sources:
        return  # nothing to scrape: no parsers to load
    registry = registry or build_registry()
    for source in sources:
        try:
            result = scrape_source(source, registry)
        except SourceError as exc:
            yield source, exc
            continue
        except (RecursionError, MemoryError, ValueError, TypeError, LookupError,
                AttributeError) as exc:
            if debug:
                raise
            yield source, SourceError(source.path, f"could not be parsed ({type(exc).__name__}: "
                                      f"{exc}); please report this, with --debug for details")
            continue
        if result.format == "empty":
            yield source, SourceError(source.path, "is empty (no text); add content or remove it")
            continue
        yield source, result


def deck_filename(source: Source) -> str:
    return f"{source.slug}.apkg"


def check_writable(folder: Path, advice: str) -> None:
    """Refuse a destination folder that cannot be written, before any work or any write."""
    probe = folder / f".ankigen-write-test-{os.getpid()}"  # one per build: builds may run at once
    try:
        write_atomic(probe, lambda tmp: tmp.write_bytes(b""))
    except OutputError as exc:
        raise OutputError(f"{exc}; {advice}") from None
    probe.unlink()


@dataclass
class _Deck:
    """A source's deck between identity assignment and writing."""

    source: Source
    entry: SourceReport
    notes: list
    keys: list[NoteKey]
    assignment: Assignment | None = None
    questions: list[tuple[str, str]] = field(default_factory=list)  # (key, "path:line")


def release_version(mtime: int) -> str:
    """The decks' version: when their content last changed (UTC), so unchanged sources keep it."""
    return datetime.fromtimestamp(mtime, timezone.utc).strftime("%Y.%m.%d-%H%M")


def build(sources: list[Source], out_dir: Path, timestamp: float | None = None,
          registry: Registry | None = None, lock_path: Path | None = None,
          debug: bool = False, notes_url: str = "",
          progress: Progress | None = None) -> BuildReport:
    """Build every source; ``lock_path`` (None: none) holds identities between builds.

    ``notes_url`` (with ``{version}`` in it) links each deck's description to its release
    notes; ``progress(phase, done, total)`` follows the work: "reading" (the sources' bytes,
    as their records are finished), then "writing" (decks). A source whose file, settings and
    ankigen are exactly as at its last build keeps its deck as it is.
    """
    now = int(time.time() if timestamp is None else timestamp)
    report = BuildReport()
    check_writable(out_dir, "choose another output folder with -o")
    if lock_path is not None:
        check_writable(lock_path.parent, "choose another lock file with --lock")
    try:
        lock = Lock.load(lock_path)
    except AnkigenError as exc:
        report.error = str(exc)
        report.write_failure(out_dir)
        raise
    note_type_mod = model_mod(lock, model_hash(), now)
    previous = _previous_entries(out_dir)
    inputs = {s.path: input_digest(s, notes_url) for s in sources}
    kept = {s.path: e for s in sources
            if (e := _unchanged_deck(s, inputs[s.path], lock, out_dir, previous)) is not None}
    entries: dict[str, SourceReport] = dict(kept)
    taken = {e.guid for s in sources if s.path in kept for e in lock.sources[s.slug]}
    reading = _Reading(progress, [s for s in sources if s.path not in kept])
    decks = _prepare_all([s for s in sources if s.path not in kept], entries, registry, debug,
                         reading)
    built = {s.slug for s in sources}
    _assign(decks, lock, now, taken, _gone_sources(lock, lock_path, built), built)
    mtimes = [i.mod for d in decks for i in d.assignment.identities.values()]
    # the notes of every deck the lock knows, built now or not: building one source gives the
    # version (and so the deck) that building them all gives
    rebuilt = {d.source.slug for d in decks}
    mtimes += [e.mod for slug, notes in lock.sources.items() if slug not in rebuilt for e in notes]
    report.version = release_version(max(mtimes + [note_type_mod]))
    stale = [s for s in sources if s.path in kept and
             lock.builds[s.slug].get("version") != report.version]
    stale_decks = _prepare_all(stale, entries, registry, debug, _Reading(progress, stale))
    _assign(stale_decks, lock, now, taken, set(), built)
    decks += stale_decks
    for written, deck in enumerate(decks, start=1):
        _write(deck, out_dir, lock, note_type_mod, report.version, notes_url)
        if progress:
            progress("writing", written, len(decks))
        if deck.entry.output:
            lock.builds[deck.source.slug] = {"input": inputs[deck.source.path],
                                             "output": _file_hash(Path(deck.entry.output)),
                                             "version": report.version}
            if lock_path is not None:  # where the source was: a source gone from there left
                lock.builds[deck.source.slug]["file"] = _lock_relative(deck.source, lock_path)
    report.sources = [entries[s.path] for s in sources]
    report.duplicates = _duplicates(decks, kept, previous)
    if not any(entry.output for entry in report.sources):
        # no deck at all: a typo'd path must not replace a good build's report, nor leave a
        # lock (beside a file that does not exist) that holds no note
        report.write_failure(out_dir)
        return report
    report.write(out_dir)
    if lock_path is not None and lock.to_json() != lock.text:  # a committed file changes
        write_atomic(lock_path, lambda tmp: tmp.write_text(lock.to_json(), encoding="utf-8"))
    return report


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


def _prepare_all(sources: list[Source], entries: dict[str, SourceReport], registry,
                 debug: bool, reading: "_Reading") -> list[_Deck]:
    decks = []
    for source, result in scrape_all(sources, registry, debug):
        entry = entries[source.path] = SourceReport(path=source.path, deck=source.deck)
        if isinstance(result, AnkigenError):
            entry.error = str(result)
            continue
        deck = _prepare(source, result, entry, reading.source(source, result))
        deck.questions = entry.questions = [[question_key(r.question), f"{r.source}:{r.q_line}"]
                                            for r in result.records]
        entry.similar, entry.similar_more = similar_questions(result.records)
        decks.append(deck)
    return decks


SIMILAR_MIN_WORDS = 3  # content words a wording must have to be compared at all
SIMILAR_CANDIDATES = 200  # questions sharing its rarest word that are compared: keeps a big deck linear
SIMILAR_PER_QUESTION = 3  # wider wordings listed for one question
SIMILAR_LISTED = 100  # pairs listed for a source, for a person to read; the rest are counted
_WITH_DIGITS = re.compile(r"\b[a-z]*\d[\w-]*")  # "L1" and "question 2" tell questions apart


def similar_questions(records: list[Record]) -> tuple[list[dict], int]:
    """Questions of one deck that may be the same question in other words, for a maintainer to
    judge: all the content words of one are among those of the other. A few pairs a question
    and SIMILAR_LISTED in all are listed; returns them and how many more were found."""
    vocabulary: dict[str, str] = {}  # one string per word: a large deck's words repeat
    asked = [(r, tuple(vocabulary.setdefault(w, w) for w in
                       keywords(r.question) | set(_WITH_DIGITS.findall(r.question.casefold()))))
             for r in records if r.kind == "main"]
    postings: dict[str, list[int]] = {}
    for index, (_, words) in enumerate(asked):
        for word in words:
            postings.setdefault(word, []).append(index)
    having = {word: set(indexes) for word, indexes in postings.items()}
    found: list[dict] = []
    more = 0
    for index, (record, words) in enumerate(asked):
        if len(words) < SIMILAR_MIN_WORDS:
            continue
        rarest = min(words, key=lambda word: len(postings[word]))  # any superset has it too
        # the candidates that have every other word too: set intersections, each as long as
        # the candidates at most
        wider = set(postings[rarest][:SIMILAR_CANDIDATES]).intersection(
            *(having[word] for word in words if word != rarest))
        others = sorted(other for other in wider if other != index and (
            len(asked[other][1]) > len(words) or index < other))
        shown = others[:min(SIMILAR_PER_QUESTION, SIMILAR_LISTED - len(found))]
        found += [{"questions": [record.question, asked[other][0].question],
                   "lines": [record.q_line, asked[other][0].q_line]} for other in shown]
        more += len(others) - len(shown)
    return found, more


def _duplicates(decks: list[_Deck], kept: dict[str, SourceReport],
                previous: dict[str, dict]) -> list[dict]:
    """The same question in several of this build's sources. A question asked again within
    one source is none: it is one note already, or one per section it leans on."""
    rebuilt = {d.source.path for d in decks}  # a kept deck rebuilt for a new version, too
    questions = [(d.source.path, d.questions) for d in decks]
    questions += [(path, previous.get(path, {}).get("questions", []))
                  for path in kept if path not in rebuilt]
    places: dict[str, list[str]] = {}
    sources: dict[str, set[str]] = {}
    for path, asked in questions:
        for key, place in asked:
            places.setdefault(key, []).append(place)
            sources.setdefault(key, set()).add(path)
    return [{"question": key, "places": found} for key, found in places.items()
            if len(sources[key]) > 1]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """ankigen's own code and data: a different ankigen may build a different deck."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(__file__).parent
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".toml"):
            digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()


def input_digest(source: Source, notes_url: str) -> str | None:
    """What the source's deck is built from; None for what is no regular file of a source's
    size (a device, a FIFO, a huge file: read_source refuses those without reading them)."""
    path = Path(source.path)
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    return hashlib.sha256(json.dumps([code_fingerprint(), source.slug, source.deck, source.title,
                                      source.origin, notes_url]).encode() + data).hexdigest()


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _previous_entries(out_dir: Path) -> dict[str, dict]:
    try:
        data = json.loads((out_dir / REPORT_NAME).read_text(encoding="utf-8"))
        return {entry["path"]: entry for entry in data.get("sources", [])}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return {}


def _unchanged_deck(source: Source, digest: str | None, lock: Lock, out_dir: Path,
                    previous: dict[str, dict]) -> SourceReport | None:
    """The previous build's report for this source, if its deck can be kept as it is."""
    built = lock.builds.get(source.slug)
    target = out_dir / deck_filename(source)
    old = previous.get(source.path)
    if (digest is None or built is None or old is None or built.get("input") != digest
            or not target.is_file() or _file_hash(target) != built.get("output")):
        return None
    try:
        entry = SourceReport(**old)
    except TypeError:
        return None
    entry.new = entry.changed = 0
    entry.removed = []
    return entry


def _prepare(source: Source, result: ScrapeResult, entry: SourceReport,
             on_record: Callable[[], None] | None = None) -> _Deck:
    entry.format = result.format
    entry.layout = result.layout
    entry.warnings = result.warnings
    entry.records = len(result.records)
    entry.lines = result.line_summary()
    entry.unplaced = [{"line": n, "text": shorten(result.lines[n - 1])} for n in result.unplaced]
    # the build needs nothing more of the source's text and line ledger: free them before the
    # records are rendered, which is when a large build needs its memory
    result.lines.clear()
    result.fates.clear()
    cards, skipped = process(result, rendering=True, on_record=on_record)
    title = render_field(source.title, line=True)[0]  # a title warns no record
    notes = [make_note(r, title) for r in cards]
    entry.skipped = [{"id": r.id, "line": r.q_line, "question": r.question,
                      "reason": skip_reason(r)} for r in skipped]
    entry.changes = [{"id": r.id, "line": r.q_line, "changes": r.changes}
                     for r in [n.record for n in notes] + skipped if r.changes]
    keys = [NoteKey(r.id, r.question, r.section if r.section and leans_on_section(r.question)
                    else "", content_hash(n.fields, n.tags, source.deck))
            for n, r in ((n, n.record) for n in notes)]
    return _Deck(source, entry, notes, keys)


def _gone_sources(lock: Lock, lock_path: Path | None, built: set[str]) -> set[str]:
    """Sources the lock knows that are not built now and whose file is gone from where it
    was: a renamed or split source whose questions may have moved to the sources built now."""
    if lock_path is None:
        return set()
    return {slug for slug, build in lock.builds.items() if slug not in built and "file" in build
            and not (lock_path.parent / build["file"]).exists()}


def _lock_relative(source: Source, lock_path: Path) -> str:
    return Path(os.path.relpath(Path(source.path).absolute(),
                                lock_path.parent.absolute())).as_posix()


def _assign(decks: list[_Deck], lock: Lock, now: int, taken: set[str], gone: set[str],
            built: set[str]) -> None:
    """Each deck's identities, from the lock; questions that moved between the sources built
    now (or from a source gone) keep their notes, and questions new here that another source
    not built now asks are named, since building both together would tell a move."""
    assignments = assign(lock, {d.source.slug: d.keys for d in decks}, now, taken, gone)
    elsewhere: dict[str, str] = {}  # question key -> slug of a source the build did not read
    for deck in decks:
        deck.assignment = assignments[deck.source.slug]
        deck.entry.removed = [{"id": e.id, "question": e.question}
                              for e in deck.assignment.removed]
        identities = deck.assignment.identities
        deck.entry.moved = [{"id": key.id, "question": key.question,
                             "from": identities[key.id].moved_from}
                            for key in deck.keys if identities[key.id].moved_from]
        new = [key for key in deck.keys if identities[key.id].new]
        if new and not elsewhere:
            elsewhere = {identity_key(e.question): slug for slug, entries in lock.sources.items()
                         if slug not in built and slug not in gone for e in entries}
        also = Counter(elsewhere[k] for k in map(identity_key, (key.question for key in new))
                       if k in elsewhere)
        for slug, count in sorted(also.items()):
            deck.entry.warnings.append(
                f"{count} new question(s) are also in source {slug!r}, not built now: if they "
                "moved from there, build both sources together so they keep their notes")


def _write(deck: _Deck, out_dir: Path, lock: Lock, note_type_mod: int, version: str,
           notes_url: str) -> None:
    entry, identities = deck.entry, deck.assignment.identities
    target = out_dir / deck_filename(deck.source)
    try:
        write_package(deck.notes, deck.source, target, identities, note_type_mod,
                      deck_description(deck.source, version, notes_url))
    except AnkigenError as exc:
        entry.error = str(exc)
        return
    lock.sources[deck.source.slug] = deck.assignment.entries  # only what was really written
    moved: dict[str, set[str]] = {}  # a note that moved here is no longer the other's
    for identity in identities.values():
        if identity.moved_from in lock.sources:
            moved.setdefault(identity.moved_from, set()).add(identity.guid)
    for slug, guids in moved.items():
        lock.sources[slug] = [e for e in lock.sources[slug] if e.guid not in guids]
        if not lock.sources[slug]:  # a source all of whose notes moved: renamed
            del lock.sources[slug]
            lock.builds.pop(slug, None)
    entry.cards = len(deck.notes)
    entry.new = sum(1 for i in identities.values() if i.new)
    entry.changed = sum(1 for i in identities.values() if i.changed)
    entry.output = str(target)


def shorten(text: str, width: int = 120) -> str:
    return text if len(text) <= width else text[:width] + "…"
