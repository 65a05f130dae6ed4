"""Stage 2: repair what scraping did to the text, and say what was changed.

The text repairs that need no page structure (the scrape's own, of an answer's lines as the
page laid them out, are ``scrape.repair``; what render does to show scraped forms as Markdown
is ``render.forms``). In every text field, the characters (``normalize_text``):

- encoding damage (mojibake such as "â€™") is repaired by ftfy, which only changes what it
  is confident about; curly quotes and dashes stay the punctuation they are;
- Unicode "mathematical bold/italic" letters become plain letters, keeping the emphasis as
  Markdown (a question is a heading already, so there the emphasis is dropped);
- zero-width and bidi control characters are dropped (they reorder or hide text), as are
  C0 controls: "\\x1f" is genanki's field separator and "\\x02"/"\\x03" could forge the
  placeholders the renderer uses;
- text is NFC, as Anki stores it.

In an answer, the lines a browser copy broke (``repair_broken_lines``):

- a paragraph an editor hard-wrapped (filled to a width, and broken mid-sentence) is one
  line again: render keeps every other line break, as a line of a copied page is a line the
  page showed, so a wrap's soft breaks are joined here, all of them;
- inline code that a browser copy put on a line of its own ("using" / "mmap()" / "instead of
  ...") is joined back into its sentence, as code;
- a bullet the copy glued to a display formula ("\\]- where,") or whose "-" it left at the end
  of the line before ("... overhead. -" / "Over/under ...") starts its own line again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from .fields import ANSWER, CONTROLS, LABEL, NOTE_FIELDS, without_controls
from .lexicon.code import is_code_line
from .lexicon.marks import CLAUSE_END, LIST_ITEM, OPENS_WITH_FENCE, STOP
from .lexicon.words import ends_open
from .record import ATTRIBUTE_ORDER, Record

_FTFY_OPTIONS = dict(uncurl_quotes=False, fix_character_width=False, normalization="NFC",
                     explain=False)
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MATH_RANGE = (0x1D400, 0x1D7FF)
_MATH = "\U0001d400-\U0001d7ff"
_MATH_RUN = re.compile(f"[{_MATH}]+(?:[ \\-'’,:;.!?()/]+[{_MATH}]+)*")
_PLAIN = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(*_MATH_RANGE)
          if unicodedata.category(chr(cp)).startswith(("L", "N"))}

# in the order the record declares them, which orders the changes listed
_CLEANED = sorted((f for f in NOTE_FIELDS if f.clean),
                  key=lambda f: ATTRIBUTE_ORDER.index(f.attribute))
# A line cut off before an inline code span: it does not end a sentence, and it is a sentence
# so far (three words) or ends on a word that cannot end one.
MIN_SENTENCE_WORDS = 3  # "to separate different segments": the rest of a broken sentence
_SPLIT_SPAN = 40  # an inline code span is short: "set_seed(seed)", "MAP_SHARED", "FROM"
_TAIL = 40  # the end of a growing line its checks read: longer than any open-ended word
_CONTINUATION = re.compile(r"[a-z,.;:)’'!?]|-\S")  # "fixes the ...", ", and ...", "-specific"
_GLUED_PUNCTUATION = ",.;:)!?"
# what follows a span the copy ended a line with: ", summer", ". When", not ".env" or "!pip"
_AFTER_SPAN = re.compile(rf"[,;)]|(?:{STOP}|:)(?=\s|$)")
# the widths editors fill paragraphs to, in characters (72, 80, 100 ...); a copied page's
# lines run longer, and shorter lines are not filled
WRAP_WIDTHS = (40, 120)
# a line that starts a block of its own: indented, a heading, a quote, a table row, display math
_NOT_PROSE = re.compile(r"\s|[#>|]|\\\[|\$\$")
_LETTERED = re.compile(r"[a-z][.)]\s")  # "d) The regularisation ..." is an item of its own
# "\\[ f \\]- where,", "a nested list.- Lists are mutable": a bullet glued to what ends before it
# (not "Forget Gate:- It helps ...", a label and its text)
_GLUED_BULLET = re.compile(rf"(?<=\\\]|\$\$)- (?=\S)|(?<=[a-z]{STOP})- (?=[A-Z])")
_TRAILING_DASH = re.compile(rf"(?<={STOP}|:) -\n(?=[^\s-])")  # "... overhead. -" / "Over/under"


def _emphasis(run: str) -> str:
    name = unicodedata.name(run[0], "")
    if "BOLD" in name and "ITALIC" in name:
        return "***"
    if "BOLD" in name:
        return "**"
    return "*" if "ITALIC" in name else ""


def plain_math_letters(text: str, keep_emphasis: bool = True) -> tuple[str, int]:
    """Mathematical alphanumerics as plain letters; returns the text and how many changed."""
    count = 0

    def fix(match: re.Match) -> str:
        nonlocal count
        run = match.group(0)
        count += sum(1 for ch in run if ord(ch) in _PLAIN)
        plain = run.translate(_PLAIN)
        mark = _emphasis(run) if keep_emphasis else ""
        return f"{mark}{plain}{mark}"

    return _MATH_RUN.sub(fix, text), count


def normalize_text(text: str, heading: bool = False) -> tuple[str, list[str]]:
    """The repaired text and a list of what was changed (empty when nothing was)."""
    changes = []
    if text.isascii() and not CONTROLS.search(text):
        return text, changes  # nothing for any step below to change: the common case, fast
    stripped = without_controls(text)
    if stripped != text:
        changes.append(f"removed {len(text) - len(stripped)} control character(s)")
    visible = _INVISIBLE.sub("", stripped)
    if visible != stripped:
        changes.append(f"removed {len(stripped) - len(visible)} invisible/bidi character(s)")
    import ftfy  # only text that is not plain ASCII needs it: most builds never load it

    fixed = ftfy.fix_text(visible, config=ftfy.TextFixerConfig(**_FTFY_OPTIONS))
    if fixed != unicodedata.normalize("NFC", visible):
        changes.append("repaired encoding damage (mojibake)")
    plain, count = plain_math_letters(fixed, keep_emphasis=not heading)
    if count:
        changes.append(f"made {count} mathematical bold/italic letter(s) plain")
    return plain, changes


def repair_broken_lines(answer: str) -> tuple[str, list[str]]:
    """An answer's lines mended where a browser copy broke them (inline code split off its
    sentence, bullets glued to the line before); returns the text and what was changed."""
    changes = []
    answer, unwrapped = join_hard_wrapped(answer)
    if unwrapped:
        changes.append(f"joined the lines of {unwrapped} hard-wrapped paragraph(s)")
    text, rejoined = rejoin_split_code(answer)
    if rejoined:
        # at inline code, or where a hard wrap broke a sentence ("the dealer is" / "equally")
        changes.append(f"rejoined {rejoined} line(s) the copy had broken mid-sentence")
    text, split = split_glued_bullets(text)
    if split:
        changes.append(f"put {split} bullet(s) glued to the line before on their own line")
    return text, changes


def join_hard_wrapped(text: str) -> tuple[str, int]:
    """Each hard-wrapped paragraph on one line; returns the text and how many were joined.
    A paragraph here is a run of prose lines: a blank line, a list item, a heading, a quote,
    a table, display math, code or an indented line starts another."""
    out: list[str] = []
    run: list[str] = []
    count, fenced = 0, False

    def close_run() -> None:
        nonlocal count
        if _hard_wrapped(run):
            out.append(" ".join([run[0].rstrip()] + [line.strip() for line in run[1:]]))
            count += 1
        else:
            out.extend(run)
        run.clear()

    for line in text.split("\n"):
        fence = bool(OPENS_WITH_FENCE.match(line))
        fenced ^= fence
        if fence or fenced or not line.strip() or _NOT_PROSE.match(line) or is_code_line(line):
            close_run()
            out.append(line)
            continue
        if LIST_ITEM.match(line):
            close_run()
        run.append(line)
    close_run()
    return "\n".join(out), count


def _hard_wrapped(lines: list[str]) -> bool:
    """Lines an editor filled to a width: none longer than editors wrap at, each broken only
    where the next word would not fit, and one broken mid-sentence (the next line goes on in
    lower case). A page's own short lines (a list without markers, an address) leave room."""
    if len(lines) < 2:
        return False
    width = max(len(line.rstrip()) for line in lines)
    pairs = list(zip(lines, lines[1:]))
    return (WRAP_WIDTHS[0] <= width <= WRAP_WIDTHS[1]
            and all(len(line.rstrip()) + 1 + len(after.split()[0]) > width for line, after in pairs)
            and any(after.lstrip()[:1].islower() and not line.rstrip().endswith(CLAUSE_END)
                    for line, after in pairs))


