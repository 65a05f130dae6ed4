"""Markdown Q&A pages, as in public interview-question repositories:

    # 65 Machine Learning Interview Questions          <- page title
    ## Linear regression                               <- a section
    #### 1) What is gradient descent? [[src](http://..)]   <- a question (any heading level)
    **What is regression? 👶**                         <- or a question as a bold line
    answer text ...                                    <- up to the next question or section

The level that holds the questions is the heading level (or bold lines) with the most
question-like entries; higher headings are sections, deeper ones stay inside answers.
Numbering and "Q12:" prefixes, a trailing source link and an "Answer:" label are not part of
the question or answer; fenced code never holds a heading.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .document import SourceDoc
from .text import looks_like_question

NAME = "markdown-qa"
DESCRIPTION = "Markdown headings or bold lines as questions, answers below them"

BOLD = 0  # pseudo heading level for whole-line bold questions
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\d{1,3}[.)]\s*)?(\*\*|__)(?P<text>[^*_].*?)\1\s*:?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_PREFIX = re.compile(r"^(?:Q(?:uestion)?\s*\d+\s*[:.)-]?|\d{1,3}\s*[.):-])\s*", re.IGNORECASE)
_TRAILING_LINK = re.compile(r"\s*\[\[[^\]]*\](?:\([^)]*\))?\](?:\([^)]*\))?\s*$"
                            r"|\s*\(\s*\[[^\]]*\]\([^)]*\)\s*\)\s*$")
_LABEL = re.compile(r"^\s*(?:\*\*|__)?(?:Answer|Ans|A)\s*[:.](?:\*\*|__)?\s*", re.IGNORECASE)
_MARKUP = re.compile(r"^\s*(?:<br\s*/?>|</?details>|<summary>.*</summary>|[-*_]{3,}|"
                     r"\[(?:⬆\s*)?back to top\]\(#[^)]*\))\s*$", re.IGNORECASE)
_EXTERNAL_LINK = re.compile(r"\]\(https?://")
_TOC_LINK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s*\[[^\]]+\]\(#[^)]*\)\s*$")


@dataclass
class Heading:
    line: int
    level: int  # 1-6, or BOLD
    text: str  # cleaned: no numbering, prefix or trailing link
    numbered: bool


def clean_question(text: str) -> tuple[str, bool]:
    """The question as written, less its numbering/label prefix and trailing source link."""
    text = text.strip().strip("*_").strip()
    text = _TRAILING_LINK.sub("", text).strip()
    stripped = _PREFIX.sub("", text, count=1)
    return stripped.strip().strip("*_").strip(), stripped != text


def _headings(lines: list[str]) -> list[Heading]:
    found = []
    in_fence = False
    for number, line in enumerate(lines, start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if match := _HEADING.match(line):
            text, numbered = clean_question(match.group(2))
            found.append(Heading(number, len(match.group(1)), text, numbered))
        elif match := _BOLD_LINE.match(line):
            text, numbered = clean_question(match.group("text"))
            found.append(Heading(number, BOLD, text, numbered))
    return found


def _is_question(heading: Heading) -> bool:
    return looks_like_question(heading.text) or heading.numbered


def _question_level(headings: list[Heading]) -> int | None:
    counts = Counter(h.level for h in headings if _is_question(h))
    if not counts:
        return None
    return max(counts, key=lambda level: (counts[level], level))


def detect(lines: list[str]) -> float:
    headings = _headings(lines)
    level = _question_level(headings)
    if level is None:
        return 0.0
    questions = sum(1 for h in headings if h.level == level and _is_question(h))
    return 0.85 if questions >= 2 else 0.0


def parse(doc: SourceDoc) -> None:
    headings = _headings(doc.lines)
    level = _question_level(headings)
    by_line = {h.line: h for h in headings}
    titles = [h for h in headings if h.level == 1]
    title_line = titles[0].line if len(titles) == 1 and level != 1 else None
    section: str | None = None
    question: Heading | None = None
    answer: list[tuple[int, str]] = []

    def flush() -> None:
        if question is not None:
            doc.add(question.text, question.line, _strip_label(doc, answer), section=section)

    for number, line in enumerate(doc.lines, start=1):
        heading = by_line.get(number)
        if heading is not None and number == title_line:
            doc.drop(number, "page title")
            continue
        if heading is not None and heading.level == level and _is_question(heading):
            flush()
            question, answer = heading, []
            continue
        ends_answer = heading is not None and (
            heading.level != BOLD and (level == BOLD or heading.level <= level))
        if ends_answer:
            flush()
            question, answer = None, []
            if _EXTERNAL_LINK.search(heading.text):  # "Recently added: [other page](https://..)"
                doc.drop(number, "page chrome (a heading that links elsewhere)")
            else:
                section = heading.text
                doc.mark([number], "section")
            continue
        if _MARKUP.match(line):
            if line.strip():
                doc.drop(number, "page markup")
            continue
        if question is None:
            if line.strip():
                doc.drop(number, "table of contents entry" if _TOC_LINK.match(line)
                         else "page introduction")
            continue
        answer.append((number, line))
    flush()


def _strip_label(doc: SourceDoc, answer: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop a leading "Answer:" label, on its own line or before the text."""
    for index, (number, text) in enumerate(answer):
        if not text.strip():
            continue
        if not _LABEL.match(text):
            return answer
        rest = _LABEL.sub("", text, count=1)
        if rest.strip():
            return answer[:index] + [(number, rest)] + answer[index + 1:]
        doc.mark([number], "label", "answer label")
        return answer[:index] + answer[index + 1:]
    return answer
