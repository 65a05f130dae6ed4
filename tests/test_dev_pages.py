"""Real pages, scored against hand-made gold records: the general reader must find their
questions and the whole of their answers, and invent none. Set 1 is twenty excerpts from
twenty sites; set 2 whole repository files in hard layouts (a notebook, reStructuredText,
numbered steps inside numbered answers), where the reader still misses some questions."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import devscore
import pytest
from helpers import scrape_records

DATA = Path(__file__).parent / "data"
# each set, and the least each of its figures may be
SETS = {
    "dev-pages": {"recall": 0.95, "precision": 0.98, "start_ok": 0.95, "end_ok": 0.95},
    "dev-pages-2": {"recall": 0.93, "precision": 0.98, "start_ok": 0.97, "end_ok": 0.97},
}


def pages(name: str) -> list[Path]:
    return sorted(p for p in (DATA / name / "pages").iterdir() if p.is_file())


@cache
def scores_of(name: str) -> tuple[dict, dict]:
    """The set's summary, and each page's counts and problems."""
    records = [record for path in pages(name) for record in scrape_records(path)]
    return devscore.score(records, devscore.load_gold(DATA / name / "gold"))


@pytest.fixture(params=sorted(SETS))
def scored(request):
    return request.param, *scores_of(request.param)


def test_every_page_is_read_and_scored(scored):
    name, _, report = scored
    assert {p.name for p in pages(name)} == set(report)


def test_recall_precision_and_answer_boundaries(scored):
    name, summary, report = scored
    problems = {source: r["problems"] for source, r in report.items() if r["problems"]}
    for figure, least in SETS[name].items():
        assert summary[figure] >= least, (figure, problems)


def test_no_phantom_answer(scored):
    _, summary, report = scored
    assert summary["phantom"] == 0, {s: r["problems"] for s, r in report.items()}


@pytest.mark.parametrize("path", pages("dev-pages"), ids=lambda p: p.stem)
def test_each_excerpt_finds_its_questions(path):
    page = scores_of("dev-pages")[1][path.name]
    assert page["counts"].get("found", 0) == page["counts"]["gold"], page["problems"]
