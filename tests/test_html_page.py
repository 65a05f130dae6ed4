"""Saved HTML pages are read as the Markdown of their main content: each structure a page can
have comes out as the Markdown the one reader already reads, chrome and hidden elements stay
out, math comes back as TeX, the encoding is found as a browser finds it, and an HTML rendering
of a Markdown or text Q&A page gives the same questions and answers as the page itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import scrape_records
from markdown_it import MarkdownIt

from ankigen.html_page import decode_html, html_lines, is_html
from ankigen.errors import SourceError
from ankigen.sources import read_source

LAYOUTS = Path(__file__).parent / "layouts"

CHROME = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Interview questions</title>
<style>body {{ font-family: sans-serif }}</style><script>var tracking = "What is tracked?";</script>
</head><body>
<header class="site-header"><a href="/">Interview prep</a> <a href="/about">What is this site?</a></header>
<nav><ul><li><a href="/ml">What is machine learning?</a></li><li><a href="/sql">SQL</a></li></ul></nav>
<div class="cookie-consent" role="dialog"><p>We use cookies. Is that OK?</p><button>Accept</button></div>
<main>
{body}
</main>
<aside class="sidebar"><h3>Related posts</h3><ul><li>What is a transformer?</li></ul></aside>
<section id="comments"><h3>3 comments</h3><p>Why is this wrong? Great post!</p></section>
<footer><p>© 2024 Interview prep. Questions? Mail us.</p></footer>
</body></html>
"""


def page(body: str) -> str:
    return CHROME.format(body=body)


def lines_of(body: str) -> list[str]:
    return html_lines(page(body))


def test_headings_paragraphs_inline_markup_and_line_breaks():
    assert lines_of(
        '<h2 id="q">What is a closure?<a class="headerlink" href="#q">¶</a></h2>'
        '<p>A function   that <em>keeps</em> its\n<code>enclosing  scope</code>, '
        'see <a href="https://docs.python.org" title="Python docs">the docs</a>.<br>Next line.</p>'
        '<h3>Why? <a href="#why" class="anchor">#</a></h3><p><strong>Because</strong> '
        '<img src="img/scope.png" alt="a scope diagram"></p>') == [
        "## What is a closure?", "",
        'A function that *keeps* its `enclosing scope`, see [the docs](https://docs.python.org "Python docs").',
        "Next line.", "",
        "### Why?", "",
        "**Because** ![a scope diagram](img/scope.png)"]


def test_lists_nest_by_indentation_and_keep_their_numbers():
    assert lines_of("<ul><li>one<ul><li>nested<ol><li>deeper</li></ol></li></ul></li><li>two</li></ul>"
                    '<ol start="3"><li><p>three</p></li><li><p>four</p><p>more</p></li></ol>') == [
        "- one", "  - nested", "    1. deeper", "- two", "",
        "3. three", "",
        "4. four", "", "   more"]


def test_code_blocks_keep_the_indentation_and_blank_lines_the_browser_shows():
    assert lines_of('<div class="highlight-python notranslate"><div class="highlight"><pre>'
                    '<span class="k">def</span> <span class="nf">f</span>(x):\n\n'
                    '    <span class="k">return</span> x\n</pre></div></div>'
                    '<pre><code class="language-sql">SELECT *\n  FROM t;</code></pre>'
                    '<textarea readonly>SELECT a\n    FROM b;</textarea>'
                    '<pre><code>a ```fence``` inside</code></pre>') == [
        "```python", "def f(x):", "", "    return x", "```", "",
        "```sql", "SELECT *", "  FROM t;", "```", "",
        "```", "SELECT a", "    FROM b;", "```", "",
        "````", "a ```fence``` inside", "````"]


def test_tables_are_pipe_tables_with_their_cells_escaped():
    assert lines_of("<table><caption>Joins</caption><thead><tr><th>Join</th><th>Keeps</th></tr></thead>"
                    "<tbody><tr><td>INNER</td><td>rows in <b>both</b></td></tr>"
                    "<tr><td>a|b</td></tr></tbody></table>") == [
        "Joins", "",
        "| Join | Keeps |", "| --- | --- |", "| INNER | rows in **both** |", "| a\\|b |  |"]


