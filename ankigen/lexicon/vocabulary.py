"""The vocabulary file (vocabulary.toml), read once: a group's phrases by its dotted name."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources


@cache
def groups() -> dict:
    """Every group of the file, by concept ("chrome" -> "skip" -> the group)."""
    text = resources.files(__package__).joinpath("vocabulary.toml").read_text("utf-8")
    return tomllib.loads(text)


def group(name: str) -> dict:
    node = groups()
    for part in name.split("."):
        node = node[part]
    return node


def phrases(name: str) -> tuple[str, ...]:
    """A group's phrases (or a closed set's words), in the file's order."""
    entries = group(name)
    return tuple(entries["phrases"]) if "phrases" in entries else tuple(entries["words"].split())


def words(name: str) -> frozenset[str]:
    return frozenset(phrases(name))
