"""Headings and title lines: how a page names its parts, as opposed to asking or answering."""

from __future__ import annotations

import re

from . import vocabulary
from .code import CODE_START
from .marks import CLAUSE_END, SENTENCE_END, SENTENCE_STOPS
from .stubs import is_placeholder

# Words that Title Case leaves in lower case.
MINOR_WORDS = vocabulary.words("title.minor_words")
PART_WORDS = vocabulary.words("title.part_words")
SHORT_LABEL_WORDS = 4
HEADING_WORDS = 5  # a heading this short needs no Title Case
MAX_HEADING_WORDS = 10


def is_title_case(text: str) -> bool:
    """Every word longer than three letters capitalized: how page sub-headings are written."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text)
             if len(w) > 3 and w.casefold() not in MINOR_WORDS]
    return bool(words) and all(w[0].isupper() for w in words)


def is_heading_text(text: str, set_apart: bool) -> bool:
    """A short line with no punctuation of a sentence or a formula, in Title Case unless
    blank lines set it apart ("Linear regression")."""
    text = text.strip().lstrip("0123456789.").strip() if text.strip()[:1].isdigit() else text
    return (is_title_line(text) and len(text.split()) <= 5 and (set_apart or is_title_case(text))
            and not any(c in text for c in ":=()[]{}0123456789"))


def names_a_part(text: str) -> bool:
    """A title line that names a part of the page ("Intermediate Level", "Advanced Python")
    rather than answering a question ("Negatively Skewed")."""
    return is_title_line(text) and bool({w.casefold().strip(":") for w in text.split()} & PART_WORDS)


def is_title_line(text: str) -> bool:
    """A short line that names something rather than saying it: a heading ("SQL Basics",
    "Topic - Joins:", "Linear regression") or an advertisement's headline ("Become a Data
    Scientist"); at most eight words from a capital, not ending as a sentence or clause does,
    not code or a link, and in Title Case unless four words or fewer."""
    text = text.strip().strip("*_#").strip()
    words = text.split()
    if not words or len(words) > 8 or not text[:1].isupper():
        return False
    if text.endswith(SENTENCE_STOPS + (",", ";")) or CODE_START.match(text) or "](" in text \
            or is_placeholder(text):  # "TODO" holds an answer's place
        return False
    return is_title_case(text) or len(words) <= 4


# Two narrower concepts than a title line, each for the one judgement that needs it.

def heads_its_own_paragraph(text: str) -> bool:
    """A line after a list item that heads its own paragraph rather than running on in the
    item ("Pros", "k-Nearest Neighbor", "Implementation of FIM in the Loss Function"): five
    words, or up to ten in Title Case, not ending as a sentence or clause does. Unlike a
    title line it may open in lower case and run longer, as the line is already set apart
    from running text by the list item above it."""
    words = text.split()
    return (len(words) <= HEADING_WORDS or len(words) <= MAX_HEADING_WORDS and is_title_case(text)
            ) and not text.endswith(SENTENCE_END + CLAUSE_END + (",",))


def is_short_label(text: str) -> bool:
    """A label of a few words in Title Case that heads the lines under it in an answer
    ("Quantization", "Faster Weight Loading"): unlike a title line, every long word is
    capitalized however short the line, and only a sentence's stop ends it otherwise."""
    return (len(text.split()) <= SHORT_LABEL_WORDS and is_title_case(text)
            and not text.endswith(SENTENCE_STOPS))
