"""Every built deck, imported into a real Anki collection, looks right to a user."""

from __future__ import annotations

import time
from pathlib import Path

from ankigen.build import build
from ankigen.model import FIELDS, MODEL_NAME
from ankigen.scrape import scrape_source
from helpers import import_package


def _notes(col):
    return [col.get_note(nid) for nid in col.find_notes("")]


def test_every_deck_imports_with_one_note_per_answered_record(built, sources, collection):
    report, out = built
    assert not report.failed
    expected = 0
    for source in sources:
        answered = [r for r in scrape_source(source).records if r.answer.strip() and not r.skip]
        entry = next(e for e in report.sources if e.path == source.path)
        log = import_package(collection, Path(entry.output))
        assert len(log.new) == len(answered) == entry.cards
        assert not log.conflicting and not log.duplicate
        expected += len(answered)
    assert collection.note_count() == expected


def test_decks_note_type_fields_and_tags(built, sources, collection):
    report, _ = built
    for entry in report.sources:
        import_package(collection, Path(entry.output))
    deck_names = {d.name for d in collection.decks.all_names_and_ids()}
    assert {s.deck for s in sources} <= deck_names
    ours = [m for m in collection.models.all_names_and_ids() if m.name.startswith(MODEL_NAME)]
    assert [m.name for m in ours] == [MODEL_NAME]  # exactly one, no "ankigen Q&A+" fork
    model = collection.models.get(ours[0].id)
    assert [f["name"] for f in model["flds"]] == list(FIELDS)
    guids = set()
    for note in _notes(collection):
        assert note.mid == ours[0].id
        assert note["Question"].strip() and note["Answer"].strip()
        assert any(t.startswith("source::") for t in note.tags)
        guids.add(note.guid)
    assert len(guids) == collection.note_count()


def _imported_card(built, collection, source_name: str, question_words: str):
    """Import one built deck and return the card whose Question field contains the words."""
    report, _ = built
    entry = next(e for e in report.sources if source_name in e.path)
    import_package(collection, Path(entry.output))
    return collection.get_card(collection.find_cards(f'"Question:*{question_words}*"')[0])


def test_cards_show_question_and_answer(built, collection):
    card = _imported_card(built, collection, "transformer-model-qa", "positional encoding")
    assert "What is the purpose of positional encoding in transformer models?" in card.question()
    assert "do not inherently capture the order of tokens" in card.answer()


def test_followup_card_shows_parent_question_as_context(built, collection):
    card = _imported_card(built, collection, "transformer-networks-guide",
                          "role of positional encodings in Transformers")
    assert "Follow-up to" in card.question()
    assert "What are the core components of a Transformer Network?" in card.question()
    assert "followup" in card.note().tags


def test_rebuild_updates_in_place_without_duplicates(tmp_path, sources, collection):
    source = next(s for s in sources if "transformers-part-6" in s.path)
    first = build([source], tmp_path / "v1", timestamp=time.time() - 3600)
    log = import_package(collection, Path(first.sources[0].output))
    count = collection.note_count()
    assert len(log.new) == count > 0
    second = build([source], tmp_path / "v2", timestamp=time.time())
    log = import_package(collection, Path(second.sources[0].output))
    assert not log.new and not log.conflicting
    assert len(log.updated) == count
    assert collection.note_count() == count
