"""Script and Anki syntax from a page never run: formulas that would make links, styles or
load MathJax extensions are shown as text, "[sound:...]", "[anki:tts]" and "[latex]" are shown
as text in every field of a note, and the preview's MathML goes through an allow-list like the
cards."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ankigen.build import build
from ankigen.cli import main
from ankigen.preview import math_to_mathml
from ankigen.record import Record
from ankigen.render import render_record
from ankigen.sources import resolve_sources
from helpers import import_package


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
    ("Say [anki:tts lang=en_US]hi[/anki:tts]", "&#91;anki:tts lang=en_US]hi&#91;/anki:tts]"),
    ("A [$$]x[/$$] formula", None),  # read as a MathJax formula: no longer Anki's [$$]
])
def test_anki_media_syntax_is_shown_as_text(text, shown):
    html = rendered_answer(text).answer_html
    assert shown is None or shown in html
    assert not any(syntax in html for syntax in ("[sound:", "[latex]", "[$]", "[$$]", "[anki:"))


@pytest.mark.parametrize("field", [
    r"\(\text{<img/src/onerror=alert(1)>}\)",
    r"\[\text{<script>alert(1)</script>} x^2\]",
])
def test_preview_mathml_keeps_no_markup_from_a_formula(field):
    html = math_to_mathml(field)
    assert "<math" in html
    assert "<img" not in html and "<script" not in html and "onerror" not in html


# A page whose headings, questions and answers carry what Anki plays, speaks, compiles or
# typesets ("TTS(...)" stands for a speech tag), and a manifest title that does too
INJECTED_PAGE = r"""# Interview questions

## Audio [sound:intro.mp3] and speech TTS(heard heading)

### What is attention?

Attention weighs tokens. TTS(heard answer) and [anki:tts]no language[/anki:tts] stay.

### Why use TTS(heard question) residual connections?

They ease gradient flow through deep stacks.

## Links \(\href{javascript:alert(1)}{click}\) and a stray \( opener

### What is layer normalization?

It normalizes activations {{c1::per token}} across features. [anki:play:q:0]

### What is dropout?

Dropout zeroes random activations during training.
"""
MANIFEST = """[[source]]
file = "page.md"
slug = "page"
deck = "Page"
title = "Notes TTS(heard title) [sound:title.mp3]"
origin = "a test"
"""


def with_speech(text: str) -> str:
    return re.sub(r"TTS\((.*?)\)", r"[anki:tts lang=en_US]\1[/anki:tts]", text)


def test_no_field_of_a_note_plays_speaks_or_links_in_anki(tmp_path, collection):
    (tmp_path / "page.md").write_text(with_speech(INJECTED_PAGE), encoding="utf-8")
    (tmp_path / "sources.toml").write_text(with_speech(MANIFEST), encoding="utf-8")
    report = build(resolve_sources([str(tmp_path / "page.md")]), tmp_path / "out",
                   lock_path=None)
    deck = Path(report.sources[0].output)
    assert len(import_package(collection, deck).new) == 4
    shown = ""
    for card in (collection.get_card(cid) for cid in collection.find_cards("")):
        assert card.question_av_tags() == [] and card.answer_av_tags() == []
        shown += card.question() + card.answer()
    for live in ("[sound:", "[anki:", "\\href", "{{c1::", "Error in directive"):
        assert live not in shown
    for words in ("heard heading", "heard answer", "no language", "heard question",
                  "heard title", "a stray", "per token"):
        assert words in shown  # shown as text, not spoken or hidden
    result = CliRunner().invoke(main, ["check", str(deck)])
    assert result.exit_code == 0, result.output