def test_details_and_definition_lists_read_as_the_markdown_the_reader_knows():
    assert lines_of("<details><summary>What is X?</summary><p>X is Y.</p><p>Also Z.</p></details>"
                    "<dl><dt>Bias</dt><dd>Error from wrong assumptions.</dd>"
                    "<dt>Variance</dt><dd><p>Error from sensitivity.</p></dd></dl>") == [
        "<details><summary>What is X?</summary>", "", "X is Y.", "", "Also Z.", "", "</details>", "",
        "Bias", ": Error from wrong assumptions.", "",
        "Variance", ": Error from sensitivity."]


def test_math_comes_back_as_tex_and_rendered_math_without_tex_as_its_text():
    katex = ('<span class="katex"><span class="katex-mathml"><math><semantics><mrow><mi>α</mi></mrow>'
             '<annotation encoding="application/x-tex">\\alpha</annotation></semantics></math></span>'
             '<span class="katex-html" aria-hidden="true"><span class="mord">α</span></span></span>')
    assert lines_of(
        '<p>Inline <script type="math/tex">x^2</script>, display:'
        '<script type="math/tex; mode=display">\\sum_i\n x_i</script></p>'
        f'<p>KaTeX {katex} and <span class="katex-display">{katex}</span></p>'
        '<p><span class="arithmatex">\\(a+b\\)</span> <span class="math">$$c$$</span></p>'
        '<p><mjx-container class="MathJax" display="true"><mjx-math aria-hidden="true">E</mjx-math>'
        '<mjx-assistive-mml><math alttext="E=mc^2"><mi>E</mi></math></mjx-assistive-mml></mjx-container></p>'
        '<p><span class="katex"><span class="katex-html" aria-hidden="true">'
        '<span class="mord">λ</span><span class="mrel">=</span><span class="mord">5</span></span></span></p>') == [
        "Inline \\(x^2\\), display:", "", "\\[\\sum_i x_i\\]", "",
        "KaTeX \\(\\alpha\\) and", "", "\\[\\alpha\\]", "",
        "\\(a+b\\)", "", "\\[c\\]", "",
        "\\[E=mc^2\\]", "",
        "λ=5"]


def test_chrome_hidden_elements_and_scripts_are_not_content():
    lines = html_lines(page(
        '<p hidden>hidden attribute</p><p style="color: red; display : none">display none</p>'
        '<div aria-hidden="true">aria hidden</div><template><p>template</p></template>'
        '<noscript>noscript</noscript><div class="related-posts"><p>related</p></div>'
        '<p>What is kept?</p>'))
    assert lines == ["What is kept?"]


def test_without_a_main_element_the_body_less_its_chrome_is_the_content():
    html = CHROME.replace("<main>", "<div>").replace("</main>", "</div>").format(body="<p>Only this.</p>")
    assert html_lines(html) == ["Only this."]


def test_the_main_element_holding_the_most_text_is_the_content():
    html = ("<html><body><article><p>A teaser.</p></article>"
            "<article><h1>Title</h1><p>The whole article, much longer than the teaser.</p></article></body></html>")
    assert html_lines(html) == ["# Title", "", "The whole article, much longer than the teaser."]


@pytest.mark.parametrize("raw, encoding", [
    ("<html><head><meta charset='windows-1251'></head><body><p>Что такое SQL?</p></body></html>"
     .encode("cp1251"), "windows-1251"),
    ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-7">'
     "</head><body><p>Τι είναι SQL;</p></body></html>".encode("iso-8859-7"), "iso-8859-7"),
    (b"\xef\xbb\xbf<html><head><meta charset='latin-1'></head><body><p>Caf\xc3\xa9?</p></body></html>", "utf-8"),
    ("<html><body><p>Ελληνικά κείμενα χωρίς δήλωση κωδικοποίησης, αρκετά μεγάλα για ανίχνευση.</p>"
     "</body></html>".encode("utf-8"), "utf-8"),
])
def test_the_encoding_is_found_as_a_browser_finds_it(raw, encoding):
    text, found = decode_html(raw)
    assert found.replace("_", "-").lower() == encoding
    assert text == raw.decode(encoding).removeprefix("\ufeff")


