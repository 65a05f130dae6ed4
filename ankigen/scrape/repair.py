"""What the scrape did to an answer's lines, and mending it: bullets a flattened list left
apart from their items, a list's lead-in repeated, text copied twice, a stray link."""

from __future__ import annotations

import re
from typing import Iterable

from ..lexicon.code import is_code_line
from ..lexicon.marks import (BARE_BULLET, BULLET, BULLETS, LEADING_BULLET, LIST_ITEM, NUMBERED_ITEM,
                             SENTENCE_END)

_BULLET_GLYPH = re.compile(r"^(\s*)•\s*")
_DOUBLED_BULLET = re.compile(r"^(\s*)-\s+-\s+(?=\S)")
_BARE_LINK = re.compile(rf"^(?:{BULLET}\s*)?<?https?://\S+>?$")
REPEAT_WINDOW = 12  # list flattening repeats a parent item just after its children


def tidy_answer(texts: Iterable[str]) -> str:
    """Join answer lines as Markdown, mending what list flattening did to them.

    A bare "-" line followed by text is one list item ("-" then "Item"), a "•" glyph is a
    Markdown bullet and a doubled bullet ("- - Item") a single one; a bare "-" with no item
    after it is a separator and dropped. An unmarked line after such an item starts a
    paragraph of its own when the item ends its sentence (unfinished, or ending in ":", the
    item goes on: "is given by" then a formula).
    """
    lines = [t.rstrip() for t in texts]
    out: list[str] = []
    pending_bullet = item_ended = False
    for line in lines:
        if BARE_BULLET.match(line):
            pending_bullet = True
            continue
        if item_ended and line.strip() and not pending_bullet and not LIST_ITEM.match(line):
            out.append("")  # the list ends here
        item_ended = False
        if pending_bullet and line.strip():
            line = "- " + line.strip()
            item_ended = line.endswith(SENTENCE_END)
        pending_bullet = pending_bullet and not line.strip()
        if "•" in line:
            line = _BULLET_GLYPH.sub(r"\1- ", line)
        if "- -" in line:
            line = _DOUBLED_BULLET.sub(r"\1- ", line)
        if not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    if len(out) == 1:  # a one-item "list" is just the answer
        out[0] = LEADING_BULLET.sub("", out[0])
    return "\n".join(out)


def is_flattening_repeat(line: str) -> bool:
    """Whether a line seen a few lines earlier is the scrape repeating a list's lead-in
    ("... the following:") or a long item, rather than short text, code or a numbered step
    that recurs ("2. **Step 2: Vocabulary**: ..." in two lists of steps)."""
    if is_code_line(line.lstrip(BULLETS + " ")) or NUMBERED_ITEM.match(line):
        return False
    return line.endswith(":") and len(line) >= 25 or len(line) >= 60


def is_bare_link(line: str) -> bool:
    """A line that is nothing but a URL: page furniture such as a link to the repository."""
    return bool(_BARE_LINK.match(line.strip()))


def is_doubled(line: str, previous: str) -> bool:
    """The same text twice in a row on one line ("$O(n^2)O(n^2)$" from copying rendered
    math), repeating something the previous line already says."""
    core = line.strip().strip("$")
    half = len(core) // 2
    return (half > 0 and len(core) % 2 == 0 and core[:half] == core[half:]
            and core[:half] in previous)
