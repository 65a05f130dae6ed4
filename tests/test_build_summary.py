"""What a build tells its maintainer and its learners: the terminal summary says what it
compared with and what it wrote, lists in the source's order and cuts at whole words; a deck's
description shows learners no maintainer's note."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from ankigen.cli import main
from helpers import GOOD, SOURCES_DIR, edit, import_package, write


def build(*arguments: str):
    return CliRunner().invoke(main, ["build", *arguments])


def test_a_clones_first_build_says_its_cards_are_as_in_the_lock(tmp_path):
    """A fresh clone's first build compares with the committed lock; it said "since the last
    build: 0 new, 0 changed", of a build that never ran there."""
    folder = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, folder)
    manifest_files = sorted(str(p) for p in folder.glob("*.txt"))
    first = build(*manifest_files, "-o", str(tmp_path / "out"))
    assert first.exit_code == 0, first.output
    assert "since the last build" not in first.output
    assert first.output.count("  every card as in the lock: none new, changed or removed\n") == 5
    edit(folder / "transformers-part-6.txt", "Multi-head self-attention", "Multi-head attention")
    second = build(*manifest_files, "-o", str(tmp_path / "out"))
    assert second.output.count("  every card as in the lock") == 4
    assert ("  against the lock: 0 new, 1 changed, 0 removed (removed notes stay in Anki until "
            "deleted there)\n") in second.output


def test_a_build_that_kept_the_earlier_report_does_not_name_it_as_written(tmp_path):
    good = write(tmp_path / "good.txt", GOOD)
    out = tmp_path / "out"
    assert build(good, "-o", str(out)).exit_code == 0
    report = (out / "report.json").read_bytes()
    empty = write(tmp_path / "empty.txt", "")
    result = build(empty, "-o", str(out), "--lock", str(tmp_path / "other.lock"))
    assert result.exit_code == 1
    assert (out / "report.json").read_bytes() == report
    assert result.stdout.splitlines()[-1] == (
        f"0 cards in 0 decks; report not written: {out / 'report.json'} is an earlier build's, "
        "kept as it was")


def test_questions_without_a_card_are_listed_in_line_order(tmp_path):
    """An index page's questions come in the index's order; the list jumped from line 32 to
    351 and back to 35."""
    path = shutil.copy(SOURCES_DIR / "deep-learning-q1-q44.txt", tmp_path)
    result = build(path, "-o", str(tmp_path / "out"), "-v")
    assert result.exit_code == 0, result.output
    listed = [int(n) for n in re.findall(r"^  no card .*?:(\d+): ", result.output, re.M)]
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    in_report = [skipped["line"] for skipped in report["sources"][0]["skipped"]]
    assert len(listed) == len(in_report) > 10
    assert listed == in_report == sorted(in_report)


def test_a_long_duplicate_question_is_cut_after_a_whole_word(tmp_path):
    question = ("When would you prefer layer normalization over batch normalization in a "
                "transformer trained with small batches?")
    qa = f"Q: {question}\n\nA: When batches are small.\n"
    first, second = write(tmp_path / "first.txt", qa), write(tmp_path / "second.txt", qa)
    result = build(first, second, "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.output.splitlines() if f"{first}:1" in line]
    shown = re.match(r"  '(.*)…': ", line).group(1)
    key = json.loads((tmp_path / "out" / "report.json").read_text())["duplicates"][0]["question"]
    assert len(shown) <= 80 and key.startswith(shown) and key[len(shown)] == " "


def test_a_deck_description_shows_a_web_origin_and_no_maintainers_note(tmp_path, collection):
    folder = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, folder)
    manifest = folder / "sources.toml"
    edit(manifest, 'origin = "Numbered question lists copied from a web post (seed 003_97592181907c1a17)"',
         'origin = "https://example.org/part-6?a=1&b=2"')
    note = 'origin = "Q:/A: interview transcript copied from a web page (seed 000_c1da77ac4b478ac2)"'
    assert note in manifest.read_text(encoding="utf-8")
    out = tmp_path / "out"
    result = build(str(folder / "transformers-part-6.txt"), str(folder / "transformer-model-qa.txt"),
                   "-o", str(out))
    assert result.exit_code == 0, result.output
    for name in ("transformers-part-6", "transformer-model-qa"):
        import_package(collection, out / f"{name}.apkg")
    linked = collection.decks.by_name("ML Interview::Transformers Part 6")["desc"]
    assert ('Source: <a href="https://example.org/part-6?a=1&amp;b=2">'
            "https://example.org/part-6?a=1&amp;b=2</a>") in linked
    noted = collection.decks.by_name("ML Interview::Transformer Model Q&A")["desc"]
    assert noted.startswith("<b>Interview Q&amp;A on a transformer-based text classifier</b>")
    assert "seed" not in noted and "Source:" not in noted and "transcript" not in noted
