"""The preview site in headless Chromium, opened from file:// with the network unused."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from ankigen.pipeline import Options, Pipeline
from ankigen.preview import write_preview
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


def open_page(browser, path: Path, width: int = 1024, dark: bool = False):
    """A page loaded from file://, with every console error and non-file request recorded."""
    page = browser.new_page(viewport={"width": width, "height": 800},
                            color_scheme="dark" if dark else "light")
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
    assert index.locator(".chart .amount span").count() >= 5  # the per-topic chart
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
    cards = Pipeline(Options(render=False)).run(source).cards
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


PHONE_WIDTH = 390
DESKTOP_WIDTH = 1024
LAYOUT = """() => {
  const rgb = (css) => css.match(/[\\d.]+/g).map(Number);
  const luminance = (css) => {
    const [r, g, b] = rgb(css).slice(0, 3).map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  // what a text is seen on: the nearest background that is not transparent
  const backdrop = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const colour = getComputedStyle(e).backgroundColor;
      if (rgb(colour).length < 4 || rgb(colour)[3] > 0) return colour;
    }
    return "rgb(255, 255, 255)";
  };
  const background = getComputedStyle(document.body).backgroundColor;
  const links = [...document.querySelectorAll(".wrap a")].slice(0, 20);
  const text = document.querySelector("table.lines td.text");
  const labels = [...document.querySelectorAll(".chart .label")];
  const nocard = document.querySelector("td.fate.nocard");
  // the secondary text: line numbers, what each line became, counts, a card's tags
  const muted = [...document.querySelectorAll("table.lines td.n, table.lines td.fate, .count, .preview-card .tags")]
    .filter(e => e.textContent.trim());
  return {
    overflow: document.documentElement.scrollWidth > window.innerWidth + 1,
    // a box that scrolls down although nothing in it is taller than a line or a formula
    scrollsDown: [...document.querySelectorAll(".wrap *")].filter(e =>
      /auto|scroll/.test(getComputedStyle(e).overflowY) && e.scrollHeight > e.clientHeight)
      .map(e => e.tagName + ": " + e.textContent.slice(0, 40)),
    dark: document.body.classList.contains("nightMode"),
    linkContrast: Math.min(99, ...links.map(a => contrast(getComputedStyle(a).color, background))),
    mutedContrast: Math.min(99, ...muted.map(e => contrast(getComputedStyle(e).color, backdrop(e)))),
    textWidth: text ? text.getBoundingClientRect().width : null,
    labelSize: Math.min(99, ...labels.map(l => parseFloat(getComputedStyle(l).fontSize))),
    noCardColour: nocard ? getComputedStyle(nocard).color : null,
  };
}"""


def _every_page(site):
    return sorted(path.name for path in site.glob("*.html"))


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_page_reads_on_a_phone_in_light_and_dark(site, browser, dark):
    pages = _every_page(site)
    assert len(pages) == 1 + 2 * 5
    for path in pages:
        page = open_page(browser, site / path, width=PHONE_WIDTH, dark=dark)
        layout = page.evaluate(LAYOUT)
        page.close()
        assert layout["dark"] is dark, path
        assert not layout["overflow"], path  # nothing runs off the page, a long formula neither
        assert layout["scrollsDown"] == [], path
        assert layout["linkContrast"] >= 4.5, path  # WCAG AA for links, in both themes
        assert layout["mutedContrast"] >= 4.5, path  # and for the grey of line labels
        if layout["textWidth"] is not None:  # a source line keeps most of the width
            assert layout["textWidth"] >= 0.6 * PHONE_WIDTH, path
        if "index" in path:
            assert layout["labelSize"] >= 12  # chart labels keep their size
        if layout["noCardColour"] is not None:  # "no card" is a warning, not a success
            red, green, _ = map(int, layout["noCardColour"][4:-1].split(",")[:3])
            assert red > green, path


def test_no_formula_scrolls_down_on_a_desktop(site, browser):
    for path in _every_page(site):
        if path.startswith("deck-"):
            page = open_page(browser, site / path, width=DESKTOP_WIDTH)
            layout = page.evaluate(LAYOUT)
            page.close()
            assert layout["scrollsDown"] == [] and not layout["overflow"], path


def test_aligned_formulas_are_laid_out_in_rows_as_anki_shows_them(site, browser, sources):
    aman = next(s for s in sources if "aman" in s.path)
    page = open_page(browser, site / f"deck-{aman.slug}.html")
    rows = page.eval_on_selector_all("math mtable", "ts => ts.map(t => t.querySelectorAll('mtr').length)")
    # where each row's first "=" stands: the rows of an aligned block meet at their "&"
    equals = page.eval_on_selector_all("math mtable", """ts => ts.map(t =>
      [...t.querySelectorAll(':scope > mtr')].map(r => [...r.querySelectorAll('mo')]
        .find(o => o.textContent === '=')).filter(Boolean).map(o => o.getBoundingClientRect().left))""")
    text = page.inner_text("body")
    page.close()
    assert rows and max(rows) >= 2  # \\begin{aligned} ... \\\\ ... as rows of a table
    assert "&amp;" not in text and "& =" not in text
    aligned = [xs for xs in equals if len(xs) >= 2]
    assert aligned and all(max(xs) - min(xs) < 1 for xs in aligned), equals

