"""Where a cold build's time goes: in-process cold builds of the varied corpus on one core (the
per-record work is not handed to worker processes, so every stage is seen): one timed by
coarse stage (CPU time, garbage collection apart), then one under cProfile summed by stage.

    python benchmarks/profile_build.py                 # 10,000 pairs
    python benchmarks/profile_build.py 1000 --top 30   # and the 30 functions with most own time
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import multiprocessing
import pstats
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's ankigen, as run.py's builds use
from ankigen import build, cli, pipeline  # noqa: E402

# (stage, file ending, function): a stage's time is the cumulative time of its functions (a
# call from another of them counted once); a stage marked · is a part of the one above
STAGES = [
    ("scrape", "ankigen/pipeline.py", "_scrape"),
    ("normalize", "ankigen/normalize.py", "normalize_record"),
    ("tag", "ankigen/tag.py", "tag_record"),
    ("tag", "ankigen/tag.py", "add_fallback_topic"),
    ("render", "ankigen/render/__init__.py", "render_record"),
    ("· markdown (mistune)", "mistune/markdown.py", "__call__"),
    ("· code (pygments)", "pygments/__init__.py", "highlight"),
    ("· sanitize (nh3)", "ankigen/render/__init__.py", "sanitize"),
    ("package: notes", "ankigen/package.py", "make_note"),
    ("package: .apkg", "ankigen/build.py", "_write"),
    ("identity, lock, report", "ankigen/build.py", "_assign"),
    ("identity, lock, report", "ankigen/build.py", "input_digest"),
    ("identity, lock, report", "ankigen/identity.py", "to_json"),
    ("identity, lock, report", "ankigen/report.py", "write"),
    ("identity, lock, report", "ankigen/build.py", "_save_cache"),
    ("similar_questions", "ankigen/build.py", "similar_questions"),
]


# (object, function, stage) timed without cProfile
COARSE = [
    (pipeline.Pipeline, "_scrape", "scrape"),
    (pipeline, "_finish_all", "normalize, tag, render"),
    (pipeline, "make_note", "package: notes"),
    (build, "_write", "package: .apkg"),
    (build, "similar_questions", "similar_questions"),
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


def cold_build(corpus: Path, out: Path) -> None:
    cli.main(["build", str(corpus / "qa.txt"), "-o", str(out / "out"), "--lock",
              str(out / "bench.lock"), "--quiet"], standalone_mode=False)


def timed(owner: object, name: str, spent: dict[str, float], stage: str) -> None:
    """owner.name, adding the CPU time of its calls to spent[stage]."""
    function = getattr(owner, name)

    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[stage] = spent.get(stage, 0.0) + time.process_time() - start

    setattr(owner, name, wrapper)


def plain_run(corpus: Path, out: Path) -> str:
    """The table of one cold build timed by coarse stage, without cProfile (whose cost per call
    swells the stages of many small calls)."""
    spent: dict[str, float] = {}

    def time_gc(phase: str, info: dict) -> None:
        spent["garbage collection"] = (spent.get("garbage collection", 0.0)
                                       + (-1 if phase == "start" else 1) * time.process_time())

    for owner, name, stage in COARSE:
        timed(owner, name, spent, stage)
    gc.callbacks.append(time_gc)
    start = time.process_time()
    cold_build(corpus, out)
    cpu = time.process_time() - start
    spent["the rest: identity, lock, report, imports"] = cpu - sum(spent.values())
    return "\n".join([f"A cold build in one process: {cpu:.2f} s CPU\n",
                      "| stage (unprofiled) | CPU s | share |", "|---|---:|---:|",
                      *(f"| {stage} | {seconds:.2f} | {seconds / cpu:.0%} |"
                        for stage, seconds in spent.items())])


def profiled_run(corpus: Path, out: Path, top: int) -> str:
    profiler = cProfile.Profile(time.process_time)  # CPU: a busy machine does not count
    profiler.runcall(cold_build, corpus, out)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    times = stage_times(stats)
    total = stats.total_tt  # type: ignore[attr-defined]
    lines = [f"Under cProfile: {total:.2f} s CPU\n", "| stage (profiled) | CPU s | share |",
             "|---|---:|---:|", *(f"| {stage} | {times.get(stage, 0.0):.2f} | "
                                  f"{times.get(stage, 0.0) / total:.0%} |"
                                  for stage in dict.fromkeys(stage for stage, _, _ in STAGES))]
    if top:
        stats.sort_stats("tottime").print_stats(top)
    return "\n".join(lines) + "\n" + text.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", type=int, nargs="?", default=10_000)
    parser.add_argument("--top", type=int, default=0, help="also list the N costliest functions")
    args = parser.parse_args()
    pipeline.PARALLEL_MIN_RECORDS = sys.maxsize  # one process: the profile sees every stage
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(args.pairs), str(corpus)],
                       check=True, stdout=subprocess.DEVNULL)
        print(f"{args.pairs:,} pairs\n")
        # each build in a fresh process forked before any build: no cache of the other's
        for run, extra in ((plain_run, ()), (profiled_run, (args.top,))):
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as fresh:
                print(fresh.submit(run, corpus, Path(tmp) / run.__name__, *extra).result() + "\n")


if __name__ == "__main__":
    main()
