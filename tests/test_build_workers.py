"""A killed build leaves no worker processes behind: they would hold the build's output open
and hang a piped CI step. SIGTERM stops a build as Ctrl-C does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BUILD = [sys.executable, "-c", "from ankigen.cli import main; main()", "build"]
PAIRS = 12_000  # above the size from which records are finished in worker processes

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists() or (os.cpu_count() or 1) < 2,
                                reason="needs Linux /proc and two cores for worker processes")


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found |= {int(n) for n in task.read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in state


def start_large_build(tmp_path: Path) -> subprocess.Popen:
    source = tmp_path / "large.txt"
    source.write_text("".join(f"Q: What is item {n} and why does it matter?\n\n"
                              f"A: Item {n} is a thing, and it matters for reason {n * 7}.\n\n"
                              for n in range(PAIRS)), encoding="utf-8")
    return subprocess.Popen([*BUILD, str(source), "-o", str(tmp_path / "out"), "-q",
                             "--lock", str(tmp_path / "large.lock")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for_workers(build: subprocess.Popen) -> set[int]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and build.poll() is None:
        workers = children(build.pid)
        if len(workers) >= 2:
            return workers
        time.sleep(0.05)
    pytest.fail("the build never started its worker processes")


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_workers_end_with_their_build(tmp_path, signum):
    build = start_large_build(tmp_path)
    workers = wait_for_workers(build)
    build.send_signal(signum)
    build.wait(timeout=60)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)
    if signum == signal.SIGTERM:
        assert build.returncode != 0
