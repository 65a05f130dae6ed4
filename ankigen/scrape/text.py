"""Text heuristics the parsers share: how to read a scraped line."""

from __future__ import annotations

import re
import unicodedata
from itertools import islice
from typing import Iterable

BULLETS = "-*•+▪►◦‣▶▸"  # the glyphs a copied list keeps in front of its items
_BARE_BULLET = re.compile(r"^\s*[-•*]\s*$")
_LEADING_BULLET = re.compile(r"^\s*[-•*]\s+")
_LIST_ITEM = re.compile(r"^\s*(?:[-•*+]\s|\d+[.)]\s|[a-h][.)]\s)")
_SENTENCE_END = (".", "!", "?", ")", '"', "”")
_BULLET_GLYPH = re.compile(r"^(\s*)•\s*")
_DOUBLED_BULLET = re.compile(r"^(\s*)-\s+-\s+(?=\S)")
_WORD = re.compile(r"\w+")
_LINK_TARGET = re.compile(r"\]\([^)\s]{0,500}\)|https?://\S{1,500}")
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")


def question_key(text: str) -> str:
    """How two questions are judged the same: look-alike letters, case, spacing and end punctuation ignored."""
    if not text.isascii():  # look-alikes and zero-width characters are all outside ASCII
        text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(text.casefold().split()).strip(" ?.:!")


def is_bare_bullet(line: str) -> bool:
    return bool(_BARE_BULLET.match(line))


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
        if _BARE_BULLET.match(line):
            pending_bullet = True
            continue
        if item_ended and line.strip() and not pending_bullet and not _LIST_ITEM.match(line):
            out.append("")  # the list ends here
        item_ended = False
        if pending_bullet and line.strip():
            line = "- " + line.strip()
            item_ended = line.endswith(_SENTENCE_END)
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
        out[0] = _LEADING_BULLET.sub("", out[0])
    return "\n".join(out)


def is_fragment(answer: str) -> bool:
    """No real answer: cut off by the scrape ("The"), or nothing but a link ("[[Answer]](url)"):
    a single word that is not a sentence or a number (two, "Negatively skewed", can answer
    a question)."""
    text = _LINK_TARGET.sub(" ", answer).strip()
    words = sum(1 for _ in islice(_WORD.finditer(text), 2))  # counting stops at two
    # "42", "1/4", "n-1": a number is a whole answer
    return words < 2 and not re.search(r"\w[.!?)]$", text) and not any(map(str.isdigit, text))


# What pages put where an answer should be: a placeholder, or a pointer to a paywall.
_PLACEHOLDERS = frozenset(["n/a", "coming soon", "see below", "see above", "answer here",
                           "to be added", "to be updated", "work in progress", "...",
                           "read more", "will be updated soon", "updated soon", "answer",
                           "premium"])
_PLACEHOLDER_WORDS = frozenset("todo tbd tba tbc wip".split())
_STUB_PHRASES = ("read the full answer", "read the answer", "full answer at", "answer is available",
                 "see the answer", "answer will be", "will be updated soon", "coming soon",
                 "under construction", "unlock with premium", "unlock this", "unlock the answer",
                 "premium members", "premium only", "premium subscribers", "premium content",
                 "answer hidden", "try it yourself", "worked example in", "enroll now",
                 "in the full course", "available in our course", "add answer", "add an answer",
                 "left blank", "no answer yet", "not answered yet", "answer pending",
                 "ran out of time", "don't remember", "do not remember", "won't go into detail",
                 "blanked on", "interviewer moved on", "solutions to the exercises",
                 "instructor edition", "like to know too", "i'd like to know",
                 "your code here", "will be posted", "to be posted", "would love to see",
                 "fumbled", "don't know the answer", "upgrade to", "🔒", "create an account",
                 "members-only", "got the offer",
                 "premium member", "subscribe to unlock", "subscribe to read", "unlock this answer",
                 "unlock the answer", "sign in to see", "sign in to view", "log in to see",
                 "log in to view", "login to see", "login to view", "view the answer at",
                 "see the answer at", "get the full answer", "members only", "answer coming soon")


