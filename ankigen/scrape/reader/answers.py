"""From the questions the pattern marks to records: each question's region of the page, cut
where a section starts, with its labels, options, hints, chrome and the page's closing
section set aside, and every line filed in the ledger with what became of it."""

from __future__ import annotations

import re

from ..document import AFTER_BREAK, UNDER_SECTION, SourceDoc
from ...lexicon.chrome import chrome_kind, chrome_name, chrome_reason, closes_page, names_chrome_section
from ...lexicon.marks import BULLET, BULLETS, FINISHED_LINE, OPENS_WITH_FENCE
from ...lexicon.questions import (
    QUESTION_LIST_LINES,
    answer_in_brackets,
    asks,
    question_key,
    reads_as_question,
    refers_to_code,
)
from ...lexicon.titles import is_heading_text, is_title_line, names_a_part
from .infer import Layout, section_level
from .lines import (
    CONTENTS,
    SECTION,
    FOLLOWUP,
    QUESTION_LABEL,
    TAG,
    Unit,
    answer_label,
    clean_question,
    html_cells,
    is_bare_label,
    is_content,
    is_label_only,
    is_markup,
    names_chrome,
)
from .rules import CONSISTENT_SHARE, RULES

LONG_ANSWER_CHARS = 120  # a page whose answers are mostly longer has headings between them
OPTION = re.compile(r"\(?([A-Ea-e])[.)]\s{1,4}\S")
_RULE_LINE = re.compile(r"(?:-{3,}|\*{3,}|_{3,})")
_OPTION_KEY = re.compile(r"(?i)(?:option\s)?\(?([a-e])[.)]?")  # "b", "(b)", "B.", "option c"
_HINT_ALONE = re.compile(r"(?i)\W{0,3}\s?hints?")
_HINT_BLOCK = re.compile(r"(?i)(?:<details>\s{0,3})?<summary>\W{0,6}hints?\b")
_HINT = re.compile(r"(?i)(?:[^\w\s]{1,3}\s?)?hints?\s?[:.\-–]|<summary>\W{0,3}hint")
EXTERNAL_LINK = re.compile(r"\]\(https?://")
TOC_LINK = re.compile(rf"(?:{BULLET}|\d{{1,4}}[.)])\s{{1,4}}\[[^\]]{{1,500}}\]\([^)\s]{{0,500}}\)")


