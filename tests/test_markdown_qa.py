"""The Markdown Q&A family: questions as headings of any level or as bold lines."""

from __future__ import annotations

from pathlib import Path

from ankigen.scrape import build_registry, scrape_source
from ankigen.sources import Source

DATA = Path(__file__).parent / "data"


def scrape_file(name: str):
    path = DATA / name
    return scrape_source(Source(str(path), "md", "ML Interview::md", "md", ""),
                         build_registry(load_plugins=False))


def test_heading_questions_with_numbering_and_source_links():
    result = scrape_file("headings-qa.md")
    assert result.format == "inferred"
    records = {r.question: r for r in result.records}
    assert list(records) == [
        "What's the trade-off between bias and variance?",
        "What is gradient descent?",
        "Implement [connected components](http://aishack.in/tutorials/labelling-connected-"
        "components-example/) on an image/matrix.",
        "Implement a sparse matrix class in C++.",
        "Reverse a bitstring.",
        "Implement non maximal suppression as efficiently as you can.",
    ]
    bias = records["What's the trade-off between bias and variance?"]
    assert bias.answer.startswith("If our model is too simple")
    assert bias.answer_lines == [8, 8]
    # no answer, or only a link to one elsewhere: no card
    assert records["Implement a sparse matrix class in C++."].answer == ""
    assert records["Implement [connected components](http://aishack.in/tutorials/labelling-"
                   "connected-components-example/) on an image/matrix."].answer == ""
    # a "#" line inside fenced code is code, not a heading
    bitstring = records["Reverse a bitstring."]
    assert bitstring.answer_lines == [24, 31]
    assert bitstring.answer.endswith("my_data.reverse()\n```")
    assert {r.section for r in result.records} == {None}
    assert result.fates[1].reason == "page title"
    assert result.fates[4].reason == "page chrome (a heading that links elsewhere)"
    assert result.unplaced == []


def test_bold_line_questions_under_section_headings():
    result = scrape_file("bold-qa.md")
    assert result.format == "inferred"
    assert [(r.section, r.question, r.answer_lines) for r in result.records] == [
        # the difficulty badges (👶 easy, ⭐ medium) are decoration, not part of the question
        ("Supervised machine learning", "What is supervised machine learning?", [11, 11]),
        ("Linear regression",
         "What is regression? Which models can you use to solve a regression problem?", [19, 23]),
        ("Linear regression", "What are the main assumptions of linear regression?", [29, 32]),
    ]
    assumptions = result.records[2]
    # the "Answer:" label is not part of the answer
    assert assumptions.answer.startswith("There are several assumptions of linear regression.")
    assert result.fates[13].reason == "page markup"
    assert result.unplaced == []


def test_question_list_of_links_then_numbered_headings():
    result = scrape_file("indexed-markdown-qa.md")
    assert result.format == "inferred"
    assert [(r.question[:41], r.answer_lines) for r in result.records] == [
        ("You and your friend are playing a game wi", [16, 16]),
        ("If you roll a dice three times, what is t", [21, 28]),
        ("Suppose you have ten fair dice. What is t", [32, 40]),
        ("Can you explain the difference between fr", []),  # listed, never answered
    ]
    assert result.records[2].answer.startswith("1/6\n\nExplanation:")
    reasons = {result.fates[n].reason for n in range(4, 8)}
    assert reasons == {"table of contents entry"}
    assert result.unplaced == []


HARD_WRAPPED = """\
## What does the learning rate do?

The learning rate sets the size of each step of gradient descent; too
large a rate makes the loss diverge, and too small a rate makes training
slow. Adam adapts the rate of every weight from running averages of its
gradients: it divides each step by the root of their mean square, which
evens the steps out. Warmup raises the rate over the first 1,000 steps.
Decay lowers it again towards the end of training.

## What are the pros of a decision tree?

Pros
Easy to explain to people who never trained a model
Needs no scaling of the features before training
Handles numeric and categorical features alike
"""


def test_a_hard_wrapped_paragraph_is_one_paragraph_and_a_pages_own_lines_stay(tmp_path):
    from ankigen.normalize import normalize_record
    from ankigen.render import render_record

    path = tmp_path / "wrapped.md"
    path.write_text(HARD_WRAPPED, encoding="utf-8")
    records = scrape_source(Source(str(path), "md", "ML Interview::md", "md", ""),
                            build_registry(load_plugins=False)).records
    wrapped, listed = (render_record(normalize_record(r)) for r in records)
    # every soft break of the wrap joins, wherever it fell (after a full stop, before a capital)
    assert wrapped.answer_html == "<p>" + " ".join(
        HARD_WRAPPED.split("\n\n")[1].split("\n")) + "</p>"
    assert "answer: joined the lines of 1 hard-wrapped paragraph(s)" in wrapped.changes
    # short lines that leave room for the next word are lines the page showed apart
    assert listed.answer_html.count("<br>") == 3
