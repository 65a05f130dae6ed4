"""Saved HTML pages (``.html``/``.htm``, or HTML by its first tag) read as the Markdown their
main content shows, so the one general reader finds the questions in them.

The page is decoded as a browser decodes it (a BOM, then the page's own ``<meta charset>``,
then detection), parsed with html5lib (the HTML5 parsing algorithm browsers use, broken
markup included), stripped of what is not the page's content (navigation, header, footer,
sidebars, cookie dialogs, comments, scripts, hidden elements, heading anchors), narrowed to
its main element, and written as Markdown lines that keep its structure: headings, nested
lists, fenced code exactly as the browser shows it, tables, ``<details>`` blocks, definition
lists, images and math as TeX. Line numbers count those lines, as the preview shows them.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag, UnicodeDammit

from .lexicon import vocabulary

SUFFIXES = (".html", ".htm")
# how a page opens (after a BOM, blank space and comments)
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.I | re.S)
_SNIFF_BYTES = 1024

# elements that are never content; their text is not shown or not the page's
_NEVER_CONTENT = ("script", "style", "noscript", "template", "head", "nav", "header", "footer",
                  "aside", "button", "iframe", "object", "embed", "canvas", "select", "input",
                  "dialog", "svg")  # (not <form>: ASP.NET pages wrap the whole page in one)
# ARIA roles of the same chrome
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search",
                           "dialog", "alertdialog"})
_CHROME_WORDS = vocabulary.words("html.chrome_classes")
_CLASS_WORD = re.compile(r"[a-z]+")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# the links a static-site generator puts in a heading to link to it: Sphinx's ¶, a "#", a chain
_ANCHOR_TEXTS = frozenset({"", "¶", "#", "§", "🔗", "link", "permalink"})

_BLOCKS = frozenset({"p", "div", "section", "article", "main", "figure", "figcaption", "center",
                     "address", "hgroup", "fieldset", "legend", "body", "html", "caption"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_CODE_LANGUAGE = re.compile(r"^(?:language|lang|highlight|sourceCode)-([\w+#.-]+)$")
_NOT_A_LANGUAGE = frozenset({"default", "none", "text", "plaintext", "nohighlight", "notranslate"})
_SPACES = re.compile(r"[ \t\n\r\f]+")
_TEX_DELIMITERS = (("\\(", "\\)", False), ("\\[", "\\]", True), ("$$", "$$", True), ("$", "$", False))
_MATH_TAG = "ankigen-math"  # where a formula's TeX waits for the writer
_BREAK = "\n"


def is_html(path: str, raw: bytes) -> bool:
    """An ``.html``/``.htm`` file, or a file that opens as an HTML page does."""
    if path.lower().endswith(SUFFIXES):
        return True
    return bool(_HTML_START.match(raw[:_SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf")))


def decode_html(raw: bytes) -> tuple[str, str]:
    """(text, encoding) of a page's bytes, as a browser decodes them: a BOM, then what the
    page declares (``<meta charset>``, ``http-equiv``), then detection."""
    dammit = UnicodeDammit(raw, is_html=True)
    if dammit.unicode_markup is None:  # (UnicodeDammit falls back to Windows-1252 first)
        return raw.decode("utf-8", errors="replace"), "utf-8"
    return dammit.unicode_markup, dammit.original_encoding or "utf-8"


def html_lines(text: str) -> list[str]:
    """The Markdown lines of a page's main content."""
    return _Writer().blocks(_content(text))


def content_images(text: str) -> list[str]:
    """The ``src`` of each image the page's main content shows (a logo in its header, a
    tracking pixel in its footer are chrome), in order, each once."""
    return list(dict.fromkeys(image["src"] for image in _content(text).find_all("img", src=True)))


def _content(text: str) -> Tag:
    soup = BeautifulSoup(text, "html5lib")
    _math_to_tex(soup)
    _drop_chrome(soup)
    return _main_content(soup)


# --- math ------------------------------------------------------------------------------------

