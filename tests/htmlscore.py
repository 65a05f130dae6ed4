#!/usr/bin/env python3
"""(Copied unchanged from the project's shared HTML development set, to score tests/data/dev-html.)

Score flashcard records produced from saved HTML pages against gold.

usage: score_html.py RECORDS.jsonl --gold DIR [--json] [--threshold 85]

RECORDS.jsonl: one JSON object per line with at least
    "source"   - the page file name (e.g. "sklearn_faq.html"; a path is fine,
                 only the base name is used),
    "question" - the card's question,
    "answer"   - the card's answer as text, Markdown or HTML.
DIR: a set directory holding gold/*.jsonl (e.g. heldout or dev), or the gold
     directory itself.

Text normalisation (applied to records and gold alike): HTML tags removed,
entities decoded, Markdown markers * _ ` # > removed, TeX delimiters
$ \\( \\) \\[ \\] removed, zero-width characters removed, whitespace collapsed,
space before , . ; : ! ? ) ] } and after ( [ { removed, casefolded.

Matching, per page: every record is compared with every gold question
(rapidfuzz fuzz.ratio on normalised text; for a followup the gold text
"parent question" is tried too and the better score kept); pairs scoring
>= threshold (85) are assigned one-to-one, best score first.

Metrics (per page and overall, overall = summed counts):
  recall          answered gold questions (kind main/followup, has_answer true)
                  matched by a record with a non-empty answer / answered gold
  start_ok        answered gold whose matched answer begins with answer_first,
                  allowing up to 40 characters of preamble / answered gold
  end_ok          answered gold whose matched answer ends with answer_last,
                  allowing up to 40 characters after it / answered gold
  precision       records matched to any gold question (any kind) / records
  phantom         records with a non-empty answer matched to a gold question
                  (kind main/followup) whose has_answer is false
                  (reported as a count and as a share of such gold questions)
  code_indent_ok  answered gold with code_first_line whose matched answer has
                  a line ending in that line with its leading spaces intact
                  (only list/quote markers may precede it) / such gold
  pages with no records
"""
import argparse
import html
import json
from html.parser import HTMLParser
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz

BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul", "img", "textarea",
}
SKIP = {"script", "style", "template", "head", "title"}


class _Text(HTMLParser):
    """Text of an HTML fragment: tags removed (block-level tags become a
    separator, inline tags vanish), entities decoded, script/style dropped."""

    def __init__(self, sep):
        super().__init__(convert_charrefs=True)
        self.sep, self.out, self.skip = sep, [], 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
        elif tag in BLOCK:
            self.out.append(self.sep)

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK:
            self.out.append(self.sep)

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK:
            self.out.append(self.sep)

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


LOOKS_HTML = re.compile(
    r"</?(?:p|div|span|pre|code|ul|ol|li|br|hr|table|thead|tbody|tr|td|th|strong|em|b|i|u|a|"
    r"h[1-6]|blockquote|details|summary|img|dl|dt|dd|sup|sub|kbd|section|article|figure|"
    r"figcaption|math|mi|mo|mn|annotation|script|style)(?:\s[^<>]*)?/?>", re.I)


def looks_html(s):
    return bool(s) and bool(LOOKS_HTML.search(s))


def html_to_text(s, sep=" "):
    """Used for record text that looks like HTML; plain text and Markdown
    (and the gold, which is visible text already) are left alone apart from
    entity decoding."""
    if not looks_html(s):
        return html.unescape(s)
    p = _Text(sep)
    p.feed(s)
    p.close()
    return "".join(p.out)


ZW = re.compile("[\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f]")
MD = re.compile(r"[*_`#>]")
TEXDELIM = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$")
WS = re.compile(r"\s+")
SP_BEFORE = re.compile(r"\s+([,.;:!?)\]}])")
SP_AFTER = re.compile(r"([(\[{])\s+")

PREAMBLE = 40
TRAIL = 40


