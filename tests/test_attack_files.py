"""Sources that are no regular files never hang or exhaust a build: a device, a FIFO and a
huge sparse file are refused from their type and size, before they are read."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ankigen.sources import MAX_FILE_BYTES
from helpers import GOOD, write

BUILD = [sys.executable, "-c", "from ankigen.cli import main; main()", "build"]


def build(tmp_path, source: str) -> subprocess.CompletedProcess:
    good = write(tmp_path / "good.txt", GOOD)
    return subprocess.run([*BUILD, source, good, "-o", str(tmp_path / "out"),
                           "--lock", str(tmp_path / "test.lock")],
                          capture_output=True, text=True, timeout=120)


def test_a_device_is_refused_without_reading_it(tmp_path):
    result = build(tmp_path, "/dev/zero")
    assert result.returncode == 1
    assert "Error: /dev/zero: is not a regular file" in result.stderr
    assert (tmp_path / "out" / "good.apkg").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = build(tmp_path, str(fifo))
    assert result.returncode == 1
    assert "is not a regular file" in result.stderr


def test_a_huge_sparse_file_is_refused_from_its_size(tmp_path):
    sparse = tmp_path / "huge.txt"
    with sparse.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 2**20)
    result = build(tmp_path, str(sparse))
    assert result.returncode == 1
    assert "more than the 256 MB a source may have" in result.stderr
