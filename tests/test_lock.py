"""A lock file damaged by hand or by a bad merge is refused before anything is written, with
what is wrong and where: a GUID shared by two notes would make Anki drop one of them.

A manifest build keeps its identities in the manifest's folder, whichever folder its first
source is in; a manifest entry outside that folder is refused.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ankigen.cli import main
from helpers import GOOD, error_lines, run_build, write


def entry(record_id: str, guid: str, **changes) -> dict:
    return {"id": record_id, "guid": guid, "question": "What is a tensor?", "hash": "h",
            "mod": 1700000000, **changes}


@pytest.mark.parametrize("lock, message", [
    ({"version": -1, "sources": {}}, "version: expected a positive whole number, got -1"),
    ({"version": "1", "sources": {}}, "version: expected a positive whole number, got '1'"),
    ({"version": 1, "sources": {"good": [entry("good:1", "g1", mod="soon")]}},
     "sources.good[0].mod: expected int, got 'soon'"),
    ({"version": 1, "sources": {"good": [entry("good:1", "g1", mod=-5)]}},
     "sources.good[0].mod: expected a time, got -5"),
    ({"version": 1, "sources": {"good": [{"guid": "g1", "question": "q"}]}},
     "sources.good[0].id: missing"),
    ({"version": 1, "sources": {"good": "not a list"}}, "sources.good: expected a list of notes"),
    ({"version": 1, "sources": {"a": [entry("a:1", "same")], "b": [entry("b:7", "same")]}},
     "a:1 and b:7 share GUID same"),
    ({"version": 1, "model": {"hash": "h", "mod": "soon"}}, "model.mod: expected int, got 'soon'"),
    ({"version": 1, "model": {"hash": "h", "mod": 1e999}}, "model.mod: expected int, got inf"),
    ({"version": 1, "model": {"hash": "h"}}, "model.mod: missing"),
    ({"version": 1, "model": {"hash": "h", "mod": 1, "when": 2}}, "model.when: unknown field"),
    ({"version": 1, "model": {"hash": "h", "mod": 10**26}},
     "model.mod: expected a time, got 100000000000000000000000000"),
    ({"version": 1, "sources": {"good": [entry("good:1", "g1", mod=10**26)]}},
     "sources.good[0].mod: expected a time, got 100000000000000000000000000"),
    ({"version": 1, "sources": {"good": [entry("good:1", "g1", question=["x" * 10**5])]}},
     "sources.good[0].question: expected str, got ['xxxxxxxxxxxx"),
])
def test_damaged_lock_is_refused_saying_what_and_where(tmp_path, lock, message):
    assert_refused(tmp_path, json.dumps(lock), message)


@pytest.mark.parametrize("content, message", [
    ("[" * 100_000 + "]" * 100_000, "malformed lock file (nested too deeply)"),
    (json.dumps({"version": 1}).encode("utf-16"), "malformed lock file (not UTF-8 at byte 0)"),
])
def test_unreadable_lock_is_refused_saying_what(tmp_path, content, message):
    assert_refused(tmp_path, content, message)


def assert_refused(tmp_path, content: str | bytes, message: str) -> None:
    """The build stops before writing anything, with one line naming the lock and what is
    wrong with it, and leaves the lock as it was."""
    write(tmp_path / "test.lock", content)
    result, report = run_build(tmp_path)
    assert result.exit_code == 1
    assert len(error_lines(result)) == 1
    assert error_lines(result)[0].startswith(f"Error: {tmp_path / 'test.lock'}: ")
    assert message in error_lines(result)[0]
    assert message in report["error"]
    assert len(error_lines(result)[0]) < 300  # a huge value is not spelled out
    left = (tmp_path / "test.lock").read_bytes()  # left as it was
    assert left == (content.encode() if isinstance(content, str) else content)
    assert not (tmp_path / "out" / "good.apkg").exists()  # nothing written


MANIFEST = '''
[[source]]
file = "sub/a.txt"
slug = "a"
deck = "A"

[[source]]
file = "b.txt"
slug = "b"
deck = "B"
'''


def build_in(folder: Path, manifest: str):
    sources = folder / "sources"
    (sources / "sub").mkdir(parents=True)
    (sources / "sub" / "a.txt").write_text(GOOD, encoding="utf-8")
    (sources / "b.txt").write_text(GOOD.replace("tensor", "matrix"), encoding="utf-8")
    (sources / "sources.toml").write_text(manifest, encoding="utf-8")
    here = os.getcwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(main, ["build", "-o", "out"])
    finally:
        os.chdir(here)


def test_the_lock_of_a_manifest_build_lives_with_the_manifest(tmp_path):
    result = build_in(tmp_path, MANIFEST)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "sources" / "ankigen.lock").exists()
    assert not (tmp_path / "sources" / "sub" / "ankigen.lock").exists()


def test_a_manifest_entry_outside_its_folder_is_refused(tmp_path):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(GOOD, encoding="utf-8")
    result = build_in(tmp_path, MANIFEST + f'\n[[source]]\nfile = "{outside}"\n'
                                           '\n[[source]]\nfile = "../../x.txt"\n')
    assert result.exit_code == 1
    assert "is outside sources; copy the file into it" in error_lines(result)[0]
    assert not (tmp_path / "sources" / "ankigen.lock").exists()
