"""Cards shown as Anki shows them: real Anki renders the card HTML, headless Chromium lays it
out with the MathJax build and configuration that ship in Anki's own ``aqt`` wheel.

The page is loaded once; each card is put into it and typeset in turn, and a script reports
what a learner would notice: MathJax errors, formulas left as TeX, code without highlighting,
a card wider than the screen, a table that scrolls without showing it, raw Markdown, "$" math, mojibake, math-alphanumeric letters.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As the workplace's probe starts it: no sandbox as root, nothing fetched in the background.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}


def anki_web_js() -> Path | None:
    """Anki's web assets (MathJax and its configuration) from the installed aqt wheel."""
    spec = importlib.util.find_spec("_aqt")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "web" / "js"
    return path if (path / "mathjax.js").is_file() else None


PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<script src="{config}"></script>
<script>window.MathJax.loader.paths.mathjax = {mathjax_dir};</script>
<script src="{mathjax}"></script>
</head><body class="card card1"><div id="qa"></div></body></html>
"""

CHECK = r"""
async ([html, night]) => {
  document.body.classList.toggle("nightMode", night);
  document.body.classList.toggle("night_mode", night);
  const qa = document.getElementById("qa");
  qa.innerHTML = html;
  await MathJax.startup.promise;
  MathJax.typesetClear([qa]);
  await MathJax.typesetPromise([qa]);
  const images = [...qa.querySelectorAll("img")];
  await Promise.all(images.map(i => i.decode().catch(() => null)));
  const texts = [];
  const walker = document.createTreeWalker(qa, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest("mjx-container, style, script")) continue;
    texts.push({text: node.data, code: !!node.parentElement.closest("pre, code")});
  }
  const prose = texts.filter(t => !t.code).map(t => t.text).join("");
  const visible = qa.innerText;
  const pres = [...qa.querySelectorAll("pre")];
  return {
    mathErrors: qa.querySelectorAll("mjx-merror, [data-mjx-error]").length,
    formulas: qa.querySelectorAll("mjx-container").length,
    // MathJax reads delimiters within one text node: a "\(" still there was not typeset
    texLeft: texts.some(t => !t.code && /\\\(|\\\[/.test(t.text)),
    codeBlocks: pres.length,
    // every block went through Pygments; all but plain text have highlighted tokens
    plainCode: pres.filter(p => !p.classList.contains("highlight") ||
      (!p.querySelector("code.language-text") && !p.querySelector("span[class]"))).length,
    overflow: document.documentElement.scrollWidth > window.innerWidth + 1,
    // a box that scrolls down (a formula a pixel taller than its box shows a scrollbar)
    scrollsDown: [...qa.querySelectorAll("*")].filter(e =>
      /auto|scroll/.test(getComputedStyle(e).overflowY) && e.scrollHeight > e.clientHeight).length,
    // the rows of an aligned block meet at their "&": each row's first "=" at one x
    misaligned: [...qa.querySelectorAll("mjx-mtable")].filter(t => {
      const xs = [...t.querySelectorAll("mjx-mtr")].map(r => r.querySelector("mjx-c.mjx-c3D"))
        .filter(Boolean).map(c => c.getBoundingClientRect().left);
      return xs.length >= 2 && Math.max(...xs) - Math.min(...xs) >= 1;
    }).length,
    alignedRows: [...qa.querySelectorAll("mjx-mtable")].filter(t =>
      [...t.querySelectorAll("mjx-mtr")].filter(r => r.querySelector("mjx-c.mjx-c3D")).length >= 2).length,
    // a table that scrolls sideways must show that it does (its edge shadows)
    silentScroll: [...qa.querySelectorAll("table")].filter(t => t.scrollWidth > t.clientWidth + 1 &&
      !getComputedStyle(t).backgroundImage.includes("gradient")).length,
    scrollingTables: [...qa.querySelectorAll("table")].filter(t => t.scrollWidth > t.clientWidth + 1).length,
    rawMarkdown: texts.some(t => !t.code && (/\*\*|```/.test(t.text) || /(^|\n)\s*#{1,6}\s/.test(t.text))),
    dollarMath: /(^|[^\\\w$])\$[^\s$\d][^$\n]*[^\s$\\]\$(?!\d)/.test(prose),
    mojibake: /â€|Ã[\u0080-\u00bf]|Â[\u00a0-\u00bf]|\ufffd/.test(visible),
    mathLetters: /[\u{1D400}-\u{1D7FF}]/u.test(prose),
    // an image the card shows must be there (the deck's media) and fit the screen
    brokenImages: images.filter(i => !i.naturalWidth).length,
    imageWidths: images.map(i => i.getBoundingClientRect().width),
    unsafe: qa.querySelectorAll("script, iframe, object, embed, form, style:not(:first-child), [onerror], [onload], [onclick]").length,
  };
}
"""


@contextmanager
def card_viewer(tmp_dir: Path):
    """Yield ``view(html, viewport, night) -> report dict`` and ``shot(html, viewport, night, path)``."""
    from playwright.sync_api import sync_playwright

    web = anki_web_js()
    mathjax_dir = web / "vendor" / "mathjax"
    page_file = tmp_dir / "card.html"
    page_file.write_text(PAGE.format(config=(web / "mathjax.js").as_uri(),
                                     mathjax_dir=json.dumps(mathjax_dir.as_uri()),
                                     mathjax=(mathjax_dir / "tex-chtml-full.js").as_uri()),
                         encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = {}
        console_errors: list[str] = []

        def page_for(viewport: dict):
            key = (viewport["width"], viewport["height"])
            if key not in pages:
                page = browser.new_page(viewport=viewport)
                page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
                page.goto(page_file.as_uri())
                page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
                pages[key] = page
            return pages[key]

        def view(html: str, viewport: dict = DESKTOP, night: bool = False) -> dict:
            return page_for(viewport).evaluate(CHECK, [html, night])

        def shot(html: str, viewport: dict, night: bool, path: Path) -> None:
            page = page_for(viewport)
            page.evaluate(CHECK, [html, night])
            page.screenshot(path=str(path), full_page=True)

        view.console_errors = console_errors
        view.folder = tmp_dir  # the card's page is here: a card's images go beside it
        try:
            yield view, shot
        finally:
            browser.close()


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM)
