"""What a text's words say: what it is about, whether it stops mid-sentence, whether it sums up."""

from __future__ import annotations

import re
import unicodedata

from . import vocabulary

_STOPWORDS = vocabulary.words("words.stopwords")
# Words a sentence cannot end on: a line ending on one was cut off ("... weights using").
OPEN_ENDED_WORDS = vocabulary.words("words.open_ended")
# A line that sums up the answer above it ("Overall, ...", "In summary, ...", "Each of these
# methods ..."): the end of an answer, whatever the layout.
SUMMARY_OPENING = re.compile(
    "(?:" + "|".join(map(re.escape, vocabulary.phrases("answer.summary_openings"))) + r")\b",
    re.IGNORECASE)


def keywords(text: str) -> set[str]:
    """Content words of a text, crudely stemmed, for judging what two texts are about."""
    words = re.findall(r"[a-z][a-z0-9-]+", unicodedata.normalize("NFKC", text).casefold())
    return {w.rstrip("s") for w in words if len(w) > 3 and w not in _STOPWORDS}


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
