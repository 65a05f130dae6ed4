"""How the general reader reads a line: its marker (numbering, label, heading, table row,
<summary>), whether it asks, and what it is apart from question and answer (a number on its
own line, a running header, a label). Markdown structure comes from a CommonMark parse.
Repetitions in these patterns are bounded or anchored, so no line can make them backtrack."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ...lexicon.chrome import DIFFICULTY_BADGE, chrome_kind, names_chrome_section
from ...lexicon.code import CODE_START, is_code_line
from ...lexicon.marks import BULLETS, CLAUSE_END, LIST_ITEM, SENTENCE_STOPS, may_hold_fence
from ...lexicon.questions import asks, first_word, opens_like_question, reads_as_question
from ...lexicon.titles import is_title_line

MAX_QUESTION_MARKS = 4  # how many '?' of one line are tried as the end of its question
# A marker before a question: "Q1." "Q.1" "Q 1 -" "Ques 1." "Question 1:" "Question - 11 : -"
# "Question No. 3:" "Q. No 3"
# "#1" "(1)" "1)" "1." "01." "1|" "1️⃣"; or a label alone ("Q:", "Question:", "Q:-").
# Repetitions are bounded or anchored, so no line can make these backtrack.
_OF_TOTAL = re.compile(r"(?i)of\s{1,3}\d{1,5}")
_LABELLED_NUMBER = re.compile(
    r"(?i)(?:q|ques|question|problem|exercise)\s{0,2}[-.#:]?\s{0,2}(?:no\.?\s{0,2})?\d{1,4}(?:\.\d{1,3})?"
    r"(?:\s{0,2}[-.:)|\u20e3]){0,3}(?=\s|$)\s{0,2}")


QUESTION_LABEL = re.compile(r"(?i)(?:q|ques|question)\s{0,2}(?:[-:.)]\s{0,2}){1,2}")
_NUMBER = re.compile(r"\d{1,3}\.\d{1,3}\s{0,2}[-–.):](?=\s)"  # "8.2 -", "1.1." in a numbered part
                     r"|[#(\[]?\d{1,5}(?:\s{0,2}[.):|\]\u20e3]){1,2}(?=\s|$)|\d{1,4}\s[-–]\s"
                     r"|#\d{1,4}(?=\s)")


_ID_LINE = re.compile(r"[A-Za-z]{0,4}\s?#?\d{1,4}[.):\u20e3]?")  # "CT10", "12", "#3" alone


_CHECKBOX = ("[ ] ", "[x] ", "[X] ")
# "Answer:", "Ans.", "A:", "✅ Answer:", "Sample Answer:", "Answer - 11 : -", "CT10 - Answer:",
# "Answer (Scenario-Based):",
# "o Answer:" (a PDF bullet), "Solution:", and answer lines marked by an arrow ("-> ...").
ANSWER_LABEL = re.compile(
    r"(?:[-*•o]\s)?(?:✅\s?)?(?:[A-Za-z]{1,4}\d{1,4}\s?[-–:]\s?)?"
    r"(?:(?:[Ss]ample|[Ss]hort|[Mm]odel|[Ss]uggested|[Ee]xpected)\s)?"
    r"(?:(?:[Aa]nswer|ANSWER|[Aa]ns|ANS|[Ss]olution|SOLUTION)"
    r"(?:\s{0,2}[-–]\s{0,2}\d{1,4}|\s{0,2}\([^()\n]{1,30}\))?(?:\s{0,2}[:.)\-–]){1,3}|A[:.])\s?"
    r"|(?:[Aa]nswer|ANSWER|[Ss]olution)(?:\s{1,2}\d{1,4})?\s*$"
    r"|(?:->|=>|→)\s")


_EMPHASIZED = re.compile(r"(\*\*|__)([^*_]{1,40}?)\1")
FOLLOWUP = re.compile(r"(?i)follow[- ]?ups?(?:\s?questions?)?\s?[:.\-–]?\s?(?=\S)")


_HASHTAGS = re.compile(r"(?:\s#[A-Za-z][\w-]{0,40}){1,10}$")
_ANCHOR = re.compile(r"\s?\[(?:¶|#|§|link|src|source)\]\([^)\s]{0,300}\)$"
                     r"|\s?\[\[[^\]]{0,80}\](?:\([^)\s]{0,300}\))?\](?:\([^)\s]{0,300}\))?$")


_SUMMARY = re.compile(r"(?i)<summary>(.{1,1000}?)</summary>")
TAG = re.compile(r"<[^<>]{0,200}>")
_HTML_MARKUP = re.compile(r"(?i)(?:</?(?:details|summary|br|p|div|hr|table|thead|tbody|tr)"
                          r"(?:\s[^<>]{0,100})?\s?/?>\s?){1,6}")


# an HTML line break at either end of a line ("**1. What is NLP?** <br>") is layout, not text
_EDGE_BREAKS = re.compile(r"(?i)^(?:<br\s?/?>\s?){1,4}|(?:\s?<br\s?/?>){1,4}$")
# a whole line struck through, its closing "~~" sometimes forgotten; an HTML comment
_STRUCK = re.compile(r"~~[^~\s][^~]*(?:~~)?")
_COMMENT = re.compile(r"<!--.*-->")
_HEADING_MARKS = re.compile(r"#{1,6}\s+")
# a pictograph in front of a question's number or label ("📊 2⃣ What is ...?") decorates it
_PICTOGRAPH = re.compile(r"[\u2600-\u27bf\U0001f300-\U0001faff]\ufe0f?\s{0,3}(?=[\dQq])")
_RULE = re.compile(r"[-*_=~]{3,}")  # a thematic break or a row of dashes
_TABLE_RULE = re.compile(r"\|?(?:\s{0,3}:?-{2,}:?\s{0,3}\|){1,20}\s{0,3}(?::?-{2,}:?)?\s{0,3}")
_HEADING_MARKS = re.compile(r"^(?:#+[ \t]*)+")  # a heading's marks, and any the page wrote after them
_KEYCAPS = re.compile(r"(?:\d\u20e3){1,4}")
_HTML_CELL = re.compile(r"(?i)<t[dh][^<>]{0,100}>(.{0,2000}?)(?:</t[dh]>|$)")
_GLUED = re.compile(r"[^\s\d(*]\*\*\d{1,4}[.)]\s|(?:^|\*\*)\*\*(?:A|Ans\w{0,3})[.:]\*\*")
# where a copy may have glued the next numbered question onto an answer's last sentence
# ("... the current row. 4. What is a CTE?"): a sentence's end, then a number's mark
_GLUED_NUMBER = re.compile(r"(?<=[.!?)] )(?=(?:Q(?:uestion)?\s?)?(?P<number>\d{1,4})[.):]\s)")


MIN_LIST_OF_ONES = 3  # items of one list all numbered alike: Markdown numbers them itself
RUNNING_LINE_REPEATS = 3  # a long line seen this often is a running header or footer


# What choosing the questions made of a line of the page's pattern (``Unit.verdict``)
SECTION = "section"  # a section heading ("1. LLM Fundamentals"), or chrome ("## License")
CONTENTS = "contents"  # an entry of a table of contents: its question comes again later
IN_ANSWER = "answer"  # a line inside an answer (a numbered list's item, an odd bare line)
# a line inside an answer set apart as the page's questions are, though it does not ask
# ("There are 3 levels of randomness:" on a page of topic lines): the build names it
SHAPED_LIKE_QUESTION = "shaped like a question"


@dataclass
class Unit:
    """One line (or, where a copy glued several together, one piece of a line)."""

    lineno: int  # the line of the page it is (or is a piece of)
    raw: str
    text: str = ""  # without its marker
    kind: str = ""  # the family of the marker read on the line (a key of rules.RULES), "" if none
    verdict: str = ""  # SECTION, CONTENTS or IN_ANSWER where the line is not a question
    style: str = ""  # the marker's shape: "qN.", "N.", "3" (heading level), ...
    ordinal: int | None = None  # the number in its marker ("Q12." is 12)
    tail: str = ""  # an answer on the question's own line
    heading: int = 0  # Markdown heading level
    code: bool = False  # inside a code fence or block
    setext_rule: bool = False  # the underline of a setext heading
    id_line: bool = False  # a bare number or ID that belongs to the next line
    quoted: bool = False  # in a block quote ("> **Q:** ...")
    label_follows: bool = False  # the question line ends with the answer's label
    marker: Unit | None = None  # the line that numbers this one ("CT10" above it)
    before_own_line: tuple = ()  # kind, style and number before that line was attached
    content: bool | None = None  # worked out once, by is_content
    chrome: str | None = None  # page furniture ("View answer"): its chrome_kind, "skip" or "end"
    continues: bool = False  # the end of the question above, wrapped onto this line
    opens_block: bool = False  # the source starts a block here (a notebook's cell)
    running: bool = False  # a running header or footer, repeated through the page
    # why the page does not show the line as text, if it does not: struck through as a
    # whole ("~~#### Q70 ...~~"), or an HTML comment
    unshown: str = ""

    @property
    def blank(self) -> bool:
        return not self.raw.strip()

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.style

    @property
    def marker_alone(self) -> bool:
        """A number or label with nothing after it ("12.", "Q:"), not judged otherwise."""
        return self.kind in ("number", "label") and not self.text and not self.verdict


def split_inline_answer(text: str) -> tuple[str, str]:
    """"What is X? X is ..." -> ("What is X?", "X is ..."): the answer starts after the
    first question mark, unless what follows asks too (a note in brackets after it aside),
    is a hint in brackets or a prompt."""
    at = text.find("? ")
    for _ in range(MAX_QUESTION_MARKS):  # a question has few parts; the rest is answer
        if at == -1:
            break
        head, tail = text[:at + 1], text[at + 2:].strip()
        label = ANSWER_LABEL.match(tail)
        if label and not tail.startswith(("->", "=>", "→")):
            return head, tail[label.end():].strip()
        if tail[:2] in ("- ", "— ", "– ", ": "):  # "What is X? - It is ..."
            return head, tail[2:].strip()
        if not tail or tail.startswith(("(", "[")) or asks(tail):
            return text, ""
        if opens_like_question(tail):  # also "...? Please create a PR": a request, not an answer
            at = text.find("? ", at + 2)
            continue
        if len(tail.split(None, 3)) < 3:
            return text, ""
        return head, tail
    if "?" not in text and first_word(text) == "define":  # "Define precision: the share of"
        head, colon, tail = text.partition(": ")
        if colon and len(head.split()) <= 8 and len(tail.split()) >= 3:
            return head, tail
    return text, ""


def clean_question(text: str) -> str:
    """The question less decoration: bold, a Markdown line break ("\\"), a trailing anchor or
    source link, hashtags, a difficulty badge."""
    text = text.strip().removesuffix("\\").strip().strip("*_").strip()
    if text.endswith((")", "]")):
        text = _ANCHOR.sub("", text).strip()
    if "#" in text:
        text = _HASHTAGS.sub("", text).strip()
    if not text.endswith("?"):  # a badge comes after the question's end
        text = DIFFICULTY_BADGE.sub("", text).strip()
    return text.strip("*_ ").strip()


def _marker(text: str) -> tuple[str, str, int | None, str]:
    """(kind, style, number, rest) for a line's marker, or ("", "", None, text)."""
    if match := _LABELLED_NUMBER.match(text):
        return "number", _style(match.group()), _first_number(match.group()), text[match.end():]
    if match := QUESTION_LABEL.match(text):
        rest = text[match.end():]
        if match.group().endswith(" ") or rest[:1].isupper():
            return "label", _style(match.group()), None, rest
    if match := _NUMBER.match(text):
        return "number", _style(match.group()), _first_number(match.group()), text[match.end():]
    return "", "", None, text


