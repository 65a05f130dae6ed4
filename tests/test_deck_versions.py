"""Each deck's version follows its own source: editing one source, days later, rewrites that
deck only, and the report lists the questions really found in several sources."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from ankigen.build import build
from ankigen.identity import LOCK_NAME
from ankigen.sources import resolve_sources
from helpers import SOURCES_DIR, edit

DAY = 86_400
FIRST_BUILD = 1_900_000_000
EDITED = "transformer-model-qa.txt"


def copy_sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, folder)
    return folder


def build_folder(folder: Path, out: Path, timestamp: int):
    report = build(resolve_sources([str(p) for p in sorted(folder.glob("*.txt"))]), out,
                   timestamp=timestamp, lock_path=folder / LOCK_NAME)
    assert not report.failed
    return report


def sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_an_edited_source_changes_its_deck_and_version_only(tmp_path):
    folder = copy_sources(tmp_path)
    first = build_folder(folder, tmp_path / "v1", FIRST_BUILD)
    edit(folder / EDITED, "Transformers are a type of", "Transformers are a kind of")
    second = build_folder(folder, tmp_path / "v2", FIRST_BUILD + DAY)  # another day, another minute
    for before, after in zip(first.sources, second.sources, strict=True):
        if before.path.endswith(EDITED):
            assert after.changed == 1
            assert sha256(after.output) != sha256(before.output)
            assert after.version > before.version
            edited = after.version
        else:  # the same bytes, so the same version in the description
            assert sha256(after.output) == sha256(before.output), after.path
            assert after.version == before.version
    assert second.version == edited == max(e.version for e in second.sources)
    builds = json.loads((folder / LOCK_NAME).read_text(encoding="utf-8"))["builds"]
    assert {slug: b["version"] for slug, b in builds.items()} == {
        Path(e.output).stem: e.version for e in second.sources}


def test_a_rebuild_after_an_edit_lists_only_questions_of_several_sources(tmp_path):
    """The maintainer's case: build, edit one source days later, build into the same folder
    (the unchanged decks kept or rebuilt there). Its duplicates are those a build from scratch
    finds, each in more than one source; every question of the unchanged sources was once
    listed as a duplicate of itself."""
    folder = copy_sources(tmp_path)
    build_folder(folder, tmp_path / "out", FIRST_BUILD)
    edit(folder / EDITED, "Transformers are a type of", "Transformers are a kind of")
    rebuilt = build_folder(folder, tmp_path / "out", FIRST_BUILD + DAY)
    from_scratch = build_folder(folder, tmp_path / "fresh", FIRST_BUILD + DAY)
    assert rebuilt.duplicates == from_scratch.duplicates
    for duplicate in rebuilt.duplicates:
        assert len({place.rpartition(":")[0] for place in duplicate["places"]}) > 1, duplicate
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["duplicates"] == rebuilt.duplicates
