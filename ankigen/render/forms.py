"""Scraped text forms turned into the Markdown they stand for.

- list items run together on one line ("...are: - First item. - Second item") become items;
  so do numbered items ("...data: 1. Perplexity - Description: ... 1. BLEU - ..."), with their
  labelled parts ("- Description:", "- Limitation:") as items nested under them;
- lettered lists ("a) ...", "b. ...") become list items that keep their letters;
- lines indented under a numbered item, but less than Markdown needs ("  1. Item:" then
  "    - detail"), are moved under the item's text so they stay inside the item;
- tab-separated rows become a table, the first row its header;
- a line the copy left after a list item without its own bullet ("Cons", "Logistic
  Regression", "Autoencoders have many uses:") is a paragraph of its own, not the item's tail.
"""

from __future__ import annotations

import re
import textwrap

from ..lexicon.marks import MARKDOWN_BULLET, SENTENCE_END
from ..lexicon.titles import heads_its_own_paragraph

# " - " starts an item when it follows the end of a clause and opens a capitalised phrase,
# a formula (a \x02 placeholder) or emphasis: "respectively. - \( i \) represents ..."
_RUN_TOGETHER = re.compile(r"(?<=[:.;)\x03])\s+-\s+(?=[A-Z\x02*\"“(])")
# "1. " to "99. " opening a capitalised phrase after the end of a clause
_RUN_TOGETHER_NUMBERED = re.compile(r"(?<=[:.;)])\s+(?=\d{1,2}\.\s+[A-Z])")
# inside a numbered item, " - Label: ..." opens one of its parts even with no "." before it
_LABELLED_PART = re.compile(r"(?<!\s)\s+-\s+(?=[A-Z][\w’' ()-]{0,40}:\s)")  # from a run's start
_NUMBERED_ITEM_PART = re.compile(f"{_LABELLED_PART.pattern}|{_RUN_TOGETHER.pattern}")
# what both kinds of run-together items start with: most lines have neither
_MAYBE_RUN_TOGETHER = re.compile(r"[:.;)\x03]\s+[-\d]")
_LETTERED = re.compile(r"^\s*([a-h])(?:[.)]|\)\.)\s+\S")
_LIST_ITEM = re.compile(rf"^( *)({MARKDOWN_BULLET}|(\d{{1,9}}[.)]))( +)(?=\S)")
_BULLETED_NUMBER = re.compile(rf"^(\s*{MARKDOWN_BULLET}\s+)(\d{{1,3}})([.)])(?=\s)")
# Indentation deeper than this is no list structure a page means, and the forms copy a line's
# indentation onto the lines they make of it: without a bound, one long indent copied to
# thousands of items makes a field thousands of times its text
MAX_INDENT = 32
# a list item's text starts after one to four spaces; with five or more, one space starts it
# (the rest indents its first line), as CommonMark counts it
MAX_ITEM_GAP = 4


def split_run_together_items(line: str) -> list[str]:
    if line.lstrip().startswith(("|", "    ")) or not _MAYBE_RUN_TOGETHER.search(line):
        return [line]
    indent = line[:len(line) - len(line.lstrip())]
    if line.lstrip().startswith("- "):
        indent += "  "  # items that were nested under a list item stay nested
    head, *numbered = _RUN_TOGETHER_NUMBERED.split(line)
    if len(numbered) >= 2:  # one "1." could be a sentence's; two or more are a list
        return [head] + [part for item in numbered for part in _numbered_item(item, indent)]
    if not _RUN_TOGETHER.search(line):
        return [line]
    head, *items = _RUN_TOGETHER.split(line)
    return [head] + [f"{indent}- {item.strip()}" for item in items]


def _numbered_item(item: str, indent: str) -> list[str]:
    """ "1. Title - Label: text. - Label: text" -> the item and its parts nested under it."""
    title, *parts = _NUMBERED_ITEM_PART.split(item)
    nested = indent + " " * (item.index(".") + 2)  # under the item's text, past "1. "
    return [f"{indent}{title.strip()}"] + [f"{nested}- {part.strip()}" for part in parts]


