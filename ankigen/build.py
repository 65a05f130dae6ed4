"""The pipeline end to end: sources in, one .apkg per source and a build report out.

1. ``scrape``    every source (a source that cannot be read is reported, the rest go on);
2. ``normalize`` the records' text;
3. ``tag``       them;
4. keep the records that have a question and an answer; every other one is listed in the
   report with its reason;
5. ``render``    the kept ones to HTML and ``package`` them, one deck per source;
6. write ``report.json`` (also when some source failed).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import __version__
from .errors import AnkigenError, SourceError
from .normalize import normalize
from .package import write_atomic, write_package
from .record import Record
from .render import render
from .scrape import Registry, ScrapeResult, build_registry, scrape_source
from .sources import Source
from .tag import tag

REPORT_NAME = "report.json"
NO_ANSWER = "no answer in source"
NO_QUESTION = "empty question"


@dataclass
class SourceReport:
    path: str
    deck: str
    format: str = ""
    records: int = 0
    cards: int = 0
    output: str | None = None
    error: str | None = None
    lines: dict[str, int] = field(default_factory=dict)  # non-blank lines by what became of them
    skipped: list[dict] = field(default_factory=list)  # records that did not become cards
    unplaced: list[dict] = field(default_factory=list)  # lines no parser rule claimed
    changes: list[dict] = field(default_factory=list)  # what normalize changed, per record


@dataclass
class BuildReport:
    version: str = __version__
    sources: list[SourceReport] = field(default_factory=list)

    @property
    def failed(self) -> list[SourceReport]:
        return [s for s in self.sources if s.error]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"


def skip_reason(record: Record) -> str | None:
    if record.skip:
        return record.skip
    if not record.question.strip():
        return NO_QUESTION
    if not record.has_answer:
        return NO_ANSWER
    return None


def process(result: ScrapeResult) -> tuple[list[Record], list[Record]]:
    """Normalize and tag scraped records; return (cards, records that are not cards)."""
    records = tag(normalize(result.records), result.source)
    cards = [r for r in records if skip_reason(r) is None]
    skipped = [r for r in records if skip_reason(r) is not None]
    return cards, skipped


def scrape_all(sources: list[Source], registry: Registry | None = None):
    """Yield (source, ScrapeResult or SourceError) for every source."""
    registry = registry or build_registry()
    for source in sources:
        try:
            yield source, scrape_source(source, registry)
        except SourceError as exc:
            yield source, exc


def deck_filename(source: Source) -> str:
    return f"{source.slug}.apkg"


def build(sources: list[Source], out_dir: Path, timestamp: float | None = None,
          registry: Registry | None = None) -> BuildReport:
    report = BuildReport()
    for source, result in scrape_all(sources, registry):
        entry = SourceReport(path=source.path, deck=source.deck)
        report.sources.append(entry)
        if isinstance(result, AnkigenError):
            entry.error = str(result)
            continue
        entry.format = result.format
        entry.records = len(result.records)
        entry.lines = result.line_summary()
        entry.unplaced = [{"line": n, "text": shorten(result.lines[n - 1])} for n in result.unplaced]
        cards, skipped = process(result)
        entry.skipped = [{"id": r.id, "line": r.q_line, "question": r.question,
                          "reason": skip_reason(r)} for r in skipped]
        entry.changes = [{"id": r.id, "line": r.q_line, "changes": r.changes}
                         for r in cards + skipped if r.changes]
        target = out_dir / deck_filename(source)
        try:
            write_package(render(cards), source, target, timestamp=timestamp)
        except AnkigenError as exc:
            entry.error = str(exc)
            continue
        entry.cards = len(cards)
        entry.output = str(target)
    write_atomic(out_dir / REPORT_NAME, lambda tmp: tmp.write_text(report.to_json(), encoding="utf-8"))
    return report


def shorten(text: str, width: int = 120) -> str:
    return text if len(text) <= width else text[:width] + "…"
