"""Stable identity across rebuilds: the lock file beside the sources.

Anki matches notes by GUID only, and decides whether to apply an update by comparing note
modification times (see the README's "Updating"). So for every note the lock keeps:

- its GUID, matched on rebuild by the record's stable id first, then by close question text
  (rapidfuzz) that asks the same thing (``asking.same_question``), so a reworded question keeps
  its GUID, a question that moved to another source takes it along, and a new question (also
  one a character away, "L1" to "L2") gets a new one;
- a hash of everything the note shows, and the mtime it was built with: an unchanged note
  keeps its mtime (so a rebuild does not overwrite what a learner edited or tagged), a changed
  note gets a newer one (so Anki applies the change under its default import options).

The note type's look (templates and CSS) gets the same treatment. The lock is JSON, sorted, one
note per line, so it reads and diffs as text; committing it makes rebuilds reproducible.
"""

from __future__ import annotations

import bisect
import json
import reprlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import genanki

from . import jsontext
from .errors import ManifestError
from .asking import asking, identity_key, leans_on_section, same_question
from .note_identity import Identity

LOCK_NAME = "ankigen.lock"
LOCK_VERSION = 2  # 2: an entry may keep the section its question leans on
GUID_NAMESPACE = "ankigen"
MIN_SIMILARITY = 85  # rapidfuzz ratio (0-100) for a reworded question to keep its GUID
BLOCK_ROWS = 256  # questions compared at once: a block of scores stays a few MB
MAX_COMPARISONS = 25_000_000  # all pairs up to here (a few seconds); beyond, shared words only
WORD_STEM = 4  # letters of a word that identify it across spelling variants
COMMON_WORD = 100  # a word in more previous questions than this does not narrow the search


class LockError(ManifestError):
    """The lock file is malformed or was written by a newer ankigen."""


_ENTRY_FIELDS = {"id": str, "guid": str, "question": str, "hash": str, "mod": int,
                 "section": str}
_MODEL_FIELDS = {"hash": str, "mod": int}
# a build's cache hashes, which version 2 locks once kept: read and dropped (the cache lives
# beside the decks now), so the next write leaves them out and a code change touches no lock
_BUILD_CACHE_KEYS = ("input", "output")
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
    section: str = ""  # the question's section, kept only when the question leans on it

    def to_json(self) -> dict:
        return {k: v for k, v in vars(self).items() if v or k != "section"}


@dataclass
class Lock:
    path: Path | None = None
    sources: dict[str, list[LockEntry]] = field(default_factory=dict)
    model: dict[str, object] = field(default_factory=dict)  # {"hash": ..., "mod": ...}
    # per source: its deck's version and its file ({"version": ..., "file": ...})
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
        builds = {slug: {k: v for k, v in build.items() if k not in _BUILD_CACHE_KEYS}
                  for slug, build in data.get("builds", {}).items()}
        return cls(path, sources, dict(data.get("model", {})), builds, text)

    def to_json(self) -> str:
        data = {"version": LOCK_VERSION, "model": self.model,
                "builds": dict(sorted(self.builds.items())),
                "sources": {slug: [e.to_json() for e in entries]
                            for slug, entries in sorted(self.sources.items())}}
        return jsontext.dumps(data, depth=3) + "\n"  # one note per line


@dataclass(frozen=True)
class NoteKey:
    """What identifies one note of a build: its record id and what it asks."""
    id: str
    question: str
    section: str  # "" unless the question leans on its section
    hash: str  # of everything the note shows

    @property
    def asking(self) -> str:
        return asking(self.question, self.section)


def _asking_of(entry: LockEntry) -> str:
    return asking(entry.question, entry.section)


@dataclass
class Assignment:
    identities: dict[str, Identity]  # by record id
    entries: list[LockEntry]  # the source's lock entries once its deck is written
    removed: list[LockEntry]  # previous entries that matched nothing: questions removed


