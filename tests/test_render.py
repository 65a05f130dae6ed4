"""Render: Markdown, the four LaTeX notations, code, and the sanitizer."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from ankigen.render import render_markdown


@pytest.mark.parametrize("source, html", [
    ("by ($\\sqrt{d_k}$).", "<p>by (\\(\\sqrt{d_k}\\)).</p>"),
    ("is \\(a_1 * b_2\\) here", "<p>is \\(a_1 * b_2\\) here</p>"),
    ("$$x_i^2$$", "<p>\\[x_i^2\\]</p>"),
    ("\\[ \\text{softmax}(x) \\]", "<p>\\[\\text{softmax}(x)\\]</p>"),
    ("costs $5 and $10", "<p>costs $5 and $10</p>"),
    ("\\(a < b\\)", "<p>\\(a &lt; b\\)</p>"),
])
def test_math_comes_out_in_anki_mathjax_delimiters(source, html):
    assert render_markdown(source) == html


def test_markdown_lists_and_emphasis():
    html = render_markdown("Lead-in:\n- **Encoder:** encodes\n - **Decoder:** decodes")
    assert html == ("<p>Lead-in:</p>\n<ul>\n<li><strong>Encoder:</strong> encodes</li>\n"
                    "<li><strong>Decoder:</strong> decodes</li>\n</ul>")


def test_fenced_code_is_highlighted():
    html = render_markdown("```python\ndef f(x):\n    return x\n```")
    assert html.startswith('<pre class="highlight"><code>')
    assert '<span class="k">def</span>' in html
    assert "    <span class=\"k\">return</span>" in html


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "<iframe src='https://example.com'></iframe>",
    "<style>.card{display:none}</style>",
])
def test_hostile_html_is_shown_as_text_or_removed(hostile):
    elements = parse_elements(render_markdown(hostile))
    for tag, attrs in elements:
        assert tag not in ("script", "img", "iframe", "style")
        for name, value in attrs:
            assert not name.startswith("on") and name != "style"
            assert not (value or "").strip().lower().startswith("javascript:")


def parse_elements(html: str) -> list[tuple[str, list]]:
    """The (tag, attributes) of every element in an HTML fragment, as a browser would see them."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found
