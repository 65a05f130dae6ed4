#!/usr/bin/env python3
# Reference material given to ankigen for issue 26 (shared/bench/gen_corpus.py), copied
# unchanged but for this note; the benchmark runs this copy, never the shared one.
"""Deterministic synthetic question/answer corpus for Anki-deck builder benchmarks.

Writes the same N question/answer pairs in two forms:

  <out>/qa.txt    plain text, one record per pair:
                      Q: <question>
                      A: <answer, may span several lines, may contain blank lines>
                      <blank line>
                  A record starts at a line beginning with "Q: "; no answer line ever
                  starts with "Q: ", so splitting on "\\nQ: " is a complete parser.

  <out>/md/deck.md  markdown in the input format of BOTH
                  * markdown-anki-decks (PyPI, cli `mdankideck INPUT_DIR OUTPUT_DIR`):
                    "# Deck title" (h1) then "## question" (h2) headings, the answer is
                    the markdown between two h2 headings;
                  * mdanki (npm, cli `mdanki FILE.md OUT.apkg`): cards split on lines
                    matching /^##\\s/, first line = front, rest = back, "# " h1 = deck name.
                  The md file is in its own folder because mdankideck converts a folder.

Content (per pair, drawn from random.Random(seed)):
  * question: 8-25 words, ends with "?", unique within the corpus;
  * answer: 40-200 prose words (list items count toward the budget), in 1-3 paragraphs;
    ~20% contain inline $...$ LaTeX (with _, ^, \\frac{..}{..}, \\{ \\}, *, <),
    ~20% contain a 3-6 item "- " bullet list,
    ~15% contain a short ```python fenced code block (3-8 lines, with a "# comment").
  The answer text is identical in both files (markdown source text).

Usage:
  gen_corpus.py N OUT_DIR [--seed 1] [--deck-name "Synthetic QA"]
Prints a one-line JSON summary (counts, bytes) on stdout.
"""
import argparse
import json
import os
import random

WORDS = """
time year people way day man thing woman life child world school state family student
group country problem hand part place case week company system program question work
government number night point home water room mother area money story fact month lot
right study book eye job word business issue side kind head house service friend father
power hour game line end member law car city community name president team minute idea
kid body information back parent face others level office door health person art war
history party result change morning reason research girl guy moment air teacher force
education foot boy age policy process music market sense nation plan college interest
death experience effect use class control care field development role effort rate heart
drug show leader light voice wife police mind price report decision son view relationship
town road arm difference value building action model season society tax director position
player record paper space ground form event official matter center couple site project
activity star table need court oil situation cost industry figure street image phone data
picture practice piece land product doctor wall patient worker news test movie north love
support technology step baby computer type attention film tree source organization hair
window evidence population site training network memory function variable algorithm
matrix vector gradient tensor layer neuron loss optimizer batch epoch kernel pointer
thread process cache buffer queue stack heap graph node edge tree hash index query
schema table column protein enzyme cell membrane molecule reaction equilibrium entropy
energy momentum velocity acceleration frequency amplitude signal noise filter spectrum
probability distribution variance estimate sample hypothesis theorem proof lemma axiom
integral derivative limit series sequence convergence polynomial eigenvalue basis
contract liability statute precedent verdict appeal treaty tariff inflation currency
""".split()

ADJ = """
important large small different local social national early public able late hard major
better economic strong possible whole free military true federal international full
special easy clear recent certain personal open red difficult available likely short
single medical current wrong private past foreign fine common poor natural significant
similar hot dead central happy serious ready simple left physical general environmental
financial blue democratic dark various entire close legal religious cold final main green
nice huge popular traditional cultural linear nonlinear stochastic convex discrete
continuous recursive parallel distributed asynchronous stable robust sparse dense
""".split()

VERBS = """
is has does says gets makes goes knows takes sees comes thinks looks wants gives uses finds
tells asks works seems feels tries leaves calls keeps provides holds turns follows begins
brings shows hears plays runs moves lives believes allows means sets learns changes leads
understands watches includes continues creates builds stays falls reaches remains suggests
raises passes requires reports decides pulls computes returns stores updates reduces
increases measures predicts converges diverges encodes decodes allocates releases
""".split()

FUNC = """
the the the the a a an of of of to to in in and and and for on with as by at from that
this which their its into over under between through during without within about
""".split()

QSTARTS = [
    "What is the difference between", "How does", "Why does", "Explain how",
    "Describe the role of", "What happens when", "Under what conditions does",
    "What are the main properties of", "How would you compare", "When should one use",
    "What is meant by", "Which factors determine", "How can we estimate",
    "What is the purpose of", "In what way does",
]

LATEX = [
    r"$x_i^2 + y_i^2 = r^2$",
    r"$\frac{a}{b} + \frac{c}{d}$",
    r"$\sum_{i=1}^{n} x_i$",
    r"$P(A \mid B) = \frac{P(B \mid A) P(A)}{P(B)}$",
    r"$O(n \log n)$",
    r"$\alpha \cdot \beta < \gamma$",
    r"$a * b * c$",
    r"$\{x \in \mathbb{R} : x > 0\}$",
    r"$\mathbf{w}_{t+1} = \mathbf{w}_t - \eta \nabla L(\mathbf{w}_t)$",
    r"$e^{i\pi} + 1 = 0$",
    r"$\int_0^1 f(x)\,dx$",
    r"$\lambda_{max}$ and $\lambda_{min}$",
]

