"""The reader's marker families, one rule each, in one table (``RULES``).

A family is a way pages mark their questions: numbered lines, ``Q:`` labels, headings of
one level, table rows, tab-separated rows, ``<summary>`` blocks, or bare lines that read as
questions. ``lines.read_units`` walks the table on every line (``READING``, the table's
order) and the first rule that reads it tags it with its family (``Unit.kind``, the rule's
``name``); ``infer`` groups the lines by family and style and weighs every group with
``pattern_score`` to choose the page's pattern; then the chosen family's rule answers the
questions that differ between families. Every entry is a ``Rule`` with the same fields
(like markdown-it's block rules, one signature each), the defaults those of most families:

- ``read(unit, line)``: whether the rule reads the line (``reads_body``: its body and
  marker, after the whole-line rules), a ``lines.read_*`` function;
- ``describes``: the pattern in words, for ``ankigen scrape --explain``;
- ``weight``: how much a page of this family's lines counts when patterns compete;
- ``excludes(asking, lines, content_lines)``: a group this family's lines form that is
  not a page's pattern (a table inside some answers);
- ``fills_gaps(units, questions, more)``: whether lines of another style of this family
  take numbers the questions skip, and so are questions too;
- ``refine(units, questions, style)``: the questions the pattern's lines leave after the
  family's own checks (numbered list items inside answers, odd bare lines);
- ``labels_questions`` / ``admits_labelled``: a ``Q:`` line marks a question on a page
  read by another pattern (bare lines, headings);
- ``asks_at_any_style``: a line of another style of the family (a heading of another
  level) that ends in "?" and has an answer of its own is a question too;
- ``rows``: one question a row: a row is never a section heading, and no heading between
  rows opens a section (``sections_at``);
- ``sections_at(style)``: the heading level at and above which headings open sections
  (``None``: the levels the page puts right above a question);
- ``closes_region(unit)``: a line that ends the question's region (``</details>``);
- ``answer_line(text)``: how a line of an answer is filed: its text, or why it is dropped.

To add a marker family: write a ``read_<family>(unit, line) -> bool`` function in
``lines.py`` (its marker regex beside it, bounded so it cannot backtrack) that sets
``unit.kind`` to the family's name, ``unit.text`` to the question and ``unit.tail`` to an
answer on the same line; add its ``Rule(...)`` entry to ``READING`` at its place in the
reading order, giving only the fields that differ from the defaults; add its fixture page
to ``FIXTURES`` in ``tests/test_reader_rules.py``. Nothing in ``infer`` or ``answers``
names a family.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...lexicon.marks import LIST_ITEM
from ...lexicon.questions import (
    QUESTION_WORDS,
    asks,
    first_word,
    is_question_heading,
    opens_like_question,
    reads_as_question,
)
from ...lexicon.titles import is_heading_text, names_a_part
from .lines import (
    CONTENTS,
    IN_ANSWER,
    SECTION,
    SHAPED_LIKE_QUESTION,
    Line,
    Unit,
    clean_question,
    is_content,
    read_bare_question,
    read_heading,
    read_marker,
    read_summary,
    read_tab_row,
    read_table_row,
)

CONSISTENT_SHARE = 0.8  # how many of a page's unmarked questions must share a trait

# How a group of lines of one marker is weighed as the page's pattern:
#   weight * (answered + LINE_CREDIT * lines) * (ASKING_FLOOR + (1 - ASKING_FLOOR) * asking)
#          * (1 + SEQUENCE_BONUS * sequence)
# "answered" counts its lines with an answer before the next one, "asking" and "sequence"
# are the shares of its lines that read as questions and that number one more than the
# line before (or restart at 1).
LINE_CREDIT = 0.1  # a line with nothing under it still counts a little: a page of headings
ASKING_FLOOR = 0.5  # a pattern none of whose lines ask ("1. Step one") weighs half
SEQUENCE_BONUS = 0.2  # numbering in sequence is evidence, but less than answers between
BARE_WEIGHT = 0.9  # unmarked lines lose a tie against any marker: a marker is deliberate
MIN_TAB_ASKING = 0.5  # tab rows most of which do not ask, on a minority of the page's
MIN_TAB_SHARE = 0.5  # lines, are a table inside some answers
ROWS_SECTION_LEVEL = 6  # a page of rows: any heading between them opens a section


def pattern_score(weight: float, answered: int, lines: int, asking: float,
                  sequence: float) -> float:
    """How strongly a group of lines of one marker reads as the page's questions."""
    return weight * (answered + LINE_CREDIT * lines) \
        * (ASKING_FLOOR + (1 - ASKING_FLOOR) * asking) * (1 + SEQUENCE_BONUS * sequence)


