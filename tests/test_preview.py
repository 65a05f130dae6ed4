"""The preview site in headless Chromium, opened from file:// with the network unused."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from ankigen.build import process
from ankigen.preview import write_preview
from ankigen.scrape import scrape_source
from cardview import CHROMIUM, CHROMIUM_ARGS, chromium_available

if not chromium_available():
    if os.environ.get("CI"):
        raise RuntimeError("the preview tests need Debian's chromium; .ci/run installs it")
    pytest.skip("needs Debian's chromium", allow_module_level=True)

SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"


@pytest.fixture(scope="module")
def site(tmp_path_factory, sources):
    folder = tmp_path_factory.mktemp("preview")
    report = write_preview(sources, folder)
    assert report.errors == []
    return folder


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, path: Path, width: int = 1024):
    """A page loaded from file://, with every console error and non-file request recorded."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("request", lambda r: not r.url.startswith(("file:", "data:", "about:"))
            and page.problems.append(f"network request: {r.url}"))
    page.goto(path.as_uri())
    return page


def test_every_page_loads_offline_without_errors(site, browser):
    pages = sorted(site.glob("*.html"))
    assert len(pages) == 1 + 2 * 5
    for path in pages:
        page = open_page(browser, path)
        assert page.problems == [], path.name
        page.close()


def test_every_card_of_every_deck_appears(site, browser, sources, built):
    report, _ = built
    for source, entry in zip(sources, report.sources):
        page = open_page(browser, site / f"deck-{source.slug}.html")
        assert page.locator("article.preview-card").count() == entry.cards
        if "transformer-networks-guide" in source.path:
            assert page.locator("article.preview-card math").count() > 0  # MathML, no MathJax
        page.close()
    index = open_page(browser, site / "index.html")
    total = sum(e.cards for e in report.sources)
    assert f"{total} cards in 5 decks." in index.inner_text("body")
    assert index.locator("svg rect").count() >= 5  # the per-topic chart
    index.close()


def test_source_marks_agree_with_the_line_accounting(site, browser, sources, built):
    report, _ = built
    for source, entry in zip(sources, report.sources):
        expected = Counter()
        for what, count in entry.lines.items():
            expected[what.split(":")[0]] += count
        page = open_page(browser, site / f"source-{source.slug}.html")
        marked = Counter(page.eval_on_selector_all("table.lines tr", "rows => rows.map(r => r.className)"))
        assert marked == expected, source.path
        links = page.eval_on_selector_all("table.lines a", "as => as.map(a => a.getAttribute('href'))")
        page.close()
        deck = open_page(browser, site / f"deck-{source.slug}.html")
        ids = set(deck.eval_on_selector_all("article.preview-card", "cs => cs.map(c => c.id)"))
        deck.close()
        assert links and {link.split("#", 1)[1] for link in links} <= ids  # every link lands


def test_search_filters_cards_by_text_and_tag(site, browser, sources):
    source = next(s for s in sources if "transformers-part-6" in s.path)
    cards, _ = process(scrape_source(source), rendering=False)
    page = open_page(browser, site / f"deck-{source.slug}.html")
    for query in ("positional", "topic::deep-learning"):
        expected = sum(1 for r in cards
                       if query in f"{r.question} {r.answer} {' '.join(r.tags)}".lower())
        page.fill("#search", query)
        assert page.locator("article.preview-card:visible").count() == expected > 0
        assert page.inner_text("#shown") == str(expected)
    page.fill("#search", "")
    assert page.locator("article.preview-card:visible").count() == len(cards)
    page.close()


def test_screenshots_of_the_three_kinds_of_page(site, browser, sources):
    """Saved to build/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    source = next(s for s in sources if "transformers-part-6" in s.path)
    for name, path in (("index", "index.html"), ("deck", f"deck-{source.slug}.html"),
                       ("source", f"source-{source.slug}.html")):
        page = open_page(browser, site / path, width=900)
        page.screenshot(path=str(SCREENSHOTS / f"preview-{name}.png"))
        assert (SCREENSHOTS / f"preview-{name}.png").stat().st_size > 0
        page.close()
