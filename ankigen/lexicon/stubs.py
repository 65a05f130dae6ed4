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
STUB_CHARS = 400  # the longest answer is_stub judges
# where a sentence starts, in a line read backwards: its first letter (or a lock), then the
# space and the stop of the sentence before it
_SENTENCE_BREAK = re.compile(r"(?:[^\W\d_]|🔒)\s{1,8}[.!?]")
_LINK_TARGET = re.compile(r"\]\([^)\s]{0,500}\)|https?://\S{1,500}")
# a line that is a link: the link alone or after a lead-in ("From this link: https://..."),
# or a list item that opens with one
_LINK = r"(?:\[[^\]\n]{0,300}\]\([^)\s]{0,500}\)|<?https?://\S{1,500}?>?)"
_LINK_ALONE = re.compile(rf"\s{{0,8}}(?:[^\n:]{{0,80}}:\s{{0,3}})?{_LINK}\s{{0,8}}")
_LINK_ITEM = re.compile(rf"\s{{0,8}}{BULLET}\s{{1,3}}[*_]{{0,2}}\[[^\]\n]{{0,300}}\]\([^)\s]{{0,500}}\)")


def is_placeholder(line: str) -> bool:
    """A line that holds the place of an answer ("TODO", "TBD", "Coming soon!"): never a
    heading or a title, whatever its case."""
    words = _plain(line).split()
    return 0 < len(words) <= 8 and _holds_a_place(words) and words != ["answer"]  # (a label)


def split_stub(line: str) -> tuple[str, str]:
    """A line of answer that ends in a paywall stub ("... lower is better. To read the full
    answer, sign up ..."): (the answer before it, the stub), else (line, ""). Only the last
    few sentences are looked at, and a stub is short, so this reads at most a few hundred
    characters of a long line."""
    backwards = line[-STUB_CHARS:][::-1]
    found = line, ""
    for match in islice(_SENTENCE_BREAK.finditer(backwards), 3):  # the longest stub wins
        start = len(line) - 1 - match.start()
        head, tail = line[:start].rstrip(), line[start:].strip()
        if head and _walls(tail, _plain(tail)):
            found = head, tail
    return found


def is_stub(answer: str) -> bool:
    """A placeholder ("TODO", "See below") or a paywall pointer ("Read the full answer at
    ..."), not an answer: short, and saying only that the answer is elsewhere."""
    if len(answer) > STUB_CHARS:
        return False
    text = _plain(answer)
    words = text.split()
    if len(text) > 200 or not words:
        return not words or "🔒" in answer
    return _holds_a_place(words) or words[0] == "see" and len(words) <= 12 \
        or _walls(answer, text)  # "See Chapter 6", "See [this post](...)"


def _plain(text: str) -> str:
    """Casefolded words, less markup, code marks and a leading emoji ("🚧 TODO")."""
    text = " ".join(MARKUP.sub(" ", text).translate(_CODE_MARKS).split()).casefold()
    text = text.strip(" .!:-()")
    return text.lstrip("".join(c for c in text[:8] if not c.isalnum())).strip()


def _holds_a_place(words: list[str]) -> bool:
    return " ".join(words) in _PLACEHOLDERS or any(
        w.strip(":.-—") in _PLACEHOLDER_WORDS for w in words[:6])


def is_paywall(line: str) -> bool:
    """A short line saying the answer is behind a wall ("Subscribe to unlock.")."""
    return len(line) <= STUB_CHARS and _walls(line, _plain(line))


def _walls(raw: str, text: str) -> bool:
    """Locked, or saying the answer is behind a wall ("Subscribe to unlock")."""
    return "🔒" in raw or any(phrase in text for phrase in _STUB_PHRASES)


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
