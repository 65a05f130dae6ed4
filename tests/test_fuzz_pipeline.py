"""Fuzzing the whole build: real sources, mutated as scrapes mutate pages, go through
scrape -> normalize -> tag -> render -> package, and every deck that comes out must be one
Anki takes without a defect.

The budget is fixed and the examples derandomized, so CI runs the same cases every time;
ANKIGEN_FUZZ_EXAMPLES=2000 runs a longer, random campaign locally.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ankigen.apkg import read_package
from ankigen.build import build
from ankigen.check import content_defects
from ankigen.render import ALLOWED_TAGS
from ankigen.sources import resolve_sources
from helpers import SOURCES_DIR, parse_elements

LONG_RUN = int(os.environ.get("ANKIGEN_FUZZ_EXAMPLES", "0"))
FUZZ_SETTINGS = settings(max_examples=LONG_RUN or 60, derandomize=not LONG_RUN, deadline=None,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
WINDOW = 80  # lines of a source per example: enough for several questions and their answers
SOURCE_LINES = [p.read_text(encoding="utf-8").split("\n") for p in sorted(SOURCES_DIR.glob("*.txt"))]

# What scrapes do to pages: markup debris, math and code fragments, look-alikes, control and
# invisible characters, Anki syntax, script, and long runs that tempt a backtracking pattern.
DEBRIS = [
    "\\(", "\\)", "\\[", "\\]", "$", "$$", "`", "```", "```python", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "[sound:a.mp3]", "[latex]x[/latex]", "{{c1::x}}",
    "[anki:tts lang=en_US]x[/anki:tts]",
    "\\href{javascript:alert(1)}{x}", "<b>", "</div>", "&amp;", "&#0;", "\u200b", "\ufeff",
    "\x00", "\x1b[31m", "\r", "\t", "ﬁ", "Ａ", "â€™", "Ã©", "**", "__", "#", "1.", "Q:", "A:",
    "- ", "> ", "|", "Answer:", "Follow-up:", " " * 300, "a" * 300, "(" * 50, "*" * 50,
]


@st.composite
def mutated_pages(draw) -> str:
    lines = draw(st.sampled_from(SOURCE_LINES))
    start = draw(st.integers(0, max(0, len(lines) - WINDOW)))
    page = lines[start:start + WINDOW]
    for _ in range(draw(st.integers(1, 12))):
        at = draw(st.integers(0, max(0, len(page) - 1)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate", "join", "split", "swap"]))
        if action == "insert" or not page:
            debris = draw(st.sampled_from(DEBRIS) | st.text(max_size=20))
            text = page[at] if page else ""
            cut = draw(st.integers(0, len(text)))
            page[at:at + 1] = [text[:cut] + debris + text[cut:]]
        elif action == "delete":
            del page[at]
        elif action == "duplicate":
            page.insert(at, page[at])
        elif action == "join" and at + 1 < len(page):
            page[at:at + 2] = [page[at] + page[at + 1]]
        elif action == "split":
            cut = draw(st.integers(0, len(page[at])))
            page[at:at + 1] = [page[at][:cut], page[at][cut:]]
        elif action == "swap" and at + 1 < len(page):
            page[at], page[at + 1] = page[at + 1], page[at]
    return "\n".join(page)


@FUZZ_SETTINGS
@given(page=mutated_pages())
def test_mutated_sources_build_into_decks_without_defects(tmp_path_factory, page):
    folder = tmp_path_factory.mktemp("fuzz")
    source = folder / "page.txt"
    source.write_text(page, encoding="utf-8", errors="surrogatepass")
    report = build(resolve_sources([str(source)]), folder / "out", lock_path=None)
    entry = report.sources[0]
    if entry.error:  # a page that cannot become a deck is refused in words, never by a crash
        assert "please report" not in entry.error and "unexpected" not in entry.error
        return
    assert entry.records == entry.cards + len(entry.skipped)  # every record has a fate
    package = read_package(entry.output)
    assert len(package.notes) == entry.cards
    assert content_defects(package) == []  # no empty field, broken HTML, unbalanced MathJax
    for note in package.notes:
        for value in note.fields.values():  # a page's script or link shows as text, if at all
            for tag, attributes in parse_elements(value):
                assert tag in ALLOWED_TAGS
                for name, target in attributes:
                    assert not name.startswith("on")
                    assert name != "href" or target.startswith(("http:", "https:", "mailto:", "#"))
            assert not any(live in value for live in ("[sound:", "[latex]", "[anki:"))
