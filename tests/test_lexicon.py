"""The lexicon's one definition of each concept, on the lines the stages used to disagree on."""

from __future__ import annotations

from pathlib import Path

import pytest

from ankigen.lexicon.chrome import chrome_kind, chrome_name, closes_page, names_chrome_section
from ankigen.lexicon.code import is_code_line
from ankigen.lexicon.marks import ENDS_SENTENCE, is_bare_bullet, may_hold_fence
from ankigen.lexicon.questions import (answer_in_brackets, asks, is_question_heading, only_asks,
                                       opens_like_question, question_key, reads_as_question,
                                       refers_to_code)
from ankigen.lexicon.stubs import is_fragment, is_stub, only_links
from ankigen.lexicon.titles import (heads_its_own_paragraph, is_heading_text, is_short_label,
                                    is_title_case, is_title_line, names_a_part)
from ankigen.lexicon.words import ends_open, keywords

# line: (asks, opens like a question, a whole question in running text, a question heading)
QUESTION_LINES = {
    "What is attention": (False, True, False, True),
    "What is attention?": (True, True, True, True),
    "Explain": (False, True, False, True),
    "Describe the encoder": (False, True, False, True),
    "Is it fast": (False, True, False, True),
    "Derive the gradient of softmax.": (False, True, True, True),
    "Implement a function that reverses a list.": (False, True, True, True),
    "What is X? (Hint: not 25)": (True, True, True, True),
    "Why This Matters": (False, True, False, False),
    "Explain Pearson's Correlation Coefficient": (False, True, False, True),
    "So why did plain RNNs struggle?": (True, False, True, True),
    "Build projects. A portfolio shows what you can do.": (False, True, False, True),
    "Write for us": (False, True, False, True),
}


@pytest.mark.parametrize("line", QUESTION_LINES)
def test_the_question_concepts(line):
    expected = QUESTION_LINES[line]
    assert (asks(line), opens_like_question(line), reads_as_question(line),
            is_question_heading(line)) == expected


def test_an_answer_of_only_questions_asks_nothing_it_answers():
    assert only_asks("- What is X?\n- Why? (hint: think of Y)")
    assert not only_asks("What is X?\nX is a thing.")
    # the page's next questions under one it leaves unanswered: a list of questions, not an answer
    assert only_asks("Can you explain image denoising?\nDescribe histogram equalization.\n"
                     "What is OCR, and how is it implemented?\n\nObject detection?\n"
                     "1. Multi-stage detectors")
    assert not only_asks("Why does it work? Because errors cancel.\nIs it fast? Yes.\n"
                         "It needs many models, though.")
    assert not only_asks("No question here.")


@pytest.mark.parametrize("question,split", [
    ("What is bagging? (bootstrap samples, averaged votes)",
     ("What is bagging?", "bootstrap samples, averaged votes")),
    ("Name two optimizers. (SGD with momentum, and Adam (adaptive moments))",
     ("Name two optimizers.", "SGD with momentum, and Adam (adaptive moments)")),
    # brackets that are part of the question
    ("What is O(n log n)?", None),
    ("Explain dropout (in training vs. inference).", None),
    ("What is the output of print(x)?", None),
    ("What is a GAN (generative adversarial network)? Give examples.", None),
    ("What is X? ((unbalanced)", None),
    # notes: instructions, remarks on the question, tags, forms, acronyms, names, links
    ("Why does it fail? (Discuss runtime)", None),
    ("How is it trained? (talk about the loss and the optimizer)", None),
    ("What is a heap? (trick question)", None),
    ("What is a trie? (asked at Acme)", None),
    ("What is a bloom filter? (5 marks)", None),
    ("What is a p-value? (Medium difficulty)", None),
    ("Explain attention. (intuitively and with an example)", None),
    ("What is BPTT? (BPTT)", None),
    ("What is sharding? (Acme, Example Corp)", None),
    ("Is it convex? (yes)", None),
    ("How do you reverse a string? (in Python)", None),
    ("What is recall? (for a binary classifier)", None),
    ("What is a join? (Source: Acme onsite)", None),
    ("Why is it useful? (for search, for ranking and for most other tasks)",
     ("Why is it useful?", "for search, for ranking and for most other tasks")),
    ("Why is it better? (Good write-up: https://example.org/post)", None),
])
def test_an_answer_in_brackets_after_a_question(question, split):
    assert answer_in_brackets(question) == split


