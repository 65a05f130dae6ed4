"""The reader on every layout excerpt in tests/layouts/: each excerpt gives what its expected file says.

An excerpt is written the way a browser copy or a repository file gives such a page; its expected file
(format in tests/layouts/README.md) holds what a careful reader takes from it: every question with the
whole of its answer, nothing from the page around it, and no answer for a question the page does not
answer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ankigen.errors import UnknownFormatError
from ankigen.scrape import build_registry, scrape_source
from ankigen.sources import Source

LAYOUTS = Path(__file__).parent / "layouts"
EXPECTED = ".expected.json"
EXCERPTS = sorted(p for p in LAYOUTS.rglob("*") if p.suffix in (".txt", ".md", ".ipynb", ".html") and p.parent != LAYOUTS)


def scrape_excerpt(path: Path):
    return scrape_source(Source(str(path), "excerpt", "ML Interview::Excerpt", "Excerpt", ""),
                         build_registry(load_plugins=False))


def check_record(record, want: dict, records) -> None:
    """One record against an entry of the expected file: its listed fields, and the partial ones."""
    for key, value in want.items():
        if key == "parent_question":
            parents = [r for r in records if r.question == value]
            assert len(parents) == 1, f"no single record asks {value!r}"
            assert record.parent == parents[0].id, f"{record.question!r}: parent"
        elif key == "answer_starts":
            assert record.answer.startswith(value), f"{record.question!r}: {record.answer!r}"
        elif key == "answer_ends":
            assert record.answer.endswith(value), f"{record.question!r}: {record.answer!r}"
        elif key == "answer_contains":
            assert value in record.answer, f"{record.question!r}: {record.answer!r}"
        else:
            assert getattr(record, key) == value, f"{record.question!r}: {key}"


def check_records(found, want: list, records) -> None:
    assert len(found) == len(want), [r.question for r in found]
    for record, entry in zip(found, want):
        check_record(record, entry, records)


def check_result(result, expected: dict) -> None:
    records = result.records
    cards = [r for r in records if r.answer]
    unanswered = [r.question for r in records if not r.answer]
    for key, want in expected.items():
        if key == "about":
            continue
        elif key == "format":
            assert result.format == want
        elif key == "cards":
            assert [[r.question, r.answer] for r in cards] == want
        elif key == "card_questions":
            assert [r.question for r in cards] == want
        elif key == "card_at":
            for index, entry in want.items():
                check_record(cards[int(index)], entry, records)
        elif key == "unanswered":
            assert unanswered == want
        elif key == "unanswered_include":
            assert set(want) <= set(unanswered), unanswered
        elif key == "unanswered_count":
            assert len(unanswered) == want, unanswered
        elif key == "all_answered":
            assert all(r.answer for r in records) is want
        elif key == "record_at":
            for index, entry in want.items():
                check_record(records[int(index)], entry, records)
        elif key == "records":
            check_records(records, want, records)
        elif key == "records_of_kind":
            for kind, entries in want.items():
                check_records([r for r in records if r.kind == kind], entries, records)
        elif key == "answers_of":
            answers = {r.question: r.answer for r in records}
            assert {question: answers[question] for question in want} == want
        elif key == "sections":
            assert {r.section for r in records} == set(want)
        elif key == "dropped":
            dropped = {n: f.reason for n, f in result.fates.items() if f.role == "dropped"}
            assert dropped == {int(n): reason for n, reason in want.items()}
        elif key == "fates":
            for n, attributes in want.items():
                fate = result.fates[int(n)]
                assert {a: getattr(fate, a) for a in attributes} == attributes, f"line {n}"
        elif key == "unplaced":
            assert result.unplaced == want
        else:
            pytest.fail(f"unknown key {key!r} in the expected file (see tests/layouts/README.md)")


@pytest.mark.parametrize("excerpt", EXCERPTS, ids=lambda p: p.relative_to(LAYOUTS).as_posix())
def test_layout(excerpt: Path):
    expected_file = excerpt.with_name(excerpt.stem + EXPECTED)
    assert expected_file.exists(), f"{excerpt} has no {expected_file.name}"
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    if "error" in expected:
        assert set(expected) <= {"about", "error"}, "an excerpt that gives an error gives nothing else"
        with pytest.raises(UnknownFormatError) as info:
            scrape_excerpt(excerpt)
        for part in expected["error"]:
            assert part in str(info.value)
        return
    check_result(scrape_excerpt(excerpt), expected)


def test_every_expected_file_has_its_excerpt():
    stems = {p.with_suffix("") for p in EXCERPTS}
    orphans = [p for p in LAYOUTS.rglob("*" + EXPECTED) if p.parent / p.name.removesuffix(EXPECTED) not in stems]
    assert orphans == []
