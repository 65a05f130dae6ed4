"""Real pages from twenty sites, scored against hand-made gold records: the general reader
must find their questions and the whole of their answers, and invent none."""

from __future__ import annotations

from pathlib import Path

import devscore
import pytest
from helpers import scrape_records

DEV = Path(__file__).parent / "data" / "dev-pages"
PAGES = sorted((DEV / "pages").glob("*.txt"))


@pytest.fixture(scope="module")
def scores():
    records = [record for path in PAGES for record in scrape_records(path)]
    return devscore.score(records, devscore.load_gold(DEV / "gold"))


def test_every_page_is_read_and_scored():
    assert len(PAGES) == 20
    assert {p.name for p in PAGES} == {p.stem + ".txt" for p in (DEV / "gold").glob("*.jsonl")}


def test_recall_precision_and_answer_boundaries(scores):
    summary, report = scores
    problems = {source: r["problems"] for source, r in report.items() if r["problems"]}
    assert summary["recall"] >= 0.95, problems
    assert summary["precision"] >= 0.98, problems
    assert summary["start_ok"] >= 0.95, problems
    assert summary["end_ok"] >= 0.95, problems


def test_no_phantom_answer(scores):
    summary, report = scores
    assert summary["phantom"] == 0, {s: r["problems"] for s, r in report.items()}


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_each_page_finds_its_questions(scores, path):
    counts = scores[1][path.name]["counts"]
    assert counts.get("found", 0) == counts["gold"], scores[1][path.name]["problems"]
