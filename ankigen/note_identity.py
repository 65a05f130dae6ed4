"""What the build gives each note: its GUID and mtime, and how they came about. Ground floor:
the identity stage makes these, the package stage writes them into decks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Identity:
    guid: str
    mod: int
    new: bool  # not in the previous build
    changed: bool  # in the previous build, with different content
    moved_from: str = ""  # the source (slug) whose note this question took with it
