"""Decks read back by diff, check and release that would exhaust memory or time.

A 3 MB .apkg whose collection unpacks to gigabytes once drove them past 2.5 GB of memory, and
one 16,000-word answer full of repeated words took 13 s to diff (release diffed it twice).
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ankigen.diff import word_diff
from helpers import SOURCES_DIR, best_time

MB = 2**20
BOMB_BYTES = 600 * MB  # zeros: deflated to about 0.6 MB
MEMORY_LIMIT = 400 * MB  # address space of the child that reads the bomb: less than the bomb


def zip_bomb(path, declared: int | None = None):
    """An .apkg whose collection is BOMB_BYTES of zeros; `declared` makes its headers lie."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("collection.anki2", "w") as entry:
            for _ in range(BOMB_BYTES // MB):
                entry.write(bytes(MB))
    if declared is not None:  # the uncompressed size, in the local and the central header
        data = bytearray(path.read_bytes())
        for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            at = data.index(signature) + offset
            data[at:at + 4] = declared.to_bytes(4, "little")
        path.write_bytes(bytes(data))
    return path


@pytest.fixture(scope="module", params=[None, 1000], ids=["honest header", "lying header"])
def bomb(request, tmp_path_factory):
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "deck.apkg", request.param)


def under_memory_limit(*args: str) -> subprocess.CompletedProcess:
    code = ("import resource, sys; "
            f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT})); "
            "from ankigen.cli import main; sys.argv[0] = 'ankigen'; main()")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("command", ["diff", "check", "release"])
def test_a_zip_bomb_is_refused_in_bounded_memory_naming_the_file(bomb, command, tmp_path):
    args = {"diff": [str(bomb), str(bomb)], "check": [str(bomb)],
            "release": [str(SOURCES_DIR / "transformers-part-6.txt"), "--previous",
                        str(bomb.parent), "--out", str(tmp_path / "dist")]}[command]
    result = under_memory_limit(command, *args)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"Error: {bomb}: "), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "MemoryError" not in result.stderr



def few_words(size: int) -> list[str]:
    """An answer written with eight words: each recurs everywhere."""
    return random.Random(3).choices(["the", "model", "learns", "a", "weight", "of", "each",
                                     "layer"], k=size // 6)


def natural_words(size: int) -> list[str]:
    """An answer with words as common as in prose: a few everywhere, most rare."""
    rng = random.Random(5)
    return [f"w{int(rng.paretovariate(1.0))}" for _ in range(size // 6)]


def edited(words: list[str]) -> tuple[str, str]:
    """The answer, and the answer with a word changed in every 500."""
    changed = ["changed" if n % 500 == 250 else word for n, word in enumerate(words)]
    return " ".join(words), " ".join(changed)


@pytest.mark.parametrize("words", [few_words, natural_words])
def test_a_long_field_diffs_in_linear_time(words):
    small, large = (best_time(lambda n: (word_diff, *edited(words(n))), size)
                    for size in (20_000, 80_000))
    assert large < 10 * max(small, 0.005), f"{small:.3f} s -> {large:.3f} s"


def test_a_long_field_in_prose_still_shows_each_changed_word():
    old, new = edited(natural_words(96_000))  # 16,000 words
    changes = re.findall(r"\[-(.*?)-\] \{\+(.*?)\+\}", word_diff(old, new))
    assert len(changes) == 32 and all(added == "changed" for _, added in changes)
    assert all(" " not in removed for removed, _ in changes)


def sides(diff: str) -> tuple[list[str], list[str]]:
    """The old and the new words a word diff was made from."""
    old, new = [], []
    for part in re.findall(r"\[-(.*?)-\]|\{\+(.*?)\+\}|(\S+)", diff):
        removed, added, kept = part
        old += (removed or kept).split() if not added else []
        new += (added or kept).split() if not removed else []
    return old, new


word_lists = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]) | st.text("xyz", min_size=1),
                      max_size=300)


@settings(max_examples=300, deadline=None)
@given(word_lists, word_lists)
def test_a_word_diff_gives_back_both_texts(old, new):
    assert sides(word_diff(" ".join(old), " ".join(new))) == (old, new)
