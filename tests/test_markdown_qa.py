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