def _style(marker: str) -> str:
    return re.sub(r"\d+", "N", " ".join(marker.lower().split()))


def _first_number(marker: str) -> int | None:
    digits = re.search(r"\d+", marker)
    return int(digits.group()) if digits else None


def _unglue(line: str) -> list[str]:
    """Pieces of a line where a broken copy glued bold questions and labels to the text
    before them ("...questions**1. What is ...?****A.**"); most lines are one piece."""
    if "**" not in line or not _GLUED.search(line):
        return [line]
    return [piece.strip() for piece in line.split("**") if piece.strip()]


def read_units(lines: list[str], block_starts: frozenset[int] = frozenset()) -> list[Unit]:
    structure = _markdown_structure(lines)
    units: list[Unit] = []
    for number, line in enumerate(lines, start=1):
        first = len(units)
        for piece in _unglue(line):
            units.append(_read(number, piece, structure))
        if number in block_starts and len(units) > first:
            units[first].opens_block = True
    units = _unglue_numbered_questions(units, structure)
    _attach_id_lines(units)
    _count_lists_of_ones(units)
    _join_wrapped_headings(units)
    _join_wrapped_questions(units)
    _rejoin_before_answer_labels(units)
    _mark_running_lines(units)
    return units


def _unglue_numbered_questions(units: list[Unit], structure: dict[int, tuple[str, int]]
                               ) -> list[Unit]:
    """A numbered question a broken copy glued onto the end of the answer above it ("...
    without collapsing them. 4. What is a CTE?") is a line of its own: where the numbering
    goes on from the last numbered line with the next number and the piece after the
    sentence's end asks, as a line of that style would."""
    out: list[Unit] = []
    last: Unit | None = None  # the latest numbered line that asks
    for unit in units:
        if unit.kind == "number" and unit.ordinal is not None:
            last = unit
        elif last is not None and unit.kind in ("", "bare") and not unit.code and unit.raw.count(" ") >= 3:
            glued = next((m.start() for m in _GLUED_NUMBER.finditer(unit.raw)
                          if int(m["number"]) == last.ordinal + 1), None)
            piece = _read(unit.lineno, unit.raw[glued:], structure) if glued else None
            if (piece is not None and piece.kind == "number" and piece.style == last.style
                    and piece.ordinal == last.ordinal + 1 and asks(piece.text)):
                out.append(_read(unit.lineno, unit.raw[:glued].rstrip(), structure))
                unit = last = piece
        out.append(unit)
    return out


