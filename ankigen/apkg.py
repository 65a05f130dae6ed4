"""Reading a built .apkg back: its notes, note types and decks, straight from its SQLite."""

from __future__ import annotations

import html
import json
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import NO_SUCH_FILE, AnkigenError

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
# A deck's collection is a few MB; a zip bomb posing as an .apkg unpacks to gigabytes.
MAX_COLLECTION_BYTES = 256 * 2**20
_CHUNK = 2**20


class PackageError(AnkigenError):
    """A file that is not a readable .apkg."""


@dataclass
class PackageNote:
    guid: str
    model: str
    fields: dict[str, str]
    tags: list[str]
    mod: int

    @property
    def question(self) -> str:
        return plain_text(self.fields.get("Question", next(iter(self.fields.values()), "")))


@dataclass
class Package:
    path: str
    notes: list[PackageNote]
    models: list[str]
    decks: list[str]  # the Anki decks its cards are in

    def by_guid(self) -> dict[str, PackageNote]:
        return {note.guid: note for note in self.notes}


def plain_text(fragment: str) -> str:
    """What a field says, without its markup."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", fragment))).strip()


def read_package(path: str | Path) -> Package:
    if not Path(path).exists():  # said as every command says it of a missing input
        raise PackageError(f"{path}: {NO_SUCH_FILE}")
    if Path(path).is_dir():
        raise PackageError(f"{path}: is a directory; pass an .apkg file")
    try:
        with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as workdir:
            name = next((n for n in ("collection.anki21", "collection.anki2")
                         if n in archive.namelist()), None)
            if name is None:
                raise PackageError(f"{path}: no Anki collection inside; is it an .apkg?")
            database = Path(workdir) / "collection"
            _unpack(path, archive, archive.getinfo(name), database)
            return _read_collection(str(path), database)
    except (OSError, zipfile.BadZipFile, sqlite3.DatabaseError) as exc:
        raise PackageError(f"{path}: cannot read this package ({exc})") from None


def _unpack(path, archive: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path) -> None:
    """Stream the collection to disk, in bounded memory, refusing it past the cap: by its
    declared size first, then by the bytes it really unpacks to, as a header can lie."""
    too_large = PackageError(f"{path}: its collection would unpack to more than "
                             f"{MAX_COLLECTION_BYTES // 2**20} MB (a deck's is a few MB): refused")
    if entry.file_size > MAX_COLLECTION_BYTES:
        raise too_large
    written = 0
    with archive.open(entry) as source, target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > MAX_COLLECTION_BYTES:
                raise too_large
            out.write(chunk)


def _read_collection(path: str, database: Path) -> Package:
    connection = sqlite3.connect(database)
    try:
        models_json, decks_json = connection.execute("SELECT models, decks FROM col").fetchone()
        models = json.loads(models_json)
        deck_names = {int(did): deck["name"] for did, deck in json.loads(decks_json).items()}
        decks = {deck_names.get(did, "?") for (did,) in connection.execute(
            "SELECT DISTINCT did FROM cards")}
        field_names = {int(mid): [f["name"] for f in m["flds"]] for mid, m in models.items()}
        model_names = {int(mid): m["name"] for mid, m in models.items()}
        notes = []
        for guid, mid, mod, tags, flds in connection.execute(
                "SELECT guid, mid, mod, tags, flds FROM notes ORDER BY id"):
            values = flds.split("\x1f")
            names = field_names.get(mid, [f"Field {i + 1}" for i in range(len(values))])
            notes.append(PackageNote(guid, model_names.get(mid, "?"), dict(zip(names, values)),
                                     tags.split(), mod))
        return Package(path, notes, sorted(set(model_names.values())), sorted(decks))
    finally:
        connection.close()
