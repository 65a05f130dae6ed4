"""Stable identity across rebuilds: the lock file beside the sources.

Anki matches notes by GUID only, and decides whether to apply an update by comparing note
modification times (see the README's "Updating"). So for every note the lock keeps:

- its GUID, matched on rebuild by the record's stable id first, then by close question text
  (rapidfuzz), so a reworded question or a renamed source keeps its GUID and a genuinely new
  question gets a new one;
- a hash of everything the note shows, and the mtime it was built with: an unchanged note
  keeps its mtime (so a rebuild does not overwrite what a learner edited or tagged), a changed
  note gets a newer one (so Anki applies the change under its default import options).

The note type's look (templates and CSS) gets the same treatment. The lock is JSON, sorted, one
note per line, so it reads and diffs as text; committing it makes rebuilds reproducible.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import reprlib
from dataclasses import dataclass, field
from pathlib import Path

import genanki

from . import jsontext
from .errors import ManifestError
from .scrape.text import question_key

LOCK_NAME = "ankigen.lock"
LOCK_VERSION = 1
GUID_NAMESPACE = "ankigen"
MIN_SIMILARITY = 85  # rapidfuzz ratio (0-100) for a reworded question to keep its GUID
BLOCK_ROWS = 256  # questions compared at once: a block of scores stays a few MB
MAX_COMPARISONS = 25_000_000  # all pairs up to here (a few seconds); beyond, shared words only
WORD_STEM = 4  # letters of a word that identify it across spelling variants
COMMON_WORD = 100  # a word in more previous questions than this does not narrow the search


class LockError(ManifestError):
    """The lock file is malformed or was written by a newer ankigen."""


_ENTRY_FIELDS = {"id": str, "guid": str, "question": str, "hash": str, "mod": int}
_MODEL_FIELDS = {"hash": str, "mod": int}
# an mtime past this is damage, not a date: a release version must still be able to name it
MAX_MOD = 32_503_680_000  # the year 3000


def _lock_problem(data: object) -> str | None:
    """What is wrong with a lock's structure, and where ("sources.aman[3].mod: ..."), or None."""
    if not isinstance(data, dict):
        return "not a JSON object"
    version = data.get("version")
    if not _kind(version, int) or version < 1:
        return f"version: expected a positive whole number, got {reprlib.repr(version)}"
    for key in ("model", "builds", "sources"):
        if not isinstance(data.get(key, {}), dict):
            return f"{key}: expected an object"
    model = data.get("model", {})
    required = set(_MODEL_FIELDS) if model else set()  # none yet, or both its fields
    problem = _object_problem("model", model, _MODEL_FIELDS, required)
    if problem:
        return problem
    for slug, build in data.get("builds", {}).items():
        if not isinstance(build, dict) or not all(isinstance(v, str) for v in build.values()):
            return f"builds.{slug}: expected an object of strings"
    for slug, entries in data.get("sources", {}).items():
        if not isinstance(entries, list):
            return f"sources.{slug}: expected a list of notes"
        for index, entry in enumerate(entries):
            problem = _object_problem(f"sources.{slug}[{index}]", entry, _ENTRY_FIELDS,
                                      {"id", "guid", "question"})
            if problem:
                return problem
    return None


def _kind(value: object, expected: type) -> bool:
    return isinstance(value, expected) and not isinstance(value, bool)


def _object_problem(where: str, value: object, fields: dict[str, type],
                    required: set[str]) -> str | None:
    """What is wrong with one object of the lock (a note, the note type), or None."""
    if not isinstance(value, dict):
        return f"{where}: expected an object"
    for name in sorted(set(value) - set(fields)):
        return f"{where}.{name}: unknown field"
    for name, expected in fields.items():
        if name in required and name not in value:
            return f"{where}.{name}: missing"
        if name in value and not _kind(value[name], expected):
            return f"{where}.{name}: expected {expected.__name__}, got {reprlib.repr(value[name])}"
    if not 0 <= value.get("mod", 0) <= MAX_MOD:
        return f"{where}.mod: expected a time, got {reprlib.repr(value['mod'])}"
    return None


def _shared_guids(sources: dict[str, list[LockEntry]]) -> str:
    """The notes that share a GUID, named by record id ("a:1 and b:2 share GUID x"), or ""."""
    owner: dict[str, str] = {}
    for entries in sources.values():
        for entry in entries:
            if entry.guid in owner:
                return f"{owner[entry.guid]} and {entry.id} share GUID {entry.guid}"
            owner[entry.guid] = entry.id
    return ""


