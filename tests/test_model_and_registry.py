"""The note type is frozen; the parser registry can be extended by plugins."""

from __future__ import annotations

import importlib.metadata
from importlib.metadata import EntryPoint

from ankigen import scrape
from ankigen.model import FIELDS, MODEL_ID, MODEL_NAME, TEMPLATE_NAME, note_model
from ankigen.identity import Lock, NoteKey, assign


def test_note_type_identity_never_changes():
    # Changing any of these forks the note type in every user's collection: see model.py.
    assert (MODEL_ID, MODEL_NAME, TEMPLATE_NAME) == (1858193743, "ankigen Q&A", "Card 1")
    assert FIELDS == ("Question", "Answer", "Context", "Source", "Section", "RecordId",
                      "Extra", "Spare")
    model = note_model()
    assert [f["name"] for f in model.fields] == list(FIELDS)
    assert [t["name"] for t in model.templates] == [TEMPLATE_NAME]


def test_guid_comes_from_the_record_id_not_the_content():
    def identities(record_id, question, digest):
        note = NoteKey(record_id, question, "", digest)
        return assign(Lock(), {"deck": [note]}, 100, set())["deck"].identities

    first = identities("deck:abc", "What is X?", "hash1")
    edited = identities("deck:abc", "What is X?", "hash2")
    other = identities("deck:abd", "What is Y?", "hash1")
    assert first["deck:abc"].guid == edited["deck:abc"].guid != other["deck:abd"].guid


class LinesOfQuestions:
    """A toy plugin parser: every line ending in '?' is a question, the next line its answer."""

    NAME = "toy"
    DESCRIPTION = "question lines"

    @staticmethod
    def detect(lines):
        return 1.0 if lines and lines[0].startswith("#toy") else 0.0

    @staticmethod
    def parse(doc):
        for n, line in enumerate(doc.lines, start=1):
            if line.endswith("?") and n < len(doc.lines):
                doc.add(line, n, [(n + 1, doc.line(n + 1))])


def test_plugin_parser_joins_through_the_entry_point_group(monkeypatch, tmp_path):
    ep = EntryPoint("toy", f"{__name__}:LinesOfQuestions", scrape.ENTRY_POINT_GROUP)
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda group: [ep] if group == scrape.ENTRY_POINT_GROUP else [])
    registry = scrape.build_registry()
    assert "toy" in registry.names()
    path = tmp_path / "notes.txt"
    path.write_text("#toy\nWhat is a tensor?\nAn n-dimensional array.\n", encoding="utf-8")
    from ankigen.sources import resolve_sources

    result = scrape.scrape_source(resolve_sources([str(path)])[0], registry)
    assert result.format == "toy"
    assert [(r.question, r.answer) for r in result.records] == [
        ("What is a tensor?", "An n-dimensional array.")]
