"""Answers that are no answer: a placeholder ("TODO", "See below"), a pointer to a paywall
("Read the full answer at ..."), or a fragment the scrape cut off."""

from __future__ import annotations

import re
from itertools import islice

from . import vocabulary
from .marks import BULLET, MARKUP, STOP

# What pages put where an answer should be: a placeholder, or a pointer to a paywall.
_PLACEHOLDERS = vocabulary.words("stub.placeholders")
_PLACEHOLDER_WORDS = vocabulary.words("stub.placeholder_words")
_STUB_PHRASES = vocabulary.phrases("stub.phrases")
_CODE_MARKS = str.maketrans("`#>/", "    ")  # a fence or comment around "TODO"
_WORD = re.compile(r"\w+")
_LINK_TARGET = re.compile(r"\]\([^)\s]{0,500}\)|https?://\S{1,500}")
# a line that is a link: the link alone or after a lead-in ("From this link: https://..."),
# or a list item that opens with one
_LINK = r"(?:\[[^\]\n]{0,300}\]\([^)\s]{0,500}\)|<?https?://\S{1,500}?>?)"
_LINK_ALONE = re.compile(rf"\s{{0,8}}(?:[^\n:]{{0,80}}:\s{{0,3}})?{_LINK}\s{{0,8}}")
_LINK_ITEM = re.compile(rf"\s{{0,8}}{BULLET}\s{{1,3}}[*_]{{0,2}}\[[^\]\n]{{0,300}}\]\([^)\s]{{0,500}}\)")


def is_stub(answer: str) -> bool:
    """A placeholder ("TODO", "See below") or a paywall pointer ("Read the full answer at
    ..."), not an answer: short, and saying only that the answer is elsewhere."""
    if len(answer) > 400:
        return False
    if "🔒" in answer:  # a locked answer, whatever the words around the lock
        return True
    text = " ".join(MARKUP.sub(" ", answer).translate(_CODE_MARKS).split()).casefold()
    text = text.strip(" .!:-()")
    text = text.lstrip("".join(c for c in text[:8] if not c.isalnum())).strip()  # "🚧 TODO"
    words = text.split()
    if len(text) > 200 or not words:
        return not words
    if text in _PLACEHOLDERS or any(w.strip(":.-—") in _PLACEHOLDER_WORDS for w in words[:6]):
        return True
    if words[0] == "see" and len(words) <= 12:  # "See Chapter 6", "See [this post](...)"
        return True
    return any(phrase in text for phrase in _STUB_PHRASES)


def is_fragment(answer: str) -> bool:
    """No real answer: cut off by the scrape ("The"), or nothing but a link ("[[Answer]](url)"):
    a single word that is not a sentence or a number (two, "Negatively skewed", can answer
    a question)."""
    text = _LINK_TARGET.sub(" ", answer).strip()
    words = sum(1 for _ in islice(_WORD.finditer(text), 2))  # counting stops at two
    # "42", "1/4", "n-1": a number is a whole answer
    return (words < 2 and not re.search(rf"\w(?:{STOP}|\))$", text)
            and not any(map(str.isdigit, text)))


def only_links(answer: str) -> bool:
    """An answer that only points elsewhere: every line a link (perhaps after a lead-in:
    "From this link: https://..."), or a list item that opens with one, after at most a
    lead-in line ending in ":" ("Here are a few of my favorites:")."""
    lines = [line for line in answer.splitlines() if line.strip()]
    if lines and lines[0].rstrip().endswith(":"):
        lines = lines[1:]
    return bool(lines) and all(_LINK_ALONE.fullmatch(line) or _LINK_ITEM.match(line)
                               for line in lines)
