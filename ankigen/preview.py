"""A static preview site: every card as Anki shows it, and what became of every source line.

``ankigen preview`` writes, into one folder that works offline from ``file://``:

- ``index.html``: the decks with their card counts, a chart of the cards tagged with each topic (HTML and CSS)
  and links to every page;
- ``deck-<slug>.html``: every card through the note type's own templates and CSS, math as
  MathML (converted here with latex2mathml, so no MathJax and no network), code highlighted,
  a search box that filters cards by text and tag, light and dark;
- ``source-<slug>.html``: the source's lines, each marked with what it became: the question
  or answer of a card (linked), dropped with its reason, or unplaced (highlighted).

Nothing is loaded from the network: styles and the few lines of script are inline.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nh3

from .errors import AnkigenError
from .files import write_atomic
from .media import Image, image_bytes
from .model import BACK, CSS, FRONT
from .package import Note
from .pipeline import Options, Pipeline, SourceResult
from .render import pygments_css
from .sources import Source
from .tag import COUNT_LABEL, COUNT_TITLE, top_level, topic_counts

_SECTION = re.compile(r"\{\{#(\w+)\}\}(.*?)\{\{/\1\}\}", re.DOTALL)
_FIELD = re.compile(r"\{\{(\w+)\}\}")
_MATH = re.compile(r"\\\((?P<inline>.{1,4000}?)\\\)|\\\[(?P<display>.{1,4000}?)\\\]",
                   re.DOTALL)  # bounded, as the renderer's
MATHML_TAGS = {"math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext",
               "mspace", "msub", "msup", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder",
               "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose",
               "mfenced", "merror"}
MATHML_ATTRIBUTES = {"*": {"display", "xmlns", "mathvariant", "stretchy", "fence", "separator",
                           "accent", "accentunder", "lspace", "rspace", "columnalign",
                           "rowspacing", "columnspacing", "width", "height", "depth", "minsize",
                           "maxsize", "movablelimits", "linethickness", "displaystyle",
                           "scriptlevel", "notation", "open", "close", "separators", "encoding"}}

PAGE_CSS = """
body.preview.card { max-width: none; margin: 0; padding: 0; }
/* the grey of secondary text (line numbers, labels, counts, tags): 4.5:1 or more on either
   theme's background, as WCAG AA asks of text */
