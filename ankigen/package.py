"""Stage 5: write one .apkg per source with genanki, atomically.

Each note's GUID derives from its record's stable id, never from its content (genanki's
default hashes all fields, so every edit would import as a duplicate). The file is written
beside the target under a temporary name, checked, and moved into place, so an interrupted
build leaves the previous deck intact.
"""

from __future__ import annotations

import hashlib
import html
import os
import tempfile
import zipfile
from pathlib import Path

import genanki

from .errors import OutputError
from .model import FIELDS, note_model
from .record import Record
from .sources import Source

GUID_NAMESPACE = "ankigen"


def note_guid(record_id: str) -> str:
    return genanki.guid_for(GUID_NAMESPACE, record_id)


def deck_id(deck_name: str) -> int:
    """Stable per deck name (Anki matches decks by name; a fixed id keeps builds reproducible)."""
    return int(hashlib.sha256(deck_name.encode()).hexdigest()[:12], 16) >> 1


def note_fields(record: Record, source: Source) -> list[str]:
    values = {
        "Question": record.question_html,
        "Answer": record.answer_html,
        "Context": record.context_html,
        "Source": html.escape(source.title),
        "Section": html.escape(record.section or ""),
        "RecordId": html.escape(record.id),
        "Extra": record.extra_html,
        "Spare": "",
    }
    return [values[name] for name in FIELDS]


def make_deck(records: list[Record], source: Source) -> genanki.Deck:
    description = f"<b>{html.escape(source.title)}</b>"
    if source.origin:
        description += f"<br>Source: {html.escape(source.origin)}"
    deck = genanki.Deck(deck_id(source.deck), source.deck, description=description)
    model = note_model()
    for record in records:
        deck.add_note(genanki.Note(model=model, fields=note_fields(record, source),
                                   guid=note_guid(record.id), tags=record.tags))
    return deck


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(target: Path, write) -> None:
    """Call ``write(tmp_path)`` and move the result onto ``target`` only if it completed."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"{target.parent}: cannot write there ({exc.strerror}); "
                          "choose another output folder with -o") from None
    try:
        write(Path(tmp))
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; decks are for sharing
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc.strerror}); "
                          "check the output folder's permissions and free space") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_package(records: list[Record], source: Source, target: Path,
                  timestamp: float | None = None) -> None:
    deck = make_deck(records, source)

    def write(tmp: Path) -> None:
        genanki.Package(deck).write_to_file(str(tmp), timestamp=timestamp)
        with zipfile.ZipFile(tmp) as archive:
            if archive.testzip() is not None:
                raise OSError(0, "the written package is corrupt")

    write_atomic(target, write)
