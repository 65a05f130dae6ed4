"""The release gate: import a built deck into real Anki and report every defect.

Alone, a package is imported into a fresh collection and its notes are checked for empty
fields, fields too large for a card, broken HTML, unbalanced MathJax delimiters and duplicate
GUIDs. Against the previous release, that release is imported first and some of its cards are
studied; the new package is then imported on top with Anki's default options, as a learner
would, and the gate checks that every change was applied, nothing was duplicated or forked,
and the studied cards kept their due date, interval, repetitions and review log.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser

from .apkg import Package, PackageNote, plain_text, read_package
from .asking import asking, identity_key, same_question
from .diff import PackageDiff, diff_packages
from .errors import AnkigenError
from .record import MAX_FIELD_BYTES

CARDS_TO_STUDY = 10
EASY = 4
MAX_REMOVED_PERCENT = 10.0  # more of the previous release gone than this is a bulk loss
FEW_REMOVED = 5  # removing a handful of notes is an edit, whatever the deck's size
EXAMPLES = 3  # notes named in a defect that counts many
VOID_ELEMENTS = {"br", "hr", "img", "wbr", "input", "meta", "link", "source", "col", "area"}


class AnkiMissingError(AnkigenError):
    """The official anki package is needed to import decks."""


# ankigen is installed from its checkout, not from a package index: an "ankigen[check]" from
# an index would be whatever package someone registered under that name
INSTALL_ANKI = "pip install -e '.[check]' in ankigen's checkout"


def require_anki(command: str) -> None:
    """Refuse before any work when the official anki package, which imports decks, is missing."""
    try:
        import anki.collection  # noqa: F401
    except ImportError:
        raise AnkiMissingError(f"ankigen {command} needs the official 'anki' package to import "
                               f"decks into Anki: {INSTALL_ANKI}") from None


@dataclass
class CheckReport:
    package: str
    against: str | None = None
    notes: int = 0
    defects: list[str] = field(default_factory=list)
    imported: dict[str, int] = field(default_factory=dict)  # new/updated/unchanged/skipped
    studied: int = 0  # cards answered in the previous release before importing this one

    @property
    def ok(self) -> bool:
        return not self.defects

    def to_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok}


def _collection(directory: str):
    from anki.collection import Collection

    return Collection(os.path.join(directory, "collection.anki2"))


def _import(col, path: str):
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    # ImportAnkiPackageOptions() is exactly what a fresh Anki profile uses by default
    request = ImportAnkiPackageRequest(package_path=os.path.abspath(path),
                                       options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def check_package(path: str, against: str | None = None,
                  max_removed: float = MAX_REMOVED_PERCENT) -> CheckReport:
    require_anki("check")
    previous = read_package(against) if against else None
    return gate(read_package(path), previous, max_removed)[0]


def gate(package: Package, previous: Package | None = None,
         max_removed: float = MAX_REMOVED_PERCENT) -> tuple[CheckReport, PackageDiff | None]:
    """The check of decks already read, with the diff from the previous release (so a
    release reads and diffs each deck once)."""
    report = CheckReport(package.path, previous.path if previous else None, len(package.notes))
    report.defects += content_defects(package)
    with tempfile.TemporaryDirectory() as workdir:
        col = _collection(workdir)
        try:
            log = _import(col, package.path)
            unique = len({n.guid for n in package.notes})
            if len(log.new) != unique or log.conflicting:
                report.defects.append(f"fresh import added {len(log.new)} of {unique} notes "
                                      f"({len(log.conflicting)} conflicting)")
            report.defects += _forks(col)
        finally:
            col.close()
    if previous is None:
        return report, None
    diff = diff_packages(previous, package)
    _check_upgrade(report, previous, package, diff, max_removed)
    return report, diff


def content_defects(package: Package) -> list[str]:
    defects = []
    for guid, count in Counter(n.guid for n in package.notes).items():
        if count > 1:
            defects.append(f"GUID {guid} is used by {count} notes")
    for note in package.notes:
        where = f"note {note.question[:60]!r}"
        for name in ("Question", "Answer"):
            if not plain_text(note.fields.get(name, "")):
                defects.append(f"{where}: empty {name} field")
        for name, value in note.fields.items():
            if (size := len(value.encode())) > MAX_FIELD_BYTES:
                defects.append(f"{where}: {name} field of {size} bytes, over the "
                               f"{MAX_FIELD_BYTES} a card field may hold")
            if problem := html_problem(value):
                defects.append(f"{where}: broken HTML in {name} ({problem})")
            if problem := mathjax_problem(value):
                defects.append(f"{where}: {problem} in {name}")
    return defects


def html_problem(fragment: str) -> str | None:
    """An element opened and never closed, or closed without being opened."""
    stack: list[str] = []
    problems: list[str] = []

    class Checker(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in VOID_ELEMENTS:
                stack.append(tag)

        def handle_endtag(self, tag):
            if tag in VOID_ELEMENTS:
                return
            if tag in stack:
                while stack and stack[-1] != tag:
                    problems.append(f"<{stack.pop()}> not closed")
                stack.pop()
            else:
                problems.append(f"</{tag}> without <{tag}>")

    Checker().feed(fragment)
    problems += [f"<{tag}> not closed" for tag in stack]
    return problems[0] if problems else None


def mathjax_problem(fragment: str) -> str | None:
    """MathJax delimiters \\( \\) and \\[ \\] must pair up, in order."""
    for opening, closing in (("\\(", "\\)"), ("\\[", "\\]")):
        depth = 0
        position = 0
        while True:
            starts = [i for i in (fragment.find(opening, position), fragment.find(closing, position))
                      if i >= 0]
            if not starts:
                break
            i = min(starts)
            depth += 1 if fragment.startswith(opening, i) else -1
            if depth not in (0, 1):
                return f"unbalanced MathJax delimiter {closing if depth < 0 else opening}"
            position = i + 2
        if depth:
            return f"unbalanced MathJax delimiter {opening}"
    return None


def _asked(note: PackageNote) -> str:
    return asking(note.question, plain_text(note.fields.get("Section", "")))


def _changed_meaning(previous: Package, new: Package) -> list[str]:
    """Notes whose GUID now carries another question: the learner's schedule for one
    question would go to a different one ("What is L1 ...?" edited into "What is L2 ...?")."""
    before = previous.by_guid()
    changed = [(before[n.guid], n) for n in new.notes if n.guid in before]
    swapped = [(old, note) for old, note in changed
               if identity_key(_asked(old)) != identity_key(_asked(note))
               and not same_question(_asked(old), _asked(note))]
    if not swapped:
        return []
    examples = "; ".join(f"{old.question[:60]!r} -> {note.question[:60]!r}"
                         for old, note in swapped[:EXAMPLES])
    return [f"{len(swapped)} note(s) kept their GUID for a different question, so the review "
            f"history of one question would go to another (e.g. {examples})"]


def _lost_history(diff: PackageDiff, previous: Package, new: Package,
                  max_removed: float) -> list[str]:
    """Notes of the previous release that are gone: reworded under a new GUID, or in bulk."""
    from .identity import best_matches

    defects = []
    previous_notes = len(previous.notes)
    before, after = previous.by_guid(), new.by_guid()
    removed, added = diff.removed, diff.added
    old = [_asked(before[c.guid]) for c in removed]
    now = [_asked(after[c.guid]) for c in added]
    reworded = best_matches([identity_key(c.question) for c in removed],
                            [identity_key(c.question) for c in added],
                            lambda i, j: same_question(old[i], now[j]))
    if reworded:
        examples = "; ".join(f"{removed[i].question[:60]!r} -> {added[j].question[:60]!r}"
                             for i, j in list(reworded.items())[:EXAMPLES])
        defects.append(f"{len(reworded)} question(s) came back under a new GUID, so their review "
                       f"history would be lost (e.g. {examples})")
    share = 100 * len(removed) / max(previous_notes, 1)
    if len(removed) > FEW_REMOVED and share > max_removed:
        defects.append(f"{len(removed)} of {previous_notes} notes of the previous release "
                       f"({share:.0f}%) are gone, more than --max-removed {max_removed:g}%")
    return defects


def _forks(col) -> list[str]:
    from .model import MODEL_NAME

    names = [m.name for m in col.models.all_names_and_ids() if m.name.startswith(MODEL_NAME)]
    return [f"note type forked: {name!r}" for name in names if name != MODEL_NAME]


def _check_upgrade(report: CheckReport, previous: Package, new: Package, diff: PackageDiff,
                   max_removed: float) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        col = _collection(workdir)
        try:
            _import(col, previous.path)
            studied = _study(col)
            report.studied = len(studied)
            log = _import(col, new.path)
            guid_of = {nid: col.get_note(nid).guid for nid in col.find_notes("")}
            updated = {guid_of[n.id.nid] for n in log.updated}
            changed = {c.guid for c in diff.changed}
            not_applied = changed - updated
            report.imported = {"new": len(log.new), "updated": len(updated),
                               "unchanged": len(log.duplicate) - len(not_applied),
                               "skipped": len(log.conflicting) + len(not_applied)}
            for change in diff.changed:
                if change.guid in not_applied:
                    report.defects.append(f"edit not applied on import: {change.question[:60]!r}")
            if log.conflicting:
                report.defects.append(f"{len(log.conflicting)} notes skipped as conflicting "
                                      "(their note type no longer matches)")
            report.defects += _lost_history(diff, previous, new, max_removed)
            report.defects += _changed_meaning(previous, new)
            expected = len({n.guid for n in previous.notes} | {n.guid for n in new.notes})
            if col.note_count() != expected:
                report.defects.append(f"{col.note_count()} notes after import, expected {expected}: "
                                      "duplicates")
            report.defects += _forks(col)
            for cid, before in studied.items():
                after = _schedule(col, cid)
                if after != before:
                    report.defects.append(f"studied card {cid} lost its review state: "
                                          f"{before} -> {after}")
        finally:
            col.close()


def _study(col) -> dict[int, tuple]:
    """Answer some cards Easy, as a learner would; return their review state."""
    studied = {}
    for cid in sorted(col.find_cards(""))[:CARDS_TO_STUDY]:
        card = col.get_card(cid)
        card.start_timer()
        col.sched.answerCard(card, EASY)
        studied[cid] = _schedule(col, cid)
    return studied


def _schedule(col, cid: int) -> tuple:
    card = col.get_card(cid)
    revlog = col.db.scalar("SELECT count() FROM revlog WHERE cid = ?", cid)
    return (card.due, card.ivl, card.reps, revlog)


def format_report(report: CheckReport) -> str:
    lines = [f"{report.package}: {report.notes} notes"]
    if report.against:
        counts = ", ".join(f"{n} {what}" for what, n in report.imported.items())
        lines.append(f"  over {report.against} ({report.studied} cards studied first): {counts}")
    lines += [f"  DEFECT: {d}" for d in report.defects]
    lines.append("  ok" if report.ok else f"  {len(report.defects)} defect(s)")
    return "\n".join(lines)
