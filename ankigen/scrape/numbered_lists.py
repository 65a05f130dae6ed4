"""Numbered lists: "1. question" at the margin, its answer the "-" bullets below it.

A short line ending in ":" on its own ("Part 6 :") heads a section; numbering that restarts
at 1 without a heading starts a new list, its own section ("Set 1", "Set 2").
"""

from __future__ import annotations

import re

from ..lexicon.marks import OPENS_WITH_BULLET
from ..lexicon.questions import is_question_heading
from .document import SourceDoc

NAME = "numbered-lists"
DESCRIPTION = "'1. question' lines followed by '-' bullet answers"

_ITEM = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")
_SECTION = re.compile(r"^\s*(\S.{0,60}?)\s*:\s*$")


def _next_content(lines: list[str], index: int) -> str:
    """The next non-blank line after ``index`` (read in place: no copy of the rest)."""
    for position in range(index + 1, len(lines)):
        if lines[position].strip():
            return lines[position]
    return ""


def detect(lines: list[str]) -> float:
    items = [i for i, line in enumerate(lines) if _ITEM.match(line)]
    if len(items) < 2:
        return 0.0
    bulleted = sum(1 for i in items if OPENS_WITH_BULLET.match(_next_content(lines, i)))
    # the items are the questions: a numbered list of steps inside some answer is not this
    asking = sum(1 for i in items if is_question_heading(_ITEM.match(lines[i]).group(2)))
    return 0.9 * bulleted / len(items) * asking / len(items)


def parse(doc: SourceDoc) -> str:
    sets = _sets(doc.lines)
    heading: str | None = None
    question: tuple[int, str] | None = None
    answer: list[tuple[int, str]] = []

    def section() -> str | None:
        if question is None or max(sets.values(), default=1) == 1:
            return heading
        label = f"Set {sets[question[0]]}"
        return f"{heading}, {label}" if heading else label

    def flush() -> None:
        if question is not None:
            doc.add(question[1], question[0], answer, section=section())

    for number, line in enumerate(doc.lines, start=1):
        if match := _ITEM.match(line):
            flush()
            question, answer = (number, match.group(2).strip()), []
        elif question is None and (match := _SECTION.match(line)):
            heading = match.group(1).strip()
            doc.mark([number], "section")
        elif question is not None:
            answer.append((number, line))
    flush()
    return ""  # the format's name says how it marks its questions


def _sets(lines: list[str]) -> dict[int, int]:
    """Which list each question line belongs to: numbering that restarts starts a new one."""
    sets: dict[int, int] = {}
    current, previous = 1, 0
    for number, line in enumerate(lines, start=1):
        if match := _ITEM.match(line):
            if int(match.group(1)) <= previous:
                current += 1
            previous = int(match.group(1))
            sets[number] = current
    return sets
