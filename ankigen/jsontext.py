"""JSON files that people read and diff: the outer levels indented, each deeper value on one
line (one note per line in the lock, one skipped record per line in the report). Written by
json's C encoder, which ``indent=`` would bypass: large builds write these files in a tenth
of the time."""

from __future__ import annotations

import json


def dumps(value: object, depth: int, indent: str = "  ", level: int = 0) -> str:
    if level >= depth or not isinstance(value, (dict, list)) or not value:
        return json.dumps(value, ensure_ascii=False)
    pad = "\n" + indent * (level + 1)
    if isinstance(value, dict):
        items = [f"{json.dumps(key, ensure_ascii=False)}: {dumps(item, depth, indent, level + 1)}"
                 for key, item in value.items()]
        opening, closing = "{", "}"
    else:
        items = [dumps(item, depth, indent, level + 1) for item in value]
        opening, closing = "[", "]"
    return opening + pad + ("," + pad).join(items) + "\n" + indent * level + closing
