"""Each parser on a short excerpt of its source format: the exact questions and answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from ankigen.errors import UnknownFormatError
from ankigen.scrape import build_registry
from helpers import scrape_text


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


