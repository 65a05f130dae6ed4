"""What a parser works on (the source's lines) and the ledger of what became of each line."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Iterable

from ..asking import asking_key, identity_key, leans_on_section
from ..record import NO_ANSWER, Record
from ..lexicon.marks import (BULLETS, ENDS_SENTENCE, FINISHED_LINE, LINK_DEFINITION, LIST_ITEM,
                             is_bare_bullet)
from ..lexicon.chrome import chrome_reason
from ..lexicon.code import is_code_line
from ..lexicon.questions import only_asks
from ..lexicon.stubs import is_fragment, is_paywall, is_stub, only_links, split_stub
from ..lexicon.titles import is_short_label, is_title_line
from ..lexicon.words import SUMMARY_OPENING, ends_open, is_unfinished_sentence
from .repair import (REPEAT_WINDOW, is_bare_link, is_doubled, is_flattening_repeat,
                     is_repository_home, link_definitions, resolve_references, tidy_answer)


# the reason on an answer line that reads like one of the page's questions but was kept in
# the answer: the build names such lines, so none vanishes into an answer unseen
POSSIBLE_QUESTION = "possible question, kept in the answer"
# the reason on text between a section heading and the next question: no card holds it
UNDER_SECTION = "text under a section heading"
AFTER_BREAK = "text after the rule that ends an answer"
MAX_LINES_NAMED = 5


@dataclass
class LineFate:
    role: str  # question | answer | label | section | dropped
    record: str | None = None
    reason: str | None = None


@dataclass
class SourceDoc:
    """A source's lines plus the record factory and ledger every parser shares."""

    path: str
    slug: str
    lines: list[str]
    records: list[Record] = field(default_factory=list)
    fates: dict[int, LineFate] = field(default_factory=dict)  # keyed by 1-based line number
    # the page-chrome verdict ("skip" or "end", of lexicon.chrome.chrome_kind) of each line the
    # parser judged: answers leave those lines out. The reader judges a page copied from the
    # web; the seed layouts' own files hold no menus, ads or footers and file none.
    chrome: dict[int, str] = field(default_factory=dict)
    block_starts: frozenset[int] = frozenset()  # where the source starts a block (a notebook's cell)
    _ids: set[str] = field(default_factory=set)
    _copies: dict[str, int] = field(default_factory=dict)  # how often each id base was given
    _definitions: dict[str, str] | None = None  # the page's link reference definitions

    @property
    def definitions(self) -> dict[str, str]:
        if self._definitions is None:
            self._definitions = link_definitions(self.lines)
        return self._definitions

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    def mark(self, numbers: Iterable[int], role: str, reason: str | None = None,
             record: str | None = None) -> None:
        for n in numbers:
            self.fates[n] = LineFate(role, record, reason)

    def drop(self, number: int, reason: str) -> None:
        self.mark([number], "dropped", reason)

    def add(self, question: str, q_line: int, answer: list[tuple[int, str]],
            section: str | None = None, parent: Record | None = None,
            followup: bool = False, extra: str = "", skip: str | None = None,
            labelled: bool = False) -> Record:
        """Make a record from a question and its (line number, text) answer lines.

        A follow-up normally has its ``parent``; one whose parent question the page lost
        is still a follow-up (``followup=True``) with no parent. An answer the page
        ``labelled`` as one ("A. Zero") is kept however short.
        """
        # a question's identity is its wording, never its place; one a page asks in several
        # sections, leaning on each, is told apart by section once the page is read
        # (_tell_apart_by_section), so reordering a page moves no identity to another question
        digest = hashlib.sha1(identity_key(question).encode()).hexdigest()[:10]
        record_id = self._new_id(f"{parent.id}/{digest}" if parent else f"{self.slug}:{digest}")
        answer, walled = self._drop_noise(answer)
        content = [n for n, t in answer if t.strip() and not is_bare_bullet(t)]
        last = max(content, default=None)
        kept = [(n, t) for n, t in answer if last is None or n <= last]
        self._drop_closing_stub(kept)
        # bare "-" lines after the last item separate blocks; they are not content
        self.mark([n for n, t in answer if (last is None or n > last) and t.strip()],
                  "dropped", "bare '-' separator")
        text = resolve_references(tidy_answer(t for _, t in kept), self.definitions)
        numbers = [n for n, t in kept if t.strip()]
        if text and (emptied := _no_real_answer(text, kept, walled, labelled)):
            # the report says what the page put where the answer should be
            self.mark(numbers, "dropped", emptied if walled else f"no real answer ({emptied})")
            text, numbers, skip = "", [], skip or f"{NO_ANSWER}: {emptied}"
        record = Record(
            id=record_id, source=self.path, kind="followup" if parent or followup else "main",
            question=resolve_references(question.strip(), self.definitions), answer=text, parent=parent.id if parent else None,
            section=section, q_line=q_line,
            answer_lines=[min(numbers), max(numbers)] if text else [],
            context=parent.question if parent else "", extra=extra, skip=skip)
        if text:
            self.mark(numbers, "answer", record=record_id)
        # after the answer: a line that holds the question and its answer is the question's
        self.mark([q_line], "question", record=record_id)
        self.records.append(record)
        return record

    def _drop_closing_stub(self, kept: list[tuple[int, str]]) -> None:
        """A paywall stub after a real answer ("... lower is better. To read the full answer,
        sign up ..."): its sentences at the end of the answer's last line, or that line when
        it is all stub, are no part of the answer."""
        content = [i for i, (_, text) in enumerate(kept) if text.strip()]
        if not content:
            return
        number, text = kept[content[-1]]
        head, stub = split_stub(text.rstrip())
        if stub and not is_paywall(head):
            kept[content[-1]] = (number, head)
        elif len(content) > 1 and is_paywall(text):
            self.drop(number, "a paywall stub after the answer")
            del kept[content[-1]]

    def _new_id(self, base: str) -> str:
        """``base``, or for the same question again "~2", "~3": counted per question so that
        a page repeating one question many times stays linear."""
        n = self._copies.get(base, 0) + 1
        record_id = base if n == 1 else f"{base}~{n}"
        while record_id in self._ids:
            n += 1
            record_id = f"{base}~{n}"
        self._copies[base] = n
        self._ids.add(record_id)
        return record_id

    def _drop_noise(self, answer: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], bool]:
        """Leave out (and account for) what the scrape added to an answer: the page's chrome
        ("View answer", and from "Related posts" or a footer on), a line repeated by list
        flattening, a formula copied twice, a bare link to the page's repository. Also say
        whether chrome cut the answer off mid-sentence ("First, make sure retrieval" then
        "Create an account to read the full story"): such an answer is not whole."""
        walled = False
        gutter = _code_gutter(answer)
        kept: list[tuple[int, str]] = []
        recent: list[str] = []
        previous = ""
        ended = False
        for number, text in answer:
            line = text.strip()
            reason = None
            chrome = self.chrome.get(number) if line else None
            if ended or chrome:
                # an END line ("Related posts") takes the rest with it
                reason = chrome_reason(line) if chrome else "page chrome"
                if chrome == "end" and not ended:
                    self._drop_promo_headline(kept)
                    last = next((t for _, t in reversed(kept) if t.strip()), "")
                    walled = is_unfinished_sentence(last)
                ended = ended or chrome == "end"
            elif line in recent[-REPEAT_WINDOW:] and is_flattening_repeat(line):
                reason = "repeated line"
            elif is_doubled(line, previous):
                reason = "text copied twice by the scrape"
            elif is_bare_link(line) and not self._link_in_list(line, previous):
                reason = "stray link"
            elif number in gutter:
                reason = "line numbers of a code widget"
            elif LINK_DEFINITION.match(line):
                reason = "link reference definition (its links are written out)"
            if reason:
                if line:
                    self.drop(number, reason)
                continue
            kept.append((number, text))
            if line:
                recent.append(line)
                previous = line
        self._drop_stray_lead_ins(kept)
        return kept, walled

    @staticmethod
    def _link_in_list(line: str, previous: str) -> bool:
        """A link alone on an item of the answer's list is one of its points ("- https://
        en.wikipedia.org/wiki/Dynamic_time_warping"), unless it is a repository's home (the
        page's own, linked after an answer)."""
        return bool(LIST_ITEM.match(line) and LIST_ITEM.match(previous)
                    and not is_repository_home(line))

    def _drop_promo_headline(self, kept: list[tuple[int, str]]) -> None:
        """The headline lines just above a call to action ("Become a Data Scientist" /
        "Download Brochure") belong to the advertisement, not to the answer above it."""
        while kept and (not kept[-1][1].strip() or is_title_line(kept[-1][1])):
            number, text = kept.pop()
            if text.strip():
                self.drop(number, "page chrome")

    def _drop_stray_lead_ins(self, kept: list[tuple[int, str]]) -> None:
        """List flattening repeats lead-ins ("Pros:", "Background:", "load the weights using")
        where they lead nowhere: before the answer's closing summary or another lead-in, or
        at its very end (with any other repeated lines there). The card would show a
        heading with nothing under it."""
        content = [i for i, (_, text) in enumerate(kept)
                   if text.strip() and not is_bare_bullet(text)]
        texts = [_item_text(kept[i][1]) for i in content]
        if len(set(texts)) == len(texts) and not any(map(_BULLET_AFTER_FORMULA.search, texts)):
            return  # nothing said twice (nor glued after a formula): no repeat to look for
        first_seen: dict[str, int] = {}  # text -> position of its first line
        lead_in, lead_in_at = None, 0  # the latest lead-in, and where
        stray: set[int] = set()
        for position, (index, text) in enumerate(zip(content, texts)):
            following = texts[position + 1] if position + 1 < len(content) else None
            if text in first_seen and _leads_in(text) and (
                    following is None or _leads_in(following, short_label=True)
                    or SUMMARY_OPENING.match(following)  # a copy before the closing summary
                    # "where," / "- Mean" / "- Variance" / "where,": its own items in between
                    or text == lead_in and position - lead_in_at <= REPEAT_WINDOW):
                stray.add(index)
                continue
            for piece in _BULLET_AFTER_FORMULA.split(text):  # "\\[ f \\]- where,": "where," was seen
                first_seen.setdefault(piece, position)
                if _leads_in(piece, short_label=True):  # a heading starts a new block too
                    lead_in, lead_in_at = piece, position
        ending = [(position, index) for position, index in enumerate(content)
                  if index not in stray]
        while len(ending) > 1 and _leads_in(last := texts[ending[-1][0]], short_label=True) \
                and first_seen.get(last, len(content)) < ending[-1][0]:
            stray.add(ending.pop()[1])  # the page's closing repeats of lead-ins above
        for index in stray:
            self.drop(kept[index][0], "lead-in repeated where it leads nowhere")
        kept[:] = [line for index, line in enumerate(kept) if index not in stray]

    def _tell_apart_by_section(self) -> None:
        """A question the page asks under several sections and that leans on each ("What are
        the advantages?" under "CNN" and under "RNN") is a question of its section: its id
        (and its follow-ups') comes from both, so moving a section moves its identities."""
        keys = [identity_key(r.question) if r.kind == "main" else "" for r in self.records]
        sections: dict[str, set[str | None]] = {}
        for record, key in zip(self.records, keys):
            if record.kind == "main":
                sections.setdefault(key, set()).add(record.section)
        renamed: dict[str, str] = {}
        for record, key in zip(self.records, keys):
            old = record.id
            if record.parent in renamed:  # a follow-up: "<parent id>/<digest>"
                tail = old[len(record.parent):].split("~")[0]
                record.parent = renamed[record.parent]
                record.id = self._new_id(record.parent + tail)
            elif record.kind == "main" and len(sections[key]) > 1 \
                    and leans_on_section(record.question):
                digest = hashlib.sha1(asking_key(record.question, record.section).encode())
                record.id = self._new_id(f"{self.slug}:{digest.hexdigest()[:10]}")
            if record.id != old:
                renamed[old] = record.id
        if renamed:
            for fate in self.fates.values():
                fate.record = renamed.get(fate.record, fate.record)

    def merge_repeated_questions(self) -> None:
        """One note per question in a deck: the same question asked again further down the
        page gives its answer to the first asking (after a rule), and its follow-ups too.
        A question that leans on its section is the same question only in the same section."""
        self._tell_apart_by_section()
        first: dict[str, Record] = {}
        joined: dict[str, Record] = {}  # id of a repeat -> the record it joined
        answers: dict[str, list[str]] = {}  # a joined record's answers, put together at the end
        kept: list[Record] = []
        for record in self.records:
            if record.parent in joined:
                record.parent = joined[record.parent].id
            original = first.setdefault(asking_key(record.question, record.section), record) if (
                record.kind == "main") else record
            if original is record:
                kept.append(record)
                continue
            joined[record.id] = original
            first_line, last_line = record.answer_lines or (record.q_line, record.q_line)
            for number in {record.q_line, *range(first_line, last_line + 1)}:
                fate = self.fates.get(number)
                if fate is not None and fate.record == record.id:
                    fate.record = original.id  # the ledger follows the answer
            given = answers.setdefault(original.id, [original.answer] if original.answer else [])
            if not record.answer or record.answer in given[:1]:
                continue
            if not given:
                original.answer_lines, original.skip = record.answer_lines, record.skip
            given.append(record.answer)
            original.changes.append(f"the same question again at line {record.q_line}: "
                                    "its answer added after a rule")
        for record in kept:
            if answers.get(record.id):
                record.answer = "\n\n---\n\n".join(answers[record.id])
        self.records = kept

    def trim_cut_off_end(self) -> None:
        """A copy cut short ends mid-sentence ("... a test of which color button"): the last
        answer of the page keeps its complete sentences, and says so; with none left, the
        question has no answer. Lines left out whole are dropped in the ledger with why."""
        record = self.records[-1] if self.records else None
        last_line = max((n for n, t in enumerate(self.lines, start=1) if t.strip()), default=0)
        if record is None or not record.answer_lines or record.answer_lines[1] != last_line:
            return
        answer = record.answer.rstrip()
        final = answer.rpartition("\n")[2]
        if LIST_ITEM.match(final) or not self._cut_by_the_copy(answer, final):
            return
        ends = [m.end() for m in ENDS_SENTENCE.finditer(answer)]
        kept = answer[:ends[-1]].rstrip() if ends else ""
        first = record.answer_lines[0]
        lines = [n for n in range(first, last_line + 1) if self.lines[n - 1].strip()]
        # the lines left out whole: those after the one the last sentence ends on
        left_out = sum(1 for part in answer[len(kept):].split("\n")[1:] if part.strip()) \
            if kept else len(lines)
        self.mark(lines[len(lines) - left_out:], "dropped",
                  "cut off by the copy before a full sentence")
        record.answer = kept
        kept_lines = lines[:len(lines) - left_out]
        record.answer_lines = [first, kept_lines[-1]] if kept and kept_lines else []
        if kept:
            record.changes.append(f"answer: the page ends mid-sentence at line {last_line}; "
                                  "cut back to its last complete sentence")

    def _cut_by_the_copy(self, answer: str, final: str) -> bool:
        """Whether the page's last answer stops where the copy cut it: a long line of prose
        that stops mid-sentence, or, on a page whose answers end as sentences do, a one-line
        answer that ends none ("Use AVG(co"; "= $2.47 (by induction)" or "42" are whole)."""
        if len(final.split()) >= MIN_CUT_WORDS and is_unfinished_sentence(final):
            return True
        others = [r.answer for r in self.records[:-1] if r.answer]
        return ("\n" not in answer and not ENDS_SENTENCE.search(answer)
                and not answer.endswith(FINISHED_LINE + ("]", "}", "'", "%"))
                and not answer[-1:].isdigit()
                and sum(a.rstrip().endswith(FINISHED_LINE) for a in others) >= 0.5 * len(others))

    def unseen_lines_warnings(self) -> list[str]:
        """One line for each kind of text the page shows that became no card of its own and
        that a maintainer may want as one: answer lines that read like the page's questions,
        and text under a section heading or after an answer's closing rule that no question
        of the page's pattern heads."""
        warnings = []
        for reason, what in ((POSSIBLE_QUESTION, "read like questions but were kept in the "
                              "answer above them"),
                             (UNDER_SECTION, "of text under a section heading made no card"),
                             (AFTER_BREAK, "of text after a rule (---) that ends an answer made "
                              "no card")):
            lines = sorted(n for n, fate in self.fates.items() if fate.reason == reason)
            if lines:
                more = " and more" if len(lines) > MAX_LINES_NAMED else ""
                warnings.append(f"line {', '.join(map(str, lines[:MAX_LINES_NAMED]))}{more}: "
                                f"{len(lines)} line(s) {what}: if one is a question of its "
                                "own, mark it as the page marks its questions")
        return warnings

    def unplaced(self) -> list[int]:
        """Non-blank lines no parser rule claimed: what a maintainer should look at."""
        return [n for n, text in enumerate(self.lines, start=1)
                if text.strip() and n not in self.fates]


