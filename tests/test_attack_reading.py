"""Attack class: decks read back by diff, check and release that would exhaust memory.

A 3 MB .apkg whose collection unpacks to gigabytes once drove them past 2.5 GB of memory.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

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


@pytest.mark.parametrize("command", ["diff", "check"])
def test_a_zip_bomb_is_refused_in_bounded_memory_naming_the_file(bomb, command):
    args = [str(bomb), str(bomb)] if command == "diff" else [str(bomb)]
    result = under_memory_limit(command, *args)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"Error: {bomb}: "), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "MemoryError" not in result.stderr