def lettered_items(lines: list[str]) -> list[str]:
    """Mark runs of two or more lettered lines (a, b, c...) as list items."""
    out = list(lines)
    i = 0
    while i < len(lines):
        run = []
        expected = "a"
        j = i
        while j < len(lines) and (m := _LETTERED.match(lines[j])) and m.group(1) == expected:
            run.append(j)
            expected = chr(ord(expected) + 1)
            j += 1
        if len(run) >= 2:
            for k in run:
                out[k] = "- " + lines[k].strip()
            i = j
        else:
            i += 1
    return out


def nest_under_numbered_items(lines: list[str]) -> list[str]:
    """Re-indent lines that sit deeper than a numbered item's number but short of its text:
    Markdown would end the item there, where the page meant them to be part of it."""
    out: list[str] = []
    number_at = text_at = None  # columns of the current numbered item's number and its text
    for line in lines:
        if not line.strip():
            out.append(line)
            continue
        indent = len(line) - len(line.lstrip(" "))
        if number_at is not None and number_at + 2 <= indent < text_at:
            line, indent = " " * text_at + line.lstrip(" "), text_at
        if item := _LIST_ITEM.match(line):
            if item.group(3):
                gap = len(item.group(4))
                number_at, text_at = indent, item.start(4) + (gap if gap <= MAX_ITEM_GAP else 1)
            elif number_at is not None and indent <= number_at:
                number_at = text_at = None  # a bullet list at the number's level: a new list
        elif number_at is not None and indent <= number_at:
            number_at = text_at = None  # text back at the number's level: the list is over
        out.append(line)
    return out


def _separators(line: str) -> int:
    return line.lstrip().count("\t")


def tables(lines: list[str]) -> list[str]:
    """Runs of two or more tab-separated rows with the same number of cells -> a Markdown table.
    Tabs that indent a line ("\t- item" of a nested list) separate no cells."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        cells = _separators(lines[i])
        j = i
        while cells and j < len(lines) and _separators(lines[j]) == cells:
            j += 1
        if j - i >= 2:
            rows = [[_cell(c) for c in line.lstrip().split("\t")] for line in lines[i:j]]
            if out and out[-1].strip():
                out.append("")
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * len(rows[0]))
            out.extend("| " + " | ".join(row) + " |" for row in rows[1:])
            out.append("")
            i = j
        else:
            out.append(lines[i])
            i += 1
    return out


def numbered_inside_bullets(lines: list[str]) -> list[str]:
    """ "- 1. ReLU:" is a bullet whose text starts with a number, as the page shows it, not a
    bullet holding a one-item ordered list (which Markdown would draw as an empty bullet)."""
    return [_BULLETED_NUMBER.sub(r"\1\2\\\3", line) for line in lines]


def blocks_after_items(lines: list[str]) -> list[str]:
    """A blank line before an unbulleted line that follows a list item and does not continue
    its sentence: Markdown would otherwise run it into the item."""
    out: list[str] = []
    item = False  # the line before is (the last line of) a list item
    for line in lines:
        text = line.strip()
        ended = out[-1].rstrip().endswith(SENTENCE_END) if out else False
        heads = heads_its_own_paragraph
        if item and line[:1].isalpha() and (
                line[:1].isupper() and (ended or heads(text))  # not after "... is:"
                or ended and heads(text)):  # "k-Nearest Neighbor" after "... complex."
            out.append("")
            item = False
        out.append(line)
        if _LIST_ITEM.match(line):
            item = True
        elif not text:
            item = False  # else the line ran into the item and the next one may too
    return out


def _bounded_indent(line: str) -> str:
    body = line.lstrip()
    indent = len(line) - len(body)
    return line if indent <= MAX_INDENT else line[:MAX_INDENT] + body


def _cell(text: str) -> str:
    return text.strip().replace("|", "\\|")


def scraped_forms_as_markdown(text: str) -> str:
    """The forms a page's lists and tables took in the scraped text, as the Markdown they stand
    for; the text's code and math are set aside already, as placeholders."""
    lines = []
    # a whole answer indented alike ("\t- item" under a list's question) is not indented
    for line in textwrap.dedent(text).split("\n"):
        lines.extend(split_run_together_items(_bounded_indent(line)))
    lines = nest_under_numbered_items(lettered_items(numbered_inside_bullets(lines)))
    return "\n".join(blocks_after_items(tables(lines)))