def _math_to_tex(soup: BeautifulSoup) -> None:
    """Every formula whose TeX the page carries becomes one element holding that TeX (its
    rendered twin dropped); rendered math without TeX stays as its text."""
    for script in soup.find_all("script", type=re.compile(r"^math/tex", re.I)):
        display = "mode=display" in script["type"].replace(" ", "")
        _drop_rendered_twins(script)
        script.replace_with(_math(soup, script.string or "", display))
    for container in soup.find_all("mjx-container"):
        tex = _mathjax3_tex(container)
        if tex is not None:
            display = container.get("display") in ("true", "block")
            container.replace_with(_math(soup, tex, display))
    for katex in soup.select(".katex"):
        if katex.parent is None:  # inside a formula already replaced
            continue
        annotation = katex.find("annotation", encoding="application/x-tex")
        if annotation is not None:
            holder = katex.parent if "katex-display" in katex.parent.get("class", ()) else katex
            holder.replace_with(_math(soup, annotation.get_text(), holder is not katex))
        else:  # no TeX: the rendered text, once (the MathML twin repeats it)
            for twin in katex.select(".katex-mathml"):
                twin.decompose()
            for hidden in katex.select("[aria-hidden]"):
                del hidden["aria-hidden"]
    for element in soup.select(".math, .arithmatex"):
        if element.parent is None or element.find(_MATH_TAG) is not None:
            continue
        delimited = _delimited_tex(element.get_text().strip())
        if delimited is not None:
            element.replace_with(_math(soup, *delimited))


def _drop_rendered_twins(script: Tag) -> None:
    """MathJax 2 renders a formula into the elements just before its script."""
    for sibling in list(script.find_previous_siblings(limit=3)):
        classes = " ".join(sibling.get("class", ()))
        if sibling.name in ("span", "div") and ("MathJax" in classes or "MJX" in classes):
            sibling.decompose()


def _mathjax3_tex(container: Tag) -> str | None:
    annotation = container.find("annotation", encoding="application/x-tex")
    if annotation is not None:
        return annotation.get_text()
    for attribute in ("data-tex", "data-latex", "data-original"):
        if container.get(attribute):
            return container[attribute]
    math = container.find("math", alttext=True)
    return math["alttext"] if math is not None else None


def _delimited_tex(text: str) -> tuple[str, bool] | None:
    for opening, closing, display in _TEX_DELIMITERS:
        if text.startswith(opening) and text.endswith(closing) and len(text) > len(opening) + len(closing):
            return text[len(opening):-len(closing)], display
    return None


def _math(soup: BeautifulSoup, tex: str, display: bool) -> Tag:
    element = soup.new_tag(_MATH_TAG, attrs={"display": "1"} if display else {})
    element.string = " ".join(tex.split())  # TeX reads a line break as a space
    return element


# --- what is not content ---------------------------------------------------------------------

def _drop_chrome(soup: BeautifulSoup) -> None:
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for element in soup.find_all(_NEVER_CONTENT):
        element.decompose()
    page_text = len((soup.body or soup).get_text())
    for element in soup.find_all(True):
        if element.parent is not None and element.attrs and _is_chrome(element):
            # a class word can name the layout holding the content ("wy-grid-for-nav"): chrome
            # is the lesser part of a page
            if _marked_hidden(element) or 2 * len(element.get_text()) < page_text:
                element.decompose()
    for heading in soup.find_all(list(_HEADINGS)):
        for link in heading.find_all("a"):
            if _is_heading_anchor(link):
                link.decompose()


def _marked_hidden(element: Tag) -> bool:
    return (element.has_attr("hidden") or element.get("aria-hidden") == "true"
            or bool(_DISPLAY_NONE.search(element.get("style", ""))))


def _is_chrome(element: Tag) -> bool:
    if _marked_hidden(element):
        return True
    if element.get("role") in _CHROME_ROLES:
        return True
    if element.name in ("body", "html", "main", "article"):
        return False
    names = [*element.get("class", ()), element.get("id", "")]
    return any(word in _CHROME_WORDS for name in names for word in _CLASS_WORD.findall(name.lower()))


def _is_heading_anchor(link: Tag) -> bool:
    classes = set(link.get("class", ()))
    if classes & {"headerlink", "anchor", "anchorjs-link", "permalink", "header-anchor"}:
        return True
    return link.get("href", "").startswith("#") and link.get_text().strip().lower() in _ANCHOR_TEXTS


def _main_content(soup: BeautifulSoup) -> Tag:
    """The page's main element (``<main>``, ``role=main``, ``<article>``) holding the most text,
    else its body."""
    candidates = soup.find_all("main") + soup.find_all(role="main") + soup.find_all("article")
    body = soup.body or soup
    if not candidates:
        return body
    return max(candidates, key=lambda element: len(element.get_text(" ", strip=True)))


