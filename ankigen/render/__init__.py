"""Stage 4: Markdown, LaTeX and code into card HTML that Anki shows safely.

1. code is set aside and highlighted with Pygments: fenced blocks (fences the scrape broke
   mended first), and unfenced code whose fences and indentation the scrape lost
   (``render.code``);
2. math in any of the four notations (``$..$``, ``$$..$$``, ``\\(..\\)``, ``\\[..\\]``) is set
   aside so Markdown cannot eat its ``_``, ``*`` or ``\\\\``, and comes back in the MathJax
   delimiters Anki reads (``\\(..\\)`` inline, ``\\[..\\]`` display); a ``$`` followed by a
   space, or a closing ``$`` followed by a digit, is a price, not math; a delimiter left
   without its partner is shown as text (and reported) so MathJax cannot swallow the card;
3. scraped forms become Markdown (``render.forms``): run-together and lettered list items,
   tab-separated tables;
4. the rest is Markdown (mistune), every line break kept (a line of a copied page is a line
   the page showed; normalize has already joined a hard-wrapped paragraph), no indented
   code blocks (scraped indentation is not code); HTML the page writes for what Markdown cannot say (``<sub>``,
   ``<code><i>O</i>(n)</code>``, ``<br>``, an HTML table) is kept, any other tag shown as
   text; an image becomes a stand-in naming it (a link where it is on the web), reported;
5. the result passes an allow-list sanitizer (nh3).

Every field of a note, a one-line label such as a section heading as much as an answer, goes
through ``render_field``, which also shows as text what Anki itself would play, speak or
compile in a field.

Set-aside pieces are held as ``\\x02<n>\\x03`` placeholders; normalize strips those
characters from the input, so the text cannot forge one.
"""

from __future__ import annotations

import html
import re
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import nh3

from ..code_style import pygments_css
from ..fields import LINE, NOTE_FIELDS
from ..lexicon.code import is_code_line, might_be_code
from ..lexicon.marks import FENCE, LIST_ITEM
from ..media import (MEDIA_NAME, ImageError, fetched_images, fetched_images_folder, load_image,
                     resolve_image)
from ..record import ATTRIBUTE_ORDER, MAX_FIELD_BYTES, Record
from .code import find_code_blocks, fenced_blocks, highlight_code, repair_fences
from .forms import scraped_forms_as_markdown

__all__ = ["render_field", "render_markdown", "render_record", "pygments_css", "sanitize"]

# a formula is at most 4,000 characters, so an unclosed opener is not scanned to the
# end of the text again and again (each of many unclosed "\(" would cost the whole rest);
# it holds no other "\(" "\)" "\[" "\]": with one inside, its opener is a stray one
_TEX = r"(?:[^\\]|\\[^()\[\]])"  # an escaped pair whole: "\\\\[4pt]" is a line break
_MATH = re.compile(
    rf"\$\$(?P<dd>{_TEX}{{1,4000}}?)\$\$"
    rf"|\\\[(?P<bracket>{_TEX}{{1,4000}}?)\\\]"
    rf"|\\\((?P<paren>{_TEX}{{1,4000}}?)\\\)"
    r"|(?<![\\$\w])\$(?P<d>[^\s$](?:(?:[^$\n\\]|\\[^()\[\]\n])*?[^\s$\\])?)\$(?![\d$])",
    re.DOTALL)
# MathJax macros that make links, styles, ids or load extensions: never on a card
_UNSAFE_MACRO = re.compile(r"\\(?:href|style|class|cssId|unicode|require|url|data|html"
                           r"|toggle|mathtip|texttip|tooltip)(?![A-Za-z])")
