"""The general reader on short excerpts of the layouts real pages use, traps included.

Each excerpt is written the way a browser copy or a repository file gives such a page; the
expectations are what a careful reader takes from it: every question with the whole of its
answer, nothing from the page around it, and no answer for a question the page does not
answer.
"""

from __future__ import annotations

import pytest

from ankigen.errors import UnknownFormatError
from test_parsers import scrape_text


def cards(result):
    """(question, answer) of every record that has an answer."""
    return [(r.question, r.answer) for r in result.records if r.answer]


def unanswered(result):
    return [r.question for r in result.records if not r.answer]


def reasons(result):
    return {n: f.reason for n, f in result.fates.items() if f.role == "dropped"}


def test_numbered_list_and_question_sentence_inside_an_answer_stay_in_it(tmp_path):
    result = scrape_text(tmp_path, """
        1) What is gradient descent?
        An optimizer that follows the negative gradient. It works in three steps:
        1) Compute the loss.
        2) Compute its gradient.
        3) Step against the gradient.
        Why does this matter? Because most deep models are trained this way.

        2) What is a learning rate?
        The size of each step.
        """)
    assert result.format == "inferred"
    assert cards(result) == [
        ("What is gradient descent?",
         "An optimizer that follows the negative gradient. It works in three steps:\n"
         "1) Compute the loss.\n2) Compute its gradient.\n3) Step against the gradient.\n"
         "Why does this matter? Because most deep models are trained this way."),
        ("What is a learning rate?", "The size of each step."),
    ]
    assert result.unplaced == []


@pytest.mark.parametrize("marker", ["Q1.", "Q1)", "Q1:", "Q.1", "Q 1 -", "Ques 1.", "Question 1:",
                                    "Question - 1 : -", "#1", "01.", "(1)", "1️⃣"])
def test_any_numbering_style_marks_questions(tmp_path, marker):
    second = marker.replace("1", "2")
    result = scrape_text(tmp_path, f"""
        Machine learning interview questions

        {marker} What is overfitting?
        A model that fits noise in its training data and fails on new data.

        {second} What is underfitting?
        A model too simple to capture the pattern in its data.
        """)
    assert cards(result) == [
        ("What is overfitting?", "A model that fits noise in its training data and fails on new data."),
        ("What is underfitting?", "A model too simple to capture the pattern in its data."),
    ]
    assert reasons(result) == {1: "page title"}


@pytest.mark.parametrize("label", ["Answer:", "Ans:", "Ans.", "A:", "A.", "✅ Answer:",
                                   "Sample Answer:", "Answer - 7 : -", "Q7 - Answer:"])
def test_answer_labels_inline_or_on_their_own_line(tmp_path, label):
    result = scrape_text(tmp_path, f"""
        Question 7: What does dropout do?
        {label} It zeroes random activations during training.

        Question 8: Why normalize inputs?
        {label}
        Features on one scale make optimization better conditioned.
        """)
    assert cards(result) == [
        ("What does dropout do?", "It zeroes random activations during training."),
        ("Why normalize inputs?", "Features on one scale make optimization better conditioned."),
    ]
    assert result.unplaced == []


def test_bare_questions_with_imperatives_set_apart_like_the_others(tmp_path):
    result = scrape_text(tmp_path, """
        What is a p-value?

        The probability of data at least as extreme as observed, if the null hypothesis holds.

        Explain the bias-variance trade-off.

        Simple models miss patterns (bias); flexible ones chase noise (variance).

        Describe how k-fold cross-validation works.

        The data is split into k folds; each fold is the test set once.
        """)
    assert [q for q, _ in cards(result)] == [
        "What is a p-value?", "Explain the bias-variance trade-off.",
        "Describe how k-fold cross-validation works.",
    ]


def test_question_and_answer_on_one_line(tmp_path):
    result = scrape_text(tmp_path, """
        Here are some questions you might be asked:
        What is a CNN? A network of convolutions that share weights across positions.
        Why use pooling? It makes features tolerant to small shifts and cuts computation.
        What is a stride, and why change it? The step of the filter; larger strides shrink the map.
        """)
    assert cards(result) == [
        ("What is a CNN?", "A network of convolutions that share weights across positions."),
        ("Why use pooling?", "It makes features tolerant to small shifts and cuts computation."),
        ("What is a stride, and why change it?",
         "The step of the filter; larger strides shrink the map."),
    ]


