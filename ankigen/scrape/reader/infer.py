"""Which pattern marks a page's questions: the marker that repeats, numbers in sequence and
leaves answers between its lines; and which of its lines are questions rather than section
headings, table of contents entries or items of a numbered list inside an answer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ...lexicon.chrome import CHROME_HEADINGS
from ...lexicon.questions import asks, opens_like_question, question_key, reads_as_question
from ...lexicon.titles import is_heading_text, is_title_line, names_a_part
from .lines import (
    Unit,
    answer_label,
    detach_id_lines,
    is_content,
)

MIN_QUESTIONS = 2
CONSISTENT_SHARE = 0.8  # how many of a page's unmarked questions must share a trait
# Markers tried, those on the most lines: a page marks its questions in a few styles (real
# pages show at most a dozen), while IDs of answers' parts ("Abcd1") can each make one, and
# every style tried is weighed against the questions
MAX_STYLES = 32
PATTERNS = {
    "number": "numbered lines ({style})",
    "label": "lines labelled '{style}'",
    "heading": "level-{style} headings",
    "table": "table rows",
    "tab": "tab-separated term and definition lines",
    "summary": "<details><summary> blocks",
    "bare": "unmarked lines that read as questions{style}",
}


@dataclass
class Layout:
    """The pattern inferred for a page, for ``--explain`` and the build report."""

    kind: str
    style: str
    questions: int
    answered: int
    labelled: bool = False
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        what = PATTERNS[self.kind].format(style=self.style)
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
    for key, indexes in groups.items():
        if len(indexes) < MIN_QUESTIONS:
            continue
        ends = indexes[1:] + [len(units)]
        answered = sum(1 for start, end in zip(indexes, ends)
                       if units[start].tail or counted[end] - counted[start + 1] > 0)
        asking = sum(reads_as_question(units[i].text) for i in indexes) / len(indexes)
        numbers = [units[i].ordinal for i in indexes]
        in_sequence = sum(1 for a, b in zip(numbers, numbers[1:])
                          if a is not None and b is not None and (b == a + 1 or b == 1))
        sequence = in_sequence / (len(indexes) - 1)
        if key[0] == "tab" and asking < 0.5 and len(indexes) < 0.5 * counted[-1]:
            continue  # a table inside some answers, not a page of term/definition cards
        weight = 0.9 if key[0] == "bare" else 1.0
        score = weight * (answered + 0.1 * len(indexes)) * (0.5 + 0.5 * asking) \
            * (1 + 0.2 * sequence)
        if best is None or score > best[0]:
            best = (score, key, answered)
    if best is None:
        return None, []
    _, key, answered = best
    detach_id_lines(units, key)
    indexes = groups[key]
    for other, more in groups.items():
        if other == key:
            continue
        if not (_continues(units, indexes, more) or _labels_questions(other, key)
                or other[0] == key[0] == "number" and _fills_gaps(units, indexes, more)):
            more = _own_section(units, indexes, more)
        if more:  # another style marks questions too
            indexes = sorted(set(indexes + more))
    return Layout(key[0], key[1], len(indexes), answered), indexes


def _fills_gaps(units: list[Unit], indexes: list[int], more: list[int]) -> bool:
    """Whether every line of another numbering style takes a number the questions skip,
    where they skip it ("Q1." "Q2." "Q3 ..." "Q4."): a style the copy changed for one."""
    numbers = [units[i].ordinal for i in indexes]
    if None in numbers or len(more) > len(indexes) or any(units[i].ordinal is None for i in more):
        return False
    position = 0
    for index in more:
        while position < len(indexes) and indexes[position] < index:
            position += 1
        before = numbers[position - 1] if position else 0
        after = numbers[position] if position < len(indexes) else None
        if units[index].ordinal != before + 1 or (after is not None and after <= before + 1):
            return False
    return True


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


def _labels_questions(other: tuple[str, str], chosen: tuple[str, str]) -> bool:
    """"Q:" or "Question:" on a page read by some other pattern still marks a question."""
    return other[0] == "label" and chosen[0] in ("bare", "heading")


def _continues(units: list[Unit], indexes: list[int], more: list[int]) -> bool:
    """Whether numbered lines in another style carry on the numbering of the questions,
    before or after all of them ("Q1." ... "Q10." then "11." ... "20.")."""
    if len(more) < MIN_QUESTIONS or units[more[0]].ordinal is None or units[indexes[0]].ordinal is None:
        return False
    numbers = [units[i].ordinal for i in more]
    if any(b != a + 1 for a, b in zip(numbers, numbers[1:])):
        return False
    if more[0] > indexes[-1]:
        return numbers[0] == units[indexes[-1]].ordinal + 1
    return more[-1] < indexes[0] and numbers[-1] + 1 == units[indexes[0]].ordinal


def choose_questions(units: list[Unit], indexes: list[int], layout: Layout) -> list[int]:
    """The pattern's lines that are questions. One that does not read as a question and
    has nothing under it before the next is a section heading ("1. LLM Fundamentals"); one
    with nothing under it whose question comes again later is a table of contents entry;
    with plain numbering, one that does not ask and does not continue the questions'
    numbering is an item of a numbered list inside an answer."""
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
        if unit.text.casefold().strip(" :") in CHROME_HEADINGS:
            unit.kind = "section"  # "## Contributing" at the questions' level: page chrome
        elif start in empty and start in asked_again:
            unit.kind = "contents"
        elif start in empty and not reads_as_question(unit.text) and unit.kind not in (
                "tab", "table") and is_title_line(unit.text) and end < len(units):
            unit.kind = "section"
        else:
            kept.append(start)
    if layout.kind == "bare":
        kept = _consistently_marked(units, kept)
    if layout.kind == "number" and not any(c.isalpha() for c in layout.style.replace("N", "")):
        kept = _without_list_items(units, kept)
    if layout.kind == "number":
        kept = _with_lost_numbers(units, kept)
    return kept


def _consistently_marked(units: list[Unit], indexes: list[int]) -> list[int]:
    """Unmarked questions of one page look alike: where nearly all of them stand alone (or
    nearly all carry their answer on the line), or nearly all open with a question word or
    prompt, a line that differs ("Why does this work? Because ...", "So how do you know
    ...?") is a question inside an answer, and stays there."""
    def odd_ones(feature) -> set[int]:
        having = {i for i in indexes if feature(units[i])}
        if len(having) >= CONSISTENT_SHARE * len(indexes):
            return set(indexes) - having
        if len(indexes) - len(having) >= CONSISTENT_SHARE * len(indexes):
            return having
        return set()

    odd = odd_ones(lambda u: bool(u.tail)) | odd_ones(lambda u: opens_like_question(u.text))
    for index in odd:
        units[index].kind = ""
    return [i for i in indexes if i not in odd]


def _after_heading(units: list[Unit], index: int) -> bool:
    """Whether the line before (blank lines aside) is a heading or a line naming a part."""
    previous = next((u for u in reversed(units[:index]) if not u.blank), None)
    return previous is not None and bool(
        previous.heading or names_a_part(previous.raw) or is_heading_text(previous.raw, True))


def _with_lost_numbers(units: list[Unit], indexes: list[int]) -> list[int]:
    """Where the numbering skips one ("4." then "6."), the one line between them that asks
    on its own, set apart like the questions, is the question whose number the copy lost."""
    found = []
    for start, end in zip(indexes, indexes[1:]):
        first, second = units[start].ordinal, units[end].ordinal
        if first is None or second != first + 2:
            continue
        asking = [i for i in range(start + 1, end)
                  if units[i].kind == "bare" and not units[i].tail and asks(units[i].text)
                  and units[i - 1].blank]
        if len(asking) == 1:
            units[asking[0]].ordinal = first + 1
            found.append(asking[0])
    return sorted(indexes + found)


def _without_list_items(units: list[Unit], indexes: list[int]) -> list[int]:
    asking = [asks(units[i].text) for i in indexes]
    if not any(asking):
        return indexes  # prompts rather than questions: every numbered line counts
    following: list[int | None] = []  # the number of the next line that asks, from each
    upcoming = None
    for index, does_ask in zip(reversed(indexes), reversed(asking)):
        following.append(upcoming)
        if does_ask:
            upcoming = units[index].ordinal
    following.reverse()
    kept: list[int] = []
    last: int | None = None
    for position, index in enumerate(indexes):
        number = units[index].ordinal
        if not asking[position] and last is not None:
            after = following[position]
            restart = number == 1 and after != last + 1 and _after_heading(units, index)
            if not restart and (number != last + 1 or (after is not None and number >= after)):
                units[index].kind = ""  # stays in the answer it belongs to
                continue
        kept.append(index)
        last = number
    return kept


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
    """The deepest heading level that stands right above a question (blank lines aside):
    the level at which a page whose questions are not headings opens its sections."""
    level, previous = 0, None
    for unit in units:
        if unit.blank:
            continue
        if unit.kind and unit.text and previous is not None and previous.heading \
                and not previous.id_line:
            level = max(level, previous.heading)
        previous = unit
    return level