def norm(s, gold=False):
    """Normalise a record string (gold=False: HTML is turned into text when
    the string looks like HTML) or a gold string (gold=True: already visible
    text, no tag handling)."""
    if not s:
        return ""
    s = s if gold else html_to_text(s)
    s = ZW.sub("", s)
    s = MD.sub(" ", s)
    s = TEXDELIM.sub(" ", s)
    s = WS.sub(" ", s).strip()
    s = SP_BEFORE.sub(r"\1", s)
    s = SP_AFTER.sub(r"\1", s)
    return s.casefold()


def load_gold(gdir):
    gdir = Path(gdir)
    if (gdir / "gold").is_dir():
        gdir = gdir / "gold"
    gold = {}
    for p in sorted(gdir.glob("*.jsonl")):
        recs = [json.loads(l) for l in p.read_text(encoding="utf-8").splitlines() if l.strip()]
        gold[p.stem + ".html"] = recs
    if not gold:
        raise SystemExit(f"no gold/*.jsonl under {gdir}")
    return gold


def load_records(path):
    recs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                raise SystemExit(f"{path}:{n}: not JSON: {e}")
            for k in ("source", "question", "answer"):
                if k not in r:
                    raise SystemExit(f"{path}:{n}: missing field {k!r}")
            r["_page"] = os.path.basename(str(r["source"]))
            recs.append(r)
    return recs


