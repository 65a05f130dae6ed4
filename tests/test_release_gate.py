"""A release that would publish what learners cannot take.

A deck whose slug changed was paired with nothing (decks were paired by file name), so all of
its notes came out as new, with new GUIDs, in the same Anki deck: every note twice, and the
gate said ok. A deck that stopped being built went without a word. And the release notes
showed questions as Markdown: a question that the card shows as text ("<img src=...>",
"@someone", "#123") became live HTML, a ping or a link on the GitHub release. The workflow
took any failure to ask GitHub for the previous release (network, credentials, rate limit) for
"no release yet" and published every deck as new, without the gate.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from markdown_it import MarkdownIt

from ankigen.apkg import read_package
from ankigen.cli import main
from helpers import FILES, PROJECT, edit, sources  # noqa: F401 (sources: a fixture)


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


HOSTILE = [  # as a source writes them; the card shows each as text
    "What does <img src=x onerror=alert(1)> do in a card?",
    "Should we ask @octocat about #123, GH-45 and me@example.com?",
    r"Why are \*\*stars\*\*, \_lines\_, \`ticks\` and \[a link\](https://evil.example) here?",
    "Is https://evil.example/phish or www.evil.example a link?",
    r"# A heading? 1. A list? > A quote? | a | b | ~~struck~~ $x^2$ &lt;b&gt; \(x\) "
    "<script>alert(1)</script>",
]
GITHUB_LINKS = re.compile(r"@\w|#\d|://|www\.|\bgh-\d", re.IGNORECASE)  # linked in plain text


def test_release_notes_show_hostile_questions_as_plain_text(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    source = folder / "hostile.txt"
    plain = "Q: What is gradient descent?\nA: An optimizer.\n\n"
    source.write_text(plain, encoding="utf-8")
    assert release(tmp_path, folder, [source.name], "none", "v1", "--first-release").exit_code == 0
    source.write_text(plain + "".join(f"Q: {q}\nA: Shown as text.\n\n" for q in HOSTILE),
                      encoding="utf-8")
    result = release(tmp_path, folder, [source.name], "v1", "v2")
    assert result.exit_code == 0, result.output
    notes = (tmp_path / "v2" / "RELEASE_NOTES.md").read_text(encoding="utf-8")
    shown = read_package(tmp_path / "v2" / "hostile.apkg").notes[1:]  # what the cards show
    page = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(notes)
    added = re.search(r"<p>Added:</p>\n<ul>\n(.*?)</ul>", page, re.DOTALL).group(1)
    items = re.findall(r"<li>(.*?)</li>", added)
    assert [html.unescape(item).replace("\u2060", "") for item in items] == [
        note.question for note in shown]
    assert all("<" not in item and not GITHUB_LINKS.search(html.unescape(item)) for item in items)
    assert "<script" in shown[-1].question and "@octocat" in shown[1].question


FAKE_GH = """#!/bin/sh
echo "$*" >> "$GH_LOG"
if [ "$1 $2" = "release view" ]; then
  [ "$GH_STATUS" = 0 ] && echo '{"tagName":"v2026.11.30-0617"}' || echo "$GH_MESSAGE" >&2
  exit "$GH_STATUS"
fi
"""


def fetch_step(tmp_path: Path, status: int, message: str = "") -> subprocess.CompletedProcess:
    """The workflow's "Fetch the previous release's decks" step, run as GitHub runs it (bash
    -eo pipefail) with a fake gh that answers `release view` with STATUS and MESSAGE."""
    workflow = yaml.safe_load((PROJECT / ".github" / "workflows" / "release.yml").read_text("utf-8"))
    (step,) = [s for s in workflow["jobs"]["release"]["steps"]
               if s.get("name") == "Fetch the previous release's decks"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    (tmp_path / "step.sh").write_text(step["run"], encoding="utf-8")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "GH_LOG": str(tmp_path / "gh.log"), "GH_STATUS": str(status), "GH_MESSAGE": message,
           "GITHUB_OUTPUT": str(tmp_path / "output")}
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "step.sh"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)


def test_the_workflow_fetches_the_previous_release_when_there_is_one(tmp_path):
    result = fetch_step(tmp_path, 0)
    assert result.returncode == 0, result.stderr
    assert "release download --pattern *.apkg --dir previous" in (tmp_path / "gh.log").read_text()
    assert not (tmp_path / "output").exists()  # no --first-release: the gate runs


def test_the_workflow_takes_the_first_release_path_only_when_there_is_no_release(tmp_path):
    result = fetch_step(tmp_path, 1, "release not found")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output").read_text() == "first=--first-release\n"
    assert "release download" not in (tmp_path / "gh.log").read_text()


@pytest.mark.parametrize("status, message", [
    (1, "error connecting to api.github.com"),
    (1, "HTTP 401: Bad credentials (https://api.github.com/repos/o/r/releases/latest)"),
    (1, "HTTP 403: API rate limit exceeded for installation ID 1."),
    (4, "To get started with GitHub CLI, please run:  gh auth login"),
])
def test_the_workflow_fails_when_asking_for_the_previous_release_fails(tmp_path, status, message):
    result = fetch_step(tmp_path, status, message)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    assert not (tmp_path / "output").exists()  # no --first-release: nothing is published
    assert "release download" not in (tmp_path / "gh.log").read_text()


def test_a_release_that_only_drops_a_deck_has_a_version_of_its_own(tmp_path, sources):
    """Its tag must not be the previous release's: the remaining decks keep their versions."""
    from ankigen.build import BuildOptions
    from ankigen.release import ReleaseOptions, make_release
    from ankigen.sources import resolve_sources

    def run(files, previous, out, at, **options):
        build = BuildOptions(lock_path=tmp_path / "ankigen.lock", timestamp=at)
        return make_release(resolve_sources([str(sources / f) for f in files]), tmp_path / out,
                            ReleaseOptions(tmp_path / previous, build=build, **options))

    first = run(FILES, "none", "v1", 1_800_000_000, first_release=True)
    second = run(FILES[:1], "v1", "v2", 1_800_000_000 + 86_400, max_removed=100)
    assert second.changed and second.dropped
    assert second.decks[0].version == first.decks[0].version  # the deck left is unchanged
    assert second.version > first.version