def _count_lists_of_ones(units: list[Unit]) -> None:
    """Markdown numbers an ordered list itself, so pages often write every item as "1.": a
    list whose items all say the same number counts on from it (1, 2, 3 ...). A list runs over
    blank lines, indented lines and its own items, as in Markdown."""
    lists: dict[str, list[Unit]] = {}  # the list of each numbering style open at this line
    for unit in units:
        if unit.kind == "number":
            lists.setdefault(unit.style, []).append(unit)
        elif not unit.blank and not unit.raw[:1].isspace():
            _count_on(lists.values())  # a line at the margin ends every list
            lists = {}
    _count_on(lists.values())


def _count_on(lists) -> None:
    for items in lists:
        items = [u for u in items if u.text]  # an empty item ("1." alone) asks nothing
        if not items:
            continue
        first = items[0].ordinal
        if len(items) >= MIN_LIST_OF_ONES and first is not None \
                and all(u.ordinal == first for u in items):
            for position, unit in enumerate(items):
                unit.ordinal = first + position


def _rejoin_before_answer_labels(units: list[Unit]) -> None:
    """A "Q:" line whose answer comes under its own label on the next line has no answer on
    its line: what follows its first "?" ("# A heading? 1. A list?") is still the question."""
    following: Unit | None = None
    for unit in reversed(units):
        if unit.blank:
            continue
        if (unit.kind == "label" and unit.tail and f"? {unit.tail}" in unit.raw
                and following is not None and answer_label(following.raw) is not None):
            unit.text, unit.tail = clean_question(f"{unit.text} {unit.tail}"), ""
        following = unit


