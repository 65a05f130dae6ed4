"""Normalize repairs scrape damage and records what it changed."""

from __future__ import annotations

from ankigen.normalize import normalize_record, normalize_text
from ankigen.record import Record


def test_mojibake_is_repaired_and_curly_punctuation_kept():
    text, changes = normalize_text("Integrate the model with the applicationâ€™s backend — “now”.")
    assert text == "Integrate the model with the application’s backend — “now”."
    assert changes == ["repaired encoding damage (mojibake)"]


def test_math_bold_letters_become_plain_with_emphasis_kept_in_answers():
    bold = "𝐓𝐫𝐚𝐧𝐬𝐟𝐞𝐫 𝐋𝐞𝐚𝐫𝐧𝐢𝐧𝐠 𝐜𝐚𝐧 𝐛𝐞 𝐮𝐬𝐞𝐝:"
    assert normalize_text(bold)[0] == "**Transfer Learning can be used**:"
    assert normalize_text("𝐇𝐨𝐰 𝐰𝐨𝐮𝐥𝐝 𝐲𝐨𝐮?", heading=True)[0] == "How would you?"


def test_invisible_bidi_and_control_characters_are_dropped():
    text, changes = normalize_text("safe\u200b te\u202ext\x1f here\x02")
    assert text == "safe text here"
    assert len(changes) == 2


def test_record_changes_name_the_field():
    record = Record(id="s:1", source="s.txt", kind="main",
                    question="𝐖𝐡𝐚𝐭 𝐢𝐬 𝐢𝐭?", answer="Itâ€™s fine.")
    fixed = normalize_record(record)
    assert (fixed.question, fixed.answer) == ("What is it?", "It’s fine.")
    assert fixed.changes == ["question: made 8 mathematical bold/italic letter(s) plain",
                             "answer: repaired encoding damage (mojibake)"]


def test_an_answer_too_long_for_a_card_is_listed_before_any_work_on_it(monkeypatch):
    from ankigen import normalize, pipeline as build
    from helpers import finish

    def no_work(text):
        raise AssertionError("an answer that gets no card was normalized")

    monkeypatch.setattr(normalize, "rejoin_split_code", no_work)
    answer = "and the weights are loaded\n" * (build.MAX_ANSWER_CHARS // 20)
    record = Record(id="s:1", source="s.txt", kind="main", question="What is loaded?", answer=answer)
    finished = finish([record]).records[0]
    assert build.skip_reason(finished) == build.TOO_LONG
    assert finished.answer == answer and not finished.answer_html
