"""The build cache lives beside the decks, never in the lock users commit: a change to
ankigen's code rebuilds the decks but leaves the lock byte-identical, and a missing or damaged
cache only means a rebuild."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import ankigen
from ankigen.build import CACHE_NAME, build
from ankigen.identity import LOCK_NAME, Lock
from ankigen.sources import resolve_sources
from conftest import SOURCES_DIR

SMALL = ["transformer-model-qa.txt", "transformers-part-6.txt"]


def decks(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.apkg"))}


def test_a_comment_in_the_code_leaves_the_committed_lock_byte_identical(tmp_path):
    code = tmp_path / "code"
    shutil.copytree(Path(ankigen.__file__).parent, code / "ankigen",
                    ignore=shutil.ignore_patterns("__pycache__"))
    project = tmp_path / "project"
    shutil.copytree(SOURCES_DIR, project / "sources")
    env = {**os.environ, "PYTHONPATH": str(code)}

    def ankigen_build():
        subprocess.run([sys.executable, "-m", "ankigen", "build", "-q"], cwd=project, env=env,
                       check=True, capture_output=True, timeout=300)

    ankigen_build()
    lock = project / "sources" / LOCK_NAME
    before, built = lock.read_bytes(), decks(project / "build")
    cache_before = (project / "build" / CACHE_NAME).read_bytes()
    for module in sorted((code / "ankigen").rglob("*.py")):  # every module: any may change a deck
        module.write_text(module.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    ankigen_build()
    assert lock.read_bytes() == before
    assert decks(project / "build") == built  # rebuilt (the cache changed), the same bytes
    assert (project / "build" / CACHE_NAME).read_bytes() != cache_before


def test_the_committed_lock_holds_identities_only():
    builds = json.loads((SOURCES_DIR / LOCK_NAME).read_text(encoding="utf-8"))["builds"]
    assert builds and all(set(entry) <= {"version", "file"} for entry in builds.values())


def small_project(tmp_path: Path):
    for name in SMALL:
        shutil.copy(SOURCES_DIR / name, tmp_path / name)
    return resolve_sources([str(tmp_path / name) for name in SMALL]), tmp_path / LOCK_NAME


def deck_times(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.glob("*.apkg")}


def test_an_unchanged_source_keeps_its_deck_and_a_damaged_cache_means_a_rebuild(tmp_path):
    sources, lock = small_project(tmp_path)
    out = tmp_path / "out"
    build(sources, out, timestamp=1_800_000_000, lock_path=lock)
    first, times = decks(out), deck_times(out)
    assert json.loads((out / CACHE_NAME).read_text())["decks"].keys() == {s.slug for s in sources}

    build(sources, out, timestamp=1_800_000_100, lock_path=lock)
    assert deck_times(out) == times  # kept, not rewritten

    for damage in ("{not json", '{"version": 1, "decks": []}', '[1, 2]', ""):
        (out / CACHE_NAME).write_text(damage, encoding="utf-8")
        report = build(sources, out, timestamp=1_800_000_200, lock_path=lock)
        assert not report.failed and report.error is None
        assert decks(out) == first
        assert deck_times(out) != times  # rebuilt
        times = deck_times(out)
    (out / CACHE_NAME).unlink()
    assert not build(sources, out, timestamp=1_800_000_300, lock_path=lock).failed
    assert decks(out) == first and (out / CACHE_NAME).is_file()


def test_an_edited_lock_rebuilds_the_deck_it_names(tmp_path):
    sources, lock = small_project(tmp_path)
    out = tmp_path / "out"
    build(sources, out, timestamp=1_800_000_000, lock_path=lock)
    times = deck_times(out)
    data = json.loads(lock.read_text(encoding="utf-8"))
    slug = sources[0].slug
    data["sources"][slug][0]["mod"] += 1  # as a checkout of another lock would
    lock.write_text(json.dumps(data), encoding="utf-8")
    build(sources, out, timestamp=1_800_000_100, lock_path=lock)
    after = deck_times(out)
    changed = {name for name in after if after[name] != times[name]}
    assert changed == {f"{slug}.apkg"}


def test_a_lock_that_still_holds_cache_hashes_is_read_and_loses_them_on_the_next_write(tmp_path):
    sources, lock = small_project(tmp_path)
    out = tmp_path / "out"
    build(sources, out, timestamp=1_800_000_000, lock_path=lock)
    data = json.loads(lock.read_text(encoding="utf-8"))
    for entry in data["builds"].values():
        entry.update(input="0" * 64, output="1" * 64)  # as locks kept them before the cache
    lock.write_text(json.dumps(data), encoding="utf-8")
    assert Lock.load(lock).builds == {slug: {k: v for k, v in entry.items()
                                             if k in ("version", "file")}
                                      for slug, entry in data["builds"].items()}
    first = decks(out)
    report = build(sources, out, timestamp=1_800_000_100, lock_path=lock)
    assert not report.failed and decks(out) == first
    written = json.loads(lock.read_text(encoding="utf-8"))["builds"]
    assert all(set(entry) == {"version", "file"} for entry in written.values())
