"""Documentation pages of interview blocks, each:

    Question
    Main question: ...
    Explanation: ...            (what the interviewer expects; goes to the Extra field)
    Follow-up questions:
      1. ...
    Answer
    ...main answer...
    Follow-up Questions
    <follow-up question>        (bulleted, numbered, plain, or with its answer inline)
    ...its answer...
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..lexicon import vocabulary
from ..lexicon.marks import BULLET
from ..lexicon.questions import question_key
from ..lexicon.words import SUMMARY_OPENING, keywords
from ..record import Record
from .document import SourceDoc

NAME = "doc-blocks"
DESCRIPTION = "'Question / Main question / Explanation / Follow-up questions / Answer' blocks"

_BLOCK = re.compile(r"^\s*Question\s*$")
_ANSWER = re.compile(r"^\s*Answer\s*:?\s*$")
_MAIN = re.compile(r"^\s*(?:\d+\.\s*)?Main question\s*:\s*(.*)$", re.IGNORECASE)
_EXPLANATION = re.compile(r"^\s*Explanation\s*:\s*(.*)$", re.IGNORECASE)
_FOLLOWUPS = re.compile(r"^\s*Follow-up questions?\s*:?\s*$", re.IGNORECASE)
_ITEM_PREFIX = re.compile(rf"^\s*(?:{BULLET}|\d{{1,2}}[.)])\s*")
_NUMBERED = re.compile(r"^(\s*)\d{1,2}[.)]\s+")
_CANDIDATE = re.compile(r"^The candidate (?:should|must|is expected to|needs to)\s+", re.IGNORECASE)
_CHROME = vocabulary.words("chrome.skip_links")
RESTATEMENT_SIMILARITY = 0.8
PARAPHRASE_SHARE = 0.7  # of a heading's words that must be the follow-up's


def detect(lines: list[str]) -> float:
    blocks = sum(1 for line in lines if _BLOCK.match(line))
    if not blocks:
        return 0.0
    labelled = sum(1 for line in lines if _MAIN.match(line) or _EXPLANATION.match(line))
    answers = sum(1 for line in lines if _ANSWER.match(line))
    if not labelled or not answers:
        return 0.0
    return min(1.0, labelled / blocks)


def _strip_item(text: str) -> str:
    return _ITEM_PREFIX.sub("", text, count=1).strip()


def _restates(text: str, question: str) -> bool:
    text = _MAIN.sub(r"\1", text)
    a, b = question_key(_strip_item(text)), question_key(question)
    return bool(a) and SequenceMatcher(None, a, b).ratio() >= RESTATEMENT_SIMILARITY


def _blocks(doc: SourceDoc) -> list[tuple[int, int]]:
    starts = [n for n, line in enumerate(doc.lines, start=1) if _BLOCK.match(line)]
    for n in range(1, (starts[0] if starts else len(doc.lines) + 1)):
        if doc.line(n).strip().casefold() in _CHROME:
            doc.drop(n, "page chrome (skip link)")
    return list(zip(starts, starts[1:] + [len(doc.lines) + 1]))


def parse(doc: SourceDoc) -> str:
    for start, end in _blocks(doc):
        _parse_block(doc, start, end)
    return ""  # the format's name says how it marks its questions


def _parse_block(doc: SourceDoc, start: int, end: int) -> None:
    doc.mark([start], "label", "block marker")
    main: tuple[int, str] | None = None
    explanation, explanation_at = "", None
    declared: list[tuple[int, str]] = []
    answer_at = None
    in_followups = False
    for n in range(start + 1, end):
        line = doc.line(n)
        if _ANSWER.match(line):
            answer_at = n
            break
        if match := _MAIN.match(line):
            main = (n, match.group(1).strip())
        elif match := _EXPLANATION.match(line):
            explanation, explanation_at = match.group(1).strip(), n
            doc.mark([n], "label", "explanation (Extra field)")
        elif _FOLLOWUPS.match(line):
            in_followups = True
            doc.mark([n], "label", "follow-up list heading")
        elif in_followups and line.strip():
            declared.append((n, _strip_item(line)))
            doc.mark([n], "index", "follow-up listed before the answer")
    body = range(answer_at, end) if answer_at else range(0)
    main_answer: list[tuple[int, str]] = []
    followup_at = None
    for n in body:
        line = doc.line(n)
        if _ANSWER.match(line):
            doc.mark([n], "label", "answer label")
        elif _FOLLOWUPS.match(line):
            followup_at = n
            doc.mark([n], "label", "follow-up answers heading")
            break
        elif main and _restates(line, main[1]):
            doc.drop(n, "restates the question")
        elif _MAIN.match(line):
            doc.mark([n], "label", "main question label")
        else:
            main_answer.append((n, line))

    main_answer, answers = _split_paraphrased(doc, main_answer, declared)
    section = range(followup_at + 1, end) if followup_at else range(0)
    answers.update(_followup_answers(doc, [d for d in declared if d not in answers], section))
    main_answer += _take_conclusion(answers)

    parent: Record | None = None
    if main is None and explanation_at is not None:
        main = (explanation_at, _question_from_explanation(explanation))
        explanation = ""
    if main:
        parent = doc.add(main[1], main[0], main_answer, extra=explanation)
        if main[0] == explanation_at:
            parent.changes.append("question taken from the Explanation line: "
                                  "the page lost this block's Main question")
    else:
        doc.mark([n for n, text in main_answer if text.strip()], "dropped",
                 "answer whose main question the page lost")
    for q_line, question in declared + [a for a in answers if a not in declared]:
        doc.add(question, q_line, answers.get((q_line, question), []), parent=parent,
                followup=True)


def _question_from_explanation(explanation: str) -> str:
    """"The candidate should provide examples of X." -> "Provide examples of X."""
    text = _CANDIDATE.sub("", explanation).strip()
    return text[:1].upper() + text[1:]


