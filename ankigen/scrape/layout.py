"""The general reader: works out how a page marks its questions, whatever the site.

Every line is read into features: the marker in front of it (numbering style such as
``Q1.``, ``Question - 11 : -``, ``(3)`` or ``01.``, a ``Q:`` label, a Markdown heading level,
a table row, a ``<summary>``), its bullet, and whether its text reads as a question. Lines
with the same marker form a candidate pattern; a line with no marker joins the "bare
question" pattern of its bullet and indentation only when it reads as a question. The
pattern that repeats, numbers in sequence and leaves answers between its lines marks the
page's questions (``PATTERNS`` describes each for ``ankigen scrape --explain``).

Answers run to the next question of that pattern, so a numbered list or a question-like
sentence inside an answer stays in it. On the way, the reader takes off labels (``Answer:``,
``CT10 - Answer:``, ``->``), sets aside what the page wraps around its answers (the text
between a question and its answer label, "View answer" buttons, "Related posts" blocks,
transition sentences), turns headings above the question level and short title lines
before a question into sections, and keeps every line in the ledger with its reason.
Markdown structure (ATX and setext headings, code fences, tables) comes from markdown-it-py,
which reports each block's source lines.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..errors import UnknownFormatError
from .document import SourceDoc
from .text import (PROMPT_VERBS, QUESTION_WORDS, chrome_kind, closes_page, first_word, is_chrome,
                   is_title_case, question_key)

NAME = "inferred"
DESCRIPTION = ("any page: infers which marker (numbering, label, heading, bold line, table "
               "row, bare question line) marks its questions")
MIN_QUESTIONS = 2
LONG_ANSWER_CHARS = 120  # a page whose answers are mostly longer has headings between them
MAX_QUESTION_MARKS = 4  # how many '?' of one line are tried as the end of its question

# A marker before a question: "Q1." "Q.1" "Q 1 -" "Ques 1." "Question 1:" "Question - 11 : -"
# "#1" "(1)" "1)" "1." "01." "1|" "1️⃣"; or a label alone ("Q:", "Question:", "Q:-").
# Every repetition is bounded, so no line can make these backtrack.
_OF_TOTAL = re.compile(r"(?i)of\s{1,3}\d{1,5}")
_LABELLED_NUMBER = re.compile(
    r"(?i)(?:q|ques|question|problem|exercise)\s{0,2}[-.#:]?\s{0,2}\d{1,4}(?:\.\d{1,3})?"
    r"(?:\s{0,2}[-.:)|\u20e3]){0,3}(?=\s|$)\s{0,2}")
_LABEL = re.compile(r"(?i)(?:q|ques|question)\s{0,2}(?:[-:.)]\s{0,2}){1,2}")
_NUMBER = re.compile(r"[#(\[]?\d{1,5}(?:\s{0,2}[.):|\]\u20e3]){1,2}(?=\s|$)|\d{1,4}\s[-–]\s"
                     r"|#\d{1,4}(?=\s)")
_ID_LINE = re.compile(r"[A-Za-z]{0,4}\s?#?\d{1,4}[.):\u20e3]?")  # "CT10", "12", "#3" alone
_BULLET = "-*•+▪►◦‣▶▸"
_CHECKBOX = ("[ ] ", "[x] ", "[X] ")
# "Answer:", "Ans.", "A:", "✅ Answer:", "Sample Answer:", "Answer - 11 : -", "CT10 - Answer:",
# "o Answer:" (a PDF bullet), "Solution:", and answer lines marked by an arrow ("-> ...").
_ANSWER_LABEL = re.compile(
    r"(?:[-*•o]\s)?(?:✅\s?)?(?:[A-Za-z]{1,4}\d{1,4}\s?[-–:]\s?)?"
    r"(?:(?:[Ss]ample|[Ss]hort|[Mm]odel|[Ss]uggested|[Ee]xpected)\s)?"
    r"(?:(?:[Aa]nswer|ANSWER|[Aa]ns|ANS|[Ss]olution|SOLUTION)"
    r"(?:\s{0,2}[-–]\s{0,2}\d{1,4})?(?:\s{0,2}[:.)\-–]){1,3}|A[:.])\s?"
    r"|(?:[Aa]nswer|ANSWER|[Ss]olution)(?:\s{1,2}\d{1,4})?\s*$"
    r"|(?:->|=>|→)\s")
_FOLLOWUP = re.compile(r"(?i)follow[- ]?ups?(?:\s?questions?)?\s?[:.\-–]?\s?(?=\S)")
_BADGE = re.compile(r"(?i)(?<=\?)\s?(?:beginner|easy|medium|intermediate|hard|advanced|expert)$"
                    r"|\s(?:[⚡⭐★🔥👶🚀]\ufe0f?\s?){1,5}(?:beginner|easy|medium|intermediate|hard"
                    r"|advanced|expert)?$"
                    r"|\s[\[(](?:beginner|easy|medium|intermediate|hard|advanced|expert)[\])]$")
_HASHTAGS = re.compile(r"(?:\s#[A-Za-z][\w-]{0,40}){1,10}$")
_ANCHOR = re.compile(r"\s?\[(?:¶|#|§|link|src|source)\]\([^)\s]{0,300}\)$"
                     r"|\s?\[\[[^\]]{0,80}\](?:\([^)\s]{0,300}\))?\](?:\([^)\s]{0,300}\))?$")
_SUMMARY = re.compile(r"(?i)<summary>(.{1,1000}?)</summary>")
_TAG = re.compile(r"<[^<>]{0,200}>")
_HTML_MARKUP = re.compile(r"(?i)(?:</?(?:details|summary|br|p|div|hr)\s?/?>\s?){1,6}")
_RULE = re.compile(r"[-*_=~]{3,}")  # a thematic break or a row of dashes
_TABLE_RULE = re.compile(r"\|?(?:\s{0,3}:?-{2,}:?\s{0,3}\|){1,20}\s{0,3}(?::?-{2,}:?)?\s{0,3}")
_GLUED = re.compile(r"[^\s\d(*]\*\*\d{1,4}[.)]\s|(?:^|\*\*)\*\*(?:A|Ans\w{0,3})[.:]\*\*")
_REFERS_TO_CODE = re.compile(r"(?i)\b(?:following|below|this|given)\s(?:\w{1,12}\s)?"
                             r"(?:code|query|snippet|program|function|statement|expression|script)")
_SQL_START = re.compile(r"(?:SELECT|FROM|WHERE|GROUP BY|ORDER BY|HAVING|JOIN|LEFT JOIN|LIMIT|WITH"
                        r"|INSERT|UPDATE|DELETE|CREATE|UNION)\b")
_OPTION = re.compile(r"\(?([A-Ea-e])[.)]\s{1,4}\S")
_OPTION_KEY = re.compile(r"(?i)(?:option\s)?\(?([a-e])[.)]?")  # "b", "(b)", "B.", "option c"
_HINT_BLOCK = re.compile(r"(?i)(?:<details>\s{0,3})?<summary>\W{0,6}hints?\b")
_HINT = re.compile(r"(?i)(?:[^\w\s]{1,3}\s?)?hints?\s?[:.\-–]|<summary>\W{0,3}hint")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_CODE_START = re.compile(r"(?:def|class|import|from|for|while|if|return|print|SELECT|select)\b"
                         r"|\S{1,40}\s?=[^=]|[\w.]{1,60}\(.{0,200}\)$|>>>|#\s")

_CHROME_HEADINGS = {
    "contents", "table of contents", "toc", "contributing", "contributors", "license",
    "references", "resources", "acknowledgements", "acknowledgments", "credits", "see also",
    "further reading", "related", "support", "sponsors", "about", "author", "citation",
}
_EXTERNAL_LINK = re.compile(r"\]\(https?://")
_TOC_LINK = re.compile(r"(?:[-*+•]|\d{1,4}[.)])\s{1,4}\[[^\]]{1,500}\]\([^)\s]{0,500}\)")

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
class Unit:
    """One line (or, where a copy glued several together, one piece of a line)."""

    number: int
    raw: str
    text: str = ""  # without its marker
    kind: str = ""  # the marker's family (a key of PATTERNS), "" if none
    style: str = ""  # the marker's shape: "qN.", "N.", "3" (heading level), ...
    num: int | None = None
    tail: str = ""  # an answer on the question's own line
    heading: int = 0  # Markdown heading level
    code: bool = False  # inside a code fence or block
    setext_rule: bool = False  # the underline of a setext heading
    id_line: bool = False  # a bare number or ID that belongs to the next line
    label_follows: bool = False  # the question line ends with the answer's label
    marker: Unit | None = None  # the line that numbers this one ("CT10" above it)
    before_own_line: tuple = ()  # kind, style and number before that line was attached
    content: bool | None = None  # worked out once, by _is_content
    continues: bool = False  # the end of the question above, wrapped onto this line
    running: bool = False  # a running header or footer, repeated through the page

    @property
    def blank(self) -> bool:
        return not self.raw.strip()

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.style


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


def _asks(text: str) -> bool:
    """Ends in a question mark (a hint in brackets after it aside)."""
    core = text.strip().strip("*_").strip()
    if core.endswith(")") and "(" in core:  # "...? (Hint: not 25)"
        core = core[:core.rfind("(")].rstrip()
    return core.endswith("?")


def reads_as_question(text: str) -> bool:
    """A line that asks: ends in '?' (before a hint in brackets), or an interview prompt
    ("Explain ...", "Write a query ..."), or opens with a question word and asks."""
    text = text.strip().strip("*_").strip()
    if not text:
        return False
    if _asks(text):
        return True
    word = first_word(text)
    if word in PROMPT_VERBS or word in _MORE_PROMPTS:
        return len(text) < 400
    return word in QUESTION_WORDS and "?" in text


_MORE_PROMPTS = frozenset("""
show create add implement calculate find design walk tell how build derive prove compute
identify predict estimate solve
""".split())


def split_inline_answer(text: str) -> tuple[str, str]:
    """"What is X? X is ..." -> ("What is X?", "X is ..."): the answer starts after the
    first question mark, unless what follows asks too, is a hint in brackets or a prompt."""
    at = text.find("? ")
    for _ in range(MAX_QUESTION_MARKS):  # a question has few parts; the rest is answer
        if at == -1:
            break
        head, tail = text[:at + 1], text[at + 2:].strip()
        label = _ANSWER_LABEL.match(tail)
        if label and not tail.startswith(("->", "=>", "→")):
            return head, tail[label.end():].strip()
        if not tail or tail.startswith(("(", "[")) or tail.endswith("?"):
            return text, ""
        word = first_word(tail)
        if word in PROMPT_VERBS or word in _MORE_PROMPTS or word in QUESTION_WORDS \
                or word == "please":  # "...? Please create a PR": a request, not an answer
            at = text.find("? ", at + 2)
            continue
        if len(tail.split(None, 3)) < 3:
            return text, ""
        return head, tail
    return text, ""


def clean_question(text: str) -> str:
    """The question less decoration: bold, a trailing anchor or source link, hashtags, a
    difficulty badge."""
    text = text.strip().strip("*_").strip()
    for pattern in (_ANCHOR, _HASHTAGS, _BADGE):
        text = pattern.sub("", text).strip()
    return text.strip("*_ ").strip()


def _marker(text: str) -> tuple[str, str, int | None, str]:
    """(kind, style, number, rest) for a line's marker, or ("", "", None, text)."""
    if match := _LABELLED_NUMBER.match(text):
        return "number", _style(match.group()), _first_number(match.group()), text[match.end():]
    if match := _LABEL.match(text):
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
    return [piece for piece in line.split("**") if piece.strip()]