def test_atx_headings_with_closing_hashes_and_sections(tmp_path):
    result = scrape_text(tmp_path, """
        # Data Science Interview Questions #

        ## Natural Language Processing ##

        ### Q1: What is TF-IDF? ###

        A weight that grows with a term's count in a document and falls with its spread.

        ### Q2: What is a stop word? ###

        A frequent word such as "the" that carries little meaning.

        ## Statistics ##

        ### Q3: What is a confidence interval? ###

        A range that covers the true parameter in a stated share of repeated samples.
        """, name="page.md")
    assert [(r.section, r.question) for r in result.records] == [
        ("Natural Language Processing", "What is TF-IDF?"),
        ("Natural Language Processing", "What is a stop word?"),
        ("Statistics", "What is a confidence interval?"),
    ]
    assert all(r.answer for r in result.records)
    assert result.unplaced == []


def test_setext_headings_and_fenced_code_with_comments(tmp_path):
    result = scrape_text(tmp_path, """
        Python Questions
        ================

        How do you reverse a list?
        --------------------------

        Slice it with a step of -1:

        ```python
        # not a heading: a comment in code
        items[::-1]
        ```

        What is a generator?
        --------------------

        A function that yields values lazily.
        """, name="page.md")
    assert [(r.question, r.answer_lines) for r in result.records] == [
        ("How do you reverse a list?", [7, 12]),
        ("What is a generator?", [17, 17]),
    ]
    assert result.records[0].answer.endswith("items[::-1]\n```")
    assert result.unplaced == []


def test_details_summary_blocks(tmp_path):
    result = scrape_text(tmp_path, """
        ## Questions

        <details><summary>What is batch normalization?</summary>

        It normalizes each layer's inputs over the mini-batch.

        </details>

        <details>
        <summary><b>What is weight decay?</b></summary>

        An L2 penalty on the weights, applied in the update.

        </details>
        """, name="page.md")
    assert cards(result) == [
        ("What is batch normalization?", "It normalizes each layer's inputs over the mini-batch."),
        ("What is weight decay?", "An L2 penalty on the weights, applied in the update."),
    ]
    assert result.unplaced == []


def test_table_rows_on_one_line_or_split_over_two(tmp_path):
    one_line = scrape_text(tmp_path, """
        | # | Question | Answer |
        |---|----------|--------|
        | 1 | What is an epoch? | One pass over the training data. |
        | 2 | What is a batch? | The examples used for one update. |
        """, name="one.md")
    assert cards(one_line) == [("What is an epoch?", "One pass over the training data."),
                               ("What is a batch?", "The examples used for one update.")]
    split = scrape_text(tmp_path, """
        | What is an epoch? |
        One pass over the training data. |
        | What is a batch? |
        The examples used for one update. |
        """, name="split.txt")
    assert cards(split) == cards(one_line)


def test_bullet_questions_with_nested_or_sibling_answers(tmp_path):
    nested = scrape_text(tmp_path, """
        - What is a residual connection?
          - It adds a block's input to its output, so gradients flow through deep stacks.
        - What is layer normalization?
          - It normalizes over the features of each example.
        """)
    assert [q for q, _ in cards(nested)] == ["What is a residual connection?",
                                             "What is layer normalization?"]
    assert "gradients flow" in cards(nested)[0][1]
    sibling = scrape_text(tmp_path, """
        * What is a residual connection?
        * It adds a block's input to its output, so gradients flow through deep stacks.
        * What is layer normalization?
        * It normalizes over the features of each example.
        """, name="sibling.txt")
    assert cards(sibling)[1] == ("What is layer normalization?",
                                 "It normalizes over the features of each example.")


def test_number_on_its_own_line_and_an_id_above_each_question(tmp_path):
    result = scrape_text(tmp_path, """
        CT10
        What is P(heads) for a fair coin?
        CT10 - Answer:
        1/2
        CT11
        Flip two coins. What is P(two heads)?
        CT11 - Answer:
        1/4
        """)
    assert cards(result) == [("What is P(heads) for a fair coin?", "1/2"),
                             ("Flip two coins. What is P(two heads)?", "1/4")]
    assert reasons(result)[1] == "page title" or result.fates[1].role == "dropped"


def test_decoration_is_stripped_from_questions(tmp_path):
    result = scrape_text(tmp_path, """
        1. What is a p-value?medium
        The chance of data this extreme under the null hypothesis.
        2. What is power? ⚡ Beginner
        The chance of rejecting a false null hypothesis.
        3. What is a type I error? ⭐⭐ #statistics #testing
        Rejecting a true null hypothesis.
        4. What is a type II error? [¶](#type-ii)
        Keeping a false null hypothesis.
        """)
    assert [q for q, _ in cards(result)] == [
        "What is a p-value?", "What is power?", "What is a type I error?",
        "What is a type II error?"]


