"""A release: build the decks, gate them against the previous release, write release notes.

Everything the scheduled release workflow decides happens here, so a maintainer can run it
locally: ``ankigen release --previous DIR --out DIR`` builds into OUT, runs the release gate
(``ankigen check --against``) on every deck that had a previous release, writes
``RELEASE_NOTES.md`` and ``release.json`` into OUT, and says whether anything changed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .apkg import Package, read_package
from .build import BuildOptions, build, release_version
from .check import MAX_REMOVED_PERCENT, CheckReport, gate, require_anki
from .tag import COUNT_TITLE, top_level, topic_counts
from .diff import PackageDiff
from .errors import AnkigenError
from .files import write_atomic
from .report import BuildReport
from .sources import Source
from .websources import Refreshed, refresh_sources

NOTES_NAME = "RELEASE_NOTES.md"
RESULT_NAME = "release.json"
MAX_LISTED = 50  # questions named per list in the notes; the rest are counted
# GitHub links "@name", "#12", "GH-12", "x://" and "www." in the rendered text, whatever the
# Markdown said: an invisible word joiner after the trigger leaves nothing to link or ping.
_GITHUB_LINK = re.compile(r"(?<=[@#])|(?<=:)(?=//)|(?i:(?<=\bwww)(?=\.)|(?<=\bgh)(?=-\d))")
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII one may be escaped


class ReleaseError(AnkigenError):
    """The build failed or the release gate found defects: nothing may be published."""


@dataclass
class DeckChange:
    file: str
    deck: str
    cards: int
    version: str  # the deck's own: when its content last changed
    diff: PackageDiff | None  # None: a deck that had no previous release
    package: Package = field(repr=False, default=None)

    @property
    def changed(self) -> bool:
        return self.diff is None or not self.diff.empty


@dataclass
class Release:
    version: str
    changed: bool
    notes: str
    decks: list[DeckChange]
    dropped: dict[str, str]  # previous release's decks no longer built: deck name -> file
    checks: list[CheckReport]
    report: BuildReport
    refreshed: list[Refreshed] = field(default_factory=list)  # with --refresh: each web source


@dataclass(frozen=True)
class ReleaseOptions:
    previous_dir: Path  # the previous release's decks, to gate the new ones against
    build: BuildOptions = field(default_factory=BuildOptions)  # the lock, notes link, timestamp
    max_removed: float = MAX_REMOVED_PERCENT  # percent of a deck's notes the gate lets go
    first_release: bool = False  # no previous release yet: every deck is new
    refresh: bool = False  # fetch the web sources again first (ankigen refresh)


def make_release(sources: list[Source], out_dir: Path, options: ReleaseOptions) -> Release:
    previous_dir, max_removed = options.previous_dir, options.max_removed
    require_anki("release")  # its gate imports every deck: said before anything is built
    if previous_dir.resolve() == out_dir.resolve():  # the new decks would be their own past
        raise ReleaseError(f"--previous and --out are the same folder ({out_dir}); download the "
                           "previous release into a folder of its own")
    previous = _previous_decks(previous_dir)
    if not previous and not options.first_release:  # a typo'd folder would publish every deck as new
        raise ReleaseError(f"{previous_dir}: no previous release's decks there; check the path, "
                           "or pass --first-release for the very first release")
    refreshed = _refresh(sources, options.build.debug) if options.refresh else []
    report = build(sources, out_dir, options.build)
    if report.failed:
        raise ReleaseError("the build failed: " + "; ".join(e.error for e in report.failed))
    decks, checks = [], []
    for entry in report.sources:
        path = Path(entry.output)
        package = read_package(path)
        before = previous.pop(entry.deck, None)  # Anki matches decks by name, not by file
        check, diff = gate(package, before, max_removed)
        if before is not None:
            check.defects[:0] = _new_slug(entry.deck, before, package, diff)  # the cause first
        checks.append(check)
        decks.append(DeckChange(path.name, entry.deck, entry.cards, entry.version, diff,
                                 package))
    defects = [f"{c.package}: {d}" for c in checks for d in c.defects]
    dropped = {deck: Path(old.path).name for deck, old in sorted(previous.items())}
    if max_removed < 100:  # a deck that goes loses all its notes: meant only with 100%
        defects += [f"{deck!r} ({file}, {len(previous[deck].notes)} notes) is no longer built: "
                    "restore its source, or pass --max-removed 100 if it is meant to go"
                    for deck, file in dropped.items()]
    if defects:
        raise ReleaseError(f"the release gate found {len(defects)} defect(s): " + "; ".join(defects))
    changed = bool(dropped) or any(d.changed for d in decks)
    version = report.version  # its newest deck's; a release that only drops decks is new too
    if dropped and not any(d.changed for d in decks):
        version = max(version, release_version(options.build.now()))
    release = Release(version, changed, "", decks, dropped, checks, report, refreshed)
    release.notes = release_notes(release, options.build.notes_url)
    write_atomic(out_dir / NOTES_NAME, lambda tmp: tmp.write_text(release.notes, encoding="utf-8"))
    result = {"version": release.version, "changed": changed,
              "decks": {d.file: {"version": d.version, "cards": d.cards,
                                 "new_deck": d.diff is None,
                                 **({"added": len(d.diff.added), "changed": len(d.diff.changed),
                                     "removed": len(d.diff.removed)} if d.diff else {})}
                        for d in decks},
              "dropped": dropped,
              "refreshed": {r.file: r.status for r in refreshed}}
    write_atomic(out_dir / RESULT_NAME,
                 lambda tmp: tmp.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8"))
    return release


def _refresh(sources: list[Source], debug: bool) -> list[Refreshed]:
    """Fetch the manifest's web sources again; a page that failed keeps its stored copy, and
    the release goes on with it (a site that is down must not hold back the other decks)."""
    folders = {s.home for s in sources}
    if len(folders) != 1 or "" in folders:
        raise ReleaseError("--refresh needs the sources of one sources.toml (its web sources "
                           "are fetched again)")
    return refresh_sources(Path(folders.pop()), debug=debug)


def release_notes(release: Release, notes_url: str = "") -> str:
    lines = [f"# ML interview decks, release {release.version}", "",
             "Import each `.apkg` into Anki (desktop: File → Import; AnkiMobile and AnkiDroid: "
             "open the file) with the default options, over the previous release: changed "
             "cards are updated in place and your review history is kept. Cards removed from "
             "the sources stay in your collection until you delete them.", ""]
    for deck in release.decks:
        lines.append(f"## {markdown_text(deck.deck)} (`{deck.file}`)")
        lines.append("")
        if deck.diff is None:
            lines.append(f"New deck: {deck.cards} cards.")
        elif deck.diff.empty:
            lines.append(f"Unchanged since {deck.version}: {deck.cards} cards.")
        else:
            d = deck.diff
            lines.append(f"{deck.cards} cards: {len(d.added)} added, {len(d.changed)} changed, "
                         f"{len(d.removed)} removed.")
            for title, changes in (("Added", d.added), ("Changed", d.changed),
                                   ("Removed (still in your collection)", d.removed)):
                if changes:
                    lines += ["", f"{title}:"] + _listed([c.question for c in changes])
        lines.append("")
    if release.dropped:
        lines += ["## Decks no longer built", ""]
        lines += [f"- {markdown_text(deck)} (`{file}`)"
                  for deck, file in release.dropped.items()] + [""]
    topics = top_level(topic_counts(note.tags for deck in release.decks
                                    for note in deck.package.notes))
    lines += ["## Topics", "", f"{COUNT_TITLE}.", "",
              "| topic | cards |", "|---|---|"]
    lines += [f"| {topic} | {count} |" for topic, count in sorted(topics.items())]
    return "\n".join(lines) + "\n"


def _new_slug(deck: str, before: Package, package: Package, diff: PackageDiff) -> list[str]:
    """A deck built under a new file name (its slug changed) that lost GUIDs: the same Anki
    deck would get each of its notes again, as new ones."""
    was, now = Path(before.path).name, Path(package.path).name
    kept = diff.unchanged + len(diff.changed)
    if was == now or kept == len(before.notes):
        return []
    return [f"{deck!r} was {was} and is {now} now: it keeps {kept} of {len(before.notes)} GUIDs "
            "of the previous release, so learners would get each of its notes twice; restore "
            "its slug"]


def _previous_decks(folder: Path) -> dict[str, Package]:
    """The previous release's decks by Anki deck name."""
    decks: dict[str, Package] = {}
    for path in sorted(folder.glob("*.apkg")) if folder.is_dir() else []:
        package = read_package(path)
        for deck in package.decks:
            if deck in decks:
                raise ReleaseError(f"{path}: deck {deck!r} is in {Path(decks[deck].path).name} "
                                   f"too; keep one previous release in {folder}")
            decks[deck] = package
    return decks


def markdown_text(text: str) -> str:
    """Text shown as it is on GitHub: no HTML, formatting, link, mention or issue reference."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", _GITHUB_LINK.sub("\u2060", text))


def _listed(questions: list[str]) -> list[str]:
    shown = [f"- {markdown_text(q)}" for q in questions[:MAX_LISTED]]
    if len(questions) > MAX_LISTED:
        shown.append(f"- … and {len(questions) - MAX_LISTED} more")
    return shown


