"""What changed between two builds of a deck: notes added, changed (with a word diff), removed."""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field

from .apkg import Package, plain_text


@dataclass
class NoteChange:
    guid: str
    question: str
    fields: dict[str, str] = field(default_factory=dict)  # field name -> word diff


@dataclass
class PackageDiff:
    added: list[NoteChange] = field(default_factory=list)
    changed: list[NoteChange] = field(default_factory=list)
    removed: list[NoteChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def to_dict(self) -> dict:
        return asdict(self)


def word_diff(old: str, new: str) -> str:
    """The new text with removed words as [-old-] and added ones as {+new+}."""
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(a[i1:i2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def diff_packages(previous: Package, new: Package) -> PackageDiff:
    before, after = previous.by_guid(), new.by_guid()
    result = PackageDiff()
    for guid, note in after.items():
        old = before.get(guid)
        if old is None:
            result.added.append(NoteChange(guid, note.question))
            continue
        fields = {}
        for name in dict.fromkeys([*old.fields, *note.fields]):
            was, now = old.fields.get(name, ""), note.fields.get(name, "")
            if was != now:
                fields[name] = word_diff(plain_text(was), plain_text(now)) or "(markup only)"
        if fields or old.tags != note.tags:
            if old.tags != note.tags:
                fields["tags"] = word_diff(" ".join(old.tags), " ".join(note.tags))
            result.changed.append(NoteChange(guid, note.question, fields))
        else:
            result.unchanged += 1
    result.removed = [NoteChange(guid, note.question) for guid, note in before.items()
                      if guid not in after]
    return result


def format_diff(diff: PackageDiff) -> str:
    lines = [f"{len(diff.added)} added, {len(diff.changed)} changed, {len(diff.removed)} removed, "
             f"{diff.unchanged} unchanged"]
    lines += [f"+ {c.question}" for c in diff.added]
    for change in diff.changed:
        lines.append(f"~ {change.question}")
        lines += [f"    {name}: {text}" for name, text in change.fields.items()]
    lines += [f"- {c.question}" for c in diff.removed]
    return "\n".join(lines)