def test_page_chrome_is_never_an_answer(tmp_path):
    result = scrape_text(tmp_path, """
        Home
        Courses
        Blog
        Top 3 Deep Learning Interview Questions
        Posted by Jane Doe on March 3

        1. What is a neuron?
        View answer
        A unit that sums weighted inputs and applies an activation.
        ⬆ Back to top

        2. What is an activation function?
        A non-linear function applied to a neuron's sum.
        Next up in this interview questions series, let us look at optimizers.

        3. What is backpropagation?
        The chain rule applied from the loss back to every weight.
        Related posts
        10 Python Interview Questions
        Share this: Twitter Facebook
        """)
    assert cards(result) == [
        ("What is a neuron?", "A unit that sums weighted inputs and applies an activation."),
        ("What is an activation function?", "A non-linear function applied to a neuron's sum."),
        ("What is backpropagation?", "The chain rule applied from the loss back to every weight."),
    ]
    assert result.unplaced == []


@pytest.mark.parametrize("stub", [
    "Read the full answer at example.com/premium",
    "This answer is available to premium members only. Subscribe to unlock.",
    "TODO", "See below.", "[Answer](https://example.com/q2)", "Answer:",
])
def test_stub_answers_give_no_card(tmp_path, stub):
    result = scrape_text(tmp_path, f"""
        Q1. What is a decision tree?
        A model that splits the data on one feature at a time.

        Q2. What is a random forest?
        {stub}

        Q3. What is boosting?
        Fitting each new model to the errors of the ones before.
        """)
    assert [q for q, _ in cards(result)] == ["What is a decision tree?", "What is boosting?"]
    assert unanswered(result) == ["What is a random forest?"]


def test_a_page_of_questions_without_answers_is_read(tmp_path):
    result = scrape_text(tmp_path, """
        # Questions to practise

        1. What is a Markov chain?
        2. What is a stationary distribution?
        3. What is detailed balance?
        """, name="page.md")
    assert cards(result) == []
    assert unanswered(result) == ["What is a Markov chain?", "What is a stationary distribution?",
                                  "What is detailed balance?"]


def test_sections_that_restart_numbering(tmp_path):
    result = scrape_text(tmp_path, """
        SQL Basics

        1. What is a primary key?
        A column whose values identify each row.

        2. What is a foreign key?
        A column that refers to another table's primary key.

        Window Functions

        1. What does RANK() do?
        It ranks rows with gaps after ties.

        2. What does LAG() do?
        It reads a value from an earlier row.
        """)
    assert [(r.section, r.question) for r in result.records] == [
        ("SQL Basics", "What is a primary key?"),
        ("SQL Basics", "What is a foreign key?"),
        ("Window Functions", "What does RANK() do?"),
        ("Window Functions", "What does LAG() do?"),
    ]
    assert all(r.answer for r in result.records)


def test_a_table_of_contents_is_not_a_list_of_unanswered_questions(tmp_path):
    result = scrape_text(tmp_path, """
        Contents
        1. What is bagging?
        2. What is stacking?

        1. What is bagging?
        Training models on bootstrap samples and averaging them.

        2. What is stacking?
        Training a model on the predictions of other models.
        """)
    assert [(r.question, r.q_line) for r in result.records] == [
        ("What is bagging?", 5), ("What is stacking?", 8)]
    assert {reasons(result)[n] for n in (2, 3)} == {"table of contents entry"}


def test_follow_up_questions_belong_to_their_question(tmp_path):
    result = scrape_text(tmp_path, """
        What is a confidence interval?
        Answer
        A range of plausible values for a parameter.
        Follow-upHow does sample size change its width?

        What is a p-value?
        Answer
        The chance of data this extreme under the null hypothesis.
        Follow-up: Is it the probability that the null is true?
        """)
    mains = [r for r in result.records if r.kind == "main"]
    followups = [r for r in result.records if r.kind == "followup"]
    assert [r.answer for r in mains] == ["A range of plausible values for a parameter.",
                                         "The chance of data this extreme under the null hypothesis."]
    assert [(r.question, r.parent, r.answer) for r in followups] == [
        ("How does sample size change its width?", mains[0].id, ""),
        ("Is it the probability that the null is true?", mains[1].id, ""),
    ]


def test_the_last_answer_cut_by_the_copy_is_no_answer(tmp_path):
    result = scrape_text(tmp_path, """
        What is an embedding?
        A dense vector that places similar items near each other.
        What is a token?
        A unit of text that the model reads, often a pie
        """)
    assert cards(result) == [("What is an embedding?",
                              "A dense vector that places similar items near each other.")]
    assert unanswered(result) == ["What is a token?"]
    assert reasons(result)[4] == "cut off by the copy before a full sentence"