MIN_CUT_WORDS = 8  # a last line this long that stops mid-sentence was cut by the copy
_CALL_OPENING = re.compile(r"\w\(")
# a display formula the copy glued to the next bullet: "\\[ f \\]- where,"
_BULLET_AFTER_FORMULA = re.compile(r"(?<=\\\]|\$\$)\s*-\s+")


def _no_real_answer(text: str, kept: list[tuple[int, str]], walled: bool,
                    labelled: bool) -> str | None:
    """What an answer's text is instead of an answer, if it is none."""
    if walled:
        return "cut off by the page (the rest is behind a wall)"
    if is_stub(text):
        return "a placeholder or a paywall stub"
    if not labelled and (is_fragment(text) and not _one_item(kept) or only_links(text)):
        return "a fragment or only links"
    return "only more questions" if only_asks(text) else None


def _leads_in(text: str, short_label: bool = False) -> bool:
    """A line that introduces what follows: a label ("Background:", "where,"; with
    ``short_label`` also one without a colon, "Quantization") or a sentence the copy cut off
    before its inline code ("load the model weights using")."""
    if any(c in text for c in "={}[]`") or _CALL_OPENING.search(text):
        return False  # "def f(x):" and fences are code; "Rotary Encoding (RoPE)" is not
    return (text.endswith((":", ",")) or is_unfinished_sentence(text) and ends_open(text)
            or short_label and is_short_label(text))


