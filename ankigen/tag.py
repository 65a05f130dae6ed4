"""Stage 3: hierarchical Anki tags for each record.

Tags say where a card came from: ``source::<deck-slug>``, the source's own section below
it (``source::<deck-slug>::<section-slug>``), and ``followup`` for follow-up questions.
Anki splits tags on whitespace and uses ``::`` for hierarchy, so every part is a slug.
"""

from __future__ import annotations

from dataclasses import replace

from .record import Record
from .sources import Source, slugify


def source_tags(record: Record, source: Source) -> list[str]:
    tags = [f"source::{source.slug}"]
    if record.section:
        tags.append(f"source::{source.slug}::{slugify(record.section)}")
    if record.kind == "followup":
        tags.append("followup")
    return tags


def tag(records: list[Record], source: Source) -> list[Record]:
    tagged = []
    for record in records:
        tags = list(dict.fromkeys(record.tags + source_tags(record, source)))
        tagged.append(replace(record, tags=tags))
    return tagged
