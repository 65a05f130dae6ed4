"""What the scrape did to an answer's lines, and mending it: bullets a flattened list left
apart from their items, a list's lead-in repeated, text copied twice, a stray link, a link
whose reference definition stands elsewhere on the page or was lost."""

from __future__ import annotations

import re
from typing import Iterable

from ..lexicon.code import is_code_line
from ..lexicon.marks import (BARE_BULLET, BULLET, BULLETS, FENCE_LINE, LEADING_BULLET,
                             LINK_DEFINITION, LIST_ITEM, NUMBERED_ITEM, REFERENCE_LINK, SENTENCE_END)

_BULLET_GLYPH = re.compile(r"^(\s*)•\s*")
_DOUBLED_BULLET = re.compile(r"^(\s*)-\s+-\s+(?=\S)")
_BARE_LINK = re.compile(rf"^(?:{BULLET}\s*)?<?https?://\S+>?$")
_REPOSITORY_HOME = re.compile(r"https?://(?:www\.)?(?:github|gitlab)\.com/[\w.-]+/[\w.-]+/?"
                              r"(?:tree/[\w.-]+/?)?>?$")
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


def link_definitions(lines: Iterable[str]) -> dict[str, str]:
    """The page's link reference definitions, as the inline target each stands for
    ("https://site.com "Title""), by label in any case ("[3]: https://site.com "Title"")."""
    found: dict[str, str] = {}
    for line in lines:
        if line[:4].lstrip().startswith("[") and (match := LINK_DEFINITION.match(line)):
            target = match["url"] + (f" {match['title']}" if match["title"] else "")
            found.setdefault(match["label"].strip().lower(), target)  # the first one counts
    return found


def resolve_references(text: str, definitions: dict[str, str]) -> str:
    """Reference links as inline links, since a card holds one answer of the page and not its
    definitions ("[scikit-learn][1]" -> "[scikit-learn](https://...)"); one whose definition
    the page lost keeps its text ("([site.com][3])" -> "(site.com)"). Code is left alone."""
    if "][" not in text and not definitions:
        return text

    def inline(match: re.Match) -> str:
        label = match["label"] if match["label"] else match["text"]
        target = definitions.get(label.strip().lower())
        if target:
            return f"[{match['text']}]({target})"
        return match["text"] if match["label"] is not None else match[0]

    lines = text.split("\n")
    in_fence = False
    for i, line in enumerate(lines):
        if FENCE_LINE.match(line):
            in_fence = not in_fence
        elif not in_fence and "[" in line:
            spans = line.split("`")  # the odd pieces are inline code
            spans[::2] = [REFERENCE_LINK.sub(inline, prose) for prose in spans[::2]]
            lines[i] = "`".join(spans)
    return "\n".join(lines)


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


def is_repository_home(line: str) -> bool:
    """A link to a code repository's home or branch ("https://github.com/owner/repo/tree/main"):
    where a page is kept, not what an answer says."""
    return bool(_REPOSITORY_HOME.search(line.strip()))


def is_doubled(line: str, previous: str) -> bool:
    """The same text twice in a row on one line ("$O(n^2)O(n^2)$" from copying rendered
    math), repeating something the previous line already says."""
    core = line.strip().strip("$")
    half = len(core) // 2
    return (half > 0 and len(core) % 2 == 0 and core[:half] == core[half:]
            and core[:half] in previous)
