"""Every card of every deck, imported into real Anki and shown in headless Chromium with
Anki's own MathJax, at desktop and phone widths, in light and night mode."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cardview import DESKTOP, PHONE, anki_web_js, card_viewer, chromium_available
from helpers import import_package, png

if not (chromium_available() and anki_web_js()):
    reason = "needs Debian's chromium and aqt (pip install --no-deps aqt); .ci/run installs both"
    if os.environ.get("CI"):
        raise RuntimeError(reason)  # CI must run these, never skip them
    pytest.skip(reason, allow_module_level=True)

SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
DEFECTS = ("mathErrors", "texLeft", "plainCode", "overflow", "scrollsDown", "misaligned",
           "silentScroll", "rawMarkdown", "dollarMath", "mojibake", "mathLetters", "unsafe",
           "brokenImages")


@pytest.fixture(scope="module")
def cards(built, tmp_path_factory):
    """(deck name, question, card answer HTML as Anki renders it) for every card."""
    from anki.collection import Collection

    report, _ = built
    col = Collection(str(tmp_path_factory.mktemp("anki") / "collection.anki2"))
    try:
        for entry in report.sources:
            import_package(col, Path(entry.output))
        found = []
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            found.append((col.decks.name(card.did), card.note()["Question"], card.answer()))
        return found
    finally:
        col.close()


@pytest.fixture(scope="module")
def viewer(tmp_path_factory):
    with card_viewer(tmp_path_factory.mktemp("view")) as tools:
        yield tools


@pytest.mark.parametrize("viewport, night", [(DESKTOP, False), (PHONE, False), (PHONE, True)],
                         ids=["desktop-light", "phone-light", "phone-night"])
def test_every_card_renders_cleanly(cards, viewer, viewport, night):
    view, _ = viewer
    problems = []
    formulas = code_blocks = aligned = 0
    for deck, question, html in cards:
        result = view(html, viewport, night)
        formulas += result["formulas"]
        code_blocks += result["codeBlocks"]
        aligned += result["alignedRows"]
        found = [name for name in DEFECTS if result[name]]
        if found:
            problems.append(f"{deck}: {question[:60]!r}: {', '.join(found)}")
    assert problems == [], "\n".join(problems)
    assert formulas > 0 and code_blocks > 0 and aligned > 0  # the decks have math, code and
    # an aligned block to check
    assert view.console_errors == []


WIDE_TABLE = """Q: How do the three attention variants compare?
A: They differ in cost:

| Variant | Time complexity per layer | Memory per layer | Typical maximum sequence length |
|---|---|---|---|
| full_softmax_attention_over_all_tokens | O(n^2 d) quadratic_in_length | O(n^2) | 4096_tokens_or_so |
| sliding_window_local_attention_band | O(n w d) linear_in_length | O(n w) | 32768_tokens_or_more |
"""


@pytest.mark.parametrize("night", [False, True], ids=["light", "night"])
def test_a_table_wider_than_a_phone_scrolls_inside_the_card_and_shows_it(viewer, tmp_path,
                                                                         collection, night):
    from ankigen.build import build
    from ankigen.sources import resolve_sources

    source = tmp_path / "wide.txt"
    source.write_text(WIDE_TABLE, encoding="utf-8")
    report = build(resolve_sources([str(source)]), tmp_path / "out", lock_path=None)
    import_package(collection, Path(report.sources[0].output))
    (cid,) = collection.find_cards("")
    view, _ = viewer
    result = view(collection.get_card(cid).answer(), PHONE, night)
    assert result["scrollingTables"] == 1  # wider than 390 px: it scrolls ...
    assert not result["overflow"] and not result["silentScroll"]  # ... inside, with its cue


@pytest.mark.parametrize("viewport, night", [(DESKTOP, False), (PHONE, False), (PHONE, True)],
                         ids=["desktop-light", "phone-light", "phone-night"])
def test_an_image_beside_the_source_shows_on_the_card_and_fits_the_screen(
        viewer, tmp_path, collection, viewport, night):
    import shutil

    from ankigen.build import build
    from ankigen.sources import resolve_sources

    (tmp_path / "wide.png").write_bytes(png(1600))  # wider than any screen
    source = tmp_path / "plot.md"
    source.write_text("## 1. What does the plot show?\n\nThe loss, falling:\n\n"
                      "![loss](wide.png)\n\n## 2. What is a tensor?\n\nAn array.\n")
    report = build(resolve_sources([str(source)]), tmp_path / "out", lock_path=None)
    import_package(collection, Path(report.sources[0].output))
    view, _ = viewer
    for image in Path(collection.media.dir()).iterdir():  # as Anki shows a card: media beside it
        shutil.copy(image, view.folder / image.name)
    card = collection.get_card(collection.find_cards('"Question:*plot*"')[0])
    result = view(card.answer(), viewport, night)
    assert not result["brokenImages"] and len(result["imageWidths"]) == 1
    assert 0 < result["imageWidths"][0] <= viewport["width"]
    assert not result["overflow"]


def test_screenshots_of_representative_cards(cards, viewer):
    """Saved to build/screenshots/ for a person to look at (math, code, table, follow-up)."""
    _, shot = viewer
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    wanted = {
        "math": "Why is scaling (dividing by",
        "code": "Given two arrays, write a python function",
        "table": "Compare and contrast GPT and BERT.",
        "followup": "Can you explain the role of positional encodings",
    }
    for name, start in wanted.items():
        html = next(h for _, q, h in cards if start in q)
        for label, viewport, night in (("desktop", DESKTOP, False), ("phone", PHONE, False),
                                       ("phone-night", PHONE, True)):
            path = SCREENSHOTS / f"{name}-{label}.png"
            shot(html, viewport, night, path)
            assert path.stat().st_size > 0
