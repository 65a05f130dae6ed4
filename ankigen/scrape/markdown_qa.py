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
NO_QUESTION_LEVEL = 7  # deeper than any heading
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\d{1,3}[.)]\s*)?(\*\*|__)(?P<text>[^*_].*?)\1\s*:?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_PREFIX = re.compile(r"^(?:Q(?:uestion)?\s*\d+\s*[:.)-]?|\d{1,3}\s*[.):-])\s*", re.IGNORECASE)
_TRAILING_LINK = re.compile(r"\s*\[\[[^\]]*\](?:\([^)]*\))?\](?:\([^)]*\))?\s*$"
                            r"|\s*\(\s*\[[^\]]*\]\([^)]*\)\s*\)\s*$")
_LABEL = re.compile(r"^\s*(?:\*\*|__)?(?:Answer|Ans|A)\s*[:.](?:\*\*|__)?\s*", re.IGNORECASE)
_MARKUP = re.compile(r"^\s*(?:<br\s*/?>|</?details>|<summary>.*</summary>|[-*_]{3,}|"
                     r"\[(?:⬆\s*)?back to top\]\(#[^)]*\))\s*$", re.IGNORECASE)
_CHROME_HEADINGS = {
    "contents", "table of contents", "toc", "contributing", "contributors", "license",
    "references", "resources", "acknowledgements", "acknowledgments", "credits", "see also",
    "further reading", "related", "support", "sponsors", "about", "author", "citation",
}
_EXTERNAL_LINK = re.compile(r"\]\(https?://")
_TOC_LINK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s*\[[^\]]+\]\([^)]*\)\s*$")  # a list of links


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
    # on a tie the shallower level wins: deeper question-like headings are answer sub-headings
    return max(counts, key=lambda level: (counts[level], -level if level != BOLD else -7))


def detect(lines: list[str]) -> float:
    headings = _headings(lines)
    level = _question_level(headings)
    if level is None:
        return 0.0
    heading_lines = {h.line for h in headings}

    def has_text(h: Heading) -> bool:
        following = next((n for n in range(h.line, len(lines)) if lines[n].strip()), None)
        return following is not None and following + 1 not in heading_lines

    cards = sum(1 for h in headings if h.level == level and (_is_question(h) or has_text(h)))
    return 0.85 if cards >= 2 else 0.0


def parse(doc: SourceDoc) -> None:
    headings = _headings(doc.lines)
    level = _question_level(headings)
    if level is None:
        level = NO_QUESTION_LEVEL  # no heading reads as a question: they are all sections
    by_line = {h.line: h for h in headings}
    titles = [h for h in headings if h.level == 1]
    title_line = titles[0].line if len(titles) == 1 and level != 1 else None
    section: str | None = None
    question: Heading | None = None
    answer: list[tuple[int, str]] = []
    chrome: str | None = None  # inside "## Contributing" and the like

    def flush() -> None:
        if question is not None:
            doc.add(question.text, question.line, _strip_label(doc, answer), section=section)

    def next_is_heading(number: int) -> bool:
        following = next((n for n in range(number + 1, len(doc.lines) + 1)
                          if doc.line(n).strip()), None)
        return following in by_line

    for number, line in enumerate(doc.lines, start=1):
        heading = by_line.get(number)
        if heading is None:
            if _MARKUP.match(line) or chrome or question is None:
                if line.strip():
                    doc.drop(number, _reason_outside_answers(line, chrome))
            else:
                answer.append((number, line))
            continue
        if number == title_line:
            doc.drop(number, "page title")
            continue
        if heading.level != level and (heading.level == BOLD or heading.level > level != BOLD):
            if question is not None:  # a sub-heading (or bold line) inside the answer
                answer.append((number, line))
            else:
                doc.drop(number, _reason_outside_answers(line, chrome))
            continue
        flush()
        question, answer, chrome = None, [], None
        if heading.level == level and _is_question(heading):
            question = heading
        elif heading.text.casefold().strip(" :") in _CHROME_HEADINGS:
            chrome = heading.text
            doc.drop(number, f"page chrome ({heading.text})")
        elif _EXTERNAL_LINK.search(heading.text):  # "Recently added: [other page](https://..)"
            doc.drop(number, "page chrome (a heading that links elsewhere)")
        elif heading.level == level and not next_is_heading(number):
            question = heading  # a topic heading with text under it is a card too
        else:
            section = heading.text
            doc.mark([number], "section")
    flush()


def _reason_outside_answers(line: str, chrome: str | None) -> str:
    if chrome:
        return f"page chrome ({chrome})"
    if _MARKUP.match(line):
        return "page markup"
    return "table of contents entry" if _TOC_LINK.match(line) else "page introduction"


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