@dataclass
class LockEntry:
    id: str
    guid: str
    question: str
    hash: str = ""
    mod: int = 0


@dataclass
class Lock:
    path: Path | None = None
    sources: dict[str, list[LockEntry]] = field(default_factory=dict)
    model: dict[str, object] = field(default_factory=dict)  # {"hash": ..., "mod": ...}
    # per source: what its last deck was built from and what it came to, so a rebuild of an
    # unchanged source can keep that deck ({"input": ..., "output": ..., "version": ...})
    builds: dict[str, dict[str, str]] = field(default_factory=dict)
    text: str = ""  # the file as read: a build that changes nothing leaves it untouched

    @classmethod
    def load(cls, path: Path | None) -> "Lock":
        if path is None or not path.exists():
            return cls(path)
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            reason = (f"not UTF-8 at byte {exc.start}" if isinstance(exc, UnicodeDecodeError)
                      else "nested too deeply" if isinstance(exc, RecursionError) else exc)
            raise LockError(str(path), f"malformed lock file ({reason}); restore it from version "
                            "control, or delete it to start identities afresh") from None
        version = data.get("version") if isinstance(data, dict) else None
        if _kind(version, int) and version > LOCK_VERSION:
            raise LockError(str(path), f"lock version {reprlib.repr(version)} is newer than this "
                            f"ankigen understands ({LOCK_VERSION}); upgrade ankigen")
        problem = _lock_problem(data)
        if problem:
            raise LockError(str(path), f"malformed lock file: {problem}; restore it from version "
                            "control, or delete it to start identities afresh")
        sources = {slug: [LockEntry(**entry) for entry in entries]
                   for slug, entries in data.get("sources", {}).items()}
        shared = _shared_guids(sources)
        if shared:
            raise LockError(str(path), f"the same GUID for several notes ({shared}); a merge of "
                            "the lock went wrong: keep one line per GUID")
        return cls(path, sources, dict(data.get("model", {})), dict(data.get("builds", {})), text)

    def to_json(self) -> str:
        data = {"version": LOCK_VERSION, "model": self.model,
                "builds": dict(sorted(self.builds.items())),
                "sources": {slug: [vars(e) for e in entries]
                            for slug, entries in sorted(self.sources.items())}}
        return jsontext.dumps(data, depth=3) + "\n"  # one note per line


def content_hash(*parts: object) -> str:
    return hashlib.sha256(jsontext.encode(parts).encode()).hexdigest()[:16]


@dataclass
class Identity:
    guid: str
    mod: int
    new: bool  # not in the previous build
    changed: bool  # in the previous build, with different content


@dataclass
class Assignment:
    identities: dict[str, Identity]  # by record id
    entries: list[LockEntry]  # the source's lock entries once its deck is written
    removed: list[LockEntry]  # previous entries that matched nothing: questions removed


def assign(lock: Lock, slug: str, notes: list[tuple[str, str, str]], now: int,
           taken: set[str]) -> Assignment:
    """Identities for one source's notes, given as (record id, question, content hash).

    The lock itself is not changed: ``lock.sources[slug] = assignment.entries`` once the deck
    is written. ``taken`` holds the GUIDs already given out in this build.
    """
    previous = {e.id: e for e in lock.sources.get(slug, [])}
    matched: dict[str, LockEntry] = {}
    for record_id, _, _ in notes:
        if record_id in previous:
            matched[record_id] = previous.pop(record_id)
    unmatched = [(rid, q) for rid, q, _ in notes if rid not in matched]
    matched.update(_fuzzy_match(unmatched, previous))
    removed = list(previous.values())
    identities: dict[str, Identity] = {}
    entries = []
    for record_id, question, digest in notes:
        old = matched.get(record_id)
        guid = old.guid if old else _new_guid(record_id, taken)
        taken.add(guid)
        if old is None:
            mod, changed = now, False
        elif old.hash == digest:
            mod, changed = old.mod, False
        else:
            mod, changed = max(now, old.mod + 1), True
        identities[record_id] = Identity(guid, mod, old is None, changed)
        entries.append(LockEntry(record_id, guid, question, digest, mod))
    return Assignment(identities, entries, removed)


def _fuzzy_match(unmatched: list[tuple[str, str]],
                 previous: dict[str, LockEntry]) -> dict[str, LockEntry]:
    """Pair reworded questions with their previous entries."""
    candidates = list(previous.values())
    pairs = best_matches([question_key(q) for _, q in unmatched],
                         [question_key(e.question) for e in candidates])
    for j in pairs.values():
        del previous[candidates[j].id]
    return {unmatched[i][0]: candidates[j] for i, j in pairs.items()}


