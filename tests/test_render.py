"""Render: Markdown, the four LaTeX notations, code, scraped forms, and the sanitizer."""

from __future__ import annotations

import pytest

from ankigen.check import mathjax_problem
from ankigen.render import render_field, render_markdown
from helpers import parse_elements


def html_of(text: str) -> str:
    return render_field(text)[0]


@pytest.mark.parametrize("source, html", [
    ("by ($\\sqrt{d_k}$).", "<p>by (\\(\\sqrt{d_k}\\)).</p>"),
    ("is \\(a_1 * b_2\\) here", "<p>is \\(a_1 * b_2\\) here</p>"),
    ("$$x_i^2$$", "<p>\\[x_i^2\\]</p>"),
    ("\\[ \\text{softmax}(x) \\]", "<p>\\[\\text{softmax}(x)\\]</p>"),
    ("costs $5 and $10", "<p>costs $5 and $10</p>"),
    ("\\(a < b\\)", "<p>\\(a &lt; b\\)</p>"),
    # two display formulas glued by the scrape ("$$ $$" inside \[ \]) come apart
    ("\\[ PE_{(pos,2i)} = sin(x) $$ $$ PE_{(pos,2i+1)} = cos(x) \\]",
     "<p>\\[PE_{(pos,2i)} = sin(x)\\]\\[PE_{(pos,2i+1)} = cos(x)\\]</p>"),
])
def test_math_comes_out_in_anki_mathjax_delimiters(source, html):
    assert html_of(source) == html


def test_unbalanced_math_is_left_readable_and_reported():
    html, warnings = render_markdown("the set \\(x_1 and more text")
    assert html == '<p>the set <span class="tex-literal">\\</span>(x_1 and more text</p>'
    assert warnings == ["unbalanced math delimiter '\\\\(' shown as text"]


@pytest.mark.parametrize("source, html", [  # found by the pipeline fuzzer
    ("\\(- In words. Sigmoid: \\(f(x)\\).",
     '<p><span class="tex-literal">\\</span>(- In words. Sigmoid: \\(f(x)\\).</p>'),
    ("cost $x \\( y$ here", '<p>cost $x <span class="tex-literal">\\</span>( y$ here</p>'),
])
def test_an_opener_with_another_delimiter_before_its_closer_is_a_stray_one(source, html):
    rendered, warnings = render_markdown(source)
    assert (rendered, warnings) == (html, ["unbalanced math delimiter '\\\\(' shown as text"])
    assert mathjax_problem(rendered) is None


@pytest.mark.parametrize("source, html", [
    ("[]()", "<p></p>"),
    ("see [the docs](docs/setup.md) first", "<p>see the docs first</p>"),
    ("[back to top](#top)", "<p>back to top</p>"),
    ("[paper](https://arxiv.org/abs/1706.03762)",
     '<p><a href="https://arxiv.org/abs/1706.03762" rel="noopener noreferrer">paper</a></p>'),
])
def test_a_link_that_leads_nowhere_inside_anki_is_its_text(source, html):
    assert render_markdown(source)[0] == html


def test_markdown_lists_and_emphasis():
    html = html_of("Lead-in:\n- **Encoder:** encodes\n - **Decoder:** decodes")
    assert html == ("<p>Lead-in:</p>\n<ul>\n<li><strong>Encoder:</strong> encodes</li>\n"
                    "<li><strong>Decoder:</strong> decodes</li>\n</ul>")


def test_unbulleted_label_lines_keep_their_line_breaks():
    html = html_of("Deployment involves several steps:\n\nModel Export: Save it.\nMonitoring: Watch it.")
    assert html == ("<p>Deployment involves several steps:</p>\n"
                    "<p>Model Export: Save it.<br>\nMonitoring: Watch it.</p>")


def test_items_run_together_on_one_line_become_a_list():
    html = html_of("The key components are: - Multi-head attention: focus. - Positional "
                   "encoding: order.")
    assert html == ("<p>The key components are:</p>\n<ul>\n<li>Multi-head attention: focus.</li>\n"
                    "<li>Positional encoding: order.</li>\n</ul>")
    assert html_of("pre - training and a - b stay") == "<p>pre - training and a - b stay</p>"


