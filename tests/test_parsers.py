"""Each parser on a short excerpt of its source format: the exact questions and answers."""

from __future__ import annotations

import textwrap

import pytest

from ankigen.errors import UnknownFormatError
from ankigen.scrape import build_registry, scrape_source
from ankigen.sources import Source


def scrape_text(tmp_path, text: str, name: str = "excerpt.txt"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).removeprefix("\n"), encoding="utf-8")
    return scrape_source(Source(str(path), "excerpt", "ML Interview::Excerpt", "Excerpt", ""),
                         build_registry(load_plugins=False))


def pairs(result):
    return [(r.question, r.answer) for r in result.records]


def test_qa_transcript_keeps_unmarked_label_lines_in_the_answer(tmp_path):
    result = scrape_text(tmp_path, """
        Q: What is weight initialization, and why is it important?

        A: Weight initialization involves setting the initial values of a model's parameters.

        Q: How would you deploy this transformer-based model in a real-world application?

        A: Deployment involves several steps:

        Model Export: Save the trained model in a suitable format (e.g., TorchScript, ONNX).
        Monitoring: Implement monitoring for performance, accuracy, and resource usage.
        """)
    assert result.format == "qa-transcript"
    assert pairs(result) == [
        ("What is weight initialization, and why is it important?",
         "Weight initialization involves setting the initial values of a model's parameters."),
        ("How would you deploy this transformer-based model in a real-world application?",
         "Deployment involves several steps:\n\n"
         "Model Export: Save the trained model in a suitable format (e.g., TorchScript, ONNX).\n"
         "Monitoring: Implement monitoring for performance, accuracy, and resource usage."),
    ]
    assert [(r.q_line, r.answer_lines) for r in result.records] == [(1, [3, 3]), (5, [7, 10])]
    assert result.unplaced == []


INDEXED = """
    - Q1: What are autoencoders?
    - Q2: Why should we use Batch Normalization?
    - Q3: How to know whether your model is suffering from the problem of Exploding Gradients?
    - Q4: Can you explain the parameter sharing concept in deep learning?
    - Q5: What are the hyperparameters that can be optimized for the batch normalization layer?
    - Q6: What is the effect of dropout on the training and prediction speed?
    Q1: What are autoencoders?
    Answer:
    Autoencoders are one of the deep learning types used for unsupervised learning.
    - Image compression
    Batch normalization is a technique for training very deep neural networks that standardizes the inputs to a layer.
    - Has a slight regularisation effect.
    By taking incremental steps towards the minimal value, gradient descent minimizes the error; an exploding gradient is the result when steps grow too large.
    - The model loss goes to NaN during training.
    Answer: Parameter sharing is the method of sharing weights by all neurons in a particular feature map.
    Answer: The
    Q6: What is the effect of dropout on the training and prediction speed of your model?
    Answer: Dropout is a regularization technique, which zeroes down some weights.
    """


def test_indexed_page_puts_each_answer_under_its_question(tmp_path):
    result = scrape_text(tmp_path, INDEXED)
    assert result.format == "indexed-page"
    assert pairs(result) == [
        ("What are autoencoders?",
         "Autoencoders are one of the deep learning types used for unsupervised learning.\n"
         "- Image compression"),
        ("Why should we use Batch Normalization?",
         "Batch normalization is a technique for training very deep neural networks that "
         "standardizes the inputs to a layer.\n- Has a slight regularisation effect."),
        ("How to know whether your model is suffering from the problem of Exploding Gradients?",
         "By taking incremental steps towards the minimal value, gradient descent minimizes the "
         "error; an exploding gradient is the result when steps grow too large.\n"
         "- The model loss goes to NaN during training."),
        ("Can you explain the parameter sharing concept in deep learning?",
         "Parameter sharing is the method of sharing weights by all neurons in a particular "
         "feature map."),
        # "Answer: The" is a fragment cut off by the scrape: no answer, never the next one's
        ("What are the hyperparameters that can be optimized for the batch normalization layer?", ""),
        # the body's header wording wins over the index
        ("What is the effect of dropout on the training and prediction speed of your model?",
         "Dropout is a regularization technique, which zeroes down some weights."),
    ]
    assert result.unplaced == []