def best_matches(texts: list[str], others: list[str]) -> dict[int, int]:
    """One-to-one pairs of close texts (index in texts -> index in others), best pairs first."""
    found: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in similar_pairs(texts, others):
        if i not in found and j not in used:
            found[i] = j
            used.add(j)
    return found


def similar_pairs(texts: list[str], others: list[str],
                  cutoff: float = MIN_SIMILARITY) -> list[tuple[float, int, int]]:
    """(score, i, j) with ``fuzz.ratio(texts[i], others[j]) >= cutoff``, best first.

    Up to MAX_COMPARISONS every pair is scored. Beyond that (a bulk rewording of a big
    source), a text is scored only against the others that share one of its distinctive
    words (by their first letters, so "optimiser" meets "optimizer"); a text with no such
    word is still scored against all. Either way ratio >= cutoff bounds how far apart two
    lengths can be, so only others of a reachable length are scored.
    """
    if not texts or not others:
        return []
    rows = list(range(len(texts)))
    pairs: list[tuple[float, int, int]] = []
    if len(texts) * len(others) > MAX_COMPARISONS:
        shortlist = _sharing_words(texts, others)
        rows = [i for i in rows if i not in shortlist]
        for i, candidates in shortlist.items():
            pairs += _score([i], texts, others, candidates, cutoff)
    order = sorted(range(len(others)), key=lambda j: len(others[j]))
    rows.sort(key=lambda i: len(texts[i]))
    for start in range(0, len(rows), BLOCK_ROWS):
        pairs += _score(rows[start:start + BLOCK_ROWS], texts, others, order, cutoff)
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return pairs


def _score(rows: list[int], texts: list[str], others: list[str], columns: list[int],
           cutoff: float) -> list[tuple[float, int, int]]:
    """Score texts[rows] (ascending length) against others[columns] (ascending length) on
    all cores, skipping the columns too short or too long to reach the cutoff."""
    from rapidfuzz import fuzz, process  # only rebuilds with reworded questions need it

    # ratio = 1 - indel / (a + b) and indel >= |a - b|, so b lies within a * [low, high]
    share = cutoff / 100
    low, high = share / (2 - share), (2 - share) / share
    lengths = [len(others[j]) for j in columns]
    # widened by a little: a pair exactly at the cutoff must not fall to float rounding
    first = bisect.bisect_left(lengths, len(texts[rows[0]]) * low - 1)
    last = bisect.bisect_right(lengths, len(texts[rows[-1]]) * high + 1)
    if first == last:
        return []
    scores = process.cdist([texts[i] for i in rows], [others[j] for j in columns[first:last]],
                           scorer=fuzz.ratio, score_cutoff=cutoff, dtype="float32",
                           workers=-1 if len(rows) > 1 else 1)
    return [(float(scores[r, c]), rows[r], columns[first + c]) for r, c in zip(*scores.nonzero())]


def _sharing_words(texts: list[str], others: list[str]) -> dict[int, list[int]]:
    """For each text with a distinctive word, the others (by ascending length) sharing one."""
    def words(text: str) -> set[str]:
        return {w[:WORD_STEM] for w in text.split() if len(w) >= WORD_STEM}

    postings: dict[str, list[int]] = {}
    for j, text in enumerate(others):
        for word in words(text):
            postings.setdefault(word, []).append(j)
    shortlist = {}
    for i, text in enumerate(texts):
        found = {j for w in words(text) if len(postings.get(w, ())) <= COMMON_WORD
                 for j in postings.get(w, ())}
        if found:
            shortlist[i] = sorted(found, key=lambda j: len(others[j]))
    return shortlist


def _new_guid(record_id: str, taken: set[str]) -> str:
    guid, n = genanki.guid_for(GUID_NAMESPACE, record_id), 1
    while guid in taken:  # an old GUID kept by a reworded question may equal this one
        n += 1
        guid = genanki.guid_for(GUID_NAMESPACE, record_id, n)
    return guid


def model_mod(lock: Lock, model_hash: str, now: int) -> int:
    """The note type's mtime: kept while its templates and CSS are unchanged."""
    if lock.model.get("hash") == model_hash:
        return int(lock.model["mod"])
    mod = max(now, int(lock.model.get("mod", 0)) + 1)
    lock.model = {"hash": model_hash, "mod": mod}
    return mod