def read_units(lines: list[str]) -> list[Unit]:
    structure = _markdown_structure(lines)
    units: list[Unit] = []
    for number, line in enumerate(lines, start=1):
        for piece in _unglue(line):
            units.append(_read(number, piece, structure))
    _attach_id_lines(units)
    _join_wrapped_questions(units)
    _mark_running_lines(units)
    return units


def _join_wrapped_questions(units: list[Unit]) -> None:
    """A marked question that a copy wrapped onto the next line ("... for a subscription" /
    "business.") takes that line back."""
    for unit, following in zip(units, units[1:]):
        rest = following.raw.strip()
        if (unit.kind in ("number", "label") and unit.text and not unit.tail
                and not unit.text.endswith((".", "?", "!", ":", ")")) and following.kind in ("", "bare")
                and rest and (rest[0].islower() or not rest[0].isalnum())
                and rest.endswith(("?", ".")) and len(rest.split()) <= 12 and not following.code):
            unit.text = clean_question(f"{unit.text} {rest}" if rest[0].isalnum() else unit.text + rest)
            following.kind, following.continues = "", True


RUNNING_LINE_REPEATS = 3  # a long line seen this often is a running header or footer


def _mark_running_lines(units: list[Unit]) -> None:
    """A printed document's running header or footer ("Machine Learning Handbook v2.1"),
    repeated through the page, interrupts answers; it is not part of them."""
    counts = Counter(u.raw.strip() for u in units if len(u.raw.strip()) >= 15 and not u.kind)
    for unit in units:
        if not unit.kind and counts.get(unit.raw.strip(), 0) >= RUNNING_LINE_REPEATS:
            unit.running = True


