"""Scheduled releases: the local release command, and the workflows that call it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ankigen.cli import main
from helpers import FILES, PROJECT, edit, sources, web  # noqa: F401 (sources, web: fixtures)

WORKFLOWS = sorted((PROJECT / ".github" / "workflows").glob("*.yml"))


def release(tmp_path: Path, sources: Path, previous: str, out: str):
    first = ["--first-release"] if previous == "nothing-yet" else []
    result = CliRunner().invoke(main, ["release", *[str(sources / f) for f in FILES],
                                       "--previous", str(tmp_path / previous),
                                       "--out", str(tmp_path / out), *first,
                                       "--notes-url", "https://example.org/releases/v{version}"])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()[-1], (tmp_path / out / "RELEASE_NOTES.md").read_text("utf-8")


def test_release_notes_name_what_changed(tmp_path, sources):
    status, _ = release(tmp_path, sources, "nothing-yet", "v1")
    assert status == "changed"  # every deck is new
    qa = sources / FILES[0]
    edit(qa, "Dropout is a regularization technique", "Dropout is a simple regularization technique")
    edit(qa, "Q: What is the purpose of positional encoding",
         "Q: What is label smoothing?\n\nA: It softens one-hot targets.\n\n"
         "Q: What is the purpose of positional encoding")
    edit(qa, "Q: What is the F1 score, and why is it useful?", "Q: What is the F1 score and why is it useful?")
    text = qa.read_text(encoding="utf-8")
    start = text.index("Q: What is weight initialization")
    qa.write_text(text[:start] + text[text.index("Q: Explain the difference between parametric"):],
                  encoding="utf-8")
    status, notes = release(tmp_path, sources, "v1", "v2")
    assert status == "changed"
    section = notes.split(r"## ML Interview\:\:Transformer Model Q\&A")[1].split("\n## ")[0]
    assert section.strip().splitlines() == [
        "(`transformer-model-qa.apkg`)", "",
        "30 cards: 1 added, 2 changed, 1 removed.", "",
        "Added:", r"- What is label smoothing\?", "",
        "Changed:", r"- Explain the concept of dropout and its role in neural networks\.",
        r"- What is the F1 score and why is it useful\?", "",
        "Removed (still in your collection):",
        r"- What is weight initialization\, and why is it important\?"]
    # each deck has its own version: the unchanged one keeps v1's, the release is its newest
    first, second = (json.loads((tmp_path / out / "release.json").read_text())
                     for out in ("v1", "v2"))
    unchanged = first["decks"]["transformers-part-6.apkg"]["version"]
    assert second["decks"]["transformers-part-6.apkg"]["version"] == unchanged
    assert second["version"] == second["decks"]["transformer-model-qa.apkg"]["version"]
    assert (r"## ML Interview\:\:Transformers Part 6 (`transformers-part-6.apkg`)" "\n\n"
            f"Unchanged since {unchanged}: 22 cards.") in notes
    assert "| transformers |" in notes and "| deep-learning |" in notes


def test_unchanged_sources_release_nothing_and_identical_decks(tmp_path, sources):
    release(tmp_path, sources, "nothing-yet", "v1")
    status, notes = release(tmp_path, sources, "v1", "v2")
    assert status == "unchanged"
    for deck in (tmp_path / "v1").glob("*.apkg"):
        assert deck.read_bytes() == (tmp_path / "v2" / deck.name).read_bytes()


def test_deck_description_names_the_release(tmp_path, sources, collection):
    release(tmp_path, sources, "nothing-yet", "v1")
    from helpers import import_package

    import_package(collection, tmp_path / "v1" / "transformers-part-6.apkg")
    deck = collection.decks.by_name("ML Interview::Transformers Part 6")
    version = __import__("json").loads((tmp_path / "v1" / "release.json").read_text())["version"]
    assert f"Release {version}, built {version[:4]}-{version[5:7]}-{version[8:10]}" in deck["desc"]
    assert f'href="https://example.org/releases/v{version}"' in deck["desc"]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.name for w in WORKFLOWS])
def test_workflow_matches_github_schema(workflow):
    bindir = Path(sys.executable).parent
    result = subprocess.run([str(bindir / "check-jsonschema"), "--builtin-schema",
                             "vendor.github-workflows", str(workflow)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_have_no_high_severity_findings():
    bindir = Path(sys.executable).parent
    result = subprocess.run([str(bindir / "zizmor"), "--offline", "--min-severity", "high",
                             *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.name for w in WORKFLOWS])
def test_a_failing_command_in_a_pipe_fails_its_step(workflow):
    """`ankigen release ... | tee release.log` must not pass because tee did: GitHub adds
    `-o pipefail` only when a step's shell is named `bash` (its default shell omits it)."""
    import yaml

    document = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    workflow_shell = document.get("defaults", {}).get("run", {}).get("shell")
    for job in document["jobs"].values():
        job_shell = job.get("defaults", {}).get("run", {}).get("shell", workflow_shell)
        for step in job.get("steps", []):  # none in a job that calls another workflow
            if "run" in step and re.search(r"(?<![|])\|(?![|])", step["run"]):
                assert step.get("shell", job_shell) == "bash", step.get("name", step["run"])