def _never(*_) -> bool:
    return False


def _as_read(units: list[Unit], questions: list[int], style: str) -> list[int]:
    return questions


def _sections_above_questions(style: str) -> int | None:
    return None  # the levels the page puts right above a question


def _kept(text: str) -> tuple[str, str]:
    return text, ""


@dataclass(frozen=True)
class Rule:
    """A marker family: one entry of the table, the defaults those of most families."""

    name: str  # Unit.kind and Layout.kind of its lines
    describes: str  # the pattern in words; "{style}" is the style of the page's marker
    read: Callable[[Unit, Line], bool]  # reads the line into the unit: a lines.read_* function
    reads_body: bool = False  # reads the line's body and marker, after the whole-line rules
    weight: float = 1.0
    rows: bool = False
    labels_questions: bool = False
    admits_labelled: bool = False
    asks_at_any_style: bool = False
    excludes: Callable[[float, int, int], bool] = _never
    fills_gaps: Callable[[list[Unit], list[int], list[int]], bool] = _never
    refine: Callable[[list[Unit], list[int], str], list[int]] = _as_read
    sections_at: Callable[[str], int | None] = _sections_above_questions
    closes_region: Callable[[Unit], bool] = _never
    answer_line: Callable[[str], tuple[str, str]] = _kept


def _reads_marker(family: str) -> Callable[[Unit, Line], bool]:
    """Numbers and labels are told apart by ``lines._marker``: each rule reads its own."""
    return lambda unit, line: line.marker[0] == family and read_marker(unit, line)


def _fills_gaps(units: list[Unit], questions: list[int], more: list[int]) -> bool:
    """Whether every line of another numbering style takes a number the questions skip,
    where they skip it ("Q1." "Q2." "Q3 ..." "Q4."): a style the copy changed for one."""
    numbers = [units[i].ordinal for i in questions]
    if None in numbers or len(more) > len(questions) or any(units[i].ordinal is None for i in more):
        return False
    position = 0
    for index in more:
        while position < len(questions) and questions[position] < index:
            position += 1
        before = numbers[position - 1] if position else 0
        after = numbers[position] if position < len(questions) else None
        if units[index].ordinal != before + 1 or (after is not None and after <= before + 1):
            return False
    return True


def _numbered_questions(units: list[Unit], questions: list[int], style: str) -> list[int]:
    if not any(c.isalpha() for c in style.replace("N", "")):  # "1." can number anything
        questions = _without_list_items(units, questions)
    return _with_lost_numbers(units, questions)


def _below_heading_level(style: str) -> int | None:
    return int(style) - 1  # the levels above the questions' own


def _rows_open_sections(style: str) -> int | None:
    return ROWS_SECTION_LEVEL


def _table_answer_line(text: str) -> tuple[str, str]:
    """A row's other cells are its answer (on the question's line): another row under it
    is the header of the next table, and a closing pipe is the table's, not text."""
    if text.lstrip().startswith("|"):
        return "", "table header row"
    if text.endswith("|"):
        text = text[:-1].rstrip()
        if not text.strip():
            return "", "page markup"
    return text, ""


def _tab_table_in_answers(asking: float, lines: int, content_lines: int) -> bool:
    """A table inside some answers, not a page of term/definition cards."""
    return asking < MIN_TAB_ASKING and lines < MIN_TAB_SHARE * content_lines


def _closes_details(unit: Unit) -> bool:
    return "</details>" in unit.raw.lower()  # the block holds it all


# The table, in the order the rules read a line: those of the whole line first, then those
# of its marker; bare questions last, as a line with no marker of any other family
READING = (
    Rule("table", "table rows", read_table_row, rows=True, sections_at=_rows_open_sections,
         answer_line=_table_answer_line),
    Rule("tab", "tab-separated term and definition lines", read_tab_row, rows=True,
         sections_at=_rows_open_sections, excludes=_tab_table_in_answers),
    Rule("summary", "<details><summary> blocks", read_summary, closes_region=_closes_details),
    Rule("number", "numbered lines ({style})", _reads_marker("number"), reads_body=True,
         fills_gaps=_fills_gaps, refine=_numbered_questions),
    # "Q:" says it is a question, whatever the page's pattern
    Rule("label", "lines labelled '{style}'", _reads_marker("label"), reads_body=True,
         labels_questions=True),
    Rule("heading", "level-{style} headings", read_heading, reads_body=True,
         admits_labelled=True, asks_at_any_style=True, sections_at=_below_heading_level),
    Rule("bare", "unmarked lines that read as questions{style}", read_bare_question,
         reads_body=True, weight=BARE_WEIGHT, admits_labelled=True,
         refine=lambda units, questions, style: _set_apart_alike(
             units, _consistently_marked(units, questions), style)),
)
RULES: dict[str, Rule] = {rule.name: rule for rule in READING}


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
        units[index].verdict = IN_ANSWER
    return [i for i in indexes if i not in odd]


