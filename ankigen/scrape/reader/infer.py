"""Which pattern marks a page's questions: the marker that repeats, numbers in sequence and
leaves answers between its lines; and which of its lines are questions rather than section
headings, table of contents entries or items of a numbered list inside an answer."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from ...lexicon.chrome import names_chrome_section
from ...lexicon.questions import asks, is_question_heading, question_key, reads_as_question
from ...lexicon.titles import is_title_line
from .lines import (
    CONTENTS,
    IN_ANSWER,
    SECTION,
    Unit,
    answer_label,
    detach_id_lines,
    is_content,
)
from .rules import CONSISTENT_SHARE, RULES, pattern_score

MIN_QUESTIONS = 2
# Markers tried, those on the most lines: a page marks its questions in a few styles (real
# pages show at most a dozen), while IDs of answers' parts ("Abcd1") can each make one, and
# every style tried is weighed against the questions
MAX_STYLES = 32
PATTERNS = {name: rule.describes for name, rule in RULES.items()}


@dataclass
class Layout:
    """The pattern inferred for a page, for ``--explain`` and the build report."""

    kind: str  # the name of its rule in RULES
    style: str
    questions: int
    answered: int
    labelled: bool = False
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        what = RULES[self.kind].describes.format(style=self.style)
        text = f"{what}: {self.questions} questions, {self.answered} with an answer"
        if self.labelled:
            text += "; answers start at their label"
        return text


def infer(units: list[Unit]) -> tuple[Layout | None, list[int]]:
    """The pattern whose lines mark the page's questions, and the indexes of those lines."""
    counted = [0]
    for unit in units:
        counted.append(counted[-1] + is_content(unit))
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, unit in enumerate(units):
        if unit.kind and unit.text:
            groups[unit.key].append(index)
        if unit.before_own_line and unit.before_own_line[0]:  # read without its number line
            groups[unit.before_own_line[:2]].append(index)
    groups = dict(sorted(groups.items(), key=lambda group: len(group[1]), reverse=True)[:MAX_STYLES])
    best: tuple[float, tuple[str, str], int] | None = None
    answers: dict[tuple[str, str], int] = {}  # the answered lines of each group weighed
    for key, indexes in groups.items():
        if len(indexes) < MIN_QUESTIONS and not _labelled_pair(units, key, indexes):
            continue
        ends = indexes[1:] + [len(units)]
        answered = sum(1 for start, end in zip(indexes, ends)
                       if units[start].tail or counted[end] - counted[start + 1] > 0)
        asking = sum(reads_as_question(units[i].text) for i in indexes) / len(indexes)
        numbers = [units[i].ordinal for i in indexes]
        in_sequence = sum(1 for a, b in zip(numbers, numbers[1:])
                          if a is not None and b is not None and (b == a + 1 or b == 1))
        sequence = in_sequence / max(len(indexes) - 1, 1)
        rule = RULES[key[0]]
        if rule.excludes(asking, len(indexes), counted[-1]):
            continue
        score = pattern_score(rule.weight, answered, len(indexes), asking, sequence)
        answers[key] = answered
        if best is None or score > best[0]:
            best = (score, key, answered)
    if best is None:
        return None, []
    key = _enclosing(units, {k: groups[k] for k in answers}, best[1])
    answered = answers[key]
    detach_id_lines(units, key)
    indexes = groups[key]
    rule = RULES[key[0]]
    for other, more in groups.items():
        if other == key:
            continue
        # "Q:" or "Question:" on a page read by some other pattern still marks a question
        labelled = RULES[other[0]].labels_questions and rule.admits_labelled
        if not (_continues(units, indexes, more) or labelled
                or other[0] == key[0] and rule.fills_gaps(units, indexes, more)):
            asking = _answered_questions(units, indexes, more, counted) \
                if other[0] == key[0] and rule.asks_at_any_style else []
            more = asking + _own_section(units, indexes, [i for i in more if i not in asking])
        if more:  # another style marks questions too
            indexes = sorted(set(indexes + more))
    return Layout(key[0], key[1], len(indexes), answered), indexes


def _enclosing(units: list[Unit], groups: dict[tuple[str, str], list[int]],
                key: tuple[str, str]) -> tuple[str, str]:
    """The pattern whose lines enclose the chosen one's: a numbered list or sub-headings
    inside every answer can outweigh the questions above them. Headings of a higher level,
    most of which ask, with the chosen lines (which mostly do not ask) under at least two of
    them, the first line numbering each list afresh, are the page's questions."""
    inner = groups[key]
    inner_level = units[inner[0]].heading or 7  # a line that is no heading is below any
    if sum(reads_as_question(units[i].text) for i in inner) >= CONSISTENT_SHARE * len(inner):
        return key
    for other, outer in groups.items():
        level = units[outer[0]].heading
        if (other == key or len(outer) < MIN_QUESTIONS or not level or level >= inner_level
                or inner[0] < outer[0]
                or sum(is_question_heading(units[i].text) for i in outer)
                < CONSISTENT_SHARE * len(outer)):
            continue
        first_of_region: dict[int, Unit] = {}
        for index in inner:
            region = bisect_right(outer, index)
            first_of_region.setdefault(region, units[index])
        if len(first_of_region) >= MIN_QUESTIONS and all(
                u.ordinal in (None, 1) for u in first_of_region.values()):
            return other
    return key


