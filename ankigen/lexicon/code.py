"""Whether a line is code: Python, SQL or MATLAB whose fence the scrape lost ("def f(x):", an
assignment, a call, "SELECT ... FROM", a "%" comment), and not prose that mentions code.

Every pattern here is anchored or bounded, so no line can make one backtrack.
"""

from __future__ import annotations

import re

from . import vocabulary
from .marks import BULLET, NUMBER_MARK

# a line that is only the name a code box prints above its code ("Python")
LANGUAGE_LABELS = vocabulary.words("code.language_labels")

# a line that opens a Python block ("def f(x):", "else:")
PY_HEADER = re.compile(r"^\s*(?:async\s+)?(?:def|class|for|while|if|elif|else|try|except|finally|with)\b.*:\s*(?:#.*)?$")
_PY_STRONG = re.compile(
    r"^\s*(?:def\s+\w+\s*\(|class\s+\w+|import\s+\w|from\s+[\w.]+\s+import\s|return\b|"
    r"print\s*\(|raise\s|yield\s|@\w+)")
_ASSIGNMENT = re.compile(r"^\s*[A-Za-z_][\w.]*(?:\[[^\]]*\])*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*"
                         r"(?:[+\-*/%]|//)?=(?!=)\s*\S")
# an R assignment ("len_a <- length(list_a)", "x[[i]] <- y"): no sentence has that arrow
R_ASSIGNMENT = re.compile(r"^\s*[A-Za-z_.][\w.]*(?:\[\[?[^\[\]\n]{0,200}\]?\])?\s*<<?-\s*\S")
# a line typed at Python's prompt (">>> df.head()"), or code commented out ("# import numpy
# as np"): code, however much prose-like text a copy flattened onto it
_PROMPT_OR_COMMENTED = re.compile(r">>>(?:\s|$)|#\s?(?:import\s+\w|from\s+[\w.]+\s+import\s|def\s+\w+\s*\("
                                  r"|print\s*\()")
_CALL = re.compile(r"^\s*[A-Za-z_][\w.]*\s*\(.*\)\s*(?:[;,]\s*)?(?:(?:#|%).*)?$")
_EXPRESSION = re.compile(r"^\s*[\w.]+\([^()]*\)(?:\.\w+\([^()]*\))*\s*(?:[&|+\-*]\s*[\w.]+\([^()]*\))*\s*$")
# an indexing expression with an operator inside: "nums[counts!=1]", "df[df.age > 30]"
_SUBSCRIPT = re.compile(r"^\s*[A-Za-z_][\w.]*\[[^\[\]\n]{0,200}[=<>!+*/%][^\[\]\n]{0,200}\]\s*$")
SQL_LINE = re.compile(r"^\s*(?:SELECT|FROM|WHERE|GROUP\s+BY|ORDER\s+BY|HAVING|LIMIT|"
                      r"(?:INNER|LEFT|RIGHT|FULL|CROSS)?\s*JOIN|INSERT\s+INTO|UPDATE|DELETE\s+FROM|"
                      r"CREATE\s+TABLE|VALUES)\b")
# a sentence about SQL ("WHERE is best explained with an example."): it ends as a sentence,
# and has no operator, star or second clause keyword of a statement
_SQL_SENTENCE = re.compile(r"[^=*<>;]*[A-Za-z][.!?]")
_SQL_CLAUSE = re.compile(r"\s(?:FROM|WHERE|BY|JOIN|SET|INTO|VALUES|ON|AS|AND|OR)\s")
MATLAB_LINE = re.compile(r";\s*%|^\s*%\s|\(\s*\d+\s*:\s*\d+\s*\)")
# eight words in a row: a sentence (possessive, so a long run of letters is not re-tried)
_PROSE = re.compile(r"\b[A-Za-z]++(?:\s++[A-Za-z,']++){7,}")
# every code pattern below needs one of these: prose without them is rejected in two searches
# (apart, as a character class alone is searched for three times as fast)
_CODE_CHAR = re.compile(r"[=(){}\[\];:%@]|<-")
_CODE_WORD = re.compile(r"^[ \t]*(?:>>>(?:\s|$)|#?\s?(?:import|from|return|raise|yield|SELECT|FROM|WHERE|"
                        r"GROUP|ORDER|HAVING|LIMIT|INNER|LEFT|RIGHT|FULL|CROSS|JOIN|INSERT|UPDATE|"
                        r"DELETE|CREATE|VALUES)\b)", re.MULTILINE)
_BRACKETED = re.compile(r"\[[^\]]{0,500}\]|\([^)]{0,500}\)|\{[^}]{0,500}\}")  # bounded: linear
# a string literal or a trailing comment of a code line: words in them are not prose
# (a quote inside a word, as in "it's", opens no string)
STRING_OR_COMMENT = re.compile(r"(?<!\w)\"[^\"\n]{0,500}\"(?!\w)|(?<!\w)'[^'\n]{0,500}'(?!\w)"
                               r"|(?<=\S)\s+#\s.*")
_LIST_ITEM = re.compile(rf"^\s*(?:{BULLET}\s|{NUMBER_MARK})")


def might_be_code(text: str) -> bool:
    """Whether any line of a text could be code: False rules out every line in one search."""
    return bool(_CODE_CHAR.search(text) or _CODE_WORD.search(text))


def is_code_line(line: str) -> bool:
    """A line of code, not prose about code; a list item is never code."""
    text = line.strip()
    if not text or _LIST_ITEM.match(line) or "\x02" in text or not might_be_code(text):
        return False
    sql = SQL_LINE.match(text)
    if sql and not (_SQL_SENTENCE.fullmatch(text) and not _SQL_CLAUSE.search(text, sql.end())):
        return True
    if _PY_STRONG.match(text) or MATLAB_LINE.search(text) or R_ASSIGNMENT.match(text) \
            or _PROMPT_OR_COMMENTED.match(text):
        return True
    # "[i for i in x if i in Y]", a quoted prompt or a comment is not prose
    if _PROSE.search(_BRACKETED.sub("()", STRING_OR_COMMENT.sub("", text))):
        return False
    return bool(PY_HEADER.match(text) or _ASSIGNMENT.match(text)
                or _CALL.match(text) and not _is_equation(text)
                or _EXPRESSION.match(text) or _SUBSCRIPT.match(text))


def _is_equation(text: str) -> bool:
    """"P(A|B) = P(B|A)*P(A)/P(B)": a formula that opens like a call, with an "=" outside
    every bracket, which a call statement never has (its keyword arguments are inside)."""
    text = STRING_OR_COMMENT.sub("", text)
    depth = 0
    for at, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(depth - 1, 0)
        elif char == "=" and depth == 0 and text[at - 1] not in "=<>!" \
                and text[at + 1:at + 2] != "=":  # not a comparison ("==", "<=", "!=")
            return True
    return False


# A heading or title line that starts as code does ("# import pandas as pd", "SELECT ...",
# "f(x) = ..."), not a heading at all. Rougher than is_code_line on purpose: a heading such as
# "RAG (Retrieval-Augmented Generation)" is a call to is_code_line, yet names a section.
CODE_START = re.compile(r"(?:def|class|import|from|for|while|if|return|print|SELECT|select)\b"
                        r"|\S{1,40}\s?=[^=]|[\w.]{1,60}\(.{0,200}\)$|>>>|#\s")
