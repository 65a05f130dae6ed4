"""When two questions are the same question: the one judgement behind record ids, merging a
question a page asks twice, and which note a reworded question keeps.

A question is its wording, with spacing, end punctuation and the case of ordinary words
ignored; case counts where it carries meaning (a single letter, "R" or "r"; code,
"print(X)"). A question that leans on its section ("What are the advantages?", "What is the
time complexity of this algorithm?") is that question *in its section*.

Rewording keeps a question (function words, word order, spelling, added words); a changed
number, letter, symbol, name, negation, or a content word replaced by another ("L1"/"L2",
"BERT"/"GPT", "overfitting"/"underfitting", "max"/"min") makes a different question, however
close the two strings are.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from difflib import SequenceMatcher
from functools import lru_cache

from .lexicon import vocabulary

SELF_CONTAINED_WORDS = 3  # content words a question needs to mean the same in any section
# words that point back to what the section is about: "this algorithm", "its advantages"
_POINTING_BACK = vocabulary.words("question.pointing_back")
# words whose change rewords a question without changing what it asks
_FUNCTION_WORDS = (vocabulary.words("question.function_words")
                   | vocabulary.words("question.rewording_words"))
_NEGATIONS = vocabulary.words("question.negations")
_ROMAN = re.compile(r"(?:i{1,3}|iv|vi{0,3}|ix|xi{0,3})")
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")
_EDGE_PUNCTUATION = "\"'“”‘’()[]{},.;:!?*"
_TERM = re.compile(r"\w+|[^\w\s\"'“”‘’(),.;:!?*\-]")
_CONTRACTION = re.compile(r"(?i)n['’]t\b|['’](?:s|re|ve|ll|d|m)\b")
MAX_KEY_CHARS = 1000  # a question longer than this is judged by its head and tail
SPELLING_VARIANT = 0.75  # similarity of two words that spell one word ("optimiser"/"optimizer")


def _plain(text: str) -> str:
    if not text.isascii():  # look-alikes and zero-width characters are all outside ASCII
        text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))
    if len(text) > MAX_KEY_CHARS:
        text = text[:MAX_KEY_CHARS // 2] + " … " + text[-MAX_KEY_CHARS // 2:]
    return text


def _is_word(token: str) -> bool:
    """An ordinary word, whose case is only typography: two letters or more, nothing of code."""
    return sum(c.isalpha() for c in token) >= 2 and all(c.isalnum() or c in "-'’" for c in token)


def identity_key(text: str) -> str:
    """A question's wording as its identity: spacing, end punctuation and the case of ordinary
    words ignored, the case of letters and code kept."""
    words = []
    for token in _plain(text).split():
        folded = token.casefold()
        # only a token with capitals can lose meaning by folding: most have none
        words.append(folded if folded == token or _is_word(token.strip(_EDGE_PUNCTUATION))
                     else token)
    return " ".join(words).strip(" ?.:!")


def leans_on_section(question: str) -> bool:
    """A question that means something only in its section: few content words, or words that
    point back at the section's subject."""
    words = [w.casefold() for w in _TERM.findall(_plain(question))]
    content = [w for w in words if w not in _FUNCTION_WORDS and len(w) > 2]
    return len(content) < SELF_CONTAINED_WORDS or any(w in _POINTING_BACK for w in words)


def asking(question: str, section: str | None) -> str:
    """What a question asks, as text: with its section when it leans on it."""
    return f"{section}\n{question}" if section and leans_on_section(question) else question


def asking_key(question: str, section: str | None) -> str:
    """The identity of a question in its page: two records with one key are one question."""
    return identity_key(asking(question, section))


@lru_cache(maxsize=8192)  # matching judges each wording against several candidates
def _terms(text: str) -> tuple[list[str], list[bool]]:
    """A question's words (ordinary words case-folded) and, for each, whether adding or
    removing it changes the question: a number, letter, symbol, negation or name."""
    terms, marks = [], []
    for position, token in enumerate(_TERM.findall(_CONTRACTION.sub(_expand, _plain(text)))):
        word = token.casefold() if _is_word(token) else token
        terms.append(word)
        marks.append(not _is_word(token) or word in _NEGATIONS or bool(_ROMAN.fullmatch(word))
                     or position > 0 and any(c.isupper() for c in token[1:]))  # "BERT", "ReLU"
    return terms, marks


def _expand(match: re.Match) -> str:
    return " not" if match.group().casefold().startswith("n") else ""


def _spelling_variants(old: str, new: str) -> bool:
    """One word spelt two ways ("optimiser"/"optimizer", "model"/"models"), not two words that
    share letters ("encoder"/"decoder", "supervised"/"unsupervised", "mean"/"median")."""
    if not (_is_word(old) and _is_word(new)) or _NEGATIONS & {old, new}:
        return False
    if any(c.isdigit() for c in old + new):  # "gpt3"/"gpt4"
        return False
    if _ROMAN.fullmatch(old) or _ROMAN.fullmatch(new) or old[:3] != new[:3]:
        return False
    return SequenceMatcher(None, old, new).ratio() >= SPELLING_VARIANT


def _cancel_compounds(terms: list[str], split: Counter, joined: Counter) -> None:
    """Two words on one side written as one on the other ("data set", "dataset"): no change."""
    for first, second in zip(terms, terms[1:]):
        if split[first] > 0 and split[second] > 0 and joined[first + second] > 0:
            split[first] -= 1
            split[second] -= 1
            joined[first + second] -= 1


def same_question(old: str, new: str) -> bool:
    """Whether ``new`` rewords ``old`` (both as ``asking`` gives them) without changing what it
    asks: they differ only in function words, word order, spelling or added plain words."""
    (a, a_marks), (b, b_marks) = _terms(old), _terms(new)
    if a == b:
        return True
    gone = Counter(t for t in a if t not in _FUNCTION_WORDS)
    added = Counter(t for t in b if t not in _FUNCTION_WORDS)
    gone, added = gone - added, added - gone
    _cancel_compounds(a, gone, added)
    _cancel_compounds(b, added, gone)
    gone, added = +gone, +added  # "+" drops what was cancelled
    for word in list(gone.elements()):
        variant = next((w for w in added if added[w] > 0 and _spelling_variants(word, w)), None)
        if variant is not None:
            gone[word] -= 1
            added[variant] -= 1
    gone, added = +gone, +added
    if gone and added:  # a word replaced by another: "L1"/"L2", "batch"/"layer"
        return False
    marked = {t for t, mark in zip(a, a_marks) if mark} | {t for t, mark in zip(b, b_marks) if mark}
    return not marked & (set(gone) | set(added))
