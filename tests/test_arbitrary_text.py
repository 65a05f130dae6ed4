"""Property-based tests: every parser and the renderer on arbitrary text never fail, account
for every line, and give well-formed, sanitized HTML; the lock and report JSON
reads back as written."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ankigen import jsontext
from ankigen.check import html_problem
from ankigen.errors import UnknownFormatError
from ankigen.render import ALLOWED_TAGS, render_markdown
from ankigen.scrape import build_registry
from ankigen.scrape.document import SourceDoc
from ankigen.tag import _TOKEN, _canonical, default_taxonomy
from helpers import parse_elements

# Lines that mean something to some parser, mixed with arbitrary text.
MARKERS = [
    "", " ", "-", " - item", "• bullet", "Q: What is it?", "A: It is.", "A:", "Answer:",
    "Answer: The", "Q3: A header?", "- Q1: Indexed?", "- Q2: Another?", "Question",
    "Main question: Main?", "Explanation: The candidate should explain.", "Follow-up questions:",
    "Follow-up Questions", "  1. Follow-up?", "  • Follow-up? With answer.", "1. Numbered?",
    "2. Next?", "Part 6 :", "# Title", "## Section", "### Why is it so?", "**Bold question?**",
    "```", "```python", "def f(x):", "return x", "SELECT a FROM b", "x = 1", "\\(", "\\)", "$$",
    "a\tb\tc", "References", "Citation", "Deep Learning", "    • nested", "a) one", "b) two",
    "Overall, it works.", "<script>alert(1)</script>", "{{c1::x}}", "$x_1$", "\\[a_b_c\\]",
    "Why This Matters", "Here is how it works:", "https://github.com/x/y", "<br/>", "---",
    # what the general reader looks for
    "Q1. What is it?", "Q2) Why?", "Question - 3 : - How?", "Answer - 3 : -", "Ans: Yes.",
    "CT10", "CT10 - Answer:", "Question 4", "1️⃣ Which?", "(5) Where?", "#6 When?", "07. Who?",
    "What is X? It is Y, as shown.", "Explain the loss.", "- What is a bullet?", "  - Nested.",
    "| What is a row? | A row. |", "| Question | Answer |", "|---|---|", "One cell. |",
    "<details><summary>What is hidden?</summary>", "</details>", "<summary>Answer</summary>",
    "Title\n===", "Heading", "===", "### Q7: Closed? ###", "**1. Glued?****A.** Yes**2. Next?",
    "Follow-upWhy not?", "Follow-up: How?", "View answer", "Related posts", "⬆ Back to top",
    "TODO", "Read the full answer at x.com", "What is p?medium", "a. option", "A. Zero",
    "-> arrow answer", "Which one?a. xb. yA.", "Posted by someone", "Conclusion",
    # links whose target means nothing inside Anki
    "[]()", "[x](relative/path)", "[top](#top)", "[site](https://example.org)",
]
line = st.one_of(st.sampled_from(MARKERS),
                 st.text(st.characters(blacklist_categories=("Cs",)), max_size=30))
documents = st.lists(line, max_size=40)
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])
REGISTRY = build_registry(load_plugins=False)
PARSERS = {name: REGISTRY[name] for name in REGISTRY.names()}
PARSERS[REGISTRY.fallback.NAME] = REGISTRY.fallback  # the general reader


@pytest.mark.parametrize("name", sorted(PARSERS))
@PROPERTY_SETTINGS
@given(lines=documents)
@example(lines=["Main question: Main?", "What is X? It is Y, as shown.", "\u00b2"])  # a digit
def test_parser_accounts_for_every_line(name, lines):
    lines = [l.replace("\n", " ").replace("\r", " ") for l in lines]
    parser = PARSERS[name]
    parser.detect(lines)
    doc = SourceDoc("fuzz.txt", "fuzz", lines)
    try:
        parser.parse(doc)
    except UnknownFormatError:
        assert parser is REGISTRY.fallback  # only the general reader refuses a page
        return
    if parser is REGISTRY.fallback:
        assert doc.unplaced() == []  # it files every line it reads
    numbers = set(range(1, len(lines) + 1))
    assert set(doc.fates) <= numbers
    nonblank = {n for n in numbers if lines[n - 1].strip()}
    assert set(doc.unplaced()) <= nonblank
    assert nonblank <= set(doc.fates) | set(doc.unplaced())
    ids = [r.id for r in doc.records]
    assert len(ids) == len(set(ids))
    for record in doc.records:
        assert record.q_line in numbers and doc.fates[record.q_line].role == "question"
        if record.answer:
            first, last = record.answer_lines
            assert first <= last and {first, last} <= numbers
        else:
            assert record.answer_lines == []


@PROPERTY_SETTINGS
@given(text=st.lists(line, max_size=15).map("\n".join))
def test_renderer_gives_well_formed_sanitized_html(text):
    html, _ = render_markdown(text)
    assert html_problem(html) is None
    for tag, attrs in parse_elements(html):
        assert tag in ALLOWED_TAGS
        for attribute, value in attrs:
            assert not attribute.startswith("on")
            if attribute == "href":
                assert value.startswith(("http:", "https:", "mailto:"))


plain_words = st.text(st.sampled_from("abcdefXYZ 0123 .,;:?'\"()/&é’-=+\xa0\n"), max_size=40)


@PROPERTY_SETTINGS
@given(text=st.one_of(plain_words, st.lists(plain_words, max_size=6).map("\n\n".join)))
def test_plain_text_shortcut_agrees_with_the_full_pipeline(text):
    from ankigen import render

    if render._is_plain(text):
        assert render._plain_paragraphs(text) == render._render_full(text)[0]


def test_plain_text_check_knows_every_unicode_space():
    """The shortcut's list of odd whitespace is every character Python counts as space."""
    from ankigen import render

    everything = "".join(map(chr, range(0x110000)))
    spaces = {ch for ch in everything if ch.isspace()} - {" ", "\n"}
    assert spaces == set(render._ODD_SPACES)
    assert all(not render._is_plain(f"text{ch}more") for ch in spaces)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


