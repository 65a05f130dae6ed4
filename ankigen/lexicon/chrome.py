"""Page furniture: what a site wraps around its questions and answers (buttons, share bars,
related posts, footers, metadata lines), and the headings of a page's non-content."""

from __future__ import annotations

import re

from . import vocabulary
from .marks import BULLETS, MARKUP, SENTENCE_STOPS

# A SKIP line is dropped alone; an END line ends the answer it appears in (share bars, related
# posts and footers run to the next question).
_CHROME_SKIP = vocabulary.words("chrome.skip")
_CHROME_END = vocabulary.phrases("chrome.end")
# Calls to action, wherever they sit in a short line: an advertisement, not an answer.
_CALLS_TO_ACTION = vocabulary.phrases("chrome.calls_to_action")
# Whole lines that end an answer: a "Related:" with no question after it is a link.
_CHROME_END_LINES = vocabulary.words("chrome.end_lines")
# Headings that close a page after its last question; inside an earlier answer they are
# the answer's own ("Conclusion: ..."), so only the last answer stops at them.
_CLOSING_LINES = vocabulary.words("heading.closing")
# The words of dated, metadata and count lines, as alternatives of a pattern.
_DATED_BY, _METADATA_LABELS, _COUNTS_END, _COUNTS_SKIP = (
    "|".join(map(re.escape, vocabulary.phrases(f"chrome.{group}")))
    for group in ("dated_by", "metadata_labels", "counts_end", "counts_skip"))
_MONTH_OPENINGS = "|".join(sorted({month[:3] for month in vocabulary.phrases("calendar.months")}))
# The first words of every line above: only lines that open with one need a closer look.
_CHROME_OPENERS = frozenset(
    phrase.split()[0].rstrip(":.!,") for phrase in
    [*_CHROME_SKIP, *_CHROME_END, *_CHROME_END_LINES, *_CALLS_TO_ACTION,
     *vocabulary.phrases("chrome.metadata_openers"), *vocabulary.phrases("chrome.dated_by"),
     *vocabulary.phrases("chrome.metadata_labels"), *vocabulary.phrases("calendar.months")])
_PAGE_LINK_WORDS = vocabulary.phrases("chrome.page_links")
_SKIP_LINKS = vocabulary.words("chrome.skip_links")
_NAVIGATION = vocabulary.words("chrome.navigation")
_MENU_SEPARATORS = re.compile(r"\s*[|·•/]\s*")
# "By Jane Doe", "Posted by Jane Doe · March 3, 2024": an opener, then a capitalised name
_BYLINE = re.compile(
    rf"(?i:{'|'.join(map(re.escape, vocabulary.phrases('chrome.byline_openers')))})"
    r"(?:\s*[A-Z][\w.'-]*(?:\s[A-Z][\w.'-]*){0,3})?(?:\s?[·|•,–-]\s?[^?]{0,60})?")
# Headings of sections that hold no questions ("Resources", "License").
_CHROME_HEADINGS = vocabulary.words("heading.chrome")
_DIFFICULTY = "|".join(vocabulary.phrases("chrome.difficulty"))
# a difficulty badge after a question: "...? Easy", "... ⭐ Beginner", "... [Hard]"
DIFFICULTY_BADGE = re.compile(rf"(?i)(?<=\?)\s?(?:{_DIFFICULTY})$"
                              rf"|\s(?:[⚡⭐★🔥👶🚀]\ufe0f?\s?){{1,5}}(?:{_DIFFICULTY})?$"
                              rf"|\s[\[(](?:{_DIFFICULTY})[\])]$")
_EMPHASIS = str.maketrans("*_[]⬆↑", "      ")
_DATE_LINE = re.compile(rf"(?:(?:{_DATED_BY})\s)?(?:on\s)?(?:\d{{1,2}}\s)?"
                        rf"(?:{_MONTH_OPENINGS})[a-z]{{0,7}}\.?"
                        r"\s\d{1,2}(?:st|nd|rd|th)?,?\s\d{4}|\d{4}-\d{2}-\d{2}")
_METADATA = re.compile(rf"(?:{_METADATA_LABELS})\s?:\s?.{{1,60}}"
                       r"|showing \d{1,5} (?:of|/) \d{1,5}.{0,20}")
_HASHTAG_LINE = re.compile(r"(?:#[^\W\d][\w-]{0,40}\s{0,3}){2,30}")
_COUNT_END = re.compile(rf"\d[\d,.]{{0,10}}\s?(?:{_COUNTS_END})|(?:{_COUNTS_END})\s?\(\d{{1,6}}\)",
                        re.IGNORECASE)