@pytest.mark.parametrize("name, raw, expected", [
    ("page.html", b"plain", True), ("PAGE.HTM", b"", True),
    ("saved", b"\n  <!DOCTYPE html>\n<html>", True), ("saved", b"<!-- saved -->\n<html lang='en'>", True),
    ("notes.md", b"<details><summary>Q</summary>", False), ("notes.txt", b"Q: What is <html>?", False),
])
def test_html_is_known_by_its_extension_or_its_first_tag(name, raw, expected):
    assert is_html(name, raw) is expected


def test_a_saved_page_is_a_source_numbered_as_its_converted_lines(tmp_path):
    path = tmp_path / "saved-page"  # no extension: known by its doctype
    path.write_bytes(page("<h2>What is a primary key?</h2><p>A unique row identifier.</p>"
                          "<h2>What is an index?</h2><p>A structure for fast lookups.</p>").encode("utf-8"))
    source = read_source(str(path))
    assert source.lines[:3] == ["## What is a primary key?", "", "A unique row identifier."]
    records = scrape_records(path)
    assert [(r["question"], r["answer"], r["q_line"]) for r in records] == [
        ("What is a primary key?", "A unique row identifier.", 1),
        ("What is an index?", "A structure for fast lookups.", 5)]


# An HTML rendering of a Markdown or text page gives the same questions and answers. Rendered
# with line breaks kept (as GitHub renders comments and many sites render notes), so that a
# line of the page is a line in the browser; these excerpts rely on what HTML cannot carry.
NOT_RENDERABLE = {
    # the text form's layout, which an HTML page's block spacing cannot show: a question's list
    # glued under it, or a heading followed at once by the next heading's answer
    "bare/questions-set-apart-like-the-others-inside-an-answer.md": "blank lines between blocks",
    "heading/a-terse-answer-right-under-its-question-heading-is-no-section.md": "blank lines between blocks",
    # text that Markdown would read as markup: "<b>markup</b>" shown as text, "1)" steps as a list
    "label/a-question-runs-to-the-end-of-its-line-above-an-answer-label.txt": "text, not Markdown",
    "number/numbered-list-and-question-sentence-inside-an-answer.txt": "text, not Markdown",
    "number/decoration-is-stripped-from-questions.txt": "text, not Markdown",
}
# the Markdown excerpts, and the text excerpts of the structures the text sources have (labels,
# an index then a body, document blocks, numbers)
RENDERED = sorted(
    [p for p in LAYOUTS.glob("*/*.md")]
    + [p for family in ("label", "indexed", "document-blocks", "number") for p in (LAYOUTS / family).glob("*.txt")])
MARKDOWN = MarkdownIt("commonmark", {"breaks": True, "html": True}).enable("table")


def _cards(records: list[dict]) -> list[tuple[str, str]]:
    """Questions and answers' text: the words, less a table's rule row (a browser shows none)."""
    return [(r["question"], " ".join(word for word in r["answer"].split() if word.strip("|-:")))
            for r in records]


@pytest.mark.parametrize("excerpt", [p for p in RENDERED if p.relative_to(LAYOUTS).as_posix() not in NOT_RENDERABLE],
                         ids=lambda p: p.relative_to(LAYOUTS).as_posix())
def test_an_html_rendering_of_a_page_gives_its_questions_and_answers(excerpt, tmp_path):
    rendered = tmp_path / f"{excerpt.stem}.html"
    rendered.write_text(page(MARKDOWN.render(excerpt.read_text(encoding="utf-8"))), encoding="utf-8")
    assert _cards(scrape_records(rendered)) == _cards(scrape_records(excerpt))


def test_the_renderings_left_out_are_excerpts_that_exist():
    assert {LAYOUTS / name for name in NOT_RENDERABLE} <= set(RENDERED)


def test_a_page_nested_too_deeply_is_refused_with_a_one_line_reason(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 5000 + "<p>What?</p>" + "</div>" * 5000 + "</body></html>")
    with pytest.raises(SourceError, match="nested too deeply"):
        read_source(str(path))


def test_a_page_wrapped_whole_in_a_form_keeps_its_content():
    html = ('<html><body><form id="form1" method="post"><input type="hidden" name="__VIEWSTATE" value="x">'
            '<div class="search"><input type="text"><button>Go</button></div>'
            '<h2>What is ASP.NET?</h2><p>A web framework.</p></form></body></html>')
    assert html_lines(html) == ["## What is ASP.NET?", "", "A web framework."]