# --- Markdown --------------------------------------------------------------------------------

class _Writer:
    """Markdown lines of an element tree: blocks separated by blank lines, inline text with
    whitespace collapsed as a browser collapses it."""

    def blocks(self, element: Tag) -> list[str]:
        """The lines of an element's children, blocks apart by one blank line."""
        return _joined([lines for lines, _ in self.block_list(element)])

    def block_list(self, element: Tag) -> list[tuple[list[str], bool]]:
        """Each block of an element's children: its lines, and whether it is a paragraph."""
        out: list[tuple[list[str], bool]] = []
        inline: list[str] = []

        def flush() -> None:
            lines = _paragraph("".join(inline))
            if lines:
                out.append((lines, True))
            inline.clear()

        for child in element.children:
            if isinstance(child, Tag) and self._is_block(child):
                flush()
                lines = self.block(child)
                if lines:
                    out.append((lines, child.name == "p"))
            else:
                inline.append(self.inline(child))
        flush()
        return out

    @staticmethod
    def _is_block(element: Tag) -> bool:
        return (element.name in _BLOCKS or element.name in _HEADINGS or element.name in (
            "ul", "ol", "li", "pre", "textarea", "table", "blockquote", "details", "summary",
            "dl", "dt", "dd", "hr") or (element.name == _MATH_TAG and element.has_attr("display")))

    def block(self, element: Tag) -> list[str]:
        name = element.name
        if name in _HEADINGS:
            text = " ".join(_paragraph(self.inline_children(element)))
            return [f"{'#' * _HEADINGS[name]} {text}"] if text else []
        if name in ("ul", "ol"):
            return self.list_lines(element)
        if name in ("pre", "textarea"):
            return _fenced(element)
        if name == "table":
            return self.table(element)
        if name == "blockquote":
            return [f"> {line}".rstrip() for line in self.blocks(element)]
        if name == "details":
            return self.details(element)
        if name == "dl":
            return self.definitions(element)
        if name == "hr":
            return ["---"]
        if name == _MATH_TAG:
            return [f"\\[{element.get_text()}\\]"]
        return self.blocks(element)

    def list_lines(self, element: Tag) -> list[str]:
        ordered = element.name == "ol"
        number = int(element["start"]) if ordered and element.get("start", "").isdigit() else 1
        items: list[list[str]] = []
        listed = element.find_all("li", recursive=False)
        # a loose list's items hold paragraphs; a tight list's only text and nested lists
        loose = any(item.find("p", recursive=False) for item in listed)
        for item in listed:
            blocks = self.block_list(item)
            if not blocks:
                continue
            first = item.find(True, recursive=False)
            if first is not None and first.name in _HEADINGS and not _text_before(item, first):
                items.append(_joined([lines for lines, _ in blocks]))  # a section of its own
                continue
            marker = f"{number}. " if ordered else "- "
            indent = " " * len(marker)
            # the item's first paragraph continues lazily, as a copy from the browser shows it;
            # what follows it is nested under the marker
            lead, is_paragraph = blocks[0]
            rest = [lines for lines, _ in blocks[1:]]
            if not is_paragraph:
                lead, rest = lead[:1], [lead[1:], *rest] if len(lead) > 1 else rest
            nested = _joined(rest) if loose else [line for lines in rest for line in lines]
            if loose and rest:
                nested = ["", *nested]
            items.append([marker + lead[0], *lead[1:], *(indent + line if line else "" for line in nested)])
            number += 1
        return _joined(items) if loose else [line for lines in items for line in lines]

    def table(self, element: Tag) -> list[str]:
        rows = [[_cell(self.inline_children(cell)) for cell in row.find_all(("td", "th"), recursive=False)]
                for row in element.find_all("tr") if row.find_parent("table") is element]
        rows = [row for row in rows if row]
        if not rows:
            return []
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines = [f"| {' | '.join(row)} |" for row in rows]
        caption = element.find("caption", recursive=False)
        head = [" ".join(_paragraph(self.inline_children(caption))), ""] if caption else []
        return head + lines[:1] + ["|" + " --- |" * width] + lines[1:]

    def details(self, element: Tag) -> list[str]:
        summary = element.find("summary", recursive=False)
        question = " ".join(_paragraph(self.inline_children(summary))) if summary else ""
        if summary is not None:
            summary.extract()
        body = self.blocks(element)
        return [f"<details><summary>{question}</summary>", "", *body, "", "</details>"]

    def definitions(self, element: Tag) -> list[str]:
        out: list[list[str]] = []
        for child in element.find_all(("dt", "dd"), recursive=False):
            lines = self.blocks(child)
            if not lines:
                continue
            if child.name == "dd":
                lines = [": " + lines[0], *lines[1:]]
                if out and out[-1] and not out[-1][-1].startswith(":"):
                    out[-1].extend(lines)  # a definition right under its term
                    continue
            out.append(lines)
        return _joined(out)

    def inline_children(self, element: Tag) -> str:
        return "".join(self.inline(child) for child in element.children)

    def inline(self, node) -> str:
        if isinstance(node, NavigableString):
            return _SPACES.sub(" ", str(node)) if type(node) is NavigableString else ""
        name = node.name
        if name == "br":
            return _BREAK
        if name == _MATH_TAG:
            text = node.get_text()
            return f"{_BREAK}\\[{text}\\]{_BREAK}" if node.has_attr("display") else f"\\({text}\\)"
        if name == "img":
            return f"![{_SPACES.sub(' ', node.get('alt', '')).strip()}]({node.get('src', '')})"
        if self._is_block(node):  # a block inside inline text (a <div> in a <span>) breaks its line
            return _BREAK + _BREAK.join(self.block(node)) + _BREAK
        text = self.inline_children(node)
        if name in ("code", "kbd", "samp", "tt") and node.find_parent("pre") is None:
            return _code_span(_SPACES.sub(" ", node.get_text()))
        if not text.strip():
            return text
        if name in ("strong", "b"):
            return _wrapped(text, "**")
        if name in ("em", "i"):
            return _wrapped(text, "*")
        if name == "a" and node.get("href") and not node["href"].startswith(("#", "javascript:")):
            title = node.get("title", "").replace('"', '\\"')
            return _wrapped(text, "[", f"]({node['href']} \"{title}\")" if title else f"]({node['href']})")
        return text