def test_numbered_items_run_together_become_a_numbered_list_with_their_parts_nested():
    html = html_of("Approaches without reference data: 1. Perplexity - Description: How well a "
                   "model predicts. - Limitation: Fluency only. 1. Readability - Description: "
                   "Flesch-Kincaid tests. 10. Topic Modeling - Description: LDA topics.")
    assert html == (
        "<p>Approaches without reference data:</p>\n<ol>\n"
        "<li>Perplexity<ul>\n<li>Description: How well a model predicts.</li>\n"
        "<li>Limitation: Fluency only.</li>\n</ul>\n</li>\n"
        "<li>Readability<ul>\n<li>Description: Flesch-Kincaid tests.</li>\n</ul>\n</li>\n"
        "<li>Topic Modeling<ul>\n<li>Description: LDA topics.</li>\n</ul>\n</li>\n</ol>")
    # one number after a full stop is a sentence's, not a list
    assert html_of("It was fixed in release 2. 3. The rest stayed.") == (
        "<p>It was fixed in release 2. 3. The rest stayed.</p>")


def test_details_indented_short_of_a_numbered_items_text_stay_in_the_item():
    # the page's own layout (Transformer Networks): "  1. Item:" then "    • detail"
    html = html_of("Components:\n\n  1. Self-Attention:\n\n    - Weighs every word.\n"
                   "  2. Positional Encoding:\n\n    - Adds word order.")
    assert html == ("<p>Components:</p>\n<ol>\n<li><p>Self-Attention:</p>\n<ul>\n"
                    "<li>Weighs every word.</li>\n</ul>\n</li>\n<li><p>Positional Encoding:</p>\n"
                    "<ul>\n<li>Adds word order.</li>\n</ul>\n</li>\n</ol>")
    # bullets one space off their neighbours are the scrape's, not a nested list
    assert html_of("- Multi-head attention\n - Positional encoding") == (
        "<ul>\n<li>Multi-head attention</li>\n<li>Positional encoding</li>\n</ul>")


def test_lettered_lists_become_lists_that_keep_their_letters():
    html = html_of("Reasons:\na) The model is under-fitting.\nb) The learning rate is large.")
    assert html == ("<p>Reasons:</p>\n<ul>\n<li>a) The model is under-fitting.</li>\n"
                    "<li>b) The learning rate is large.</li>\n</ul>")


def test_tab_separated_rows_become_a_table():
    html = html_of("Feature\tGPT\tBERT\nArchitecture\tDecoder-only\tEncoder-only\n\n- After.")
    assert html.startswith("<table>\n<thead>\n<tr>\n  <th>Feature</th>\n  <th>GPT</th>")
    assert "<td>Encoder-only</td>" in html
    assert html.endswith("<ul>\n<li>After.</li>\n</ul>")


def test_fenced_code_is_highlighted():
    html = html_of("```python\ndef f(x):\n    return x\n```")
    assert html.startswith('<pre class="highlight"><code class="language-python">')
    assert '<span class="k">def</span>' in html
    assert "    <span class=\"k\">return</span>" in html


@pytest.mark.parametrize("item", ["1. ", "10. ", "- "])
def test_fenced_code_under_a_list_item_stays_in_the_item_without_its_indent(item):
    pad = " " * len(item)
    html = html_of(f"{item}Load the data:\n\n{pad}```python\n{pad}import pandas as pd\n"
                   f"{pad}if True:\n{pad}    df = pd.read_csv('a.csv')\n{pad}```\n{item}Look at it.")
    first_item = html[html.index("<li>"):html.index("</li>")]
    assert '<pre class="highlight">' in first_item  # one list, the code inside its first item
    assert html.count("<ol") + html.count("<ul") == 1
    assert '<code class="language-python"><span class="kn">import' in first_item  # no indent left
    assert "\n    <span class=\"n\">df</span>" in first_item  # its own indentation kept