def _read(number: int, raw: str, structure: dict[int, tuple[str, int]]) -> Unit:
    unit = Unit(number, raw)
    role, level = structure.get(number, ("", 0))
    if role == "code":
        unit.code = True
        return unit
    if role == "setext-rule":
        unit.setext_rule = True
        return unit
    text = raw.strip().replace("\ufe0f", "").replace("🔟", "10\u20e3")
    if not text or is_chrome(text):
        return unit
    if role == "heading":
        unit.heading = level
        text = text.lstrip("#").strip()
        if text.endswith("#") and (text.rstrip("#").endswith(" ") or not text.rstrip("#")):
            text = text.rstrip("#").strip()
    if text.startswith("|") and not _TABLE_RULE.fullmatch(text):
        cells = [c.strip() for c in text.strip("|").split("|")]
        cells = [c for c in cells if c]
        if cells and cells[0].isdigit():
            cells = cells[1:]
        if cells and reads_as_question(cells[0]):
            unit.kind, unit.text = "table", clean_question(cells[0])
            unit.tail = " ".join(cells[1:])
            return unit
    if "\t" in raw and not unit.heading:  # (the line's own strip took a trailing tab)
        term, _, definition = raw.strip(" ").partition("\t")
        if term.strip() and "\t" not in definition.strip():
            unit.kind, unit.text, unit.tail = "tab", clean_question(term), definition.strip()
            return unit
    if (summary := _SUMMARY.search(text)) and text.lower().startswith(("<details", "<summary")):
        inner = clean_question(_TAG.sub("", summary.group(1)))
        if _ANSWER_LABEL.fullmatch(inner + ":") or chrome_kind(inner):
            return unit  # "<summary>Answer</summary>": the answer's label
        unit.kind, unit.text = "summary", inner
        unit.tail = _TAG.sub("", text[summary.end():]).strip()
        return unit
    bold = text.startswith(("**", "__")) and text.rstrip(":").endswith(("**", "__"))
    body = text.strip("*_ ").strip() if bold else text
    bullet = ""
    if body[:1] in _BULLET and body[1:2] == " " and not body.startswith("- -"):
        bullet, body = body[0], body[2:].lstrip()
        if body.startswith(_CHECKBOX):  # a checklist: "- [ ] What is ...?"
            body = body[4:].lstrip()
    kind, style, num, rest = _marker(body)
    if kind and _OF_TOTAL.fullmatch(rest.strip()):
        rest = ""  # "Question 1 of 15": the number alone, the question on the next line
    if kind:
        unit.kind, unit.style, unit.num = kind, (bullet + " " + style).strip(), num
        question, tail = rest, ""
        if match := _ANSWER_LABEL.search(rest):  # "Q: ... A: ..." on one line
            if match.start() > 0 and rest[match.start() - 1] == " " and "?" in rest[:match.start()]:
                question, tail = rest[:match.start()], rest[match.end():]
        question, unit.label_follows = _without_options(question)
        if not tail and not unit.label_follows:
            question, tail = split_inline_answer(question)
        unit.text, unit.tail = clean_question(question), tail.strip()
        if unit.heading:
            unit.kind, unit.style = "heading", str(unit.heading)
        return unit
    if unit.heading:
        unit.kind, unit.style, unit.text = "heading", str(unit.heading), clean_question(body)
        return unit
    if _FOLLOWUP.match(body) or _ANSWER_LABEL.match(body):
        return unit
    if reads_as_question(clean_question(body)):
        question, tail = split_inline_answer(clean_question(body))
        unit.kind, unit.text, unit.tail = "bare", question, tail
        indent = len(raw) - len(raw.lstrip())
        unit.style = (f" ({bullet} items)" if bullet else "") + (" (bold)" if bold else "") + (
            f" (indented {indent})" if indent else "")
    return unit


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
        if unit.kind in ("number", "label") and not unit.text:
            kind, style, number = unit.kind, unit.style, unit.num
        elif not unit.kind and _ID_LINE.fullmatch(text):
            kind, style, number = "number", _style(text), _first_number(text)
        else:
            following = unit
            continue
        if (following is not None and following.kind in ("", "bare") and not following.code
                and not _ANSWER_LABEL.match(following.raw.strip())):
            following.before_own_line = (following.kind, following.style, following.num)
            if not following.text:
                following.text = clean_question(following.raw)
            unit.id_line = True
            following.kind, following.style = kind, style + " (own line)"
            following.num = number
            following.marker = unit
        following = unit