body.preview { --muted: #6b6b6b; }
body.preview.nightMode { --muted: #a0a0a0; }
.bar { position: sticky; top: 0; display: flex; gap: 1em; align-items: center; flex-wrap: wrap;
  padding: 0.6em 1em; background: #f0f0f3; border-bottom: 1px solid #ccc; font-size: 15px; z-index: 1; }
.nightMode .bar { background: #2a2a2e; border-color: #444; }
.bar input { flex: 1; min-width: 10em; font-size: 15px; padding: 0.3em 0.5em; }
.wrap { max-width: 46em; margin: 0 auto; padding: 1em; }
.preview-card { border: 1px solid #ccc; border-radius: 6px; padding: 0.8em 1em; margin: 1em 0; }
.nightMode .preview-card { border-color: #555; }
.preview-card .tags { font-size: 0.7em; color: var(--muted); margin-top: 0.8em; word-break: break-word; }
.count { color: var(--muted); font-size: 0.9em; }
table.lines { border-collapse: collapse; width: 100%; font-size: 13px; display: table; }
table.lines td { border: none; border-bottom: 1px solid #eee; padding: 2px 6px; vertical-align: top; }
table.lines td.n { color: var(--muted); text-align: right; white-space: nowrap; }
table.lines td.text { font-family: ui-monospace, Menlo, Consolas, monospace; white-space: pre-wrap;
  word-break: break-word; }
table.lines td.fate { font-size: 12px; max-width: 16em; }
tr.question td.fate { color: #087f50; } tr.answer td.fate { color: #06a; }
tr.dropped td.fate, tr.label td.fate, tr.index td.fate, tr.section td.fate { color: var(--muted); }
tr.unplaced { background: #fff3b0; } tr.unplaced td.fate { color: #8a5200; font-weight: bold; }
/* a question that became no card is something to look at, not a success */
table.lines td.fate.nocard { color: #b35c00; }
.nightMode tr.unplaced { background: #5a4a00; }
.nightMode table.lines td { border-color: #333; }
.nightMode tr.question td.fate { color: #5fd39a; } .nightMode tr.answer td.fate { color: #7fb8ff; }
.nightMode table.lines td.fate.nocard, .nightMode tr.unplaced td.fate { color: #ffb35c; }
.nightMode a { color: #8ab4f8; } .nightMode a:visited { color: #c58af9; }
.wrap h1 { font-size: clamp(1.5rem, 6vw, 2.2rem); overflow-wrap: break-word; }
/* Chromium breaks no formula over lines: a formula wider than the card scrolls sideways
   inside it, inline ones too, and never down (its box is a pixel or two short of its ink's:
   padding keeps that ink in view), as the card's CSS has MathJax do in Anki */
.preview-card math[display="block"] { display: block; max-width: 100%; overflow-x: auto;
  overflow-y: hidden; padding: 0.2em 0; }
.preview-card math:not([display="block"]) { display: inline-block; max-width: 100%;
  overflow-x: auto; overflow-y: hidden; vertical-align: middle; padding: 0.1em 0; }
/* Chromium ignores columnalign on a cell: the aligned rows of \\begin{aligned} meet at their
   "&" only as CSS (right-aligned columns, then left-aligned, as TeX sets them) */
.preview-card mtd[columnalign="right"] { text-align: right; padding-right: 0; }
.preview-card mtd[columnalign="left"] { text-align: left; padding-left: 0; }
.chart { display: grid; grid-template-columns: minmax(5em, max-content) 1fr; gap: 0.3em 0.6em;
  align-items: center; font-size: 14px; max-width: 40em; }
.chart .label { text-align: right; overflow-wrap: anywhere; }
.chart .amount { display: flex; align-items: center; gap: 0.4em; }
.chart .amount span { display: inline-block; height: 0.9em; background: #5b8def; min-width: 2px; }
/* a phone: each line's fate goes under its text, which keeps the width */
@media (max-width: 600px) {
  table.lines, table.lines tbody { display: block; }
  table.lines tr { display: grid; grid-template-columns: 2.8em 1fr;
    border-bottom: 1px solid #eee; }
  .nightMode table.lines tr { border-color: #333; }
  table.lines td { border: none; }
  table.lines td.text { grid-column: 2; grid-row: 1; }
  table.lines td.fate { grid-column: 2; grid-row: 2; max-width: none; }
}
"""

SCRIPT = """
(function () {
  var body = document.body;
  var dark = localStorage.getItem("ankigen-theme");
  if (dark === null) dark = String(window.matchMedia("(prefers-color-scheme: dark)").matches);
  function apply() { body.classList.toggle("nightMode", dark === "true");
                     body.classList.toggle("night_mode", dark === "true"); }
  apply();
  var toggle = document.getElementById("theme");
  if (toggle) toggle.addEventListener("click", function () {
    dark = String(dark !== "true"); localStorage.setItem("ankigen-theme", dark); apply(); });
  var search = document.getElementById("search");
  if (!search) return;
  var cards = Array.prototype.slice.call(document.querySelectorAll(".preview-card"));
  var shown = document.getElementById("shown");
  search.addEventListener("input", function () {
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var count = 0;
    cards.forEach(function (card) {
      var hay = card.getAttribute("data-search");
      var match = words.every(function (w) { return hay.indexOf(w) !== -1; });
      card.hidden = !match;
      if (match) count++;
    });
    shown.textContent = count;
  });
})();
"""


@dataclass
class DeckPreview:
    result: SourceResult
    anchors: dict[str, str] = field(default_factory=dict)  # record id -> card anchor

    @property
    def source(self) -> Source:
        return self.result.source

    @property
    def slug(self) -> str:
        return self.result.source.slug

    @property
    def notes(self) -> list[Note]:
        return self.result.notes


@dataclass
class PreviewReport:
    pages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def card_anchor(record_id: str) -> str:
    return "card-" + hashlib.sha1(record_id.encode()).hexdigest()[:12]


def render_template(template: str, fields: dict[str, str]) -> str:
    """Anki's template syntax as our note type uses it: {{Field}} and {{#Field}}...{{/Field}}."""
    text = _SECTION.sub(lambda m: m.group(2) if fields.get(m.group(1), "").strip() else "", template)
    return _FIELD.sub(lambda m: fields.get(m.group(1), ""), text)


# environments latex2mathml puts on one line, with their "&" shown: as the arrays they are
_ALIGNED = re.compile(r"\\begin\{(aligned|align\*?|split|gathered)\}(.{0,4000}?)\\end\{\1\}",
                      re.DOTALL)


def _as_array(match: re.Match) -> str:
    """Rows under each other, columns alternately right and left aligned: as MathJax lays
    out an aligned block."""
    environment, body = match.group(1), match.group(2)
    columns = max(row.count("&") for row in body.split("\\\\")) + 1
    spec = "c" if environment == "gathered" else "".join("rl"[i % 2] for i in range(columns))
    return f"\\begin{{array}}{{{spec}}}{body}\\end{{array}}"


def math_to_mathml(fragment: str) -> str:
    """MathJax delimiters to MathML, which browsers show without a script or a network."""
    from latex2mathml.converter import convert

    def replace(match: re.Match) -> str:
        display = match.group("display") is not None
        tex = html.unescape(match.group("display") if display else match.group("inline"))
        tex = _ALIGNED.sub(_as_array, tex)
        try:
            mathml = convert(tex, display="block" if display else "inline")
        except Exception:  # a formula latex2mathml cannot read stays as written
            return match.group(0)
        # latex2mathml copies text such as \text{<img onerror=...>} unescaped: the same
        # allow-list as cards, for MathML
        return nh3.clean(mathml, tags=MATHML_TAGS, attributes=MATHML_ATTRIBUTES)

    return _MATH.sub(replace, fragment)


def card_html(note: Note) -> str:
    """The card's back side, as Anki shows it after the answer is revealed."""
    from .model import FIELDS

    fields = dict(zip(FIELDS, note.fields))
    front = render_template(FRONT, fields)
    return math_to_mathml(render_template(BACK, {**fields, "FrontSide": front}))


def write_preview(sources: list[Source], out_dir: Path, debug: bool = False) -> PreviewReport:
    results, errors = [], []
    for _, result in Pipeline(Options(debug=debug)).run_all(sources):
        if isinstance(result, AnkigenError):
            errors.append(str(result))
        else:
            results.append(result)
    report = write_site(results, out_dir)
    report.errors = errors
    return report


def write_site(results: list[SourceResult], out_dir: Path) -> PreviewReport:
    """The site of these sources (each read with its line ledger and rendered). The sources
    that could not be read are the caller's to report: the build's report already says them."""
    report = PreviewReport()
    decks = [DeckPreview(r, {n.record.id: card_anchor(n.record.id) for n in r.notes})
             for r in results]
    pages = {"index.html": _index_page(decks)}
    for deck in decks:
        pages[f"deck-{deck.slug}.html"] = _deck_page(deck)
        pages[f"source-{deck.slug}.html"] = _source_page(deck)
    for name, text in pages.items():
        write_atomic(out_dir / name, lambda tmp, text=text: tmp.write_text(text, encoding="utf-8"))
        report.pages.append(str(out_dir / name))
    # the cards' images beside the pages, under the names the cards use, as Anki keeps them
    images = {name: path for r in results for note in r.notes
              for path, name in note.record.media.items() if name}
    for name, path in sorted(images.items()):
        data = image_bytes(Image(name, path))
        write_atomic(out_dir / name, lambda tmp, data=data: tmp.write_bytes(data))
    return report


def _page(title: str, body: str, search: bool = False) -> str:
    bar = ['<nav class="bar"><a href="index.html">All decks</a>']
    if search:
        bar.append('<input id="search" type="search" placeholder="Filter by text or tag" '
                   'aria-label="Filter cards">')
    bar.append('<button id="theme" type="button">Light / dark</button></nav>')
    css = CSS + pygments_css() + PAGE_CSS
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{css}</style></head>\n"
            f'<body class="card preview">{"".join(bar)}\n<div class="wrap">{body}</div>\n'
            f"<script>{SCRIPT}</script></body></html>\n")


def _index_page(decks: list[DeckPreview]) -> str:
    rows = "".join(
        f'<li><a href="deck-{d.slug}.html">{html.escape(d.source.deck)}</a> '
        f'<span class="count">{len(d.notes)} cards</span> &middot; '
        f'<a href="source-{d.slug}.html">source lines</a></li>' for d in decks)
    topics = top_level(topic_counts(n.tags for d in decks for n in d.notes))
    total = sum(len(d.notes) for d in decks)
    cards = f"{total} card{'s' * (total != 1)} in {len(decks)} deck{'s' * (len(decks) != 1)}"
    body = (f"<h1>Card preview</h1><p>{cards}.</p><ul>{rows}</ul>"
            f'<h2>Topics</h2><p class="count">{COUNT_TITLE}.</p>'
            f"{_topic_chart(topics)}")
    return _page("Card preview", body)


def _topic_chart(topics: Counter) -> str:
    """A horizontal bar chart in HTML and CSS: no script, no library, and its labels keep
    their size on a phone."""
    if not topics:
        return "<p>No cards.</p>"
    top = max(topics.values())
    rows = "".join(
        f'<span class="label">{html.escape(topic)}</span><span class="amount">'
        f'<span style="width: {80 * count / top:.1f}%"></span>{count}</span>'
        for topic, count in sorted(topics.items(), key=lambda kv: (-kv[1], kv[0])))
    return f'<div class="chart" role="img" aria-label="{COUNT_LABEL}">{rows}</div>'


def _breakable(title: str) -> str:
    """A title that may wrap after "::", "-" or "_" on a phone, not inside a word."""
    return re.sub(r"(::|[-_])", r"\1<wbr>", html.escape(title))


def _deck_page(deck: DeckPreview) -> str:
    cards = []
    for note in deck.notes:
        tags = " ".join(note.tags)
        search = html.escape(f"{note.record.question} {note.record.answer} {tags}".lower())
        cards.append(f'<article class="preview-card" id="{deck.anchors[note.record.id]}" '
                     f'data-search="{search}">{card_html(note)}'
                     f'<div class="tags">{html.escape(tags)}</div></article>')
    body = (f"<h1>{_breakable(deck.source.deck)}</h1>"
            f'<p class="count"><span id="shown">{len(deck.notes)}</span> of {len(deck.notes)} cards '
            f'&middot; <a href="source-{deck.slug}.html">source lines</a></p>' + "".join(cards))
    return _page(deck.source.deck, body, search=True)


def _source_page(deck: DeckPreview) -> str:
    result = deck.result
    skipped = {record.id: reason for record, reason in result.skipped}
    rows, counts = [], Counter()
    for number, text in enumerate(result.lines, start=1):
        if not text.strip():
            continue
        fate = result.fates.get(number)
        role = fate.role if fate else "unplaced"
        counts[role] += 1
        rows.append(f'<tr class="{role}" id="line-{number}"><td class="n">{number}</td>'
                    f'{_fate_cell(fate, deck, skipped)}'
                    f'<td class="text">{html.escape(text)}</td></tr>')
    summary = ", ".join(f"{n} {role}" for role, n in sorted(counts.items()))
    body = (f"<h1>{_breakable(Path(deck.source.path).name)}</h1>"
            f'<p class="count">{summary} &middot; '
            f'<a href="deck-{deck.slug}.html">{html.escape(deck.source.deck)}</a></p>'
            f'<table class="lines">{"".join(rows)}</table>')
    return _page(deck.source.path, body)


def _fate_cell(fate, deck: DeckPreview, skipped: dict[str, str]) -> str:
    """A line's mark: the card it became (linked), why it became none, or what was dropped."""
    if fate is None:
        return '<td class="fate">unplaced</td>'
    if fate.role in ("question", "answer") and fate.record:
        anchor = deck.anchors.get(fate.record)
        if anchor:
            return f'<td class="fate"><a href="deck-{deck.slug}.html#{anchor}">{fate.role}</a></td>'
        reason = skipped.get(fate.record)
        reason = "no card" if reason is None else f"no card: {reason}"
        return f'<td class="fate nocard">{fate.role} ({html.escape(reason)})</td>'
    return f'<td class="fate">{html.escape(f"{fate.role}: {fate.reason}" if fate.reason else fate.role)}</td>'
