"""Script and Anki syntax from a page never run: formulas that would make links, styles or
load MathJax extensions are shown as text, "[sound:...]" and "[latex]" are shown as text, and
the preview's MathML goes through an allow-list like the cards."""

from __future__ import annotations

import pytest

from ankigen.preview import math_to_mathml
from ankigen.record import Record
from ankigen.render import render_record


def rendered_answer(answer: str) -> Record:
    return render_record(Record(id="x:1", source="page.txt", kind="main",
                                question="What is it?", answer=answer))


@pytest.mark.parametrize("formula", [
    r"$\href{javascript:alert(1)}{click}$",
    r"\(\style{background:url(https://evil.example/x)}{x}\)",
    r"\[\cssId{answer}{x}\]",
    r"$$\unicode{<script>alert(1)</script>}$$",
    r"\(\require{action}\)",
    r"\(\class{x}{y}\)",
])
def test_formulas_with_unsafe_macros_are_shown_as_text(formula):
    record = rendered_answer(f"The formula {formula} is here.")
    assert not any(opening + "\\" in record.answer_html.replace("&amp;", "&")
                   for opening in ("\\(", "\\["))
    assert any("could run or fetch" in change for change in record.changes)
    assert "<script" not in record.answer_html


@pytest.mark.parametrize("text, shown", [
    ("Listen: [sound:intro.mp3]", "&#91;sound:intro.mp3]"),
    ("Compile [latex]x^2[/latex] please", "&#91;latex]x^2&#91;/latex]"),
    ("A [$$]x[/$$] formula", None),  # read as a MathJax formula: no longer Anki's [$$]
])
def test_anki_media_syntax_is_shown_as_text(text, shown):
    html = rendered_answer(text).answer_html
    assert shown is None or shown in html
    assert not any(syntax in html for syntax in ("[sound:", "[latex]", "[$]", "[$$]"))


@pytest.mark.parametrize("field", [
    r"\(\text{<img/src/onerror=alert(1)>}\)",
    r"\[\text{<script>alert(1)</script>} x^2\]",
])
def test_preview_mathml_keeps_no_markup_from_a_formula(field):
    html = math_to_mathml(field)
    assert "<math" in html
    assert "<img" not in html and "<script" not in html and "onerror" not in html
