"""Stage 2: repair what scraping did to the text, and say what was changed.

- encoding damage (mojibake such as "â€™") is repaired by ftfy, which only changes what it
  is confident about; curly quotes and dashes stay the punctuation they are;
- Unicode "mathematical bold/italic" letters become plain letters, keeping the emphasis as
  Markdown (a question is a heading already, so there the emphasis is dropped);
- zero-width and bidi control characters are dropped (they reorder or hide text), as are
  C0 controls: "\\x1f" is genanki's field separator and "\\x02"/"\\x03" could forge the
  placeholders the renderer uses;
- text is NFC, as Anki stores it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from .record import Record

_FTFY_OPTIONS = dict(uncurl_quotes=False, fix_character_width=False, normalization="NFC",
                     explain=False)
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_MATH_RANGE = (0x1D400, 0x1D7FF)
_MATH = "\U0001d400-\U0001d7ff"
_MATH_RUN = re.compile(f"[{_MATH}]+(?:[ \\-'’,:;.!?()/]+[{_MATH}]+)*")
_PLAIN = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(*_MATH_RANGE)
          if unicodedata.category(chr(cp)).startswith(("L", "N"))}

TEXT_FIELDS = ("question", "answer", "section", "context", "extra")


def _emphasis(run: str) -> str:
    name = unicodedata.name(run[0], "")
    if "BOLD" in name and "ITALIC" in name:
        return "***"
    if "BOLD" in name:
        return "**"
    return "*" if "ITALIC" in name else ""


def plain_math_letters(text: str, keep_emphasis: bool = True) -> tuple[str, int]:
    """Mathematical alphanumerics as plain letters; returns the text and how many changed."""
    count = 0

    def fix(match: re.Match) -> str:
        nonlocal count
        run = match.group(0)
        count += sum(1 for ch in run if ord(ch) in _PLAIN)
        plain = run.translate(_PLAIN)
        mark = _emphasis(run) if keep_emphasis else ""
        return f"{mark}{plain}{mark}"

    return _MATH_RUN.sub(fix, text), count


def normalize_text(text: str, heading: bool = False) -> tuple[str, list[str]]:
    """The repaired text and a list of what was changed (empty when nothing was)."""
    changes = []
    if text.isascii() and not _CONTROL.search(text):
        return text, changes  # nothing for any step below to change: the common case, fast
    stripped = _CONTROL.sub("", text)  # tab and newline are outside the class
    if stripped != text:
        changes.append(f"removed {len(text) - len(stripped)} control character(s)")
    visible = _INVISIBLE.sub("", stripped)
    if visible != stripped:
        changes.append(f"removed {len(stripped) - len(visible)} invisible/bidi character(s)")
    import ftfy  # only text that is not plain ASCII needs it: most builds never load it

    fixed = ftfy.fix_text(visible, config=ftfy.TextFixerConfig(**_FTFY_OPTIONS))
    if fixed != unicodedata.normalize("NFC", visible):
        changes.append("repaired encoding damage (mojibake)")
    plain, count = plain_math_letters(fixed, keep_emphasis=not heading)
    if count:
        changes.append(f"made {count} mathematical bold/italic letter(s) plain")
    return plain, changes


def normalize_record(record: Record) -> Record:
    updates: dict[str, str] = {}
    changes = list(record.changes)
    for name in TEXT_FIELDS:
        value = getattr(record, name)
        if not value:
            continue
        fixed, field_changes = normalize_text(value, heading=name in ("question", "context", "section"))
        if fixed != value:
            updates[name] = fixed
        changes.extend(f"{name}: {change}" for change in field_changes)
    return replace(record, **updates, changes=changes)


def normalize(records: list[Record]) -> list[Record]:
    return [normalize_record(r) for r in records]