def rejoin_split_code(text: str) -> tuple[str, int]:
    """Inline code spans a copy put on lines of their own, back in their sentences as code,
    and the punctuation after a span back on its line; returns the text and how many lines
    were rejoined."""
    if "\n" not in text:
        return text, 0
    lines = text.split("\n")
    out: list[_Line] = []
    count, index, fenced = 0, 0, False
    while index < len(lines):
        line = lines[index]
        if OPENS_WITH_FENCE.match(line):
            fenced = not fenced
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if not fenced and out and out[-1].open and _AFTER_SPAN.match(line):
            out[-1].join(line)  # ", summer": the text after a span that ended the line before
            count += 1
            index += 1
            continue
        if (not fenced and out and line[:1].islower() and not _LETTERED.match(line)
                and len(line.split()) >= MIN_SENTENCE_WORDS and out[-1].cut_before_code
                and not is_code_line(line)):
            out[-1].join(" " + line)  # "... classification tasks and[SEP]" / "to separate ..."
            count += 1
            index += 1
            continue
        if (not fenced and out and _is_span(line) and _CONTINUATION.match(following)
                and out[-1].cut_before_code and not is_code_line(following)):
            out[-1].join(f" `{line.strip()}`" + ("" if following[0] in _GLUED_PUNCTUATION + "’'-"
                                                 else " ") + following)
            count += 1
            index += 2
            continue
        if (not fenced and _is_span(line) and is_code_line(line) and following[:1].islower()
                and len(following.split()) >= MIN_SENTENCE_WORDS and not is_code_line(following)
                and not (out and out[-1].code)):
            out.append(_Line(f"`{line.strip()}` {following}"))  # "mmap()" / "maps the weights ..."
            count += 1
            index += 2
            continue
        out.append(_Line(line))
        index += 1
    return "\n".join("".join(line.pieces) for line in out), count


