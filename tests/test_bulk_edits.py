"""Bulk edits of a source must not drop learners' history without a word.

Rewording thousands of questions at once (a style pass over a big source, or a normalizer
change in ankigen itself) once turned fuzzy matching off and gave every reworded question a
new GUID, while the release gate still said ok.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from ankigen.build import build
from ankigen.check import check_package
from ankigen import identity
from ankigen.identity import LOCK_NAME, MIN_SIMILARITY, similar_pairs
from ankigen.sources import resolve_sources

BULK = 3000  # 3000 x 3000 comparisons: more than the old limit of 4 million pairs
VOCABULARY = ["gradient", "attention", "kernel", "variance", "softmax", "encoder", "dropout",
              "embedding", "regularization", "entropy", "batch", "residual", "tokenizer",
              "overfitting", "convolution", "momentum", "sampling", "likelihood", "boosting"]


def questions(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [f"Question {n}: how does " + " ".join(rng.choices(VOCABULARY, k=8)) + " work"
            for n in range(count)]


def write_source(path, asked: list[str]) -> None:
    path.write_text("".join(f"Q: {q}?\nA: Because of {q.lower()}.\n\n" for q in asked),
                    encoding="utf-8")


def build_deck(source, out, lock=True):
    report = build(resolve_sources([str(source)]), out, timestamp=1_700_000_000,
                   lock_path=source.parent / LOCK_NAME if lock else None)
    assert not report.failed, report.failed
    return report.sources[0]


def test_rewording_thousands_of_questions_keeps_every_identity(tmp_path):
    source = tmp_path / "bulk.txt"
    asked = questions(BULK)
    write_source(source, asked)
    first = build_deck(source, tmp_path / "v1")
    assert first.cards == BULK
    write_source(source, [q + " in practice" for q in asked])
    second = build_deck(source, tmp_path / "v2")
    assert (second.new, second.changed, len(second.removed)) == (0, BULK, 0)


def test_gate_fails_when_reworded_questions_lose_their_identity(tmp_path):
    source = tmp_path / "deck.txt"
    asked = questions(40)
    write_source(source, asked)
    old = build_deck(source, tmp_path / "v1", lock=False).output
    write_source(source, [q + " in practice" for q in asked])
    new = build_deck(source, tmp_path / "v2", lock=False).output  # no lock: every GUID new
    report = check_package(new, old)
    assert not report.ok
    assert any("40 question(s) came back under a new GUID" in d for d in report.defects)


def test_gate_fails_when_notes_disappear_in_bulk(tmp_path):
    source = tmp_path / "deck.txt"
    asked = questions(40)
    write_source(source, asked)
    old = build_deck(source, tmp_path / "v1").output
    write_source(source, asked[:20])
    new = build_deck(source, tmp_path / "v2").output
    report = check_package(new, old)
    assert any("20 of 40 notes of the previous release (50%) are gone" in d
               for d in report.defects)
    assert check_package(new, old, max_removed=60).ok  # a maintainer who meant to trim


def test_gate_accepts_a_few_removed_notes(tmp_path):
    source = tmp_path / "deck.txt"
    asked = questions(40)
    write_source(source, asked)
    old = build_deck(source, tmp_path / "v1").output
    write_source(source, asked[:-3])
    new = build_deck(source, tmp_path / "v2").output
    assert check_package(new, old).ok


def test_beyond_a_full_comparison_words_still_pair_a_bulk_rewording(monkeypatch):
    monkeypatch.setattr(identity, "MAX_COMPARISONS", 0)  # as if the sources were huge
    old = questions(BULK, seed=11) + ["Why does the optimiser's learning rate need a warmup"]
    new = [q + " in practice" for q in old[:-1]] + ["Why does the optimizer's learning rate need warmup"]
    assert identity.best_matches(new, old) == {i: i for i in range(len(old))}


texts = st.lists(st.text(alphabet="abc de", max_size=30), max_size=12)


@settings(max_examples=150, deadline=None)
@given(texts, texts)
def test_similar_pairs_finds_exactly_the_pairs_a_full_comparison_finds(left, right):
    expected = {(i, j) for i, a in enumerate(left) for j, b in enumerate(right)
                if fuzz.ratio(a, b) >= MIN_SIMILARITY}
    assert {(i, j) for _, i, j in similar_pairs(left, right)} == expected


def test_checking_against_an_unrelated_deck_fails(built):
    _, out = built
    report = check_package(str(out / "transformers-part-6.apkg"),
                           str(out / "transformer-model-qa.apkg"))
    assert any("30 of 30 notes of the previous release (100%) are gone" in d
               for d in report.defects)


def test_a_pair_exactly_at_the_cutoff_is_matched_in_both_directions():
    assert fuzz.ratio("what is attention", "what is multi attention") == MIN_SIMILARITY
    assert identity.best_matches(["what is attention"], ["what is multi attention"]) == {0: 0}
    assert identity.best_matches(["what is multi attention"], ["what is attention"]) == {0: 0}


LOOK_ALIKES = """
import random, sys
from ankigen import identity
rng = random.Random(3)
words = ["gradient", "attention", "kernel", "variance", "softmax", "encoder", "dropout"]
old = [f"how does the {rng.choice(words)} layer of a deep network work, case {i}"
       for i in range(int(sys.argv[1]))]
