"""The reader's rule table (ankigen/scrape/reader/rules.py): every marker family has one
entry with one interface, and a small page in each family's layout is read through it."""

from __future__ import annotations

import inspect
from dataclasses import fields

import pytest

from ankigen.scrape import reader
from ankigen.scrape.document import POSSIBLE_QUESTION, UNDER_SECTION, SourceDoc
from ankigen.scrape.reader.rules import RULES, Rule
from helpers import scrape_text

# (family, page, questions with their answers); each page is made up, in the family's layout
FIXTURES = [
    ("number", [
        "1. What is an index?",
        "A structure that speeds up lookups. Trade-offs:",
        "1. Faster reads.",
        "2. Slower writes.",
        "2. What is a view?",
        "A stored query.",
    ], [("What is an index?", "A structure that speeds up lookups. Trade-offs:\n"
                               "1. Faster reads.\n2. Slower writes."),
        ("What is a view?", "A stored query.")]),
    ("label", [
        "Q: What is a tensor?",
        "A: An array of numbers.",
        "Q: What is a scalar?",
        "A: A single number.",
    ], [("What is a tensor?", "An array of numbers."), ("What is a scalar?", "A single number.")]),
    ("heading", [
        "Linear algebra notes",
        "",
        "# Basics",
        "",
        "## What is a tensor?",
        "An array of numbers.",
        "",
        "## What is a scalar?",
        "A single number.",
    ], [("What is a tensor?", "An array of numbers."), ("What is a scalar?", "A single number.")]),
    ("table", [
        "| Question | Answer |",
        "|---|---|",
        "| What is a tensor? | An array of numbers. |",
        "| What is a scalar? | A single number. |",
    ], [("What is a tensor?", "An array of numbers."), ("What is a scalar?", "A single number.")]),
    ("tab", [
        "What is a tensor?\tAn array of numbers.",
        "What is a scalar?\tA single number.",
    ], [("What is a tensor?", "An array of numbers."), ("What is a scalar?", "A single number.")]),
    ("summary", [
        "<details><summary>What is a tensor?</summary>",
        "An array of numbers.",
        "</details>",
        "<details><summary>What is a scalar?</summary>",
        "A single number.",
        "</details>",
    ], [("What is a tensor?", "An array of numbers."), ("What is a scalar?", "A single number.")]),
    ("bare", [
        "What is a tensor?",
        "An array of numbers.",
        "",
        "What is a scalar?",
        "A single number.",
        "",
        "What is a vector?",
        "A list of numbers.",
        "So how do you add two?",
        "Element by element.",
        "",
        "What is a matrix?",
        "A table of numbers.",
    ], [("What is a tensor?", "An array of numbers."), ("What is a scalar?", "A single number."),
        ("What is a vector?", "A list of numbers.\nSo how do you add two?\nElement by element."),
        ("What is a matrix?", "A table of numbers.")]),
]


def test_every_family_has_a_fixture():
    assert sorted(family for family, _, _ in FIXTURES) == sorted(RULES)


@pytest.mark.parametrize("family, page, expected", FIXTURES, ids=[f for f, _, _ in FIXTURES])
def test_a_page_of_each_family_is_read_through_its_rule(family, page, expected):
    doc = SourceDoc("page.txt", "page", page)
    layout = reader.parse(doc)
    described = RULES[family].describes.split("{")[0]
    assert layout.startswith(described), layout
    assert [(r.question, r.answer) for r in doc.records] == expected
    assert doc.unplaced() == []


def test_heading_rule_opens_sections_above_the_questions_level():
    doc = SourceDoc("page.txt", "page", FIXTURES[2][1])
    reader.parse(doc)
    assert {r.section for r in doc.records} == {"Basics"}


def test_tab_rows_inside_some_answers_are_not_the_pages_pattern():
    doc = SourceDoc("page.txt", "page", [
        "1. What does a confusion matrix hold?",
        "Counts of predictions:",
        "TP\ttrue positives",
        "FP\tfalse positives",
        "2. What is recall?",
        "The share of positives found.",
    ])
    assert reader.parse(doc).startswith(RULES["number"].describes.split("{")[0])
    assert [r.question for r in doc.records] == ["What does a confusion matrix hold?",
                                                 "What is recall?"]


# each hook of the interface and how many arguments the reader passes it
HOOKS = {"read": 2, "excludes": 3, "fills_gaps": 3, "refine": 3, "sections_at": 1,
         "closes_region": 1, "answer_line": 1}


def test_every_rule_implements_the_interface():
    assert {f.name for f in fields(Rule) if str(f.type).startswith("Callable")} == set(HOOKS)
    for name, rule in RULES.items():
        assert isinstance(rule, Rule)
        assert rule.name == name and rule.describes
        assert isinstance(rule.weight, float) and 0 < rule.weight <= 1
        for hook, arity in HOOKS.items():
            inspect.signature(getattr(rule, hook)).bind(*range(arity))  # TypeError if not


def test_a_line_that_reads_like_the_pages_questions_but_stays_in_an_answer_is_named(tmp_path):
    result = scrape_text(tmp_path, """
        What is overfitting?
        - The model learns noise in the training data.

        What is underfitting?
        - The model is too simple for the data.

        What is regularization?
        - A penalty on model complexity.
        So how do you know it helped? The validation loss goes down.

        What is early stopping?
        - Stopping when the validation loss stops improving.
        """)
    assert [r.question for r in result.records] == [
        "What is overfitting?", "What is underfitting?", "What is regularization?",
        "What is early stopping?"]
    assert result.fates[9].reason == POSSIBLE_QUESTION
    assert any(w.startswith("line 9: 1 line(s) read like questions") for w in result.warnings)


def test_text_under_a_section_heading_that_no_question_heads_is_named(tmp_path):
    result = scrape_text(tmp_path, """
        ## Basics

        ### 1. What is overfitting?
        The model learns noise in the training data.

        ### 2. What is underfitting?
        The model is too simple for the data.

        ## Coding

        Write a function that returns the n-th Fibonacci number.
        Write a function that reverses a string.

        ### 3. What is regularization?
        A penalty on model complexity.
        """, name="excerpt.md")
    assert [r.question for r in result.records] == [
        "What is overfitting?", "What is underfitting?", "What is regularization?"]
    assert result.fates[11].reason == result.fates[12].reason == UNDER_SECTION
    assert "line 11, 12: 2 line(s) of text under a section heading made no card" in result.warnings[0]


def test_a_topic_line_set_apart_inside_an_answer_on_a_page_of_topic_lines_is_named(tmp_path):
    result = scrape_text(tmp_path, """
        Explain bias:
        - Error from wrong assumptions.

        Explain variance:
        - Error from sensitivity to the training set.

        What is bagging?
        - Training on bootstrap samples and averaging.

        There are two kinds of averaging:
        Kinds of averaging:
        - Hard voting
        - Soft voting

        What is boosting?
        - Training models in sequence on the errors of the last.
        Advantages:
        - Strong accuracy
        """)
    assert [r.question for r in result.records] == [
        "Explain bias:", "Explain variance:", "What is bagging?", "What is boosting?"]
    assert result.fates[10].reason == POSSIBLE_QUESTION  # named, not split: it does not ask
    assert result.fates[17].reason is None  # a lead-in over its points is the answer's own
