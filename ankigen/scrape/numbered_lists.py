"""Numbered lists: "1. question" at the margin, its answer the "-" bullets below it.

A short line ending in ":" on its own ("Part 6 :") heads a section.
"""

from __future__ import annotations

import re

from .document import SourceDoc

NAME = "numbered-lists"
DESCRIPTION = "'1. question' lines followed by '-' bullet answers"

_ITEM = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")
_SECTION = re.compile(r"^\s*(\S.{0,60}?)\s*:\s*$")
_BULLET = re.compile(r"^\s*[-•*]")


def _next_content(lines: list[str], index: int) -> str:
    for line in lines[index + 1:]:
        if line.strip():
            return line
    return ""


def detect(lines: list[str]) -> float:
    items = [i for i, line in enumerate(lines) if _ITEM.match(line)]
    if len(items) < 2:
        return 0.0
    bulleted = sum(1 for i in items if _BULLET.match(_next_content(lines, i)))
    return 0.9 * bulleted / len(items)


def parse(doc: SourceDoc) -> None:
    section: str | None = None
    question: tuple[int, str] | None = None
    answer: list[tuple[int, str]] = []

    def flush() -> None:
        if question is not None:
            doc.add(question[1], question[0], answer, section=section)

    for number, line in enumerate(doc.lines, start=1):
        if match := _ITEM.match(line):
            flush()
            question, answer = (number, match.group(2).strip()), []
        elif question is None and (match := _SECTION.match(line)):
            section = match.group(1).strip()
            doc.mark([number], "section")
        elif question is not None:
            answer.append((number, line))
    flush()