def test_prose_without_two_questions_says_what_was_looked_for(tmp_path):
    with pytest.raises(UnknownFormatError) as info:
        scrape_text(tmp_path, "An essay about models.\nIt asks nothing.\n")
    assert "no pattern marks two questions" in str(info.value)
    assert "numbered lines" in str(info.value)


def test_answer_hidden_in_a_details_block_under_a_numbered_question(tmp_path):
    result = scrape_text(tmp_path, """
        1. What is attention?
        <details><summary>Answer</summary>

        A weighted sum of values, weighted by how well their keys match the query.

        </details>

        2. What is self-attention?
        <details><summary>Show answer</summary>

        Attention where queries, keys and values come from the same sequence.

        </details>
        """, name="page.md")
    assert cards(result) == [
        ("What is attention?",
         "A weighted sum of values, weighted by how well their keys match the query."),
        ("What is self-attention?",
         "Attention where queries, keys and values come from the same sequence."),
    ]
    assert result.unplaced == []


def test_sub_questions_without_answers_are_not_an_answer(tmp_path):
    result = scrape_text(tmp_path, """
        1. Explain the bias-variance trade-off.
           - How does model complexity affect it?
           - How does the amount of data affect it?
        2. What is regularization?
           - It penalizes complexity to reduce variance.
        """)
    assert cards(result) == [("What is regularization?",
                              "It penalizes complexity to reduce variance.")]
    assert "Explain the bias-variance trade-off." in unanswered(result)
    assert result.unplaced == []


def test_sub_questions_become_follow_ups_of_their_question(tmp_path):
    result = scrape_text(tmp_path, """
        Q1. Explain the bias-variance trade-off.

        How does model complexity affect it?

        Q2. What is regularization?

        It penalizes complexity to reduce variance.
        """)
    followups = [r for r in result.records if r.kind == "followup"]
    assert [(r.question, r.answer, r.parent) for r in followups] == [
        ("How does model complexity affect it?", "", result.records[0].id)]
    assert cards(result) == [("What is regularization?",
                              "It penalizes complexity to reduce variance.")]


def test_a_page_that_changes_numbering_style_halfway(tmp_path):
    result = scrape_text(tmp_path, """
        Q1. What is a tensor?
        A multi-dimensional array.
        Q2. What is a scalar?
        A single number.
        3. What is a vector?
        A one-dimensional array.
        4. What is a matrix?
        A two-dimensional array.
        """)
    assert [q for q, _ in cards(result)] == ["What is a tensor?", "What is a scalar?",
                                             "What is a vector?", "What is a matrix?"]


def test_a_question_whose_number_the_copy_lost(tmp_path):
    result = scrape_text(tmp_path, """
        1. What is recall?

        The share of real positives the model finds.

        What is precision?

        The share of predicted positives that are real.

        3. What is F1?

        The harmonic mean of precision and recall.
        """)
    assert [q for q, _ in cards(result)] == ["What is recall?", "What is precision?",
                                             "What is F1?"]


def test_a_question_number_on_its_own_line(tmp_path):
    result = scrape_text(tmp_path, """
        Question 1
        What is a kernel?
        A function that measures similarity in a feature space.
        Question 2
        What is the kernel trick?
        Computing inner products in that space without mapping into it.
        """)
    assert cards(result) == [
        ("What is a kernel?", "A function that measures similarity in a feature space."),
        ("What is the kernel trick?", "Computing inner products in that space without mapping into it."),
    ]
    assert {reasons(result)[n] for n in (1, 4)} == {"question number"}


def test_an_answer_on_the_numbered_question_line(tmp_path):
    result = scrape_text(tmp_path, """
        Q1. What is a hyperparameter? A setting chosen before training, such as the learning rate.
        Q2. What does the learning rate control? The size of each gradient descent step.
        Q3. Multiply a column by a row. What shape is the result? Write code for it.
        col * row gives shape (3, 4).
        """)
    assert cards(result) == [
        ("What is a hyperparameter?", "A setting chosen before training, such as the learning rate."),
        ("What does the learning rate control?", "The size of each gradient descent step."),
        ("Multiply a column by a row. What shape is the result? Write code for it.",
         "col * row gives shape (3, 4)."),
    ]


