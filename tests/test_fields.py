"""The field table (ankigen/fields.py) drives the note type, the notes, normalize, render and the
JSON output: nothing else names a note field."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import ankigen
from ankigen.fields import ESCAPED, LINE, NOTE_FIELDS, TITLE
from ankigen.model import BACK, FIELDS, FRONT, note_model
from ankigen.normalize import normalize_record
from ankigen.package import make_note
from ankigen.record import ATTRIBUTE_ORDER, Record
from ankigen.render import render_record

BOLD_WORD = "𝐛𝐨𝐥𝐝"  # mathematical bold letters: normalize makes every cleaned field's plain


def _record(**text: str) -> Record:
    return Record(**{"id": "deck:<1>", "source": "s.txt", "kind": "followup", **text})


def test_the_note_type_lists_the_tables_fields_in_its_order():
    assert FIELDS == tuple(f.name for f in NOTE_FIELDS)
    assert [f["name"] for f in note_model().fields] == [f.name for f in NOTE_FIELDS]


def test_the_templates_name_only_table_fields_and_show_every_rendered_one():
    placeholders = set(re.findall(r"\{\{[#/^]?([^}]+)\}\}", FRONT + BACK)) - {"FrontSide"}
    assert placeholders <= set(FIELDS)
    assert {f.name for f in NOTE_FIELDS if f.rendered or f.note == TITLE} <= placeholders


def test_a_note_holds_each_field_where_the_table_puts_it():
    record = render_record(_record(question="Q?", answer="A.", context="Parent?",
                                   section="Part $x$", extra="E."))
    note = make_note(record, "<b>Title</b>")
    assert dict(zip(FIELDS, note.fields)) == {
        "Question": "<p>Q?</p>", "Answer": "<p>A.</p>", "Context": "<p>Parent?</p>",
        "Source": "<b>Title</b>", "Section": "Part \\(x\\)", "RecordId": "deck:&lt;1&gt;",
        "Extra": "<p>E.</p>", "Spare": ""}
    for note_field, value in zip(NOTE_FIELDS, note.fields):
        if note_field.rendered:
            assert value == getattr(record, note_field.html_attribute)
        elif note_field.note == ESCAPED:
            assert value == "deck:&lt;1&gt;"


def test_normalize_cleans_exactly_the_fields_the_table_marks():
    attributes = [f.attribute for f in NOTE_FIELDS if f.attribute]
    fixed = normalize_record(_record(**{name: f"a {BOLD_WORD} word" for name in attributes}))
    changed = {change.split(":")[0] for change in fixed.changes}
    assert changed == {f.attribute for f in NOTE_FIELDS if f.clean}
    assert changed == {"question", "answer", "context", "section", "extra"}
    for note_field in NOTE_FIELDS:
        if note_field.attribute:
            kept = BOLD_WORD in getattr(fixed, note_field.attribute)
            assert kept == (not note_field.clean)


def test_render_fills_the_html_of_exactly_the_fields_the_table_marks():
    attributes = [f.attribute for f in NOTE_FIELDS if f.attribute]
    rendered = render_record(_record(**{name: "one\ntwo" for name in attributes}))
    html = {name: getattr(rendered, name) for name in ATTRIBUTE_ORDER if name.endswith("_html")}
    assert set(html) == {f.html_attribute for f in NOTE_FIELDS if f.rendered}
    for note_field in NOTE_FIELDS:
        if note_field.rendered:  # a one-line label is escaped text; Markdown keeps its breaks
            expected = "one\ntwo" if note_field.note == LINE else "<p>one<br>\ntwo</p>"
            assert html[note_field.html_attribute] == expected


def test_the_json_output_is_the_record_without_the_tables_html():
    # what render makes for the card: each field's HTML, and the image files it shows
    rendered = {f.html_attribute for f in NOTE_FIELDS if f.rendered} | {"media"}
    data = render_record(_record(question="Q?", answer="A.")).to_json()
    assert list(data) == [name for name in ATTRIBUTE_ORDER if name not in rendered]
    assert not [key for key in data if key.endswith("_html")]


# Adding a field as fields.py says: its table entry, and (text the record did not hold) its
# record attributes; nothing else is touched, yet it reaches the note type, the note, normalize,
# render and the JSON output.
SOURCE_URL_FIELD = '    NoteField("Source URL", "source_url", clean=LABEL, note=LINE),\n'
ADDED_FIELD_RUN = """
import json, ankigen
from ankigen.model import FIELDS, note_model
from ankigen.normalize import normalize_record
from ankigen.package import make_note
from ankigen.record import Record
from ankigen.render import render_record
record = Record(id="s:1", source="s.txt", kind="main", question="Q?", answer="A.",
                source_url="https://example.org/\\U0001d41a")
record = render_record(normalize_record(record))
print(json.dumps({"package": ankigen.__file__, "fields": FIELDS,
                  "model": [f["name"] for f in note_model().fields],
                  "note": dict(zip(FIELDS, make_note(record, "T").fields)),
                  "json": record.to_json(), "changes": record.changes}))
"""


def test_a_field_added_to_the_table_reaches_the_note_type_the_note_and_the_json(tmp_path):
    package = tmp_path / "ankigen"
    shutil.copytree(Path(ankigen.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    fields_py, record_py = package / "fields.py", package / "record.py"
    fields_py.write_text(fields_py.read_text().replace(
        '    NoteField("Spare"),', SOURCE_URL_FIELD + '    NoteField("Spare"),'))
    record_py.write_text(record_py.read_text()
                         .replace('    extra: str = ""',
                                  '    source_url: str = ""\n    extra: str = ""')
                         .replace('    section_html: str = ""',
                                  '    section_html: str = ""\n    source_url_html: str = ""'))
    run = subprocess.run([sys.executable, "-c", ADDED_FIELD_RUN], capture_output=True, text=True,
                         cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path)}, check=True)
    out = json.loads(run.stdout)
    assert Path(out["package"]).parent == package
    assert out["fields"] == out["model"] == list(FIELDS[:-1]) + ["Source URL", "Spare"]
    assert out["note"]["Source URL"] == "https://example.org/a"
    assert out["json"]["source_url"] == "https://example.org/a"
    assert "source_url_html" not in out["json"]
    assert out["changes"] == ["source_url: made 1 mathematical bold/italic letter(s) plain"]
