"""Memory in proportion to the input: the inputs that once made a stage hold far more than it
read, each run in a subprocess whose peak memory, less that of the same run without the work,
must stay under a limit that proportional memory keeps well clear of."""

from __future__ import annotations

import subprocess
import sys

import pytest

LIMIT_MB = 100

CASES = {
    # 4,200 questions whose words are all among those of 200 others: 800,000 pairs before
    "other wordings of many questions": ("""
from itertools import combinations
from ankigen.build import similar_questions
from ankigen.record import Record
terms = '''gradient descent learning rate momentum optimizer weight decay batch normalization
dropout layer network neuron activation function softmax entropy loss regularization'''.split()
wide = [f"How do {', '.join(terms)} interact in case {n}?" for n in range(200)]
narrow = [f"How do {a}, {b}, {c} and {d} interact?" for a, b, c, d in combinations(terms, 4)]
records = [Record(id=f"s:{n}", source="p", kind="main", question=q, q_line=n)
           for n, q in enumerate(wide + narrow[:4000])]
""", "similar_questions(records)"),
    # a 33 KB answer: lines under a numbered item whose text starts 12,000 spaces in
    "lines under an item with a wide gap": ("""
from ankigen.render import render_markdown
answer = "1." + " " * 12_000 + "Step\\n" + "  more\\n" * 3_000
""", "render_markdown(answer)"),
    # an indexed page whose body jumps from "Q1:" to "Q99999999:": the questions between
    "a header number far past the index": ("""
from ankigen.scrape import indexed_page
from ankigen.scrape.document import SourceDoc
lines = ["- Q1: What is a?", "- Q2: What is b?", "- Q3: What is c?", "", "Q1: What is a?",
         "It is a.", "Q99999999: What is z?", "Answer: It is z."]
""", "indexed_page.parse(SourceDoc('page.txt', 'page', lines))"),
}


def peak_mb(code: str) -> float:
    script = code + "\nimport resource\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return int(done.stdout.split()[-1]) / 1024  # Linux gives kilobytes


@pytest.mark.parametrize("name", sorted(CASES))
def test_memory_stays_in_proportion_to_the_input(name):
    setup, work = CASES[name]
    extra = peak_mb(setup + "\n" + work) - peak_mb(setup)
    assert extra < LIMIT_MB, f"{name}: {extra:.0f} MB more than the input itself"