def assign(lock: Lock, notes: dict[str, list[NoteKey]], now: int, taken: set[str],
           gone: set[str] = frozenset()) -> dict[str, Assignment]:
    """Identities for the notes of the sources built now, by slug.

    Each note keeps the GUID of its previous self: in its own source by record id, then by
    close wording of the same question; then a question that moved between sources (a source
    split in two, a renamed file) keeps the note it had in the source it left, if that source
    no longer asks it (it was built now, or is ``gone``). The lock itself is not changed:
    ``lock.sources[slug] = assignment.entries`` once a deck is written (and a moved note
    leaves the source it came from, ``Identity.moved_from``). ``taken`` holds GUIDs given
    out already.
    """
    matched: dict[str, LockEntry] = {}
    left: dict[str, dict[str, LockEntry]] = {}  # previous entries no note claimed, by slug
    for slug, keys in notes.items():
        previous = {e.id: e for e in lock.sources.get(slug, [])}
        for key in keys:
            if key.id in previous:
                matched[key.id] = previous.pop(key.id)
        _fuzzy_match([k for k in keys if k.id not in matched], previous, matched)
        left[slug] = previous
    for slug in gone - notes.keys():
        left[slug] = {e.id: e for e in lock.sources.get(slug, [])}
    pool = {(slug, e.id): e for slug, entries in left.items() for e in entries.values()}
    moved = _match_moves([k for keys in notes.values() for k in keys if k.id not in matched],
                         pool, matched)
    for slug, entry_id in moved:
        del left[slug][entry_id]
    origin = {pool[place].guid: place[0] for place in moved}
    assignments = {}
    for slug, keys in notes.items():
        identities: dict[str, Identity] = {}
        entries = []
        for key in keys:
            old = matched.get(key.id)
            guid = old.guid if old else _new_guid(key.id, taken)
            taken.add(guid)
            if old is None:
                mod, changed = now, False
            elif old.hash == key.hash:
                mod, changed = old.mod, False
            else:
                mod, changed = max(now, old.mod + 1), True
            moved_from = origin.get(guid, slug)
            identities[key.id] = Identity(guid, mod, old is None, changed,
                                          moved_from if moved_from != slug else "")
            entries.append(LockEntry(key.id, guid, key.question, key.hash, mod, key.section))
        assignments[slug] = Assignment(identities, entries, list(left[slug].values()))
    return assignments


def _fuzzy_match(unmatched: list[NoteKey], previous: dict[str, LockEntry],
                 matched: dict[str, LockEntry]) -> None:
    """Pair reworded questions with their previous entries (taken out of ``previous``)."""
    rest = _pair(unmatched, previous, matched, lambda key: key.asking)
    # a lock written before sections counted knows a leaning question by its words alone
    legacy = {i: e for i, e in previous.items() if not e.section and leans_on_section(e.question)}
    unclaimed = set(legacy)
    _pair(rest, legacy, matched, lambda key: key.question)
    for entry_id in unclaimed - legacy.keys():
        del previous[entry_id]


def _pair(keys: list[NoteKey], entries: dict[str, LockEntry], matched: dict[str, LockEntry],
          text: Callable[[NoteKey], str]) -> list[NoteKey]:
    """Match ``keys`` to the entries with the closest questions that ask the same (``text``
    of a key against an entry's asking, so a section tells apart what it leans on), taking
    them out of ``entries``; returns the keys left unmatched."""
    if not keys or not entries:
        return keys
    candidates = list(entries.values())
    pairs = _close_and_same(keys, candidates, text)
    for i, j in pairs.items():
        matched[keys[i].id] = entries.pop(candidates[j].id)
    return [k for i, k in enumerate(keys) if i not in pairs]


def _close_and_same(keys: list[NoteKey], entries: list[LockEntry],
                    text: Callable[[NoteKey], str] = lambda key: key.asking) -> dict[int, int]:
    new = [text(k) for k in keys]
    old = [_asking_of(e) for e in entries]
    return best_matches([identity_key(k.question) for k in keys],
                        [identity_key(e.question) for e in entries],
                        lambda i, j: same_question(old[j], new[i]))


def _match_moves(unmatched: list[NoteKey], pool: dict[tuple[str, str], LockEntry],
                 matched: dict[str, LockEntry]) -> list[tuple[str, str]]:
    """Pair questions new to their source with entries other sources left behind: the same
    question first, then the same question reworded. Returns the places taken from."""
    if not unmatched or not pool:
        return []
    places = list(pool)
    by_key: dict[str, list[int]] = {}
    for index, place in enumerate(places):
        by_key.setdefault(identity_key(_asking_of(pool[place])), []).append(index)
    taken: list[int] = []
    rest = []
    for indexes in by_key.values():
        indexes.reverse()  # first entry first, popped from the end
    for key in unmatched:
        same = by_key.get(identity_key(key.asking))
        if same:
            taken.append(same.pop())
            matched[key.id] = pool[places[taken[-1]]]
        else:
            rest.append(key)
    free = sorted(set(range(len(places))) - set(taken))
    for i, j in _close_and_same(rest, [pool[places[i]] for i in free]).items():
        taken.append(free[j])
        matched[rest[i].id] = pool[places[free[j]]]
    return [places[i] for i in taken]


CANDIDATES_PER_TEXT = 16  # closest others kept per text: memory stays linear in the texts
# a text whose candidates all went to better pairs or ask something else is scored again
# against what is left, a few times at most: questions that all read alike ("What are the
# advantages?" under a hundred renamed sections) must not cost a round per sixteen of them
MATCH_ROUNDS = 4


