"""Whether a line asks, and the key by which two questions are the same."""

from __future__ import annotations

import re
import unicodedata

from . import vocabulary
from .marks import BULLETS, SENTENCE_STOPS
from .stubs import is_fragment, is_stub, only_links
from .titles import is_title_case

# Words that open an exam-style prompt ("Explain ...", "Implement ..."): a question in any case.
PROMPT_VERBS = vocabulary.words("question.prompt_verbs")
# Words that open a question, unless the rest is a Title Case heading ("Why This Matters").
QUESTION_WORDS = vocabulary.words("question.question_words")
MIN_PROMPT_WORDS = 2  # "Write" or "Write for us" in a menu is not a prompt
SHORT_PROMPT_WORDS = 5
MAX_PROMPT_WORDS = 40
_CODE_POINTERS, _CODE_NOUNS, _OUTPUT_WORDS = (
    "|".join(map(re.escape, vocabulary.phrases(f"question.{group}")))
    for group in ("code_pointers", "code_nouns", "output_words"))
# "the following query", "this function", "the snippet below"; "What does ... print?"
_REFERS_TO_CODE = re.compile(rf"(?i)\b(?:{_CODE_POINTERS})\s(?:\w{{1,12}}\s)?(?:{_CODE_NOUNS})"
                             rf"|\bwhat\b.{{0,40}}\b(?:{_OUTPUT_WORDS})\b")
# A note in brackets after a question that is no answer to it: an instruction to the answerer
# ("(Discuss runtime)"), a remark on the question ("(trick question)", "(asked at Amazon)",
# "(easy)"), a narrowing of it ("(in Python)"), or the form the answer should take
# ("(intuitive and mathematical)")
_NOTE_OPENERS = vocabulary.words("question.note_openers") | PROMPT_VERBS
_NOTE_WORDS = vocabulary.words("question.note_words") | vocabulary.words("chrome.difficulty")
_SCOPE_OPENERS = vocabulary.words("question.scope_openers")
_FORM_WORDS = vocabulary.words("question.answer_forms") | vocabulary.words("question.function_words")
# a remark on the question or a narrowing of it is short; a longer text may answer
# ("(for a particular architecture, for other tasks, etc.)")
MAX_NOTE_WORDS = 5
_NOTE_WORD = re.compile(r"[\w'’-]+")
_BRACKET_DEPTH = {")": 1, "(": -1}
_NEXT_SENTENCE = re.compile(r"[a-z)][.!] [A-Z]")
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")


def question_key(text: str) -> str:
    """How two questions are judged the same: look-alike letters, case, spacing and end punctuation ignored."""
    if not text.isascii():  # look-alikes and zero-width characters are all outside ASCII
        text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(text.casefold().split()).strip(" ?.:!")


def first_word(text: str) -> str:
    match = re.match(r"\W*(\w+)", text)
    return match.group(1).casefold() if match else ""


def asks(text: str) -> bool:
    """Ends in a question mark (a hint in brackets after it aside)."""
    core = text.strip().strip("*_").strip()
    if core.endswith(")") and "(" in core:  # "...? (Hint: not 25)"
        core = core[:core.rfind("(")].rstrip()
    return core.endswith("?")


def reads_as_question(text: str) -> bool:
    """A line of running text that is a whole question: ends in '?' (before a hint in
    brackets), or is one sentence of an interview prompt ("Explain TF-IDF.", "Write a query
    that ..."), or opens with a question word and asks. "What is attention" and "Explain"
    alone are not (a heading may be: is_question_heading)."""
    text = text.strip().strip("*_").strip()
    if not text:
        return False
    if asks(text):
        return True
    word = first_word(text)
    if word in PROMPT_VERBS:
        words = len(text.split())  # a short prompt ends as a sentence: "Explain TF-IDF."
        return MIN_PROMPT_WORDS <= words <= MAX_PROMPT_WORDS and (
            words >= SHORT_PROMPT_WORDS or text.endswith((".", ":"))) and not _NEXT_SENTENCE.search(
            text[:-1])  # one sentence: "Build projects. A portfolio ..." is a paragraph
    return word in QUESTION_WORDS and "?" in text


def opens_like_question(text: str) -> bool:
    """Opens with a question word or a prompt ("What ...", "Explain ..."), not "So ..."."""
    word = first_word(text)
    return word in QUESTION_WORDS or word in PROMPT_VERBS


def is_question_heading(text: str) -> bool:
    """A line already set apart as a heading that asks or prompts, rather than titling a part
    of an answer: unlike a line of running text it needs no '?' nor a whole sentence
    ("What is attention", "Explain Pearson's Correlation Coefficient"), but a question word
    before a Title Case rest is a sub-heading ("Why This Matters")."""
    text = text.strip()
    if asks(text) or first_word(text) in PROMPT_VERBS:
        return True
    return first_word(text) in QUESTION_WORDS and not is_title_case(text.split(None, 1)[-1])


def refers_to_code(question: str) -> bool:
    """A question about code it shows ("What does the following query return?"): the code
    under it is the question's own, not its answer."""
    return bool(_REFERS_TO_CODE.search(question))


QUESTION_LIST_LINES = 3


def only_asks(answer: str) -> bool:
    """Every line of the "answer" is a question: sub-questions the page leaves open; or it
    opens with a list of questions (three lines in a row, each a whole question), the page's
    next questions under one it leaves unanswered."""
    if "?" not in answer:  # most answers ask nothing
        return False
    lines = [line.strip().lstrip(BULLETS + " ") for line in answer.splitlines()]
    lines = [line for line in lines if line]
    return bool(lines) and (all(map(asks, lines)) or len(lines) >= QUESTION_LIST_LINES
                            and all(map(reads_as_question, lines[:QUESTION_LIST_LINES])))


def answer_in_brackets(question: str) -> tuple[str, str] | None:
    """"What is X? (Y, because Z)" -> ("What is X?", "Y, because Z"): the terse answer a list of
    questions may put in brackets after a question's end (a sentence stop), with any brackets
    it nests. None where the brackets are part of the question ("What is O(n log n)?",
    "Explain dropout (in training vs. inference)."), or say no more than a note: an
    instruction or a remark on the question (``_is_note``), an acronym, a name or a tag of
    one word or of names only ("(BPTT)", "(Google, Meta)"), or a link."""
    text = question.rstrip()
    if not text.endswith(")"):
        return None
    depth = 0
    for at in range(len(text) - 1, -1, -1):  # the opening bracket of the last one
        depth += _BRACKET_DEPTH.get(text[at], 0)
        if depth == 0:
            break
    before, inside = text[:at].rstrip(), text[at + 1:-1].strip()
    if depth or not before.endswith(SENTENCE_STOPS):
        return None
    words = _NOTE_WORD.findall(inside)
    if len(words) < 2 or all(word[:1].isupper() or word[:1].isdigit() for word in words) \
            or _is_note(words) or is_fragment(inside) or only_links(inside) or is_stub(inside):
        return None
    return before, inside


def _is_note(words: list[str]) -> bool:
    """Whether the words in brackets after a question are a note on it rather than its answer."""
    words = [word.casefold() for word in words]
    opening = {words[0], " ".join(words[:2])}  # "consider", "talk about"
    short = len(words) <= MAX_NOTE_WORDS
    return (bool(opening & _NOTE_OPENERS) or all(word in _FORM_WORDS for word in words)
            or short and (bool(opening & _SCOPE_OPENERS)
                          or any(word in _NOTE_WORDS for word in words)))
