"""Code in answers: fenced blocks, and unfenced code whose fences and indentation the scrape lost.

An unfenced block is a run of lines that read as Python, SQL or MATLAB (a ``def`` line, an
assignment, a call, ``SELECT ... FROM``, a ``%`` comment); blank lines inside a run are kept
when code follows them. Where the scrape flattened Python's indentation, it is restored only
where the syntax makes it certain: the line after one ending in ``:`` is its body,
``else``/``elif``/``except``/``finally`` line up with their ``if``/``try``, a function's closing
``return`` is back in its body, and after a ``return``/``break`` that closes the only open block
the code goes on at that block's level. A line that could sit at more than one level leaves the
whole block flat, as the page had it (and the report says so); a restored block must parse.
Code is never reflowed into prose.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from ..code_style import CSS_CLASS
from ..lexicon.code import (LANGUAGE_LABELS, MATLAB_LINE, PY_HEADER, R_ASSIGNMENT, SQL_LINE,
                            STRING_OR_COMMENT, is_code_line)
from ..lexicon.marks import FENCE_LINE, FENCED_BLOCK, GLUED_FENCE, may_hold_fence

INDENT = "    "

_COMMENT = re.compile(r"^\s*#\s*\S")
_OPENING, _CLOSING = "([{", ")]}"
MAX_NESTING = 100  # Python refuses deeper blocks; a restoration never needs to go there
MAX_CONTINUATION = 40  # lines a call's open bracket may hold (a page's example, not a program)
_DEDENT_KEYWORDS = re.compile(r"^(?:else|elif|except|finally)\b")
# what ast.parse raises on code it cannot take: also a nesting too deep for the parser
_UNPARSABLE = (SyntaxError, ValueError, RecursionError, MemoryError)
_BLOCK_CLOSER = re.compile(r"^(?:return|raise|break|continue)\b")  # nothing after it in its block
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
    flat: bool = False  # Python whose lost indentation could not be restored with certainty


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
        open_brackets, held = _bracket_balance(lines[i]), 0
        margin = _width(lines[i])  # the run's own indentation: deeper lines are inside it
        session = lines[i].lstrip().startswith(">>>")  # at Python's prompt: output follows
        while j < len(lines):
            if 0 < open_brackets and held < MAX_CONTINUATION and lines[j].strip():
                last = j  # inside a call's brackets: its arguments, whatever they look like
                open_brackets += _bracket_balance(lines[j])
                held += 1
            elif (is_code_line(lines[j]) or lines[j].strip() in ("{", "}", "end")
                  # a line indented inside the code ("break" under an "if"): its body
                  or lines[j].strip() and (_width(lines[j]) > margin or session)):
                last = j
                open_brackets, held = max(_bracket_balance(lines[j]), 0), 0
            elif not (_COMMENT.match(lines[j])
                      or not lines[j].strip() and _continues(lines[following[j]]
                                                             if following[j] is not None else "")):
                break  # comments and blank lines belong to the run only if code follows them
            j += 1
        # without the indentation all its lines share (an answer indented as a whole)
        chunk = textwrap.dedent("\n".join(lines[first:last + 1])).split("\n")
        language = _language(chunk)
        if first > 0 and (label := lines[first - 1].strip().casefold()) in LANGUAGE_LABELS:
            # the code box's label names its language
            first, language = first - 1, "python" if label.startswith("python") else label
        code, restored = _restore_indentation(chunk, language)
        blocks.append(CodeBlock(first, last, language, code, not restored))
        i = last + 1
    return blocks


def _bracket_balance(line: str) -> int:
    """Brackets a code line leaves open (negative: closes more than it opens)."""
    code = STRING_OR_COMMENT.sub("", line)
    return sum(code.count(c) for c in _OPENING) - sum(code.count(c) for c in _CLOSING)


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


def _width(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _language(chunk: list[str]) -> str:
    if any(SQL_LINE.match(line.strip()) for line in chunk):
        return "sql"
    if any(R_ASSIGNMENT.match(line) for line in chunk):
        return "r"
    if any(line.lstrip().startswith(">>>") for line in chunk):
        return "pycon"  # a session at Python's prompt, its output between
    if any(MATLAB_LINE.search(line) for line in chunk):
        return "matlab"
    return "python"


def _restore_indentation(chunk: list[str], language: str) -> tuple[str, bool]:
    """The chunk with its Python indentation restored, and whether that was possible.

    Only what the syntax makes certain is restored. A statement after a block's body could
    still be in the block or after it: the levels it could take are narrowed by the cues
    (after ``return``/``break`` the block is over; a line that reads a function's parameter or
    local is in that function); if more than one is left, the chunk stays flat as the page had
    it (False), and so does a restoration that does not parse.
    """
    lines = [line.rstrip() for line in chunk]
    flat = "\n".join(lines)
    flattened = all(not line[:1].isspace() for line in lines if line)
    if language != "python" or not flattened or not any(PY_HEADER.match(l) for l in lines):
        return flat, True
    statements, continued, comments = _statements(lines)
    out = list(lines)
    stack: list[_Block] = []
    top_names: set[str] = set()
    depth, previous = 0, ""
    for position, index in enumerate(statements):
        line = lines[index]
        keyword = line.split(None, 1)[0].rstrip(":")
        bound, read = _names(line)
        if PY_HEADER.match(previous):
            depth += 1  # a header's next line is its body
        elif _DEDENT_KEYWORDS.match(line):
            if (level := _opener_level(stack, keyword)) is None:
                return flat, False
            depth = level
        elif keyword == "return" and position == len(statements) - 1 and any(
                b.keyword == "def" for b in stack):
            depth = [b.level for b in stack if b.keyword == "def"][-1] + 1  # closing return
        else:
            levels = [0] + [b.level + 1 for b in stack]  # after every block, or still in one
            if _BLOCK_CLOSER.match(previous):
                levels.pop()  # nothing follows a return in its own block
            owners = [b.level + 1 for b in stack if b.names is not None and
                      (read & b.names) - top_names]
            levels = [level for level in levels if level >= max(owners, default=0)]
            if len(levels) != 1:
                return flat, False  # the page does not say which
            depth = levels[0]
        while stack and stack[-1].level >= depth:
            stack.pop()
        if len(stack) >= MAX_NESTING:
            return flat, False  # deeper than Python itself allows: no certainty to be had
        functions = [b for b in stack if b.names is not None]
        if PY_HEADER.match(line):
            is_def = keyword in ("def", "async")
            (functions[-1].names if functions else top_names).update(
                bound if not is_def else {line.split("(")[0].split()[-1]})
            stack.append(_Block(keyword, depth, bound if is_def else None))
        else:
            (functions[-1].names if functions else top_names).update(bound)
        out[index] = INDENT * depth + line
        previous = line
    for index, statement in continued.items():  # a call's arguments: one level in
        out[index] = INDENT * (_indent_of(out[statement]) + 1) + lines[index]
    for index, statement in comments.items():  # a comment: at the level of what it precedes
        out[index] = INDENT * _indent_of(out[statement]) + lines[index]
    restored = "\n".join(out)
    try:
        ast.parse(restored)
    except _UNPARSABLE:
        return flat, False
    return restored, True


def _statements(lines: list[str]) -> tuple[list[int], dict[int, int], dict[int, int]]:
    """Indexes of the statements; of the lines continuing a statement inside its brackets, and
    of the comment lines, each with the statement that sets its level."""
    statements: list[int] = []
    continued: dict[int, int] = {}
    comments: set[int] = set()
    open_brackets = 0
    for index, line in enumerate(lines):
        if not line:
            continue
        if open_brackets > 0:
            continued[index] = statements[-1]
        elif line.startswith("#"):
            comments.add(index)
            continue
        else:
            statements.append(index)
        open_brackets = max(open_brackets + _bracket_balance(line), 0)
    upcoming, following = {}, statements[-1] if statements else 0
    for index in range(len(lines) - 1, -1, -1):  # one pass back: each comment's next statement
        if index in comments:
            upcoming[index] = following
        elif lines[index] and index not in continued:
            following = index
    return statements, continued, upcoming


def _indent_of(line: str) -> int:
    return (len(line) - len(line.lstrip(" "))) // len(INDENT)


@dataclass
class _Block:
    keyword: str
    level: int  # indentation level of its header
    names: set[str] | None = None  # a function's parameters and locals


def _names(statement: str) -> tuple[set[str], set[str]]:
    """(names bound, names read) by one statement; none when it does not parse on its own."""
    text = statement.strip()
    try:
        tree = ast.parse(text + " pass" if text.endswith(":") else text)
    except _UNPARSABLE:
        return set(), set()
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store) else read).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return bound, read


def _opener_level(stack: list[_Block], keyword: str) -> int | None:
    """The level of the block an ``else``/``elif``/``except``/``finally`` continues: the nearest
    ``if``/``try`` (a loop's ``else`` is rare), else the nearest loop."""
    candidates = [(b.keyword, b.level) for b in stack if b.keyword in _BLOCK_OPENERS[keyword]]
    branches = [level for word, level in candidates if word not in ("for", "while")]
    if branches:
        return branches[-1]
    return candidates[-1][1] if candidates else None


def repair_fences(text: str) -> str:
    """Mend fences the scrape broke: a closing fence glued to the end of a line goes on its own
    line; an opening fence never closed (before the next opening one or the end), or a closing
    fence with nothing open, is dropped, leaving its code to the unfenced-code detection."""
    if not may_hold_fence(text):
        return text
    lines = []
    for line in text.split("\n"):
        if (match := GLUED_FENCE.match(line)) and not FENCE_LINE.match(line):
            lines.extend([match.group(1), match.group(2)])
        else:
            lines.append(line)
    fences = [i for i, line in enumerate(lines) if FENCE_LINE.match(line)]
    keep: set[int] = set()
    position = 0
    while position < len(fences):
        opener = fences[position]
        closer = fences[position + 1] if position + 1 < len(fences) else None
        if closer is not None and not FENCE_LINE.match(lines[closer]).group("lang"):
            keep.update((opener, closer))
            position += 2
        else:
            position += 1
    return "\n".join(line for i, line in enumerate(lines) if i in keep or i not in fences)


def fenced_blocks(text: str):
    """(match start, match end, language, code, indent) of every fenced block in the text; the
    code loses as much of each line's indentation as its fence has, as CommonMark reads it
    (a fence indented under a list item is the item's, and so is its code's indentation)."""
    if not may_hold_fence(text):
        return
    for match in FENCED_BLOCK.finditer(text):
        indent = match.group("indent")
        code = match.group("code")
        if indent:
            width = len(indent.expandtabs(4))
            code = "".join(line[min(width, len(line) - len(line.lstrip(" \t"))):]
                           for line in code.splitlines(keepends=True))
        yield match.start(), match.end(), match.group("lang"), code, indent