class _Line:
    """A line of rejoin_split_code's output, which grows as broken lines are joined to it: kept
    as pieces, and judged from its end, so a long hard-wrapped answer is neither copied nor
    read again at each of its lines. What is joined is a sentence, never code."""

    def __init__(self, text: str):
        self.pieces = [text]
        self.code = is_code_line(text)
        self.heading = text.lstrip().startswith("#")
        self.words = min(len(text.lstrip("-*• ").split()), MIN_SENTENCE_WORDS)
        self._judge(text)

    def join(self, piece: str) -> None:
        """Add a piece that is more than spaces to the line."""
        merged = self.words > 0 and not self.end[-1:].isspace() and not piece[:1].isspace()
        self.words = min(self.words + len(piece.split()) - merged, MIN_SENTENCE_WORDS)
        self.code = False
        self.pieces.append(piece)
        self._judge(self.end + piece)

    def _judge(self, end: str) -> None:
        """What the rules ask of the line, from its end (with its last word whole: a word
        longer than _TAIL is no open-ended one)."""
        ended = end.rstrip().endswith(CLAUSE_END)
        # open: a sentence that has not ended, where a span's punctuation may follow
        self.open = bool(end.strip()) and not ended and not self.code
        # cut before code: a sentence so far (three words) or a word that cannot end one,
        # not a line of working that ends on its result ("(1/2)^2 = 1/4", "= -1.5")
        self.cut_before_code = (self.words > 0 and not ended and "`" not in end[-2:]
                                and not self.heading and not self.code
                                and not _ends_on_number(end)
                                and (self.words >= MIN_SENTENCE_WORDS or ends_open(end)))
        self.end = end[-_TAIL:]


def split_glued_bullets(text: str) -> tuple[str, int]:
    """Bullets a copy glued to the line before, on lines of their own; returns the text and
    how many were split off."""
    if " -\n" not in text and "- " not in text:
        return text, 0
    text, glued = _GLUED_BULLET.subn("\n- ", text)
    text, trailing = _TRAILING_DASH.subn("\n- ", text)
    return text, glued + trailing


def _ends_on_number(line: str) -> bool:
    """The line's last word is a number or a formula's result ("1/4", "-1.5", "(1/2)^10"),
    with no letter in it (unlike "and5.6", a word a copy glued a span to)."""
    words = line.rsplit(None, 1)
    last = words[-1] if words else ""
    return any(c.isdigit() for c in last) and not any(c.isalpha() for c in last)


def _is_span(line: str) -> bool:
    text = line.strip()
    words = text.split()
    if len(words) > 1 and not (text.isupper() or any(c in text for c in "()_.=[]")):
        return False  # "PyTorch docs" is words; "GROUP BY" and "f(x, y)" are code
    return (0 < len(text) <= _SPLIT_SPAN and len(words) <= 2 and "`" not in text
            and text[0] not in _GLUED_PUNCTUATION and "|" not in text
            and text not in ("-", "*", "•", "–", "—")
            and not text.endswith(CLAUSE_END) and not text.startswith(("- ", "* ", "#", "•")))


def normalize_record(record: Record, answer: bool = True) -> Record:
    """The record's text repaired; its answer left as it is unless ``answer``."""
    updates: dict[str, str] = {}
    changes = list(record.changes)
    for note_field in _CLEANED:
        name = note_field.attribute
        value = getattr(record, name)
        if not value or note_field.clean == ANSWER and not answer:
            continue
        fixed, field_changes = normalize_text(value, heading=note_field.clean == LABEL)
        if note_field.clean == ANSWER:
            fixed, line_changes = repair_broken_lines(fixed)
            field_changes += line_changes
        if fixed != value:
            updates[name] = fixed
        changes.extend(f"{name}: {change}" for change in field_changes)
    return replace(record, **updates, changes=changes)


