"""Every stage is linear in its input: the inputs that once made a pattern backtrack or a
loop copy the rest of the file, at two sizes. The test is a ratio between sizes (4x the input
may take at most 10x the time; quadratic work takes 16x), never an absolute time."""

from __future__ import annotations

import itertools
import random
import re
import string
from collections import Counter

import pytest

from ankigen.build import similar_questions
from ankigen.normalize import rejoin_split_code
from ankigen.record import Record
from ankigen.render import render_markdown
from ankigen.scrape import build_registry, indexed_page, reader
from ankigen.scrape.document import SourceDoc
from helpers import SOURCES_DIR, best_time

REGISTRY = build_registry(load_plugins=False)
QUESTIONS = ["What is x?", "It is y.", "What is z?", "It is w."]


def scrape_lines(lines: list[str]) -> None:
    """Detection by every parser, then the general reader, as a build of an unknown page."""
    REGISTRY.detect(lines)
    reader.parse(SourceDoc("page.txt", "page", lines))


CASES = {
    # one long line at the top of a page: headings, bold, questions, table pipes, numbers
    "heading over spaces": lambda n: (scrape_lines, ["# a" + " " * n + "b", *QUESTIONS]),
    "bold over spaces": lambda n: (scrape_lines, ["**a" + " " * n + "b**", *QUESTIONS]),
    "question marks": lambda n: (scrape_lines, ["What is it? " * (n // 12), *QUESTIONS]),
    "table pipes": lambda n: (scrape_lines, ["|" + " - |" * (n // 4), *QUESTIONS]),
    "glued bold numbers": lambda n: (scrape_lines, ["x**1. " * (n // 6), *QUESTIONS]),
    # many lines
    "numbered items": lambda n: (scrape_lines, ["1. What is x?"] * (n // 10)),
    "number lines": lambda n: (scrape_lines, ["12"] * (n // 3) + QUESTIONS),
    "bare questions": lambda n: (scrape_lines, ["What is it?", "It is."] * (n // 20)),
    "brackets after questions": lambda n: (
        scrape_lines, ["1. What is x? " + "(" * (n // 2) + ")" * (n // 2), "2. What is y? (a b)"]),
    "ID lines in many styles": lambda n: (scrape_lines, id_lines(n // 20)),
    "answers run together on an indexed page": lambda n: (
        indexed_page.parse, SourceDoc("page.txt", "page", run_together(n // 20))),
    "other wordings of many questions": lambda n: (similar_questions, wordings(n // 40)),
    "questions in the common words of real pages": lambda n: (similar_questions, common_words(n // 40)),
    # rendering: a long word, unclosed formulas and brackets, code with blank lines
    "long word": lambda n: (render_markdown, "\\(" + "x" * n),
    "unclosed formulas": lambda n: (render_markdown, "\\( $ " * (n // 5)),
    "unclosed brackets": lambda n: (render_markdown, "f(" * (n // 2)),
    "code with blank lines": lambda n: (render_markdown, "def f():\n" + "    x = 1\n\n" * (n // 12)),
    "a run of blank lines in code": lambda n: (render_markdown, "def f():\nx = 1\n" + "\n" * n + "y\n"),
    "a run of spaces before a part": lambda n: (render_markdown, "Intro - " + " " * n + "- Part: x"),
    "glued display formulas": lambda n: (render_markdown, "\\[a " + " " * n + "$$ $$ b\\]"),
    # lines re-indented under a numbered item, or split off a line: each copies an indent
    "lines under an item with a wide gap": lambda n: (
        render_markdown, "1." + " " * (n // 2) + "Step\n" + "  more\n" * (n // 14)),
    "run-together items on an indented line": lambda n: (
        render_markdown, " " * (n // 2) + "Steps: " + " - Next step." * (n // 26)),
    # scrape artefacts mended in the answers, and an answer that repeats itself
    "inline code on lines of its own": lambda n: (
        rejoin_split_code, "- we load the weights using\nmmap()\ninstead of reading them.\n" * (n // 60)),
    "a hard-wrapped answer": lambda n: (rejoin_split_code, "and the weights are loaded\n" * (n // 9)),
    "bullets after items": lambda n: (render_markdown, "- An item.\nPros\n" * (n // 16)),
    "one lead-in repeated": lambda n: (answer_of, ["- Pros:"] * (n // 8)),
    "one question asked again and again": lambda n: (merged, n // 40),
    # flattened code: comments between statements, and deep nesting
    "comments in flat code": lambda n: (render_markdown, "def f(x):\n" + "# c\ny = 1\n" * (n // 12)),
    "deeply nested flat code": lambda n: (
        render_markdown, "".join(f"if x{i}:\n" for i in range(n // 8)) + "pass"),
}


def id_lines(count: int) -> list[str]:
    """Numbered questions whose answers are in parts, each under an ID line of its own letters
    ("Abcd1"): every ID is a numbering style of its own."""
    ids = ("".join(letters) for letters in itertools.product(string.ascii_lowercase, repeat=4))
    return [line for n in range(1, count + 1) for line in (
        f"{n}. Why?", *(part for _ in range(3) for part in (next(ids).capitalize() + "1", "Ok.")))]


def run_together(count: int) -> list[str]:
    """An index of 21 questions whose body keeps the first header only: the twenty answers
    after it run together, a paragraph a line, and are told apart by their words alone."""
    terms = [f"{letter}{letter}ion" for letter in string.ascii_lowercase[:21]]
    return [*(f"- Q{n}: What is {term}?" for n, term in enumerate(terms, start=1)), "",
            f"Q1: What is {terms[0]}?", *(f"The {terms[n * 21 // count]} works." for n in range(count))]


def wordings(count: int) -> list[Record]:
    """Questions on four terms each, all worded within 200 questions that name every term."""
    terms = """gradient descent learning rate momentum optimizer weight decay batch normalization
    dropout layer network neuron activation function softmax entropy loss""".split()
    wide = [f"How do {', '.join(terms)} interact in case {n}?" for n in range(200)]
    narrow = [f"How do {', '.join(four)} interact?" for four in itertools.combinations(terms, 4)]
    return [Record(id=f"s:{n}", source="p", kind="main", question=q, q_line=n)
            for n, q in enumerate(wide + narrow[:count])]


def common_words(count: int) -> list[Record]:
    """Questions of 6-14 words drawn from the 400 commonest words of sources/: every question
    shares words with many others and none has a word of its own (no "(item N)")."""
    text = " ".join(path.read_text(encoding="utf-8") for path in sorted(SOURCES_DIR.glob("*.txt")))
    common = [word for word, _ in Counter(re.findall(r"[a-z]{4,}", text.casefold())).most_common(400)]
    rng = random.Random(26)
    return [Record(id=f"s:{n}", source="p", kind="main", q_line=n,
                   question="What " + " ".join(rng.choices(common, k=rng.randint(6, 14))) + "?")
            for n in range(count)]


def answer_of(lines: list[str]) -> None:
    SourceDoc("page.txt", "page", ["Q?"] + lines).add("Q?", 1, list(enumerate(lines, start=2)))


def merged(times: int) -> None:
    doc = SourceDoc("page.txt", "page", ["Q?", "A."] * times)
    for n in range(times):
        doc.add("What is x?", 2 * n + 1, [(2 * n + 2, f"Answer {n}.")])
    doc.merge_repeated_questions()


@pytest.mark.parametrize("name", sorted(CASES))
def test_four_times_the_input_takes_at_most_ten_times_the_time(name):
    work = CASES[name]
    small, large = best_time(work, 20_000), best_time(work, 80_000)
    assert large < 10 * max(small, 0.005), f"{name}: {small:.3f} s -> {large:.3f} s"