def _join_wrapped_headings(units: list[Unit]) -> None:
    """A heading hard-wrapped over several heading lines of its level ("### 30. One die is
    biased. The biased die" / "### lands on 1 half of the time") is one heading: a line that
    goes on in lower case from one that has not ended its clause, with no marker of its own,
    is the end of the heading above."""
    head: Unit | None = None
    for unit in units:
        if (head is not None and unit.heading == head.heading and unit.ordinal is None
                and unit.text[:1].islower() and not head.text.endswith(CLAUSE_END)):
            head.text = clean_question(f"{head.text} {unit.text}")
            unit.kind, unit.heading, unit.continues = "", 0, True
        elif not unit.blank:
            head = unit if unit.heading and unit.text else None


def _join_wrapped_questions(units: list[Unit]) -> None:
    """A marked question that a copy wrapped onto the next line ("... for a subscription" /
    "business.") takes that line back."""
    for unit, following in zip(units, units[1:]):
        rest = following.raw.strip()
        if (unit.kind in ("number", "label") and unit.text and not unit.tail
                # not ended as a sentence, nor on the colon before its answer or a bracket
                and not unit.text.endswith(SENTENCE_STOPS + (":", ")"))
                and following.kind in ("", "bare")
                and rest and (rest[0].islower() or not rest[0].isalnum())
                and rest.endswith(("?", ".")) and len(rest.split()) <= 12 and not following.code):
            unit.text = clean_question(f"{unit.text} {rest}" if rest[0].isalnum() else unit.text + rest)
            following.kind, following.continues = "", True