def _item_text(line: str) -> str:
    """A line without its bullets: flattening may repeat "- Pros:" as "- - Pros:"."""
    return line.strip().lstrip(BULLETS + " ")


def _code_gutter(answer: list[tuple[int, str]]) -> set[int]:
    """The lines of a code widget's gutter copied with its code: the numbers 1, 2, 3 ... one a
    line or all on one line ("1 2 3 4"), right before a line of code. Numbers before prose
    are the page's own."""
    gutter: set[int] = set()
    run: list[int] = []  # the current run's lines
    expected = 1
    for number, text in answer:
        line = text.strip()
        if not line:
            continue
        numbers = line.split()
        # decimal, not isdigit: '²' is a digit that int() cannot read
        if all(n.isdecimal() for n in numbers) and \
                [int(n) for n in numbers] == list(range(expected, expected + len(numbers))):
            run.append(number)
            expected += len(numbers)
            continue
        if expected > 2 and is_code_line(line):
            gutter.update(run)
        run, expected = [], 1
    return gutter


def _one_item(answer: list[tuple[int, str]]) -> bool:
    """An answer the page wrote as one list item ("- recursive"): a word set down as a point
    is the whole answer, not a sentence a copy cut short."""
    lines = [t for _, t in answer if t.strip()]
    return len(lines) == 1 and bool(LIST_ITEM.match(lines[0]))
