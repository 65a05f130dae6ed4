"""Q:/A: transcripts: "Q: question" then "A: answer", the answer running to the next "Q:"."""

from __future__ import annotations

import re

from .document import SourceDoc

NAME = "qa-transcript"
DESCRIPTION = "'Q: ...' / 'A: ...' pairs"

_Q = re.compile(r"^\s*Q\s*[:.]\s*(.*)$")
_A = re.compile(r"^\s*A\s*[:.]\s*(.*)$")


def detect(lines: list[str]) -> float:
    questions = sum(1 for line in lines if _Q.match(line))
    answers = sum(1 for line in lines if _A.match(line))
    if not questions or not answers:
        return 0.0
    # a transcript opens with its first question; a web page of "Q."/"A." pairs under a
    # title, menus and section headings is the general reader's, which knows those
    first = next((line for line in lines if line.strip()), "")
    return min(questions, answers) / max(questions, answers) if _Q.match(first) else 0.0


def parse(doc: SourceDoc) -> str:
    question: tuple[int, str] | None = None
    answer: list[tuple[int, str]] = []
    in_answer = False

    def flush() -> None:
        if question is not None:
            doc.add(question[1], question[0], answer)

    for number, line in enumerate(doc.lines, start=1):
        if match := _Q.match(line):
            flush()
            question, answer, in_answer = (number, match.group(1).strip()), [], False
        elif question is None:
            continue  # preamble before the first question stays unplaced for the report
        elif match := _A.match(line):
            in_answer = True
            if match.group(1).strip():
                answer.append((number, match.group(1)))
            else:
                doc.mark([number], "label", "answer label")
        elif in_answer:
            answer.append((number, line))
        elif line.strip():  # a question that wraps onto the next line before its "A:"
            question = (question[0], f"{question[1]} {line.strip()}")
            doc.mark([number], "question", "question continued")
    flush()
    return ""  # the format's name says how it marks its questions