def test_section_lines_between_answers_without_blank_lines(tmp_path):
    result = scrape_text(tmp_path, """
        Basic Level
        What is a list?
        A mutable sequence of items.
        What is a tuple?
        An immutable sequence of items.
        Intermediate Level
        What is a generator?
        A function that yields values lazily, one at a time.
        What is a decorator?
        Intermediate Level
        What is a closure?
        A function that keeps the variables of the scope it was defined in.
        """)
    assert [(r.section, r.question, r.answer) for r in result.records] == [
        ("Basic Level", "What is a list?", "A mutable sequence of items."),
        ("Basic Level", "What is a tuple?", "An immutable sequence of items."),
        ("Intermediate Level", "What is a generator?",
         "A function that yields values lazily, one at a time."),
        ("Intermediate Level", "What is a decorator?", ""),  # never a heading as its answer
        ("Intermediate Level", "What is a closure?",
         "A function that keeps the variables of the scope it was defined in."),
    ]


def test_repository_chrome_at_the_question_level_and_back_to_top_links(tmp_path):
    result = scrape_text(tmp_path, """
        # ML Questions

        ## Table of Contents

        - [What is overfitting?](#1-what-is-overfitting)
        - [What is a validation set?](#2-what-is-a-validation-set)

        ## 1. What is overfitting?

        When a model fits noise in its training data and fails to generalize.

        <div align="right"><a href="#top">⬆ Back to top</a></div>

        ## 2. What is a validation set?

        Data held out to tune a model and choose between models.

        **[⬆ Back to top](#table-of-contents)**

        ---

        ⭐ If this helped you, star the repo! Pull requests are welcome.

        ## Contributing

        Contributions are welcome.

        ## License

        MIT
        """, name="README.md")
    assert cards(result) == [
        ("What is overfitting?",
         "When a model fits noise in its training data and fails to generalize."),
        ("What is a validation set?", "Data held out to tune a model and choose between models."),
    ]
    assert result.unplaced == []


def test_page_chrome_is_left_out_of_labelled_answers(tmp_path):
    result = scrape_text(tmp_path, """
        Tensors 101
        Q. What is a tensor?
        A. A multi-dimensional array.
        Advertisement
        Q. What is a scalar?
        A. A single number.
        Related posts
        10 Python Interview Questions
        """)
    assert cards(result) == [("What is a tensor?", "A multi-dimensional array."),
                             ("What is a scalar?", "A single number.")]


def test_a_known_layout_that_leaves_much_of_the_page_unread_yields(tmp_path):
    result = scrape_text(tmp_path, """
        Welcome to our blog
        We collected the questions our readers were asked.
        Every answer was checked by two reviewers.
        Share it with a friend who is preparing too.
        1. What is a tensor?
        - A multi-dimensional array.
        2. What is a scalar?
        - A single number.
        """)
    assert result.format == "inferred"
    assert cards(result) == [("What is a tensor?", "A multi-dimensional array."),
                             ("What is a scalar?", "A single number.")]
    assert result.unplaced == []


def test_a_numbered_list_inside_one_answer_is_not_a_numbered_lists_page(tmp_path):
    result = scrape_text(tmp_path, """
        **Q1. What is an index?**

        A structure that speeds up lookups. Trade-offs:
        1. Faster reads.
        - Slower writes.
        2. Extra disk space.
        - Maintenance.

        **Q2. What is a view?**

        A stored query that behaves like a table.

        **Q3. What is a CTE?**

        A named result set defined with WITH for one query.

        **Q4. What is normalization?**

        Organizing tables to reduce redundancy.
        """, name="sql.md")
    assert result.format == "inferred"
    assert [q for q, _ in cards(result)] == ["What is an index?", "What is a view?",
                                             "What is a CTE?", "What is normalization?"]
    assert cards(result)[0][1].endswith("- Maintenance.")


def test_multiple_choice_options_are_never_the_answer(tmp_path):
    result = scrape_text(tmp_path, """
        1. Which clause filters groups after aggregation?
        a) WHERE
        b) HAVING
        c) GROUP BY
        d) ORDER BY
        Answer: b
        Explanation: HAVING runs after GROUP BY, so it can use aggregates.

        2. Which keyword defines a generator?
        A. return
        B. yield
        C. async

        3. What does COUNT(*) count?
        Rows, including those with NULLs.
        """)
    assert cards(result) == [
        ("Which clause filters groups after aggregation?",
         "b) HAVING\nExplanation: HAVING runs after GROUP BY, so it can use aggregates."),
        ("What does COUNT(*) count?", "Rows, including those with NULLs."),
    ]
    assert unanswered(result) == ["Which keyword defines a generator?"]
    assert reasons(result)[10] == "an option of a multiple-choice question"