def match_page(golds, recs, threshold):
    gq = []
    for g in golds:
        cands = [norm(g["question"], gold=True)]
        if g.get("kind") == "followup" and g.get("parent"):
            cands.append(norm(g["parent"] + " " + g["question"], gold=True))
        gq.append(cands)
    rq = [norm(str(r.get("question", ""))) for r in recs]
    pairs = []
    for i, cands in enumerate(gq):
        for j, q in enumerate(rq):
            if not q:
                continue
            sc = max(fuzz.ratio(c, q) for c in cands)
            if sc >= threshold:
                pairs.append((sc, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    g2r, r2g = {}, {}
    for sc, i, j in pairs:
        if i in g2r or j in r2g:
            continue
        g2r[i] = j
        r2g[j] = i
    return g2r, r2g


def starts_ok(ans_n, first_n):
    if not first_n:
        return False
    i = ans_n.find(first_n)
    return 0 <= i <= PREAMBLE


def ends_ok(ans_n, last_n):
    if not last_n:
        return False
    i = ans_n.rfind(last_n)
    return i >= 0 and i + len(last_n) >= len(ans_n) - TRAIL


def code_ok(answer, line):
    want = line.rstrip()
    if not want.strip():
        return False
    text = html_to_text(answer, sep="\n")
    for L in text.split("\n"):
        L = L.rstrip()
        if L.endswith(want):
            head = L[: len(L) - len(want)]
            if head.strip() in ("", ">", ">>", "-", "*", "+"):
                return True
    return False


def score(gold, records, threshold=85):
    by_page = defaultdict(list)
    for r in records:
        by_page[r["_page"]].append(r)
    pages = {}
    tot = defaultdict(int)
    for page, golds in gold.items():
        recs = by_page.get(page, [])
        g2r, r2g = match_page(golds, recs, threshold) if recs else ({}, {})
        c = defaultdict(int)
        c["records"] = len(recs)
        c["records_matched"] = len(r2g)
        details = []
        for i, g in enumerate(golds):
            kind = g.get("kind", "main")
            j = g2r.get(i)
            r = recs[j] if j is not None else None
            ans = "" if r is None else str(r.get("answer") or "")
            ans_n = norm(ans)
            d = {"gold": i + 1, "question": g["question"], "kind": kind,
                 "matched_record": None if j is None else j + 1}
            if kind == "subheading":
                details.append(d)
                continue
            if g["has_answer"]:
                c["answered_gold"] += 1
                found = bool(r is not None and ans_n)
                c["found"] += found
                s_ok = found and starts_ok(ans_n, norm(g["answer_first"], gold=True))
                e_ok = found and ends_ok(ans_n, norm(g["answer_last"], gold=True))
                c["start_ok"] += s_ok
                c["end_ok"] += e_ok
                d.update(found=found, start_ok=s_ok, end_ok=e_ok)
                if g.get("code_first_line"):
                    c["code_gold"] += 1
                    k_ok = found and code_ok(ans, g["code_first_line"])
                    c["code_ok"] += k_ok
                    d["code_indent_ok"] = k_ok
            else:
                c["unanswered_gold"] += 1
                ph = bool(r is not None and ans_n)
                c["phantom"] += ph
                d["phantom"] = ph
            details.append(d)
        unmatched = [j + 1 for j in range(len(recs)) if j not in r2g]
        pages[page] = {"counts": dict(c), "metrics": metrics(c), "unmatched_records": unmatched,
                       "details": details}
        for k, v in c.items():
            tot[k] += v
    unknown = sorted({r["_page"] for r in records} - set(gold))
    n_unknown = sum(len(by_page[p]) for p in unknown)
    tot["records"] += n_unknown
    empty = sorted(p for p in gold if not by_page.get(p))
    overall = {"counts": dict(tot), "metrics": metrics(tot), "pages": len(gold),
               "pages_with_no_records": empty, "records_for_unknown_pages": n_unknown,
               "unknown_pages": unknown}
    return {"overall": overall, "pages": pages, "threshold": threshold}


def ratio(a, b):
    return None if not b else round(a / b, 4)


def metrics(c):
    return {
        "recall": ratio(c.get("found", 0), c.get("answered_gold", 0)),
        "start_ok": ratio(c.get("start_ok", 0), c.get("answered_gold", 0)),
        "end_ok": ratio(c.get("end_ok", 0), c.get("answered_gold", 0)),
        "precision": ratio(c.get("records_matched", 0), c.get("records", 0)),
        "phantom": c.get("phantom", 0),
        "phantom_rate": ratio(c.get("phantom", 0), c.get("unanswered_gold", 0)),
        "code_indent_ok": ratio(c.get("code_ok", 0), c.get("code_gold", 0)),
    }


def fmt(x):
    return "  -  " if x is None else f"{x:5.3f}"


def print_table(res, out=sys.stdout):
    hdr = f"{'page':44} {'gold':>4} {'recs':>4} {'recall':>6} {'start':>6} {'end':>6} {'prec':>6} {'phan':>4} {'code':>6}"
    print(hdr, file=out)
    print("-" * len(hdr), file=out)
    for page in sorted(res["pages"]):
        p = res["pages"][page]
        c, m = p["counts"], p["metrics"]
        print(f"{page[:44]:44} {c.get('answered_gold', 0):4d} {c.get('records', 0):4d} {fmt(m['recall']):>6} "
              f"{fmt(m['start_ok']):>6} {fmt(m['end_ok']):>6} {fmt(m['precision']):>6} "
              f"{m['phantom']:4d} {fmt(m['code_indent_ok']):>6}", file=out)
    o = res["overall"]
    c, m = o["counts"], o["metrics"]
    print("-" * len(hdr), file=out)
    print(f"{'OVERALL':44} {c.get('answered_gold', 0):4d} {c.get('records', 0):4d} {fmt(m['recall']):>6} "
          f"{fmt(m['start_ok']):>6} {fmt(m['end_ok']):>6} {fmt(m['precision']):>6} "
          f"{m['phantom']:4d} {fmt(m['code_indent_ok']):>6}", file=out)
    print(f"phantom rate: {fmt(m['phantom_rate'])} of {c.get('unanswered_gold', 0)} unanswered gold questions", file=out)
    print(f"pages with no records: {len(o['pages_with_no_records'])}"
          + (f" ({', '.join(o['pages_with_no_records'])})" if o["pages_with_no_records"] else ""), file=out)
    if o["records_for_unknown_pages"]:
        print(f"records for pages not in the gold: {o['records_for_unknown_pages']} "
              f"({', '.join(o['unknown_pages'])})", file=out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("records")
    ap.add_argument("--gold", required=True, help="set directory (with gold/) or gold directory")
    ap.add_argument("--json", action="store_true", help="print the full result as JSON")
    ap.add_argument("--threshold", type=float, default=85)
    a = ap.parse_args(argv)
    res = score(load_gold(a.gold), load_records(a.records), a.threshold)
    if a.json:
        json.dump(res, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print_table(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