def _detach_id_lines(units: list[Unit], chosen: tuple[str, str]) -> None:
    """Undo the number lines of a style the page does not mark its questions with: there
    "42" is an answer and "Step 1" part of one."""
    for unit in units:
        if unit.marker is not None and unit.key != chosen:
            unit.kind, unit.style, unit.num = unit.before_own_line
            unit.marker.id_line, unit.marker.content = False, None
            unit.marker = None


def _is_code_comment(line: str, level: int) -> bool:
    """"# import pandas as pd": a comment of code that lost its fence, not a heading."""
    text = line.strip()[level:].strip()
    return level == 1 and (text[:1].islower() or bool(_CODE_START.match(text)))


def _markdown_structure(lines: list[str]) -> dict[int, tuple[str, int]]:
    """Line roles from a CommonMark parse: headings (ATX and setext, with their level),
    setext underlines, and the lines of code fences and indented code."""
    text = "\n".join(lines)
    if "#" not in text and "```" not in text and "~~~" not in text and "==" not in text \
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
                roles[n] = ("code", 0)
    return roles


def _is_content(unit: Unit) -> bool:
    """Text that could answer a question: not blank, a bare label, a number line or chrome."""
    if unit.content is None:
        unit.content = not (unit.blank or unit.id_line or unit.setext_rule or unit.continues
                            or unit.kind in ("number", "label") and not unit.text
                            or unit.running or _is_bare_label(unit.raw) or is_chrome(unit.raw))
    return unit.content


def infer(units: list[Unit]) -> tuple[Layout | None, list[int]]:
    """The pattern whose lines mark the page's questions, and the indexes of those lines."""
    counted = [0]
    for unit in units:
        counted.append(counted[-1] + _is_content(unit))
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, unit in enumerate(units):
        if unit.kind and unit.text:
            groups[unit.key].append(index)
        if unit.before_own_line and unit.before_own_line[0]:  # read without its number line
            groups[unit.before_own_line[:2]].append(index)
    best: tuple[float, tuple[str, str], int] | None = None
    for key, indexes in groups.items():
        if len(indexes) < MIN_QUESTIONS:
            continue
        ends = indexes[1:] + [len(units)]
        answered = sum(1 for start, end in zip(indexes, ends)
                       if units[start].tail or counted[end] - counted[start + 1] > 0)
        asking = sum(reads_as_question(units[i].text) for i in indexes) / len(indexes)
        numbers = [units[i].num for i in indexes]
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
    _detach_id_lines(units, key)
    indexes = groups[key]
    for other, more in groups.items():
        if other != key and (_continues(units, indexes, more) or _labels_questions(other, key)
                             or other[0] == key[0] == "number" and _fills_gaps(units, indexes, more)):
            indexes = sorted(set(indexes + more))  # another style marks questions too
    return Layout(key[0], key[1], len(indexes), answered), indexes


def _fills_gaps(units: list[Unit], indexes: list[int], more: list[int]) -> bool:
    """Whether every line of another numbering style takes a number the questions skip,
    where they skip it ("Q1." "Q2." "Q3 ..." "Q4."): a style the copy changed for one."""
    numbers = [units[i].num for i in indexes]
    if None in numbers or len(more) > len(indexes) or any(units[i].num is None for i in more):
        return False
    position = 0
    for index in more:
        while position < len(indexes) and indexes[position] < index:
            position += 1
        before = numbers[position - 1] if position else 0
        after = numbers[position] if position < len(indexes) else None
        if units[index].num != before + 1 or (after is not None and after <= before + 1):
            return False
    return True


def _labels_questions(other: tuple[str, str], chosen: tuple[str, str]) -> bool:
    """"Q:" or "Question:" on a page read by some other pattern still marks a question."""
    return other[0] == "label" and chosen[0] in ("bare", "heading")


def _continues(units: list[Unit], indexes: list[int], more: list[int]) -> bool:
    """Whether numbered lines in another style carry on the numbering of the questions,
    before or after all of them ("Q1." ... "Q10." then "11." ... "20.")."""
    if len(more) < MIN_QUESTIONS or units[more[0]].num is None or units[indexes[0]].num is None:
        return False
    numbers = [units[i].num for i in more]
    if any(b != a + 1 for a, b in zip(numbers, numbers[1:])):
        return False
    if more[0] > indexes[-1]:
        return numbers[0] == units[indexes[-1]].num + 1
    return more[-1] < indexes[0] and numbers[-1] + 1 == units[indexes[0]].num


