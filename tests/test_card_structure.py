"""Structure inside answers, as a careful reader of the long page wants it (issue 16): code
indentation restored only where certain, inline code back in its sentence, comments kept
with their code. Each case is an excerpt of `sources/aman-ai-interview-questions.txt`."""

from __future__ import annotations

import ast
import json
from collections import Counter
from itertools import combinations

import pytest
from click.testing import CliRunner

from ankigen.cli import main
from ankigen.normalize import normalize_record
from ankigen.record import Record
from ankigen.render import render_markdown
from ankigen.render.code import find_code_blocks
from ankigen.scrape.document import SourceDoc
from helpers import SOURCES_DIR, finish, parse_elements


def code_blocks(html: str) -> list[str]:
    """The text of each <pre> block, as a learner reads it."""
    from html.parser import HTMLParser

    blocks: list[str] = []

    class Pre(HTMLParser):
        inside = False

        def handle_starttag(self, tag, attrs):
            if tag == "pre":
                self.inside = True
                blocks.append("")

        def handle_endtag(self, tag):
            if tag == "pre":
                self.inside = False

        def handle_data(self, data):
            if self.inside:
                blocks[-1] += data

    Pre(convert_charrefs=True).feed(html)
    return blocks


INTERSECTION = """A3:
d = {}
for value in y:
if value not in d:
d[value] = 1
intersection = []
for value in x:
if value in d:
intersection.append(value)
print(intersection)
- The time complexity for this is O(n + m)."""

DUPLICATES = """- Approach 1:
set1=set()
res=[]
for i in list:
if i in set1:
res.append(i)
else:
set1.add(i)
print(res)"""

COMMON = """def common_func(X, Y):
Z=[]
for i in X:
for j in Y:
if i==j and i not in Z:
Z.append(i)
return Z"""


@pytest.mark.parametrize("source", [INTERSECTION, DUPLICATES], ids=["intersection", "duplicates"])
def test_code_whose_nesting_the_page_lost_is_shown_flat_never_guessed(source):
    html, warnings = render_markdown(source)
    (code,) = code_blocks(html)
    assert all(not line[:1].isspace() for line in code.split("\n"))  # flat, as the page had it
    assert any("could not be restored with certainty; shown flat" in w for w in warnings)


def test_certain_indentation_is_restored_and_parses():
    html, warnings = render_markdown(COMMON)
    (code,) = code_blocks(html)
    assert code == ("def common_func(X, Y):\n    Z=[]\n    for i in X:\n        for j in Y:\n"
                    "            if i==j and i not in Z:\n                Z.append(i)\n    return Z")
    assert warnings == []


def test_a_statement_after_a_return_closing_the_only_block_goes_back_out():
    html, _ = render_markdown("def f(a):\nreturn a + 1\nprint(f(2))")
    assert code_blocks(html) == ["def f(a):\n    return a + 1\nprint(f(2))"]