# What Anki reads in a field's text, whatever the template: it plays "[sound:...]", speaks
# "[anki:tts lang=...]...[/anki:tts]" (hiding the text, or showing an error without a lang),
# turns "[anki:play:...]" into a play button and compiles "[latex]", "[$]" and "[$$]". Every
# "[anki:" tag is shown as text, whichever Anki reads now or later. Anki does not read "{{"
# in a field, but a note moved to a Cloze note type would read a page's "{{c1::...}}".
_ANKI_SYNTAX = re.compile(r"\[(?=sound:|/?anki:|/?latex\]|/?\$\$?\])|\{\{|\}\}", re.IGNORECASE)
_AS_TEXT = {"[": "&#91;", "{{": "&#123;&#123;", "}}": "&#125;&#125;"}
_GLUED_DISPLAY = re.compile(r"\$\$\s*\$\$")  # "\[ a $$ $$ b \]": two formulas glued
_STRAY_DELIMITER = re.compile(r"\\[()\[\]]|\$\$")
_PLACEHOLDER = re.compile("\x02(\\d+)\x03")
_NO_PLACEHOLDERS = str.maketrans("", "", "\x02\x03")
# whitespace other than " " and "\n" (tabs, form feeds, Unicode spaces: all below U+3001)
_ODD_SPACES = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace() and ch not in " \n")
# characters that make a text more than plain paragraphs: one character class, one fast scan
_NOT_PLAIN = re.compile("[" + re.escape("*_`[]<>\\$|~#{}!\x02\x03" + _ODD_SPACES) + "]")
# line starts that make a text more than plain paragraphs: searched for in "\n" + text, as a
# pattern that starts with a plain character is found fast
# (indentation within the line only: "\s*" would rescan a run of blank lines from each)
_BLOCK_START = re.compile(rf"\n[ \t]*(?:[-+=>:]|\d+[.)]|[a-h][.)]|{FENCE})")
_CODE_IN_PRE = re.compile(r"<p>\s*(<pre[^>]*>.*?</pre>)\s*</p>", re.DOTALL)

# HTML a page may write inside its Markdown for what Markdown cannot say ("H<sub>2</sub>O",
# "<code><i>O</i>(n)</code>", a "<br>"): kept, and cleaned by the sanitizer; any other tag
# ("List<String>", "<script>") is shown as the text it is
PAGE_HTML_TAGS = {"b", "i", "u", "s", "em", "strong", "del", "code", "kbd", "mark", "small",
                  "sub", "sup", "br"}