def detect(lines: list[str]) -> float:
    """The general reader takes any page where a pattern finds two questions."""
    layout, _ = infer(read_units(lines))
    return 0.3 if layout else 0.0


def parse(doc: SourceDoc) -> Layout:
    units = read_units(doc.lines)
    layout, indexes = infer(units)
    if layout is None:
        raise UnknownFormatError(
            doc.path, "no pattern marks two questions: looked for numbered lines, 'Q:' and "
            "'Question:' labels, headings, bold lines, table rows, <summary> blocks and lines "
            "that read as questions")
    questions = _questions(units, indexes, layout)
    layout.labelled = _labels_answers(units, questions)
    reader = _Reader(doc, units, layout)
    reader.read(questions)
    layout.questions = sum(1 for r in doc.records if r.kind == "main")
    layout.answered = sum(1 for r in doc.records if r.kind == "main" and r.answer)
    return layout


def _questions(units: list[Unit], indexes: list[int], layout: Layout) -> list[int]:
    """The pattern's lines that are questions. One that does not read as a question and
    has nothing under it before the next is a section heading ("1. LLM Fundamentals"); one
    with nothing under it whose question comes again later is a table of contents entry;
    with plain numbering, one that does not ask and does not continue the questions'
    numbering is an item of a numbered list inside an answer."""
    kept = []
    ends = indexes[1:] + [len(units)]
    empty = {start for start, end in zip(indexes, ends)
             if not units[start].tail and not any(_is_content(u) for u in units[start + 1:end])}
    asked_again = set()  # indexes whose question the page asks again further down
    later: set[str] = set()
    for index in reversed(indexes):
        key = question_key(units[index].text)
        if key in later:
            asked_again.add(index)
        later.add(key)
    for start, end in zip(indexes, ends):
        unit = units[start]
        if unit.text.casefold().strip(" :") in _CHROME_HEADINGS:
            unit.kind = "section"  # "## Contributing" at the questions' level: page chrome
        elif start in empty and start in asked_again:
            unit.kind = "contents"
        elif start in empty and not reads_as_question(unit.text) and unit.kind not in (
                "tab", "table") and _is_title_line(unit.text) and end < len(units):
            unit.kind = "section"
        else:
            kept.append(start)
    if layout.kind == "number" and not any(c.isalpha() for c in layout.style.replace("N", "")):
        kept = _without_list_items(units, kept)
    if layout.kind == "number":
        kept = _with_lost_numbers(units, kept)
    return kept


def _after_heading(units: list[Unit], index: int) -> bool:
    """Whether the line before (blank lines aside) is a heading or a line naming a part."""
    previous = next((u for u in reversed(units[:index]) if not u.blank), None)
    return previous is not None and bool(
        previous.heading or _names_a_part(previous.raw) or _is_heading_text(previous.raw, True))


def _with_lost_numbers(units: list[Unit], indexes: list[int]) -> list[int]:
    """Where the numbering skips one ("4." then "6."), the one line between them that asks
    on its own, set apart like the questions, is the question whose number the copy lost."""
    found = []
    for start, end in zip(indexes, indexes[1:]):
        first, second = units[start].num, units[end].num
        if first is None or second != first + 2:
            continue
        asking = [i for i in range(start + 1, end)
                  if units[i].kind == "bare" and not units[i].tail and _asks(units[i].text)
                  and units[i - 1].blank]
        if len(asking) == 1:
            units[asking[0]].num = first + 1
            found.append(asking[0])
    return sorted(indexes + found)


def _without_list_items(units: list[Unit], indexes: list[int]) -> list[int]:
    asking = [_asks(units[i].text) for i in indexes]
    if not any(asking):
        return indexes  # prompts rather than questions: every numbered line counts
    following: list[int | None] = []  # the number of the next line that asks, from each
    upcoming = None
    for index, asks in zip(reversed(indexes), reversed(asking)):
        following.append(upcoming)
        if asks:
            upcoming = units[index].num
    following.reverse()
    kept: list[int] = []
    last: int | None = None
    for position, index in enumerate(indexes):
        number = units[index].num
        if not asking[position] and last is not None:
            after = following[position]
            restart = number == 1 and after != last + 1 and _after_heading(units, index)
            if not restart and (number != last + 1 or (after is not None and number >= after)):
                units[index].kind = ""  # stays in the answer it belongs to
                continue
        kept.append(index)
        last = number
    return kept


def _labels_answers(units: list[Unit], questions: list[int]) -> bool:
    """Whether the page starts its answers with a label ("Answer:", "Ans.", "->"): then an
    answer starts at its label, and a question whose label is missing has no answer."""
    ends = questions[1:] + [len(units)]
    with_content = labelled = 0
    for start, end in zip(questions, ends):
        region = [u for u in units[start + 1:end] if not u.blank]
        if not region and not units[start].tail:
            continue
        with_content += 1
        labelled += any(_ANSWER_LABEL.match(u.raw.strip()) for u in region)
    return labelled >= MIN_QUESTIONS and labelled >= 0.75 * with_content


def _is_bare_label(line: str) -> bool:
    """"Answer:", "A.", "CT10 - Answer:" with nothing after it."""
    label = _ANSWER_LABEL.match(line.strip())
    return bool(label) and not line.strip()[label.end():].strip()


def _is_label_only(text: str) -> bool:
    text = text.strip()
    label = _ANSWER_LABEL.match(text + ":") if text[-1:] not in ":.-" else _ANSWER_LABEL.match(text)
    return bool(label) and not (text + ":")[label.end():].strip(" :") or chrome_kind(text) == "skip"