def test_every_restored_block_of_the_sources_parses():
    restored = 0
    for path in sorted(SOURCES_DIR.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for block in find_code_blocks(lines):
            if block.language == "python" and not block.flat and block.code != "\n".join(
                    line.rstrip() for line in lines[block.first:block.last + 1]):
                ast.parse(block.code)
                restored += 1
    assert restored  # some are certain enough to restore


SEED_EXAMPLE = """- Here’s an example of how you might approach it:
import openai
def generate_with_seed(prompt, seed=None):
response = openai.Completion.create(
model="text-davinci-003",
temperature=0.7 # adjust this for variability
)
return response.choices[0].text
# Usage
prompt = "Once upon a time in a distant land"
print(generate_with_seed(prompt, 42))
- While the API does not use it directly."""


def test_comments_and_a_calls_arguments_stay_in_their_code_block():
    html, _ = render_markdown(SEED_EXAMPLE)
    (code,) = code_blocks(html)
    assert "# Usage" in code and code.rstrip().endswith("print(generate_with_seed(prompt, 42))")
    assert "\n)\n" in code.replace(" ", "")  # the call's closing bracket, not a paragraph
    assert not any(tag.startswith("h") and tag[1:].isdigit() for tag, _ in parse_elements(html))


def answer_html(answer: str) -> str:
    record = normalize_record(Record(id="s:1", source="page.txt", kind="main", question="Q?", answer=answer))
    return render_markdown(record.answer)[0]


@pytest.mark.parametrize("answer, sentence", [
    ("- In this case,\nset_seed(seed)\nfixes the random seed.",
     "In this case, <code>set_seed(seed)</code> fixes the random seed."),
    ("- Another optimization is to load the model weights using\nmmap()\ninstead of standard C++ I/O.",
     "load the model weights using <code>mmap()</code> instead of standard C++ I/O."),
    ("- Player A has card with ID\na\n, and Player B has\nb\n.",
     "Player A has card with ID <code>a</code>, and Player B has <code>b</code>."),
    ("- consider a\nseason\ncolumn that contains 4 unique valuesspring\n,summer\n,fall\n, andwinter\n. When",
     "consider a <code>season</code> column that contains 4 unique valuesspring,summer,fall, andwinter. When"),
])
def test_inline_code_split_onto_its_own_line_rejoins_its_sentence(answer, sentence):
    html = answer_html(answer)
    assert sentence in html and "<br" not in html


def test_code_lines_are_never_joined_as_inline_code():
    answer = "Example:\nresponse = create(\nmodel=1,\n)\n# Code snippet about it\nimport torch\nx = 1"
    assert normalize_record(Record(id="s:1", source="p", kind="main", question="Q?", answer=answer)).answer == answer


def test_no_python_comment_of_the_long_page_becomes_a_heading():
    result = CliRunner().invoke(main, ["scrape", str(SOURCES_DIR / "aman-ai-interview-questions.txt"),
                                       "--format", "jsonl"])
    assert result.exit_code == 0
    for line in result.output.splitlines():
        html, _ = render_markdown(json.loads(line)["answer"])
        # the page's own sub-headings are "### ..."; a "# ..." line there is a comment
        assert "h1" not in [tag for tag, _ in parse_elements(html)], line[:80]


def scraped(answer_lines: list[str]):
    doc = SourceDoc("page.txt", "page", ["Q?"] + answer_lines)
    record = doc.add("Q?", 1, list(enumerate(answer_lines, start=2)))
    return record, doc


@pytest.mark.parametrize("lines, stray", [
    (["- Background:", "- In diffusion models, data is noised step by step.", "- Equation:",
      "- The loss is a squared error.", "- Background:", "- In summary, the loss trains it."],
     [6]),
    (["- Quantization", "- Weights in 4-bit integers.", "- Faster weight loading",
      "- Another optimization is to load the model weights using", "mmap()", "instead of I/O.",
      "- Another optimization is to load the model weights using", "- Quantization"], [8, 9]),
    (["\\[p(x) = p^x q^{1-x}\\]- where,", "- Mean is \\(p\\).", "- where,",
      "- The function Binomial is given by:", "\\[p(x) = nCx\\]"], [4]),
])
def test_a_repeated_lead_in_that_leads_nowhere_is_dropped_and_accounted(lines, stray):
    record, doc = scraped(lines)
    for number in stray:
        assert doc.fates[number].reason == "lead-in repeated where it leads nowhere"
        assert record.answer.split("\n").count(lines[number - 2]) <= 1  # the first one stays
    kept = [n for n in range(2, len(lines) + 2) if n not in stray]
    assert all(doc.fates[n].role == "answer" for n in kept)


def test_repeated_labels_with_content_and_repeated_code_stay():
    lines = ["- Pros:", "- Fast.", "- Cons:", "- Slow.", "- Pros:", "- Simple.",
             "def f(x):", "return x", "def f(x):", "return x + 1"]
    record, doc = scraped(lines)
    assert record.answer.split("\n") == lines


@pytest.mark.parametrize("answer, html", [
    ("- The function is given by\n\\[p(x) = p^x\\]- where,\n- Mean is \\(p\\).",
     "\\[p(x) = p^x\\]</li>\n<li>where,</li>"),
    ("- Too small causes network overhead. -\nOver/under provisioning hurts too.",
     "network overhead.</li>\n<li>Over/under provisioning hurts too.</li>"),
])
def test_a_bullet_glued_to_the_line_before_starts_its_own_item(answer, html):
    assert html in answer_html(answer)


def test_the_same_question_twice_on_a_page_is_one_record_with_both_answers():
    lines = ["Q: What is Entropy in Information Theory?", "A: A measure of uncertainty.",
             "Q: What is a tree?", "A: A model.",
             "Q: What is entropy in information theory", "A: The expected information."]
    doc = SourceDoc("page.txt", "page", lines)
    first = doc.add(lines[0][3:], 1, [(2, lines[1][3:])])
    doc.add(lines[2][3:], 3, [(4, lines[3][3:])])
    again = doc.add(lines[4][3:], 5, [(6, lines[5][3:])])
    doc.merge_repeated_questions()
    assert [r.q_line for r in doc.records] == [1, 3]
    assert first.answer == "A measure of uncertainty.\n\n---\n\nThe expected information."
    assert doc.fates[6].record == doc.fates[5].record == first.id != again.id  # the ledger follows
    assert "the same question again at line 5" in first.changes[0]


def test_other_wordings_of_a_question_are_listed_for_a_maintainer():
    from ankigen.build import similar_questions

    asked = ["What are L1 and L2 regularization? What are the differences between the two?",
             "What is the difference between L1 and L2 regularization in machine learning?",
             "What is property 1 of gradient descent?", "What is property 2 of gradient descent?"]
    records = [Record(id=f"s:{n}", source="p", kind="main", question=q, q_line=n)
               for n, q in enumerate(asked, start=1)]
    pairs, more = similar_questions(records)
    assert [pair["lines"] for pair in pairs] == [[1, 2]] and more == 0


def test_other_wordings_are_listed_a_few_a_question_and_the_rest_counted():
    from ankigen.build import SIMILAR_LISTED, SIMILAR_PER_QUESTION, similar_questions

    terms = "gradient descent learning rate momentum optimizer weight decay".split()
    wide = [f"How do {', '.join(terms)} interact in {tag}?" for tag in ("abc", "abd", "abe", "abf")]
    narrow = [f"How do {a}, {b}, {c} and {d} interact?" for a, b, c, d in combinations(terms, 4)]
    records = [Record(id=f"s:{n}", source="p", kind="main", question=q, q_line=n)
               for n, q in enumerate(wide + narrow, start=1)]
    pairs, more = similar_questions(records)
    # each narrow question is worded within every wide one, and the wide ones within each other
    assert len(pairs) == SIMILAR_LISTED and more == len(narrow) * len(wide) + 6 - SIMILAR_LISTED
    lines = Counter(pair["lines"][0] for pair in pairs)
    assert max(lines.values()) == SIMILAR_PER_QUESTION


@pytest.mark.parametrize("answer, expected", [
    ("Linear Regression\n- Simple to implement.\n- Performs well when linearly separable.\nCons\n"
     "- Prone to noise.", "<li>Performs well when linearly separable.</li>\n</ul>\n<p>Cons</p>\n<ul>"),
    ("- Decoder - Reconstructs the data.\nAutoencoders have a wide variety of usage. The "
     "following are some of the popular ones:\n- Denoising",
     "<li>Decoder - Reconstructs the data.</li>\n</ul>\n<p>Autoencoders have a wide variety"),
    ("- Below are the detailed pros and cons of GBDT:\nPros of GBDT\n- Accurate.",
     "</ul>\n<p>Pros of GBDT</p>"),
])
def test_a_sub_heading_or_lead_in_after_a_bullet_is_a_block_of_its_own(answer, expected):
    assert expected in render_markdown(answer)[0]


def test_the_line_after_an_item_that_ends_in_a_colon_stays_its_content():
    html = render_markdown("- Penalizing Large Weights:\nIn models like neural networks, "
                           "overfitting often involves high weights.\n- Next.")[0]
    assert "<li>Penalizing Large Weights:<br>\nIn models like neural networks" in html


BODY_QUESTIONS = """Interview Questions
- Is k-means clustering parametric?
- How do you mitigate data imbalance during model training?
- Explain how random seed initialization works with LLMs.
- What is a tree?
- What is a forest?
Is k-means clustering parametric?
- K-means is parametric: it fixes the number of clusters in advance.
What is an isotropic cluster?
- A cluster whose points spread equally in all directions around its centre.
How do you mitigate data imbalance during model training?
- Resampling Techniques:
- Oversample the minority class.
- Resampling Techniques:
Related: What are some common approaches to improve performance on a long tailed data distribution?
- Reweight the loss towards the tail.
Explain how random seed initialization works with LLMs.
- The seed fixes the sampling.
What is a Seed?
- A starting point for the random numbers.
- Example:
Q: How can I sum two numbers in Python?
A: With the addition operator.
What is a tree?
- A model.
- Trees split the data.
So why do single trees overfit so easily?
- They grow until every leaf is pure.
"""


def test_a_body_question_the_contents_left_out_gets_its_own_card(tmp_path):
    from helpers import scrape_text

    result = scrape_text(tmp_path, BODY_QUESTIONS)
    assert result.format == "toc-page"
    cards = {r.question: r.answer for r in result.records}
    assert cards["What is an isotropic cluster?"] == (
        "A cluster whose points spread equally in all directions around its centre.")
    assert cards["What are some common approaches to improve performance on a long tailed "
                 "data distribution?"] == "Reweight the loss towards the tail."
    assert cards["Is k-means clustering parametric?"].endswith("number of clusters in advance.")
    assert cards["How do you mitigate data imbalance during model training?"] == (
        "- Resampling Techniques:\n- Oversample the minority class.")  # the repeat dropped
    # a Title Case sub-heading and an example's question stay in the answer they belong to
    assert "So why do single trees overfit so easily?" in cards["What is a tree?"]  # rhetorical
    seed = cards["Explain how random seed initialization works with LLMs."]
    assert "What is a Seed?" in seed and "Q: How can I sum two numbers in Python?" in seed


def test_review_findings_on_the_long_page():
    # a model name in lower case after a bullet that ends a sentence is a heading of its own
    assert "</ul>\n<p>k-Nearest Neighbor</p>" in render_markdown(
        "- Calculations can get very complex.\nk-Nearest Neighbor\n- Simple.")[0]
    # an indexing expression is code, not prose
    assert code_blocks(render_markdown("print(nums)\nnums[counts!=1]")[0]) == [
        "print(nums)\nnums[counts!=1]"]
    # a span of brackets only, and a bullet glued to the sentence before it
    html = answer_html("- a list is created by placing elements inside square brackets\n[]\n"
                       ", separated by commas. This is called a nested list.- Lists are mutable.")
    assert "square brackets <code>[]</code>, separated" in html
    assert "nested list.</li>\n<li>Lists are mutable.</li>" in html


def test_a_lead_in_repeated_right_after_its_own_items_is_dropped_but_a_repeated_item_stays():
    record, doc = scraped(["- Variance: \\(npq\\).", "- where,", "- Mean: \\(np\\).", "- where,",
                           "- As we can see, the sample space is binary."])
    assert record.answer.split("\n").count("- where,") == 1
    record, doc = scraped(["Person 1's rules:", "- The post is in all caps", "- It mentions politics",
                           "Person 2's rules:", "- The post is in all caps", "- It uses slang"])
    assert record.answer.split("\n").count("- The post is in all caps") == 2


def test_the_rest_of_a_sentence_broken_after_inline_code_rejoins_it_but_items_do_not():
    assert "and[SEP] to separate different segments." in answer_html(
        "- BERT uses it at the beginning of each input and[SEP]\nto separate different segments.")
    html = answer_html("c) The initialization is not proper\nd) The regularisation is too large.")
    assert "d) The regularisation" in html and "proper d)" not in html
    # a line of working that ends on its result has said it: the next line is no rest of it
    record = normalize_record(Record(id="s:1", source="page.txt", kind="main", question="Q?",
                                     answer="cost of two rolls: 2*3 = 6\ngain per roll is 1/6 * 4\n"
                                            "so the game loses when it costs more than\nthe gain it brings."))
    assert record.answer == ("cost of two rolls: 2*3 = 6\ngain per roll is 1/6 * 4\n"
                             "so the game loses when it costs more than the gain it brings.")
    assert record.changes == ["answer: rejoined 1 line(s) the copy had broken mid-sentence"]


def test_second_review_findings_on_the_long_page():
    # inline code that opens a sentence, split onto its own line
    assert "<code>mmap()</code> maps the read-only weights" in answer_html(
        "- That enabled fast loading.\nmmap()\nmaps the read-only weights using MAP_SHARED.")
    # a bullet whose text starts with a number is one bullet, not an empty one holding a list
    assert "<li>2. Sigmoid:</li>" in render_markdown("- 1. ReLU:\n- Formula: x\n- 2. Sigmoid:")[0]
    # a heading with an abbreviation in brackets starts a block: the label under it is not a repeat
    record, _ = scraped(["- Relative Positional Encoding", "- Parameter Addition:", "- Fewer.",
                         "- Rotary Positional Encoding (RoPE)", "- Parameter Addition:",
                         "- None at all."])
    assert record.answer.split("\n").count("- Parameter Addition:") == 2


def test_a_question_that_leans_on_its_section_is_not_merged_across_sections():
    lines = ["## CNN", "Q: What are the advantages?", "A: Shared weights.",
             "## RNN", "Q: What are the advantages?", "A: Memory of the sequence."]
    doc = SourceDoc("page.txt", "page", lines)
    doc.add("What are the advantages?", 2, [(3, "Shared weights.")], section="CNN")
    doc.add("What are the advantages?", 5, [(6, "Memory of the sequence.")], section="RNN")
    doc.merge_repeated_questions()
    assert [(r.section, r.answer) for r in doc.records] == [
        ("CNN", "Shared weights."), ("RNN", "Memory of the sequence.")]


def test_review_findings_on_odd_input():
    # a code line too deeply nested for Python's parser shows the block flat, not a crash
    html, warnings = render_markdown("def f(x):\ny = " + "-" * 5000 + "1\nreturn y")
    assert code_blocks(html) and any("shown flat" in w for w in warnings)
    # a LaTeX line break "\\[4pt]" inside a formula is not a "\[" opener
    html, warnings = render_markdown("$$\\begin{aligned} a &= b \\\\[4pt] c &= d \\end{aligned}$$")
    assert html.startswith("<p>\\[\\begin{aligned}") and warnings == []
    # prose with two contractions is not a quoted string, so not code
    html, _ = render_markdown("Precision = it's the share of the predicted positives that's correct")
    assert "<pre" not in html
    # punctuation that starts a line of its own is not always glued to the line before
    for text in ("Install it:\n!pip install torch", "accessors:\n.loc selects rows\n.iloc rows",
                 "Files\n.env\n.gitignore", "see the\nPyTorch docs\nfor examples"):
        assert normalize_record(Record(id="s:1", source="p", kind="main", question="Q?",
                                       answer=text)).answer == text


def test_a_field_too_large_for_a_card_is_listed_with_its_reason_not_carded():
    from ankigen.pipeline import skip_reason
    from ankigen.record import MAX_FIELD_BYTES

    answer = "```python\n" + "a = b + c * d\n" * 3000 + "```"  # highlighted: 20 times its size
    record = Record(id="s:1", source="s.txt", kind="main", question="What does it do?", answer=answer)
    finished = finish([record]).records[0]
    assert skip_reason(finished).endswith(f"over the {MAX_FIELD_BYTES} a card field may hold")
    assert skip_reason(finished).startswith("answer of ") and not finished.answer_html


def test_the_release_gate_flags_a_field_too_large_for_a_card():
    from ankigen.apkg import Package, PackageNote
    from ankigen.check import content_defects
    from ankigen.record import MAX_FIELD_BYTES

    answer = "<p>" + "x" * MAX_FIELD_BYTES + "</p>"
    note = PackageNote("g", "ankigen Q&A", {"Question": "<p>Q?</p>", "Answer": answer}, [], 0)
    assert content_defects(Package("p.apkg", [note], [], [])) == [
        f"note 'Q?': Answer field of {len(answer)} bytes, over the {MAX_FIELD_BYTES} a card "
        "field may hold"]