def _mark_running_lines(units: list[Unit]) -> None:
    """A printed document's running header or footer ("Machine Learning Handbook v2.1"),
    repeated through the page, interrupts answers; it is not part of them. A line the page
    labels as an answer ("A: Shown as text.") is one, however often it comes, and so are a
    line of code ("import numpy as np" in every example), a table's row ("| Risk | Cost |"),
    a list item and a lead-in that heads a part of each answer ("**Advantages:**")."""
    counts = Counter(u.raw.strip() for u in units if len(u.raw.strip()) >= 15 and not u.kind
                     and not u.code and not _answers_own(u.raw.strip()))
    for unit in units:
        if not unit.kind and counts.get(unit.raw.strip(), 0) >= RUNNING_LINE_REPEATS:
            unit.running = True


def _answers_own(line: str) -> bool:
    """A line that answers repeat as a matter of course: code, a table row, a list item
    ("- Ask someone for more details."), a lead-in, a label."""
    return (line.startswith("|") or line.strip("*_ ").endswith(":") or bool(LIST_ITEM.match(line))
            or is_code_line(line) or answer_label(line) is not None)


@dataclass
class Line:
    """A line as the rules read it: ``text`` for those that read the whole line (table and
    tab rows, ``<summary>``), then ``body`` and its ``marker`` for those that read the line's
    marker (numbers, labels, headings, bare questions)."""

    raw: str
    text: str  # stripped, keycaps mended, an HTML row as a pipe row, a heading without its #s
    heading: int = 0
    body: str | None = None  # without blockquote mark, bold wrapping, bullet and checkbox
    bullet: str = ""
    bold: bool = False
    marker: tuple[str, str, int | None, str] = ("", "", None, "")  # _marker of the body


def _read(number: int, raw: str, structure: dict[int, tuple[str, int]]) -> Unit:
    """A line read into a unit, walking the rule table (``rules.READING``):

    1. what no rule reads: a line of code, a setext underline, a blank line, page chrome;
    2. the rules that read the whole line (a table row, a tab row, a ``<summary>``);
    3. the line's body (blockquote, bold, bullet and checkbox off) and its marker;
    4. the rules that read the body (a number, a label, a heading, a bare question).

    The first rule whose ``read`` returns True has read the line, tagging the unit with its
    family or leaving it untagged (a ``<summary>Answer</summary>`` label); none: no marker."""
    from .rules import READING  # the table imports this module's readers

    unit = Unit(number, raw)
    role, level = structure.get(number, ("", 0))
    if role == "fence":  # what a fence holds is the page's code, whatever it says
        unit.code = True
        return unit
    if role == "code_block":  # (indented text of a copied page reads as code, chrome included)
        unit.code, unit.chrome = True, chrome_kind(raw)
        return unit
    if role == "setext-rule":
        unit.setext_rule = True
        return unit
    text = without_edge_breaks(raw).replace("\ufe0f", "").replace("🔟", "10\u20e3")
    if "\u20e3" in text:  # keycap digits, "1⃣1⃣" for 11: one number, one keycap
        text = _KEYCAPS.sub(lambda m: m.group().replace("\u20e3", "") + "\u20e3", text, count=1)
    if not text:
        return unit
    if text.startswith("~~") and _STRUCK.fullmatch(text):
        unit.unshown = "struck out by the page"
        return unit
    if text.startswith("<!--") and _COMMENT.fullmatch(text):
        unit.unshown = "an HTML comment, which the page does not show"
        return unit
    unit.chrome = chrome_kind(text)
    if unit.chrome == "skip" and role == "heading":
        unit.chrome = None  # a heading the page wrote ("## Hard") groups what follows it
    if unit.chrome:
        return unit
    if "<td" in text.lower():  # an HTML table row, on one line or one cell a line
        text = "| " + " | ".join(html_cells(text)) + " |"
    line = Line(raw, text)
    if role == "heading":
        unit.heading = line.heading = level
        text = _HEADING_MARKS.sub("", text)  # "## # 1. Introduction" shows "# 1. Introduction"
        if text.endswith("#") and (text.rstrip("#").endswith(" ") or not text.rstrip("#")):
            text = text.rstrip("#").strip()
        line.text = text
    for rule in READING:
        if rule.reads_body and line.body is None:
            _read_body(unit, line)
        if rule.read(unit, line):
            break
    return unit