_COUNT_SKIP = re.compile(rf"\d[\d,.]{{0,10}}\s?(?:{_COUNTS_SKIP})|helpful\s?\(\d{{1,6}}\)"
                         r"|page\s\d{1,4}\s(?:of|/)\s\d{1,4}", re.IGNORECASE)


MAX_CHROME_CHARS = 300  # page furniture is short: longer lines are text
_LEADING_SYMBOLS = re.compile(r"[\W_]{1,12}")


def chrome_kind(line: str) -> str | None:
    """"skip" or "end" for a line of page furniture (tags and link syntax aside), else None."""
    if len(line) > MAX_CHROME_CHARS:
        return None
    text = MARKUP.sub(" ", line) if "<" in line or "](" in line else line.translate(_EMPHASIS)
    low = text.strip().lower()
    if not low:
        return None
    words = low if low[0].isalnum() else _LEADING_SYMBOLS.sub("", low, count=1)
    # a call to action ends its line: "... course. Enroll now!", "... Subscribe here."
    cut = max(words.rfind(f"{stop} ") for stop in SENTENCE_STOPS + ("…",))
    if words[cut + 2 if cut >= 0 else 0:].startswith(_CALLS_TO_ACTION):
        return "end"
    # the rest of the furniture opens with one of a few words: most lines need no more
    opener = words.split(None, 1)[0].rstrip(":.!,") if words else ""
    if words and low[0] not in BULLETS + "#" and not low[0].isdigit() \
            and opener not in _CHROME_OPENERS:
        return None
    bullet = low[0] in BULLETS
    text = " ".join(low.split()).lstrip(BULLETS + " ")
    if not text:
        return None
    bare = text.rstrip(":.!→ ")
    if bare in _CHROME_SKIP or _COUNT_SKIP.fullmatch(bare) or _DATE_LINE.fullmatch(bare) \
            or _METADATA.fullmatch(bare):
        return "skip"
    # a word alone that ends an answer is a link ("Next", "Share"); with a colon it leads in
    # to what follows ("NEXT:" then the better solution)
    if bare in _CHROME_END_LINES and not text.endswith(":") or _HASHTAG_LINE.fullmatch(text) \
            or _COUNT_END.fullmatch(bare):
        return "end"
    if text.startswith("related:") and not text.endswith("?"):
        return "end"
    if (text.startswith(_CHROME_END) or "% off" in text) and len(text) < 160:
        return "end"
    if bullet and len(text.split()) <= 6 and text.endswith(_PAGE_LINK_WORDS):
        return "end"  # a link to another page of questions ("• Python Interview Questions")
    if not text[0].isalnum():  # "⭐ If this helped you, star the repo!"
        return chrome_kind(words) if words and words != text else None
    return None


def chrome_name(line: str) -> str | None:
    """What a line of page furniture is ("navigation", "byline", ...), by the vocabulary that
    knows it; None for a line none of it knows. It names, it does not judge: chrome_kind
    says which lines are furniture."""
    text = " ".join(MARKUP.sub(" ", line).translate(_EMPHASIS).split()).strip(BULLETS + "#: ")
    if not text or len(text) > MAX_CHROME_CHARS:
        return None
    low = text.casefold()
    bare = low.rstrip(":.!→ ")
    if bare in _SKIP_LINKS:
        return "skip link"
    if all(entry in _NAVIGATION for entry in _MENU_SEPARATORS.split(bare)):
        return "navigation"
    if names_chrome_section(text):
        return f"{text.rstrip(' :')} heading"
    if _BYLINE.fullmatch(text):
        return "byline"
    if _DATE_LINE.fullmatch(bare):
        return "date"
    if _METADATA.fullmatch(bare):
        return "metadata"
    if _COUNT_SKIP.fullmatch(bare) or _COUNT_END.fullmatch(bare):
        return "counter"
    return {"skip": "button or badge", "end": "share bar, links or footer"}.get(
        chrome_kind(line))


def chrome_reason(line: str, otherwise: str = "page chrome") -> str:
    """The reason a dropped line of furniture shows: what the line is, where that is known."""
    name = chrome_name(line)
    return f"page chrome ({name})" if name else otherwise


def names_chrome_section(heading: str) -> bool:
    """The text of a heading that opens a section of page furniture, with no questions in it
    ("## Resources", "**License:**", "Table of Contents")."""
    return heading.strip().strip("#*_ ").strip(" :").casefold() in _CHROME_HEADINGS


def closes_page(line: str) -> bool:
    """A heading such as "Conclusion" or "Final Thoughts" that ends the page's last answer."""
    text = " ".join(MARKUP.sub(" ", line).split()).casefold().strip("#:.! ")
    return text in _CLOSING_LINES