def test_an_indented_fence_outside_a_list_is_still_fenced_code():
    html = html_of("Run it:\n\n    ```python\n    x = 1\n    ```\n\nDone.")
    assert '<code class="language-python"><span class="n">x</span>' in html
    assert "```" not in html


def test_unfenced_python_gets_its_certain_indentation_back():
    html = html_of("- A3:\ndef common_func(X, Y):\nZ=[]\nfor i in X:\nfor j in Y:\n"
                   "if i==j and i not in Z:\nZ.append(i)\nreturn Z\n- This is also simple.")
    assert code_text(html).split("\n") == [
        "def common_func(X, Y):",
        "    Z=[]",
        "    for i in X:",
        "        for j in Y:",
        "            if i==j and i not in Z:",
        "                Z.append(i)",
        "    return Z",
    ]
    assert "<li>This is also simple.</li>" in html


def test_code_of_an_answer_indented_as_a_whole_is_one_block_each():
    answer = ("    The merge, by hand:\n"
              "    def merge(a, b):\n        out, i = [], 0\n        for x in b:\n"
              "            if i == len(a):\n                out.append(x)\n                break\n"
              "            out.append(a[i])\n        return out\n\n"
              "    The same in R:\n\n"
              "    merge <- function(a, b)\n    {\n    out <- c(a, b)\n    for(i in 1:2)\n    {\n"
              "        if(i > 1)\n        {\n            break\n        }\n    }\n    return(out)\n    }")
    html = html_of(answer)
    assert html.count("<pre") == 2 and "<p>break</p>" not in html  # a body line stays in its code
    python, r = html.split("<pre")[1:]
    assert 'class="language-python"><span class="k">def</span>' in python  # the shared indent gone
    assert "\n            <span class=\"k\">break</span>" in python
    assert 'class="language-splus">' in r and "&lt;-" in r and r.count("{") == r.count("}") == 3
    assert "The same in R:" in html.split("<pre")[1].split("</pre>")[1]  # prose between stays prose


def test_a_session_at_pythons_prompt_and_commented_out_code_are_code_not_quotes_or_headings():
    html = html_of("Creating one:\n\n>>> d = {'a': [1, 2]}\n>>> df\n   a\n0  1\n1  2\n\nThat is the frame.")
    assert "<blockquote" not in html and 'class="language-pycon"' in html
    assert "1  2</span></code></pre>" in html and "<p>That is the frame.</p>" in html  # output in
    html = html_of("From an array:\n\n# import pandas as pd import numpy as np data = np.array([1])")
    assert "<h1" not in html and '<span class="c1"># import pandas as pd' in html
    assert "<h1>Importance of features</h1>" in html_of("# Importance of features")


def test_the_label_a_code_box_prints_above_its_code_names_its_language_and_is_no_text():
    html = html_of("Example:\nPython3\ndef twice(f):\nreturn f\n\nAnd in SQL:\nSQL\nSELECT name FROM users;")
    assert "Python3" not in html and "<p>SQL" not in html and "<br>\nSQL" not in html
    assert 'class="language-python"' in html and 'class="language-sql"' in html
    assert "\n    <span class=\"k\">return</span>" in html  # restored as the Python it is
    assert "<p>Python</p>" in html_of("Python\n\nThe language of this deck.")  # no code after it


def test_unfenced_sql_and_matlab_are_code_not_prose():
    sql = html_of("Order of execution:\nSELECT name\nFROM users\nWHERE age > 30")
    assert '<pre class="highlight">' in sql and "<p>Order of execution:</p>" in sql
    matlab = html_of("x=(1:100);\ny=exp(x); % then,\ncorr(x,y,'type','Spearman'); % will equal 1")
    assert matlab.startswith('<pre class="highlight">')
    assert html_of("This sentence mentions print and return but is prose.") == (
        "<p>This sentence mentions print and return but is prose.</p>")


def test_a_comment_line_goes_with_the_code_after_it_not_into_a_heading():
    html = html_of("# Generate outputs with different seeds\nseeds = [1, 2, 3]\nfor seed in seeds:\n"
                   "print(seed)")
    assert "<h1>" not in html
    assert html.startswith('<pre class="highlight">')