def _read_body(unit: Unit, line: Line) -> None:
    unit.quoted = line.text.startswith(">")
    text = unwrap(line.text)
    line.bold = text.startswith(("**", "__")) and text.rstrip(":").endswith(("**", "__"))
    body = text.strip("*_ ").strip() if line.bold else text
    if body[:1] in BULLETS and body[1:2] == " " and not body.startswith("- -"):
        line.bullet, body = body[0], body[2:].lstrip()
        if body.startswith(_CHECKBOX):  # a checklist: "- [ ] What is ...?"
            body = body[4:].lstrip()
    if body[:1] > "\u2000" and (badge := _PICTOGRAPH.match(body)):  # "📊 2⃣ What is ...?"
        body = body[badge.end():]
    line.body = body
    line.marker = _marker(body)


def read_table_row(unit: Unit, line: Line) -> bool:
    """"| What is X? | X is ... |": the first cell (after a row number) that asks."""
    text = line.text
    if not text.startswith("|") or _TABLE_RULE.fullmatch(text):
        return False
    cells = [c.strip() for c in text.strip("|").split("|")]
    cells = [c for c in cells if c]
    if cells and cells[0].isdigit():
        cells = cells[1:]
    if not (cells and reads_as_question(cells[0])):
        return False
    unit.kind, unit.text = "table", clean_question(cells[0])
    unit.tail = " ".join(cells[1:])
    return True


def read_tab_row(unit: Unit, line: Line) -> bool:
    """"term<TAB>definition": two columns, outside headings."""
    if "\t" not in line.raw or line.heading:  # (the line's own strip took a trailing tab)
        return False
    term, _, definition = line.raw.strip(" ").partition("\t")
    if not term.strip() or "\t" in definition.strip():
        return False
    unit.kind, unit.text, unit.tail = "tab", clean_question(term), definition.strip()
    return True


def read_summary(unit: Unit, line: Line) -> bool:
    """"<details><summary>What is X?</summary>": the summary's text; a summary that says
    "Answer" (or is chrome) is the answer's label, read by no rule."""
    text = line.text
    summary = _SUMMARY.search(text)
    if not summary or not text.lower().startswith(("<details", "<summary")):
        return False
    inner = clean_question(TAG.sub("", summary.group(1)))
    if ANSWER_LABEL.fullmatch(inner + ":") or chrome_kind(inner):
        return True  # "<summary>Answer</summary>": the answer's label
    unit.kind, unit.text = "summary", inner
    unit.tail = TAG.sub("", text[summary.end():]).strip()
    return True


def read_marker(unit: Unit, line: Line) -> bool:
    """A number or label in front of the question ("Q12.", "Question:"): the marker's
    family (``_marker`` tells a number from a label), its style with any bullet, its number,
    and the question with an answer on the same line taken off."""
    kind, style, num, rest = line.marker
    if not kind:
        return False
    if _OF_TOTAL.fullmatch(rest.strip()):
        rest = ""  # "Question 1 of 15": the number alone, the question on the next line
    unit.kind, unit.style, unit.ordinal = kind, (line.bullet + " " + style).strip(), num
    question, tail = rest, ""
    if match := ANSWER_LABEL.search(rest):  # "Q: ... A: ..." on one line
        if match.start() > 0 and rest[match.start() - 1] == " " and "?" in rest[:match.start()]:
            question, tail = rest[:match.start()], rest[match.end():]
    question, unit.label_follows = _without_options(question)
    if not tail and not unit.label_follows and not unit.heading:  # a heading is all question
        question, tail = split_inline_answer(question)
    unit.text, unit.tail = clean_question(question), tail.strip()
    if unit.heading and unit.text:  # a "### Question 3" heading alone numbers the next line
        unit.kind, unit.style = "heading", str(unit.heading)
    return True


