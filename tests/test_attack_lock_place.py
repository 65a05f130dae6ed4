"""A manifest build keeps its identities in the manifest's folder, whichever folder its first
source is in; a manifest entry outside that folder is refused."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from ankigen.cli import main
from helpers import GOOD, error_lines

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
