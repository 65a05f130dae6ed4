"""The marks of a line's form: list bullets, markup, and how a sentence ends."""

from __future__ import annotations

import re

BULLETS = "-*•+▪►◦‣▶▸"  # the glyphs a copied list keeps in front of its items
BARE_BULLET = re.compile(r"^\s*[-•*]\s*$")
LEADING_BULLET = re.compile(r"^\s*[-•*]\s+")
LIST_ITEM = re.compile(r"^\s*(?:[-•*+]\s|\d+[.)]\s|[a-h][.)]\s)")
SENTENCE_END = (".", "!", "?", ")", '"', "”")
ENDS_SENTENCE = re.compile(r"[.!?](?:\s|$)")
# tags, link targets and emphasis around a line's words
MARKUP = re.compile(r"<[^<>]{0,200}>|\]\([^)\s]{0,500}\)|[*_\[\]⬆↑]")


def is_bare_bullet(line: str) -> bool:
    return bool(BARE_BULLET.match(line))
