"""What changed between two builds of a deck: notes added, changed (with a word diff), removed."""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
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
    out, i, j = [], 0, 0
    for start_a, start_b, size in [*_matching_words(a, b), (len(a), len(b), 0)]:
        if start_a > i:
            out.append("[-" + " ".join(a[i:start_a]) + "-]")
        if start_b > j:
            out.append("{+" + " ".join(b[j:start_b]) + "+}")
        out.extend(a[start_a:start_a + size])
        i, j = start_a + size, start_b + size
    return " ".join(out)


# difflib compares every word of a stretch with each place the word recurs: quadratic on a
# long field written with few words. It aligns only stretches this small (in word pairs);
# longer ones are cut at words found once on each side (patience diff), trimmed of their
# common ends, and shown as replaced when no such word is left or the work budget is spent.
_EXACT_PAIRS = 2_500
_WORK_PER_WORD = 30


def _matching_words(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """Runs of equal words (start in a, start in b, length), in order on both sides."""
    blocks = []
    budget = _WORK_PER_WORD * (len(a) + len(b)) + _EXACT_PAIRS
    stretches = [(0, len(a), 0, len(b))]
    while stretches:
        a1, a2, b1, b2 = stretches.pop()
        if (a2 - a1) * (b2 - b1) <= min(_EXACT_PAIRS, budget):
            budget -= (a2 - a1) * (b2 - b1)
            matcher = difflib.SequenceMatcher(None, a[a1:a2], b[b1:b2], autojunk=False)
            blocks += [(a1 + i, b1 + j, n) for i, j, n in matcher.get_matching_blocks() if n]
            continue
        budget -= (a2 - a1) + (b2 - b1)
        if budget < 0:
            continue
        head = 0
        while a1 + head < a2 and b1 + head < b2 and a[a1 + head] == b[b1 + head]:
            head += 1
        tail = 0
        while (a2 - tail > a1 + head and b2 - tail > b1 + head
               and a[a2 - tail - 1] == b[b2 - tail - 1]):
            tail += 1
        blocks += [block for block in ((a1, b1, head), (a2 - tail, b2 - tail, tail)) if block[2]]
        a1, b1, a2, b2 = a1 + head, b1 + head, a2 - tail, b2 - tail
        previous_a, previous_b = a1, b1
        for i, j in _unique_anchors(a, a1, a2, b, b1, b2):
            stretches.append((previous_a, i, previous_b, j))
            blocks.append((i, j, 1))
            previous_a, previous_b = i + 1, j + 1
        if previous_a > a1:  # no anchor: the stretch stays as replaced
            stretches.append((previous_a, a2, previous_b, b2))
    return sorted(blocks)


def _unique_anchors(a, a1, a2, b, b1, b2) -> list[tuple[int, int]]:
    """Words found once in a[a1:a2] and once in b[b1:b2], the longest run of them in the same
    order on both sides (patience sorting)."""
    counts = Counter(a[a1:a2])
    once_in_b = {}
    for j in range(b1, b2):
        if counts.get(b[j]) == 1:
            once_in_b[b[j]] = None if b[j] in once_in_b else j
    pairs = [(i, once_in_b[a[i]]) for i in range(a1, a2) if once_in_b.get(a[i]) is not None]
    tops: list[int] = []  # the smallest last b position of an increasing run of each length
    ends: list[int] = []  # the pair index ending that run
    before = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        length = bisect.bisect_left(tops, j)
        before[index] = ends[length - 1] if length else -1
        tops[length:length + 1], ends[length:length + 1] = [j], [index]
    run, index = [], ends[-1] if ends else -1
    while index >= 0:
        run.append(pairs[index])
        index = before[index]
    return run[::-1]


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