DOC_BLOCKS = """
    Skip to content

    Question

    Main question: What is the significance of the attention mechanism in Transformers?

    Explanation: The candidate should discuss the role of the attention mechanism.

    Answer

    Main Question: What is the significance of the attention mechanism in Transformers?

    The attention mechanism lets the model focus on relevant parts of the input.

    Follow-up Questions:

      • How does the attention mechanism improve translation?

    It aligns source and target words.

    Question

    Explanation: The candidate should provide examples of NLP tasks.

    Follow-up questions:

      1. What makes Transformers particularly effective for machine translation?

      2. How do Transformers process sentiment?

    Answer

    Transformers have revolutionized natural language processing tasks.

    Follow-up Questions

      • What makes Transformers particularly effective for machine translation? They process input sequences in parallel.
    """


def test_doc_blocks_main_questions_followups_and_lost_headers(tmp_path):
    result = scrape_text(tmp_path, DOC_BLOCKS)
    assert result.format == "doc-blocks"
    main, follow, lost, inline, unanswered = result.records
    assert (main.kind, main.question, main.answer) == (
        "main", "What is the significance of the attention mechanism in Transformers?",
        "The attention mechanism lets the model focus on relevant parts of the input.")
    assert main.extra == "The candidate should discuss the role of the attention mechanism."
    assert (follow.kind, follow.parent, follow.question, follow.answer) == (
        "followup", main.id, "How does the attention mechanism improve translation?",
        "It aligns source and target words.")
    assert follow.context == main.question
    # the second block lost its Main question: it is taken from the Explanation, and said so
    assert (lost.kind, lost.q_line, lost.question, lost.answer) == (
        "main", 23, "Provide examples of NLP tasks.",
        "Transformers have revolutionized natural language processing tasks.")
    assert lost.changes == ["question taken from the Explanation line: "
                            "the page lost this block's Main question"]
    # a follow-up sharing one bullet with its answer is split after the question mark
    assert (inline.parent, inline.question, inline.answer) == (
        lost.id, "What makes Transformers particularly effective for machine translation?",
        "They process input sequences in parallel.")
    assert (unanswered.question, unanswered.answer) == (
        "How do Transformers process sentiment?", "")
    dropped = {n: f.reason for n, f in result.fates.items() if f.role == "dropped"}
    assert dropped == {1: "page chrome", 11: "restates the question"}
    assert result.unplaced == []


PARAPHRASED = """
    Question

    Main question: How does the Transformer model process inputs in parallel compared to RNNs?

    Follow-up questions:

      1. What advantages does parallel input processing offer in terms of computational efficiency?

      2. Can you discuss any limitations posed by the parallel processing approach of Transformers?

    Answer

    The Transformer processes all positions at once with self-attention.

    Advantages of parallel input processing in terms of computational efficiency:

      • Reduced computational complexity: simultaneous computation across the sequence.

    Limitations posed by the parallel processing approach of Transformers:

      • Memory requirements: attention weights for all word pairs.
      • Sequential detail: fine-grained order is harder to capture.

    Overall, parallel processing brings speed at a memory cost.
    """


def test_doc_blocks_followups_answered_under_paraphrased_headings(tmp_path):
    result = scrape_text(tmp_path, PARAPHRASED)
    main, advantages, limitations = result.records
    assert main.answer == ("The Transformer processes all positions at once with self-attention."
                           "\n\nOverall, parallel processing brings speed at a memory cost.")
    assert (advantages.parent, advantages.answer_lines) == (main.id, [17, 17])
    assert advantages.answer == ("Reduced computational complexity: simultaneous computation "
                                 "across the sequence.")
    assert limitations.answer_lines == [21, 22]
    assert limitations.answer.startswith("  - Memory requirements")
    assert limitations.answer.endswith("fine-grained order is harder to capture.")
    assert result.unplaced == []


