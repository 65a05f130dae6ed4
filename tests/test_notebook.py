"""Jupyter notebooks are read as the page their cells show, each line at the file's own line."""

from __future__ import annotations

import json

from ankigen.scrape import build_registry, scrape_source
from ankigen.sources import Source, read_source

CELLS = [
    ("markdown", "# Interview questions\n"),
    ("markdown", "What is overfitting?\n- The model learns noise.\n- It does worse on new data."),
    ("markdown", "How do you reverse a list in Python?"),
    ("code", "items = [1, 2, 3]\nprint(items[::-1])"),
    ("markdown", "What does `zip` do?\n- Pairs items of several iterables."),
]


def notebook(cells=CELLS, **dump) -> str:
    """A notebook as nbformat writes it: sorted keys, one-space indent, a string per line."""
    def cell(kind, text):
        data = {"cell_type": kind, "metadata": {},
                "source": text.splitlines(keepends=True)}
        if kind == "code":
            data.update(execution_count=1, outputs=[
                {"name": "stdout", "output_type": "stream", "text": ["[3, 2, 1]\n"]}])
        return data
    nb = {"cells": [cell(*c) for c in cells], "metadata": {"language_info": {"name": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, sort_keys=True, indent=dump.get("indent", 1), ensure_ascii=False) + "\n"


def scrape(path):
    return scrape_source(Source(str(path), "nb", "ML Interview::NB", "NB", ""),
                         build_registry(load_plugins=False))


def test_a_notebook_reads_as_its_cells_with_the_files_line_numbers(tmp_path):
    path = tmp_path / "questions.ipynb"
    path.write_text(notebook(), encoding="utf-8")
    stored = path.read_text(encoding="utf-8").splitlines()
    result = scrape(path)
    assert not result.warnings
    cards = {r.question: r for r in result.records}
    assert set(cards) == {"What is overfitting?", "How do you reverse a list in Python?",
                          "What does `zip` do?"}
    for record in result.records:  # every line named is the line of the file that holds it
        assert json.loads(stored[record.q_line - 1].strip().rstrip(",")).startswith(
            record.question)
    assert "```python\nitems = [1, 2, 3]\nprint(items[::-1])\n```" in cards[
        "How do you reverse a list in Python?"].answer
    assert "[3, 2, 1]" not in cards["How do you reverse a list in Python?"].answer  # an output


def test_a_notebook_not_written_a_line_per_string_is_read_cell_by_cell_and_says_so(tmp_path):
    path = tmp_path / "minified.ipynb"
    path.write_text(notebook(indent=None), encoding="utf-8")
    text = read_source(str(path))
    assert any("line numbers count the lines of its cells" in w for w in text.warnings)
    assert {r.question for r in scrape(path).records} >= {"What is overfitting?"}


def test_notebook_json_is_known_by_its_content_whatever_the_file_is_called(tmp_path):
    path = tmp_path / "questions.json"
    path.write_text(notebook(), encoding="utf-8")
    assert "What is overfitting?" in read_source(str(path)).lines


def test_a_file_called_ipynb_that_is_not_json_is_read_as_text_with_a_warning(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("Q: What is a tensor?\nA: An array of numbers.\n", encoding="utf-8")
    text = read_source(str(path))
    assert text.lines[0] == "Q: What is a tensor?"
    assert any("not a notebook's JSON" in w and "read as text" in w for w in text.warnings)


def test_a_notebook_tells_where_each_cell_starts_in_place_or_cell_by_cell(tmp_path):
    for indent in (1, None):  # one string per line, and minified
        path = tmp_path / f"cells{indent}.ipynb"
        path.write_text(notebook(indent=indent), encoding="utf-8")
        text = read_source(str(path))
        firsts = [text.lines[n - 1] for n in sorted(text.block_starts)]
        assert firsts == ["# Interview questions", "What is overfitting?",
                          "How do you reverse a list in Python?", "```python", "What does `zip` do?"]