def _is_markup(line: str) -> bool:
    return bool(_RULE.fullmatch(line) or _HTML_MARKUP.fullmatch(line) or _TABLE_RULE.fullmatch(line))


_PART_WORDS = frozenset("""level levels questions basics basic intermediate advanced beginner
beginners expert experienced fundamentals section part round topic topics interview
freshers""".split())


def _is_heading_text(text: str, set_apart: bool) -> bool:
    """A short line with no punctuation of a sentence or a formula, in Title Case unless
    blank lines set it apart ("Linear regression")."""
    text = text.strip().lstrip("0123456789.").strip() if text.strip()[:1].isdigit() else text
    return (_is_title_line(text) and len(text.split()) <= 5 and (set_apart or is_title_case(text))
            and not any(c in text for c in ":=()[]{}0123456789"))


def _names_chrome(unit: Unit) -> bool:
    """A heading or title line such as "Resources", "Contributing" or "License"."""
    text = unit.raw.strip().strip("#*_ ").strip(" :").casefold()
    return bool(unit.heading or _is_title_line(unit.raw)) and text in _CHROME_HEADINGS


def _names_a_part(text: str) -> bool:
    """A title line that names a part of the page ("Intermediate Level", "Advanced Python")
    rather than answering a question ("Negatively Skewed")."""
    words = text.split()
    return (0 < len(words) <= 8 and text.strip()[:1].isupper() and not _CODE_START.match(text)
            and not text.rstrip().endswith((".", "?", "!", ",", ";"))
            and bool({w.casefold().strip(":") for w in words} & _PART_WORDS))


def _is_title_line(text: str) -> bool:
    """A short line that names a part of the page ("SQL Basics", "Topic - Joins:")."""
    text = text.strip().strip("*_#").strip()
    words = text.split()
    if not words or len(words) > 8 or not text[:1].isupper():
        return False
    if text.endswith((".", "?", "!", ",", ";")) or _CODE_START.match(text) or "](" in text:
        return False
    return is_title_case(text) or len(words) <= 4


def _section_level(units: list[Unit]) -> int:
    """The deepest heading level that stands right above a question (blank lines aside):
    the level at which a page whose questions are not headings opens its sections."""
    level, previous = 0, None
    for unit in units:
        if unit.blank:
            continue
        if unit.kind and unit.text and previous is not None and previous.heading:
            level = max(level, previous.heading)
        previous = unit
    return level


