"""The five sources, scored against gold records a careful reader wrote from the raw files
alone: at least 99% of the answerable questions carded, at least 97% of the answers starting
and ending where the reader puts them, and no card for a question the page does not answer.
(A question a page asks twice is one card with both answers, which the gold counts as one
miss and one late start.)"""

from __future__ import annotations

from pathlib import Path

import devscore
import pytest

from helpers import SOURCES_DIR, scrape_records

GOLD = Path(__file__).parent / "data" / "seed-gold"


@pytest.fixture(scope="module")
def scores():
    records = [r for path in sorted(SOURCES_DIR.glob("*.txt")) for r in scrape_records(path)]
    return devscore.score(records, devscore.load_gold(GOLD))


def test_every_source_has_gold():
    assert {p.name for p in SOURCES_DIR.glob("*.txt")} == {
        p.stem + ".txt" for p in GOLD.glob("*.jsonl")}


def test_the_sources_are_carded_as_a_careful_reader_reads_them(scores):
    summary, report = scores
    problems = {source: r["problems"] for source, r in report.items() if r["problems"]}
    assert summary["recall"] >= 0.99, problems
    assert summary["start_ok"] >= 0.97, problems
    assert summary["end_ok"] >= 0.97, problems
    assert summary["phantom"] == 0, problems
