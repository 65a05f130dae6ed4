"""Stage 1: scrape a source into records, with the format detected from its content.

Parsers live in a name+priority registry. A parser is a module (or any object) with
``NAME``, ``DESCRIPTION``, ``detect(lines) -> float`` (0 = not this format, 1 = certainly)
and ``parse(doc: SourceDoc) -> str``: it files the page's lines (``doc.add`` / ``doc.mark`` /
``doc.drop``) and returns how the page marks its questions, for ``--explain`` ("" when the
format itself says). Another package can add one through the ``ankigen.parsers`` entry-point
group. A page that no parser claims goes to the general reader (``reader``), which infers how
the page marks its questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Protocol

from ..errors import UnknownFormatError
from ..record import Record
from ..sources import Source, read_source
from .document import LineFate, SourceDoc

MIN_DETECT_SCORE = 0.3
MAX_LINE_CHARS = 100_000
ENTRY_POINT_GROUP = "ankigen.parsers"


class Parser(Protocol):
    NAME: str
    DESCRIPTION: str

    def detect(self, lines: list[str]) -> float: ...

    def parse(self, doc: SourceDoc) -> str: ...


@dataclass
class Registry:
    """Parsers by name, with a priority that breaks ties between equal detection scores."""

    _items: dict[str, tuple[Parser, int]] = field(default_factory=dict)
    fallback: Parser | None = None  # reads what no parser claims

    def register(self, parser: Parser | ModuleType, priority: int = 50) -> None:
        self._items[parser.NAME] = (parser, priority)

    def deregister(self, name: str) -> None:
        del self._items[name]

    def __getitem__(self, name: str) -> Parser:
        return self._items[name][0]

    def names(self) -> list[str]:
        return [name for name, _ in sorted(self._items.items(), key=lambda kv: -kv[1][1])]

    def detect(self, lines: list[str]) -> tuple[Parser | None, dict[str, float]]:
        scores = {name: parser.detect(lines) for name, (parser, _) in self._items.items()}
        ranked = sorted(self._items, key=lambda n: (scores[n], self._items[n][1]), reverse=True)
        best = ranked[0] if ranked else None
        if best is None or scores[best] < MIN_DETECT_SCORE:
            return self.fallback, scores
        return self._items[best][0], scores


def build_registry(load_plugins: bool = True) -> Registry:
    """The default parsers, then any from installed plugins (which may replace one by name)."""
    from . import (
        doc_blocks,
        indexed_page,
        reader,
        toc_page,
    )

    registry = Registry(fallback=reader)
    registry.register(indexed_page, 70)
    registry.register(doc_blocks, 60)
    registry.register(toc_page, 40)
    if load_plugins:
        from importlib.metadata import (
            entry_points,  # slow to import; only a scrape needs it
        )

        for ep in entry_points(group=ENTRY_POINT_GROUP):
            registry.register(ep.load())
    return registry


@dataclass
class ScrapeResult:
    source: Source
    format: str
    records: list[Record]
    fates: dict[int, LineFate]
    unplaced: list[int]
    lines: list[str]
    warnings: list[str] = field(default_factory=list)  # e.g. "decoded as cp1252"
    layout: str = ""  # what the general reader inferred, for --explain

    def line_summary(self) -> dict[str, int]:
        """How many non-blank lines went where: a role, "dropped: <reason>", or "unplaced"."""
        counts: dict[str, int] = {}
        for number, text in enumerate(self.lines, start=1):
            if not text.strip():
                continue
            fate = self.fates.get(number)
            if fate is None:
                key = "unplaced"
            elif fate.role == "dropped":
                key = f"dropped: {fate.reason}"
            else:
                key = fate.role
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def scrape_source(source: Source, registry: Registry | None = None) -> ScrapeResult:
    registry = registry or build_registry()
    text = read_source(source.path)
    lines = text.lines
    if not any(line.strip() for line in lines):
        return ScrapeResult(source, "empty", [], {}, [], lines, text.warnings)
    # a line too long to be a question or an answer (minified or glued text) is set aside
    # before any parser sees it, so no rule can backtrack over megabytes
    overlong = {n for n, line in enumerate(lines, start=1) if len(line) > MAX_LINE_CHARS}
    if overlong:
        lines = ["" if n in overlong else line for n, line in enumerate(lines, start=1)]
    parser, scores = registry.detect(lines)
    doc = SourceDoc(source.path, source.slug, lines, block_starts=text.block_starts)
    try:
        if parser is None:
            raise UnknownFormatError(source.path, "")
        inferred = parser.parse(doc)
    except UnknownFormatError as error:
        tried = ", ".join(f"{name} ({scores[name]:.2f})" for name in registry.names())
        raise UnknownFormatError(
            source.path, f"no parser recognises this format ({error.message or 'no reader'}; "
            f"tried: {tried}); see README 'Source formats'") from None
    doc.merge_repeated_questions()
    for n in overlong:
        doc.drop(n, f"line longer than {MAX_LINE_CHARS} characters")
    warnings = text.warnings + [f"line {n}: longer than {MAX_LINE_CHARS} characters; left out"
                                for n in sorted(overlong)]
    warnings += doc.unseen_lines_warnings()
    return ScrapeResult(source, parser.NAME, doc.records, doc.fates, doc.unplaced(), text.lines,
                        warnings, inferred)
