"""The project's sources: manifest, byte-for-byte files, detection of each format."""

from __future__ import annotations

import re

import pytest

from ankigen.errors import ManifestError
from ankigen.scrape import MIN_DETECT_SCORE, build_registry, reader
from ankigen.sources import load_manifest, read_lines
from helpers import SOURCES_DIR

EXPECTED_FORMATS = {
    "transformer-model-qa.txt": "inferred",
    "deep-learning-q1-q44.txt": "indexed-page",
    "transformer-networks-guide.txt": "doc-blocks",
    "transformers-part-6.txt": "inferred",
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
    lines = read_lines(str(SOURCES_DIR / name))
    parser, scores = build_registry(load_plugins=False).detect(lines)
    assert parser.NAME == fmt
    if fmt == reader.NAME:  # no seed layer claims the page; the general reader reads it
        assert max(scores.values()) < MIN_DETECT_SCORE <= reader.detect(lines)
    else:
        assert scores[fmt] == max(scores.values())


def test_every_line_of_the_sources_is_accounted_for(built):
    report, _ = built
    for entry in report.sources:
        assert entry.unplaced == [], entry.path


ENTRY = '[[source]]\nfile = "a.txt"\n'


@pytest.mark.parametrize("content, message", [
    ("version = 1\n[[source]\n", "not valid TOML"),
    ("version = 99\n", "newer than this ankigen understands"),
    ("[[source]]\ndeck = 'x'\n", "source[1].file: missing; name the source file"),
    # a mistyped key was ignored: the deck silently took its slug from the file name
    (ENTRY + ENTRY.replace("a.txt", "b.txt") + 'slgu = "b"\n',
     "source[2].slgu: unknown key; did you mean 'slug'?"),
    ('parnet_deck = "X"\n' + ENTRY, "parnet_deck: unknown key; did you mean 'parent_deck'?"),
    (ENTRY + "colour = 1\n", "source[1].colour: unknown key; known keys: file, slug, deck, "
     "title, origin"),
    (ENTRY + 'slug = ["a", "b"]\n', "source[1].slug: expected a string, got ['a', 'b']"),
    (ENTRY + "slug = 5\n", "source[1].slug: expected a string, got 5"),
    (ENTRY + "title = 2026-01-01\n", "source[1].title: expected a string, got"),
    ("parent_deck = 3\n" + ENTRY, "parent_deck: expected a string, got 3"),
    ("source = 3\n", "source: expected [[source]] tables, got 3"),
    ("source = [3]\n", "source[1]: expected a [[source]] table, got 3"),
    ('[[source]]\nfile = ""\n', "source[1].file: empty; name the source file"),
    # two entries with one deck built with exit 0, and Anki merged them into one deck
    (ENTRY + 'deck = "Same"\n' + ENTRY.replace("a.txt", "b.txt") + 'deck = "same"\n',
     "source[2]: deck 'same' is source[1]'s too (Anki would merge them); each source needs "
     "its own deck"),
    (ENTRY + 'slug = "x"\n' + ENTRY.replace("a.txt", "b.txt") + 'slug = "X"\n',
     "source[2]: slug 'x' is source[1]'s too; each source needs its own slug"),
])
def test_malformed_manifest_is_refused_with_the_reason(tmp_path, content, message):
    (tmp_path / "sources.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ManifestError, match=re.escape(message)):
        load_manifest(tmp_path)