def test_anki_template_syntax_is_neutralised():
    html = html_of("Fields look like {{Answer}} and clozes like {{c1::this}}.")
    assert "{{" not in html and "&#123;&#123;Answer&#125;&#125;" in html


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "<iframe src='https://example.com'></iframe>",
    "<style>.card{display:none}</style>",
])
def test_hostile_html_is_shown_as_text_or_removed(hostile):
    for tag, attrs in parse_elements(html_of(hostile)):
        assert tag not in ("script", "img", "iframe", "style")
        for name, value in attrs:
            assert not name.startswith("on") and name != "style"
            assert not (value or "").strip().lower().startswith("javascript:")


def code_text(html: str) -> str:
    """The text of the first code block, as the reader sees it."""
    import html as html_module
    import re

    inner = html.split("<code", 1)[1].split(">", 1)[1].split("</code>", 1)[0]
    return html_module.unescape(re.sub(r"<[^>]+>", "", inner))


def test_html_a_page_writes_for_what_markdown_cannot_say_is_kept_and_cleaned():
    html, _ = render_markdown("It is <code><i>O</i>(log <i>n</i>)</code>.<br>Water is "
                              'H<sub>2</sub>O; x<sup>2</sup> is <b onclick="steal()">bold</b>.')
    assert "<code><i>O</i>(log <i>n</i>)</code>" in html
    assert "<br>Water is H<sub>2</sub>O; x<sup>2</sup> is <b>bold</b>." in html
    assert "onclick" not in html


def test_any_other_tag_is_shown_as_the_text_it_is():
    html, _ = render_markdown("A List<String> is not a Vec<T>; <script>alert(1)</script> "
                              "and <details>x</details> stay text.")
    assert "List&lt;String&gt;" in html and "Vec&lt;T&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;details&gt;" in html


def test_an_html_table_in_an_answer_is_a_table():
    html, _ = render_markdown("<table><tr><th>Model</th><th>Bias</th></tr>"
                              "<tr><td>Tree</td><td>low</td></tr></table>")
    assert "<th>Model</th>" in html and "<td>Tree</td>" in html and "&lt;" not in html


def test_an_image_is_never_dropped_without_a_word():
    html, warnings = render_markdown(
        "The curve:\n![ROC curve](https://example.com/roc.png)\n"
        "The plot: ![](plots/loss.png)\n<img src='https://example.com/w.png' alt='weights'>")
    assert '<a href="https://example.com/roc.png" rel="noopener noreferrer">[image: ROC curve]</a>' in html
    assert "[image: loss.png]" in html and "<img" not in html
    assert "[image: weights]</a>" in html
    assert warnings == [
        "image https://example.com/roc.png shown as a link to it: not fetched (ankigen add and "
        "refresh fetch a web page's images)",
        "image plots/loss.png shown as its name",
        "image https://example.com/w.png shown as a link to it: not fetched (ankigen add and "
        "refresh fetch a web page's images)"]


def test_an_image_inside_code_is_code():
    html, warnings = render_markdown("```markdown\n![plot](plot.png)\n```")
    assert "[image:" not in html and not warnings


def test_a_list_indented_by_tabs_is_a_list_not_a_table():
    html, _ = render_markdown("\t- It partitions points into k clusters.\n\t- It repeats two steps.")
    assert "<table" not in html
    assert "<li>It partitions points into k clusters.</li>" in html
    html, _ = render_markdown("Term\tMeaning\nTP\ttrue positive\nFP\tfalse positive")
    assert "<th>Term</th>" in html  # a table of tab-separated cells is still one


def test_a_star_between_numbers_multiplies_them():
    html, _ = render_markdown("2*3*4 = 24, and 0.5*9/16 + 0.5*1/2 is about half; **bold** and *it*.")
    assert "2*3*4 = 24, and 0.5*9/16 + 0.5*1/2" in html and "<em>3</em>" not in html
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html
