"""Time ankigen against the genanki-only floor on synthetic Q:/A: corpora.

For each size, runs alternate: floor, ankigen cold (no lock, empty output folder), ankigen
rebuild (same lock and output, nothing changed). Each run is a whole process (Python start
included); wall time and peak RSS (the process and its workers) are measured per run and the
medians reported, with the ratios ankigen/floor and the scaling factor between sizes.

    python benchmarks/run.py                 # 1k, 10k and 100k pairs, 3 runs each
    python benchmarks/run.py --sizes 1000 --repeats 5
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import corpus  # noqa: E402


def measure(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one process and its children."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    return wall, usage.ru_maxrss / 1024


def run_size(pairs: int, repeats: int, workdir: Path) -> dict[str, list[tuple[float, float]]]:
    source = workdir / f"corpus-{pairs}.txt"
    source.write_text(corpus(pairs), encoding="utf-8")
    results: dict[str, list[tuple[float, float]]] = {"floor": [], "cold": [], "rebuild": []}
    python = sys.executable
    for _ in range(repeats):
        results["floor"].append(measure([python, str(HERE / "floor.py"), str(source),
                                         str(workdir / "floor.apkg")]))
        out, lock = workdir / "out", workdir / "bench.lock"
        shutil.rmtree(out, ignore_errors=True)
        lock.unlink(missing_ok=True)
        build = [python, "-m", "ankigen.cli", "build", str(source), "-o", str(out),
                 "--lock", str(lock), "--quiet"]
        results["cold"].append(measure(build))
        results["rebuild"].append(measure(build))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rows = []
    medians = {}
    with tempfile.TemporaryDirectory() as tmp:
        for pairs in args.sizes:
            results = run_size(pairs, args.repeats, Path(tmp))
            wall = {k: statistics.median(w for w, _ in v) for k, v in results.items()}
            rss = {k: statistics.median(m for _, m in v) for k, v in results.items()}
            medians[pairs] = wall
            rows.append(f"| {pairs:,} | {wall['floor']:.2f} | {wall['cold']:.2f} | "
                        f"{wall['cold'] / wall['floor']:.1f}× | {wall['rebuild']:.2f} | "
                        f"{wall['rebuild'] / wall['floor']:.2f}× | {rss['floor']:.0f} | "
                        f"{rss['cold']:.0f} | {rss['cold'] / rss['floor']:.1f}× |")
    print(f"{date.today()}, {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {args.repeats} runs per cell (medians)\n")
    print("| pairs | floor s | ankigen cold s | cold/floor | rebuild s | rebuild/floor "
          "| floor MB | ankigen MB | memory ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    sizes = sorted(medians)
    for small, large in zip(sizes, sizes[1:]):
        factor = large / small
        print(f"\nscaling {small:,} -> {large:,} ({factor:.0f}× the pairs): floor "
              f"{medians[large]['floor'] / medians[small]['floor']:.1f}×, ankigen cold "
              f"{medians[large]['cold'] / medians[small]['cold']:.1f}×")


if __name__ == "__main__":
    main()