found = identity.best_matches([q + " today" for q in old], old)
assert found == {i: i for i in range(len(old))}, len(found)
# this process's own peak (VmHWM); ru_maxrss would carry the parent's peak over from before exec
print(next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM')) // 1024)
"""


def test_rewording_thousands_of_look_alike_questions_stays_small():
    """Every pair of these questions is above the cutoff (16 million pairs): only each one's
    closest few are kept, so memory does not grow with the square of the questions."""
    import subprocess
    import sys

    peak = [int(subprocess.run([sys.executable, "-c", LOOK_ALIKES, str(n)], check=True,
                               capture_output=True, text=True).stdout) for n in (1000, 4000)]
    assert peak[1] < 300 and peak[1] - peak[0] < 100, peak  # MB; all pairs took 750 MB


def test_long_questions_are_matched_in_time_linear_in_their_length():
    import time

    def rebuild(size: int) -> float:
        rng = random.Random(size)
        asked = ["".join(rng.choices("abcdefgh ", k=size)) + "?" for _ in range(40)]
        lock = identity.Lock(sources={"deck": [identity.LockEntry(f"deck:{n}", f"g{n}", q)
                                               for n, q in enumerate(asked)]})
        notes = {"deck": [identity.NoteKey(f"deck:new{n}", q + " reworded", "", "h")
                          for n, q in enumerate(asked)]}
        start = time.perf_counter()
        identity.assign(lock, notes, 1, set())
        return time.perf_counter() - start

    small, large = min(rebuild(10_000) for _ in range(3)), min(rebuild(40_000) for _ in range(3))
    assert large / small < 5, (small, large)


def test_questions_that_all_read_alike_are_matched_in_linear_time():
    """A hundred sections renamed, each asking "What are the advantages?": every close pair
    asks something else (another section), so each question is tried a few rounds, no more."""
    import time

    def rebuild(count: int) -> float:
        lock = identity.Lock(sources={"deck": [
            identity.LockEntry(f"deck:{n}", f"g{n}", "What are the advantages?", "h", 1,
                               f"Topic {n}") for n in range(count)]})
        notes = {"deck": [identity.NoteKey(f"deck:new{n}", "What are the advantages?",
                                           f"Renamed part {n}", "h") for n in range(count)]}
        start = time.perf_counter()
        assignment = identity.assign(lock, notes, 2, set())["deck"]
        assert all(i.new for i in assignment.identities.values())  # no section's GUID passed on
        return time.perf_counter() - start

    small, large = min(rebuild(150) for _ in range(2)), min(rebuild(600) for _ in range(2))
    assert large / small < 6, (small, large)