@given(value=json_values, depth=st.integers(0, 4))
def test_lock_and_report_json_reads_back_as_written(value, depth):
    text = jsontext.dumps(value, depth)
    assert json.loads(text) == value
    assert text.count("\n") <= json.dumps(value, indent=1).count("\n")  # deeper levels: one line


def _plain_scan(taxonomy, text: str) -> list:
    """The scan's meaning, position by position: the longest term starting at each word not
    inside a term already found. The tagger's scan must find exactly this, only faster."""
    words = _TOKEN.findall(_canonical(text))
    written = _TOKEN.findall(text.replace("-", " ").replace("’", "'"))
    found, i = [], 0
    while i < len(words):
        for n in range(len(words) - i, 0, -1):
            term = taxonomy.by_tokens.get(tuple(words[i:i + n]))
            if term is not None:
                # an abbreviation that is also a word ("HMM") counts only in capitals
                if not term.capitals or written[i].rstrip("s").isupper():
                    found.append(term)
                i += n
                break
        else:
            i += 1
    return found


_TERMS = sorted(" ".join(words) for words in default_taxonomy().by_tokens)  # plurals too
_TERM_WORDS = sorted({word for words in default_taxonomy().by_tokens for word in words})
_CAPITALS = sorted(t.text.upper() for t in default_taxonomy().by_tokens.values() if t.capitals)


@PROPERTY_SETTINGS  # whole terms, their words and punctuation: terms that overlap and nest
@given(text=st.lists(st.sampled_from(_TERMS) | st.sampled_from(_TERM_WORDS)
                     | st.sampled_from(_CAPITALS)
                     | st.sampled_from([".", ",", "-", "(", "the"]), max_size=30).map(" ".join))
def test_tagger_scan_finds_the_longest_terms_left_to_right(text):
    taxonomy = default_taxonomy()
    assert taxonomy.scan(text) == _plain_scan(taxonomy, text)