def test_numbered_lists_with_bare_dash_separators(tmp_path):
    result = scrape_text(tmp_path, """
         

        Part 6 :

        1. What are the key components of the Transformer architecture?

        - Multi-head self-attention
         - Positional encoding
        -

        2. Why is positional encoding used in Transformers?

        - Transformers do not have inherent sequential processing like RNNs.
         - Helps the model understand the order of words in a sequence.
        -
        """)
    assert result.format == "numbered-lists"
    assert pairs(result) == [
        ("What are the key components of the Transformer architecture?",
         "- Multi-head self-attention\n - Positional encoding"),
        ("Why is positional encoding used in Transformers?",
         "- Transformers do not have inherent sequential processing like RNNs.\n"
         " - Helps the model understand the order of words in a sequence."),
    ]
    assert {r.section for r in result.records} == {"Part 6"}
    assert result.records[0].answer_lines == [7, 8]
    assert result.fates[9].reason == "bare '-' separator"
    assert result.unplaced == []


def test_text_after_a_bare_dash_list_is_a_paragraph_of_its_own():
    from ankigen.scrape.repair import tidy_answer

    # the page's own excerpt (deep-learning Q23): a closing remark after the last item
    answer = tidy_answer(["The key components are as follows:", "-", "Encoder: Encodes.", "-",
                          "Decoder: Decodes.", "These components work together."])
    assert answer == ("The key components are as follows:\n- Encoder: Encodes.\n"
                      "- Decoder: Decodes.\n\nThese components work together.")
    # an item that has not ended its sentence goes on in the next line ("given by" a formula)
    answer = tidy_answer(["-", "The function of Bernoulli is given by", "\\[p^x q^{1-x}\\]",
                          "-", "Mean: p.", "a) lettered items stay in the list"])
    assert answer == ("- The function of Bernoulli is given by\n\\[p^x q^{1-x}\\]\n"
                      "- Mean: p.\na) lettered items stay in the list")


TOC = """
    Aman's AI Journal • Interview Questions
    - Deep Learning
    - What are some drawbacks of the Transformer?
    - Define correlation
    - Explain how random seed initialization works with LLMs.
    - Why This Matters
    - Machine Learning
    - References
    Deep Learning
    What are some drawbacks of the Transformer?
    - The runtime is quadratic in the length of the input sequence.
    Define correlation
    -
    Correlation is the degree to which two variables are linearly related.
    Explain how random seed initialization works with LLMs.
    - Controlling the random seed reproduces variations in text generation.
    Why This Matters
    - Seeds make outputs repeatable.
    Machine Learning
    What is Dummy Variable Trap in ML?
    - Keep all but one of the one-hot columns.
    References
    - What is convergence in k-means?
    """


def test_toc_page_sections_subheadings_and_unindexed_questions(tmp_path):
    result = scrape_text(tmp_path, TOC)
    assert result.format == "toc-page"
    assert [(r.section, r.question, r.answer) for r in result.records] == [
        # a one-item list is just the answer
        ("Deep Learning", "What are some drawbacks of the Transformer?",
         "The runtime is quadratic in the length of the input sequence."),
        ("Deep Learning", "Define correlation",
         "Correlation is the degree to which two variables are linearly related."),
        # a Title Case sub-heading stays inside the answer it belongs to
        ("Deep Learning", "Explain how random seed initialization works with LLMs.",
         "- Controlling the random seed reproduces variations in text generation.\n"
         "Why This Matters\n- Seeds make outputs repeatable."),
        # the contents list indexes nothing under this section: the body's "?" line is a question
        ("Machine Learning", "What is Dummy Variable Trap in ML?",
         "Keep all but one of the one-hot columns."),
    ]
    assert result.fates[22].reason == "page chrome (references, citation)"
    assert result.unplaced == []