class Reader:
    """Walks the page once, question by question, filing every line in the ledger."""

    def __init__(self, doc: SourceDoc, units: list[Unit], layout: Layout):
        self.doc, self.units, self.layout = doc, units, layout
        self.rule = RULES[layout.kind]
        self.section: str | None = None
        # headings at or above this level open sections: the rule's, or the levels the
        # page puts right above a question
        level = self.rule.sections_at(layout.style)
        self.section_level = section_level(units) if level is None else level
        self.long_answers = False  # most answers run over several lines (set in read)
        self.opening: Unit | None = None  # a lone title line above the first question
        self.asked: set[str] = set()  # the questions' keys: their entries in a contents list
        self.later_sections = False
        # each line's chrome verdict, judged once on reading, for the answers to leave out
        # (a line a broken copy glued of several pieces only when every piece is chrome)
        verdicts: dict[int, set[str | None]] = {}
        for unit in units:
            verdicts.setdefault(unit.lineno, set()).add(unit.chrome)
        doc.chrome = {n: next(iter(found)) for n, found in verdicts.items()
                      if len(found) == 1 and None not in found}

    def read(self, questions: list[int]) -> None:
        self.asked = {question_key(self.units[i].text) for i in questions}
        sizes = sorted(size for start, end in zip(questions, questions[1:] + [len(self.units)])
                       if (size := sum(len(u.raw) for u in self.units[start + 1:end]
                                       if is_content(u))))
        self.long_answers = bool(sizes) and sizes[len(sizes) // 2] >= LONG_ANSWER_CHARS
        self._between(self.units[:questions[0]] if questions else self.units, front=True)
        ends = questions[1:] + [len(self.units)]
        regions = [self._split_sections(self.units[start], self.units[start + 1:end],
                                        end < len(self.units))
                   for start, end in zip(questions, ends)]
        if not any(self.units[start].tail or any(map(is_content, answer))
                   for start, (answer, _) in zip(questions, regions)):
            self._answers_in_brackets(questions)
        # a notebook that keeps nearly every answer inside its question's Markdown cell
        in_own_cells = sum(_markdown_cell_at(answer) is None for answer, _ in regions) \
            >= CONSISTENT_SHARE * len(regions)
        for start, end, (answer, after) in zip(questions, ends, regions):
            cut = _markdown_cell_at(answer) if in_own_cells else None
            if cut is not None and not any(is_content(u) for u in answer[:cut]):
                cut = None  # a question alone in its cell: the next cell answers it
            self._record(self.units[start], answer[:cut], last=end == len(self.units))
            if cut is not None:
                self._cells_after_answer(answer[cut:])
            self._between(after, front=False)
        if self.opening is not None and (self.later_sections
                                         or self.opening.raw.rstrip().endswith(":")):
            self._open_with_section(self.opening)
        self._name_restarted_lists(questions)

    def _answers_in_brackets(self, questions: list[int]) -> None:
        """A list of questions with no answers under them may give a question its terse
        answer in brackets after it ("What is X? (Y, because Z)"): then the question is what
        comes before. Brackets that only note something (an instruction, a remark on the
        question, an acronym, a link) stay the question's own, which keeps no answer."""
        for index in questions:
            unit = self.units[index]
            if found := answer_in_brackets(unit.text):
                unit.text, unit.tail = found

    def _cells_after_answer(self, units: list[Unit]) -> None:
        """Markdown cells that open inside an answer, on a page that keeps each answer in its
        question's cell, are no part of it. A cell of one title or question line ("Eigen
        Vector vs Eigen Value") is a question the author left unanswered; the lines of other
        cells are set aside, with that reason."""
        cells: list[list[Unit]] = []
        for unit in units:
            if unit.opens_block or not cells:
                cells.append([])
            cells[-1].append(unit)
        for cell in cells:
            content = [u for u in cell if is_content(u)]
            line = content[0].raw.strip() if len(content) == 1 else ""
            if line and not content[0].code and (is_title_line(line) or reads_as_question(line)):
                self.doc.add(clean_question(line), content[0].lineno, [], section=self.section)
                continue
            for unit in content:
                self.doc.drop(unit.lineno, "a notebook cell after the answer's own (the page "
                              "keeps each answer in its question's cell)")

    def _open_with_section(self, unit: Unit) -> None:
        """A page whose only line before its first question looks like its later section
        lines ("SQL Basics" ... "Window Functions"), or ends in ":" as a line that introduces
        what follows ("Part 6 :"), opens with a section, not a title."""
        name = unit.raw.strip().strip("#*_ ").strip(" :")
        self.doc.mark([unit.lineno], "section")
        for record in self.doc.records:
            if record.section is None and record.q_line > unit.lineno:
                record.section = name

    def _name_restarted_lists(self, questions: list[int]) -> None:
        """Numbering that restarts at 1 with no section heading between starts a new list:
        where a section holds several, each is a section of its own ("Part 6, Set 2"). Only
        on a page of sets of questions, each of which asks and is answered: elsewhere a
        restart more likely follows a heading or a list the reader did not tell apart."""
        if not all(reads_as_question(self.units[i].text) for i in questions) \
                or not all(r.answer for r in self.doc.records if r.kind == "main"):
            return
        headings = iter(sorted(n for n, fate in self.doc.fates.items() if fate.role == "section"))
        heading = next(headings, None)
        lists_of: list[list[list[int]]] = []  # each section's lists of question lines
        previous: Unit | None = None
        for index in questions:
            unit = self.units[index]
            opened = heading is not None and heading < unit.lineno
            while heading is not None and heading < unit.lineno:
                heading = next(headings, None)
            if previous is None or opened:
                lists_of.append([[]])
            elif unit.ordinal == 1 and previous.ordinal is not None:
                lists_of[-1].append([])
            lists_of[-1][-1].append(unit.lineno)
            previous = unit
        labels = {line: f"Set {number}" for lists in lists_of if len(lists) > 1
                  for number, lines in enumerate(lists, start=1) for line in lines}
        label = None
        for record in self.doc.records:  # a follow-up comes right after its question
            if record.parent is None:
                label = labels.get(record.q_line)
            if label:
                record.section = f"{record.section}, {label}" if record.section else label

    def _between(self, units: list[Unit], front: bool) -> None:
        """What lies outside answers: before the first question, the page title and
        introduction (a short title line just above the question names its section);
        between answers, section headings and what they say. Headings such as "Contents"
        or "License" and what follows them are page chrome, like headings that link away."""
        for unit in units:
            if unit.id_line:
                self.doc.drop(unit.lineno, "question number")
            elif unit.unshown:
                self.doc.drop(unit.lineno, unit.unshown)
        content = [u for u in units if not u.blank and not u.id_line and not u.unshown]
        # text after the rule that ended an answer is the answer's appendix, not a part of
        # the page: as before the first question, only a title right above a question heads one
        appendix = not front and bool(content) and _is_break(content[0])
        chrome = None
        for position, unit in enumerate(content):
            line = unit.raw.strip()
            title = unit.heading or unit.verdict == SECTION or is_title_line(line)
            name = (unit.text or line.strip("#*_ ")).strip(" :")
            if unit.verdict == CONTENTS or question_key(
                    clean_question(line.lstrip(BULLETS))) in self.asked:
                self.doc.drop(unit.lineno, "table of contents entry")
                continue
            if title and names_chrome_section(name):
                chrome = name
            elif title and EXTERNAL_LINK.search(line):
                self.doc.drop(unit.lineno, "page chrome (a heading that links elsewhere)")
                continue
            elif unit.heading or unit.verdict == SECTION:
                chrome = None
            if chrome:
                self.doc.drop(unit.lineno, chrome_reason(line, f"page chrome (under {chrome})"))
            elif unit.marker_alone:
                self.doc.drop(unit.lineno, "question number")
            elif front and position == 0 and chrome_name(line):  # "Skip to content"
                self.doc.drop(unit.lineno, chrome_reason(line))
            elif front and position == 0 and unit.verdict != SECTION:
                self.doc.drop(unit.lineno, "page title")
                if len(content) == 1 and is_title_line(line):
                    self.opening = unit
            elif unit.heading or unit.verdict == SECTION or (
                    title and (not (front or appendix) or unit is content[-1])):
                self.section = name or None
                self.doc.mark([unit.lineno], "section")
                self.later_sections = self.later_sections or not front
            elif TOC_LINK.fullmatch(line):
                self.doc.drop(unit.lineno, "table of contents entry")
            elif is_markup(line):
                self.doc.drop(unit.lineno, "page markup")
            elif unit.chrome:
                self.doc.drop(unit.lineno, chrome_reason(line))
            else:
                self.doc.drop(unit.lineno, "page introduction" if front
                              else AFTER_BREAK if appendix else UNDER_SECTION)

    def _split_sections(self, question: Unit, region: list[Unit],
                        more: bool) -> tuple[list[Unit], list[Unit]]:
        """The answer's part of a region, and what follows it: from a section heading (or a
        heading such as "Resources" or "License") on, or a line naming a part of the page
        just before the next question."""
        for position, unit in enumerate(region):
            if unit.verdict == SECTION or (unit.heading and unit.heading <= self.section_level
                                          and not unit.id_line) or names_chrome(unit) and not unit.code:
                return region[:position], region[position:]
            if self.rule.closes_region(unit):
                return region[:position + 1], region[position + 1:]
            if more and _is_break(unit) and any(map(is_content, region[position + 1:])):
                return region[:position], region[position:]  # text after a rule answers nothing
        content = [i for i, u in enumerate(region) if is_content(u)]
        if not more or not content or content[-1] != max(
                (i for i, u in enumerate(region) if not u.blank), default=-1):
            return region, []
        last = content[-1]
        unit, text = region[last], region[last].raw.strip()
        previous = region[content[-2]] if len(content) > 1 else next(
            (u for u in reversed(region[:last]) if not u.blank), None)
        if unit.code or previous is not None and is_bare_label(previous.raw):
            return region, []  # what follows a bare "A." label is the answer, however short
        if len(content) == 1:
            # alone under a question: a heading where the page's answers are longer or the
            # question carries its answer on its own line; but a plain line right under a
            # Markdown heading is that heading's text (the page writes its parts as headings)
            under_heading = question.heading and last == 0
            heading = names_a_part(text) or (self.long_answers or question.tail) \
                and not under_heading and is_heading_text(text, True)
        else:
            ended = region[content[-2]].raw.rstrip().endswith(FINISHED_LINE)
            set_apart = region[last - 1].blank
            heading = unit.heading and unit.heading <= self.section_level or names_a_part(text) \
                or ended and is_heading_text(text, set_apart)
        return (region[:last], region[last:]) if heading else (region, [])

    def _record(self, question: Unit, region: list[Unit], last: bool) -> None:
        if (asked := _asked_under_title(question, region)) is not None:
            self.doc.mark([question.lineno], "label", "the question's title")
            question, region = region[asked], region[asked + 1:]
            question.text = clean_question(question.raw)
        followups: list[tuple[Unit, int]] = []
        for position, unit in enumerate(region):
            line = _followup_text(unit.raw)
            if (match := FOLLOWUP.match(line)) and reads_as_question(line[match.end():]):
                followups.append((unit, position))
        content = [(unit, position) for position, unit in enumerate(region) if is_content(unit)]
        if not followups and len(content) >= 1 and all(
                asks(unit.raw.strip().lstrip(BULLETS).strip()) for unit, _ in content):
            followups = content  # sub-questions under the question, none answered
        listed = [] if followups else _question_list(content)
        cut = followups[0][1] if followups else listed[0] if listed else len(region)
        answer, labelled = self._answer(question, region[:cut], last and cut == len(region))
        shown, answer = self._code_asked_about(question, answer)
        record = self.doc.add(question.text + shown, question.lineno, answer,
                              section=self.section, labelled=labelled)
        for (unit, position), following in zip(followups, followups[1:] + [(None, len(region))]):
            line = _followup_text(unit.raw)
            label = FOLLOWUP.match(line)
            text = clean_question(line[label.end():] if label else line)
            answer, labelled = self._answer(Unit(unit.lineno, ""),
                                            region[position + 1:following[1]],
                                            last and following[0] is None)
            self.doc.add(text, unit.lineno, answer, section=self.section, parent=record,
                         labelled=labelled)
        for start, end in zip(listed, listed[1:] + [len(region)]):
            self._listed_question(region[start], region[start + 1:end], last and end == len(region))

    def _listed_question(self, question: Unit, region: list[Unit], last: bool) -> None:
        """A question of a list the page goes on with under one it leaves unanswered: its
        answer is on its line or under it, up to a sibling item of its list that is no whole
        question ("- Agent skills? see example.com"), which answers nothing above it."""
        own_item = _item_mark(question.raw)
        end = next((i for i, unit in enumerate(region) if own_item and is_content(unit)
                    and _item_mark(unit.raw) == own_item), len(region))
        for unit in region[end:]:
            if is_content(unit):
                self.doc.drop(unit.lineno, "an item of a list of questions, itself no whole question")
        answer, labelled = self._answer(question, region[:end], last and end == len(region))
        self.doc.add(question.text, question.lineno, answer, section=self.section,
                     labelled=labelled)

    def _answer(self, question: Unit, region: list[Unit],
                last: bool) -> tuple[list[tuple[int, str]], bool]:
        """The answer's (line, text) pairs, with labels, markup and chrome set aside, and
        whether the page labelled it as the answer."""
        doc = self.doc
        lines: list[tuple[int, str]] = []
        if question.tail:  # the answer on the question's line: judged apart from the question
            lines.append((question.lineno, question.tail))
            if verdict := chrome_kind(question.tail):
                doc.chrome[question.lineno] = verdict
        closed = in_hint = False
        for unit in region:
            line = unit.raw.strip()
            # the last answer ends at the page's closing section, or a rule before its footer
            closed = closed or (last and (_is_break(unit) or not unit.code and closes_page(line)))
            if question.quoted and line.startswith(">"):  # "> **A:** ..." then "> more"
                line = line[1:].strip()
                if not line:
                    lines.append((unit.lineno, ""))
                    continue
            if in_hint or _HINT_BLOCK.match(line):  # <details><summary>Hint</summary> ...
                in_hint = "</details>" not in line.casefold()
                if line:
                    doc.drop(unit.lineno, "a hint")
            elif unit.blank:
                lines.append((unit.lineno, ""))
            elif unit.continues:
                doc.mark([unit.lineno], "question", "question continued")
            elif unit.running:
                doc.drop(unit.lineno, "a running header or footer")
            elif unit.unshown:
                doc.drop(unit.lineno, unit.unshown)
            elif closed:
                doc.drop(unit.lineno, "the page's closing section")
            elif unit.id_line or unit.marker_alone:
                doc.drop(unit.lineno, "question number")
            elif unit.setext_rule or (is_markup(line) and not unit.code  # code keeps its lines
                                      and not _rule_of_table(line, lines)):
                doc.drop(unit.lineno, "page markup")
            elif "<summary" in line.lower() and not TAG.sub("", line).strip(" :"):
                doc.drop(unit.lineno, "page markup")
            elif "<summary" in line.lower() and is_label_only(TAG.sub("", line)):
                doc.mark([unit.lineno], "label", "answer label")
            elif QUESTION_LABEL.fullmatch(line):
                doc.drop(unit.lineno, "question label without a question (cut by the copy)")
            else:
                text = unit.raw if unit.code else unit.raw.rstrip()
                if question.quoted:
                    text = line
                if "<td" in line.lower() or "<th" in line.lower():
                    cells = html_cells(line)
                    text = "| " + " | ".join(cells) + " |" if len(cells) > 1 else " ".join(cells)
                if text.lstrip().startswith(": "):  # a definition list's definition
                    text = text.lstrip()[2:]
                text, dropped = self.rule.answer_line(text)
                if dropped:
                    doc.drop(unit.lineno, dropped)
                    continue
                lines.append((unit.lineno, text))
        lines = _dedented(lines)
        fences = sum(1 for u in region if OPENS_WITH_FENCE.match(u.raw))
        if refers_to_code(question.text) and fences < 4 and all(  # (a second block answers)
                u.code or _looks_like_code(u.raw) or OPTION.match(u.raw.strip())
                for u in region if is_content(u)):
            for number, text in lines:  # "What does the following query return?" + query
                if text.strip():
                    doc.drop(number, "the question's own code or options, with no answer")
            return [], False
        lines, labelled = self._from_label(lines, question.label_follows)
        return lines, labelled

    def _code_asked_about(self, question: Unit, answer: list[tuple[int, str]]
                          ) -> tuple[str, list[tuple[int, str]]]:
        """The code a question points at ("What does this print?" then a code block) belongs
        on the front with it, where the learner can read what is asked; the answer is what
        follows the code. Returns the code as Markdown to add to the question, and the rest."""
        content = [i for i, (_, text) in enumerate(answer) if text.strip()]
        if not content or not refers_to_code(question.text):
            return "", answer
        start = content[0]
        if OPENS_WITH_FENCE.match(answer[start][1]):
            end = next((i for i in content[1:] if OPENS_WITH_FENCE.match(answer[i][1])), None)
        else:
            end = start
            while end + 1 < len(answer) and _looks_like_code(answer[end + 1][1]):
                end += 1
            end = end if _looks_like_code(answer[start][1]) else None
        rest = [i for i in content if end is not None and i > end]
        if end is None or not rest:
            return "", answer
        code = answer[start:end + 1]
        self.doc.mark([n for n, text in code if text.strip()], "question",
                      "the code the question asks about")
        after = answer[end + 1:]
        if _same_lines(code, after):  # the page's "solution" shows the question's code again
            for number, text in after:
                if text.strip():
                    self.doc.drop(number, "no real answer (the question's code again)")
            after = []
        return "\n\n" + "\n".join(text for _, text in code), after

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
        aside = options | {i for i, (_, t) in enumerate(lines)
                           if _HINT.match(t.strip()) or _HINT.match(answer_label(t) or "")}
        for i, (_, t) in enumerate(lines):  # a "Hint" line alone heads the paragraph after it
            if _HINT_ALONE.fullmatch(t.strip()):
                following = next((j for j in range(i + 1, len(lines)) if lines[j][1].strip()), None)
                aside.add(i)
                if following is not None and answer_label(lines[following][1]) is None:
                    aside.add(following)  # a hint with nothing to say ends at the answer's label
        labels = [i for i, (_, t) in enumerate(lines) if answer_label(t) is not None]
        if labels:  # code between the question and its label is the question's own
            aside |= {i for i, (_, t) in enumerate(lines[:labels[0]]) if _looks_like_code(t)}
        content = [i for i, (_, t) in enumerate(lines) if t.strip()]
        if not content:
            return lines, False
        first = content[0]
        at = next((i for i in content if i not in aside and answer_label(lines[i][1]) is not None),
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
        lettered = {OPTION.match(lines[i][1].strip()).group(1).casefold(): lines[i][1].strip()
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
        in_code = False
        for number, text in lines:
            stripped = text.strip()
            if OPENS_WITH_FENCE.match(stripped) or in_code:  # code is the answer's as it stands
                in_code = in_code != bool(OPENS_WITH_FENCE.match(stripped))
                out.append((number, text))
                continue
            rest = answer_label(stripped)
            if stripped in seen:
                doc.drop(number, "repeated line")
                continue
            if rest == "":
                doc.mark([number], "label", "answer label")
                continue
            if rest is not None and stripped.startswith(("->", "=>", "→")):
                text = "- " + rest
            elif rest is not None and not out:
                text = rest
            if not out and (key := _OPTION_KEY.fullmatch(text.strip())):
                text = lettered.get(key.group(1).casefold(), text)  # "b" -> "b) HAVING"
            out.append((number, text))
        return out, at is not None


def _same_lines(first: list[tuple[int, str]], second: list[tuple[int, str]]) -> bool:
    return [t.strip() for _, t in first if t.strip()] == [t.strip() for _, t in second if t.strip()]


def _question_list(content: list[tuple[Unit, int]]) -> list[int]:
    """Where a region opens with a run of questions, items of one list, the first of which
    asks (a page's list of questions going on in another form under one it leaves
    unanswered, not the steps "Find ...", "Define ..." of an answer), the positions of that
    list's question lines: each is a question of its own."""
    opening = [unit for unit, _ in content[:QUESTION_LIST_LINES]]
    item = _item_mark(opening[0].raw) if opening else ""
    if len(opening) < QUESTION_LIST_LINES or not asks(opening[0].text) or not all(
            unit.kind == "bare" and _item_mark(unit.raw) == item for unit in opening):
        return []
    return [position for unit, position in content
            if unit.kind == "bare" and _item_mark(unit.raw) == item]


def _item_mark(line: str) -> str:
    """A list item's indentation and bullet ("  - "), or "" for a line that is no bullet item."""
    body = line.lstrip()
    return line[:len(line) - len(body)] + body[0] if body[:1] in BULLETS and body[1:2] == " " else ""


def _markdown_cell_at(region: list[Unit]) -> int | None:
    """Where the first Markdown cell that opens in a region starts (a code cell's fence is
    code: an answer's code may stand in cells of its own)."""
    return next((i for i, u in enumerate(region) if u.opens_block and not u.code), None)


def _asked_under_title(question: Unit, region: list[Unit]) -> int | None:
    """Where a question heading only titles what it asks ("Q5.2) More on Poisson") and
    the page sets the question itself apart in emphasis right under it ("*At a busy
    crossing, ... in 3 minutes?*"), with the answer after: that line's place in the region."""
    if not question.heading or reads_as_question(question.text):
        return None
    content = [i for i, unit in enumerate(region) if is_content(unit)]
    if len(content) < 2:
        return None
    first = region[content[0]]
    line = first.raw.strip()
    emphasized = len(line) > 2 and line[0] == line[-1] and line[0] in "*_" and line[1] != " "
    return content[0] if emphasized and not first.code and asks(line) else None


def _is_break(unit: Unit) -> bool:
    """A thematic break ("---", "***"): not code, nor the underline of a setext heading."""
    return not unit.code and not unit.setext_rule and bool(_RULE_LINE.fullmatch(unit.raw.strip()))


def _rule_of_table(line: str, lines: list[tuple[int, str]]) -> bool:
    """"|---|---|" under an answer's table row is that table's rule, not page markup."""
    return line.startswith("|") and bool(lines) and lines[-1][1].lstrip().startswith("|")


def _followup_text(line: str) -> str:
    """A line as a follow-up reads, without bullet and emphasis ("- **Follow-up: ...?**")."""
    return line.strip().lstrip(BULLETS).strip().strip("*_").strip()


def _options(lines: list[tuple[int, str]]) -> set[int]:
    """Indexes of the lettered options of a multiple-choice question: a run of lines
    "a) ...", "b) ...", ... (or "A. ...", "(a) ...") in order from a, at least two."""
    found: set[int] = set()
    run: list[int] = []
    for index, (_, text) in enumerate(lines):
        text = text.strip()
        if not text:
            continue
        match = OPTION.match(text)
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
    return "an option of a multiple-choice question" if index in options else "a hint or code"


def _dedented(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """An answer indented as a whole under its question ("**1.** Q" then four-space
    paragraphs) is prose, not a code block, unless its lines read as code."""
    content = [t for _, t in lines if t.strip()]
    indent = min((len(t) - len(t.lstrip()) for t in content), default=0)
    if indent < 4 or any(_looks_like_code(t) for t in content):
        return lines
    return [(n, t[indent:]) for n, t in lines]


def _looks_like_code(line: str) -> bool:
    from ...lexicon.code import is_code_line

    return is_code_line(line)
