"""Jupyter notebooks (``.ipynb``) read as the page their cells show, line for line.

A notebook is JSON; what a learner reads is its cells: Markdown cells as Markdown, code
cells as code. Every line of the file keeps its number: a line of a cell's ``source`` array
becomes that line of the cell's text, a code cell's ``"source": [`` and closing ``]`` become
its fences, and every other line (structure, metadata, outputs) becomes blank, so the report
and the preview point at the file as stored. nbformat writes one string per line of a cell;
a notebook written otherwise (minified, or a cell's source as one string) is read cell by
cell instead, and the reader says that its line numbers then count the cells' text.
"""

from __future__ import annotations

import json

SUFFIX = ".ipynb"


class NotNotebook(ValueError):
    """The text is not a notebook's JSON (the caller reads it as text, or says so)."""


def is_notebook(path: str, lines: list[str]) -> bool:
    """A ``.ipynb`` file, or JSON that opens as nbformat does."""
    if path.lower().endswith(SUFFIX):
        return True
    head = "".join(line.strip() for line in lines[:3])
    return head.startswith('{"cells":[') or head.startswith('{"cells": [')


def notebook_lines(lines: list[str]) -> tuple[list[str], bool, frozenset[int]]:
    """The cells' text at the lines the file holds it, whether numbers stay the file's, and
    the (1-based) line each cell's text starts at.

    Raises ``NotNotebook`` when the text is not a notebook's JSON."""
    try:
        data = json.loads("\n".join(lines))
    except ValueError as exc:
        raise NotNotebook(f"not a notebook's JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotNotebook("a notebook's JSON has a list of cells")
    language = _language(data)
    in_place = _in_place(lines, data["cells"], language)
    if in_place is not None:
        return in_place[0], True, in_place[1]
    out, starts = _cell_by_cell(data["cells"], language)
    return out, False, starts


def _language(data: dict) -> str:
    """The language of the notebook's code cells, for their fences (Python unless it says)."""
    metadata = data.get("metadata")
    info = metadata.get("language_info") if isinstance(metadata, dict) else None
    name = info.get("name") if isinstance(info, dict) else None
    return name if isinstance(name, str) and name.isidentifier() else "python"


def _source_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _cell_text(cell: dict, language: str) -> list[str]:
    text = _source_text(cell).splitlines()
    return [f"```{language}", *text, "```"] if cell.get("cell_type") == "code" else text


def _cell_by_cell(cells: list, language: str) -> tuple[list[str], frozenset[int]]:
    out: list[str] = []
    starts = set()
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") in ("markdown", "code"):
            text = _cell_text(cell, language)
            if text:
                starts.add(len(out) + 1)
            out += text + [""]
    return out, frozenset(starts)


def _in_place(lines: list[str], cells: list, language: str
              ) -> tuple[list[str], frozenset[int]] | None:
    """Each cell's source lines where the file holds them, and the line each cell starts at;
    None when the file is not laid out one string per line (then no line can keep its number)."""
    out = [""] * len(lines)
    starts = set()
    cell_types = iter(cell.get("cell_type") if isinstance(cell, dict) else None for cell in cells)
    kind: str | None = None
    in_source = False
    seen: list[str] = []
    opened = 0  # how many source strings came before the cell's own
    for index, line in enumerate(lines):
        stripped = line.strip()
        if in_source:
            if stripped in ("]", "],"):
                in_source = False
                if kind == "code":
                    out[index] = "```"
                continue
            try:
                part = json.loads(stripped.removesuffix(","))
            except ValueError:
                return None
            if not isinstance(part, str) or "\n" in part.removesuffix("\n"):
                return None
            if kind == "markdown" and len(seen) == opened:  # (a code cell starts at its fence)
                starts.add(index + 1)
            seen.append(part)
            if kind in ("markdown", "code"):
                out[index] = part.removesuffix("\n").removesuffix("\r")
        elif stripped.startswith('"cell_type":'):
            kind = next(cell_types, None)
        elif stripped.startswith('"source":') and kind is not None:
            if stripped.removeprefix('"source":').strip() not in ("[", "[]", "[],"):
                return None  # a source written as one string
            in_source, opened = stripped.endswith("["), len(seen)
            if kind == "code" and in_source:
                out[index] = f"```{language}"
                starts.add(index + 1)
    expected = [part for cell in cells if isinstance(cell, dict)
                for part in (cell.get("source") if isinstance(cell.get("source"), list) else [])]
    return (out, frozenset(starts)) if seen == expected else None
