"""The general reader: works out how a page marks its questions, whatever the site.

Every line is read into features (``lines``): the marker in front of it (numbering style
such as ``Q1.``, ``Question - 11 : -``, ``(3)`` or ``01.``, a ``Q:`` label, a Markdown heading
level, a table row, a ``<summary>``), its bullet, and whether its text reads as a question.
Lines with the same marker form a candidate pattern; a line with no marker joins the "bare
question" pattern of its bullet and indentation only when it reads as a question. The
pattern that repeats, numbers in sequence and leaves answers between its lines marks the
page's questions (``infer``; ``PATTERNS`` describes each for ``ankigen scrape --explain``).

Answers run to the next question of that pattern, so a numbered list or a question-like
sentence inside an answer stays in it (``answers``); on a list of questions with nothing
under them, a terse answer in brackets after a question's end is its answer, while a note
in brackets (an instruction, a remark on the question, an acronym, a tag) stays the
question's. On the way, the reader takes off labels (``Answer:``, ``CT10 - Answer:``,
``->``), sets aside what the page puts around its answers (metadata and options before an
answer label, hints, page chrome, running headers, the page's closing section), turns
section headings into record sections (and the lists of numbering that restarts at 1 into
sets of a section), and files every line in the ledger with its reason.
"""

from __future__ import annotations

from ...errors import UnknownFormatError
from ...lexicon.questions import reads_as_question
from ..document import POSSIBLE_QUESTION, SourceDoc
from .answers import Reader
from .infer import PATTERNS, Layout, choose_questions, infer, labels_answers
from .lines import IN_ANSWER, SHAPED_LIKE_QUESTION, read_units

__all__ = ["NAME", "DESCRIPTION", "PATTERNS", "Layout", "detect", "parse"]

NAME = "inferred"

DESCRIPTION = ("any page: infers which marker (numbering, label, heading, bold line, table "
               "row, bare question line) marks its questions")


def detect(lines: list[str]) -> float:
    """The general reader takes any page where a pattern finds two questions (or one
    question label followed by an answer label)."""
    layout, _ = infer(read_units(lines))
    return 0.3 if layout else 0.0


def parse(doc: SourceDoc) -> str:
    """Files the page's lines; returns the pattern it inferred, described for ``--explain``."""
    units = read_units(doc.lines, doc.block_starts)
    layout, indexes = infer(units)
    if layout is None:
        raise UnknownFormatError(
            doc.path, "no pattern marks two questions: looked for numbered lines, 'Q:' and "
            "'Question:' labels, headings, bold lines, table rows, <summary> blocks and lines "
            "that read as questions")
    questions = choose_questions(units, indexes, layout)
    layout.labelled = labels_answers(units, questions)
    reader = Reader(doc, units, layout)
    reader.read(questions)
    doc.trim_cut_off_end()
    for unit in units:  # lines that looked like the page's questions, kept in an answer
        fate = doc.fates.get(unit.lineno)
        if fate is not None and fate.role == "answer" and (
                unit.verdict == IN_ANSWER and reads_as_question(unit.text)
                or unit.verdict == SHAPED_LIKE_QUESTION):
            fate.reason = POSSIBLE_QUESTION
    layout.questions = sum(1 for r in doc.records if r.kind == "main")
    layout.answered = sum(1 for r in doc.records if r.kind == "main" and r.answer)
    return layout.describe()
