"""How highlighted code looks on a card: the class render gives a code block and the Pygments
CSS for it, in one place both the renderer and the note type's CSS read."""

from __future__ import annotations

from pygments.formatters import HtmlFormatter

CSS_CLASS = "highlight"


def pygments_css() -> str:
    return HtmlFormatter().get_style_defs(f".{CSS_CLASS}")