def is_stub(answer: str) -> bool:
    """A placeholder ("TODO", "See below") or a paywall pointer ("Read the full answer at
    ..."), not an answer: short, and saying only that the answer is elsewhere."""
    if len(answer) > 400:
        return False
    if "🔒" in answer:  # a locked answer, whatever the words around the lock
        return True
    text = " ".join(_MARKUP.sub(" ", answer).translate(_CODE_MARKS).split()).casefold()
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


def only_asks(answer: str) -> bool:
    """Every line of the "answer" is a question: sub-questions the page leaves open."""
    if not answer.rstrip().endswith("?"):  # most answers: the last line does not ask
        return False
    lines = [line.strip().lstrip("-•*+ ").rstrip() for line in answer.splitlines()]
    lines = [line for line in lines if line]
    return bool(lines) and all(line.endswith("?") for line in lines)


# Words that open an exam-style prompt ("Explain ...", "Given ..."): a question in any case.
PROMPT_VERBS = frozenset("""
explain describe define list compare mention discuss given name state briefly imagine please
suppose write give outline contrast differentiate
""".split())
# Words that open a question, unless the rest is a Title Case heading ("Why This Matters").
QUESTION_WORDS = frozenset("""
what why how when where which who whom whose is are was were do does did can could should would
will may might has have in for if at both
""".split())


def first_word(text: str) -> str:
    match = re.match(r"\W*(\w+)", text)
    return match.group(1).casefold() if match else ""


# Words that Title Case leaves in lower case.
_MINOR_WORDS = frozenset("with from into onto over than that this upon via vs versus".split())