CODE_TEMPLATES = [
    ["def {f}(xs):", "    # {c}", "    total = 0", "    for x in xs:",
     "        total += x * x", "    return total"],
    ["import math", "", "def {f}(a, b):", "    # {c}", "    return math.sqrt(a ** 2 + b ** 2)"],
    ["{v} = {{}}", "for key, value in items:", "    # {c}",
     "    {v}.setdefault(key, []).append(value)", "print(len({v}))"],
    ["class {F}:", "    def __init__(self, n):", "        self.n = n  # {c}", "",
     "    def __len__(self):", "        return self.n"],
    ["with open(path) as fh:", "    lines = [l.strip() for l in fh if l.strip()]",
     "# {c}", "result = sorted(lines, key=len)[:10]"],
    ["try:", "    value = int(text)", "except ValueError as exc:",
     "    # {c}", "    value = None", "assert value is None or value >= 0"],
]


def sentence(rng, nwords):
    """A sentence of exactly nwords words (>=1), capitalised, ending with '.'."""
    out = []
    for i in range(nwords):
        r = rng.random()
        if r < 0.35:
            w = rng.choice(FUNC)
        elif r < 0.70:
            w = rng.choice(WORDS)
        elif r < 0.85:
            w = rng.choice(ADJ)
        else:
            w = rng.choice(VERBS)
        out.append(w)
    out[0] = out[0].capitalize()
    s = " ".join(out)
    if nwords > 8 and rng.random() < 0.3:
        # a comma somewhere in the middle
        k = s.find(" ", len(s) // 2)
        if k > 0:
            s = s[:k] + "," + s[k:]
    return s + "."


def prose(rng, nwords):
    """Prose of exactly nwords words as a list of sentences."""
    sents = []
    left = nwords
    while left > 0:
        n = min(left, rng.randint(6, 22))
        if left - n < 4 and left - n > 0:
            n = left
        sents.append(sentence(rng, n))
        left -= n
    return sents


def make_question(rng):
    nwords = rng.randint(8, 25)
    start = rng.choice(QSTARTS)
    k = len(start.split())
    rest = []
    for i in range(max(1, nwords - k)):
        r = rng.random()
        rest.append(rng.choice(FUNC) if r < 0.3 else rng.choice(ADJ) if r < 0.5 else rng.choice(WORDS))
    return start + " " + " ".join(rest) + "?"


def make_answer(rng):
    """Returns (answer_markdown_text, flags)."""
    budget = rng.randint(40, 200)
    has_math = rng.random() < 0.20
    has_list = rng.random() < 0.20
    has_code = rng.random() < 0.15

    blocks = []
    list_words = 0
    items = []
    if has_list:
        nitems = rng.randint(3, 6)
        for _ in range(nitems):
            n = rng.randint(4, 12)
            items.append("- " + sentence(rng, n))
            list_words += n
        list_words = min(list_words, budget - 12)
    prose_words = max(12, budget - list_words)

    sents = prose(rng, prose_words)
    if has_math:
        # put 1-2 inline formulas into random sentences
        for _ in range(rng.randint(1, 2)):
            i = rng.randrange(len(sents))
            s = sents[i][:-1]
            sents[i] = s + " where " + rng.choice(LATEX) + " holds."
    # split prose into 1-3 paragraphs
    npara = min(len(sents), rng.randint(1, 3))
    cuts = sorted(rng.sample(range(1, len(sents)), npara - 1)) if npara > 1 else []
    paras = []
    prev = 0
    for c in cuts + [len(sents)]:
        paras.append(" ".join(sents[prev:c]))
        prev = c
    blocks.append(paras[0])
    if has_list:
        blocks.append("\n".join(items))
    blocks.extend(paras[1:])
    if has_code:
        tpl = rng.choice(CODE_TEMPLATES)
        f = rng.choice(["norm", "accumulate", "merge_sorted", "score", "load", "parse_row"])
        c = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7)))
        v = rng.choice(["groups", "index", "counts", "buckets"])
        code = "\n".join(l.format(f=f, F=f.title().replace("_", ""), c=c, v=v) for l in tpl)
        pos = rng.randint(1, len(blocks))
        blocks.insert(pos, "```python\n" + code + "\n```")
    text = "\n\n".join(blocks)
    return text, (has_math, has_list, has_code)


def generate(n, seed):
    rng = random.Random(seed)
    seen = set()
    pairs = []
    flags_count = [0, 0, 0]
    while len(pairs) < n:
        q = make_question(rng)
        if q in seen:
            continue
        seen.add(q)
        a, flags = make_answer(rng)
        for i, f in enumerate(flags):
            flags_count[i] += f
        pairs.append((q, a))
    return pairs, flags_count


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int)
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--deck-name", default="Synthetic QA")
    args = ap.parse_args()

    pairs, flags = generate(args.n, args.seed)
    os.makedirs(os.path.join(args.out_dir, "md"), exist_ok=True)
    txt_path = os.path.join(args.out_dir, "qa.txt")
    md_path = os.path.join(args.out_dir, "md", "deck.md")
    with open(txt_path, "w", encoding="utf-8", newline="\n") as f:
        for q, a in pairs:
            f.write("Q: " + q + "\nA: " + a + "\n\n")
    with open(md_path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# " + args.deck_name + "\n\n")
        for q, a in pairs:
            f.write("## " + q + "\n\n" + a + "\n\n")
    print(json.dumps({
        "n": args.n, "seed": args.seed,
        "with_math": flags[0], "with_list": flags[1], "with_code": flags[2],
        "qa_txt_bytes": os.path.getsize(txt_path), "md_bytes": os.path.getsize(md_path),
    }))


if __name__ == "__main__":
    main()
