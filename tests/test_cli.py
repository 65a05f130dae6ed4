"""The command line, through click's runner: help, scrape output, build output, errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ankigen.cli import main
from helpers import SOURCES_DIR

SOURCE_FILES = sorted(str(p) for p in SOURCES_DIR.glob("*.txt"))
RECORD_KEYS = {"id", "source", "kind", "parent", "section", "question", "answer", "q_line",
               "answer_lines", "tags"}


@pytest.mark.parametrize("command", [[], ["build"], ["scrape"]])
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(main, command + ["--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_scrape_jsonl_emits_records_for_every_source():
    result = CliRunner().invoke(main, ["scrape", *SOURCE_FILES, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert {r["source"] for r in records} == set(SOURCE_FILES)
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    by_id = {r["id"]: r for r in records}
    for record in records:
        assert RECORD_KEYS <= record.keys()
        assert record["kind"] in ("main", "followup")
        assert record["question"].strip()
        assert isinstance(record["q_line"], int) and record["q_line"] >= 1
        if record["answer"]:
            first, last = record["answer_lines"]
            assert 1 <= first <= last
        else:
            assert record["answer_lines"] == []
        if record["parent"] is not None:
            assert by_id[record["parent"]]["kind"] == "main"
        assert record["tags"]


def test_scrape_json_and_table_formats():
    path = str(SOURCES_DIR / "transformers-part-6.txt")
    as_json = CliRunner().invoke(main, ["scrape", path, "--format", "json"])
    assert as_json.exit_code == 0
    records = json.loads(as_json.output)
    assert records[0]["question"] == "What are the key components of the Transformer architecture?"
    table = CliRunner().invoke(main, ["scrape", path, "--format", "table"])
    assert table.exit_code == 0
    assert "What are the" in table.output and "question" in table.output


def _table_columns(output: str) -> dict[str, str]:
    """A rich table's text by column, each cell's lines joined with no space between."""
    rows = [line.split("│")[1:-1] for line in output.splitlines() if line.startswith("│")]
    header = [line.split("┃")[1:-1] for line in output.splitlines() if line.startswith("┃")][0]
    return {name.strip(): "".join("".join(row[i].split()) for row in rows)
            for i, name in enumerate(header)}


def test_a_table_of_several_sources_names_each_record_s_source_and_keeps_tags_whole():
    """The table of two sources did not say which a record came from, and cut tags to
    "topic::transformer…" on an 80-column terminal."""
    paths = [str(SOURCES_DIR / name)
             for name in ("transformers-part-6.txt", "transformer-model-qa.txt")]
    scraped = CliRunner().invoke(main, ["scrape", *paths]).output
    records = [json.loads(line) for line in scraped.splitlines()]
    table = CliRunner().invoke(main, ["scrape", *paths, "--format", "table"], env={"COLUMNS": "80"})
    assert table.exit_code == 0
    columns = _table_columns(table.output)
    assert max(map(len, table.output.splitlines())) <= 80
    assert columns["source"] == "".join(r["source"] for r in records)
    assert columns["tags"] == "".join("".join(r["tags"]) for r in records)


def test_the_readme_describes_every_field_of_a_scraped_record():
    """`context`, `extra`, `skip` and `changes` were printed and described nowhere."""
    readme = (SOURCES_DIR.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### `ankigen scrape")[1].split("\n### ")[0]
    path = str(SOURCES_DIR / "transformers-part-6.txt")
    record = json.loads(CliRunner().invoke(main, ["scrape", path]).output.splitlines()[0])
    assert [key for key in record if f"`{key}`" not in section] == []


def test_build_writes_a_deck_per_source_and_a_report(tmp_path):
    # copies: the default lock file is written beside the first source
    (tmp_path / "sources").mkdir()
    sources = [shutil.copy(path, tmp_path / "sources") for path in SOURCE_FILES[:2]]
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", *sources, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "sources" / "ankigen.lock").is_file()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [s["path"] for s in report["sources"]] == sources
    for entry in report["sources"]:
        assert Path(entry["output"]).is_file()
        assert entry["cards"] + len(entry["skipped"]) == entry["records"]
        assert all(s["reason"] for s in entry["skipped"])
        assert f"{entry['cards']} cards" in result.output


def test_file_outside_manifest_gets_a_deck_named_after_it(tmp_path):
    notes = tmp_path / "my-notes.txt"
    notes.write_text("Q: What is a tensor?\nA: A multi-dimensional array.\n"
                     "Q: What is a gradient?\nA: The vector of partial derivatives.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(notes), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "ML Interview::my-notes: 2 cards" in result.output
    assert "2 cards in 1 deck;" in result.output
    assert (tmp_path / "out" / "my-notes.apkg").is_file()


def test_bad_source_is_one_line_and_the_rest_still_build(tmp_path):
    missing = str(tmp_path / "missing.txt")
    good = str(SOURCES_DIR / "transformer-model-qa.txt")
    result = CliRunner().invoke(main, ["build", missing, good, "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: {missing}: no such file; check the path"]
    assert "Traceback" not in result.output
    assert (tmp_path / "out" / "transformer-model-qa.apkg").is_file()
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["sources"][0]["error"].startswith(missing)


def test_a_reader_that_stops_early_ends_the_command_quietly():
    """`ankigen scrape ... | head -1`: no "Error: unexpected BrokenPipeError", the status a
    shell gives a Unix tool ended by a closed pipe."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "ankigen.cli", "scrape",
               str(SOURCES_DIR / "aman-ai-interview-questions.txt"), "--format", "jsonl"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.readline().startswith(b"{")
    process.stdout.close()  # the reader is done; the command has more to write
    _, stderr = process.communicate(timeout=120)
    assert stderr == b""
    assert process.returncode == 141