class _Reader:
    """Walks the page once, question by question, filing every line in the ledger."""

    def __init__(self, doc: SourceDoc, units: list[Unit], layout: Layout):
        self.doc, self.units, self.layout = doc, units, layout
        self.section: str | None = None
        # headings at or above this level open sections: above the questions' own level,
        # or on other pages the levels the page puts right above a question
        self.section_level = (int(layout.style) - 1 if layout.kind == "heading"
                              else 6 if layout.kind in ("table", "tab")  # no headings in rows
                              else _section_level(units))
        self.long_answers = False  # most answers run over several lines (set in read)
        self.last_line = max((u.number for u in units if not u.blank), default=0)
        self.opening: Unit | None = None  # a lone title line above the first question
        self.later_sections = False

    def read(self, questions: list[int]) -> None:
        self.asked = {question_key(self.units[i].text) for i in questions}
        sizes = sorted(size for start, end in zip(questions, questions[1:] + [len(self.units)])
                       if (size := sum(len(u.raw) for u in self.units[start + 1:end]
                                       if _is_content(u))))
        self.long_answers = bool(sizes) and sizes[len(sizes) // 2] >= LONG_ANSWER_CHARS
        self._between(self.units[:questions[0]] if questions else self.units, front=True)
        ends = questions[1:] + [len(self.units)]
        for start, end in zip(questions, ends):
            answer, after = self._split_sections(self.units[start + 1:end], end < len(self.units))
            self._record(self.units[start], answer, last=end == len(self.units))
            self._between(after, front=False)
        if self.opening is not None and self.later_sections:
            self._open_with_section(self.opening)

    def _open_with_section(self, unit: Unit) -> None:
        """A page whose only line before its first question looks like its later section
        lines ("SQL Basics" ... "Window Functions") opens with a section, not a title."""
        name = unit.raw.strip().strip("#*_ ").strip(" :")
        self.doc.mark([unit.number], "section")
        for record in self.doc.records:
            if record.section is None and record.q_line > unit.number:
                record.section = name

    def _between(self, units: list[Unit], front: bool) -> None:
        """What lies outside answers: before the first question, the page title and
        introduction (a short title line just above the question names its section);
        between answers, section headings and what they say. Headings such as "Contents"
        or "License" and what follows them are page chrome, like headings that link away."""
        content = [u for u in units if not u.blank]
        chrome = None
        for position, unit in enumerate(content):
            line = unit.raw.strip()
            title = unit.heading or unit.kind == "section" or _is_title_line(line)
            name = (unit.text or line.strip("#*_ ")).strip(" :")
            if unit.kind == "contents" or question_key(
                    clean_question(line.lstrip(_BULLET))) in self.asked:
                self.doc.drop(unit.number, "table of contents entry")
                continue
            if title and name.casefold() in _CHROME_HEADINGS:
                chrome = name
            elif title and _EXTERNAL_LINK.search(line):
                self.doc.drop(unit.number, "page chrome (a heading that links elsewhere)")
                continue
            elif unit.heading or unit.kind == "section":
                chrome = None
            if chrome:
                self.doc.drop(unit.number, f"page chrome ({chrome})")
            elif unit.id_line or unit.kind in ("number", "label") and not unit.text:
                self.doc.drop(unit.number, "question number")
            elif front and position == 0 and unit.kind != "section":
                self.doc.drop(unit.number, "page title")
                if len(content) == 1 and _is_title_line(line):
                    self.opening = unit
            elif unit.heading or unit.kind == "section" or (
                    title and (not front or unit is content[-1])):
                self.section = name or None
                self.doc.mark([unit.number], "section")
                self.later_sections = self.later_sections or not front
            elif _TOC_LINK.fullmatch(line):
                self.doc.drop(unit.number, "table of contents entry")
            elif _is_markup(line):
                self.doc.drop(unit.number, "page markup")
            elif is_chrome(line):
                self.doc.drop(unit.number, "page chrome")
            else:
                self.doc.drop(unit.number, "page introduction" if front
                              else "text under a section heading")

    def _split_sections(self, region: list[Unit], more: bool) -> tuple[list[Unit], list[Unit]]:
        """The answer's part of a region, and what follows it: from a section heading (or a
        heading such as "Resources" or "License") on, or a line naming a part of the page
        just before the next question."""
        for position, unit in enumerate(region):
            if unit.kind == "section" or (unit.heading and unit.heading <= self.section_level) \
                    or _names_chrome(unit) and not unit.code:
                return region[:position], region[position:]
        content = [i for i, u in enumerate(region) if _is_content(u)]
        if not more or not content or content[-1] != max(
                (i for i, u in enumerate(region) if not u.blank), default=-1):
            return region, []
        last = content[-1]
        unit, text = region[last], region[last].raw.strip()
        previous = region[content[-2]] if len(content) > 1 else next(
            (u for u in reversed(region[:last]) if not u.blank), None)
        if unit.code or previous is not None and _is_bare_label(previous.raw):
            return region, []  # what follows a bare "A." label is the answer, however short
        if len(content) == 1:
            # alone under a question: a heading only where the page's answers are longer
            heading = _names_a_part(text) or self.long_answers and _is_heading_text(text, True)
        else:
            ended = region[content[-2]].raw.rstrip().endswith((".", "!", "?", ")", "`", '"'))
            set_apart = region[last - 1].blank
            heading = unit.heading and unit.heading <= self.section_level or _names_a_part(text) \
                or ended and _is_heading_text(text, set_apart)
        return (region[:last], region[last:]) if heading else (region, [])

    def _record(self, question: Unit, region: list[Unit], last: bool) -> None:
        followups: list[tuple[Unit, int]] = []
        for position, unit in enumerate(region):
            line = unit.raw.strip().lstrip(_BULLET).strip()
            if (match := _FOLLOWUP.match(line)) and reads_as_question(line[match.end():]):
                followups.append((unit, position))
        content = [(unit, position) for position, unit in enumerate(region) if _is_content(unit)]
        if not followups and len(content) >= 1 and all(
                _asks(unit.raw.strip().lstrip(_BULLET).strip()) for unit, _ in content):
            followups = content  # sub-questions under the question, none answered
        cut = followups[0][1] if followups else len(region)
        answer, labelled = self._answer(question, region[:cut], last and not followups)
        record = self.doc.add(question.text, question.number, answer, section=self.section,
                              labelled=labelled)
        for (unit, position), following in zip(followups, followups[1:] + [(None, len(region))]):
            line = unit.raw.strip().lstrip(_BULLET).strip()
            label = _FOLLOWUP.match(line)
            text = clean_question(line[label.end():] if label else line)
            answer, labelled = self._answer(Unit(unit.number, ""),
                                            region[position + 1:following[1]],
                                            last and following[0] is None)
            self.doc.add(text, unit.number, answer, section=self.section, parent=record,
                         labelled=labelled)

    def _answer(self, question: Unit, region: list[Unit],
                last: bool) -> tuple[list[tuple[int, str]], bool]:
        """The answer's (line, text) pairs, with labels, markup and chrome set aside, and
        whether the page labelled it as the answer."""
        doc = self.doc
        lines: list[tuple[int, str]] = []
        if question.tail:
            lines.append((question.number, question.tail))
        closed = in_hint = False
        for unit in region:
            line = unit.raw.strip()
            closed = closed or (last and not unit.code and closes_page(line))
            if in_hint or _HINT_BLOCK.match(line):  # <details><summary>Hint</summary> ...
                in_hint = "</details>" not in line.casefold()
                if line:
                    doc.drop(unit.number, "a hint")
            elif unit.blank:
                lines.append((unit.number, ""))
            elif unit.continues:
                doc.mark([unit.number], "question", "question continued")
            elif unit.running:
                doc.drop(unit.number, "a running header or footer")
            elif closed:
                doc.drop(unit.number, "the page's closing section")
            elif unit.id_line or unit.kind in ("number", "label") and not unit.text:
                doc.drop(unit.number, "question number")
            elif unit.setext_rule or _is_markup(line):
                doc.drop(unit.number, "page markup")
            elif "<summary" in line.lower() and not _TAG.sub("", line).strip(" :"):
                doc.drop(unit.number, "page markup")
            elif "<summary" in line.lower() and _is_label_only(_TAG.sub("", line)):
                doc.mark([unit.number], "label", "answer label")
            elif _LABEL.fullmatch(line):
                doc.drop(unit.number, "question label without a question (cut by the copy)")
            else:
                text = unit.raw if unit.code else unit.raw.rstrip()
                if self.layout.kind == "table" and text.lstrip().startswith("|"):
                    doc.drop(unit.number, "table header row")
                    continue
                if self.layout.kind == "table" and text.endswith("|"):
                    text = text[:-1].rstrip()
                    if not text.strip():
                        doc.drop(unit.number, "page markup")
                        continue
                lines.append((unit.number, text))
        if _REFERS_TO_CODE.search(question.text) and all(
                u.code or _looks_like_code(u.raw) or _OPTION.match(u.raw.strip())
                for u in region if _is_content(u)):
            for number, text in lines:  # "What does the following query return?" + query
                if text.strip():
                    doc.drop(number, "the question's own code or options, with no answer")
            return [], False
        lines, labelled = self._from_label(lines, question.label_follows)
        if last and lines and lines[-1][0] == self.last_line and _cut_off(lines) \
                and self._answers_are_sentences():
            for number, text in lines:
                if text.strip():
                    doc.drop(number, "cut off by the copy before a full sentence")
            return [], False
        return lines, labelled

    def _answers_are_sentences(self) -> bool:
        """Whether the page's answers so far end as sentences do: then a last answer that
        does not was cut by the copy; on a page of terse answers it is one of them."""
        answers = [r.answer for r in self.doc.records if r.answer]
        ended = sum(1 for a in answers if a.rstrip().endswith((".", "!", "?", ")", "`", '"')))
        return ended >= 0.5 * len(answers)

    def _from_label(self, lines: list[tuple[int, str]],
                    label_follows: bool = False) -> tuple[list[tuple[int, str]], bool]:
        """Take off answer labels. What a page puts between a question and its answer
        label (a multiple-choice question's options, hints, metadata) is not the answer:
        the answer starts at the label, and a region of nothing but options or hints has
        no answer. On a page that labels its answers, a question without a label has none;
        lines repeating what came before the label are the page's again, and a bare option
        letter as the answer ("Answer: b") is given its option's text."""
        doc = self.doc
        options = _options(lines)
        aside = options | {i for i, (_, t) in enumerate(lines) if _HINT.match(t.strip())}
        content = [i for i, (_, t) in enumerate(lines) if t.strip()]
        if not content:
            return lines, False
        first = content[0]
        at = next((i for i in content if i not in aside and _ANSWER_LABEL.match(lines[i][1].strip())),
                  None)
        if label_follows:
            at = first
        elif at is not None and not self.layout.labelled and any(
                i not in aside for i in content if i < at):
            at = None  # a label inside the answer's text, not in front of it
        if at is None and (self.layout.labelled or all(i in aside for i in content)):
            reason = ("not marked as an answer (the page labels its answers)"
                      if self.layout.labelled else "a hint or the options, not an answer")
            for i in content:
                doc.drop(lines[i][0], _aside_reason(i, options) if i in aside else reason)
            return [], False
        lettered = {_OPTION.match(lines[i][1].strip()).group(1).casefold(): lines[i][1].strip()
                    for i in options}
        seen = set()  # what came before the label
        if at is not None:
            for i in content:
                if i < at:
                    doc.drop(lines[i][0], _aside_reason(i, options) if i in aside
                             else "between the question and its answer label")
                    seen.add(lines[i][1].strip())
            lines = lines[at:]
        else:
            for i in sorted(aside):
                doc.drop(lines[i][0], _aside_reason(i, options))
            lines = [line for i, line in enumerate(lines) if i not in aside]
        out = []
        for number, text in lines:
            stripped = text.strip()
            label = _ANSWER_LABEL.match(stripped)
            if stripped in seen:
                doc.drop(number, "repeated line")
                continue
            rest = stripped[label.end():].strip() if label else stripped
            if label and not rest:
                doc.mark([number], "label", "answer label")
                continue
            if label and stripped.startswith(("->", "=>", "→")):
                text = "- " + rest
            elif label and not out:
                text = rest
            if not out and (key := _OPTION_KEY.fullmatch(text.strip())):
                text = lettered.get(key.group(1).casefold(), text)  # "b" -> "b) HAVING"
            out.append((number, text))
        return out, at is not None


def _options(lines: list[tuple[int, str]]) -> set[int]:
    """Indexes of the lettered options of a multiple-choice question: a run of lines
    "a) ...", "b) ...", ... (or "A. ...", "(a) ...") in order from a, at least two."""
    found: set[int] = set()
    run: list[int] = []
    for index, (_, text) in enumerate(lines):
        text = text.strip()
        if not text:
            continue
        match = _OPTION.match(text)
        letter = match.group(1).casefold() if match else ""
        if letter and (ord(letter) == ord("a") + len(run)):
            run.append(index)
            continue
        if len(run) >= 2:
            found.update(run)
        run = [index] if letter == "a" else []
    if len(run) >= 2:
        found.update(run)
    return found


def _aside_reason(index: int, options: set[int]) -> str:
    return "an option of a multiple-choice question" if index in options else "a hint"


def _looks_like_code(line: str) -> bool:
    text = line.strip()
    return bool(_CODE_START.match(text) or _SQL_START.match(text)
                or text.endswith((";", "{", "}", ")", ":")) and not text.endswith(".)"))


def _cut_off(lines: list[tuple[int, str]]) -> bool:
    """The page's last answer, one line cut by the copy before a full sentence ended
    ("Use AVG(co"); a formula or a closed bracket ("= $2.47 (by induction)") is complete."""
    content = [t.strip() for _, t in lines if t.strip()]
    return (len(content) == 1 and not _SENTENCE_END.search(content[0])
            and not content[0].endswith((")", "]", "}", '"', "'", "%", "`"))
            and not content[0][-1:].isdigit())