def test_hints_are_not_answers(tmp_path):
    result = scrape_text(tmp_path, """
        ### What is the KV cache?

        <details>
        <summary>💡 Hint</summary>

        Think about what gets recomputed at each decoding step.

        </details>

        ### What is perplexity?

        Hint: think about the average log-likelihood.

        Sample answer: the exponential of the average negative log-likelihood per token.

        ### What is beam search?

        Hint: keep more than one candidate.
        """, name="page.md")
    assert cards(result) == [("What is perplexity?",
                              "the exponential of the average negative log-likelihood per token.")]
    assert unanswered(result) == ["What is the KV cache?", "What is beam search?"]


def test_a_number_on_its_own_line_is_an_answer_where_the_page_does_not_number_that_way(tmp_path):
    result = scrape_text(tmp_path, """
        What is 6*7?

        42

        What is 2+2?

        Four, obviously.
        """)
    assert cards(result) == [("What is 6*7?", "42"), ("What is 2+2?", "Four, obviously.")]


def test_the_question_s_own_code_is_not_its_answer(tmp_path):
    result = scrape_text(tmp_path, """
        1. What does the following query return?
        SELECT department, AVG(salary)
        FROM employees
        GROUP BY department;
        2. What does this code print?
        print(len([1, 2, 3]))
        It prints 3, the length of the list.
        """)
    assert unanswered(result) == ["What does the following query return?"]
    assert cards(result)[0][1].endswith("It prints 3, the length of the list.")


def test_running_headers_and_wrapped_questions_of_a_printed_document(tmp_path):
    result = scrape_text(tmp_path, """
        Q1.1 What is the difference between classification and
        regression?
        Classification predicts a discrete label,
        while regression predicts a continuous quantity.
        Machine Learning Interview Handbook  v2.1
        Q1.2 What is a loss function?
        A function that measures how far predictions are from the targets.
        Machine Learning Interview Handbook  v2.1
        Q1.3 What is regularization?
        A penalty on model complexity that reduces overfitting.
        Machine Learning Interview Handbook  v2.1
        """)
    assert cards(result) == [
        ("What is the difference between classification and regression?",
         "Classification predicts a discrete label,\n"
         "while regression predicts a continuous quantity."),
        ("What is a loss function?",
         "A function that measures how far predictions are from the targets."),
        ("What is regularization?", "A penalty on model complexity that reduces overfitting."),
    ]
    assert reasons(result)[5] == "a running header or footer"


def test_flashcard_export_of_terms_and_definitions(tmp_path):
    result = scrape_text(tmp_path, "Overfitting\tFitting noise in the training data.\n"
                                   "Underfitting\tMissing the pattern in the data.\n"
                                   "Confusion matrix\t\n"
                                   "Recall\tThe share of real positives that are found.\n")
    assert cards(result) == [("Overfitting", "Fitting noise in the training data."),
                             ("Underfitting", "Missing the pattern in the data."),
                             ("Recall", "The share of real positives that are found.")]
    assert unanswered(result) == ["Confusion matrix"]


def test_checklists_quiz_counters_and_forum_furniture(tmp_path):
    result = scrape_text(tmp_path, """
        Question 1 of 3
        What is a p-value?
        The chance of data this extreme under the null hypothesis.
        2 Answers
        Helpful (12)
        Nov 2, 2023
        Question 2 of 3
        What is statistical power?
        The chance of rejecting a false null hypothesis.
        Question 3 of 3
        - [ ] What is a confidence interval?
        """)
    assert cards(result) == [
        ("What is a p-value?", "The chance of data this extreme under the null hypothesis."),
        ("What is statistical power?", "The chance of rejecting a false null hypothesis."),
    ]
    assert unanswered(result) == ["What is a confidence interval?"]


def test_block_quoted_and_bold_labels(tmp_path):
    quoted = scrape_text(tmp_path, """
        > **Q:** What is a CTE?
        > **A:** A named result set defined with WITH,
        > visible only to the query that follows it.

        > **Q:** What is a self join? Give a use case.
        > **A:** A table joined to itself, for example employees to their managers.
        """, name="quoted.md")
    assert cards(quoted) == [
        ("What is a CTE?", "A named result set defined with WITH,\n"
                           "visible only to the query that follows it."),
        ("What is a self join? Give a use case.",
         "A table joined to itself, for example employees to their managers."),
    ]
    bold = scrape_text(tmp_path, """
        **Question:** What is a view?

        **Answer:** A stored query that behaves like a table.

        ---

        **Question:** Derive the gradient of the squared loss.

        **Answer:** It is 2(y_hat - y) times the input.
        """, name="bold.md")
    assert cards(bold) == [("What is a view?", "A stored query that behaves like a table."),
                           ("Derive the gradient of the squared loss.",
                            "It is 2(y_hat - y) times the input.")]


