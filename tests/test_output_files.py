"""Destinations that cannot take the build (a full disk, an unwritable lock folder).

Every destination is checked before anything is written, a write that fails midway replaces
nothing, and the error is one line naming the full path, with the report still updated.

Builds into one folder at the same time do not trip over each other's files.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

from ankigen.identity import LOCK_NAME
from helpers import GOOD, write

FILE_LIMIT = 96 * 1024  # bytes any one file may grow to: the deck's collection is larger
ANSWER = "A long answer about gradient descent and its step size. " * 40


def write_source(path: Path, questions: int, answer: str = ANSWER) -> None:
    path.write_text("".join(f"Q: What is property number {n} of gradient descent?\nA: {answer}\n\n"
                            for n in range(questions)), encoding="utf-8")


def ankigen(*args: str, file_limit: int | None = None) -> subprocess.CompletedProcess:
    def limit_file_size():  # as a full disk would: writes past the limit fail with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run([sys.executable, "-m", "ankigen.cli", *args], capture_output=True,
                          text=True, timeout=120,
                          preexec_fn=limit_file_size if file_limit else None)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_full_disk_while_writing_a_deck_replaces_nothing_and_names_the_deck(tmp_path):
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    write_source(small, 2, "Short.")
    write_source(big, 2, "Short.")
    out, lock = tmp_path / "out", tmp_path / LOCK_NAME
    first = ankigen("build", str(small), str(big), "-o", str(out), "--lock", str(lock))
    assert first.returncode == 0, first.stderr
    decks_before, lock_before = snapshot(out), lock.read_bytes()

    write_source(big, 60)  # its collection outgrows what the disk can take
    result = ankigen("build", str(small), str(big), "-o", str(out), "--lock", str(lock),
                     file_limit=FILE_LIMIT)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1  # the reason is sqlite's or the system's own words
    assert errors[0].startswith(f"Error: {(out / 'big.apkg').absolute()}: cannot write (")
    assert errors[0].endswith("); nothing was replaced: check the free space and permissions there")
    assert "unexpected" not in result.stderr and "Traceback" not in result.stderr
    after = snapshot(out)
    assert after["big.apkg"] == decks_before["big.apkg"]  # the previous deck, whole
    assert sorted(after) == sorted(decks_before)  # no temporary file left behind
    report = json.loads(after["report.json"])  # updated: says what failed
    failed = {s["path"]: s["error"] for s in report["sources"] if s["error"]}
    assert list(failed) == [str(big)] and "cannot write" in failed[str(big)]
    # big's identities and version as before
    lock_after, lock_before = json.loads(lock.read_bytes()), json.loads(lock_before)
    assert lock_after["sources"]["big"] == lock_before["sources"]["big"]
    assert lock_after["builds"]["big"] == lock_before["builds"]["big"]


def test_unwritable_lock_folder_is_refused_before_any_deck_is_replaced(tmp_path):
    source = tmp_path / "notes.txt"
    write_source(source, 3, "Short.")
    out = tmp_path / "out"
    assert ankigen("build", str(source), "-o", str(out)).returncode == 0
    before = snapshot(out)
    write_source(source, 4, "Changed.")
    blocker = tmp_path / "blocker"  # a file where the lock's folder should be
    blocker.write_text("not a folder", encoding="utf-8")
    result = ankigen("build", str(source), "-o", str(out), "--lock", str(blocker / LOCK_NAME))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {blocker.absolute()}: cannot write there (a file is where a folder should be); "
        "choose another lock file with --lock"]
    assert snapshot(out) == before  # nothing written: not the decks, not the report
    assert not any(name.startswith(".") for name in os.listdir(out))


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
