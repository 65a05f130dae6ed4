"""A page with an index of "- Qn: question" lines on top and a body that answers them.

The body keeps some "Qn: question" headers and many "Answer:" labels, but the scrape lost
most headers: an answer may start with a bare "Answer:" label, or with no marker at all.
The index says which questions exist and in what order, so each stretch of body between two
surviving headers is matched to the questions the index puts between them:

- "Answer:" labels in a stretch belong to the questions just before the next header
  (right-aligned), because a header's own label follows it directly; in a run of empty
  labels, the text after them goes to the run's question it is most about;
- questions left over (their header and label both lost) were answered inside the text
  right after the first header; that text is split where a paragraph follows a list,
  choosing the split points whose opening lines best match the questions' words (among up
  to MAX_SPLIT questions; a stretch that lost more stays with its header's question).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..lexicon.marks import BULLET
from ..lexicon.words import keywords
from .document import SourceDoc

NAME = "indexed-page"
DESCRIPTION = "an index of '- Qn:' questions, then a body of 'Qn:' headers and 'Answer:' labels"

_INDEX = re.compile(r"^\s*-\s*Q(\d+)\s*[:.]\s*(\S.*)$")
_HEADER = re.compile(r"^\s*Q(\d+)\s*[:.]\s*(\S.*)$")
_LABEL = re.compile(r"^\s*Answer\s*:\s*(.*)$", re.IGNORECASE)
_BULLET = re.compile(rf"^\s*{BULLET}|^\s*[a-z0-9][.)]\s")
# questions one stretch of text is split among: more answers run together than this have lost
# too much for words to place them, and the work grows with their number times the text's
MAX_SPLIT = 20


@dataclass
class Segment:
    number: int | None  # question number, once known
    header_line: int | None = None
    header_text: str = ""
    label_line: int | None = None
    content: list[tuple[int, str]] = field(default_factory=list)


def _index(lines: list[str]) -> dict[int, tuple[int, str]]:
    """The leading "- Qn:" run: question number -> (line, text)."""
    entries: dict[int, tuple[int, str]] = {}
    for number, line in enumerate(lines, start=1):
        if match := _INDEX.match(line):
            entries.setdefault(int(match.group(1)), (number, match.group(2).strip()))
        elif line.strip():
            break
    return entries


def detect(lines: list[str]) -> float:
    index = _index(lines)
    if len(index) < 3:
        return 0.0
    body = lines[max(n for n, _ in index.values()):]
    markers = sum(1 for line in body if _HEADER.match(line) or _LABEL.match(line))
    return 1.0 if markers >= 2 else 0.0


def _segments(doc: SourceDoc, start: int) -> list[Segment]:
    segments: list[Segment] = []
    for number in range(start, len(doc.lines) + 1):
        line = doc.line(number)
        if match := _HEADER.match(line):
            segments.append(Segment(int(match.group(1)), number, match.group(2).strip()))
        elif match := _LABEL.match(line):
            current = segments[-1] if segments else None
            owns_label = (current is not None and current.header_line is not None
                          and current.label_line is None and not current.content)
            if not owns_label:
                current = Segment(None)
                segments.append(current)
            current.label_line = number
            if match.group(1).strip():
                current.content.append((number, match.group(1)))
        elif segments:
            segments[-1].content.append((number, line))
        elif line.strip():
            pass  # text between the index and the first header stays unplaced
    return segments


def _number_segments(segments: list[Segment], last: int) -> dict[int, range]:
    """Give every label segment a question number; return the positions of the header
    segments that must be split, with the numbers of the questions whose answers they absorbed."""
    to_split = {}
    headers = [i for i, s in enumerate(segments) if s.header_line is not None]
    bounds = headers + [len(segments)]
    if headers and headers[0] > 0:  # labels before the first header: number them from 1
        for offset, seg in enumerate(segments[:headers[0]]):
            seg.number = offset + 1
    for here, nxt in zip(bounds, bounds[1:]):
        first = segments[here].number
        following = segments[nxt].number if nxt < len(segments) else last + 1
        labels = segments[here + 1:nxt]
        start = max(following - len(labels), first + 1)
        for offset, seg in enumerate(labels):
            seg.number = start + offset
        if missing := range(first + 1, start):  # (a range: "Q1" then "Q99999" is no list)
            to_split[here] = missing
    return to_split


def _match_label_runs(segments: list[Segment], questions: dict[int, str]) -> None:
    """In a run of empty "Answer:" labels ending in one with text, the text may answer any
    question of the run: give it to the one whose words it shares most (ties: the last)."""
    run: list[Segment] = []
    for seg in segments:
        if seg.header_line is not None or seg.number is None:
            run = []
            continue
        run.append(seg)
        if not any(text.strip() for _, text in seg.content):
            continue
        if len(run) > 1:
            words = keywords(" ".join(text for _, text in seg.content[:3]))
            best = max(reversed(run), key=lambda s, words=words: _share(words, questions.get(s.number, "")))
            best.number, seg.number = seg.number, best.number
        run = []


def _share(words: set[str], question: str) -> float:
    """The fraction of a question's words that a text shares."""
    wanted = keywords(question)
    return len(words & wanted) / max(len(wanted), 1)


