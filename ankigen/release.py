"""A release: build the decks, gate them against the previous release, write release notes.

Everything the scheduled release workflow decides happens here, so a maintainer can run it
locally: ``ankigen release --previous DIR --out DIR`` builds into OUT, runs the release gate
(``ankigen check --against``) on every deck that had a previous release, writes
``RELEASE_NOTES.md`` and ``release.json`` into OUT, and says whether anything changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .apkg import Package, read_package
from .build import BuildReport, build
from .check import MAX_REMOVED_PERCENT, CheckReport, check_package
from .tag import COUNT_TITLE, top_level, topic_counts
from .diff import PackageDiff, diff_packages
from .errors import AnkigenError
from .package import write_atomic
from .sources import Source

NOTES_NAME = "RELEASE_NOTES.md"
RESULT_NAME = "release.json"
MAX_LISTED = 50  # questions named per list in the notes; the rest are counted


class ReleaseError(AnkigenError):
    """The build failed or the release gate found defects: nothing may be published."""


@dataclass
class DeckChange:
    file: str
    deck: str
    cards: int
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
    dropped: list[str]  # deck files of the previous release that are no longer built
    checks: list[CheckReport]
    report: BuildReport


def make_release(sources: list[Source], previous_dir: Path, out_dir: Path,
                 lock_path: Path | None, notes_url: str = "",
                 timestamp: float | None = None,
                 max_removed: float = MAX_REMOVED_PERCENT,
                 first_release: bool = False) -> Release:
    if previous_dir.resolve() == out_dir.resolve():  # the new decks would be their own past
        raise ReleaseError(f"--previous and --out are the same folder ({out_dir}); download the "
                           "previous release into a folder of its own")
    previous = {p.name: p for p in previous_dir.glob("*.apkg")} if previous_dir.is_dir() else {}
    if not previous and not first_release:  # a typo'd folder would publish every deck as new
        raise ReleaseError(f"{previous_dir}: no previous release's decks there; check the path, "
                           "or pass --first-release for the very first release")
    report = build(sources, out_dir, timestamp=timestamp, lock_path=lock_path, notes_url=notes_url)
    if report.failed:
        raise ReleaseError("the build failed: " + "; ".join(e.error for e in report.failed))
    decks, checks = [], []
    for entry in report.sources:
        path = Path(entry.output)
        before = previous.get(path.name)
        checks.append(check_package(str(path), str(before) if before else None, max_removed))
        package = read_package(path)
        diff = diff_packages(read_package(before), package) if before else None
        decks.append(DeckChange(path.name, entry.deck, entry.cards, diff, package))
    defects = [f"{c.package}: {d}" for c in checks for d in c.defects]
    if defects:
        raise ReleaseError(f"the release gate found {len(defects)} defect(s): " + "; ".join(defects))
    built = {d.file for d in decks}
    dropped = sorted(name for name in previous if name not in built)
    changed = bool(dropped) or any(d.changed for d in decks)
    release = Release(report.version, changed, "", decks, dropped, checks, report)
    release.notes = release_notes(release, notes_url)
    write_atomic(out_dir / NOTES_NAME, lambda tmp: tmp.write_text(release.notes, encoding="utf-8"))
    result = {"version": release.version, "changed": changed,
              "decks": {d.file: {"cards": d.cards, "new_deck": d.diff is None,
                                 **({"added": len(d.diff.added), "changed": len(d.diff.changed),
                                     "removed": len(d.diff.removed)} if d.diff else {})}
                        for d in decks},
              "dropped": dropped}
    write_atomic(out_dir / RESULT_NAME,
                 lambda tmp: tmp.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8"))
    return release


def release_notes(release: Release, notes_url: str = "") -> str:
    lines = [f"# ML interview decks, release {release.version}", "",
             "Import each `.apkg` into Anki (desktop: File → Import; AnkiMobile and AnkiDroid: "
             "open the file) with the default options, over the previous release: changed "
             "cards are updated in place and your review history is kept. Cards removed from "
             "the sources stay in your collection until you delete them.", ""]
    for deck in release.decks:
        lines.append(f"## {deck.deck} (`{deck.file}`)")
        lines.append("")
        if deck.diff is None:
            lines.append(f"New deck: {deck.cards} cards.")
        elif deck.diff.empty:
            lines.append(f"Unchanged: {deck.cards} cards.")
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
        lines += ["## Decks no longer built", ""] + [f"- `{name}`" for name in release.dropped] + [""]
    topics = top_level(topic_counts(note.tags for deck in release.decks
                                    for note in deck.package.notes))
    lines += ["## Topics", "", f"{COUNT_TITLE}.", "",
              "| topic | cards |", "|---|---|"]
    lines += [f"| {topic} | {count} |" for topic, count in sorted(topics.items())]
    return "\n".join(lines) + "\n"


def _listed(questions: list[str]) -> list[str]:
    shown = [f"- {q}" for q in questions[:MAX_LISTED]]
    if len(questions) > MAX_LISTED:
        shown.append(f"- … and {len(questions) - MAX_LISTED} more")
    return shown


