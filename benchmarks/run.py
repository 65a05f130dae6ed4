"""Time ankigen against the bare genanki floor on the varied synthetic corpus.

The corpus is `gen_corpus.py`'s qa.txt (every code block different, common vocabulary, no
unique token in a question); the floor is `floor_genanki.py` (split, HTML-escape, genanki).
For each size, runs alternate in pairs: floor, ankigen cold (no lock, empty output folder),
ankigen rebuild (same lock and output, nothing changed), then floor again... Each run is a
whole process (Python start included). Per run: wall time, CPU time (user + system of the
process and its workers, from getrusage(RUSAGE_CHILDREN) around it) and peak memory (the
largest sum of the PSS of the process and its descendants, sampled every 10 ms). Reported:
the median and min-max of each, and of the ratios ankigen/floor taken within each pair.

    python benchmarks/run.py                         # 1k and 10k pairs, 5 pairs of runs each
    python benchmarks/run.py --sizes 100000 --repeats 1
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
KINDS = ("floor", "cold", "rebuild")


def tree_memory(pid: int) -> int:
    """Bytes of memory of a process and all its descendants (0 once it has gone): their
    proportional set size, the RSS with each page a forked worker shares with its parent
    counted once, not once per process."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) * 1024 for line in rollup
                              if line.startswith("Pss:"))
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += map(int, children.read().split())
        except (OSError, StopIteration):  # gone, or a zombie without memory
            continue
    return total


def measure(command: list[str]) -> dict[str, float]:
    """Wall seconds, CPU seconds and peak memory (MB) of one process and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, tree_memory(process.pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, errors = process.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{errors.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "mb": peak / 2**20}


def run_size(pairs: int, repeats: int, workdir: Path) -> dict[str, list[dict[str, float]]]:
    corpus = workdir / f"corpus-{pairs}"
    subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(pairs), str(corpus)],
                   check=True, stdout=subprocess.DEVNULL)
    source = corpus / "qa.txt"
    out, lock = workdir / "out", workdir / "bench.lock"
    floor = [sys.executable, str(HERE / "floor_genanki.py"), str(source), str(workdir / "floor.apkg")]
    build = [sys.executable, "-m", "ankigen.cli", "build", str(source), "-o", str(out),
             "--lock", str(lock), "--quiet"]
    runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in KINDS}
    for _ in range(repeats):
        runs["floor"].append(measure(floor))
        shutil.rmtree(out, ignore_errors=True)
        lock.unlink(missing_ok=True)
        runs["cold"].append(measure(build))
        runs["rebuild"].append(measure(build))
    return runs


def spread(values: list[float], digits: int, unit: str = "") -> str:
    """Median (min-max)."""
    return (f"{statistics.median(values):.{digits}f}{unit} "
            f"({min(values):.{digits}f}-{max(values):.{digits}f})")


def table(results: dict[int, dict[str, list[dict[str, float]]]]) -> str:
    def ratio(runs, kind, measure_):
        return [r[measure_] / f[measure_] for r, f in zip(runs[kind], runs["floor"])]

    lines = ["| pairs | measure | floor | ankigen cold | cold/floor | rebuild | rebuild/floor |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for pairs, runs in results.items():
        for measure_, label, digits in (("wall", "wall s", 2), ("cpu", "CPU s", 2), ("mb", "peak MB", 0)):
            lines.append(" | ".join([
                f"| {pairs:,}", label,
                *(spread([r[measure_] for r in runs[kind]], digits) for kind in ("floor", "cold")),
                spread(ratio(runs, "cold", measure_), 2, "×"),
                spread([r[measure_] for r in runs["rebuild"]], digits),
                spread(ratio(runs, "rebuild", measure_), 2, "×")]) + " |")
    return "\n".join(lines)


def scaling(results: dict[int, dict[str, list[dict[str, float]]]]) -> list[str]:
    sizes = sorted(results)
    median = {size: {kind: {m: statistics.median(r[m] for r in results[size][kind])
                            for m in ("wall", "cpu")} for kind in KINDS} for size in sizes}
    return [f"scaling {small:,} -> {large:,} ({large // small}× the pairs): "
            + ", ".join(f"{kind} {m} {median[large][kind][m] / median[small][kind][m]:.1f}×"
                        for kind in ("floor", "cold") for m in ("wall", "cpu"))
            for small, large in zip(sizes, sizes[1:])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--repeats", type=int, default=5, help="pairs of runs per size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {pairs: run_size(pairs, args.repeats, Path(tmp)) for pairs in args.sizes}
    print(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, {args.repeats} paired "
          "runs per size: median (min-max); ratios are taken within each pair\n")
    print(table(results))
    print("\n".join(["", *scaling(results)]))


if __name__ == "__main__":
    main()
