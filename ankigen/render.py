"""Stage 4: Markdown, LaTeX and code into card HTML that Anki shows safely.

1. fenced code blocks are set aside and highlighted with Pygments;
2. math in any of the four notations (``$..$``, ``$$..$$``, ``\\(..\\)``, ``\\[..\\]``) is set
   aside so Markdown cannot eat its ``_``, ``*`` or ``\\\\``, and comes back in the MathJax
   delimiters Anki reads (``\\(..\\)`` inline, ``\\[..\\]`` display); ``$`` followed by a
   space or a digit after the closing ``$`` is a price, not math;
3. the rest is Markdown (mistune), with any HTML in the source shown as text;
4. the result passes an allow-list sanitizer (nh3).

Set-aside pieces are held as ``\\x02<n>\\x03`` placeholders; normalize strips those
characters from the input, so the text cannot forge one.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

import mistune
import nh3
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from .record import Record

_FENCE = re.compile(r"^(?P<fence>```+|~~~+)[ \t]*(?P<lang>[\w+-]*)[^\n]*\n(?P<code>.*?)^(?P=fence)[ \t]*$",
                    re.MULTILINE | re.DOTALL)
_MATH = re.compile(
    r"\$\$(?P<dd>.+?)\$\$"
    r"|\\\[(?P<bracket>.+?)\\\]"
    r"|\\\((?P<paren>.+?)\\\)"
    r"|(?<![\\$\w])\$(?P<d>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?![\d$])",
    re.DOTALL)
_PLACEHOLDER = re.compile("\x02(\\d+)\x03")
_FORMATTER = HtmlFormatter(nowrap=True)

CODE_CSS_CLASS = "highlight"
ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "del", "code", "pre", "span", "div", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "sub", "sup",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "code": {"class"}, "pre": {"class"}, "span": {"class"},
    "div": {"class"}, "ol": {"start"}, "th": {"align"}, "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


def pygments_css() -> str:
    """The highlight classes' colours, for the note type's CSS."""
    return HtmlFormatter().get_style_defs(f".{CODE_CSS_CLASS}")


def _highlight(code: str, language: str) -> str:
    try:
        lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    body = highlight(code, lexer, _FORMATTER)
    return f'<pre class="{CODE_CSS_CLASS}"><code>{body}</code></pre>'


def render_markdown(text: str) -> str:
    """One field's Markdown as sanitized HTML."""
    stash: list[str] = []

    def keep(fragment: str) -> str:
        stash.append(fragment)
        return f"\x02{len(stash) - 1}\x03"

    text = _FENCE.sub(lambda m: "\n" + keep(_highlight(m.group("code"), m.group("lang"))) + "\n", text)

    def math(match: re.Match) -> str:
        display = match.group("dd") or match.group("bracket")
        if display is not None:
            return keep(f"\\[{html.escape(display.strip(), quote=False)}\\]")
        inline = match.group("paren") or match.group("d")
        return keep(f"\\({html.escape(inline.strip(), quote=False)}\\)")

    text = _MATH.sub(math, text)
    rendered = _markdown(text)
    rendered = _PLACEHOLDER.sub(lambda m: stash[int(m.group(1))], rendered)
    rendered = re.sub(r"<p>\s*(<pre[^>]*>.*?</pre>)\s*</p>", r"\1", rendered, flags=re.DOTALL)
    return sanitize(rendered).strip()


def sanitize(fragment: str) -> str:
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="noopener noreferrer")


def render_record(record: Record) -> Record:
    return replace(record,
                   question_html=render_markdown(record.question),
                   answer_html=render_markdown(record.answer),
                   context_html=render_markdown(record.context) if record.context else "",
                   extra_html=render_markdown(record.extra) if record.extra else "")


def render(records: list[Record]) -> list[Record]:
    return [render_record(r) for r in records]
