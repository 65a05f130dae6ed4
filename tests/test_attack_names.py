"""Two sources whose names make the same deck name would overwrite each other's deck and
identities: the build refuses them, naming both files, before it writes anything."""

from __future__ import annotations

import pytest

from helpers import GOOD, error_lines, run_build, write


@pytest.mark.parametrize("first, second", [
    ("x/notes.txt", "y/notes.txt"),
    ("My Notes.txt", "my-notes.txt"),
    ("вопросы.txt", "質問.txt"),  # no Latin letters at all: both would be "source"
])
def test_sources_with_the_same_deck_name_are_refused(tmp_path, first, second):
    paths = []
    for name in (first, second):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        paths.append(write(tmp_path / name, GOOD))
    result, report = run_build(tmp_path, *paths)
    assert result.exit_code == 1
    assert len(error_lines(result)) == 1
    line = error_lines(result)[0]
    assert line.startswith(f"Error: {paths[1]}: ") and paths[0] in line
    assert not list((tmp_path / "out").glob("*.apkg"))
    assert not (tmp_path / "test.lock").exists()