def best_matches(texts: list[str], others: list[str],
                 same: Callable[[int, int], bool] = lambda i, j: True) -> dict[int, int]:
    """One-to-one pairs of close texts (index in texts -> index in others), best pairs first;
    ``same(i, j)`` may refuse a close pair that asks something else.

    Only each text's closest few others are kept at a time; a text whose few were all taken
    by better pairs or refused is scored again against what is left (MATCH_ROUNDS times).
    """
    found: dict[int, int] = {}
    used: set[int] = set()
    refused: dict[int, set[int]] = {}
    rows = list(range(len(texts)))
    for _ in range(MATCH_ROUNDS):
        pairs = similar_pairs(texts, others, rows=rows, per_row=CANDIDATES_PER_TEXT,
                              skip=used, refused=refused)
        offered = Counter(i for _, i, _ in pairs)
        for _, i, j in pairs:
            if i in found or j in used:
                continue
            if same(i, j):
                found[i] = j
                used.add(j)
            else:
                refused.setdefault(i, set()).add(j)
        rows = [i for i in rows if i not in found and offered[i] == CANDIDATES_PER_TEXT]
        if not rows:
            break
    return found


def similar_pairs(texts: list[str], others: list[str], cutoff: float = MIN_SIMILARITY,
                  rows: list[int] | None = None, per_row: int | None = None,
                  skip: set[int] = frozenset(), refused: dict[int, set[int]] | None = None
                  ) -> list[tuple[float, int, int]]:
    """(score, i, j) with ``fuzz.ratio(texts[i], others[j]) >= cutoff``, best first: for
    ``rows`` (default all texts), at most ``per_row`` each, leaving out the others in ``skip``
    and those ``refused`` for a text.

    Up to MAX_COMPARISONS every pair is scored. Beyond that (a bulk rewording of a big
    source), a text is scored only against the others that share one of its distinctive
    words (by their first letters, so "optimiser" meets "optimizer"); a text with no such
    word is still scored against all. Either way ratio >= cutoff bounds how far apart two
    lengths can be, so only others of a reachable length are scored.
    """
    rows = list(range(len(texts))) if rows is None else list(rows)
    if not rows or not others:
        return []
    scoring = _Scoring(texts, others, cutoff, per_row, skip, refused or {})
    pairs: list[tuple[float, int, int]] = []
    if len(rows) * len(others) > MAX_COMPARISONS:
        shortlist = _sharing_words(texts, others, rows)
        rows = [i for i in rows if i not in shortlist]
        for i, candidates in shortlist.items():
            pairs += scoring.score([i], candidates)
    order = sorted(range(len(others)), key=lambda j: len(others[j]))
    rows.sort(key=lambda i: len(texts[i]))
    for start in range(0, len(rows), BLOCK_ROWS):
        pairs += scoring.score(rows[start:start + BLOCK_ROWS], order)
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return pairs


@dataclass
class _Scoring:
    texts: list[str]
    others: list[str]
    cutoff: float
    per_row: int | None
    skip: set[int]
    refused: dict[int, set[int]]

    def score(self, rows: list[int], columns: list[int]) -> list[tuple[float, int, int]]:
        """Score texts[rows] (ascending length) against others[columns] (ascending length) on
        all cores, skipping the columns too short or too long to reach the cutoff."""
        import numpy
        from rapidfuzz import fuzz, process  # only rebuilds with reworded questions need it

        # ratio = 1 - indel / (a + b) and indel >= |a - b|, so b lies within a * [low, high]
        share = self.cutoff / 100
        low, high = share / (2 - share), (2 - share) / share
        lengths = [len(self.others[j]) for j in columns]
        # widened by a little: a pair exactly at the cutoff must not fall to float rounding
        first = bisect.bisect_left(lengths, len(self.texts[rows[0]]) * low - 1)
        last = bisect.bisect_right(lengths, len(self.texts[rows[-1]]) * high + 1)
        columns = [j for j in columns[first:last] if j not in self.skip]
        if not columns:
            return []
        scores = process.cdist([self.texts[i] for i in rows], [self.others[j] for j in columns],
                               scorer=fuzz.ratio, score_cutoff=self.cutoff, dtype="float32",
                               workers=-1 if len(rows) > 1 else 1)
        refused = [(r, i) for r, i in enumerate(rows) if self.refused.get(i)]
        if refused:
            position = {j: c for c, j in enumerate(columns)}
            for r, i in refused:
                for j in self.refused[i] & position.keys():
                    scores[r, position[j]] = 0
        if self.per_row is not None and len(columns) > self.per_row:
            best = numpy.argpartition(-scores, self.per_row - 1, axis=1)[:, :self.per_row]
            found = [(r, c) for r, row in enumerate(best) for c in row if scores[r, c] > 0]
        else:
            found = zip(*scores.nonzero())
        return [(float(scores[r, c]), rows[r], columns[c]) for r, c in found]


def _sharing_words(texts: list[str], others: list[str], rows: list[int]) -> dict[int, list[int]]:
    """For each text with a distinctive word, the others (by ascending length) sharing one."""
    def words(text: str) -> set[str]:
        return {w[:WORD_STEM] for w in text.split() if len(w) >= WORD_STEM}

    postings: dict[str, list[int]] = {}
    for j, text in enumerate(others):
        for word in words(text):
            postings.setdefault(word, []).append(j)
    shortlist = {}
    for i in rows:
        found = {j for w in words(texts[i]) if len(postings.get(w, ())) <= COMMON_WORD
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