def _split_paraphrased(doc: SourceDoc, lines: list[tuple[int, str]],
                       declared: list[tuple[int, str]]):
    """Cut the main answer where a heading line ("Advantages of X:") paraphrases a listed
    follow-up ("What advantages does X offer?"): what follows answers that follow-up."""
    main: list[tuple[int, str]] = []
    answers: dict[tuple[int, str], list[tuple[int, str]]] = {}
    current = main
    for number, text in lines:
        target = _paraphrased(text, declared) if text.strip().endswith(":") else None
        if target is not None and target not in answers:
            answers[target] = current = []
            doc.mark([number], "label", "follow-up asked under a paraphrased heading")
            continue
        current.append((number, text))
    return main, answers


def _paraphrased(line: str, declared: list[tuple[int, str]]) -> tuple[int, str] | None:
    words = keywords(line)
    for item in declared:
        wanted = keywords(item[1])
        if len(words) >= 3 and len(words & wanted) >= PARAPHRASE_SHARE * len(words):
            return item
    return None


def _take_conclusion(answers: dict[tuple[int, str], list[tuple[int, str]]]) -> list[tuple[int, str]]:
    """The page's closing paragraph ("Overall, ...") comes after the last follow-up's answer
    but sums up the main answer: move it there."""
    if not answers:
        return []
    last = max(answers.values(), key=lambda lines: max((n for n, _ in lines), default=0))
    while last and not last[-1][1].strip():
        last.pop()
    if last and len(last) > 1 and SUMMARY_OPENING.match(last[-1][1]):
        number, text = last.pop()
        return [(number, ""), (number, text)]
    return []


def _followup_answers(doc: SourceDoc, declared: list[tuple[int, str]],
                      lines: range) -> dict[tuple[int, str], list[tuple[int, str]]]:
    """Answers in the follow-up section, keyed by the declared follow-up (or by a question
    found only here); numbered answer items lose the numbering the scrape ran on."""
    keys = {question_key(q): (line, q) for line, q in declared}
    answers: dict[tuple[int, str], list[tuple[int, str]]] = {}
    current: tuple[int, str] | None = None
    numbered = False
    for n in lines:
        line = doc.line(n)
        item = _strip_item(line)
        match = next((k for k in keys if question_key(item).startswith(k)), None) if item else None
        if match is not None:
            current = keys.pop(match)
            numbered = bool(_NUMBERED.match(line))
            answers[current] = []
            doc.mark([n], "label", "follow-up question repeated")
            if rest := _after_question(item, current[1]):  # "Question? Its answer." on one line
                answers[current].append((n, rest))
        elif item.endswith("?") and len(item) < 250 and not keys:
            current = (n, item)
            numbered = bool(_NUMBERED.match(line))
            answers[current] = []
        elif current is not None:
            answers[current].append((n, _NUMBERED.sub(r"\1- ", line) if numbered else line))
    return answers


def _after_question(item: str, question: str) -> str:
    if item.startswith(question):
        return item[len(question):].strip()
    mark = item.find("?")
    return item[mark + 1:].strip() if mark >= 0 else ""
