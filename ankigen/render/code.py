"""Code in answers: fenced blocks, and unfenced code whose fences and indentation the scrape lost.

An unfenced block is a run of lines that read as Python, SQL or MATLAB (a ``def`` line, an
assignment, a call, ``SELECT ... FROM``, a ``%`` comment); blank lines inside a run are kept
when code follows them. Where the scrape flattened Python's indentation, only what the syntax
makes certain is restored: the line after one ending in ``:`` is its body, ``else``/``elif``/
``except``/``finally`` line up with their ``if``/``try``, and a function's closing ``return``
is back in its body. Everything else keeps its place; code is never reflowed into prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

CSS_CLASS = "highlight"
INDENT = "    "

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)[ \t]*(?P<lang>[\w+-]*)[^\n]*\n"
                    r"(?P<code>.*?)^[ \t]*(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL)
_FENCE_LINE = re.compile(r"^[ \t]*(?:```+|~~~+)[ \t]*(?P<lang>[\w+-]*)[ \t]*$")
_GLUED_CLOSER = re.compile(r"^(.*\S)\s*(```+)\s*$")
_PY_HEADER = re.compile(r"^\s*(?:async\s+)?(?:def|class|for|while|if|elif|else|try|except|finally|with)\b.*:\s*(?:#.*)?$")
_PY_STRONG = re.compile(
    r"^\s*(?:def\s+\w+\s*\(|class\s+\w+|import\s+\w|from\s+[\w.]+\s+import\s|return\b|"
    r"print\s*\(|raise\s|yield\s|@\w+)")
_ASSIGNMENT = re.compile(r"^\s*[A-Za-z_][\w.]*(?:\[[^\]]*\])*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*"
                         r"(?:[+\-*/%]|//)?=(?!=)\s*\S")
_CALL = re.compile(r"^\s*[A-Za-z_][\w.]*\s*\(.*\)\s*(?:[;,]\s*)?(?:(?:#|%).*)?$")
_EXPRESSION = re.compile(r"^\s*[\w.]+\([^()]*\)(?:\.\w+\([^()]*\))*\s*(?:[&|+\-*]\s*[\w.]+\([^()]*\))*\s*$")
_SQL = re.compile(r"^\s*(?:SELECT|FROM|WHERE|GROUP\s+BY|ORDER\s+BY|HAVING|LIMIT|"
                  r"(?:INNER|LEFT|RIGHT|FULL|CROSS)?\s*JOIN|INSERT\s+INTO|UPDATE|DELETE\s+FROM|"
                  r"CREATE\s+TABLE|VALUES)\b")
_MATLAB = re.compile(r";\s*%|^\s*%\s|\(\s*\d+\s*:\s*\d+\s*\)")
_COMMENT = re.compile(r"^\s*#\s*\S")
# eight words in a row: a sentence (possessive, so a long run of letters is not re-tried)
_PROSE = re.compile(r"\b[A-Za-z]++(?:\s++[A-Za-z,']++){7,}")
# every code pattern below needs one of these: prose without them is rejected in two searches
# (apart, as a character class alone is searched for three times as fast)
_CODE_CHAR = re.compile(r"[=(){}\[\];:%@]")
_CODE_WORD = re.compile(r"^[ \t]*(?:import|from|return|raise|yield|SELECT|FROM|WHERE|GROUP|ORDER|"
                        r"HAVING|LIMIT|INNER|LEFT|RIGHT|FULL|CROSS|JOIN|INSERT|UPDATE|DELETE|"
                        r"CREATE|VALUES)\b", re.MULTILINE)
_BRACKETED = re.compile(r"\[[^\]]{0,500}\]|\([^)]{0,500}\)|\{[^}]{0,500}\}")  # bounded: linear
_BULLET = re.compile(r"^\s*(?:[-•*+]\s|\d+[.)]\s)")
_DEDENT_KEYWORDS = re.compile(r"^(?:else|elif|except|finally)\b")
_BLOCK_OPENERS = {"else": ("if", "elif", "for", "while", "try", "except"),
                  "elif": ("if", "elif"), "except": ("try", "except"),
                  "finally": ("try", "except", "else")}

_FORMATTER = HtmlFormatter(nowrap=True)


@dataclass
class CodeBlock:
    first: int  # index of the first line in the list given to find_code_blocks
    last: int
    language: str
    code: str


def pygments_css() -> str:
    return HtmlFormatter().get_style_defs(f".{CSS_CLASS}")


@lru_cache(maxsize=64)
def _lexer(language: str):
    try:
        return get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        return TextLexer()


@lru_cache(maxsize=4096)  # the same snippet recurs across answers and rebuilds
def highlight_code(code: str, language: str) -> str:
    lexer = _lexer(language)
    body = highlight(code, lexer, _FORMATTER)
    name = lexer.aliases[0] if lexer.aliases else "text"
    return f'<pre class="{CSS_CLASS}"><code class="language-{name}">{body.rstrip()}</code></pre>'


def might_be_code(text: str) -> bool:
    """Whether any line of a text could be code: False rules out every line in one search."""
    return bool(_CODE_CHAR.search(text) or _CODE_WORD.search(text))


def is_code_line(line: str) -> bool:
    text = line.strip()
    if not text or _BULLET.match(line) or "\x02" in text or not might_be_code(text):
        return False
    if _SQL.match(text) or _PY_STRONG.match(text) or _MATLAB.search(text):
        return True
    if _PROSE.search(_BRACKETED.sub("()", text)):  # "[i for i in x if i in Y]" is not prose
        return False
    return bool(_PY_HEADER.match(text) or _ASSIGNMENT.match(text) or _CALL.match(text)
                or _EXPRESSION.match(text))


def find_code_blocks(lines: list[str]) -> list[CodeBlock]:
    """Runs of code-looking lines, with a comment line just before a run taken along."""
    blocks: list[CodeBlock] = []
    following = _next_content(lines)
    i = 0
    while i < len(lines):
        if not is_code_line(lines[i]):
            i += 1
            continue
        first = i - 1 if i > 0 and _COMMENT.match(lines[i - 1]) else i
        last = i
        j = i + 1
        while j < len(lines):
            if is_code_line(lines[j]) or lines[j].strip() in ("}", "end"):
                last = j
            elif not (_COMMENT.match(lines[j])
                      or not lines[j].strip() and _continues(lines[following[j]]
                                                             if following[j] is not None else "")):
                break  # comments and blank lines belong to the run only if code follows them
            j += 1
        chunk = lines[first:last + 1]
        language = _language(chunk)
        blocks.append(CodeBlock(first, last, language, _restore_indentation(chunk, language)))
        i = last + 1
    return blocks


def _next_content(lines: list[str]) -> list[int | None]:
    """For each line, the index of the next non-blank line after it: one pass from the end,
    so that a run of blank lines is not scanned again from each of its lines."""
    following: list[int | None] = [None] * len(lines)
    upcoming = None
    for index in range(len(lines) - 1, -1, -1):
        following[index] = upcoming
        if lines[index].strip():
            upcoming = index
    return following


def _continues(following: str) -> bool:
    """Whether code goes on with ``following``, the next line after some blank lines."""
    return bool(following) and (is_code_line(following) or following.startswith((" ", "\t")))


def _language(chunk: list[str]) -> str:
    if any(_SQL.match(line.strip()) for line in chunk):
        return "sql"
    if any(_MATLAB.search(line) for line in chunk):
        return "matlab"
    return "python"


def _restore_indentation(chunk: list[str], language: str) -> str:
    lines = [line.rstrip() for line in chunk]
    flattened = all(not line[:1].isspace() for line in lines if line)
    if language != "python" or not flattened or not any(_PY_HEADER.match(l) for l in lines):
        return "\n".join(lines)
    out: list[str] = []
    stack: list[tuple[str, int]] = []  # open blocks: (keyword, indentation level of the header)
    depth = 0
    for index, line in enumerate(lines):
        if not line:
            out.append("")
            continue
        keyword = line.split(None, 1)[0].rstrip(":")
        if _DEDENT_KEYWORDS.match(line):
            openers = _BLOCK_OPENERS[keyword]
            while stack and stack[-1][0] not in openers:
                stack.pop()
            depth = stack.pop()[1] if stack else max(depth - 1, 0)
        elif keyword == "return" and index == len(lines) - 1:
            functions = [level for word, level in stack if word == "def"]
            if functions:  # a function's last line returns from the function
                depth = functions[-1] + 1
        out.append(INDENT * depth + line)
        if _PY_HEADER.match(line):
            stack.append((keyword, depth))
            depth += 1
    return "\n".join(out)


def repair_fences(text: str) -> str:
    """Mend fences the scrape broke: a closing fence glued to the end of a line goes on its own
    line; an opening fence never closed (before the next opening one or the end), or a closing
    fence with nothing open, is dropped, leaving its code to the unfenced-code detection."""
    if "```" not in text and "~~~" not in text:
        return text
    lines = []
    for line in text.split("\n"):
        if (match := _GLUED_CLOSER.match(line)) and not _FENCE_LINE.match(line):
            lines.extend([match.group(1), match.group(2)])
        else:
            lines.append(line)
    fences = [i for i, line in enumerate(lines) if _FENCE_LINE.match(line)]
    keep: set[int] = set()
    position = 0
    while position < len(fences):
        opener = fences[position]
        closer = fences[position + 1] if position + 1 < len(fences) else None
        if closer is not None and not _FENCE_LINE.match(lines[closer]).group("lang"):
            keep.update((opener, closer))
            position += 2
        else:
            position += 1
    return "\n".join(line for i, line in enumerate(lines) if i in keep or i not in fences)


def fenced_blocks(text: str):
    """(match start, match end, language, code) of every fenced block in the text."""
    if "```" not in text and "~~~" not in text:
        return
    for match in _FENCE.finditer(text):
        yield match.start(), match.end(), match.group("lang"), match.group("code")