def test_html_table_rows_and_answers_after_a_separator(tmp_path):
    html = scrape_text(tmp_path, """
        <table>
        <tr><th>Question</th><th>Answer</th></tr>
        <tr><td>What is an epoch?</td><td>One pass over the training data.</td></tr>
        <tr><td>What is a batch?</td><td>The examples used for one update.</td></tr>
        </table>
        """, name="table.md")
    assert cards(html) == [("What is an epoch?", "One pass over the training data."),
                           ("What is a batch?", "The examples used for one update.")]
    dashed = scrape_text(tmp_path, """
        1. What is bias? - Error from wrong assumptions in the model.
        2. What is overfitting? — When a model learns noise instead of the pattern.
        3. Define precision: the share of predicted positives that are real.
        """, name="dashed.txt")
    assert cards(dashed) == [
        ("What is bias?", "Error from wrong assumptions in the model."),
        ("What is overfitting?", "When a model learns noise instead of the pattern."),
        ("Define precision", "the share of predicted positives that are real."),
    ]


def test_two_digit_keycaps_and_definition_lists(tmp_path):
    lines = "\n".join(f"{n}\ufe0f\u20e3 What is item {n}?\n- Item {n} is a thing." if n < 10 else
                      f"{n // 10}\ufe0f\u20e3{n % 10}\ufe0f\u20e3 What is item {n}?\n"
                      f"- Item {n} is a thing." for n in range(8, 13))
    keycaps = scrape_text(tmp_path, lines + "\n", name="keycaps.txt")
    assert [q for q, _ in cards(keycaps)] == [f"What is item {n}?" for n in range(8, 13)]
    definitions = scrape_text(tmp_path, """
        What is a random variable?
        : A function that maps outcomes to numbers.

        What is an expectation?
        : The probability-weighted average of a random variable.
        """, name="definitions.md")
    assert cards(definitions) == [
        ("What is a random variable?", "A function that maps outcomes to numbers."),
        ("What is an expectation?", "The probability-weighted average of a random variable."),
    ]


def test_a_closing_faq_block_in_its_own_style(tmp_path):
    result = scrape_text(tmp_path, """
        Question 1: What is machine learning?
        Programs that learn patterns from data instead of rules written by hand.
        Question 2: What is supervised learning?
        Learning from examples labelled with the right answer.
        Become a Data Scientist
        Enroll now and get 20% off!
        Frequently Asked Questions
        Is coding required for ML interviews?
        Yes: most interviews include a coding round in Python or SQL.
        How long does it take to learn ML?
        Six to twelve months of regular study for the fundamentals.
        """)
    assert [q for q, _ in cards(result)] == [
        "What is machine learning?", "What is supervised learning?",
        "Is coding required for ML interviews?", "How long does it take to learn ML?"]
    assert cards(result)[1][1] == "Learning from examples labelled with the right answer."


def test_menus_and_questions_inside_answers_of_an_unmarked_page(tmp_path):
    result = scrape_text(tmp_path, """
        Write
        Sign in

        What is early stopping?

        Stopping training when the validation loss stops improving. Why does this work? Because
        the model starts to memorize noise after that point.

        What is dropout?

        Randomly zeroing activations during training. So why does it help? It keeps units from
        relying on each other.

        What is weight decay?

        An L2 penalty on the weights, applied in every update.

        Explain batch normalization.

        Normalizing each layer's inputs over the mini-batch, then scaling and shifting them.
        """)
    assert [q for q, _ in cards(result)] == [
        "What is early stopping?", "What is dropout?", "What is weight decay?",
        "Explain batch normalization."]


def test_an_answer_cut_by_a_sign_up_wall_is_no_answer(tmp_path):
    result = scrape_text(tmp_path, """
        RAG interview questions
        Q: What is retrieval-augmented generation?
        A: Retrieving documents at query time and putting them in the prompt.
        Q: How do you evaluate a RAG system?
        A: There are several layers to this, and the first is the quality of what is
        retrieved, which you measure with recall against
        Create an account to read the full story.
        Sign up with Google
        """, name="medium.txt")
    assert cards(result) == [("What is retrieval-augmented generation?",
                              "Retrieving documents at query time and putting them in the prompt.")]
    assert reasons(result)[6] == "cut off by the page (the rest is behind a wall)"


