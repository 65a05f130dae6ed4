"""The build: sources in, one .apkg per source and a build report out.

1. every source through the pipeline (``pipeline.py``: scrape, normalize, tag, render; a
   source that cannot be read is reported, the rest go on), except those whose deck is kept;
   a record without a question and an answer is listed in the report with its reason;
2. give each note its identity from the lock file (GUID kept across rebuilds, mtime kept
   while the note is unchanged); each deck's version is when its own content last changed;
   ``package`` them, one deck per source, its version in its description;
3. write ``report.json`` (also when some source failed), the updated lock file, and the
   build cache beside the decks (what each deck was built from, so an unchanged source
   keeps its deck); with a preview folder, the preview site from the same reading.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from . import __version__
from .asking import identity_key, leans_on_section
from .errors import AnkigenError, OutputError
from .media import IMAGE_MAP, current_name, fetched_images_folder
from .files import content_hash, write_atomic
from .identity import Assignment, Lock, LockEntry, NoteKey, assign, model_mod
from .lexicon.questions import question_key
from .lexicon.words import keywords
from .model import model_hash
from .package import deck_description, write_package
from .pipeline import Options, Pipeline, Progress, SourceResult
from .preview import write_site
from .record import Record
from .report import REPORT_NAME, BuildReport, SourceReport, shorten
from .scrape import Registry
from .sources import MAX_FILE_BYTES, Source

# beside the decks, not in the lock: which input and identities each deck was built from, so
# an unchanged source keeps its deck; a code change must not touch the committed lock
CACHE_NAME = "ankigen-cache.json"
CACHE_VERSION = 1


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
    result: SourceResult | None  # what the preview shows, when one is written
    assignment: Assignment | None = None


_VERSION = re.compile(r"\d{4}\.\d\d\.\d\d-\d{4}")  # as release_version writes it: sorts by time


def release_version(mtime: int) -> str:
    return datetime.fromtimestamp(mtime, timezone.utc).strftime("%Y.%m.%d-%H%M")  # UTC


def deck_version(lock: Lock, slug: str, entries: list[LockEntry], note_type_mod: int,
                 now: int) -> str:
    """A deck's version: when its content last changed, so a deck whose source is unchanged
    keeps it (and its bytes) whatever the other decks do. Its content is its notes (each
    note's mtime is when it last changed), their order and the note type; a note removed or
    moved away, or notes reordered, is a change at ``now``. Never earlier than the version
    the lock holds."""
    times = [e.mod for e in entries] + [note_type_mod]
    if [e.to_json() for e in entries] != [e.to_json() for e in lock.sources.get(slug, [])]:
        times.append(now)
    version = release_version(max(times))
    previous = lock.builds.get(slug, {}).get("version", "")
    return max(version, previous) if _VERSION.fullmatch(previous) else version


@dataclass
class BuildOptions:
    timestamp: float | None = None  # the build's "now" (None: the clock's)
    lock_path: Path | None = None  # holds identities between builds (None: none)
    notes_url: str = ""  # with {version} in it: each deck's description links its release notes
    preview_dir: Path | None = None  # also write the preview site there, from the same reading
    registry: Registry | None = None  # the parsers (None: the default ones and plugins)
    progress: Progress | None = None  # progress(phase, done, total)
    debug: bool = False  # ankigen --debug: an error raises, for its traceback, instead of its line

    def now(self) -> int:
        """The build's "now", in whole seconds."""
        return int(time.time() if self.timestamp is None else self.timestamp)


def build(sources: list[Source], out_dir: Path, options: BuildOptions | None = None,
          **settings) -> BuildReport:
    """Build every source (``settings``: the fields of BuildOptions, when no ``options``).

    ``progress(phase, done, total)`` follows the work: "reading" (the sources' bytes, as their
    records are finished), then "writing" (decks). A source whose file, settings,
    identities and ankigen are exactly as at its last build into ``out_dir`` keeps its deck
    as it is (the cache there, CACHE_NAME, says; the lock holds identities only)."""
    options = options or BuildOptions(**settings)
    lock_path, notes_url, progress = options.lock_path, options.notes_url, options.progress
    now = options.now()
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
    cache = _load_cache(out_dir)
    inputs = {s.path: input_digest(s, notes_url) for s in sources}
    kept = {s.path: e for s in sources if (e := _unchanged_deck(
        s, inputs[s.path], lock, out_dir, previous, cache.get(s.slug))) is not None}
    entries: dict[str, SourceReport] = dict(kept)
    taken = {e.guid for s in sources if s.path in kept for e in lock.sources[s.slug]}
    previewing = options.preview_dir is not None
    pipeline = Pipeline(Options(line_ledger=previewing, debug=options.debug), options.registry,
                        progress)
    changed = [s for s in sources if s.path not in kept]
    # the preview shows every source, a kept deck's too: each source is read once for both
    ready = _prepare_all(pipeline, sources if previewing else changed, previewing)
    decks = _take(ready, changed, entries)
    built = {s.slug for s in sources}
    _assign(decks, lock, now, taken, _gone_sources(lock, lock_path, built), built)
    # before any deck is written: writing one takes the notes that moved to it out of the
    # lock's entries of the deck they left
    versions = {d.source.slug: deck_version(lock, d.source.slug, d.assignment.entries,
                                            note_type_mod, now) for d in decks}
    for written, deck in enumerate(decks, start=1):
        _write(deck, out_dir, lock, note_type_mod, versions[deck.source.slug], notes_url,
               options.debug)
        if progress:
            progress("writing", written, len(decks))
        if deck.entry.output:
            lock.builds[deck.source.slug] = {"version": deck.entry.version}
            if lock_path is not None:  # where the source was: a source gone from there left
                lock.builds[deck.source.slug]["file"] = _lock_relative(deck.source, lock_path)
    report.sources = [entries[s.path] for s in sources]
    # the release's version: its newest deck's (a release is made when a deck changed)
    report.version = max((e.version for e in report.sources if e.output), default="")
    report.duplicates = _duplicates(report.sources)
    if not any(entry.output for entry in report.sources):
        # no deck at all: a typo'd path must not replace a good build's report, nor leave a
        # lock (beside a file that does not exist) that holds no note
        report.write_failure(out_dir)
    else:
        report.write(out_dir)
        if lock_path is not None:  # without one, identities start afresh: no deck is kept
            if lock.to_json() != lock.text:  # a committed file changes
                write_atomic(lock_path,
                             lambda tmp: tmp.write_text(lock.to_json(), encoding="utf-8"))
            _save_cache(out_dir, cache, {d.source.slug: {
                "input": inputs[d.source.path], "output": _file_hash(Path(d.entry.output)),
                "identities": _identities_hash(lock, d.source.slug),
                "images": {path: name for note in d.notes
                           for path, name in note.record.media.items()}}
                for d in decks if d.entry.output})
    if previewing:
        # a source that could not be read is among report.failed: said once, not by the preview too
        report.preview = write_site(
            [ready[s.path].result for s in sources if isinstance(ready[s.path], _Deck)],
            options.preview_dir)
    return report


def _prepare_all(pipeline: Pipeline, sources: list[Source], keep_results: bool
                 ) -> dict[str, "_Deck | SourceReport"]:
    """Each source through the pipeline: a deck ready for identities, or, for a source that
    cannot be used, its report entry with the error."""
    ready: dict[str, _Deck | SourceReport] = {}
    for source, result in pipeline.run_all(sources):
        entry = SourceReport(path=source.path, deck=source.deck)
        if isinstance(result, AnkigenError):
            entry.error = str(result)
            ready[source.path] = entry
        else:
            ready[source.path] = _prepare(result, entry, keep_results)
    return ready


def _take(ready: dict[str, "_Deck | SourceReport"], sources: list[Source],
          entries: dict[str, SourceReport]) -> list[_Deck]:
    """The decks of these sources to write; each source's report entry goes into ``entries``."""
    decks = []
    for source in sources:
        item = ready[source.path]
        if isinstance(item, _Deck):
            decks.append(item)
            item = item.entry
        entries[source.path] = item
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


def _duplicates(entries: list[SourceReport]) -> list[dict]:
    """The same question in several of this build's sources (each source's questions once,
    as its deck was built now or kept). A question asked again within one source is none:
    it is one note already, or one per section it leans on."""
    places: dict[str, list[str]] = {}
    sources: dict[str, set[str]] = {}
    for entry in entries:
        for key, place in entry.questions:
            places.setdefault(key, []).append(place)
            sources.setdefault(key, set()).add(entry.path)
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
    try:  # the images fetched for a web page are part of its deck
        fetched = (fetched_images_folder(path) / IMAGE_MAP).read_bytes()
    except OSError:
        fetched = b""
    return hashlib.sha256(json.dumps([code_fingerprint(), source.slug, source.deck, source.title,
                                      source.origin, notes_url]).encode() + data + fetched
                          ).hexdigest()


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _previous_entries(out_dir: Path) -> dict[str, dict]:
    try:
        data = json.loads((out_dir / REPORT_NAME).read_text(encoding="utf-8"))
        return {entry["path"]: entry for entry in data.get("sources", [])}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return {}


def _load_cache(out_dir: Path) -> dict[str, dict]:
    """The build cache's entries by slug; a missing or damaged cache is an empty one: every
    deck is rebuilt, which gives the same files."""
    try:
        data = json.loads((out_dir / CACHE_NAME).read_text(encoding="utf-8"))
        if data["version"] == CACHE_VERSION:
            return {slug: entry for slug, entry in data["decks"].items() if isinstance(entry, dict)}
    except (OSError, ValueError, RecursionError, KeyError, TypeError, AttributeError):
        pass
    return {}


def _save_cache(out_dir: Path, cache: dict[str, dict], written: dict[str, dict]) -> None:
    """The cache with the decks written now; other decks of the folder keep their entries.
    A cache that cannot be written only costs the next build its shortcut."""
    updated = {**cache, **written}
    if updated == cache:
        return
    text = json.dumps({"version": CACHE_VERSION, "decks": dict(sorted(updated.items()))},
                      indent=1) + "\n"
    try:
        write_atomic(out_dir / CACHE_NAME, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except OutputError:
        pass


def _identities_hash(lock: Lock, slug: str) -> str:
    """What of the lock a source's deck is made with: its notes' identities, the note type's
    and the deck's version. A lock edited or checked out since the deck was built differs."""
    return content_hash([e.to_json() for e in lock.sources.get(slug, [])], lock.model,
                        lock.builds.get(slug, {}).get("version"))


def _unchanged_deck(source: Source, digest: str | None, lock: Lock, out_dir: Path,
                    previous: dict[str, dict], cached: dict | None) -> SourceReport | None:
    """The previous build's report for this source, if its deck can be kept as it is: the
    cache says it was built from the same input, identities and images, and it is still the
    file it was."""
    target = out_dir / deck_filename(source)
    old = previous.get(source.path)
    if (digest is None or cached is None or old is None or source.slug not in lock.builds
            or cached.get("input") != digest
            or cached.get("identities") != _identities_hash(lock, source.slug)
            or not target.is_file() or _file_hash(target) != cached.get("output")
            # an image beside the source added, changed or mended since
            or any(current_name(path) != name for path, name in cached.get("images", {}).items())):
        return None
    try:
        entry = SourceReport(**old)
    except TypeError:
        return None
    entry.new = entry.changed = 0
    entry.removed = []
    entry.version = lock.builds[source.slug].get("version", "")
    return entry


def _prepare(result: SourceResult, entry: SourceReport, keep_result: bool) -> _Deck:
    source = result.source
    entry.format = result.format
    entry.layout = result.layout
    entry.warnings = result.warnings
    entry.records = len(result.records)
    entry.lines = result.line_counts
    entry.unplaced = [{"line": n, "text": shorten(text)} for n, text in result.unplaced]
    entry.skipped = [{"id": r.id, "line": r.q_line, "question": r.question, "reason": reason}
                     for r, reason in sorted(result.skipped, key=lambda s: s[0].q_line)]
    entry.changes = [{"id": r.id, "line": r.q_line, "changes": r.changes}
                     for r in result.cards + [r for r, _ in result.skipped] if r.changes]
    keys = [NoteKey(r.id, r.question, r.section if r.section and leans_on_section(r.question)
                    else "", content_hash(n.fields, n.tags, source.deck))
            for n, r in ((n, n.record) for n in result.notes)]
    entry.questions = [[question_key(r.question), f"{r.source}:{r.q_line}"]
                       for r in result.scraped]
    entry.similar, entry.similar_more = similar_questions(result.scraped)
    return _Deck(source, entry, result.notes, keys, result if keep_result else None)


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
           notes_url: str, debug: bool) -> None:
    entry, identities = deck.entry, deck.assignment.identities
    target = out_dir / deck_filename(deck.source)
    try:
        write_package(deck.notes, deck.source, target, identities, note_type_mod,
                      deck_description(deck.source, version, notes_url))
    except AnkigenError as exc:
        if debug:  # its traceback instead of its line
            raise
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
    entry.version = version
    entry.new = sum(1 for i in identities.values() if i.new)
    entry.changed = sum(1 for i in identities.values() if i.changed)
    entry.output = str(target)
