"""The one record type that flows through every stage of the pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from .fields import NOTE_FIELDS

NO_ANSWER = "no answer in source"  # why a question makes no card: the page gives no answer

# A note is one database row, which Android reads through a window of 1 to 2 MB (AnkiDroid
# issues 4031, 4033): its rendered fields stay well inside that at this size each, and a field
# larger than this is no card anyone studies; a record with one is listed, not carded
MAX_FIELD_BYTES = 128 * 1024


@dataclass
class Record:
    """One question and its answer, as scraped from a source and refined by later stages.

    ``question``/``answer``/``section`` hold Markdown text; ``render`` fills the
    ``*_html`` fields. Line numbers are 1-based and refer to the source file as read
    (after newline normalization), so the build report can point at them.
    """

    id: str  # stable key: "<source slug>:<question hash>", follow-ups "<parent id>/<hash>"
    source: str  # the path as given
    kind: str  # "main" or "followup"
    question: str
    answer: str = ""
    parent: str | None = None
    section: str | None = None
    q_line: int = 0
    answer_lines: list[int] = field(default_factory=list)  # [first, last] or []
    tags: list[str] = field(default_factory=list)
    context: str = ""  # for a follow-up: its parent's question
    extra: str = ""  # what the source adds beside the answer (e.g. what an interviewer expects)
    skip: str | None = None  # why a parser judged this is not a card, for the build report
    changes: list[str] = field(default_factory=list)  # what normalize changed, for the report
    # render's card HTML of each rendered note field (fields.NoteField.html_attribute)
    question_html: str = ""
    answer_html: str = ""
    context_html: str = ""
    extra_html: str = ""
    section_html: str = ""
    # render's image files of the card: {path: its media name in the deck, or "" where the
    # file could not be one (shown as a stand-in)}
    media: dict[str, str] = field(default_factory=dict)

    @property
    def has_answer(self) -> bool:
        return bool(self.answer.strip())

    def to_json(self) -> dict:
        """The public shape of ``ankigen scrape``: rendering fields left out."""
        data = asdict(self)
        for note_field in NOTE_FIELDS:
            if note_field.rendered:
                del data[note_field.html_attribute]
        del data["media"]
        return data


# the record's attributes as it declares them: stages that report per field report in this order
ATTRIBUTE_ORDER = tuple(attribute.name for attribute in fields(Record))