def is_title_case(text: str) -> bool:
    """Every word longer than three letters capitalized: how page sub-headings are written."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text)
             if len(w) > 3 and w.casefold() not in _MINOR_WORDS]
    return bool(words) and all(w[0].isupper() for w in words)


def looks_like_question(text: str) -> bool:
    """A line that reads as an interview question or prompt rather than a sub-heading."""
    text = text.strip()
    if text.endswith("?"):
        return True
    word = first_word(text)
    if word in PROMPT_VERBS:
        return True
    return word in QUESTION_WORDS and not is_title_case(text.split(None, 1)[-1])


_STOPWORDS = frozenset("""
about above after again also although among an and any are because been before being between
both but can could did does doing done each either even every few from further given had has
have having here how however into its itself just like main many more most much must near need
only other ought over own same shall should since some such than that the their them then there
these they this those though through thus under until upon very was were what when where whether
which while who whom whose why will with within would you your yours explain describe discuss
mention define briefly
""".split())


def keywords(text: str) -> set[str]:
    """Content words of a text, crudely stemmed, for judging what two texts are about."""
    words = re.findall(r"[a-z][a-z0-9-]+", unicodedata.normalize("NFKC", text).casefold())
    return {w.rstrip("s") for w in words if len(w) > 3 and w not in _STOPWORDS}


REPEAT_WINDOW = 12  # list flattening repeats a parent item just after its children
_CODE_LIKE = re.compile(r"^(def|class|if|elif|else|for|while|return|print|import|from|with)\b"
                        r"|[=(){}\[\];]\s*$|^\S+\s*=")


def is_flattening_repeat(line: str) -> bool:
    """Whether a line seen a few lines earlier is the scrape repeating a list's lead-in
    ("... the following:") or a long item, rather than short text or code that recurs."""
    if _CODE_LIKE.search(line.lstrip("-•* ")):
        return False
    return line.endswith(":") and len(line) >= 25 or len(line) >= 60
_BARE_LINK = re.compile(r"^(?:[-•*]\s*)?<?https?://\S+>?$")


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


# What a page wraps around its answers. A SKIP line is dropped alone; an END line ends the
# answer it appears in (share bars, related posts and footers run to the next question).
_CHROME_SKIP = frozenset("""view answer|show answer|hide answer|reveal answer|click to reveal
|toggle answer|back to top|advertisement|sponsored|copy code|copy|loading|expand|collapse
|show more|read more|answer question|reveal|check answer|submit|submit quiz|show solution
|hide solution|view solution|expand_less|expand_more|easy|medium|hard|beginner|intermediate
|advanced|expert|unlock with premium|premium|discuss|reply|report|like|upvote|downvote|edit
|permalink|helpful|not helpful|flag|save|bookmark|expand less|expand more|anonymous
|interview answer|interview answers|add answers or comments|▲|▼|powered by|topics
|learn more|mark as done|mark as complete|load more""".replace("\n", "").split("|"))
_CHROME_END = ("related posts", "related articles", "related questions", "you may also like",
               "you might also like", "share this", "share on", "posted by",
               "most helpful rated by users", "see here for more", "next up", "read next",
               "read more:", "also read", "also check", "also see", "see also:", "leave a reply",
               "leave a comment", "about the author", "subscribe to our", "subscribe to the",
               "sign up for", "join our newsletter", "we use cookies", "this website uses cookies",
               "accept cookies", "was this helpful", "tags:", "categories:", "prev post",
               "previous post", "next post", "previous article", "next article",
               "recommended articles", "recommended posts", "recommended for you",
               "download the pdf", "download our", "want more practice", "top of page",
               "follow us", "follow me", "copyright", "©", "all rights reserved",
               "privacy policy", "terms of use", "if you found this", "found this useful",
               "give it a clap", "give it a star", "star the repo", "if this helped",
               "last updated", "book a mock", "to practice all areas", "« prev", "» next",
               "♻️ repost", "repost if", "did i miss a question", "let me know in the comments",
               "that's it for part", "that’s it for part", "enjoyed this", "thanks for reading",
               "happy learning", "good luck with your", "next topic:", "send your feedback",
               "for videos join", "join our youtube", "practice these questions",
               "your score will appear", "you answered", "want more?", "use code",
               "at checkout", "edit:", "edit 2:", "comments:", "verdict:", "sort by:",
               "licensed under", "found a mistake", "found an error", "spotted a mistake",
               "so this brings us to the end", "this brings us to the end", "got a question for us",
               "good luck on the", "since you're here", "since you’re here", "interested in a career",
               "responses from readers", "get placed at", "free masterclass", "hosted by",
               "was this article helpful", "upgrade to premium", "create an account to read",
               "sign up to read", "you're viewing a preview", "you’re viewing a preview",
               "unlock all")
# Calls to action, wherever they sit in a short line: an advertisement, not an answer.
_CALLS_TO_ACTION = ("enroll now", "enrol now", "download brochure", "explore program",
                    "read story", "subscribe here", "start now", "book a free", "join now",
                    "apply now", "start your free trial", "sign up now", "register now",
                    "our self-paced course", "enroll in our", "know more", "start learning today",
                    "enquire now", "start free trial", "get unlimited access")
# Whole lines that end an answer: a "Related:" with no question after it is a link.
_CHROME_END_LINES = frozenset(["share", "related", "popular posts", "recent posts", "footer",
                               "comments", "subscribe", "recommended", "contact us", "feedback",
                               "table of contents", "contents", "in this article",
                               "on this page", "← prev", "prev", "next →", "next", "« previous",
                               "next »"])
# Headings that close a page after its last question; inside an earlier answer they are
# the answer's own ("Conclusion: ..."), so only the last answer stops at them.
_CLOSING_LINES = frozenset(["conclusion", "in conclusion", "final thoughts", "wrapping up",
                            "closing thoughts", "summary", "key takeaways"])
_MONTHS = "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august september october november december"
# The first words of every line above: only lines that open with one need a closer look.
_CHROME_OPENERS = frozenset(
    phrase.split()[0].rstrip(":.!,") for phrase in
    [*_CHROME_SKIP, *_CHROME_END, *_CHROME_END_LINES, *_CALLS_TO_ACTION, "related:", "get",
     "posted on", "updated on", "edited on", "on", "page", "helpful", "difficulty", "level",
     "topic", "topics", "tags", "category", "categories", "asked", "company", "companies",
     "frequency", "showing", *_MONTHS.split()])
_PAGE_LINK_WORDS = ("interview questions", "interview question", "questions and answers")
_EMPHASIS = str.maketrans("*_[]⬆↑", "      ")
_CODE_MARKS = str.maketrans("`#>/", "    ")  # a fence or comment around "TODO"
_MARKUP = re.compile(r"<[^<>]{0,200}>|\]\([^)\s]{0,500}\)|[*_\[\]⬆↑]")
_DATE_LINE = re.compile(r"(?:(?:posted|updated|edited)\s)?(?:on\s)?(?:\d{1,2}\s)?"
                        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,7}\.?"
                        r"\s\d{1,2}(?:st|nd|rd|th)?,?\s\d{4}|\d{4}-\d{2}-\d{2}")
_METADATA = re.compile(r"(?:difficulty|level|topics?|tags|categor(?:y|ies)|asked (?:in|at)"
                       r"|compan(?:y|ies)|frequency)\s?:\s?.{1,60}"
                       r"|showing \d{1,5} (?:of|/) \d{1,5}.{0,20}")
_HASHTAG_LINE = re.compile(r"(?:#[^\W\d][\w-]{0,40}\s{0,3}){2,30}")
_COUNT_END = re.compile(r"\d[\d,.]{0,10}\s?(?:comments?|responses?|replies)"
                        r"|(?:comments?|responses?|replies)\s?\(\d{1,6}\)", re.IGNORECASE)
_COUNT_SKIP = re.compile(r"\d[\d,.]{0,10}\s?(?:answers?|upvotes?|points?|votes?|likes?|claps?"
                         r"|views?|shares?|min read|minutes? read)|helpful\s?\(\d{1,6}\)"
                         r"|page\s\d{1,4}\s(?:of|/)\s\d{1,4}", re.IGNORECASE)


MAX_CHROME_CHARS = 300  # page furniture is short: longer lines are text
_LEADING_SYMBOLS = re.compile(r"[\W_]{1,12}")


def chrome_kind(line: str) -> str | None:
    """"skip" or "end" for a line of page furniture (tags and link syntax aside), else None."""
    if len(line) > MAX_CHROME_CHARS:
        return None
    text = _MARKUP.sub(" ", line) if "<" in line or "](" in line else line.translate(_EMPHASIS)
    low = text.strip().lower()
    if not low:
        return None
    words = low if low[0].isalnum() else _LEADING_SYMBOLS.sub("", low, count=1)
    # a call to action ends its line: "... course. Enroll now!", "... Subscribe here."
    cut = max(words.rfind(". "), words.rfind("? "), words.rfind("! "), words.rfind("… "))
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
    if bare in _CHROME_END_LINES or _HASHTAG_LINE.fullmatch(text) or _COUNT_END.fullmatch(bare):
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


def is_chrome(line: str) -> bool:
    return chrome_kind(line) is not None


# A line that sums up the answer above it ("Overall, ...", "In summary, ...", "Each of these
# methods ..."): the end of an answer, whatever the layout.
SUMMARY_OPENING = re.compile(
    r"(?:overall|in summary|in conclusion|to summari[sz]e|to sum up|to conclude|in short"
    r"|ultimately|each of these|all of these|these (?:methods|techniques|approaches)"
    r"|by (?:leveraging|staying|understanding|addressing))\b", re.IGNORECASE)


def closes_page(line: str) -> bool:
    """A heading such as "Conclusion" or "Final Thoughts" that ends the page's last answer."""
    text = " ".join(_MARKUP.sub(" ", line).split()).casefold().strip("#:.! ")
    return text in _CLOSING_LINES


def is_headline(line: str) -> bool:
    """A short line that does not end as a sentence does: a heading or a tagline."""
    text = line.strip().lstrip(BULLETS + " ")
    words = text.split()
    return (0 < len(words) <= 10 and text[0].isupper() and not any(c in text for c in "=([{<_/\\")
            and not text.endswith((".", "!", "?", ":", ";", ")", "`", '"')))


# Words a sentence cannot end on: a line ending on one was cut off ("... weights using").
OPEN_ENDED_WORDS = frozenset(["a", "an", "the", "of", "to", "in", "on", "with", "by", "using",
                              "and", "or", "as", "is", "are", "from", "for", "like", "call",
                              "calling", "use", "called"])


def ends_open(line: str) -> bool:
    words = line.split()
    return bool(words) and words[-1].lower() in OPEN_ENDED_WORDS


def is_unfinished_sentence(line: str) -> bool:
    """Prose that stops mid-sentence ("First, make sure retrieval"): several words, no
    closing punctuation, nothing of code or a formula."""
    text = line.strip()
    words = text.split()
    return (len(words) >= 4 and words[-1].isalpha() and words[-1].islower()
            and not any(c in text for c in "=(){}[]<>_`|\t/"))