def test_python_dash_m_runs_the_command_line():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "ankigen", "--version"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("ankigen, version ")


def test_help_loads_no_build_library():
    """`ankigen --help` stays fast: the build's libraries load when a command runs."""
    import subprocess
    import sys

    code = ("import sys, ankigen.cli; heavy = {'genanki', 'mistune', 'pygments', 'nh3', "
            "'rapidfuzz', 'rich', 'ftfy'} & set(sys.modules); print(sorted(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_a_build_that_cannot_start_keeps_the_previous_report(tmp_path):
    out = tmp_path / "out"
    good = str(SOURCES_DIR / "transformer-model-qa.txt")
    assert CliRunner().invoke(main, ["build", good, "-o", str(out), "--lock",
                                     str(tmp_path / "a.lock")]).exit_code == 0
    before = (out / "report.json").read_bytes()
    result = CliRunner().invoke(main, ["build", str(tmp_path / "sources.toml"), "-o", str(out)])
    assert result.exit_code == 1 and result.stderr.startswith("Error: ")
    assert (out / "report.json").read_bytes() == before


def test_the_summary_lists_questions_without_a_card_and_says_where_identities_go(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Q: What is a tensor?\nA: An array.\n\nQ: What is a graph?\nA:\n\n"
                    "Q: What is a tree?\nA: A graph without cycles.\n\nQ: What is a heap?\n"
                    "A: TODO\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(page), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert f"  no card {page}:4: What is a graph? (no answer in source)" in result.output
    assert (f"  no card {page}:10: What is a heap? (no answer in source: a placeholder or a "
            "paywall stub)") in result.output
    assert f"identities: a new lock {tmp_path / 'ankigen.lock'}; keep it" in result.output
    again = CliRunner().invoke(main, ["build", str(page), "-o", str(tmp_path / "out")])
    assert "identities: a new lock" not in again.output


def test_tags_counts_what_the_preview_and_release_notes_count(built):
    """One count everywhere: cards tagged with each topic."""
    from ankigen.apkg import read_package
    from ankigen.tag import top_level, topic_counts

    report, out = built
    notes = [n for entry in report.sources for n in read_package(entry.output).notes]
    result = CliRunner().invoke(main, ["tags", *SOURCE_FILES])
    printed = dict(re.findall(r"^topic::(\S+) \((\d+)\)$", result.output, re.MULTILINE))
    assert {topic: int(n) for topic, n in printed.items()} == dict(
        top_level(topic_counts(n.tags for n in notes)))
    assert result.output.splitlines()[0] == (
        f"{len(notes)} cards; cards tagged with each topic (a card can carry more than one):")


def test_outside_a_project_a_bare_build_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: no source files given, and no sources/sources.toml in {tmp_path} or a folder "
        "above it: name the files to use (ankigen build page.txt), or run ankigen in a project "
        "folder")
    assert list(tmp_path.iterdir()) == []  # no build/ folder left in a stranger's directory


def test_shell_completion_script_is_offered():
    import os
    import subprocess

    result = subprocess.run(["ankigen"], env={**os.environ, "_ANKIGEN_COMPLETE": "bash_source"},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "_ankigen_completion" in result.stdout


def test_a_wheel_leaves_build_to_the_decks(tmp_path):
    """setuptools builds in .setuptools-build/: `pip wheel .` writes nothing into build/."""
    import tomllib

    from helpers import PROJECT

    config = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["distutils"]["build"]["build_base"] not in ("build", "build/")
    assert "py.typed" in config["tool"]["setuptools"]["package-data"]["ankigen"]


def test_progress_follows_phases_whose_size_is_known_from_the_start(tmp_path, sources):
    """The bar's end never moves: reading is measured in the sources' bytes, writing in decks."""
    from ankigen.build import build

    events = []
    report = build(sources, tmp_path / "out", lock_path=None,
                   progress=lambda *event: events.append(event))
    reading = [(done, total) for phase, done, total in events if phase == "reading"]
    writing = [(done, total) for phase, done, total in events if phase == "writing"]
    assert len({total for _, total in reading}) == 1
    assert [done for done, _ in reading] == sorted(done for done, _ in reading)
    assert abs(reading[-1][0] - reading[-1][1]) < 1e-6 * reading[-1][1]
    decks = sum(1 for entry in report.sources if entry.output)
    assert writing == [(n, decks) for n in range(1, decks + 1)]
    assert events.index(("writing", 1, decks)) > events.index(("reading", *reading[-1]))


def test_colour_only_on_a_terminal_and_never_under_no_color(tmp_path, monkeypatch):
    missing = str(tmp_path / "missing.txt")
    args = ["build", missing, "-o", str(tmp_path / "out")]
    on_terminal = CliRunner().invoke(main, args, color=True)  # as a terminal would show it
    assert "\x1b[31mError:\x1b[0m " + missing in on_terminal.stderr
    piped = CliRunner().invoke(main, args)
    assert "\x1b[" not in piped.stderr and piped.stderr.startswith("Error: " + missing)
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in CliRunner().invoke(main, args, color=True).stderr


def test_a_word_diff_shows_removed_words_in_red_and_added_ones_in_green():
    from ankigen.cli import _DIFF_COLOURS, _painted

    painted = _painted("~ Q?\n    Answer: keep [-old-] {+new+}", _DIFF_COLOURS)
    assert "\x1b[33m~ Q?" in painted
    assert "keep \x1b[31m[-old-]\x1b[0m \x1b[32m{+new+}\x1b[0m" in painted