PAGE_HTML_BLOCK_TAGS = PAGE_HTML_TAGS | {"p", "div", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_TAGS = PAGE_HTML_TAGS | {
    "p", "hr", "pre", "span", "div", "blockquote", "img",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "code": {"class"}, "pre": {"class"}, "span": {"class"},
    "div": {"class"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}, "img": {"src", "alt"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@cache  # made on first use: a rebuild that renders nothing never imports mistune
def _markdown():
    import mistune

    class CardRenderer(mistune.HTMLRenderer):
        def link(self, text: str, url: str, title: str | None = None) -> str:
            # a card lives in Anki, not on the page: an empty, relative or in-page target
            # ("[]()", "[x](docs/a.md)", "[x](#top)") leads nowhere, so only the text is kept
            if not _is_web_address(url):
                return text
            return super().link(text, url, title)

        def image(self, text: str, url: str, title: str | None = None) -> str:
            return _image(text, url)

        def inline_html(self, html_text: str) -> str:
            tag = _HTML_TAG.fullmatch(html_text)
            name = tag.group(1).lower() if tag else ""
            if name == "img":
                return _image(_attribute(html_text, "alt"), _attribute(html_text, "src"))
            return html_text if name in PAGE_HTML_TAGS else super().inline_html(html_text)

        def block_html(self, html_text: str) -> str:
            names = {m.group(1).lower() for m in _HTML_TAG.finditer(html_text)}
            if names and names <= PAGE_HTML_BLOCK_TAGS:
                return html_text + "\n"
            return super().block_html(html_text)

    md = mistune.create_markdown(renderer=CardRenderer(escape=True), hard_wrap=True,
                                 plugins=["table", "strikethrough"])
    md.block.rules.remove("indent_code")
    return md


_PRODUCT = re.compile(r"(?<=[\d)])\*(?=[\d(])")  # a star between numbers multiplies them
_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]{0,10})(?:\s[^<>]{0,500})?/?>")


def _is_web_address(url: str) -> bool:
    scheme, colon, _ = url.partition(":")
    return bool(colon) and scheme.lower() in URL_SCHEMES


def _attribute(tag: str, name: str) -> str:
    found = re.search(rf"""(?i)\b{name}\s{{0,3}}=\s{{0,3}}(?:"([^"]{{0,500}})"|'([^']{{0,500}})')""", tag)
    return (found.group(1) or found.group(2) or "") if found else ""


@dataclass
class _Images:
    """The images a record's fields show, as they are rendered: those read from beside its
    source become deck media; each other one is shown as a stand-in, with a warning."""

    source: Path | None  # the source's file: None where no record is rendered
    # each image file looked for: its media name, or "" where it could not be one (so a
    # rebuild sees an image added, mended or changed: Record.media)
    media: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    _fetched: dict[str, str] | None = None

    def fetched(self, address: str) -> str | None:
        """The file ``ankigen add``/``refresh`` fetched for an image on the web, if any."""
        if self._fetched is None:
            self._fetched = fetched_images(self.source) if self.source else {}
        return self._fetched.get(address)


# set while a record is rendered (render_record): the cached renderer reads it for each image
_IMAGES: ContextVar[_Images | None] = ContextVar("images", default=None)


def _image(alt: str, url: str) -> str:
    """An image of the page: a card's own image where its file is beside the source, else a
    stand-in that says what it shows; never dropped without a word."""
    images = _IMAGES.get()
    fetched = images.fetched(url) if url else None
    if fetched is None and _is_web_address(url):
        images.warnings.append(f"image {url} shown as a link to it: not fetched (ankigen add "
                               "and refresh fetch a web page's images)")
    elif images.source is None or not url:
        images.warnings.append(f"image {url or '(no address)'} shown as its name")
    else:
        folder = fetched_images_folder(images.source) if fetched else images.source.parent
        try:
            path = resolve_image(folder, fetched or url)
            images.media[str(path)] = ""
            image = load_image(path)
        except ImageError as exc:
            images.warnings.append(f"image {url} shown as its name: {exc}")
        else:
            images.media[image.path] = image.name
            return f'<img src="{image.name}" alt="{html.escape(alt.strip(), quote=True)}">'
    return _image_stand_in(alt, url)


def _image_stand_in(alt: str, url: str) -> str:
    """What a card shows for an image it cannot hold: its alt text (or file name) marked as
    an image, a link to it where it is on the web."""
    label = html.escape(f"[image: {alt.strip() or url.rsplit('/', 1)[-1] or 'no name'}]",
                        quote=False)
    if _is_web_address(url):
        return f'<a href="{html.escape(url)}">{label}</a>'
    return label


@dataclass
class _Stash:
    pieces: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def keep(self, fragment: str) -> str:
        self.pieces.append(fragment)
        return f"\x02{len(self.pieces) - 1}\x03"

    def restore(self, text: str) -> str:
        # a piece may itself hold placeholders (a formula inside a table cell), so repeat
        count = len(self.pieces)  # nothing set aside: nothing to look for
        while count:
            text, count = _PLACEHOLDER.subn(lambda m: self.pieces[int(m.group(1))], text)
        return text


def _set_aside_code(text: str, stash: _Stash) -> str:
    text = repair_fences(text)
    out, position = [], 0
    for start, end, language, code, indent in fenced_blocks(text):
        out.append(text[position:start])
        # a block inside a list item stays in the item: its stand-in keeps the fence's indent
        inside = indent and _in_list_item(text, start, len(indent.expandtabs(4)))
        out.append("\n" + (indent if inside else "") + stash.keep(highlight_code(code, language))
                   + "\n")
        position = end
    text = "".join(out) + text[position:]
    lines = text.split("\n")
    for block in reversed(find_code_blocks(lines)):
        lines[block.first:block.last + 1] = ["", stash.keep(highlight_code(block.code, block.language)), ""]
        if block.flat:
            stash.warnings.append(f"code from {block.code.split(chr(10))[0][:40]!r} lost its "
                                  "indentation in the page and could not be restored with "
                                  "certainty; shown flat")
    return "\n".join(lines)


def _in_list_item(text: str, start: int, indent: int, look_back: int = 200) -> bool:
    """Whether the nearest line above ``start`` indented less than ``indent`` (within a
    bounded look back) is a list item, whose content the indented line continues."""
    lines = text[max(0, start - 80 * look_back):start].split("\n")
    for line in reversed(lines[-look_back:]):
        if line.strip() and len(line) - len(line.lstrip(" \t")) < indent:
            return bool(LIST_ITEM.match(line))
    return False


def _set_aside_math(text: str, stash: _Stash) -> str:
    if "$" not in text and "\\" not in text:
        return text  # every notation needs one of them

    def math(match: re.Match) -> str:
        display = match.group("dd") or match.group("bracket")
        if display is not None:
            formulas = [f.strip() for f in _GLUED_DISPLAY.split(display) if f.strip()]
            return "".join(formula(f, "\\[", "\\]", match.group(0)) for f in formulas)
        inline = match.group("paren") or match.group("d")
        return formula(inline.strip(), "\\(", "\\)", match.group(0))

    def formula(tex: str, opening: str, closing: str, written: str) -> str:
        unsafe = _UNSAFE_MACRO.search(tex)
        problem = (f"uses {unsafe.group()}, which could run or fetch something on a card"
                   if unsafe else tex_problem(tex))
        if problem:  # MathJax would show an error box: show the source's text instead
            stash.warnings.append(f"formula {written!r} {problem}; shown as text")
            return stash.keep(_literal(written))
        return stash.keep(f"{opening}{html.escape(tex, quote=False)}{closing}")

    text = _MATH.sub(math, text)

    def stray(match: re.Match) -> str:
        stash.warnings.append(f"unbalanced math delimiter {match.group(0)!r} shown as text")
        return stash.keep(_literal(match.group(0)))

    return _STRAY_DELIMITER.sub(stray, text)


def _literal(tex: str) -> str:
    """TeX shown as text: a span after each backslash keeps MathJax from seeing a delimiter."""
    return "".join('<span class="tex-literal">\\</span>' if ch == "\\" else html.escape(ch)
                   for ch in tex)


def tex_problem(tex: str) -> str | None:
    """What MathJax would reject in a formula, as far as it can be told without MathJax."""
    depth = 0
    for ch in re.sub(r"\\[{}]", "", tex):
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return "has a '}' without its '{'"
    if depth:
        return "has a '{' without its '}'"
    flat = re.sub(r"\{[^{}]*\}", "{}", tex)
    while flat != (flat := re.sub(r"\{[^{}]*\}", "{}", flat)):
        pass
    if re.search(r"_\s*(?:\w|\{\}|\\\w+)\s*_", flat):
        return "has a double subscript (x_a_b)"
    if re.search(r"\^\s*(?:\w|\{\}|\\\w+)\s*\^", flat):
        return "has a double superscript (x^a^b)"
    return None


def render_markdown(text: str) -> tuple[str, list[str]]:
    """One field's Markdown as sanitized HTML, and warnings about what could not be rendered."""
    if _is_plain(text):
        return _plain_paragraphs(text), []
    return _render_full(text)


def _render_full(text: str) -> tuple[str, list[str]]:
    stash = _Stash()
    text = _set_aside_code(text, stash)
    text = _set_aside_math(text, stash)
    text = scraped_forms_as_markdown(text)
    if "*" in text:  # "2*3*4", "0.5*9/16": a product, not emphasis
        text = _PRODUCT.sub(r"\\*", text)
    if _IMAGES.get() is None:  # a field on its own, of no record: its images' warnings are its own
        token = _IMAGES.set(images := _Images(None))
        rendered = _markdown()(text)
        _IMAGES.reset(token)
        stash.warnings += images.warnings
    else:
        rendered = _markdown()(text)
    if "**" in rendered:  # emphasis markers the scrape left unpaired: code and math are stashed
        stash.warnings.append("removed unpaired '**' left by the scrape")
        rendered = rendered.replace("**", "")
    rendered = stash.restore(rendered)
    if "<pre" in rendered:
        rendered = _CODE_IN_PRE.sub(r"\1", rendered)
    return sanitize(rendered).strip(), stash.warnings


def _is_plain(text: str) -> bool:
    """Text with nothing for any step to do: no Markdown, math, code, HTML or scraped forms.
    Most questions and many answers are such plain paragraphs."""
    if " - " in text or _NOT_PLAIN.search(text) or _BLOCK_START.search("\n" + text):
        return False
    return not (might_be_code(text) and any(map(is_code_line, text.split("\n"))))


def _plain_paragraphs(text: str) -> str:
    """What the full pipeline gives plain text: paragraphs, line breaks kept, text escaped
    as the sanitizer writes it. tests/test_arbitrary_text.py checks the two always agree."""
    paragraphs = [p for p in re.split(r"\n(?:[ \t]*\n)+", text.strip()) if p.strip()]
    rendered = []
    for paragraph in paragraphs:
        lines = [html.escape(line.strip(), quote=False) for line in paragraph.split("\n")]
        rendered.append("<p>" + "<br>\n".join(lines) + "</p>")
    return "\n".join(rendered)


def _media_only(tag: str, attribute: str, value: str) -> str | None:
    """An image's source on a card is an image the deck holds, never an address to fetch."""
    if tag == "img" and attribute == "src" and not MEDIA_NAME.fullmatch(value):
        return None
    return value


# one sanitizer for every field: nh3.clean builds its allow-lists anew on each call (half its time)
_SANITIZER = nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                         attribute_filter=_media_only, url_schemes=URL_SCHEMES,
                         link_rel="noopener noreferrer", filter_style_properties={"text-align"})