def test_workflows_cache_pip_downloads():
    """Every job that installs caches pip's downloads: setup-python's ``cache: pip``, or
    actions/cache on pip's cache folder where a container brings its own Python."""
    import yaml

    for workflow in WORKFLOWS:
        for name, job in yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"].items():
            steps = job.get("steps", [])  # none in a job that calls another workflow
            caching = [step for step in steps if step.get("with", {}).get("cache") == "pip"
                       or step.get("with", {}).get("path") == "~/.cache/pip"]
            assert caching or not steps, f"{workflow.name}: {name}"


def test_both_workflows_exist_and_release_runs_the_local_command():
    names = {w.name for w in WORKFLOWS}
    assert names == {"release.yml", "tests.yml"}
    text = (PROJECT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert "ankigen release --previous previous --out dist" in text
    assert "uses: ./.github/workflows/tests.yml" in text  # the tests first (test_setup.py)
    assert "schedule:" in text and "workflow_dispatch:" in text
    # the schedule fetches the pages again first; changed sources come back as a pull request
    assert "github.event_name == 'schedule' || inputs.refresh) && '--refresh'" in text
    assert text.index("$REFRESH") < text.index("gh pr create")


def test_a_release_without_previous_decks_is_refused_unless_it_is_the_first(tmp_path, sources):
    result = CliRunner().invoke(main, ["release", *[str(sources / f) for f in FILES],
                                       "--previous", str(tmp_path / "typo"),
                                       "--out", str(tmp_path / "dist")])
    assert result.exit_code == 1
    assert f"Error: {tmp_path / 'typo'}: no previous release's decks there" in result.stderr
    assert not (tmp_path / "dist").exists()  # nothing built, nothing to publish


def test_a_release_compared_with_itself_is_refused(tmp_path, sources):
    """`--previous dist --out dist` would compare the new decks with themselves: unchanged."""
    release(tmp_path, sources, "nothing-yet", "dist")
    result = CliRunner().invoke(main, ["release", *[str(sources / f) for f in FILES],
                                       "--previous", str(tmp_path / "dist"),
                                       "--out", str(tmp_path / "dist" / ".." / "dist")])
    assert result.exit_code == 1
    assert "--previous and --out are the same folder" in result.stderr


def test_a_scheduled_release_refreshes_builds_gates_and_releases_only_what_passed(
        tmp_path, sources, web, monkeypatch):
    """The release workflow's path, the GitHub steps aside: refresh -> build -> gate ->
    release, and the changed raw page and lock left for the pull request."""
    monkeypatch.chdir(tmp_path)  # `ankigen add` stores into ./sources
    page = {"body": b"Q: What is a tensor?\n\nA: A multi-dimensional array.\n\n"
                    b"Q: What is a GPU?\n\nA: A processor for parallel arithmetic.\n\n"
                    b"Q: What is a batch?\n\nA: The examples of one training step.\n",
            "etag": '"v1"'}
    web.routes["/qa.txt"] = lambda: page
    added = CliRunner().invoke(main, ["add", f"{web.url}/qa.txt", "--slug", "web-qa"])
    assert added.exit_code == 0, added.output
    paths = [str(sources / f) for f in [*FILES, "web-qa.txt"]]

    def release_run(previous: str, out: str, *options: str):
        result = CliRunner().invoke(main, ["release", *paths, "--previous", str(tmp_path / previous),
                                           "--out", str(tmp_path / out), "--refresh", *options])
        assert result.exit_code == 0, result.output
        return result

    first = release_run("nothing-yet", "v1", "--first-release")
    assert first.stdout.splitlines()[0] == "web-qa.txt: unchanged"  # the 304 of the added page
    lock = (sources / "ankigen.lock").read_bytes()
    page["body"] = page["body"].replace(b"What is a GPU?", b"What is a TPU?") + \
        b"\nQ: What is an epoch?\n\nA: One pass over the training data.\n"
    page["etag"] = '"v2"'
    second = release_run("v1", "v2")
    lines = second.stdout.splitlines()
    assert "web-qa.txt: changed: 2 added, 0 changed, 1 removed" in lines
    assert lines[-1] == "changed"
    notes = (tmp_path / "v2" / "RELEASE_NOTES.md").read_text(encoding="utf-8")
    assert r"- What is an epoch\?" in notes and r"- What is a GPU\?" in notes
    result = json.loads((tmp_path / "v2" / "release.json").read_text())
    assert result["refreshed"] == {"web-qa.txt": "changed"}
    assert result["decks"]["web-qa.apkg"] == {"version": result["version"], "cards": 4,
                                              "new_deck": False, "added": 2, "changed": 0,
                                              "removed": 1}
    # what the pull request carries: the new raw page and the lock with its new notes
    assert (sources / "web-qa.txt").read_bytes() == page["body"]
    assert (sources / "ankigen.lock").read_bytes() != lock
    # the site now serves a consent page with 200: refused, nothing stored or released
    stored = {p.name: p.read_bytes() for p in sources.iterdir() if p.is_file()}
    page.update(body=b"Q: Do you accept our cookies?\n\nA: Accept all.\n\nQ: Why?\n", etag='"v3"')
    third = release_run("v2", "v3")
    assert "Warning: web-qa.txt: failed: the new copy gives 1 of the stored one's 4 cards" in third.stderr
    assert third.stdout.splitlines()[-1] == "unchanged"
    assert {p.name: p.read_bytes() for p in sources.iterdir() if p.is_file()} == stored
    for deck in (tmp_path / "v2").glob("*.apkg"):
        assert deck.read_bytes() == (tmp_path / "v3" / deck.name).read_bytes()
