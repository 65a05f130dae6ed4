"""The note's fields, declared once: the table the note type (``model``), note making
(``package.make_note``), normalize's and render's loops and ``Record.to_json`` all read, as
genanki's ``builtin_models`` declares a note type in one place. It imports no stage.

To add a note field:
1. add a ``NoteField`` to ``NOTE_FIELDS`` below, where Anki should list it;
2. show it in ``model.FRONT`` or ``model.BACK`` (``{{Name}}``), if the card shows it;
3. only if it shows text the record does not hold yet: the ``Record`` attribute for that
   Markdown and, if rendered, its ``<attribute>_html`` beside the others (``record.py``),
   filled by the scrape.
No stage names a field otherwise (readers of a built deck, ``apkg.PackageNote.question`` and
``check.content_defects``, look "Question" and "Answer" up by name). Anki forks the note type
in users' collections when its field list changes (``model.py``), so a new field is a new note
type for everyone who has the decks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# what normalize does to a field's text (None: nothing)
LABEL = "label"  # repaired, and its emphasis dropped: the card shows it as a heading already
PROSE = "prose"  # repaired, its emphasis kept as Markdown
ANSWER = "answer"  # as prose, and the lines a browser copy broke put back; the build may skip
# it (normalize_record's ``answer``)

# what the note holds of it (None: an empty field)
MARKDOWN = "markdown"  # the attribute's Markdown, code and math rendered to card HTML
LINE = "line"  # the attribute as a one-line label, its math typeset
ESCAPED = "escaped"  # the attribute as text, only escaped: no rendering (an id)
TITLE = "title"  # the source's title as a one-line label, rendered once per deck by whoever
# calls make_note


@dataclass(frozen=True)
class NoteField:
    name: str  # Anki's: frozen once released (model.py)
    attribute: str | None = None  # the Record attribute it is made from
    clean: str | None = None  # LABEL, PROSE, ANSWER or None
    note: str | None = None  # MARKDOWN, LINE, ESCAPED, TITLE or None

    @property
    def rendered(self) -> bool:
        """Whether render_record renders it into the record's ``html_attribute``."""
        return self.note in (MARKDOWN, LINE)

    @property
    def html_attribute(self) -> str:
        """The Record attribute render fills with its card HTML (never in the JSON output)."""
        return f"{self.attribute}_html"


NOTE_FIELDS = (
    NoteField("Question", "question", clean=LABEL, note=MARKDOWN),
    NoteField("Answer", "answer", clean=ANSWER, note=MARKDOWN),
    NoteField("Context", "context", clean=LABEL, note=MARKDOWN),  # a follow-up's parent question
    NoteField("Source", note=TITLE),
    NoteField("Section", "section", clean=LABEL, note=LINE),
    NoteField("RecordId", "id", note=ESCAPED),  # a slug and hex digits
    NoteField("Extra", "extra", clean=PROSE, note=MARKDOWN),
    NoteField("Spare"),  # kept empty, so the note type had room from the start
)

# C0 controls (and DEL) but tab and newline: "\x1f" separates a note's fields in Anki's
# database, Anki drops the others on import, and "\x02"/"\x03" would forge render's placeholders
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def without_controls(text: str) -> str:
    """The text as a note field may hold it: without C0 controls (and DEL) but tab and newline."""
    return CONTROLS.sub("", text)
