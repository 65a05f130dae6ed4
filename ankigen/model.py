"""The one Anki note type every deck uses, defined here and nowhere else.

Anki matches note types by id and compares field and template names in order: changing the
id, or adding, renaming, reordering or removing a field or template, forks the note type in
users' collections ("ankigen Q&A+") and stops updates. So the id, name, fields (declared in
``fields.NOTE_FIELDS``) and template names below are frozen; it has every field it may ever
need from the start (the last one is spare). The template HTML and the CSS may change freely:
Anki updates those in place.
"""

from __future__ import annotations

import genanki

from .code_style import pygments_css
from .fields import NOTE_FIELDS
from .files import content_hash

MODEL_ID = 1858193743
MODEL_NAME = "ankigen Q&A"
FIELDS = tuple(field.name for field in NOTE_FIELDS)
TEMPLATE_NAME = "Card 1"

FRONT = """\
{{#Context}}<div class="context"><span class="label">Follow-up to</span>{{Context}}</div>{{/Context}}
<div class="question">{{Question}}</div>
"""

BACK = """\
{{FrontSide}}
<hr id="answer">
<div class="answer">{{Answer}}</div>
{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}
<div class="meta">{{Source}}{{#Section}} &middot; {{Section}}{{/Section}}</div>
"""

CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 18px; line-height: 1.5; text-align: left;
  color: #1d1d1f; background: #fff;
  max-width: 42em; margin: 0 auto; padding: 0 0.5em;
  overflow-wrap: break-word;
}
.context { font-size: 0.85em; color: #555; border-left: 3px solid #aac; padding-left: 0.6em;
  margin-bottom: 0.8em; }
.context .label { display: block; font-size: 0.8em; text-transform: uppercase;
  letter-spacing: 0.05em; color: #778; }
.context p, .question p { margin: 0; }
.question { font-weight: 600; }
.extra { font-size: 0.85em; color: #555; margin-top: 1em; }
.meta { font-size: 0.7em; color: #888; margin-top: 1.5em; }
pre { overflow-x: auto; max-width: 100%; padding: 0.6em; border-radius: 4px;
  color: #1d1d1f; background: #f6f8fa; font-size: 0.8em; line-height: 1.4; }
.tex-literal { font: inherit; }
/* MathJax 3 does not break lines: a formula wider than a phone scrolls instead */
mjx-container[display="true"] { overflow-x: auto; overflow-y: hidden; max-width: 100%; }
mjx-container:not([display="true"]) { display: inline-block; max-width: 100%;
  overflow-x: auto; overflow-y: hidden; vertical-align: middle; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
table { border-collapse: collapse; display: block; max-width: 100%; overflow-x: auto;
  font-size: 0.9em; }
/* a table wider than the screen scrolls; a shadow on the side with more to see says so (the
   covers scroll with the content and hide the shadows at the ends) */
table { background:
  linear-gradient(to right, #fff 30%, rgba(255, 255, 255, 0)) left / 2em 100% no-repeat local,
  linear-gradient(to left, #fff 30%, rgba(255, 255, 255, 0)) right / 2em 100% no-repeat local,
  linear-gradient(to right, rgba(0, 0, 0, 0.25), transparent) left / 0.9em 100% no-repeat scroll,
  linear-gradient(to left, rgba(0, 0, 0, 0.25), transparent) right / 0.9em 100% no-repeat scroll; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; vertical-align: top; }
img { max-width: 100%; }
.nightMode.card, .night_mode .card, .card.night_mode { color: #e6e6e6; background: #1e1e1e; }
.nightMode .context, .night_mode .context, .nightMode .extra, .night_mode .extra { color: #bbb; }
/* night mode: the light code theme, inverted (hue kept), so every token stays readable */
.nightMode pre, .night_mode pre { filter: invert(0.88) hue-rotate(180deg); }
.nightMode th, .nightMode td, .night_mode th, .night_mode td { border-color: #555; }
.nightMode table, .night_mode table { background:
  linear-gradient(to right, #1e1e1e 30%, rgba(30, 30, 30, 0)) left / 2em 100% no-repeat local,
  linear-gradient(to left, #1e1e1e 30%, rgba(30, 30, 30, 0)) right / 2em 100% no-repeat local,
  linear-gradient(to right, rgba(255, 255, 255, 0.3), transparent) left / 0.9em 100% no-repeat scroll,
  linear-gradient(to left, rgba(255, 255, 255, 0.3), transparent) right / 0.9em 100% no-repeat scroll; }
"""


def note_model() -> genanki.Model:
    return genanki.Model(
        MODEL_ID, MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": TEMPLATE_NAME, "qfmt": FRONT, "afmt": BACK}],
        css=CSS + "\n" + pygments_css(),
        sort_field_index=0,
    )


def model_hash() -> str:
    """What Anki updates in place when it changes: the templates' HTML and the CSS."""
    model = note_model()
    return content_hash(model.templates, model.css)
