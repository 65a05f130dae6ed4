"""Where a cold build's time goes: one in-process build of the varied corpus under cProfile,
on one core (the per-record work is not handed to worker processes, so every stage is seen),
summed by stage. Garbage collection is timed apart (cProfile does not see it).

    python benchmarks/profile_build.py                 # 10,000 pairs
    python benchmarks/profile_build.py 1000 --top 30   # and the 30 functions with most own time
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ankigen import cli, pipeline

HERE = Path(__file__).resolve().parent

# (stage, file ending, function): a stage's time is the cumulative time of its functions (a
# call from another of them counted once); indented stages are parts of the one above
STAGES = [
    ("scrape", "ankigen/pipeline.py", "_scrape"),
    ("normalize", "ankigen/normalize.py", "normalize_record"),
    ("tag", "ankigen/tag.py", "tag_record"),
    ("tag", "ankigen/tag.py", "add_fallback_topic"),
    ("render", "ankigen/render/__init__.py", "render_record"),
    ("  markdown (mistune)", "mistune/markdown.py", "__call__"),
    ("  code (pygments)", "pygments/__init__.py", "highlight"),
    ("  sanitize (nh3)", "ankigen/render/__init__.py", "sanitize"),
    ("package: notes", "ankigen/package.py", "make_note"),
    ("package: .apkg", "ankigen/build.py", "_write"),
    ("identity, lock, report", "ankigen/build.py", "_assign"),
    ("identity, lock, report", "ankigen/build.py", "input_digest"),
    ("identity, lock, report", "ankigen/identity.py", "to_json"),
    ("identity, lock, report", "ankigen/report.py", "write"),
    ("identity, lock, report", "ankigen/build.py", "_save_cache"),
    ("similar_questions", "ankigen/build.py", "similar_questions"),
]


def stage_times(stats: pstats.Stats) -> dict[str, float]:
    entries = stats.stats  # type: ignore[attr-defined]
    members = {key: stage for key in entries for stage, ending, name in STAGES
               if key[2] == name and key[0].endswith(ending)}
    times: dict[str, float] = {}
    for key, stage in members.items():
        cumulative, callers = entries[key][3], entries[key][4]
        counted = sum(timing[3] for caller, timing in callers.items()
                      if members.get(caller) == stage)  # already in its caller's time
        times[stage] = times.get(stage, 0.0) + cumulative - counted
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", type=int, nargs="?", default=10_000)
    parser.add_argument("--top", type=int, default=0, help="also list the N costliest functions")
    args = parser.parse_args()
    pipeline.PARALLEL_MIN_RECORDS = sys.maxsize  # one process: the profile sees every stage
    collecting: list[float] = []

    def time_gc(phase: str, info: dict) -> None:
        if phase == "start":
            collecting.append(-time.process_time())
        else:
            collecting[-1] += time.process_time()

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(args.pairs), str(corpus)],
                       check=True, stdout=subprocess.DEVNULL)
        command = ["build", str(corpus / "qa.txt"), "-o", str(Path(tmp) / "out"),
                   "--lock", str(Path(tmp) / "bench.lock"), "--quiet"]
        profiler = cProfile.Profile(time.process_time)  # CPU: a busy machine does not count
        gc.callbacks.append(time_gc)
        start = time.process_time()
        profiler.runcall(cli.main, command, standalone_mode=False)
        cpu = time.process_time() - start
        gc.callbacks.remove(time_gc)
    stats = pstats.Stats(profiler)
    times = stage_times(stats)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"{args.pairs:,} pairs, one process: {cpu:.2f} s CPU ({total:.2f} s CPU under cProfile)\n")
    print("| stage | CPU s (profiled) | share |\n|---|---:|---:|")
    for stage in dict.fromkeys(stage for stage, _, _ in STAGES):
        print(f"| {stage} | {times.get(stage, 0.0):.2f} | {times.get(stage, 0.0) / total:.0%} |")
    print(f"| garbage collection (not profiled) | {sum(collecting):.2f} | |")
    if args.top:
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