def test_a_question_about_the_code_it_shows_refers_to_code():
    excerpt = (Path(__file__).parent / "data" / "lexicon" / "questions.md").read_text("utf-8")
    questions = [line for line in excerpt.splitlines() if line.endswith(("?", "."))]
    assert len(questions) == 10 and all(map(refers_to_code, questions))
    assert not refers_to_code("What is a function?") and not refers_to_code("Explain this model.")
    assert not refers_to_code("Which of these models overfits?")


def test_question_key_ignores_case_spacing_look_alikes_and_end_punctuation():
    assert question_key("  What is  ＡＩ? ") == question_key("what is ai") == "what is ai"


# line: (Title Case, a title line, a heading set apart, a heading in running text, names a part,
#        heads its own paragraph after a list item, a short label in an answer)
TITLE_LINES = {
    "Linear regression": (False, True, True, False, False, True, False),
    "Linear Regression": (True, True, True, True, False, True, True),
    "Intermediate Level": (True, True, True, True, True, True, True),
    "Negatively Skewed": (True, True, True, True, False, True, True),
    "Become a Data Scientist": (True, True, True, True, False, True, True),
    "The model overfits.": (False, False, False, False, False, False, False),
    "x = f(y)": (False, False, False, False, False, False, False),
    "Topic - Joins:": (True, True, False, False, True, False, True),
    "k-Nearest Neighbor": (False, False, False, False, False, True, False),
    "Implementation of FIM in the Loss Function": (True, True, False, False, False, True, False),
    "Faster Weight Loading;": (True, False, False, False, False, False, True),
    "the Bias Term": (True, False, False, False, False, True, True),
}


@pytest.mark.parametrize("line", TITLE_LINES)
def test_the_title_concepts(line):
    assert (is_title_case(line), is_title_line(line), is_heading_text(line, set_apart=True),
            is_heading_text(line, set_apart=False), names_a_part(line),
            heads_its_own_paragraph(line), is_short_label(line)) == TITLE_LINES[line]


@pytest.mark.parametrize("line,kind", [
    ("View answer", "skip"), ("- Back to top", "skip"), ("1,234 views", "skip"),
    ("Posted on March 3, 2024", "skip"), ("Difficulty: Medium", "skip"),
    ("Related posts", "end"), ("Share this:", "end"), ("#python #ml #interview", "end"),
    ("... in our course. Enroll now!", "end"), ("⭐ If this helped you, star the repo!", "end"),
    ("• Python Interview Questions", "end"),
    ("Related: What is dropout?", None), ("A view answers a query.", None),
    ("Next", "end"), ("NEXT:", None),  # a link to the next page; a lead-in to what follows
    ("Overfitting is when a model learns noise.", None),
])
def test_chrome_is_judged_once(line, kind):
    assert chrome_kind(line) == kind


@pytest.mark.parametrize("line,name", [
    ("Skip to content", "skip link"), ("Home | About | Blog", "navigation"), ("About", "navigation"),
    ("By Jane Doe · March 3, 2024", "byline"), ("Posted on March 3, 2024", "date"),
    ("Difficulty: Medium", "metadata"), ("1,234 views", "counter"), ("View answer", "button or badge"),
    ("## Contents", "Contents heading"), ("Related posts", "share bar, links or footer"),
    ("By the way, what is a byline?", None), ("Overfitting is when a model learns noise.", None),
])
def test_chrome_is_named_by_what_it_is(line, name):
    assert chrome_name(line) == name


@pytest.mark.parametrize("heading,chrome", [
    ("## Resources", True), ("**License:**", True), ("Table of Contents", True),
    ("Contributing :", True), ("## Resources for learning", False), ("Neural Networks", False),
])
def test_a_chrome_section_is_named_by_its_heading(heading, chrome):
    assert names_chrome_section(heading) == chrome


def test_a_closing_heading_closes_the_page():
    assert closes_page("## Conclusion") and closes_page("**Summary:**")
    assert not closes_page("Conclusion: the model overfits")