def read_heading(unit: Unit, line: Line) -> bool:
    """A Markdown heading without a marker: its level is its style."""
    if not unit.heading:
        return False
    unit.kind, unit.style, unit.text = "heading", str(unit.heading), clean_question(line.body or "")
    return True


def read_bare_question(unit: Unit, line: Line) -> bool:
    """A line with no marker that reads as a question; its style is its bullet, bold and
    indentation. A follow-up or an answer's label is no question of the page's."""
    body = line.body or ""
    if FOLLOWUP.match(body) or ANSWER_LABEL.match(body):
        return True
    question, tail = split_inline_answer(clean_question(body))
    if not reads_as_question(question):
        return False
    unit.kind, unit.text, unit.tail = "bare", question, tail
    columns = line.raw.expandtabs(4)
    indent = len(columns) - len(columns.lstrip())
    if indent < 4 and not line.bullet:  # a copy's stray space or two: neither code nor nesting
        indent = 0
    unit.style = (f" ({line.bullet} items)" if line.bullet else "") + (
        " (bold)" if line.bold else "") + (f" (indented {indent})" if indent else "")
    return True


def _without_options(question: str) -> tuple[str, bool]:
    """A multiple-choice question with its options glued on ("...numbers?a. Varianceb. Mean
    ...A.") is the question up to its '?'; whether the answer's label closes the line."""
    at = question.find("?")
    for _ in range(MAX_QUESTION_MARKS):
        if at == -1:
            break
        after = question[at + 1:at + 6].lstrip()
        if after[:2] in ("a.", "a)") or after[:3] == "(a)":
            return question[:at + 1], question.rstrip().endswith(("A.", "A:", "Answer:", "Ans:"))
        at = question.find("?", at + 1)
    return question, False


def _attach_id_lines(units: list[Unit]) -> None:
    """A number, ID or label on a line of its own ("CT10", "12", "Question 3", "Q:") may
    mark the line after it; whether it does is decided with the page's pattern."""
    following: Unit | None = None
    for unit in reversed(units):
        text = unit.raw.strip()
        if not text or unit.code:
            continue
        if unit.marker_alone:
            kind, style, number = unit.kind, unit.style, unit.ordinal
        elif not unit.kind and _ID_LINE.fullmatch(text):
            kind, style, number = "number", _style(text), _first_number(text)
        else:
            following = unit
            continue
        if (following is not None and following.kind in ("", "bare") and not following.code
                and answer_label(following.raw) is None):
            following.before_own_line = (following.kind, following.style, following.ordinal)
            if not following.text:
                following.text = clean_question(following.raw)
            unit.id_line = True
            following.kind, following.style = kind, style + " (own line)"
            following.ordinal = number
            following.marker = unit
        following = unit


def detach_id_lines(units: list[Unit], chosen: tuple[str, str]) -> None:
    """Undo the number lines of a style the page does not mark its questions with: there
    "42" is an answer and "Step 1" part of one."""
    for unit in units:
        if unit.marker is not None and unit.key != chosen:
            unit.kind, unit.style, unit.ordinal = unit.before_own_line
            unit.marker.id_line, unit.marker.content = False, None
            unit.marker = None


def _is_code_comment(line: str, level: int) -> bool:
    """"# import pandas as pd": a comment of code that lost its fence, not a heading."""
    text = line.strip()[level:].strip()
    return level == 1 and (text[:1].islower() or bool(CODE_START.match(text)))


