"""A long page with a table of contents: "- entry" lines on top, then the body where each
entry reappears as a heading line followed by its answer.

The flattened contents list no longer shows nesting, so the body decides what an entry is:
- a section: not phrased as a question, and the next line is another heading;
- a sub-heading inside an answer: written in Title Case and not phrased as a question
  ("Why This Matters", "Single-Feature Testing"), or any heading right after an answer's
  lead-in line ("Here's how it works:"); it stays in the answer;
- otherwise a question; an entry that is a remark rather than a question (a hashtag line)
  is reported, not carded.
Sections the contents list does not index are read from the body: there, a line ending in
"?" followed by text is a question. In indexed sections too, a body question the list left
out gets its own card when the page sets it apart: "Related: ...?", or a question in sentence
case about something else than the answer it follows ("What is an isotropic cluster?" after
"Is k-means clustering parametric?"). "References" and "Citation" end the page's content.
"""

from __future__ import annotations

import re

from ..lexicon import vocabulary
from ..lexicon.marks import OPENS_WITH_BULLET, is_bare_bullet
from ..lexicon.questions import is_question_heading, opens_like_question
from ..lexicon.titles import is_title_case
from ..lexicon.words import keywords
from .document import SourceDoc

NAME = "toc-page"
DESCRIPTION = "a '- entry' table of contents, then sections of headings and answers"

_TOC_ENTRY = re.compile(r"^\s*-\s+(\S.*)$")
_END_OF_CONTENT = vocabulary.words("heading.end_of_content")
MIN_TOC_ENTRIES = 5
MAX_LEAD_IN_LINES = 2
MAX_QUESTION_CHARS = 300
_HASHTAG = re.compile(r"(?:^|[\s/])#\w")
_RELATED = re.compile(r"^(?:related|see also)\s*:\s*", re.IGNORECASE)


def _toc(lines: list[str]) -> tuple[int, int, list[str]]:
    """(title lines before it, line after it, entries) of the first long "- entry" run."""
    start = next((i for i, line in enumerate(lines[:10]) if _TOC_ENTRY.match(line)), None)
    if start is None:
        return 0, 0, []
    entries = []
    end = start
    for end in range(start, len(lines)):
        match = _TOC_ENTRY.match(lines[end])
        if not match:
            break
        entries.append(match.group(1).strip())
    else:
        end = len(lines)
    return start, end, entries


def detect(lines: list[str]) -> float:
    _, end, entries = _toc(lines)
    if len(entries) < MIN_TOC_ENTRIES:
        return 0.0
    body = {line.strip() for line in lines[end:]}
    return 0.9 * sum(1 for e in entries if e in body) / len(entries)


def parse(doc: SourceDoc) -> str:
    start, end, entries = _toc(doc.lines)
    for n in range(1, start + 1):
        if doc.line(n).strip():
            doc.drop(n, "page title")
    doc.mark(range(start + 1, end + 1), "index", "table of contents entry")
    toc = set(entries)
    lines = doc.lines
    body = range(end + 1, len(lines) + 1)

    def next_text(n: int) -> str:
        return next((lines[m - 1] for m in range(n + 1, len(lines) + 1) if lines[m - 1].strip()), "")

    def is_heading(text: str, indexed: bool) -> bool:
        text = text.strip()
        if OPENS_WITH_BULLET.match(text) or not text:
            return False
        if text in toc:
            return True
        return not indexed and text.endswith("?") and len(text) < MAX_QUESTION_CHARS

    section: str | None = None
    section_indexed = True
    question: tuple[int, str] | None = None
    answer: list[tuple[int, str]] = []

    def flush() -> None:
        if question is not None:
            remark = is_remark(question[1])
            doc.add(question[1], question[0], answer, section=section,
                    skip="remark, not a question" if remark else None)

    for n in body:
        text = lines[n - 1].strip()
        if text.casefold() in _END_OF_CONTENT and text in toc:
            flush()
            question = None
            doc.mark(range(n, len(lines) + 1), "dropped", "page chrome (references, citation)")
            return ""
        if (question is not None and section_indexed and text not in toc
                and _unindexed_question(text, question[1]) and next_text(n).strip()
                and (_RELATED.match(text) or not _introduced(answer))):
            flush()
            question, answer = (n, _RELATED.sub("", text)), []
            continue
        if is_heading(text, section_indexed):
            if not is_question_heading(text) and is_heading(next_text(n), indexed=False):
                flush()
                question, answer = None, []
                section = text
                section_indexed = _section_indexed(entries, text)
                doc.mark([n], "section")
                continue
            if question is not None and (not is_question_heading(text) and is_title_case(text)
                                         or _only_lead_in(answer)):
                answer.append((n, lines[n - 1]))  # a sub-heading inside the current answer
                continue
            flush()
            question, answer = (n, text), []
        elif question is not None:
            answer.append((n, lines[n - 1]))
    flush()
    return ""  # the format's name says how it marks its questions


def _unindexed_question(text: str, current: str) -> bool:
    """A body question the contents list left out, set apart from the answer it follows: a
    "Related:" question, or one in sentence case (a Title Case one is a sub-heading) that
    shares no content word with the question being answered."""
    if OPENS_WITH_BULLET.match(text) or not text.endswith("?") or len(text) >= MAX_QUESTION_CHARS:
        return False
    asked = _RELATED.sub("", text)
    if asked != text:
        return is_question_heading(asked)
    if is_title_case(asked) or not opens_like_question(asked):
        return False  # "So why did plain RNNs struggle?" goes on with the answer
    return not keywords(asked) & keywords(current)


def _introduced(answer: list[tuple[int, str]]) -> bool:
    """Whether the answer's last line introduces what comes next ("Example:"), or is a bare
    "-" whose item the next line is: a question there belongs to the answer, not the page."""
    last = next((text.strip() for _, text in reversed(answer) if text.strip()), "")
    return last.endswith(":") or is_bare_bullet(last)


def _only_lead_in(answer: list[tuple[int, str]]) -> bool:
    """An answer that so far is only a lead-in ("Here's how it works and how to use it:")
    goes on under the next heading, which is its sub-heading, not a new question."""
    content = [text.strip() for _, text in answer if text.strip()]
    return 0 < len(content) <= MAX_LEAD_IN_LINES and content[-1].endswith(":")


def is_remark(heading: str) -> bool:
    """A contents entry that comments rather than asks ("Data science /#MLinterview are hard")."""
    return not is_question_heading(heading) and bool(_HASHTAG.search(heading))


def _section_indexed(entries: list[str], section: str) -> bool:
    """Whether the contents list names any entry under this section."""
    position = entries.index(section) if section in entries else -1
    following = entries[position + 1] if 0 <= position < len(entries) - 1 else ""
    return bool(following) and is_question_heading(following)
