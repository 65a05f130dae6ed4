"""Stage 5: write one .apkg per source, reproducibly and atomically.

genanki builds the collection; this module then gives each note its own mtime (genanki stamps
all notes alike) and writes the zip itself with fixed entry dates, so the same notes and
mtimes always give the same bytes. The file is written beside the target under a temporary
name and moved into place only once complete: an interrupted build leaves the previous deck
intact (genanki's own ``write_to_file`` writes straight to the target and leaks its temporary
db).
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import genanki

from .fields import ESCAPED, NOTE_FIELDS, TITLE, NoteField, without_controls
from .files import write_atomic
from .media import Image, image_bytes
from .model import note_model
from .note_identity import Identity
from .record import Record
from .sources import Source, is_web_address

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the zip format's epoch: no wall-clock time in the file
# fast deflate: most of the size saving (decks 5× smaller than stored) at a third of the
# default level's time
ZIP_LEVEL = 1
ID_BASE = 1_500_000_000_000  # note and card ids; Anki renumbers them on import anyway


@dataclass
class Note:
    record: Record
    fields: list[str]
    tags: list[str]


def deck_id(deck_name: str) -> int:
    """Stable per deck name (Anki matches decks by name; a fixed id keeps builds reproducible)."""
    return int(hashlib.sha256(deck_name.encode()).hexdigest()[:12], 16) >> 1


def make_note(record: Record, title_html: str) -> Note:
    """The note of a rendered record; ``title_html`` is its source's title, rendered as a
    field (render.render_field)."""
    return Note(record, [anki_text(_value(note_field, record, title_html))
                         for note_field in NOTE_FIELDS], list(record.tags))


def _value(note_field: NoteField, record: Record, title_html: str) -> str:
    """What the note holds in the field, as the field table says."""
    if note_field.rendered:
        return getattr(record, note_field.html_attribute)
    if note_field.note == ESCAPED:
        return html.escape(getattr(record, note_field.attribute))
    return title_html if note_field.note == TITLE else ""


def anki_text(value: str) -> str:
    """A note field or deck description as Anki may hold it: "\\x1f" separates a note's
    fields in its database (one in a manifest's title split the note, and Anki refused it),
    and Anki drops the other controls on import, so the preview would show what the deck
    does not. Every field and description goes through here."""
    return without_controls(value)


def deck_description(source: Source, version: str = "", notes_url: str = "") -> str:
    """What the deck is, the page it came from, and which release it is."""
    description = f"<b>{html.escape(source.title)}</b>"
    if is_web_address(source.origin):  # any other origin is a maintainer's note, not for learners
        origin = html.escape(source.origin)
        description += f'<br>Source: <a href="{origin}">{origin}</a>'
    if version:
        built = f"{version[:4]}-{version[5:7]}-{version[8:10]}"
        description += f"<br>Release {html.escape(version)}, built {built}"
        if notes_url:
            url = html.escape(notes_url.replace("{version}", version))
            description += f' &middot; <a href="{url}">release notes</a>'
    return anki_text(description)


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry with fixed date and mode, so the same content gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    # ZipFile.open takes the level from the entry, not the archive (public as compress_level
    # only from Python 3.13; this name works from 3.7 on)
    info._compresslevel = ZIP_LEVEL
    info.external_attr = 0o644 << 16
    return info


def write_package(notes: list[Note], source: Source, target: Path,
                  identities: dict[str, Identity], model_mod: int, description: str) -> None:
    model = note_model()
    deck = genanki.Deck(deck_id(source.deck), source.deck, description=description)
    for note in notes:
        deck.add_note(genanki.Note(model=model, fields=note.fields, tags=note.tags,
                                   guid=identities[note.record.id].guid))

    # the cards' images, by media name: Anki reads entry "0", "1" ... as the names the
    # "media" entry maps them to
    media = dict(sorted({name: path for note in notes
                         for path, name in note.record.media.items() if name}.items()))

    def write(tmp: Path) -> None:
        with tempfile.TemporaryDirectory(dir=tmp.parent, prefix=".ankigen-") as workdir:
            database = Path(workdir) / "collection.anki2"
            _write_collection(database, deck, notes, identities, model_mod)
            with zipfile.ZipFile(tmp, "w") as archive:
                with database.open("rb") as source, archive.open(_entry("collection.anki2"), "w") as out:
                    shutil.copyfileobj(source, out)  # streamed: the database is never all in memory
                for number, (name, path) in enumerate(media.items()):
                    archive.writestr(_entry(str(number)), image_bytes(Image(name, path)))
                archive.writestr(_entry("media"), json.dumps(
                    {str(number): name for number, name in enumerate(media)}).encode())

    write_atomic(target, write)


def _write_collection(database: Path, deck: genanki.Deck, notes: list[Note],
                      identities: dict[str, Identity], model_mod: int) -> None:
    connection = sqlite3.connect(database)
    try:
        cursor = connection.cursor()
        genanki.Package(deck).write_to_db(cursor, model_mod, itertools.count(ID_BASE))
        # genanki stamps every note alike: give each its own mtime (an index for the lookup,
        # dropped again so the package holds Anki's schema only)
        cursor.execute("CREATE INDEX ankigen_guid ON notes (guid)")
        cursor.executemany("UPDATE notes SET mod = ? WHERE guid = ?",
                           [(identities[n.record.id].mod, identities[n.record.id].guid) for n in notes])
        cursor.execute("DROP INDEX ankigen_guid")
        cursor.execute("UPDATE cards SET mod = (SELECT mod FROM notes WHERE notes.id = cards.nid)")
        (models,) = cursor.execute("SELECT models FROM col").fetchone()
        models = json.loads(models)
        for model in models.values():
            model["mod"] = model_mod
        cursor.execute("UPDATE col SET models = ?", (json.dumps(models, sort_keys=True),))
        connection.commit()
    finally:
        connection.close()
