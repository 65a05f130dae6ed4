"""The project's sources: manifest, byte-for-byte files, detection of each format."""

from __future__ import annotations

import pytest

from ankigen.errors import ManifestError
from ankigen.scrape import build_registry
from ankigen.sources import load_manifest, read_lines
from conftest import SOURCES_DIR

EXPECTED_FORMATS = {
    "transformer-model-qa.txt": "qa-transcript",
    "deep-learning-q1-q44.txt": "indexed-page",
    "transformer-networks-guide.txt": "doc-blocks",
    "transformers-part-6.txt": "numbered-lists",
    "aman-ai-interview-questions.txt": "toc-page",
}


def test_manifest_names_every_source_file_under_one_parent_deck():
    entries = load_manifest(SOURCES_DIR)
    assert set(entries) == {p.name for p in SOURCES_DIR.glob("*.txt")}
    for source in entries.values():
        assert source.deck.startswith("ML Interview::")
        assert source.title and source.origin


@pytest.mark.parametrize("name, fmt", sorted(EXPECTED_FORMATS.items()))
def test_each_source_is_detected_as_its_format(name, fmt):
    parser, scores = build_registry(load_plugins=False).detect(read_lines(str(SOURCES_DIR / name)))
    assert parser.NAME == fmt
    assert scores[fmt] == max(scores.values())


def test_every_line_of_the_sources_is_accounted_for(built):
    report, _ = built
    for entry in report.sources:
        assert entry.unplaced == [], entry.path


@pytest.mark.parametrize("content, message", [
    ("version = 1\n[[source]\n", "not valid TOML"),
    ("version = 99\n", "newer than this ankigen understands"),
    ("[[source]]\ndeck = 'x'\n", "needs a 'file' string"),
])
def test_malformed_manifest_is_refused_with_the_reason(tmp_path, content, message):
    (tmp_path / "sources.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ManifestError, match=message):
        load_manifest(tmp_path)