def _code_span(code: str) -> str:
    """Inline code as CommonMark writes it: a fence of more backticks than the code holds in
    a row, spaced off when the code starts or ends with one."""
    if not code.strip():
        return code
    fence = "`" * (_longest_backtick_run(code) + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{fence}{pad}{code}{pad}{fence}"


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def _wrapped(text: str, opening: str, closing: str | None = None) -> str:
    """Markdown emphasis or a link around inline text, its outer spaces left outside."""
    if _BREAK in text:  # a line break inside: Markdown emphasis cannot span it
        return text
    core = text.strip()
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{lead}{opening}{core}{opening if closing is None else closing}{trail}"


def _paragraph(text: str) -> list[str]:
    """A block's inline text as lines: collapsed spaces, broken where a <br> broke it."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.split(_BREAK)]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _cell(text: str) -> str:
    return " ".join(_paragraph(text)).replace("|", "\\|")


def _text_before(item: Tag, first: Tag) -> bool:
    for node in item.children:
        if node is first:
            return False
        if isinstance(node, NavigableString) and node.strip():
            return True
    return False


def _joined(blocks: list[list[str]]) -> list[str]:
    out: list[str] = []
    for lines in blocks:
        if out:
            out.append("")
        out.extend(lines)
    return out


def _fenced(element: Tag) -> list[str]:
    """A code block as a fence: its text exactly as the browser shows it."""
    code = element.get_text()
    lines = code.removesuffix("\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return []
    fence = "`" * max(3, _longest_backtick_run(code) + 1)
    return [f"{fence}{_language(element)}", *(line.rstrip() for line in lines), fence]


def _language(element: Tag) -> str:
    """The code's language as the page's classes name it (language-x, highlight-x)."""
    places = [element, element.find("code"), element.parent, element.parent.parent if element.parent else None]
    for place in places:
        if place is None:
            continue
        for name in place.get("class", ()):
            match = _CODE_LANGUAGE.match(name)
            if match and match.group(1).lower() not in _NOT_A_LANGUAGE:
                return match.group(1).lower()
    return ""
