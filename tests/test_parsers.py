"""Each parser on a short excerpt of its source format: the exact questions and answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from ankigen.errors import UnknownFormatError
from ankigen.scrape import build_registry
from helpers import scrape_text


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


# an indexed page (its records are checked in tests/layouts/indexed/)
INDEXED = (Path(__file__).parent / "layouts" / "indexed" /
           "indexed-page-puts-each-answer-under-its-question.txt").read_text(encoding="utf-8")


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