def _markdown_structure(lines: list[str]) -> dict[int, tuple[str, int]]:
    """Line roles from a CommonMark parse: headings (ATX and setext, with their level),
    setext underlines, and the lines of code fences ("fence") and indented code ("code_block")."""
    text = "\n".join(lines)
    if "#" not in text and not may_hold_fence(text) and "==" not in text \
            and "---" not in text and "    " not in text and "\t" not in text:
        return {}
    from markdown_it import MarkdownIt  # only pages with Markdown structure need it

    roles: dict[int, tuple[str, int]] = {}
    parser = MarkdownIt("commonmark")
    parser.core.ruler.disable(["inline", "text_join"])  # the blocks' lines are all it needs
    for token in parser.parse(text):
        if token.map is None:
            continue
        first, end = token.map
        if token.type == "heading_open":
            level = int(token.tag[1])
            if token.markup in ("=", "-"):  # setext: the text, then its underline
                underline = end  # 1-based number of the underline line
                # only a one-line heading over a real rule: "Foo" over "-" is list debris
                if end - first != 2 or len(lines[underline - 1].strip()) < 3:
                    continue
                roles[underline] = ("setext-rule", level)
                for n in range(first + 1, underline):
                    roles[n] = ("heading", level)
            elif not _is_code_comment(lines[first], level):
                roles[first + 1] = ("heading", level)
        elif token.type in ("fence", "code_block"):
            for n in range(first + 1, end + 1):
                roles[n] = (token.type, 0)
    return roles


def is_content(unit: Unit) -> bool:
    """Text that could answer a question: not blank, a bare label, a number line or chrome."""
    if unit.content is None:
        unit.content = not (unit.blank or unit.raw.strip() == ">" or unit.id_line
                            or not without_edge_breaks(unit.raw)  # "<br/>": shows nothing
                            or unit.setext_rule or unit.continues
                            or unit.kind in ("number", "label") and not unit.text
                            or unit.running or unit.unshown or is_bare_label(unit.raw)
                            or unit.chrome)
    return unit.content


def html_cells(line: str) -> list[str]:
    """The text of each <td> or <th> cell of a line of an HTML table."""
    return [TAG.sub("", cell).strip() for cell in _HTML_CELL.findall(line)]


def without_edge_breaks(line: str) -> str:
    """The line stripped, and without HTML line breaks at its ends."""
    text = line.strip()
    return _EDGE_BREAKS.sub("", text).strip() if "<br" in text.lower() else text


def unwrap(line: str) -> str:
    """A line without its blockquote mark, and with a marker or label in bold unwrapped:
    "> **Q:** What is X?" reads as "Q: What is X?", "**1.** Define X." as "1. Define X."."""
    text = without_edge_breaks(line)
    if text.startswith(">"):
        text = text[1:].strip()
    if text.startswith(("**", "__")) and (match := _EMPHASIZED.match(text)):
        inner, rest = match.group(2).strip(), text[match.end():].strip()
        if rest and (inner[-1:] in ":.)-" or _marker(inner + " ")[0]):
            text = f"{inner} {rest}"
    return text


def answer_label(line: str) -> str | None:
    """What follows the answer label a line starts with ("Answer: It is." gives "It is.",
    "**A:**" gives ""), or None for a line without one."""
    text = unwrap(line)
    if heading := _HEADING_MARKS.match(text):  # "##### Answer:", a label written as a heading
        text = text[heading.end():]
    label = ANSWER_LABEL.match(text)
    if label is None and text[:2] in ("**", "__"):
        # "**Answer (Scenario-Based):**" alone, or "**Answer: Most engineers ...**", the
        # bold opening before the label and closing somewhere after it
        emphasis, inner = text[:2], text[2:]
        label = ANSWER_LABEL.match(inner)
        return None if label is None else inner[label.end():].replace(emphasis, "", 1).strip()
    return None if label is None else text[label.end():].strip()


def is_bare_label(line: str) -> bool:
    """"Answer:", "A.", "CT10 - Answer:" with nothing after it."""
    return answer_label(line) == ""


def is_label_only(text: str) -> bool:
    """A label alone ("Answer", "Show answer"), as the text of a <summary> gives it."""
    text = text.strip()
    label = ANSWER_LABEL.match(text + ":") if text[-1:] not in ":.-" else ANSWER_LABEL.match(text)
    return (bool(label) and not (text + ":")[label.end():].strip(" :")) or chrome_kind(text) == "skip"


def is_markup(line: str) -> bool:
    return bool(_RULE.fullmatch(line) or _HTML_MARKUP.fullmatch(line) or _TABLE_RULE.fullmatch(line))


def names_chrome(unit: Unit) -> bool:
    """A heading or title line such as "Resources", "Contributing" or "License"."""
    return bool(unit.heading or is_title_line(unit.raw)) and names_chrome_section(unit.raw)