def test_question_metadata_hints_after_labels_and_code_before_them(tmp_path):
    result = scrape_text(tmp_path, """
        Question 1 of 3
        What does this code print?
        Difficulty: Easy
        print(type([]) is list)
        Answer: True, because [] is a list.
        Mark as done

        Question 2 of 3
        How do you count missing values per column?
        A: (hint: combine two methods)

        Question 3 of 3
        How do you drop duplicate rows?
        Answer: df.drop_duplicates()
        """)
    assert cards(result) == [
        ("What does this code print?", "True, because [] is a list."),
        ("How do you drop duplicate rows?", "df.drop_duplicates()"),
    ]
    assert unanswered(result) == ["How do you count missing values per column?"]


def test_question_number_headings_details_blocks_and_bold_follow_ups(tmp_path):
    result = scrape_text(tmp_path, """
        ## Probability

        #### Question 1
        What is the expected number of rolls to see a six?

        Six: the number of trials of a geometric distribution with p = 1/6.

        #### Question 2
        What is the chance of two heads in two flips?

        One in four.

        ## Embeddings

        <details><summary>What is an embedding?</summary>

        A dense vector that places similar items near each other.

        </details>

        <details><summary>What is a two-tower model?</summary>

        Two encoders, one for queries and one for items, scored by a dot product.

        - **Follow-up: How is it trained?**

        </details>
        """, name="page.md")
    assert [(r.section, r.question, r.kind) for r in result.records] == [
        ("Probability", "What is the expected number of rolls to see a six?", "main"),
        ("Probability", "What is the chance of two heads in two flips?", "main"),
        ("Embeddings", "What is an embedding?", "main"),
        ("Embeddings", "What is a two-tower model?", "main"),
        ("Embeddings", "How is it trained?", "followup"),
    ]
    assert [r.answer for r in result.records][:4] == [
        "Six: the number of trials of a geometric distribution with p = 1/6.",
        "One in four.",
        "A dense vector that places similar items near each other.",
        "Two encoders, one for queries and one for items, scored by a dot product.",
    ]


def test_locked_answers_hint_headings_and_output_questions(tmp_path):
    result = scrape_text(tmp_path, """
        Q1. How do you count missing values per column?
        Hint
        Combine two methods that each return something per column.

        Q2. Why does chained assignment sometimes not modify the frame?
        🔒 Available with Premium

        Q3. What will be the output?
        x = [1, 2, 3]
        print(len(x))

        Q4. How do you drop duplicate rows?
        Call df.drop_duplicates(), with subset= to compare only some columns.
        """)
    assert cards(result) == [("How do you drop duplicate rows?",
                              "Call df.drop_duplicates(), with subset= to compare only some columns.")]
    assert len(unanswered(result)) == 3


def test_a_bare_hint_line_ends_at_the_answer_label_after_a_blank_line(tmp_path):
    result = scrape_text(tmp_path, """
        Q1. What is overfitting?
        Hint

        Answer: A model that fits noise in its training data and fails on new data.

        Q2. What is regularization?
        Hint

        Answer:
        A penalty on model complexity that trades a little bias for less variance.
        It is added to the loss.

        Q3. What is early stopping?
        Hint
        Watch the validation loss.

        Answer: Stopping training when the validation loss stops improving.
        """)
    assert cards(result) == [
        ("What is overfitting?", "A model that fits noise in its training data and fails on new data."),
        ("What is regularization?", "A penalty on model complexity that trades a little bias for "
                                    "less variance.\nIt is added to the loss."),
        ("What is early stopping?", "Stopping training when the validation loss stops improving."),
    ]
    assert reasons(result) == {2: "a hint or code", 7: "a hint or code", 14: "a hint or code",
                               15: "a hint or code"}


def test_unmarked_questions_indented_by_a_space_or_two_are_questions(tmp_path):
    result = scrape_text(tmp_path, """
        What is overfitting?
        A model that fits noise in its training data and fails on new data.

         What is underfitting?
        A model too simple to capture the pattern in its data.

        What is regularization?
        A penalty on model complexity that trades a little bias for less variance.

          What is early stopping?
        Stopping training when the validation loss stops improving.
        It needs a held-out set.
        """)
    assert [(r.question, r.answer, r.q_line, r.answer_lines) for r in result.records] == [
        ("What is overfitting?",
         "A model that fits noise in its training data and fails on new data.", 1, [2, 2]),
        ("What is underfitting?", "A model too simple to capture the pattern in its data.", 4, [5, 5]),
        ("What is regularization?",
         "A penalty on model complexity that trades a little bias for less variance.", 7, [8, 8]),
        ("What is early stopping?",
         "Stopping training when the validation loss stops improving.\nIt needs a held-out set.",
         10, [11, 12]),
    ]
    assert result.unplaced == []
