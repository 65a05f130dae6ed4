"""The marks of a line's form: list bullets, markup, and how a sentence ends."""

from __future__ import annotations

import re

BULLETS = "-*•+▪►◦‣▶▸"  # the glyphs a copied list keeps in front of its items
BULLET = "[" + re.escape(BULLETS) + "]"  # one of them, in a pattern
OPENS_WITH_BULLET = re.compile(rf"^\s*{BULLET}")
BARE_BULLET = re.compile(rf"^\s*{BULLET}\s*$")
LEADING_BULLET = re.compile(rf"^\s*{BULLET}\s+")
# the bullets CommonMark itself reads as a list item's: a copied glyph ("•") is none until
# scrape repair makes it "-", so the renderer's list forms look for these alone
MARKDOWN_BULLET = "[-*+]"
NUMBER_MARK = r"\d+[.)]\s"  # a numbered item's mark, in a pattern: "1. ", "2) "
NUMBERED_ITEM = re.compile(rf"^\s*{NUMBER_MARK}")
LIST_ITEM = re.compile(rf"^\s*(?:{BULLET}\s|{NUMBER_MARK}|[a-h][.)]\s)")
SENTENCE_STOPS = (".", "!", "?")
STOP = "[" + re.escape("".join(SENTENCE_STOPS)) + "]"  # one of them, in a pattern
# what may close a sentence after its stop: "(as above.)", 'said "no."'
CLOSING_MARKS = (")", '"', "”")
SENTENCE_END = SENTENCE_STOPS + CLOSING_MARKS  # a line that ends its sentence ends in one
# an answer line that has said its piece: a stop, or a closing bracket, quote or code span
FINISHED_LINE = SENTENCE_STOPS + (")", "`", '"')
CLAUSE_END = SENTENCE_STOPS + (":", ";")  # a line ending in one has said its clause ("is given by:")
# a sentence that ends somewhere in a line (a stop, then a space or the line's end)
ENDS_SENTENCE = re.compile(rf"{STOP}(?:\s|$)")
FENCE_MARKS = ("```", "~~~")  # what opens and closes a fenced code block, at its shortest
FENCE = "(?:" + "|".join(f"{mark}+" for mark in FENCE_MARKS) + ")"  # a fence, in a pattern
OPENS_WITH_FENCE = re.compile(rf"\s*{FENCE}")
FENCE_LINE = re.compile(rf"^[ \t]*{FENCE}[ \t]*(?P<lang>[\w+-]*)[ \t]*$")  # a fence alone, with its language
FENCED_BLOCK = re.compile(rf"^(?P<indent>[ \t]*)(?P<fence>{FENCE})[ \t]*(?P<lang>[\w+-]*)[^\n]*\n"
                          r"(?P<code>.*?)^[ \t]*(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL)
GLUED_FENCE = re.compile(r"^(.*\S)\s*(```+)\s*$")  # a closing fence glued to code: "return x```"
# a Markdown link reference definition, "[3]: https://site.com/page "Title"": the target of
# every "[text][3]" on the page, wherever the two stand
LINK_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\[\]]{1,200})\]:[ \t]*<?(?P<url>[^\s<>]+)>?"
                             r"(?:[ \t]+(?P<title>\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t]*$")
# a link that names its target by reference: "[text][label]", "[text][]", or "[label]" alone;
# one right after a word character is an index ("x[0][1]"), not a link
REFERENCE_LINK = re.compile(r"(?<![\w\]\\!])\[(?P<text>[^\[\]\n]{1,200})\]"
                            r"(?:\[(?P<label>[^\[\]\n]{0,200})\])?(?![(:\[])")
# tags, link targets and emphasis around a line's words
MARKUP = re.compile(r"<[^<>]{0,200}>|\]\([^)\s]{0,500}\)|[*_\[\]⬆↑]")


def may_hold_fence(text: str) -> bool:
    """Whether a fence's mark is anywhere in a text: most texts need no fence pattern."""
    return any(mark in text for mark in FENCE_MARKS)


def is_bare_bullet(line: str) -> bool:
    return bool(BARE_BULLET.match(line))
