"""Attack class: a release that would publish what learners cannot take.

A deck whose slug changed was paired with nothing (decks were paired by file name), so all of
its notes came out as new, with new GUIDs, in the same Anki deck: every note twice, and the
gate said ok. A deck that stopped being built went without a word.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ankigen.cli import main
from test_release import FILES, edit, sources  # noqa: F401 (sources: a fixture)


def release(tmp_path: Path, sources: Path, files: list[str], previous: str, out: str, *options):
    return CliRunner().invoke(main, ["release", *[str(sources / f) for f in files],
                                     "--previous", str(tmp_path / previous),
                                     "--out", str(tmp_path / out), *options])


def test_a_deck_whose_slug_changed_fails_the_release(tmp_path, sources):
    assert release(tmp_path, sources, FILES, "none", "v1", "--first-release").exit_code == 0
    edit(sources / "sources.toml", 'slug = "transformers-part-6"', 'slug = "part-six"')
    result = release(tmp_path, sources, FILES, "v1", "v2", "--max-removed", "100")
    assert result.exit_code == 1
    assert ("'ML Interview::Transformers Part 6' was transformers-part-6.apkg and is "
            "part-six.apkg now: it keeps 0 of 22 GUIDs of the previous release, so learners "
            "would get each of its notes twice; restore its slug") in result.stderr


def test_a_deck_no_longer_built_fails_the_release_unless_meant(tmp_path, sources):
    assert release(tmp_path, sources, FILES, "none", "v1", "--first-release").exit_code == 0
    result = release(tmp_path, sources, FILES[:1], "v1", "v2")
    assert result.exit_code == 1
    assert ("'ML Interview::Transformers Part 6' (transformers-part-6.apkg, 22 notes) is no "
            "longer built") in result.stderr
    meant = release(tmp_path, sources, FILES[:1], "v1", "v3", "--max-removed", "100")
    assert meant.exit_code == 0, meant.output
    assert "transformers-part-6.apkg: ML Interview::Transformers Part 6: no longer built" in meant.output
    notes = (tmp_path / "v3" / "RELEASE_NOTES.md").read_text(encoding="utf-8")
    assert "## Decks no longer built" in notes and "transformers-part-6.apkg" in notes