def sanitize(fragment: str) -> str:
    return _SANITIZER.clean(fragment)


def _render_line(text: str) -> tuple[str, list[str]]:
    """A one-line label (a section heading, a source title) as escaped text, its formulas
    checked and typeset as in an answer: MathJax reads every field of the card."""
    stash = _Stash()
    # a label need not come through normalize, which takes out placeholder characters
    text = _set_aside_math(text.translate(_NO_PLACEHOLDERS), stash)
    return stash.restore(html.escape(text)), stash.warnings


def render_field(text: str, line: bool = False) -> tuple[str, list[str]]:
    """Text as the HTML of a note field (Markdown, or a one-line label), with what Anki
    would play, speak, compile or read as a cloze shown as text; and the warnings."""
    rendered, warnings = (_render_line if line else render_markdown)(text) if text else ("", [])
    # on the sanitized HTML: the sanitizer would decode these entities again
    return _ANKI_SYNTAX.sub(lambda m: _AS_TEXT[m.group()], rendered), warnings


# in the order the record declares their HTML, which orders the warnings (and, on a tie,
# names the largest field)
_RENDERED = sorted((f for f in NOTE_FIELDS if f.rendered),
                   key=lambda f: ATTRIBUTE_ORDER.index(f.html_attribute))


def render_record(record: Record) -> Record:
    """The record with its fields as card HTML and its images as deck media; or, where a
    field is too large for a card, with the reason to list it instead (and no HTML kept)."""
    rendered: dict[str, str] = {}
    changes = list(record.changes)
    images = _Images(Path(record.source))
    token = _IMAGES.set(images)
    try:
        for note_field in _RENDERED:
            name = note_field.attribute
            before = len(images.warnings)
            rendered[name], warnings = render_field(getattr(record, name) or "", note_field.note == LINE)
            changes.extend(f"{name}: {warning}" for warning in warnings + images.warnings[before:])
    finally:
        _IMAGES.reset(token)
    sizes = {name: len(text.encode()) for name, text in rendered.items()}
    largest = max(sizes, key=sizes.__getitem__)
    if sizes[largest] > MAX_FIELD_BYTES:
        return replace(record, changes=changes, skip=f"{largest} of {sizes[largest]} bytes once "
                       f"rendered, over the {MAX_FIELD_BYTES} a card field may hold")
    return replace(record, changes=changes, media=images.media,
                   **{f.html_attribute: rendered[f.attribute] for f in _RENDERED})
