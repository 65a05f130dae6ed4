"""Builds into one folder at the same time do not trip over each other's files."""

from __future__ import annotations

import subprocess
import sys

from helpers import GOOD, write

BUILD = [sys.executable, "-c", "from ankigen.cli import main; main()", "build"]


def test_concurrent_builds_into_one_folder_all_succeed(tmp_path):
    runs = []
    for n in range(6):
        source = write(tmp_path / f"s{n}.txt", GOOD.replace("tensor", f"tensor {n}"))
        runs.append(subprocess.Popen([*BUILD, source, "-o", str(tmp_path / "out"),
                                      "--lock", str(tmp_path / f"{n}.lock"), "-q"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    assert all(code == 0 for code, _ in results), results
    assert sorted(p.name for p in (tmp_path / "out").glob("*.apkg")) == [
        f"s{n}.apkg" for n in range(6)]
    assert not list((tmp_path / "out").glob(".ankigen-*"))