def _answered_questions(units: list[Unit], indexes: list[int], more: list[int],
                        counted: list[int]) -> list[int]:
    """Lines of another style ("## What happens if all weights are 0?" among "### ..."
    questions) that end in "?" and have an answer of their own, before the next line of
    either style: a question wherever it stands; and then the topic lines of that style
    with an answer of their own."""
    lines = sorted(set(indexes + more))
    ends = dict(zip(lines, lines[1:] + [len(units)]))
    answered = [i for i in more if counted[ends[i]] - counted[i + 1] > 0]
    asking = [i for i in answered if units[i].text.endswith("?")]
    # where the page asks at that style, a topic line of it with its own answer under it is
    # a question too ("## Exploding gradients" then "1. occurs in RNNs"); one with nothing
    # under it before the next question heads a section
    return [i for i in answered if i in asking or asking and not names_chrome_section(units[i].text)]


def _labelled_pair(units: list[Unit], key: tuple[str, str], indexes: list[int]) -> bool:
    """A question label ("Q:") with an answer label ("A:") on the next line says, even once,
    how the page marks its questions."""
    if len(indexes) != 1 or not RULES[key[0]].labels_questions:
        return False
    following = next((units[i] for i in range(indexes[0] + 1, len(units)) if not units[i].blank),
                     None)
    return following is not None and answer_label(following.raw) is not None


def _own_section(units: list[Unit], indexes: list[int], more: list[int]) -> list[int]:
    """Questions in another style under their own heading after (or before) all the others,
    such as a closing "Frequently Asked Questions" block: they ask, and a heading or title
    line stands right above the first of them."""
    found = []
    for block in ([i for i in more if i > indexes[-1]], [i for i in more if i < indexes[0]]):
        if len(block) < MIN_QUESTIONS:
            continue
        if sum(asks(units[i].text) for i in block) < CONSISTENT_SHARE * len(block):
            continue
        above = next((units[i] for i in range(block[0] - 1, -1, -1) if not units[i].blank), None)
        if above is not None and (above.heading or is_title_line(above.raw)
                                  or above.raw.rstrip().endswith((":", "…"))):  # "try these:"
            found += block
    return found


def _continues(units: list[Unit], indexes: list[int], more: list[int]) -> bool:
    """Whether numbered lines in another style carry on the numbering of the questions,
    before or after all of them ("Q1." ... "Q10." then "11." ... "20."; a number the page
    gives twice by mistake, "30." "30.", still carries it on)."""
    numbers = [units[i].ordinal for i in more]
    if len(more) < MIN_QUESTIONS or None in numbers \
            or any(b not in (a, a + 1) for a, b in zip(numbers, numbers[1:])):
        return False
    last, first = units[indexes[-1]].ordinal, units[indexes[0]].ordinal
    if more[0] > indexes[-1]:
        return last is not None and numbers[0] == last + 1
    return more[-1] < indexes[0] and first is not None and numbers[-1] + 1 == first


def choose_questions(units: list[Unit], indexes: list[int], layout: Layout) -> list[int]:
    """The pattern's lines that are questions. One that does not read as a question and
    has nothing under it before the next is a section heading ("1. LLM Fundamentals"); one
    with nothing under it whose question comes again later is a table of contents entry;
    then the family's own checks (``Rule.refine``)."""
    kept = []
    ends = indexes[1:] + [len(units)]
    # nothing under it but maybe a heading: a contents list can be split by its sections
    empty = {start for start, end in zip(indexes, ends)
             if not units[start].tail and not any(is_content(u) and not u.heading
                                                  and not is_title_line(u.raw)
                                                  for u in units[start + 1:end])}
    asked_again = set()  # indexes whose question the page asks again further down
    later: set[str] = set()
    for index in reversed(indexes):
        key = question_key(units[index].text)
        if key in later:
            asked_again.add(index)
        later.add(key)
    for start, end in zip(indexes, ends):
        unit = units[start]
        if names_chrome_section(unit.text):
            unit.verdict = SECTION  # "## Contributing" at the questions' level: page chrome
        elif start in empty and start in asked_again and not unit.heading:
            unit.verdict = CONTENTS  # (a heading asked again is the page repeating itself)
        elif start in empty and not reads_as_question(unit.text) and not RULES[unit.kind].rows \
                and is_title_line(unit.text) and end < len(units):
            unit.verdict = SECTION
        else:
            kept.append(start)
    return RULES[layout.kind].refine(units, kept, layout.style)


def labels_answers(units: list[Unit], questions: list[int]) -> bool:
    """Whether the page starts its answers with a label ("Answer:", "Ans.", "->"): then an
    answer starts at its label, and a question whose label is missing has no answer."""
    ends = questions[1:] + [len(units)]
    with_content = labelled = 0
    for start, end in zip(questions, ends):
        region = [u for u in units[start + 1:end] if not u.blank]
        if not region and not units[start].tail:
            continue
        with_content += 1
        labelled += any(answer_label(u.raw) is not None for u in region)
    return labelled >= MIN_QUESTIONS and labelled >= 0.75 * with_content


def section_level(units: list[Unit]) -> int:
    """The deepest heading level that stands right above a question (blank lines and a
    setext heading's underline aside): the level at which a page whose questions are not
    headings opens its sections."""
    level, previous = 0, None
    for unit in units:
        if unit.blank or unit.setext_rule:
            continue
        asks_here = unit.kind and unit.verdict != IN_ANSWER and unit.text
        if asks_here and previous is not None and previous.heading and not previous.id_line:
            level = max(level, previous.heading)
        previous = unit
    return level