@pytest.mark.parametrize("answer,stub", [
    ("TODO", True), ("See below.", True), ("🔒 Premium", True),
    ("Read the full answer at example.com", True),
    ("This answer is available to premium members only. Subscribe to unlock.", True),
    ("See Chapter 6", True), ("_To be filled_", True), ("TBD", True), ("Coming soon!", True),
    ("To be added", True),
    ("To be filled in by the optimizer: the weights that minimize the loss on the batch.", False),
    ("A model fits noise; see the regularization section for remedies that work well.", False),
])
def test_stubs(answer, stub):
    assert is_stub(answer) == stub


@pytest.mark.parametrize("answer,links", [
    ("[Notes from the course](https://example.com/notes)", True),
    ("Here are a few of my favorites:\n* [Understanding LSTMs](https://example.com/lstm)\n"
     "* [The illustrated transformer](https://example.com/t) by someone who draws well", True),
    ("https://example.com/answer", True), ("From this link: https://example.com/coin", True),
    ("Source: https://example.com/q\n\nThis involves Bayes' rule: P(A|B) = P(B|A)P(A)/P(B).", False),
    ("[BERT](https://example.com/bert) is an encoder trained with masked language modelling.", False),
    ("- [Bagging](https://example.com/b)\nIt averages models trained on bootstrap samples.", False),
])
def test_an_answer_of_only_links_points_elsewhere(answer, links):
    assert only_links(answer) == links


def test_fragments():
    assert is_fragment("The") and is_fragment("[[Answer]](https://example.com)")
    assert not is_fragment("42") and not is_fragment("Negatively skewed")


@pytest.mark.parametrize("line,code", [
    ("def f(x):", True), ("x = np.zeros(3)", True), ("SELECT name FROM users", True),
    ("print(model.summary())", True), ("- x = 1", False),
    ("The model (a CNN) learns filters from the images it is given in training.", False),
    # a sentence that opens with an SQL keyword is prose about SQL; a statement is code
    ("WHERE is best explained with an example.", False),
    ("GROUP BY is applied after WHERE.", False), ("WHERE age > 30", True),
    ("SELECT name FROM users.", True), ("ORDER BY name DESC", True),
    ("The ReLU is max(0, x). See the plot.", False),
    # a formula that opens like a call has an "=" outside its brackets; a call only inside
    ("Q(s|a) = [R(a|s) * Q(s)] / R(a)    (the update rule)", False),
    ("fit(X, y, epochs=int(n / 2))", True), ("check(total(a) == total(b))", True),
    # R assigns with an arrow no sentence has; a comparison with a negative number is no arrow
    ("len_a <- length(list_a)", True), ("list_c[[i]] <- list_b[[k]]", True),
    ("It is the case when x < -1 only.", False),
    # a line at Python's prompt, and code commented out, however flattened; a heading is not
    (">>> df", True), (">>> d = {'a': [1]} >>> df = pd.DataFrame(d) >>> df a 0 1", True),
    ("# import pandas as pd import numpy as np data = np.array([1])", True),
    ("# Importance of features", False), ("from the paper we see that", False),
])
def test_code_lines(line, code):
    assert is_code_line(line) == code


def test_marks_and_words():
    assert is_bare_bullet(" - ") and is_bare_bullet("•") and is_bare_bullet("▪") and not is_bare_bullet("- item")
    assert may_hold_fence("text\n```python") and may_hold_fence("~~~") and not may_hold_fence("``x``")
    assert ENDS_SENTENCE.search("It ends. Then") and ENDS_SENTENCE.search("Why?")
    assert not ENDS_SENTENCE.search("Use AVG(co") and not ENDS_SENTENCE.search("x.shape")
    assert ends_open("load the weights using") and not ends_open("load the weights.")
    assert keywords("Explain the attention mechanisms") == {"attention", "mechanism"}


def test_a_heading_that_reads_as_a_call_still_names_a_section():
    """is_code_line reads "RAG (...)" as a call; a title line is judged by how code starts."""
    assert is_code_line("RAG (Retrieval-Augmented Generation)")
    assert is_title_line("RAG (Retrieval-Augmented Generation)")
    assert not is_title_line("SELECT Name FROM Users")