def _set_apart_alike(units: list[Unit], questions: list[int], style: str) -> list[int]:
    """Where nearly every question is a plain line directly over its list of points, the
    page asks the same way inside what reads as an answer: a plain line set apart (it opens
    a notebook cell, or follows a blank line or the end of a list), directly over a list,
    that asks ("Weakness?", "Naive Bayes - What is the Naive part?"), prompts in one
    sentence, or opens as the page's questions open ("How to show X.") starts a question.
    A line that opens a cell of its own is set apart by the author: there a topic line
    ending in ':', as some of the page's questions end, asks too, over whatever the rest of
    its cell holds. A lead-in over its points ("Advantages:", "For example:" after a
    paragraph), a bold sub-heading and a question that goes on from the answer's text are
    not set apart so, and stay in the answer."""
    if style or not questions or sum(_over_list(units, i) for i in questions) \
            < CONSISTENT_SHARE * len(questions):
        return questions
    topics_too = sum(units[i].text.endswith(":") for i in questions) >= 2
    # the question words the page's own questions open with ("How to show X."); a prompt
    # verb alone ("Given ...") asks only as one sentence, as reads_as_question has it
    openings = {first_word(units[i].text) for i in questions} & QUESTION_WORDS
    chosen = set(questions)
    found = []
    for index in range(questions[0] + 1, len(units)):
        unit = units[index]
        if index in chosen or not _plain_line(unit):
            continue
        previous = units[index - 1]
        text = clean_question(unit.raw)
        asking = not text.endswith(":") and (reads_as_question(text) or (
            first_word(text) in openings and is_question_heading(text)))
        set_apart = previous.blank or unit.opens_block or LIST_ITEM.match(previous.raw)
        topic = topics_too and text.endswith(":")
        if set_apart and _over_list(units, index) and asking \
                or unit.opens_block and _cell_goes_on(units, index) and (asking or topic):
            unit.kind, unit.style, unit.text, unit.verdict = "bare", "", text, ""
            found.append(index)
        elif set_apart and topic and not _over_list(units, index):
            # a topic line inside an answer, not a lead-in over its points ("Advantages:")
            unit.text, unit.verdict = text, SHAPED_LIKE_QUESTION
    return sorted(questions + found)


def _over_list(units: list[Unit], index: int) -> bool:
    """The line right under this one is a list item (its first point)."""
    following = units[index + 1] if index + 1 < len(units) else None
    return following is not None and not following.code and bool(LIST_ITEM.match(following.raw))


def _plain_line(unit: Unit) -> bool:
    """Text at the margin with no marker, bullet, emphasis or heading: a line shaped as the
    questions of a page of plain question lines."""
    raw = unit.raw
    return (unit.kind in ("", "bare") and not unit.heading and not unit.code and not unit.tail
            and unit.verdict not in (SECTION, CONTENTS) and is_content(unit)
            and not raw[:1].isspace() and not raw.startswith(("**", "__", ">", "|", "<"))
            and not LIST_ITEM.match(raw))


def _cell_goes_on(units: list[Unit], index: int) -> bool:
    """Whether the cell this line opens holds more after it."""
    index += 1
    while index < len(units) and units[index].blank:
        index += 1
    return index < len(units) and not units[index].opens_block


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
                  if units[i].kind == "bare" and not units[i].verdict
                  and not units[i].tail and asks(units[i].text) and units[i - 1].blank]
        if len(asking) == 1:
            units[asking[0]].ordinal = first + 1
            found.append(asking[0])
    return sorted(indexes + found)


def _without_list_items(units: list[Unit], indexes: list[int]) -> list[int]:
    """With plain numbering, a line that does not ask and does not continue the questions'
    numbering is an item of a numbered list inside an answer."""
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
            # a later asking line numbered up to this one's, in the same run of numbers
            nested = after is not None and last < after <= number
            if not restart and (number != last + 1 or nested):
                units[index].verdict = IN_ANSWER
                continue
        kept.append(index)
        last = number
    return kept