def test_format_is_detected_from_content_not_file_name(tmp_path):
    result = scrape_text(tmp_path, INDEXED, name="qa-transcript.md")
    assert result.format == "indexed-page"


def test_unknown_format_names_the_formats_tried(tmp_path):
    with pytest.raises(UnknownFormatError) as info:
        scrape_text(tmp_path, "Just a paragraph of prose.\nAnd another line.\n")
    message = str(info.value)
    assert message.startswith(str(tmp_path / "excerpt.txt"))
    for name in build_registry(load_plugins=False).names():
        assert name in message


def test_empty_file_gives_no_records(tmp_path):
    result = scrape_text(tmp_path, "\n   \n")
    assert (result.format, result.records) == ("empty", [])


def test_scrape_noise_is_dropped_with_its_reason(tmp_path):
    result = scrape_text(tmp_path, """
        1. Why is scaling used in attention?

        - A monotonic relationship is a relationship that does one of the following:
        - Self-attention scales quadratically ($O(n^2)$).
         $O(n^2)O(n^2)$
        - A monotonic relationship is a relationship that does one of the following:
        - https://github.com/someone/Interview-Questions/tree/main
        - Short item.

        2. What is a follow-up?

        - Short item.
        """)
    first, second = result.records
    assert first.answer == ("- A monotonic relationship is a relationship that does one of the "
                            "following:\n- Self-attention scales quadratically ($O(n^2)$).\n"
                            "- Short item.")
    assert first.answer_lines == [3, 8]
    assert {n: result.fates[n].reason for n in (5, 6, 7)} == {
        5: "text copied twice by the scrape", 6: "repeated line", 7: "stray link"}
    assert second.answer == "Short item."  # short lines may recur: they are not dropped


def test_first_lead_in_repeated_after_the_last_item_is_dropped(tmp_path):
    # as on the Aman page: flattening repeats the first "Label:" after the answer's last item
    result = scrape_text(tmp_path, """
        Q: Explain batch and stochastic gradient descent.
        A: - Batch:
        - - Uses the whole training set.
        - Pros:
        - Stable.
        - Stochastic Gradient Descent:
        - One instance at a time.
        - Batch:
        Q: List the pros.
        A: - It is cheap to compute at each step.
        - Pros:
        """)
    first, second = result.records
    assert first.answer.splitlines() == [
        "- Batch:", "- Uses the whole training set.", "- Pros:", "- Stable.",
        "- Stochastic Gradient Descent:", "- One instance at a time."]
    assert first.answer_lines == [2, 7]
    assert result.fates[8].reason == "lead-in repeated where it leads nowhere"
    assert second.answer.endswith("- Pros:")  # said once: the source lost what it led to


def test_indexed_page_whose_index_starts_late_keeps_what_it_can_match(tmp_path):
    """An index copied from Q3 on: the body's Q1 and Q2 answers cannot be split by the
    index's words; Q3 and Q4 still become cards, and nothing is lost."""
    result = scrape_text(tmp_path, """
        - Q3: What is dropout?
        - Q4: What is batch normalization?
        - Q5: What is an epoch?
        - Q6: What is a learning rate?
        Q1: What is a neuron?
        Answer:
        A unit that sums weighted inputs.
        A second paragraph about neurons and their activations.
        Q3: What is dropout?
        Answer: Randomly zeroing activations during training.
        Q4: What is batch normalization?
        Answer: Normalizing a layer's inputs over the mini-batch.
        """)
    assert result.format == "indexed-page"
    answers = {r.question: r.answer for r in result.records}
    assert answers["What is dropout?"] == "Randomly zeroing activations during training."
    assert answers["What is batch normalization?"] == "Normalizing a layer's inputs over the mini-batch."
    assert result.unplaced == []
