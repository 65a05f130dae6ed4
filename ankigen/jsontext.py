"""JSON files that people read and diff: the outer levels indented, each deeper value on one
line (one note per line in the lock, one skipped record per line in the report). The lines are
written by json's C encoder, which ``indent=`` would bypass."""

from __future__ import annotations

import json

encode = json.JSONEncoder(ensure_ascii=False).encode  # made once: json.dumps makes one per call


def dumps(value: object, depth: int, indent: str = "  ", level: int = 0) -> str:
    if level >= depth or not isinstance(value, (dict, list)) or not value:
        return encode(value)
    pad = "\n" + indent * (level + 1)
    if isinstance(value, dict):
        items = [f"{encode(key)}: {dumps(item, depth, indent, level + 1)}"
                 for key, item in value.items()]
        opening, closing = "{", "}"
    else:
        items = [dumps(item, depth, indent, level + 1) for item in value]
        opening, closing = "[", "]"
    return opening + pad + ("," + pad).join(items) + "\n" + indent * level + closing