def _split(segment: Segment, numbers: range, questions: dict[int, str]) -> list[Segment]:
    """Cut a header segment whose text also answers the next ``numbers`` questions.

    Cuts go where a paragraph follows a list (or, if there are too few such places, at any
    paragraph), chosen so that each line sits with the question whose words it shares most.
    """
    lines = segment.content
    def starts_paragraph(i: int) -> bool:
        text = lines[i][1]
        return bool(text.strip()) and not _BULLET.match(text)
    after_list = [i for i in range(1, len(lines))
                  if starts_paragraph(i) and _BULLET.match(lines[i - 1][1])]
    candidates = after_list if len(after_list) >= len(numbers) else \
        [i for i in range(1, len(lines)) if starts_paragraph(i)]
    if len(candidates) < len(numbers):
        return [segment]
    wanted = [keywords(segment.header_text)] + [keywords(questions[n]) for n in numbers]
    # agreement[q][i]: how much lines before i lean to question q rather than to its best rival
    # (shares are a fraction of each question's words, so long questions don't dominate)
    agreement = [[0.0] for _ in wanted]
    for _, text in lines:
        words = keywords(text)
        shared = [len(words & w) / max(len(w), 1) for w in wanted]
        *_, second, top = sorted(shared)
        for row, share in zip(agreement, shared):
            row.append(row[-1] + share - (second if share == top else top))

    def part(q: int, begin: int, stop: int) -> float:
        return agreement[q][stop] - agreement[q][begin]

    # best[k][c]: best score with part k (question wanted[k]) starting at candidate c, and the
    # start of part k - 1 that gives it: the best earlier start, kept as the candidates go by
    best = [{c: (part(0, 0, c), None) for c in candidates}]
    for k in range(2, len(wanted)):
        layer, lead = {}, None  # lead: the earlier start with the most to carry forward
        for c in candidates:
            if lead is not None:
                layer[c] = (best[-1][lead][0] + part(k - 1, lead, c), lead)
            if c in best[-1] and (lead is None or best[-1][c][0] - agreement[k - 1][c]
                                  >= best[-1][lead][0] - agreement[k - 1][lead]):
                lead = c
        best.append(layer)
    last = len(wanted) - 1
    end, (_, _) = max(best[-1].items(), key=lambda kv: kv[1][0] + part(last, kv[0], len(lines)))
    cuts = [end]
    for layer in reversed(best[1:]):
        cuts.append(layer[cuts[-1]][1])
    cuts.reverse()
    parts = [Segment(segment.number, segment.header_line, segment.header_text,
                     segment.label_line, lines[:cuts[0]])]
    for n, begin, stop in zip(numbers, cuts, cuts[1:] + [len(lines)]):
        parts.append(Segment(n, content=lines[begin:stop]))
    return parts


def parse(doc: SourceDoc) -> str:
    index = _index(doc.lines)
    if not index:
        return ""  # no index, nothing to place: every line stays unplaced for the report
    questions = {n: text for n, (_, text) in index.items()}
    for n, (line, _) in index.items():
        doc.mark([line], "index", f"index entry Q{n}")
    body_start = max(line for line, _ in index.values()) + 1
    segments = _segments(doc, body_start)
    to_split = _number_segments(segments, max(index))
    pieces: list[Segment] = []
    for position, segment in enumerate(segments):
        missing = to_split.get(position, range(0))
        # (an index copied from Q41 on: what it lacks cannot be split out by words)
        if missing and len(missing) <= MAX_SPLIT and all(n in questions for n in missing):
            pieces += _split(segment, missing, questions)
        else:
            pieces.append(segment)
    segments = pieces
    _match_label_runs(segments, questions)

    by_number: dict[int, Segment] = {}
    for seg in segments:
        if seg.number in by_number or seg.number is None:
            doc.mark([n for n, _ in seg.content], "dropped",
                     "answer matches no question of the index")
            continue
        by_number[seg.number] = seg
    for number in sorted(set(index) | set(by_number)):
        seg = by_number.get(number)
        if seg is None:
            doc.add(questions[number], index[number][0], [])
            continue
        if seg.label_line is not None:
            doc.mark([seg.label_line], "label", "answer label")
        if seg.header_line is not None:
            question, q_line = seg.header_text, seg.header_line  # the body's wording wins
        elif number in index:
            question, q_line = questions[number], index[number][0]
        else:
            doc.mark([n for n, _ in seg.content], "dropped", f"answer to Q{number}, not in the index")
            continue
        doc.add(question, q_line, seg.content)
    return ""  # the format's name says how it marks its questions
